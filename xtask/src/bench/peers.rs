//! `bench peers [N…]`: truebind against progenitor on the same synthetic service, side by side.
//!
//! For each size (default 100 and 500 actions) it writes the synthetic model twice, as
//! truebind's YAML spec and as an OpenAPI 3.0 document (`openapi.rs`), generates a crate
//! from each with the tool's release binary as a user runs it (`xtask codegen --spec … --out …`
//! against `benches/peers`' progenitor binary, whole process), counts the generated library
//! lines, and times clean debug builds and checks of each crate with its dependencies
//! prebuilt. Every measurement alternates between the two tools and the sizes (eleven rounds
//! of generation, three of builds), so load from other processes falls on both, and each
//! timed ratio is taken within a round and shown as the median and spread over the rounds.
//! The peer generator is a separate workspace
//! (`benches/peers/`, progenitor pinned in its `Cargo.lock`), built only here; everything
//! generated goes to `target/bench/peers/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Stats, cargo, clear, ratio, scratch, synthetic, timed};
use crate::synth::Model;

/// Build and check measurements per tool and size: three rounds each.
const ROUNDS: usize = 3;

/// Generation measurements per tool and size. A run takes 10–100 ms, so one slow round
/// (a cold page cache, another process's burst) moves a median of three by a third;
/// eleven rounds cost about ten seconds in all and hold the median.
const GENERATION_ROUNDS: usize = 11;

/// The two generators.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Peer,
}

const SIDES: [Side; 2] = [Side::Ours, Side::Peer];

/// What one tool produced and cost at one size.
#[derive(Default)]
struct Figures {
    generate: Vec<f64>,
    generate_rss: f64,
    lines: usize,
    code_lines: usize,
    build: Vec<f64>,
    build_cpu: Vec<f64>,
    check: Vec<f64>,
    build_rss: f64,
}

/// One tool at one size: its package, where it is generated, its figures.
struct Run {
    side: Side,
    actions: usize,
    figures: Figures,
}

impl Run {
    fn package(&self) -> String {
        match self.side {
            Side::Ours => format!("synth-{}", self.actions),
            Side::Peer => format!("peer-{}", self.actions),
        }
    }

    /// The directory the tool is told to write into.
    fn out(&self) -> PathBuf {
        match self.side {
            Side::Ours => work().join(format!("ours-{}", self.actions)),
            Side::Peer => work().join("peer").join(self.package()),
        }
    }

    /// The generated crate's directory.
    fn crate_dir(&self) -> PathBuf {
        match self.side {
            Side::Ours => self.out().join(self.package()),
            Side::Peer => self.out(),
        }
    }
}

fn work() -> PathBuf {
    scratch().join("peers")
}

/// Runs the side-by-side benchmark at `sizes` and prints its table.
pub fn run(sizes: &[usize]) -> Result<(), String> {
    let peer = build_peer_generator()?;
    let ours = std::env::current_exe().map_err(|e| format!("finding xtask: {e}"))?;
    let mut runs = Vec::new();
    for &n in sizes {
        let spec = synthetic(n)?;
        let doc = work().join(format!("openapi-{n}.json"));
        let text = serde_json::to_string_pretty(&super::openapi::document(&Model::new(n)))
            .map_err(|e| e.to_string())?;
        std::fs::create_dir_all(work()).map_err(|e| e.to_string())?;
        std::fs::write(&doc, text).map_err(|e| format!("writing {}: {e}", doc.display()))?;
        for side in SIDES {
            let run = Run {
                side,
                actions: n,
                figures: Figures::default(),
            };
            let input = if side == Side::Ours { &spec } else { &doc };
            runs.push((run, input.clone()));
        }
    }
    clear(&trash())?;
    for round in 0..=GENERATION_ROUNDS {
        for (run, input) in &mut runs {
            let exe = if run.side == Side::Ours { &ours } else { &peer };
            generate(run, exe, input, round)?;
        }
    }
    clear(&trash())?;
    let mut runs: Vec<Run> = runs.into_iter().map(|(run, _)| run).collect();
    for run in &mut runs {
        (run.figures.lines, run.figures.code_lines) = library_lines(&run.crate_dir().join("src"))?;
    }
    compile(&mut runs)?;
    print(&runs);
    let peer_crate = runs
        .iter()
        .find(|r| r.side == Side::Peer)
        .map(Run::crate_dir);
    super::lacks::print(peer_crate.as_deref())
}

