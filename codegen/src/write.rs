//! Putting generated files on disk, or checking that disk already matches.
//!
//! An output directory (`generated/`, the fixture crates, `spec/schema/`) holds
//! only the generator's files, because cargo builds whatever sits in a crate
//! directory (a planted `build.rs` runs at build time). So a run first scans
//! the whole tree without following symbolic links: any file without the
//! generated header, any FIFO or device, and any symbolic link (file or
//! directory) stops the run with every such path listed, before anything is
//! written. Then it plans every change and applies it: each file is written
//! unnamed and linked in under its name once complete (Linux's `O_TMPFILE`), or,
//! to replace a file or where there are no unnamed files, written to a fresh
//! temporary file created with `create_new` next to its target and renamed into
//! place, so an interrupted run never leaves a half-written file and a planted
//! link is never written through. Deletions only ever remove
//! generated files found inside the tree (and, for an output directory given with
//! `--out`, only those whose header names this run's spec root:
//! [`Plan::spare_other_sources`]). Check mode plans and reports, and
//! writes nothing.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::emit::{GeneratedFile, HEADER, MARKDOWN_HEADER, TOML_HEADER};
use crate::files::{self, OpenError};

mod dirs;

use dirs::{Dirs, parent};

/// What a run would change in the output directories (`generated/`, the fixture crate, `spec/schema/`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to create or rewrite, with their new contents.
    pub writes: Vec<GeneratedFile>,
    /// Generated files that no spec produces any more.
    pub deletes: Vec<PathBuf>,
}

impl Plan {
    /// True when disk already matches the spec.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty()
    }

    /// Every path the plan touches, sorted, for reporting.
    pub fn paths(&self) -> Vec<&Path> {
        let mut paths: Vec<&Path> = self
            .writes
            .iter()
            .map(|f| f.path.as_path())
            .chain(self.deletes.iter().map(PathBuf::as_path))
            .collect();
        paths.sort_by(|a, b| files::path_order(a, b));
        paths
    }
}

