//! The whole client path of one call against a local server, beside a bare `reqwest` loop.
//!
//! `request_overhead` times the client's own work without I/O; this bench adds what a
//! call really does: encode, sign, send over HTTP/1.1 to a server on 127.0.0.1 (keep-alive,
//! one fixed answer), and parse the answer. Its yardstick is a bare `reqwest::Client` loop
//! sending the same bytes (the body and headers the generated client sent, recorded by the
//! server on its first request) to the same server and reading the answer's bytes, so the
//! ratio is what the generated client adds over the HTTP stack it is built on.
//! After criterion's figures it prints that ratio from interleaved batches (median of 15),
//! and the ratio to the same bare loop with the client's per-attempt timeout set on each
//! request: a timeout is a timer per request, and it shows what of the gap that timer is.
//! Run: `cargo bench -p truebind-tests --bench client_path`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::runtime::Runtime;
use truebind_runtime::{Config, Credentials};
use zenlayer_sdn::operation::create_private_connect::CreatePrivateConnectInput;

const ANSWER: &str = r#"{"requestId":"T05992D0C-7E8B-4047-B0C0-780F2CD549D3","response":{"requestId":"T98044459-95B2-477E-9A2F-00253A70CC6E","privateConnectId":"pc-123"}}"#;

/// The first request the server received: its headers and body.
type Recorded = Arc<Mutex<Option<(hyper::HeaderMap, Bytes)>>>;

/// Starts the server on `rt`: every request gets [`ANSWER`]; the first is recorded.
fn serve(rt: &Runtime) -> (SocketAddr, Recorded) {
    let recorded: Recorded = Arc::default();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds 127.0.0.1");
    let addr = listener.local_addr().expect("bound address");
    let first = recorded.clone();
    rt.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let first = first.clone();
            let service = service_fn(move |request: Request<Incoming>| {
                let first = first.clone();
                async move {
                    let (parts, body) = request.into_parts();
                    let body = body
                        .collect()
                        .await
                        .map(|b| b.to_bytes())
                        .unwrap_or_default();
                    first
                        .lock()
                        .expect("not poisoned")
                        .get_or_insert((parts.headers, body));
                    let answer = Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from_static(ANSWER.as_bytes())))
                        .expect("valid response");
                    Ok::<_, Infallible>(answer)
                }
            });
            tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
        }
    });
    (addr, recorded)
}

fn input() -> CreatePrivateConnectInput {
    use zenlayer_sdn::types::CreateEndpointParam;
    let mut endpoint = CreateEndpointParam::new();
    endpoint.port_id = Some("port-a".to_string());
    endpoint.vlan_id = Some(1001);
    let mut input = CreatePrivateConnectInput::new(endpoint);
    input.private_connect_name = Some("fra-sel-private-line".to_string());
    input.bandwidth_mbps = Some(10);
    input
}

/// The two loops: one generated-client call, and one bare request with the same bytes.
struct Paths {
    rt: Runtime,
    client: zenlayer_sdn::Client,
    bare: reqwest::Client,
    url: String,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
    /// The client's per-attempt timeout, for the timed bare loop.
    timeout: Duration,
}

impl Paths {
    fn start() -> Self {
        let rt = Runtime::new().expect("tokio runtime");
        let (addr, recorded) = serve(&rt);
        let url = format!("http://{addr}/api/v2/sdn");
        let config = Config::new(Credentials::access_key("AKIDEXAMPLE", "SECRETEXAMPLE"))
            .endpoint(url.clone());
        let timeout = config.request_timeout;
        let client = zenlayer_sdn::Client::new(config).expect("client");
        rt.block_on(client.create_private_connect(input()))
            .expect("the server's answer parses");
        let (mut headers, body) = recorded
            .lock()
            .expect("not poisoned")
            .take()
            .expect("recorded");
        // reqwest sets these itself from the URL and the body.
        headers.remove("host");
        headers.remove("content-length");
        let mut replayed = reqwest::header::HeaderMap::new();
        for (name, value) in &headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_str().as_bytes());
            let value = reqwest::header::HeaderValue::from_bytes(value.as_bytes());
            if let (Ok(name), Ok(value)) = (name, value) {
                replayed.append(name, value);
            }
        }
        assert_eq!(replayed.len(), headers.len(), "every header replays");
        Self {
            rt,
            client,
            bare: reqwest::Client::new(),
            url,
            headers: replayed,
            body,
            timeout,
        }
    }

    fn ours(&self) -> usize {
        let output = self
            .rt
            .block_on(self.client.create_private_connect(input()))
            .expect("call succeeds");
        output.private_connect_id.map_or(0, |id| id.len())
    }

    /// One bare request; with `timeout`, bounded as the client bounds an attempt.
    fn bare_with(&self, timeout: Option<Duration>) -> usize {
        self.rt.block_on(async {
            let mut request = self.bare.post(&self.url);
            if let Some(timeout) = timeout {
                request = request.timeout(timeout);
            }
            let response = request
                .headers(self.headers.clone())
                .body(self.body.clone())
                .send()
                .await
                .expect("sent");
            response.bytes().await.expect("read").len()
        })
    }

    fn bare(&self) -> usize {
        self.bare_with(None)
    }

    fn bare_timed(&self) -> usize {
        self.bare_with(Some(self.timeout))
    }
}

fn benches(c: &mut Criterion) {
    let paths = Paths::start();
    let mut group = c.benchmark_group("client_path");
    group.bench_function(
        "truebind: encode+sign+send+parse, zenlayer CreatePrivateConnect",
        |b| b.iter(|| paths.ours()),
    );
    group.bench_function("bare reqwest: the same bytes to the same server", |b| {
        b.iter(|| paths.bare())
    });
    group.finish();
}

/// Median time per call of each path over `batches` batches of `calls`, the paths alternating.
fn interleaved<const N: usize>(
    paths: &Paths,
    loops: [fn(&Paths) -> usize; N],
    batches: usize,
    calls: usize,
) -> [Duration; N] {
    let mut times = [(); N].map(|_| Vec::with_capacity(batches));
    for _ in 0..batches {
        for (run, times) in loops.iter().zip(&mut times) {
            let t = Instant::now();
            (0..calls).for_each(|_| {
                std::hint::black_box(run(paths));
            });
            times.push(t.elapsed() / calls as u32);
        }
    }
    times.map(|mut times| {
        times.sort();
        times[batches / 2]
    })
}

criterion_group!(client_path, benches);

fn main() {
    client_path();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs each benchmark once to check it; the ratio is only measured
    // under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let paths = Paths::start();
    let loops = [Paths::ours, Paths::bare, Paths::bare_timed];
    let [ours, bare, timed] = interleaved(&paths, loops, 15, 200);
    let ratio = |to: Duration| ours.as_secs_f64() / to.as_secs_f64();
    println!(
        "client path: truebind {ours:?} per call, bare reqwest {bare:?}: ratio {:.2}× (budget ≤ 1.2×)",
        ratio(bare)
    );
    println!(
        "  bare reqwest with the client's per-attempt timeout: {timed:?}: ratio {:.2}×",
        ratio(timed)
    );
}
