//! `cargo xtask bench [generator|size|compile|peers|user]`: what generated bindings cost.
//!
//! - generator: load, validate and emit the real spec and synthetic specs of
//!   100, 1,000 and 5,000 actions; median of 5 runs per phase, ms per action.
//! - size: generated lines per action, split by kind (types, operations,
//!   errors, client, waiters, paginators), with and without doc comments.
//! - compile: clean debug `cargo build` and `cargo check` of a synthetic
//!   crate of 100 and 500 actions (dependencies prebuilt), median of 3,
//!   marginal ms per action and peak memory (`/usr/bin/time`). Numbers after
//!   `compile` choose other sizes, e.g. `bench compile 100` for a quick A/B.
//!
//! - peers: truebind against progenitor on the same synthetic service (`peers.rs`).
//! - user: clean builds a user of the generated crates waits for (`user.rs`).
//!
//! Scratch files go to `target/bench/`. Figures print as Markdown tables,
//! ready for BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use truebind_codegen::emit::GeneratedFile;
use truebind_codegen::{emit, load, validate};

use crate::synth;

mod lacks;
mod openapi;
mod peers;
mod user;

const SIZES: [usize; 3] = [100, 1000, 5000];
const COMPILE_SIZES: [usize; 2] = [100, 500];

/// Runs the named benchmarks (all when none is named); numbers are compile sizes.
pub fn run(args: &[&str]) -> ExitCode {
    let (numbers, which): (Vec<&str>, Vec<&str>) = args
        .iter()
        .partition(|a| a.chars().all(|c| c.is_ascii_digit()));
    let mut sizes: Vec<usize> = numbers.iter().filter_map(|n| n.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = COMPILE_SIZES.to_vec();
    }
    let all = which.is_empty();
    let result = (|| -> Result<(), String> {
        if let Some(unknown) = which
            .iter()
            .find(|w| !["generator", "size", "compile", "peers", "user"].contains(w))
        {
            return Err(format!(
                "unknown benchmark `{unknown}`: use generator, size, compile [N…], peers [N…] or user"
            ));
        }
        if all || which.contains(&"generator") {
            generator()?;
        }
        if all || which.contains(&"size") {
            size()?;
        }
        if all || which.contains(&"compile") {
            compile(&sizes)?;
        }
        // Minutes each and a peer to build: only when named.
        if which.contains(&"peers") {
            peers::run(&sizes)?;
        }
        if which.contains(&"user") {
            user::run()?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn scratch() -> PathBuf {
    Path::new("target/bench").to_path_buf()
}

/// Removes `dir` and everything in it; a directory that is not there is already clear.
fn clear(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("clearing {}: {e}", dir.display())),
    }
}

/// Writes (once) the synthetic spec of `actions` actions; returns its spec root.
fn synthetic(actions: usize) -> Result<PathBuf, String> {
    let root = scratch().join(format!("spec-{actions}"));
    let name = format!("synth-{actions}");
    if !root.join(&name).join("service.yaml").exists() {
        synth::write_spec(&root, &name, actions)
            .map_err(|e| format!("writing the synthetic spec: {e}"))?;
    }
    Ok(root)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// `min–max` of `samples` in `unit`s of a second (1000.0 for ms), for the spread column.
fn range(samples: &[Duration], unit: f64) -> String {
    let secs = |d: &Duration| d.as_secs_f64() * unit;
    let min = samples.iter().map(secs).fold(f64::INFINITY, f64::min);
    let max = samples.iter().map(secs).fold(0.0, f64::max);
    format!("{min:.1}–{max:.1}")
}

/// Median (the mean of the middle two for an even count), minimum and maximum of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    /// The statistics of `samples`; all zero when there are none.
    fn of(samples: &[f64]) -> Self {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let Some((&min, &max)) = sorted.first().zip(sorted.last()) else {
            return Self {
                median: 0.0,
                min: 0.0,
                max: 0.0,
            };
        };
        let mid = sorted.len() / 2;
        let median = if sorted.len().is_multiple_of(2) {
            (sorted[mid - 1] + sorted[mid]) / 2.0
        } else {
            sorted[mid]
        };
        Self { median, min, max }
    }

    /// Every figure multiplied by `factor` (seconds to ms per action, say).
    fn scaled(self, factor: f64) -> Self {
        Self {
            median: self.median * factor,
            min: self.min * factor,
            max: self.max * factor,
        }
    }
}

/// How many times `ours` fits in `theirs`; `None` when `ours` is not positive.
fn ratio(theirs: f64, ours: f64) -> Option<f64> {
    (ours > 0.0).then(|| theirs / ours)
}

/// Milliseconds per action added between two sizes, from (actions, seconds) pairs.
fn marginal((n1, s1): (usize, f64), (n2, s2): (usize, f64)) -> f64 {
    if n2 == n1 {
        return 0.0;
    }
    (s2 - s1) * 1000.0 / (n2 as f64 - n1 as f64)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median time of each pipeline phase for one spec root, and every run's total.
struct Phases {
    actions: usize,
    load: Duration,
    validate: Duration,
    emit: Duration,
    totals: Vec<Duration>,
}

/// Times each pipeline phase for one spec root, five runs.
fn time_phases(spec_root: &Path, out: &Path) -> Result<Phases, String> {
    let (mut load_t, mut validate_t, mut emit_t) = (Vec::new(), Vec::new(), Vec::new());
    let mut totals = Vec::new();
    let mut actions = 0;
    for _ in 0..5 {
        actions = 0;
        let mut times = [Duration::ZERO; 3];
        for dir in load::service_dirs(spec_root).map_err(|e| e.to_string())? {
            let t = Instant::now();
            let loaded = load::load_service(&dir).map_err(|e| e.to_string())?;
            times[0] += t.elapsed();
            let t = Instant::now();
            let service = validate::validate(&loaded).map_err(|e| e.to_string())?;
            times[1] += t.elapsed();
            let t = Instant::now();
            emit::service_files(&service, spec_root, out).map_err(|e| e.to_string())?;
            times[2] += t.elapsed();
            actions += service.actions.len();
        }
        load_t.push(times[0]);
        validate_t.push(times[1]);
        emit_t.push(times[2]);
        totals.push(times.iter().sum());
    }
    Ok(Phases {
        actions,
        load: median(load_t),
        validate: median(validate_t),
        emit: median(emit_t),
        totals,
    })
}

fn generator() -> Result<(), String> {
    println!("\n### Generator speed (median of 5, release build of xtask recommended)\n");
    println!(
        "| spec | actions | load ms | validate ms | emit+format ms | total ms | total min–max | ms/action |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut roots = vec![("real spec/".to_string(), PathBuf::from("spec"))];
    for n in SIZES {
        roots.push((format!("synthetic {n}"), synthetic(n)?));
    }
    for (label, root) in roots {
        let p = time_phases(&root, Path::new("target/bench/out"))?;
        let total = median(p.totals.clone());
        println!(
            "| {label} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {:.3} |",
            p.actions,
            ms(p.load),
            ms(p.validate),
            ms(p.emit),
            ms(total),
            range(&p.totals, 1000.0),
            ms(total) / p.actions as f64
        );
    }
    Ok(())
}

/// Lines of one generated file, split by kind; doc-comment lines counted separately.
fn classify(file: &GeneratedFile, counts: &mut Counts) {
    let path = file.path.to_string_lossy().replace('\\', "/");
    let kind = if path.ends_with("tests/examples.rs") {
        Kind::Tests
    } else if path.ends_with("src/types.rs") {
        Kind::Types
    } else if path.ends_with("src/client.rs") {
        Kind::Client
    } else if path.ends_with("src/waiters.rs") {
        Kind::Waiters
    } else if path.ends_with("src/paginators.rs") {
        Kind::Paginators
    } else if path.contains("src/operation/") && !path.ends_with("mod.rs") {
        Kind::Operations
    } else {
        Kind::Crate
    };
    let lines: Vec<&str> = file.contents.lines().collect();
    // An operation file ends with its errors: the `pub type <Action>Error = …` alias
    // (the file's only type alias) with its doc comment, then the kind enum.
    let errors_from = lines
        .iter()
        .position(|l| kind == Kind::Operations && l.starts_with("pub type "))
        .map(|alias| {
            let docs = lines[..alias].iter().rev();
            alias - docs.take_while(|l| l.starts_with("///")).count()
        });
    for (i, line) in lines.iter().enumerate() {
        let current = if errors_from.is_some_and(|from| i >= from) {
            Kind::Errors
        } else {
            kind
        };
        let doc = line.trim_start().starts_with("///") || line.trim_start().starts_with("//!");
        counts.add(current, doc);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Types,
    Operations,
    Errors,
    Client,
    Waiters,
    Paginators,
    Crate,
    Tests,
}

const KINDS: [(Kind, &str); 8] = [
    (Kind::Types, "types"),
    (
        Kind::Operations,
        "operations (inputs with constructors and field walks, outputs with decoding)",
    ),
    (Kind::Errors, "errors"),
    (Kind::Client, "client methods"),
    (Kind::Waiters, "waiters"),
    (Kind::Paginators, "paginators"),
    (Kind::Crate, "crate files"),
    (Kind::Tests, "generated tests (not in the library)"),
];

#[derive(Default)]
struct Counts {
    lines: [usize; 8],
    docs: [usize; 8],
}

impl Counts {
    fn add(&mut self, kind: Kind, doc: bool) {
        let i = KINDS.iter().position(|(k, _)| *k == kind).unwrap_or(7);
        self.lines[i] += 1;
        if doc {
            self.docs[i] += 1;
        }
    }
}

fn size() -> Result<(), String> {
    println!("\n### Generated size (lines per action)\n");
    let mut roots = vec![("real spec/".to_string(), PathBuf::from("spec"))];
    roots.push(("synthetic 100".to_string(), synthetic(100)?));
    println!(
        "| kind | real: lines/action | real: without docs | synthetic 100: lines/action | synthetic 100: without docs |"
    );
    println!("|---|---:|---:|---:|---:|");
    let mut tables = Vec::new();
    for (_, root) in &roots {
        let files = truebind_codegen::generate(Path::new("."), root, Path::new("target/bench/out"))
            .map_err(|e| e.to_string())?;
        let actions = files
            .iter()
            .filter(|f| {
                f.path.to_string_lossy().contains("src/operation/") && !f.path.ends_with("mod.rs")
            })
            .count();
        let mut counts = Counts::default();
        for f in &files {
            classify(f, &mut counts);
        }
        tables.push((actions, counts));
    }
    let per = |c: usize, a: usize| c as f64 / a as f64;
    for (i, (_, label)) in KINDS.iter().enumerate() {
        let cells: Vec<String> = tables
            .iter()
            .flat_map(|(a, c)| {
                [
                    format!("{:.1}", per(c.lines[i], *a)),
                    format!("{:.1}", per(c.lines[i] - c.docs[i], *a)),
                ]
            })
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
    let library: Vec<String> = tables
        .iter()
        .flat_map(|(a, c)| {
            let lines: usize = c.lines[..7].iter().sum();
            let docs: usize = c.docs[..7].iter().sum();
            [
                format!("**{:.1}**", per(lines, *a)),
                format!("{:.1}", per(lines - docs, *a)),
            ]
        })
        .collect();
    println!("| **library total** | {} |", library.join(" | "));
    let actions: Vec<String> = tables.iter().map(|(a, _)| a.to_string()).collect();
    println!("\nActions: real {}, synthetic {}.", actions[0], actions[1]);
    Ok(())
}

/// What `/usr/bin/time` reports of one command.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Timing {
    /// Wall-clock seconds.
    wall: f64,
    /// Peak resident memory of the command or its largest child, MiB.
    rss_mib: f64,
    /// User plus system CPU seconds of the command and its children: steadier than wall
    /// time while other builds share the cores.
    cpu: f64,
}

impl Timing {
    /// Parses `/usr/bin/time -f "%e %M %U %S"` output (its last line).
    fn parse(text: &str) -> Option<Self> {
        let numbers: Vec<f64> = text
            .lines()
            .last()?
            .split_whitespace()
            .map(|s| s.parse().ok())
            .collect::<Option<_>>()?;
        let [wall, kib, user, sys] = numbers[..] else {
            return None;
        };
        Some(Self {
            wall,
            rss_mib: kib / 1024.0,
            cpu: user + sys,
        })
    }
}

/// Wall-clock seconds of a command started directly, its standard output discarded.
///
/// For runs of a few milliseconds, where [`timed`]'s `/usr/bin/time` (hundredths of a
/// second, plus its own start) would be most of the figure.
fn wall_clock(mut cmd: Command) -> Result<f64, String> {
    cmd.stdout(std::process::Stdio::null());
    let start = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("running {:?}: {e}", cmd.get_program()))?;
    let wall = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{cmd:?} failed"));
    }
    Ok(wall)
}

/// Runs a command under `/usr/bin/time`, its standard output discarded.
fn timed(cmd: Command) -> Result<Timing, String> {
    let dir = std::env::current_dir()
        .map_err(|e| e.to_string())?
        .join(scratch());
    timed_in(cmd, &dir)
}

/// [`timed`], with `/usr/bin/time`'s report written into `dir`, which is
/// made first (a fresh checkout has no `target/bench/`).
fn timed_in(cmd: Command, dir: &Path) -> Result<Timing, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let report = dir.join("time.txt");
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .arg("-f")
        .arg("%e %M %U %S")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => wrapped.env(k, v),
            None => wrapped.env_remove(k),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    let status = wrapped
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("running /usr/bin/time: {e}"))?;
    if !status.success() {
        return Err(format!("{:?} failed", wrapped));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    Timing::parse(&text).ok_or_else(|| format!("bad /usr/bin/time output: {text:?}"))
}

fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).args(args).arg("--quiet");
    cmd.env("CARGO_INCREMENTAL", "0");
    cmd.env("CARGO_TARGET_DIR", "target");
    cmd
}

