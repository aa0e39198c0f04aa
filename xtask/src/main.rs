//! `cargo xtask codegen [--check]`: regenerate `generated/` from `spec/`;
//! `cargo xtask bench …`: measure what the generated bindings cost;
//! `cargo xtask import alibaba …`: turn vendor metadata into spec facts.
//!
//! Without `--check` codegen rewrites generated files that changed and deletes
//! generated files no spec produces any more. With `--check` it writes
//! nothing, lists what is stale and exits non-zero; CI runs it.

mod bench;
mod import;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use truebind_codegen::write;

/// Emission allocates many small token trees on every core; mimalloc halves
/// the time the system allocator spends on them (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench [generator|size|compile [N…]]… \
     | cargo xtask import alibaba --metadata FILE …";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench", which @ ..] => {
            if let Err(e) = enter_workspace() {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
            bench::run(which)
        }
        ["import", rest @ ..] => import::run(rest, &workspace_root()),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Works from the workspace root, so every path in messages is relative to it.
fn enter_workspace() -> Result<(), String> {
    let root = workspace_root();
    std::env::set_current_dir(&root)
        .map_err(|e| format!("error: cannot enter {}: {e}", root.display()))
}

fn codegen(check: bool) -> ExitCode {
    if let Err(e) = enter_workspace() {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    let root = Path::new(".");
    let plans = match plan_all(root) {
        Ok(plans) => plans,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let stale: Vec<&Path> = plans.iter().flat_map(|(_, plan)| plan.paths()).collect();
    if stale.is_empty() {
        println!("generated code is up to date with the spec");
        return ExitCode::SUCCESS;
    }
    if check {
        eprintln!("generated code is stale; these files differ from what the spec produces:");
        for path in stale {
            eprintln!("  {}", path.display());
        }
        eprintln!("run `cargo xtask codegen` and commit the result");
        return ExitCode::FAILURE;
    }
    for (out, plan) in &plans {
        if let Err(e) = write::apply(root, out, plan) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        for file in &plan.writes {
            println!("wrote   {}", file.path.display());
        }
        for path in &plan.deletes {
            println!("deleted {}", path.display());
        }
    }
    ExitCode::SUCCESS
}

/// Generates everything and compares it with disk; all spec problems are reported together.
fn plan_all(root: &Path) -> Result<Vec<(&'static Path, write::Plan)>, String> {
    let outputs = truebind_codegen::generate_all(root).map_err(|e| e.to_string())?;
    let mut plans = Vec::new();
    for (out, files) in outputs {
        let plan = write::plan(root, out, files).map_err(|e| format!("error: {e}"))?;
        plans.push((out, plan));
    }
    Ok(plans)
}
