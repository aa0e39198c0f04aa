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
    let options = match args {
        ["zenlayer", rest @ ..] => return run_zenlayer(rest, workspace),
        ["alibaba", rest @ ..] => match parse(rest, workspace) {
            Ok(options) => options,
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
    let started = Instant::now();
    let report = match alibaba::run(&options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for line in report
        .fixups
        .iter()
        .chain(&report.notes)
        .chain(&report.vendor_text)
    {
        println!("{line}");
    }
    for path in &report.changed {
        println!("wrote   {}", path.display());
    }
    println!(
        "imported {} actions into {} in {:.2?}",
        report.imported.len(),
        report.service_dir.display(),
        started.elapsed()
    );
    unsupported(&report.unsupported)
}

/// Fails, naming them, when some actions could not be written.
fn unsupported(actions: &[(String, String)]) -> ExitCode {
    if actions.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "error: {} actions cannot be expressed in the spec yet and were not written:",
        actions.len()
    );
    for (action, reason) in actions {
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
fn run_zenlayer(args: &[&str], workspace: &Path) -> ExitCode {
    let options = match parse_zenlayer(args, workspace) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let report = match zenlayer::run(&options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sections = [
        ("note", &report.notes),
        ("lacks", &report.lacks),
        ("left out", &report.dropped),
        ("curate", &report.suggestions),
    ];
    for (label, lines) in sections {
        for line in lines {
            println!("{label}: {line}");
        }
    }
    for path in &report.changed {
        println!("wrote   {}", path.display());
    }
    println!(
        "imported {} actions into {} in {:.2?}",
        report.imported.len(),
        report.service_dir.display(),
        started.elapsed()
    );
    unsupported(&report.unsupported)
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
