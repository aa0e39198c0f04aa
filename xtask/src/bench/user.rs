//! `bench user`: the clean builds a user of the generated crates waits for, and the
//! maintainer's regeneration, each beside its budget (issues 14 and 18).
//!
//! - A user's first build, dependencies included, into an empty target directory
//!   (`target/bench/user-clean/`, removed after each build): the README's short program
//!   (`examples/quickstart`, one generated crate and tokio: the program issue 18's budget
//!   is for), median of 3; and, once, the 1,000-line lifecycle example
//!   (`examples/`, `private_connect_lifecycle`), for comparison with earlier rounds.
//! - `alibaba-vpc` with every action group (its default features) and with only
//!   `physical-connection`, and `zenlayer-sdn`: dependencies prebuilt in the main target
//!   directory and only the crate rebuilt, median of 3: what the crate itself adds, and what
//!   a user who enables one group saves.
//! - `xtask codegen --check` and `xtask codegen` for every service with this release binary,
//!   median of 3. `codegen` runs only after `--check` found nothing stale, so it writes
//!   nothing: the bench never changes the checkout.

use std::path::Path;
use std::process::Command;

use super::{Stats, cargo, clear, scratch, timed};

/// Runs the user-side builds and prints their table.
pub fn run() -> Result<(), String> {
    println!("\n### A user's builds (debug, CARGO_INCREMENTAL=0) and regeneration\n");
    println!("| build | budget s | wall s | min–max s | CPU s (user + sys) | peak RSS MiB |");
    println!("|---|---:|---:|---:|---:|---:|");
    let (wall, cpu, mib) = three_times(|| first_build("truebind-quickstart", "quickstart"))?;
    row(
        "the README's short program (`examples/quickstart`), empty target directory (dependencies included)",
        "30",
        wall,
        cpu,
        mib,
    );
    let t = timed(first_build(
        "truebind-examples",
        "private_connect_lifecycle",
    )?)?;
    clear(&scratch().join("user-clean"))?;
    println!(
        "| for comparison, once: the lifecycle example `private_connect_lifecycle` (1,000 lines), the same way | – | {:.1} | – | {:.1} | {:.0} |",
        t.wall, t.cpu, t.rss_mib
    );
    let crates: [(&str, &str, &str, &[&str]); 3] = [
        (
            "alibaba-vpc",
            "every action group (default features)",
            "6",
            &[],
        ),
        (
            "alibaba-vpc",
            "only `physical-connection`",
            "1.5",
            &[
                "--no-default-features",
                "--features",
                "physical-connection,rustls-ring",
            ],
        ),
        ("zenlayer-sdn", "default features", "2", &[]),
    ];
    for (package, label, budget, features) in crates {
        let (wall, cpu, mib) = crate_build(package, features)?;
        row(
            &format!("`{package}`, {label}, dependencies prebuilt"),
            budget,
            wall,
            cpu,
            mib,
        );
    }
    for args in [&["codegen", "--check"][..], &["codegen"]] {
        let (wall, cpu, mib) = codegen(args)?;
        let label = format!("`xtask {}`, every service (release)", args.join(" "));
        row(&label, "1", wall, cpu, mib);
    }
    Ok(())
}

/// One table row of medians of 3.
fn row(label: &str, budget: &str, wall: Stats, cpu: Stats, mib: f64) {
    println!(
        "| {label} | {budget} | {:.2} | {:.2}–{:.2} | {:.2} | {mib:.0} |",
        wall.median, wall.min, wall.max, cpu.median
    );
}

/// The build of `bin` of `package` into an empty target directory. The directory of the
/// previous build is removed first (and the last one by [`run`]), so every build starts empty.
fn first_build(package: &str, bin: &str) -> Result<Command, String> {
    let empty = scratch().join("user-clean");
    clear(&empty)?;
    let mut build = cargo(Path::new("."), &["build", "-p", package, "--bin", bin]);
    build.env("CARGO_TARGET_DIR", &empty);
    Ok(build)
}

/// Clean debug builds of `package` alone with `features` (dependencies built first),
/// median of 3: wall and CPU seconds, and the peak RSS.
fn crate_build(package: &str, features: &[&str]) -> Result<(Stats, Stats, f64), String> {
    let args: Vec<&str> = ["build", "-p", package]
        .into_iter()
        .chain(features.iter().copied())
        .collect();
    let status = cargo(Path::new("."), &args)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("building {package} {features:?} failed"));
    }
    three_times(|| {
        cargo(Path::new("."), &["clean", "-p", package])
            .status()
            .map_err(|e| e.to_string())?;
        Ok(cargo(Path::new("."), &args))
    })
}

/// This binary run with `args` for every service, after `codegen --check` passed once.
fn codegen(args: &[&str]) -> Result<(Stats, Stats, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let fresh = Command::new(&exe)
        .args(["codegen", "--check"])
        .output()
        .map_err(|e| e.to_string())?;
    if !fresh.status.success() {
        return Err("generated files are stale: run `cargo xtask codegen` first".into());
    }
    three_times(|| {
        let mut cmd = Command::new(&exe);
        cmd.args(args);
        Ok(cmd)
    })
}

/// Wall and CPU medians of 3 timed runs of what `prepare` returns, and the peak RSS.
fn three_times(
    mut prepare: impl FnMut() -> Result<Command, String>,
) -> Result<(Stats, Stats, f64), String> {
    let (mut wall, mut cpu, mut rss) = (Vec::new(), Vec::new(), 0.0_f64);
    for _ in 0..3 {
        let t = timed(prepare()?)?;
        wall.push(t.wall);
        cpu.push(t.cpu);
        rss = rss.max(t.rss_mib);
    }
    Ok((Stats::of(&wall), Stats::of(&cpu), rss))
}
