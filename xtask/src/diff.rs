//! `cargo xtask diff OLD NEW [--format text|json|markdown] [--fail-on breaking|any]`: what
//! changed between two specs and whom it breaks (`truebind-diff` does the comparing).
//!
//! OLD and NEW are spec directories (a spec root such as `spec/`, or a checkout holding
//! one) or git revisions, whose `spec/` is read from git objects into a temporary directory
//! (`git ls-tree` + `git cat-file`), so the work tree is never touched. Acknowledgements are
//! read from NEW. Exit status: 0, or 1 when `--fail-on` finds an unacknowledged change, or 2
//! on a usage error or a spec that does not load.
//!
//! This module also gives `cargo xtask codegen` its closing one-line summary
//! ([`codegen_summary`]) and `drift` its output options ([`Output`]).

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

use truebind_diff::render::{self, Format};
use truebind_diff::{FailOn, Report, Spec, Which, ack, compare, load_spec};

/// A spec file is at most this large (the generator's loader refuses larger ones), so a
/// revision's blob beyond it is refused before it is read.
const MAX_BLOB_BYTES: u64 = 1 << 20;

/// A revision's spec tree holds at most this many files.
const MAX_FILES: usize = 10_000;
/// The most bytes an exported spec root may hold in all.
const MAX_EXPORT_BYTES: u64 = 256 << 20;

const USAGE: &str = "usage: cargo xtask diff OLD NEW [--format text|json|markdown] [--fail-on breaking|any] \
                     (OLD, NEW: spec directories or git revisions)";

/// `--format` and `--fail-on`, shared by `diff` and `drift`.
pub struct Output {
    format: Format,
    fail_on: Option<FailOn>,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            format: Format::Text,
            fail_on: None,
        }
    }
}

impl Output {
    /// Takes `flag value` if it is one of ours; `Ok(false)` when it is not.
    pub fn take(&mut self, flag: &str, value: Option<&&str>) -> Result<bool, String> {
        let value = || {
            value
                .copied()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "--format" => {
                let v = value()?;
                self.format = Format::parse(v)
                    .ok_or_else(|| format!("unknown format `{v}` (text, json or markdown)"))?;
            }
            "--fail-on" => {
                self.fail_on = Some(match value()? {
                    "breaking" => FailOn::Breaking,
                    "any" => FailOn::Any,
                    v => return Err(format!("unknown --fail-on `{v}` (breaking or any)")),
                });
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Prints `report` and turns `--fail-on` into the exit status.
    pub fn finish(&self, report: &Report) -> ExitCode {
        print!("{}", render::render(report, self.format));
        let Some(fail_on) = self.fail_on else {
            return ExitCode::SUCCESS;
        };
        let failures = report.failures(fail_on).count();
        if failures == 0 {
            return ExitCode::SUCCESS;
        }
        eprintln!("error: {failures} unacknowledged changes match --fail-on");
        ExitCode::FAILURE
    }
}

/// Runs `diff <args>` from the directory `here`, in the checkout `root`.
pub fn run(args: &[&str], here: &Path, root: &Path) -> ExitCode {
    let mut output = Output::default();
    let mut sides = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if !arg.starts_with("--") {
            sides.push(*arg);
            continue;
        }
        match output.take(arg, rest.next()) {
            Ok(true) => {}
            Ok(false) => return usage(&format!("unknown option {arg}")),
            Err(e) => return usage(&e),
        }
    }
    let [old, new] = sides.as_slice() else {
        return usage("give OLD and NEW");
    };
    let temp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => return error(&format!("cannot create a temporary directory: {e}")),
    };
    let loaded = spec_root(old, here, root, &temp.path().join("old"))
        .and_then(|o| load_spec(&o, Which::Old).map_err(|e| e.to_string()))
        .and_then(|o| {
            let n = spec_root(new, here, root, &temp.path().join("new"))?;
            Ok((o, load_spec(&n, Which::New).map_err(|e| e.to_string())?))
        });
    let (old, new) = match loaded {
        Ok(pair) => pair,
        Err(e) => return error(&e),
    };
    match ack::load(&new, ack::Kind::Diff) {
        Ok(acks) => output.finish(&compare(&old, &new, &acks)),
        Err(e) => error(&e.to_string()),
    }
}

fn usage(message: &str) -> ExitCode {
    usage_error(message, USAGE)
}

/// A usage error: the message, the usage line, exit status 2.
pub fn usage_error(message: &str, usage: &str) -> ExitCode {
    eprintln!("error: {message}\n{usage}");
    ExitCode::from(2)
}

/// An error that stops the comparison: exit status 2 (1 means `--fail-on` matched).
pub fn error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// The spec root `arg` names: a directory (a checkout's `spec/` when it is a checkout), or
/// a git revision of `root`, whose `spec/` is exported below `scratch`.
fn spec_root(arg: &str, here: &Path, root: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let dir = here.join(arg);
    if dir.is_dir() {
        let nested = dir.join("spec");
        let checkout = dir.join("Cargo.toml").is_file() && nested.is_dir();
        return Ok(if checkout { nested } else { dir });
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{arg}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        format!(
            "`{arg}` is neither a directory nor a git revision of {}",
            root.display()
        )
    })?;
    export(root, commit.trim(), "spec", scratch)
}

