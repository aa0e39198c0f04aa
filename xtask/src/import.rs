//! `cargo xtask import alibaba --metadata FILE [--action NAME]… [--directory TITLE]…
//! [--spec-dir DIR] [--service NAME] [--show-vendor-text]` and
//! `cargo xtask import zenlayer --page FILE… [--spec-dir DIR] [--service NAME]`:
//! command-line front of `truebind-importer`.
//!
//! Only argument parsing and printing live here; the importer is a library
//! so that its tests call it directly. Relative paths are taken from the
//! directory the command runs in; `--spec-dir` defaults to the workspace's
//! `spec/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use truebind_importer::alibaba::{self, Options};
use truebind_importer::zenlayer;

const USAGE: &str = "usage: cargo xtask import alibaba --metadata FILE [--action NAME]… \
                     [--directory TITLE]… [--spec-dir DIR] [--service NAME] [--show-vendor-text]\n\
                     \x20      cargo xtask import zenlayer --page FILE… [--spec-dir DIR] [--service NAME]";

/// Runs `import <args>`.
pub fn run(args: &[&str], workspace: &Path) -> ExitCode {
    match args {
        ["alibaba", rest @ ..] => {
            parse(rest, workspace).map_or_else(bad_usage, |o| run_alibaba(&o))
        }
        ["zenlayer", rest @ ..] => {
            parse_zenlayer(rest, workspace).map_or_else(bad_usage, |o| run_zenlayer(&o))
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn bad_usage(e: String) -> ExitCode {
    eprintln!("error: {e}\n{USAGE}");
    ExitCode::from(2)
}

fn run_alibaba(options: &Options) -> ExitCode {
    let started = Instant::now();
    match alibaba::run(options) {
        Ok(r) => {
            let lines = r.fixups.iter().chain(&r.notes).chain(&r.vendor_text);
            finish(
                lines.cloned().collect(),
                &r.changed,
                r.imported.len(),
                &r.service_dir,
                started,
                &r.unsupported,
            )
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What every import prints at the end: the lines to look at, the files written,
/// the count; it fails, naming them, when some actions could not be written.
fn finish(
    lines: Vec<String>,
    changed: &[PathBuf],
    imported: usize,
    dir: &Path,
    started: Instant,
    unsupported: &[(String, String)],
) -> ExitCode {
    for line in lines {
        println!("{line}");
    }
    for path in changed {
        println!("wrote   {}", path.display());
    }
    println!(
        "imported {imported} actions into {} in {:.2?}",
        dir.display(),
        started.elapsed()
    );
    if unsupported.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "error: {} actions cannot be expressed in the spec yet and were not written:",
        unsupported.len()
    );
    for (action, reason) in unsupported {
        eprintln!("  {action}: {reason}");
    }
    ExitCode::FAILURE
}

fn parse(args: &[&str], workspace: &Path) -> Result<Options, String> {
    let mut options = Options {
        metadata: PathBuf::new(),
        actions: Vec::new(),
        directories: Vec::new(),
        spec_dir: workspace.join("spec"),
        service: None,
        show_vendor_text: false,
    };
    let mut metadata = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if *flag == "--show-vendor-text" {
            options.show_vendor_text = true;
            continue;
        }
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--metadata" => metadata = Some(PathBuf::from(value)),
            "--action" => options.actions.push((*value).to_owned()),
            "--directory" => options.directories.push((*value).to_owned()),
            "--spec-dir" => options.spec_dir = PathBuf::from(value),
            "--service" => options.service = Some((*value).to_owned()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    options.metadata = metadata.ok_or("--metadata FILE is required")?;
    Ok(options)
}

/// `import zenlayer`: reads the pages, writes the service, prints what to curate.
fn run_zenlayer(options: &zenlayer::Options) -> ExitCode {
    let started = Instant::now();
    let r = match zenlayer::run(options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let labelled = [
        ("note", &r.notes),
        ("lacks", &r.lacks),
        ("left out", &r.dropped),
        ("curate", &r.suggestions),
    ];
    let lines = labelled
        .iter()
        .flat_map(|(label, lines)| lines.iter().map(move |l| format!("{label}: {l}")))
        .collect();
    finish(
        lines,
        &r.changed,
        r.imported.len(),
        &r.service_dir,
        started,
        &r.unsupported,
    )
}

fn parse_zenlayer(args: &[&str], workspace: &Path) -> Result<zenlayer::Options, String> {
    let mut options = zenlayer::Options {
        pages: Vec::new(),
        spec_dir: workspace.join("spec"),
        service: None,
    };
    let mut rest = args.iter().peekable();
    while let Some(flag) = rest.next() {
        match *flag {
            "--page" => {
                let before = options.pages.len();
                while let Some(file) = rest.next_if(|a| !a.starts_with("--")) {
                    options.pages.push(PathBuf::from(file));
                }
                if options.pages.len() == before {
                    return Err("--page needs at least one file".into());
                }
            }
            "--spec-dir" => {
                options.spec_dir = PathBuf::from(rest.next().ok_or("--spec-dir needs a value")?);
            }
            "--service" => {
                options.service = Some((*rest.next().ok_or("--service needs a value")?).to_owned());
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.pages.is_empty() {
        return Err("--page FILE… is required".into());
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_takes_every_file_up_to_the_next_option() {
        let o = parse_zenlayer(
            &[
                "--page",
                "a.md",
                "b.md",
                "--service",
                "zl",
                "--page",
                "c.md",
            ],
            Path::new("/w"),
        )
        .unwrap();
        assert_eq!(o.pages, ["a.md", "b.md", "c.md"].map(PathBuf::from));
        assert_eq!(o.service.as_deref(), Some("zl"));
        assert_eq!(o.spec_dir, Path::new("/w/spec"));
        assert_eq!(
            parse_zenlayer(&["--page", "--spec-dir", "x"], Path::new("/w")).unwrap_err(),
            "--page needs at least one file"
        );
        assert_eq!(
            parse_zenlayer(&[], Path::new("/w")).unwrap_err(),
            "--page FILE… is required"
        );
    }
}
