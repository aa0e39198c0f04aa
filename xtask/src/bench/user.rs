//! `bench user`: the clean builds a user of the generated crates waits for.
//!
//! - The example program (`examples/`, one generated crate, tokio, reqwest) built into an
//!   empty target directory, dependencies included: what a user's first build costs. The
//!   directory is `target/bench/user-clean/`, removed afterwards.
//! - `alibaba-vpc` with every action group (its default features) and with only
//!   `physical-connection`, dependencies prebuilt in the main target directory and only
//!   the crate rebuilt, median of 3: what the crate itself adds, and what a user who
//!   enables one group saves.

use std::path::Path;

use super::{Stats, cargo, scratch, timed};

/// Runs the user-side builds and prints their table.
pub fn run() -> Result<(), String> {
    println!("\n### A user's builds (debug, CARGO_INCREMENTAL=0)\n");
    println!("| build | wall s | min–max s | CPU s (user + sys) | peak RSS MiB |");
    println!("|---|---:|---:|---:|---:|");
    let empty = scratch().join("user-clean");
    if empty.exists() {
        std::fs::remove_dir_all(&empty).map_err(|e| e.to_string())?;
    }
    let mut example = cargo(
        Path::new("."),
        &[
            "build",
            "-p",
            "truebind-examples",
            "--bin",
            "private_connect_lifecycle",
        ],
    );
    example.env("CARGO_TARGET_DIR", &empty);
    let timing = timed(example);
    if empty.exists() {
        std::fs::remove_dir_all(&empty)
            .map_err(|e| format!("removing {}: {e}", empty.display()))?;
    }
    let t = timing?;
    println!(
        "| example program `private_connect_lifecycle`, empty target directory (dependencies included) | {:.1} | – | {:.1} | {:.0} |",
        t.wall, t.cpu, t.rss_mib
    );
    let groups: [(&str, &[&str]); 2] = [
        ("every action group (default features)", &[]),
        (
            "only `physical-connection`",
            &[
                "--no-default-features",
                "--features",
                "physical-connection,rustls-ring",
            ],
        ),
    ];
    for (label, features) in groups {
        let (wall, cpu, mib) = crate_build("alibaba-vpc", features)?;
        println!(
            "| `alibaba-vpc`, {label}, dependencies prebuilt | {:.1} | {:.1}–{:.1} | {:.1} | {mib:.0} |",
            wall.median, wall.min, wall.max, cpu.median
        );
    }
    Ok(())
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
    let (mut wall, mut cpu, mut rss) = (Vec::new(), Vec::new(), 0.0_f64);
    for _ in 0..3 {
        cargo(Path::new("."), &["clean", "-p", package])
            .status()
            .map_err(|e| e.to_string())?;
        let t = timed(cargo(Path::new("."), &args))?;
        wall.push(t.wall);
        cpu.push(t.cpu);
        rss = rss.max(t.rss_mib);
    }
    Ok((Stats::of(&wall), Stats::of(&cpu), rss))
}