/// Writes the regular files under `sub` at `commit` into `dest` (keeping their paths) and
/// returns `dest/sub`. A link, a submodule, an oversized file or a path that would leave
/// `dest` is refused.
pub fn export(root: &Path, commit: &str, sub: &str, dest: &Path) -> Result<PathBuf, String> {
    let listing = git(root, &["ls-tree", "-r", "-z", "-l", commit, "--", sub])?;
    let entries: Vec<&str> = listing.split('\0').filter(|e| !e.is_empty()).collect();
    if entries.len() > MAX_FILES {
        return Err(format!("{commit}:{sub} has more than {MAX_FILES} files"));
    }
    let mut files = Vec::with_capacity(entries.len());
    for entry in entries {
        let (meta, path) = entry
            .split_once('\t')
            .ok_or_else(|| format!("unexpected git ls-tree line `{entry}`"))?;
        let fields: Vec<&str> = meta.split_whitespace().collect();
        let [mode, "blob", object, size] = fields.as_slice() else {
            return Err(format!("{commit}:{path} is not a file (a submodule?)"));
        };
        if !mode.starts_with("100") {
            return Err(format!(
                "{commit}:{path} is a symbolic link; a spec holds only regular files"
            ));
        }
        let size: u64 = size
            .parse()
            .map_err(|_| format!("unexpected size in `{entry}`"))?;
        if size > MAX_BLOB_BYTES {
            return Err(format!(
                "{commit}:{path} is {size} bytes, more than a spec file may have"
            ));
        }
        if !Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(format!("{commit}:{path} is not a plain relative path"));
        }
        files.push((path, (*object).to_owned(), size));
    }
    let total: u64 = files.iter().map(|(_, _, size)| size).sum();
    if total > MAX_EXPORT_BYTES {
        return Err(format!(
            "{commit}:{sub} holds {total} bytes, more than a spec may have"
        ));
    }
    let objects: Vec<&str> = files.iter().map(|(_, object, _)| object.as_str()).collect();
    // Nothing to read (a root HEAD does not have) needs no `git cat-file` process.
    let blobs = if objects.is_empty() {
        Vec::new()
    } else {
        read_blobs(root, &objects)?
    };
    for ((path, _, _), bytes) in files.iter().zip(blobs) {
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, bytes).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(dest.join(sub))
}

/// The contents of `objects` (blob ids), read through one `git cat-file --batch` process
/// rather than one process per file: a spec of 400 files exports in one step.
fn read_blobs(root: &Path, objects: &[&str]) -> Result<Vec<Vec<u8>>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file has no input")?;
    let request: String = objects.iter().map(|o| format!("{o}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("git cat-file --batch: {e}"))?;
    writer
        .join()
        .map_err(|_| "git cat-file --batch: the writer stopped".to_owned())?
        .map_err(|e| format!("git cat-file --batch: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git cat-file --batch failed: {}", err.trim()));
    }
    split_batch(&out.stdout, objects)
}