fn compile(sizes: &[usize]) -> Result<(), String> {
    println!(
        "\n### Compile cost of a generated crate (debug, CARGO_INCREMENTAL=0, dependencies prebuilt, median of 3)\n"
    );
    println!(
        "| actions | build s | build min–max s | check s | build ms/action | peak RSS MiB (build) | generated lines |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut builds = Vec::new();
    for &n in sizes {
        let work = scratch().join(format!("compile-{n}"));
        let out = work.join("crates");
        let spec = synthetic(n)?;
        let files =
            truebind_codegen::generate(Path::new("."), &spec, &out).map_err(|e| e.to_string())?;
        let lines: usize = files
            .iter()
            .filter(|f| !f.path.ends_with("examples.rs"))
            .map(|f| f.contents.lines().count())
            .sum();
        for f in &files {
            if let Some(dir) = f.path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::write(&f.path, &f.contents).map_err(|e| e.to_string())?;
        }
        std::fs::write(
            work.join("Cargo.toml"),
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n",
        )
        .map_err(|e| e.to_string())?;
        let package = format!("synth-{n}");
        let status = cargo(&work, &["build"])
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("building {package} failed"));
        }
        let (mut build, mut check, mut rss) = (Vec::new(), Vec::new(), 0.0_f64);
        for _ in 0..3 {
            cargo(&work, &["clean", "-p", &package])
                .status()
                .map_err(|e| e.to_string())?;
            let t = timed(cargo(&work, &["build", "-p", &package]))?;
            build.push(Duration::from_secs_f64(t.wall));
            rss = rss.max(t.rss_mib);
            cargo(&work, &["clean", "-p", &package])
                .status()
                .map_err(|e| e.to_string())?;
            let t = timed(cargo(&work, &["check", "-p", &package]))?;
            check.push(Duration::from_secs_f64(t.wall));
        }
        let spread = range(&build, 1.0);
        let (b, c) = (median(build), median(check));
        println!(
            "| {n} | {:.1} | {spread} | {:.1} | {:.1} | {:.0} | {lines} |",
            b.as_secs_f64(),
            c.as_secs_f64(),
            ms(b) / n as f64,
            rss
        );
        builds.push((n, b));
    }
    if let [(n1, b1), (n2, b2)] = builds[..] {
        let marginal = (ms(b2) - ms(b1)) / (n2 - n1) as f64;
        println!("\nMarginal debug build cost: {marginal:.1} ms per action ({n1} → {n2} actions).");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_timed_command_makes_the_directory_of_its_report() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("target").join("bench");
        let timing = super::timed_in(std::process::Command::new("true"), &dir)
            .expect("`true` is timed although target/bench/ did not exist");
        assert!(timing.wall >= 0.0 && dir.join("time.txt").is_file());
    }

    use super::*;

    #[test]
    fn wall_clock_resolves_below_a_hundredth_of_a_second() {
        // `/usr/bin/time` would report 0.01 or 0.02 for this; a finer clock gives neither.
        let mut sleep = Command::new("sleep");
        sleep.arg("0.015");
        let wall = wall_clock(sleep).expect("`sleep` runs");
        assert!((0.015..1.0).contains(&wall), "{wall}");
        assert!((wall * 100.0).fract() != 0.0, "{wall}");
        let mut failing = Command::new("false");
        failing.arg("x");
        assert!(wall_clock(failing).is_err());
    }

    #[test]
    fn stats_take_the_middle_sample_and_the_extremes() {
        let s = Stats::of(&[3.0, 1.0, 2.0]);
        assert_eq!(
            s,
            Stats {
                median: 2.0,
                min: 1.0,
                max: 3.0
            }
        );
        assert_eq!(Stats::of(&[4.0, 1.0, 2.0, 3.0]).median, 2.5);
        assert_eq!(Stats::of(&[]).median, 0.0);
        let per_action = Stats::of(&[1.0, 2.0, 4.0]).scaled(1000.0 / 100.0);
        assert_eq!(
            (per_action.median, per_action.min, per_action.max),
            (20.0, 10.0, 40.0)
        );
    }

    #[test]
    fn ratio_and_marginal_cost() {
        assert_eq!(ratio(50.0, 5.0), Some(10.0));
        assert_eq!(ratio(1.0, 0.0), None);
        // 1.2 s at 100 actions, 5.7 s at 500: 11.25 ms per added action.
        assert!((marginal((100, 1.2), (500, 5.7)) - 11.25).abs() < 1e-9);
        assert_eq!(marginal((100, 1.0), (100, 2.0)), 0.0);
    }

    #[test]
    fn time_output_gives_wall_memory_and_cpu() {
        let t = Timing::parse("Command terminated by signal 2\n1.50 2048 1.25 0.25\n");
        assert_eq!(
            t,
            Some(Timing {
                wall: 1.5,
                rss_mib: 2.0,
                cpu: 1.5
            })
        );
        assert_eq!(Timing::parse("1.5 2048"), None);
        assert_eq!(Timing::parse(""), None);
    }
}