/// Builds the pinned peer generator (release) from its own workspace; returns the binary.
fn build_peer_generator() -> Result<PathBuf, String> {
    let manifest = Path::new("benches/peers/Cargo.toml");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--release",
            "--locked",
            "--manifest-path",
        ])
        .arg(manifest)
        .status()
        .map_err(|e| format!("building the peer generator: {e}"))?;
    if !status.success() {
        return Err("building benches/peers failed".into());
    }
    Ok(PathBuf::from("target/release/truebind-peers"))
}

/// Where [`generate`] moves the previous output until the timed runs are over.
///
/// Deleting it just before a timed run made that run pay for the deletion: on an ext4
/// file system without a journal (this VM's), creating a file skips, one by one, every
/// inode freed in the last 30 seconds, so each of the 500 files truebind writes walked
/// past the 500 just deleted, and past more every round (BENCHMARKS.md, "Generation,
/// whole process"). Progenitor, which writes two files, hardly paid it.
fn trash() -> PathBuf {
    work().join("trash")
}

/// One generation from scratch (the previous output is moved aside first, see [`trash`],
/// and pending writes are settled, see [`settle_writeback`]).
///
/// Rounds below [`GENERATION_ROUNDS`] are timed with [`super::wall_clock`], the process
/// started directly: `/usr/bin/time` reports wall time in hundredths of a second, which is
/// all of a 100-op run (BENCHMARKS.md, "Generation, fifth round"). The last round runs
/// under `/usr/bin/time` for its peak RSS only.
fn generate(run: &mut Run, exe: &Path, input: &Path, round: usize) -> Result<(), String> {
    let out = run.out();
    if out.exists() {
        let aside = trash().join(format!("{}-{round}", run.package()));
        std::fs::create_dir_all(trash()).map_err(|e| format!("creating the trash: {e}"))?;
        std::fs::rename(&out, &aside)
            .map_err(|e| format!("moving {} aside: {e}", out.display()))?;
    }
    settle_writeback()?;
    let mut cmd = Command::new(exe);
    match run.side {
        Side::Ours => cmd
            .arg("codegen")
            .arg("--spec")
            .arg(input)
            .arg("--out")
            .arg(&out),
        Side::Peer => cmd.arg(input).arg(&out).arg(run.package()),
    };
    if round < GENERATION_ROUNDS {
        let wall = super::wall_clock(cmd)?;
        eprintln!("generate {}: {:.1} ms", run.package(), wall * 1000.0);
        run.figures.generate.push(wall);
    } else {
        run.figures.generate_rss = timed(cmd)?.rss_mib;
    }
    Ok(())
}

/// Writes every dirty page to disk (`sync`) before a timed generation.
///
/// Without it each run paid for the writeback of the runs before it, the other tool's
/// included: a 100-op truebind run right after progenitor's 500-op run, which leaves
/// 5 MB dirty, measured 17–86 ms (median 48), and 18–40 ms (median 24) with a `sync`
/// in between (BENCHMARKS.md, the run of 2026-12-03 18:38). Both tools get the same
/// settled start; each one's own writeback still happens after it exits, as for a user.
fn settle_writeback() -> Result<(), String> {
    let status = Command::new("sync")
        .status()
        .map_err(|e| format!("running sync: {e}"))?;
    if !status.success() {
        return Err("sync failed".into());
    }
    Ok(())
}

/// Lines of the `.rs` files under `src`, and those that are not doc comments.
fn library_lines(src: &Path) -> Result<(usize, usize), String> {
    let (mut lines, mut code) = (0, 0);
    let entries = std::fs::read_dir(src).map_err(|e| format!("reading {}: {e}", src.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (l, c) = library_lines(&path)?;
            lines += l;
            code += c;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            for line in text.lines() {
                lines += 1;
                let t = line.trim_start();
                if !t.starts_with("///") && !t.starts_with("//!") {
                    code += 1;
                }
            }
        }
    }
    Ok((lines, code))
}