/// Splits `git cat-file --batch` output (`<id> blob <size>\n<bytes>\n` per object) into
/// the blobs, checking that each answer is the object asked for.
fn split_batch(mut out: &[u8], objects: &[&str]) -> Result<Vec<Vec<u8>>, String> {
    let mut blobs = Vec::with_capacity(objects.len());
    for object in objects {
        let end = out
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| format!("git cat-file --batch ended before {object}"))?;
        let header = String::from_utf8_lossy(&out[..end]).into_owned();
        let size = match header.split(' ').collect::<Vec<_>>().as_slice() {
            [id, "blob", size] if id == object => size.parse::<usize>().ok(),
            _ => None,
        }
        .ok_or_else(|| format!("git cat-file --batch answered `{header}` for {object}"))?;
        let body = out
            .get(end + 1..end + 1 + size)
            .ok_or_else(|| format!("git cat-file --batch cut {object} short"))?;
        blobs.push(body.to_vec());
        out = out.get(end + 2 + size..).unwrap_or_default();
    }
    Ok(blobs)
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    String::from_utf8(git_bytes(root, args)?)
        .map_err(|_| format!("git {} printed non-UTF-8 text", args.join(" ")))
}

fn git_bytes(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git {} failed: {}", args.join(" "), err.trim()));
    }
    Ok(out.stdout)
}

/// `git status` of each spec root, started before generation so it runs beside it.
///
/// Whether a root is the same in the working tree as at HEAD (no tracked file differs and
/// no untracked or ignored one is there) is what one `git status` answers, so an unchanged
/// spec costs no export and no second load. Ignored files count: a spec root under an
/// ignored directory (`target/bench/spec-100`) is not at HEAD at all, and its services are
/// new. Its answer is read after the files are written, but nothing in between writes a
/// spec file, and a spec root's services were loaded at the start too.
pub struct HeadStatus(Vec<Result<Child, String>>);

impl HeadStatus {
    /// Starts one `git status` per root in `spec_roots` (relative to `root`), in order.
    pub fn start(root: &Path, spec_roots: &[PathBuf]) -> Self {
        HeadStatus(
            spec_roots
                .iter()
                .map(|sub| {
                    // `--no-optional-locks`: a status that only reads never rewrites the index.
                    Command::new("git")
                        .arg("-C")
                        .arg(root)
                        .args([
                            "--no-optional-locks",
                            "status",
                            "--porcelain=v1",
                            "-z",
                            "--untracked-files=all",
                            "--ignored",
                            "--no-renames",
                            "--",
                        ])
                        .arg(sub)
                        .stdin(Stdio::null())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .map_err(|e| format!("cannot run git: {e}"))
                })
                .collect(),
        )
    }
}

/// What `git status` (a child of [`HeadStatus::start`]) says of one spec root.
#[derive(Debug, PartialEq, Eq)]
enum RootStatus {
    /// Nothing listed: the root is as at HEAD.
    Unchanged,
    /// Only untracked or ignored files, this many: HEAD may not have the root at all.
    OnlyUntracked(usize),
    /// A tracked file differs.
    Changed,
}

/// Reads the answer of a `git status` child.
fn root_status(status: Result<Child, String>) -> Result<RootStatus, String> {
    let out = status?
        .wait_with_output()
        .map_err(|e| format!("git status: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git status failed: {}", err.trim()));
    }
    Ok(porcelain_status(&out.stdout))
}

/// [`RootStatus`] from `git status --porcelain=v1 -z --no-renames` output (`XY path\0` each).
fn porcelain_status(out: &[u8]) -> RootStatus {
    let entries: Vec<&[u8]> = out.split(|b| *b == 0).filter(|e| !e.is_empty()).collect();
    if entries.is_empty() {
        RootStatus::Unchanged
    } else if entries
        .iter()
        .all(|e| e.starts_with(b"?? ") || e.starts_with(b"!! "))
    {
        RootStatus::OnlyUntracked(entries.len())
    } else {
        RootStatus::Changed
    }
}

