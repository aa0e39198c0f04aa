//! `cargo xtask docs pull [--spec-dir DIR] [--cache DIR] [--zenlayer-base URL] [--alibaba-base URL]`:
//! fetches every action's vendor source into a cache outside git.
//!
//! The importers read vendor docs; to re-import (and later to see what the
//! vendor changed) a maintainer needs those sources on disk. For each
//! service of the spec root this fetches, for Zenlayer, the Markdown
//! rendering `<docs_url>.md` of every action, and for Alibaba the product's
//! OpenAPI metadata (`/meta/v1/products/<Product>/versions/<Version>/api-docs.json`).
//! Files go to `target/docs-cache/<service>/` unless `--cache` says otherwise.
//! A maintainer runs it by hand; CI never does (its tests serve the sources
//! from 127.0.0.1, through the `--*-base` overrides). Bodies are bounded,
//! requests time out, and being offline is one line, not a stack of errors.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Largest body accepted (the VPC metadata is under 3 MiB; a page under 100 KiB).
const MAX_BODY: u64 = 32 << 20;
/// Time for a whole request, and for connecting.
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

const USAGE: &str = "usage: cargo xtask docs pull [--spec-dir DIR] [--cache DIR] \
                     [--zenlayer-base URL] [--alibaba-base URL]";

/// Where to read the spec, where to write, and which hosts to ask.
#[derive(Debug, Clone)]
pub struct Options {
    /// Spec root (`--spec-dir`, default the checkout's `spec/`).
    pub spec_dir: PathBuf,
    /// Cache root (`--cache`, default the checkout's `target/docs-cache/`).
    pub cache: PathBuf,
    /// Replaces the scheme and host of Zenlayer `docs_url`s (`--zenlayer-base`).
    pub zenlayer_base: Option<String>,
    /// Host of Alibaba's metadata (`--alibaba-base`, default `https://api.aliyun.com`).
    pub alibaba_base: String,
}

/// One file to fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Where from.
    pub url: String,
    /// Where to, relative to the cache root.
    pub file: PathBuf,
}