/// Clean debug builds and checks of each generated crate, dependencies prebuilt, interleaved.
fn compile(runs: &mut [Run]) -> Result<(), String> {
    let members: Vec<String> = runs
        .iter()
        .map(|r| {
            let dir = r.crate_dir();
            format!(
                "{:?}",
                dir.strip_prefix(work())
                    .unwrap_or(&dir)
                    .display()
                    .to_string()
            )
        })
        .collect();
    std::fs::write(
        work().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    // The peer's dependencies resolve to the versions the pinned generator was built with.
    let lock = work().join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy("benches/peers/Cargo.lock", &lock).map_err(|e| e.to_string())?;
    }
    // Per package, not `--workspace`: `-p` unifies features for that package alone, so
    // a workspace-wide warm-up would leave the first timed build to rebuild dependencies.
    for run in runs.iter() {
        for warm in ["build", "check"] {
            let status = cargo(&work(), &[warm, "-p", &run.package()])
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("`cargo {warm} -p {}` failed", run.package()));
            }
        }
    }
    for _ in 0..ROUNDS {
        for run in runs.iter_mut() {
            let package = run.package();
            for step in ["build", "check"] {
                cargo(&work(), &["clean", "-p", &package])
                    .status()
                    .map_err(|e| e.to_string())?;
                let t = timed(cargo(&work(), &[step, "-p", &package]))?;
                eprintln!("{step} {package}: {:.1} s wall, {:.1} s CPU", t.wall, t.cpu);
                if step == "build" {
                    run.figures.build.push(t.wall);
                    run.figures.build_cpu.push(t.cpu);
                    run.figures.build_rss = run.figures.build_rss.max(t.rss_mib);
                } else {
                    run.figures.check.push(t.wall);
                }
            }
        }
    }
    Ok(())
}

/// How many times ours is smaller: one figure, or the median and min–max of the ratios of
/// measurements taken in the same round.
enum Times {
    One(Option<f64>),
    Paired(Option<Stats>),
}

impl Times {
    /// The ratio of each round's peer sample to ours in the same round. Rounds run the two
    /// tools back to back, so a change of the machine's speed between rounds moves both
    /// samples of a pair and not their ratio, which a ratio of the two medians does not
    /// promise; the spread across rounds is printed beside it.
    fn paired(ours: &[f64], peer: &[f64]) -> Self {
        let ratios: Vec<f64> = ours
            .iter()
            .zip(peer)
            .filter_map(|(&o, &p)| ratio(p, o))
            .collect();
        Times::Paired((!ratios.is_empty()).then(|| Stats::of(&ratios)))
    }

    fn shown(&self) -> String {
        match self {
            Times::One(Some(t)) => format!("{t:.1}×"),
            Times::Paired(Some(s)) => format!("{:.1}× ({:.1}–{:.1})", s.median, s.min, s.max),
            Times::One(None) | Times::Paired(None) => "–".into(),
        }
    }
}

/// One row of the side-by-side table: ours, the peer's, and how many times ours is smaller.
fn row(figure: &str, ours: &str, peer: &str, times: Times, budget: &str) {
    let times = times.shown();
    println!("| {figure} | {ours} | {peer} | {times} | {budget} |");
}

/// Milliseconds per action: median and min–max of seconds samples, one decimal.
fn per_action(samples: &[f64], actions: usize) -> String {
    per_action_to(samples, actions, 1)
}

/// [`per_action`] with `decimals` digits after the point.
fn per_action_to(samples: &[f64], actions: usize, decimals: usize) -> String {
    let s = Stats::of(samples).scaled(1000.0 / actions as f64);
    format!(
        "{:.d$} ({:.d$}–{:.d$})",
        s.median,
        s.min,
        s.max,
        d = decimals
    )
}