/// The files and links under `dir` (no directories), at most `limit + 1` of them counted.
fn files_below(dir: &Path, limit: usize) -> Result<usize, String> {
    let (mut count, mut stack) = (0, vec![dir.to_path_buf()]);
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let kind = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                count += 1;
            }
            if count > limit {
                return Ok(count);
            }
        }
    }
    Ok(count)
}

/// A spec root (relative to the checkout) and its validated services.
pub type SpecIr = (PathBuf, Vec<truebind_codegen::ir::Service>);

/// The line `cargo xtask codegen` ends with: the API changes of each spec root against the
/// same root at git HEAD. HEAD is what was generated before because `generated/` is
/// committed and `codegen --check` keeps it equal to the committed spec; no second record
/// of the API is kept that could itself go stale. The new side is the IR the run generated
/// from (`specs`, services sorted by crate name as [`load_spec`] sorts them), so the spec is
/// not loaded twice; only HEAD's side is loaded, and only when `status` (started for the
/// same roots in the same order) says the root changed since HEAD.
pub fn codegen_summary(
    root: &Path,
    specs: Vec<SpecIr>,
    status: HeadStatus,
) -> Result<String, String> {
    let mut temp = None;
    let mut lines = Vec::new();
    for (i, ((spec, services), status)) in specs.into_iter().zip(status.0).enumerate() {
        let status = root_status(status)?;
        if status == RootStatus::Unchanged {
            std::mem::forget(services);
            continue;
        }
        let sub = spec.to_string_lossy().into_owned();
        let old = head_side(root, &spec, status, &mut temp, i)?;
        let new = Spec {
            root: root.join(&spec),
            services,
        };
        let report = compare(&old, &new, &[]);
        if !report.changes.is_empty() {
            lines.push(format!("{sub}/: {}", render::summary_line(&report)));
        }
        // The summary is the run's last step: the IR is left to the end of the process
        // rather than freed allocation by allocation (a million instructions per 100 actions).
        std::mem::forget(new.services);
    }
    Ok(if lines.is_empty() {
        "API: no changes since HEAD".into()
    } else {
        format!("API changes since HEAD: {}", lines.join(" | "))
    })
}

/// The spec root `spec` as HEAD has it, given what `git status` said of it (not
/// [`RootStatus::Unchanged`]); a root exported from HEAD goes to the `i`th directory of `temp`,
/// made on first use.
///
/// When every file of the root is untracked or ignored, no tracked file is there (an
/// unchanged one is on disk but not listed, a deleted one is listed as deleted), so HEAD has
/// none: the old side is a spec without services, made without asking git for HEAD's tree
/// and without a temporary directory to load it from.
fn head_side(
    root: &Path,
    spec: &Path,
    status: RootStatus,
    temp: &mut Option<tempfile::TempDir>,
    i: usize,
) -> Result<Spec, String> {
    if let RootStatus::OnlyUntracked(n) = status
        && files_below(&root.join(spec), n)? == n
    {
        return Ok(Spec {
            root: root.join(spec),
            services: Vec::new(),
        });
    }
    let temp = match temp {
        Some(temp) => temp,
        None => temp.insert(
            tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?,
        ),
    };
    let sub = spec.to_string_lossy();
    let before = export(root, "HEAD", &sub, &temp.path().join(i.to_string()))?;
    // A spec root new since HEAD compares with an empty one: everything is added.
    std::fs::create_dir_all(&before).map_err(|e| format!("{}: {e}", before.display()))?;
    load_spec(&before, Which::Old).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::{RootStatus, porcelain_status};

    #[test]
    fn a_status_listing_only_untracked_or_ignored_files_is_told_apart_from_a_change() {
        assert_eq!(porcelain_status(b""), RootStatus::Unchanged);
        assert_eq!(
            porcelain_status(b"?? s/a.yaml\0!! s/b.yaml\0"),
            RootStatus::OnlyUntracked(2)
        );
        assert_eq!(
            porcelain_status(b"!! s/b.yaml\0 M s/c.yaml\0"),
            RootStatus::Changed
        );
        assert_eq!(porcelain_status(b"D  s/gone.yaml\0"), RootStatus::Changed);
    }
}
