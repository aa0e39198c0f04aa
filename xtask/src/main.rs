//! `cargo xtask codegen [--check]`: regenerate `generated/` from `spec/`;
//! `cargo xtask bench …`: measure what the generated bindings cost;
//! `cargo xtask import alibaba|zenlayer …`: turn vendor docs into spec facts;
//! `cargo xtask docs pull …`: fetch those docs into a cache outside git;
//! `cargo xtask diff OLD NEW …`: what changed between two specs and whom it breaks;
//! `cargo xtask drift …`: what the vendor changed that the spec does not have yet.
//!
//! Without `--check` codegen rewrites generated files that changed and deletes
//! generated files no spec produces any more. With `--check` it writes
//! nothing, lists what is stale and exits non-zero; CI runs it. Both refuse
//! to run while an output directory holds a file the generator did not write.
//!
//! xtask is a workspace of its own (see its `Cargo.toml`), so it starts even
//! when a generated crate is missing, and it works on the checkout found from
//! the current directory, never on the one it was compiled in.

mod bench;
mod diff;
mod docs_pull;
mod drift;
mod import;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use truebind_codegen::write;

/// Loading and emission allocate many small strings on every core; against the
/// system allocator, which is level at 100 actions and 13 % slower at 500
/// (BENCHMARKS.md, "truebind and progenitor, side by side").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec DIR --out DIR] | cargo xtask bench [generator|size|compile [N…]]… \
     | cargo xtask import alibaba --metadata FILE … | cargo xtask import zenlayer --page FILE… \
     | cargo xtask docs pull [--spec-dir DIR] [--cache DIR] \
     | cargo xtask diff OLD NEW [--format text|json|markdown] [--fail-on breaking|any] \
     | cargo xtask drift [--metadata FILE | --pages DIR] [--format …] [--fail-on …]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen", rest @ ..] => match codegen_args(rest) {
            Ok((check, target)) => codegen(check, target),
            Err(e) => {
                eprintln!("{e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench", which @ ..] => {
            if let Err(e) = enter_workspace() {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
            bench::run(which)
        }
        ["import", rest @ ..] => with_checkout(|root| import::run(rest, root)),
        ["docs", rest @ ..] => with_checkout(|root| docs_pull::run(rest, root)),
        [command @ ("diff" | "drift"), rest @ ..] => match checkout() {
            Ok((here, root)) if *command == "diff" => diff::run(rest, &here, &root),
            Ok((here, root)) => drift::run(rest, &here, &root),
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Runs `command` on the checkout, without entering it: paths on the command
/// line stay relative to where it was typed.
fn with_checkout(command: impl FnOnce(&Path) -> ExitCode) -> ExitCode {
    match checkout() {
        Ok((_, root)) => command(&root),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The current directory and the checkout it lies in.
fn checkout() -> Result<(PathBuf, PathBuf), String> {
    let here = std::env::current_dir()
        .map_err(|e| format!("error: cannot read the current directory: {e}"))?;
    let root = workspace_root(&here)?;
    Ok((here, root))
}

/// The checkout to work on: the nearest directory, from the current one upwards,
/// whose `Cargo.toml` is a workspace listing `codegen` among its members.
///
/// Found at run time, never from where xtask was compiled: with a target
/// directory shared by two checkouts, the binary built for one must not write
/// into the other.
fn workspace_root(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let table: toml::Table = toml::from_str(&text)
            .map_err(|e| format!("error: {} is not valid TOML: {e}", manifest.display()))?;
        let lists_codegen = table
            .get("workspace")
            .and_then(|w| w.get("members"))
            .and_then(toml::Value::as_array)
            .is_some_and(|members| members.iter().any(|m| m.as_str() == Some("codegen")));
        if lists_codegen {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "error: no truebind workspace (a Cargo.toml whose [workspace] members list `codegen`) in {} or above; \
         run `cargo xtask` from the root of a checkout",
        start.display()
    ))
}

/// Works from the workspace root, so every path in messages is relative to it.
fn enter_workspace() -> Result<(), String> {
    let (_, root) = checkout()?;
    std::env::set_current_dir(&root)
        .map_err(|e| format!("error: cannot enter {}: {e}", root.display()))
}

/// A spec root and the directory its crates go to, both relative to the checkout.
type Target = (PathBuf, PathBuf);

/// `[--check] [--spec DIR --out DIR]`, in any order; `--spec` and `--out` come together.
fn codegen_args(args: &[&str]) -> Result<(bool, Option<Target>), String> {
    let (mut check, mut spec, mut out) = (false, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--check" => check = true,
            "--spec" => spec = Some(args.next().ok_or("error: --spec needs a directory")?),
            "--out" => out = Some(args.next().ok_or("error: --out needs a directory")?),
            other => return Err(format!("error: unknown codegen argument `{other}`")),
        }
    }
    match (spec, out) {
        (None, None) => Ok((check, None)),
        (Some(spec), Some(out)) => Ok((check, Some(in_checkout(spec, out)?))),
        _ => Err("error: give --spec and --out together".to_string()),
    }
}

/// `spec` and `out` (relative to the current directory) as paths inside the
/// checkout: a generated crate names `runtime/` by a relative path, so its
/// output directory must lie inside the checkout, and the writer never works
/// above a `..`.
fn in_checkout(spec: &str, out: &str) -> Result<Target, String> {
    let (here, root) = checkout()?;
    let inside = |given: &str| {
        let path = here.join(given);
        let relative = path.strip_prefix(&root).ok().map(Path::to_path_buf);
        relative
            .filter(|r| {
                r.components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
                    && r.components().next().is_some()
            })
            .ok_or_else(|| {
                format!(
                    "error: {given} is not a directory below the checkout {} (no `..`); \
                     generated crates depend on its runtime/ by a relative path",
                    root.display()
                )
            })
    };
    Ok((inside(spec)?, inside(out)?))
}

fn codegen(check: bool, target: Option<Target>) -> ExitCode {
    if let Err(e) = enter_workspace() {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    let root = Path::new(".");
    let spec_roots: Vec<PathBuf> = match &target {
        Some((spec, _)) => vec![spec.clone()],
        None => truebind_codegen::TARGETS
            .iter()
            .map(|(spec, _)| PathBuf::from(spec))
            .collect(),
    };
    // Only a run that writes ends with the summary; its `git status` runs beside generation.
    let status = (!check).then(|| diff::HeadStatus::start(root, &spec_roots));
    let (plans, specs) = match plan_all(root, target) {
        Ok(planned) => planned,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let stale: Vec<&Path> = plans.iter().flat_map(|(_, plan)| plan.paths()).collect();
    if stale.is_empty() {
        println!("generated code is up to date with the spec");
        if check {
            return ExitCode::SUCCESS;
        }
    } else if check {
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
        if let Err(e) = list_changes(plan) {
            eprintln!("error: cannot list the files written: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(status) = status {
        match diff::codegen_summary(root, specs, status) {
            Ok(line) => println!("{line}"),
            Err(e) => eprintln!("note: no API change summary: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// Prints each file `plan` wrote or deleted, one line each, through one buffer: a `println!`
/// per line is a `write` call per line, 500 of them for a 500-action crate.
fn list_changes(plan: &write::Plan) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in &plan.writes {
        writeln!(out, "wrote   {}", file.path.display())?;
    }
    for path in &plan.deletes {
        writeln!(out, "deleted {}", path.display())?;
    }
    out.flush()
}

/// Plans of every output directory, and each spec root generated with its validated
/// services (for the API change summary).
type Planned = (Vec<(PathBuf, write::Plan)>, Vec<diff::SpecIr>);

/// Generates everything (or only `target`) and compares it with disk; all
/// spec problems are reported together.
///
/// With `--spec DIR --out DIR`, the output directory may hold crates generated from other
/// spec roots: those are left in place (and named), not deleted as stale.
fn plan_all(root: &Path, target: Option<Target>) -> Result<Planned, String> {
    // The spec root whose stale files alone an `--out` directory may lose.
    let owner = target.as_ref().map(|(spec, _)| spec.clone());
    let (outputs, specs): (Vec<(PathBuf, _)>, _) = match target {
        None => {
            let (outputs, specs) =
                truebind_codegen::generate_all_with_ir(root).map_err(|e| e.to_string())?;
            (
                outputs
                    .into_iter()
                    .map(|(out, files)| (out.to_path_buf(), files))
                    .collect(),
                specs
                    .into_iter()
                    .map(|(spec, services)| (spec.to_path_buf(), services))
                    .collect(),
            )
        }
        Some((spec, out)) => {
            let generated =
                truebind_codegen::generate_with_ir(root, &spec, &out).map_err(|e| e.to_string())?;
            (
                vec![(out, generated.files)],
                vec![(spec, generated.services)],
            )
        }
    };
    let mut plans = Vec::new();
    for (out, files) in outputs {
        let mut plan = write::plan(root, &out, files).map_err(|e| format!("error: {e}"))?;
        if let Some(spec) = &owner {
            for path in plan
                .spare_other_sources(root, spec)
                .map_err(|e| format!("error: {e}"))?
            {
                eprintln!(
                    "kept    {} (generated from another spec root than {})",
                    path.display(),
                    spec.display()
                );
            }
        }
        plans.push((out, plan));
    }
    Ok((plans, specs))
}