fn print(runs: &[Run]) {
    println!(
        "\n### truebind and progenitor side by side (ms per operation: median (min–max) of \
         {GENERATION_ROUNDS} generations, {ROUNDS} builds and checks)\n"
    );
    println!(
        "| figure | truebind | progenitor 0.15.1 | progenitor ÷ truebind (per round: median \
         (min–max)) | budget |"
    );
    println!("|---|---:|---:|---:|---|");
    let pairs: Vec<(&Run, &Run)> = runs
        .chunks(2)
        .filter_map(|c| match c {
            [o, p] => Some((o, p)),
            _ => None,
        })
        .collect();
    for (o, p) in &pairs {
        let n = o.actions;
        row(
            &format!("generation, whole process, {n} ops"),
            &per_action_to(&o.figures.generate, n, 3),
            &per_action_to(&p.figures.generate, n, 3),
            Times::paired(&o.figures.generate, &p.figures.generate),
            "≥ 10×",
        );
        let lines = |r: &Run, code: bool| {
            let l = if code {
                r.figures.code_lines
            } else {
                r.figures.lines
            };
            l as f64 / n as f64
        };
        for (label, code) in [
            ("generated lines/op", false),
            ("… without doc comments", true),
        ] {
            let (ol, pl) = (lines(o, code), lines(p, code));
            row(
                &format!("{label}, {n} ops"),
                &format!("{ol:.1}"),
                &format!("{pl:.1}"),
                Times::One(ratio(pl, ol)),
                "",
            );
        }
        for (label, ours, peer, budget) in [
            (
                "clean debug build",
                &o.figures.build,
                &p.figures.build,
                "≥ 10×",
            ),
            (
                "… its CPU time (user + sys)",
                &o.figures.build_cpu,
                &p.figures.build_cpu,
                "",
            ),
            ("`cargo check`", &o.figures.check, &p.figures.check, ""),
        ] {
            row(
                &format!("{label}, {n} ops"),
                &per_action(ours, n),
                &per_action(peer, n),
                Times::paired(ours, peer),
                budget,
            );
        }
        let mib = |v: f64| format!("{v:.0} MiB");
        let (orss, prss) = (o.figures.build_rss, p.figures.build_rss);
        row(
            &format!("peak RSS of the build, {n} ops"),
            &mib(orss),
            &mib(prss),
            Times::One(ratio(prss, orss)),
            "≥ 4× at 500",
        );
        let (ogr, pgr) = (o.figures.generate_rss, p.figures.generate_rss);
        row(
            &format!("peak RSS of generation, {n} ops"),
            &mib(ogr),
            &mib(pgr),
            Times::One(ratio(pgr, ogr)),
            "",
        );
    }
    if let [(o1, p1), (o2, p2)] = pairs[..] {
        let marginal = |a: &Run, b: &Run| {
            super::marginal(
                (a.actions, Stats::of(&a.figures.build).median),
                (b.actions, Stats::of(&b.figures.build).median),
            )
        };
        let (om, pm) = (marginal(o1, o2), marginal(p1, p2));
        let label = format!(
            "marginal build cost per op, {} → {} ops",
            o1.actions, o2.actions
        );
        row(
            &label,
            &format!("{om:.1}"),
            &format!("{pm:.1}"),
            Times::One(ratio(pm, om)),
            "",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_is_taken_within_each_round_and_its_spread_shown() {
        // The machine slows between rounds: the rounds' ratios are 10×, 8× and 10×, while
        // the medians of the two sides (2.0 and 16.0) would say 8×.
        let ours = [1.0, 2.0, 3.0];
        let peer = [10.0, 16.0, 30.0];
        let Times::Paired(Some(s)) = Times::paired(&ours, &peer) else {
            panic!("three pairs");
        };
        assert_eq!((s.median, s.min, s.max), (10.0, 8.0, 10.0));
        assert_eq!(Times::paired(&ours, &peer).shown(), "10.0× (8.0–10.0)");
        assert_eq!(Times::paired(&[0.0], &[1.0]).shown(), "–");
    }
}
