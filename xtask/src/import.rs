//! `cargo xtask import alibaba --metadata FILE [--action NAME]… [--directory TITLE]…
//! [--spec-dir DIR] [--service NAME] [--show-vendor-text]`: command-line front of `truebind-importer`.
//!
//! Only argument parsing and printing live here; the importer is a library
//! so that its tests call it directly. Relative paths are taken from the
//! directory the command runs in; `--spec-dir` defaults to the workspace's
//! `spec/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use truebind_importer::alibaba::{self, Options};

const USAGE: &str = "usage: cargo xtask import alibaba --metadata FILE [--action NAME]… \
                     [--directory TITLE]… [--spec-dir DIR] [--service NAME] [--show-vendor-text]";

/// Runs `import <args>`.
pub fn run(args: &[&str], workspace: &Path) -> ExitCode {
    let options = match args {
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
    if report.unsupported.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "error: {} actions cannot be expressed in the spec yet and were not written:",
        report.unsupported.len()
    );
    for (action, reason) in &report.unsupported {
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