/// Why files could not be planned or written.
#[derive(Debug)]
pub enum WriteError {
    /// Files in an output directory the generator did not produce (no generated
    /// header, or not a regular file), all of them.
    Foreign(Vec<PathBuf>),
    /// Symbolic links in or on the way to an output directory, all of them.
    Symlinks(Vec<PathBuf>),
    /// A path to write or delete that is not inside its output directory.
    Outside(PathBuf),
    /// The file system failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |paths: &[PathBuf]| -> String {
            paths
                .iter()
                .map(|p| format!("\n  {}", p.display()))
                .collect()
        };
        match self {
            WriteError::Foreign(paths) => write!(
                f,
                "these files are in an output directory but were not generated (no generated header, \
                 or not a regular file); cargo would build them with the crate, so nothing was written:{}\n\
                 help: move them out of the output directory; it holds only `cargo xtask codegen` output",
                list(paths)
            ),
            WriteError::Symlinks(paths) => write!(
                f,
                "symbolic links in an output directory (the generator never writes or deletes through one), \
                 so nothing was written:{}\nhelp: remove the links; output directories hold plain files only",
                list(paths)
            ),
            WriteError::Outside(p) => write!(
                f,
                "{} is not inside its output directory; refusing to write or delete it",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// True when `text` starts with a generated header (a comment line, or for JSON a `$comment` key).
pub fn is_generated(text: &str) -> bool {
    let json_marker = format!("{{\n  \"$comment\": \"{}", crate::schema::JSON_HEADER);
    [HEADER, TOML_HEADER, MARKDOWN_HEADER, &json_marker]
        .iter()
        .any(|header| text.starts_with(header))
}

/// Bytes read to decide whether a file on disk starts with a generated header.
const HEADER_PROBE: u64 = 256;

/// Compares `files` with what is under `root/out_dir` and lists the differences.
///
/// Fails, listing every offending path, when the tree holds a symbolic link or
/// a file the generator did not produce.
pub fn plan(root: &Path, out_dir: &Path, files: Vec<GeneratedFile>) -> Result<Plan, WriteError> {
    for file in &files {
        inside(out_dir, &file.path)?;
    }
    let on_disk = scan(root, out_dir)?;
    let wanted: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let deletes = on_disk
        .iter()
        .filter(|existing| !wanted.contains(&existing.as_path()))
        .cloned()
        .collect();
    let mut plan = Plan {
        writes: Vec::new(),
        deletes,
    };
    // Files move into the plan: a fresh 500-action crate is 5 MB of text not copied again.
    for file in files {
        if !on_disk.contains(&file.path) || !same_on_disk(root, &file)? {
            plan.writes.push(file);
        }
    }
    Ok(plan)
}

impl Plan {
    /// Takes out of the deletions every stale file whose generated header names a source
    /// outside `spec` (relative to `root`, as headers name it), and returns those spared.
    ///
    /// An output directory given with `--out` may also hold crates generated from another
    /// spec root: they are not this run's to delete. A crate of a service removed from
    /// `spec` names a directory inside it, so it still goes.
    pub fn spare_other_sources(
        &mut self,
        root: &Path,
        spec: &Path,
    ) -> Result<Vec<PathBuf>, WriteError> {
        let mut spared = Vec::new();
        let mut deletes = Vec::with_capacity(self.deletes.len());
        for path in std::mem::take(&mut self.deletes) {
            match source_of(&root.join(&path))? {
                Some(source) if !Path::new(&source).starts_with(spec) => spared.push(path),
                _ => deletes.push(path),
            }
        }
        self.deletes = deletes;
        Ok(spared)
    }
}

/// The source a generated file's header names (`… from SOURCE/ — do not edit by hand.`);
/// `None` for a header without one (the JSON Schemas name the model, not a spec). A
/// source is written escaped (`escape_debug`), so one with other than plain characters
/// never matches a spec root and its file is spared: the safe way to be wrong.
fn source_of(path: &Path) -> Result<Option<String>, WriteError> {
    let text = header_probe(path)?;
    let line = text.lines().next().unwrap_or_default();
    let source = [HEADER, TOML_HEADER, MARKDOWN_HEADER]
        .iter()
        .find_map(|header| line.strip_prefix(header))
        .and_then(|rest| rest.split_once("/ — do not edit by hand."))
        .map(|(source, _)| source.to_string());
    Ok(source)
}

/// Whether the regular file at `file.path` holds exactly `file.contents`.
fn same_on_disk(root: &Path, file: &GeneratedFile) -> Result<bool, WriteError> {
    let full = root.join(&file.path);
    let limit = file.contents.len() as u64;
    Ok(files::open_regular(&full)
        .map_err(|e| open_error(&full, e))
        .and_then(|f| files::read_at_most(&f, limit).map_err(|e| WriteError::Io(full.clone(), e)))?
        .is_some_and(|bytes| bytes == file.contents.as_bytes()))
}

fn open_error(path: &Path, e: OpenError) -> WriteError {
    match e {
        OpenError::Symlink => WriteError::Symlinks(vec![path.to_path_buf()]),
        OpenError::NotRegular(_) => WriteError::Foreign(vec![path.to_path_buf()]),
        OpenError::Io(e) => WriteError::Io(path.to_path_buf(), e),
    }
}

/// `path` must lie under `out_dir`, with no `..`, root or prefix component.
fn inside(out_dir: &Path, path: &Path) -> Result<(), WriteError> {
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain && path.starts_with(out_dir) && path != out_dir {
        Ok(())
    } else {
        Err(WriteError::Outside(path.to_path_buf()))
    }
}

/// Applies a plan: atomic writes, then deletions of stale generated files
/// (and of directories under `root/out_dir` they leave empty).
pub fn apply(root: &Path, out_dir: &Path, plan: &Plan) -> Result<(), WriteError> {
    for path in plan.writes.iter().map(|f| &f.path).chain(&plan.deletes) {
        inside(out_dir, path)?;
    }
    let mut dirs = Dirs::open(root)?;
    // Every directory is opened (or created) once, without following a link at any level;
    // then the files are written on all cores (each write is independent and atomic), since
    // creating a few hundred files is mostly kernel time the generating threads are done with.
    let mut opened: Option<&Path> = None;
    for dir in plan.writes.iter().map(|f| parent(&f.path)) {
        // Files come sorted, so most share the directory of the one before.
        if opened != Some(dir) {
            dirs.get(dir, true)?;
            opened = Some(dir);
        }
    }
    let written = crate::parallel::map(&plan.writes, |file| {
        dirs.write_file(&file.path, &root.join(&file.path), &file.contents)
    });
    written.into_iter().collect::<Result<(), _>>()?;
    for path in &plan.deletes {
        delete(&mut dirs, root, out_dir, path)?;
    }
    Ok(())
}

/// Removes the generated file `path`, then the directories it leaves empty, up to (not
/// including) `out_dir`, so a removed service leaves no empty crate directory behind for the
/// workspace glob.
fn delete(dirs: &mut Dirs, root: &Path, out_dir: &Path, path: &Path) -> Result<(), WriteError> {
    dirs.remove_file(path, &root.join(path))?;
    let mut emptied = parent(path);
    while emptied != out_dir && emptied.starts_with(out_dir) && dirs.remove_if_empty(emptied)? {
        emptied = parent(emptied);
    }
    Ok(())
}

/// Fails when `root/relative` or a directory on the way to it is a symbolic link.
fn refuse_links_along(root: &Path, relative: &Path) -> Result<(), WriteError> {
    let mut dir = root.to_path_buf();
    for part in relative.components() {
        dir.push(part);
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(WriteError::Symlinks(vec![dir]));
        }
    }
    Ok(())
}

/// Every generated file under `root/out_dir`, relative to `root`, found
/// without following a symbolic link; fails on links and foreign files.
fn scan(root: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    refuse_links_along(root, out_dir)?;
    let (mut generated, mut foreign, mut links) = (Vec::new(), Vec::new(), Vec::new());
    let mut stack = vec![out_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let full_dir = root.join(&dir);
        let entries = match std::fs::read_dir(&full_dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(WriteError::Io(full_dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| WriteError::Io(full_dir.clone(), e))?;
            let relative = dir.join(entry.file_name());
            let kind = entry
                .file_type()
                .map_err(|e| WriteError::Io(entry.path(), e))?;
            if kind.is_symlink() {
                links.push(relative);
            } else if kind.is_dir() {
                stack.push(relative);
            } else if kind.is_file() && starts_with_header(&entry.path())? {
                generated.push(relative);
            } else {
                foreign.push(relative);
            }
        }
    }
    if !links.is_empty() {
        links.sort();
        return Err(WriteError::Symlinks(links));
    }
    if !foreign.is_empty() {
        foreign.sort();
        return Err(WriteError::Foreign(foreign));
    }
    generated.sort_by(|a, b| files::path_order(a, b));
    Ok(generated)
}

fn starts_with_header(path: &Path) -> Result<bool, WriteError> {
    match header_probe(path) {
        Ok(text) => Ok(is_generated(&text)),
        Err(WriteError::Io(path, e)) => Err(WriteError::Io(path, e)),
        Err(_) => Ok(false),
    }
}

/// The first [`HEADER_PROBE`] bytes of the regular file at `path`, as text.
fn header_probe(path: &Path) -> Result<String, WriteError> {
    let file = files::open_regular(path).map_err(|e| open_error(path, e))?;
    let mut probe = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, HEADER_PROBE), &mut probe)
        .map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
    Ok(String::from_utf8_lossy(&probe).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch directory for one test, removed when it is dropped.
    fn scratch(name: &str) -> tempfile::TempDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("truebind-write-{name}-"))
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join("generated/svc/src")).unwrap();
        dir
    }

    fn out() -> &'static Path {
        Path::new("generated")
    }

    fn file(path: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: format!("{HEADER}spec/svc/ — do not edit by hand.\n{body}"),
        }
    }

    #[test]
    fn refuses_to_overwrite_a_file_it_did_not_generate() {
        let scratch = scratch("handwritten");
        let root = scratch.path().to_path_buf();
        std::fs::write(root.join("generated/svc/src/lib.rs"), "// mine\n").unwrap();
        let err = plan(&root, out(), vec![file("generated/svc/src/lib.rs", "x")]).unwrap_err();
        assert!(
            matches!(&err, WriteError::Foreign(p) if p == &[PathBuf::from("generated/svc/src/lib.rs")]),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("generated/svc/src/lib.rs")).unwrap(),
            "// mine\n"
        );
    }

    #[test]
    fn writes_changes_and_deletes_stale_generated_files() {
        let scratch = scratch("stale");
        let root = scratch.path().to_path_buf();
        let stale = file("generated/svc/src/old.rs", "old");
        std::fs::write(root.join(&stale.path), &stale.contents).unwrap();
        let wanted = vec![file("generated/svc/src/lib.rs", "new")];
        let p = plan(&root, out(), wanted.clone()).unwrap();
        assert_eq!(p.writes, wanted);
        assert_eq!(p.deletes, vec![PathBuf::from("generated/svc/src/old.rs")]);
        apply(&root, out(), &p).unwrap();
        assert!(!root.join("generated/svc/src/old.rs").exists());
        assert!(
            plan(&root, out(), wanted).unwrap().is_empty(),
            "a second run has nothing to do"
        );
        let leftovers: Vec<_> = std::fs::read_dir(root.join("generated/svc/src"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["lib.rs"], "no temporary file is left behind");
    }

    #[test]
    fn stale_files_of_another_spec_root_are_spared_and_named() {
        let scratch = scratch("spared");
        let root = scratch.path().to_path_buf();
        let from = |path: &str, source: &str| GeneratedFile {
            path: PathBuf::from(path),
            contents: format!("{HEADER}{source}/ — do not edit by hand.\nx"),
        };
        let on_disk = [
            from("generated/svc/src/old.rs", "mine/svc"),
            from("generated/gone/src/lib.rs", "mine/gone"),
            from("generated/other/src/lib.rs", "theirs/other"),
            from("generated/near/src/lib.rs", "mine-too/near"),
        ];
        for file in &on_disk {
            std::fs::create_dir_all(root.join(&file.path).parent().unwrap()).unwrap();
            std::fs::write(root.join(&file.path), &file.contents).unwrap();
        }
        let wanted = vec![from("generated/svc/src/lib.rs", "mine/svc")];
        let mut p = plan(&root, out(), wanted).unwrap();
        assert_eq!(p.deletes.len(), 4);
        let spared = p.spare_other_sources(&root, Path::new("mine")).unwrap();
        let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(
            spared,
            paths(&["generated/near/src/lib.rs", "generated/other/src/lib.rs"])
        );
        assert_eq!(
            p.deletes,
            paths(&["generated/gone/src/lib.rs", "generated/svc/src/old.rs"])
        );
    }

    #[test]
    fn every_file_the_generator_did_not_produce_is_reported() {
        let scratch = scratch("foreign");
        let root = scratch.path().to_path_buf();
        let lib = file("generated/svc/src/lib.rs", "x");
        std::fs::write(root.join(&lib.path), &lib.contents).unwrap();
        std::fs::write(root.join("generated/svc/build.rs"), "fn main() {}").unwrap();
        std::fs::write(root.join("generated/svc/NOTES.md"), "hand-written").unwrap();
        let err = plan(&root, out(), vec![lib]).unwrap_err();
        let expected = ["generated/svc/NOTES.md", "generated/svc/build.rs"].map(PathBuf::from);
        assert!(
            matches!(&err, WriteError::Foreign(p) if p == &expected),
            "{err}"
        );
        assert!(err.to_string().contains("generated/svc/build.rs"), "{err}");
    }

    #[test]
    fn removing_a_service_leaves_no_empty_directories() {
        let scratch = scratch("removed");
        let root = scratch.path().to_path_buf();
        let gone = file("generated/svc/src/lib.rs", "x");
        std::fs::write(root.join(&gone.path), &gone.contents).unwrap();
        let p = plan(&root, out(), Vec::new()).unwrap();
        apply(&root, out(), &p).unwrap();
        assert!(!root.join("generated/svc").exists());
        assert!(root.join("generated").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_file_link_is_never_written_through() {
        let scratch = scratch("tmp-link");
        let root = scratch.path().to_path_buf();
        let victim = root.join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        // lib.rs exists, so it is replaced through a temporary name; links at the
        // writer's first two temporary names for it.
        let src = root.join("generated/svc/src");
        std::fs::write(
            src.join("lib.rs"),
            file("generated/svc/src/lib.rs", "old").contents,
        )
        .unwrap();
        for temp in [".lib.rs.tmp-codegen", ".lib.rs.1.tmp-codegen"] {
            std::os::unix::fs::symlink(&victim, src.join(temp)).unwrap();
        }
        let wanted = file("generated/svc/src/lib.rs", "x");
        let err = plan(&root, out(), vec![wanted.clone()]).unwrap_err();
        assert!(matches!(&err, WriteError::Symlinks(_)), "{err}");
        // Even a plan made before the links appeared does not write through them.
        let p = Plan {
            writes: vec![wanted.clone()],
            deletes: Vec::new(),
        };
        apply(&root, out(), &p).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(
            std::fs::read_to_string(root.join(&wanted.path)).unwrap(),
            wanted.contents
        );
        assert!(src.join(".lib.rs.1.tmp-codegen").is_symlink());
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_new_file_is_written_without_a_temporary_name() {
        let scratch = scratch("unnamed");
        let root = scratch.path().to_path_buf();
        let src = root.join("generated/svc/src");
        // Every temporary name for lib.rs is taken: replacing a file would fail, but a new
        // file is written unnamed and linked in, and leaves nothing else behind.
        let mut taken = vec![".lib.rs.tmp-codegen".to_owned()];
        taken.extend((1..16).map(|n| format!(".lib.rs.{n}.tmp-codegen")));
        for temp in &taken {
            std::fs::write(src.join(temp), "someone's").unwrap();
        }
        let wanted = file("generated/svc/src/lib.rs", "x");
        let p = Plan {
            writes: vec![wanted.clone()],
            deletes: Vec::new(),
        };
        apply(&root, out(), &p).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join(&wanted.path)).unwrap(),
            wanted.contents
        );
        let mut names: Vec<String> = std::fs::read_dir(&src)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        taken.push("lib.rs".to_owned());
        taken.sort();
        assert_eq!(names, taken);
        assert_eq!(
            std::fs::read_to_string(src.join(&taken[0])).unwrap(),
            "someone's"
        );
    }

    #[cfg(unix)]
    #[test]
    fn new_files_and_directories_get_the_usual_modes() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = scratch("modes");
        let root = scratch.path().to_path_buf();
        let wanted = file("generated/svc/tests/fresh/new.rs", "x");
        let p = plan(&root, out(), vec![wanted.clone()]).unwrap();
        apply(&root, out(), &p).unwrap();
        // What `std::fs` gives a new file and directory under this process's umask.
        std::fs::write(root.join("probe"), "").unwrap();
        std::fs::create_dir(root.join("probe-dir")).unwrap();
        let mode = |path: &Path| {
            std::fs::metadata(root.join(path))
                .unwrap()
                .permissions()
                .mode()
        };
        assert_eq!(mode(&wanted.path), mode(Path::new("probe")));
        assert_eq!(
            mode(Path::new("generated/svc/tests/fresh")),
            mode(Path::new("probe-dir"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn directory_links_are_refused_and_nothing_outside_is_deleted() {
        let scratch = scratch("dir-link");
        let root = scratch.path().to_path_buf();
        let outside = file("generated/svc/Cargo.toml", "[workspace]");
        std::fs::create_dir_all(root.join("elsewhere/generated/svc")).unwrap();
        std::fs::write(
            root.join("elsewhere").join(&outside.path),
            &outside.contents,
        )
        .unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("generated/svc/up")).unwrap();
        let err = plan(&root, out(), Vec::new()).unwrap_err();
        assert!(
            matches!(&err, WriteError::Symlinks(p) if p == &[PathBuf::from("generated/svc/up")]),
            "{err}"
        );
        let p = Plan {
            writes: vec![file("generated/svc/up/generated/svc/x.rs", "x")],
            deletes: vec![PathBuf::from("generated/svc/up/generated/svc/Cargo.toml")],
        };
        assert!(matches!(
            apply(&root, out(), &p),
            Err(WriteError::Symlinks(_))
        ));
        assert!(root.join("elsewhere/generated/svc/Cargo.toml").exists());
        assert!(!root.join("elsewhere/generated/svc/up").exists());
        let escape = Plan {
            writes: Vec::new(),
            deletes: vec![PathBuf::from("generated/../Cargo.toml")],
        };
        assert!(matches!(
            apply(&root, out(), &escape),
            Err(WriteError::Outside(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_directory_is_refused() {
        let scratch = scratch("linked-out");
        let root = scratch.path().to_path_buf();
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("linked")).unwrap();
        let err = plan(&root, Path::new("linked"), Vec::new()).unwrap_err();
        assert!(matches!(&err, WriteError::Symlinks(_)), "{err}");
    }
}