/// Runs `docs <args>`.
pub fn run(args: &[&str], workspace: &Path) -> ExitCode {
    let options = match args {
        ["pull", rest @ ..] => match parse(rest, workspace) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match pull(&options) {
        Ok(written) => {
            println!(
                "fetched {} files into {}",
                written.len(),
                options.cache.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[&str], workspace: &Path) -> Result<Options, String> {
    let mut options = Options {
        spec_dir: workspace.join("spec"),
        cache: workspace.join("target/docs-cache"),
        zenlayer_base: None,
        alibaba_base: "https://api.aliyun.com".into(),
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--spec-dir" => options.spec_dir = PathBuf::from(value),
            "--cache" => options.cache = PathBuf::from(value),
            "--zenlayer-base" => options.zenlayer_base = Some((*value).to_owned()),
            "--alibaba-base" => options.alibaba_base = (*value).to_owned(),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

/// Fetches every source of the spec root; returns the files written.
pub fn pull(options: &Options) -> Result<Vec<PathBuf>, String> {
    let sources = sources(options)?;
    // Sources on this machine (the tests' servers) are never asked through a proxy.
    let local = sources.iter().all(|s| is_loopback(&s.url));
    let client = client(local)?;
    let mut written = Vec::new();
    for s in &sources {
        let body = fetch(&client, &s.url, MAX_BODY)?;
        let path = options.cache.join(&s.file);
        save(&path, &body).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// What to fetch for every service under the spec root, in a stable order.
pub fn sources(options: &Options) -> Result<Vec<Source>, String> {
    let dir = &options.spec_dir;
    let mut services: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("service.yaml").is_file())
        .collect();
    services.sort();
    let mut out = Vec::new();
    for service_dir in services {
        let svc = truebind_codegen::load::load_service(&service_dir).map_err(|e| e.to_string())?;
        let name = svc.service.1.name.value.clone();
        match svc.service.1.protocol.value.as_str() {
            "zenlayer-json" => {
                for (path, a) in &svc.actions {
                    let url = a.docs_url.as_ref().ok_or_else(|| {
                        format!(
                            "{}: no docs_url, so its page cannot be fetched",
                            path.display()
                        )
                    })?;
                    out.push(Source {
                        url: format!(
                            "{}.md",
                            rebase(&url.value, options.zenlayer_base.as_deref())
                        ),
                        file: Path::new(&name).join(format!("{}.md", a.name.value)),
                    });
                }
            }
            "alibaba-rpc" => {
                let product = alibaba_product(&name);
                out.push(Source {
                    url: format!(
                        "{}/meta/v1/products/{product}/versions/{}/api-docs.json",
                        options.alibaba_base.trim_end_matches('/'),
                        svc.service.1.api_version
                    ),
                    file: Path::new(&name).join("api-docs.json"),
                });
            }
            other => {
                return Err(format!(
                    "{}: no docs source is known for protocol `{other}`",
                    service_dir.display()
                ));
            }
        }
    }
    Ok(out)
}

/// `url` with its scheme and host replaced by `base`, when one is given.
fn rebase(url: &str, base: Option<&str>) -> String {
    let Some(base) = base else {
        return url.to_owned();
    };
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or("");
    format!("{}{path}", base.trim_end_matches('/'))
}

/// The metadata's product code of a service: `alibaba-vpc` → `Vpc`.
fn alibaba_product(service: &str) -> String {
    let code = service.strip_prefix("alibaba-").unwrap_or(service);
    let mut chars = code.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

fn is_loopback(url: &str) -> bool {
    reqwest::Url::parse(url)
        .is_ok_and(|u| matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")))
}

fn client(local: bool) -> Result<reqwest::blocking::Client, String> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // `Err` means another thread installed one in between: that one stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let builder = reqwest::blocking::Client::builder();
    let builder = if local { builder.no_proxy() } else { builder };
    builder
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("truebind-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// The body at `url`, at most `limit` bytes; unreachable hosts give one line.
fn fetch(client: &reqwest::blocking::Client, url: &str, limit: u64) -> Result<Vec<u8>, String> {
    let response = client.get(url).send().map_err(|e| {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| url.to_owned());
        if e.is_connect() || e.is_timeout() {
            format!("cannot reach {host} (offline?); nothing more was fetched")
        } else {
            format!("{url}: {e}")
        }
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url}: the server answered {status}"));
    }
    let mut body = Vec::new();
    response
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: reading the body failed: {e}"))?;
    if body.len() as u64 > limit {
        return Err(format!("{url}: the body is larger than {limit} bytes"));
    }
    Ok(body)
}

/// Writes through a new temporary file in the same directory, then renames.
fn save(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pulling-")
        .tempfile_in(dir)?;
    tmp.write_all(body)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    type Answer = fn(&str) -> (u16, Vec<u8>);

    /// A server on 127.0.0.1 answering every request with `answer(path)`;
    /// returns its base URL and the paths it was asked for.
    fn serve(answer: Answer) -> (String, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&asked);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let path = line.split(' ').nth(1).unwrap_or("").to_owned();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap() <= 2 {
                        break;
                    }
                }
                let (status, body) = answer(&path);
                log.lock().unwrap().push(path);
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        (base, asked)
    }

    fn options(base: &str, cache: &Path) -> Options {
        Options {
            spec_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            cache: cache.to_path_buf(),
            zenlayer_base: Some(base.to_owned()),
            alibaba_base: base.to_owned(),
        }
    }

    #[test]
    fn every_page_and_the_metadata_come_from_the_given_host_into_the_cache() {
        let (base, asked) = serve(|path| (200, format!("source {path}").into_bytes()));
        let cache = tempfile::tempdir().unwrap();
        let written = pull(&options(&base, cache.path())).unwrap();
        let page = cache.path().join("zenlayer-sdn/CreatePrivateConnect.md");
        assert_eq!(
            std::fs::read_to_string(&page).unwrap(),
            "source /api-reference/networking/sdn/private-connect/createprivateconnect.md"
        );
        let metadata = cache.path().join("alibaba-vpc/api-docs.json");
        assert_eq!(
            std::fs::read_to_string(&metadata).unwrap(),
            "source /meta/v1/products/Vpc/versions/2016-04-28/api-docs.json"
        );
        assert!(written.contains(&page) && written.contains(&metadata));
        assert_eq!(asked.lock().unwrap().len(), written.len());
    }

    #[test]
    fn being_offline_is_one_line() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cache = tempfile::tempdir().unwrap();
        let e = pull(&options(&format!("http://127.0.0.1:{port}"), cache.path())).unwrap_err();
        assert_eq!(
            e,
            "cannot reach 127.0.0.1 (offline?); nothing more was fetched"
        );
    }

    #[test]
    fn an_error_status_and_an_oversized_body_are_refused() {
        let (base, _) = serve(|path| match path {
            "/big" => (200, vec![b'x'; 101]),
            _ => (404, Vec::new()),
        });
        let cache = tempfile::tempdir().unwrap();
        let e = pull(&options(&base, cache.path())).unwrap_err();
        assert!(e.ends_with("the server answered 404 Not Found"), "{e}");
        let client = client(true).unwrap();
        let e = fetch(&client, &format!("{base}/big"), 100).unwrap_err();
        assert!(e.ends_with("the body is larger than 100 bytes"), "{e}");
        assert_eq!(
            fetch(&client, &format!("{base}/big"), 101).unwrap().len(),
            101
        );
    }
}
