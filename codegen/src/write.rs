//! Putting generated files on disk, or checking that disk already matches.
//!
//! The writer owns only files whose first line is the generated header: it
//! overwrites and deletes those, and refuses to touch anything else. A run
//! first plans every change, then applies it; each file is written to a
//! temporary file and renamed into place, so an interrupted run never leaves a
//! half-written file. Check mode plans and reports, and writes nothing.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::emit::{GeneratedFile, HEADER, TOML_HEADER};

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
        paths.sort();
        paths
    }
}

/// Why files could not be planned or written.
#[derive(Debug)]
pub enum WriteError {
    /// A file the generator would write exists and was not generated.
    NotGenerated(PathBuf),
    /// The file system failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotGenerated(p) => write!(
                f,
                "{} exists and was not generated (its first line is not the generated header); \
                 refusing to overwrite it. Move it elsewhere, or rename the action that produces it.",
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
    text.starts_with(HEADER) || text.starts_with(TOML_HEADER) || text.starts_with(&json_marker)
}

/// Compares `files` with what is under `root/out_dir` and lists the differences.
pub fn plan(root: &Path, out_dir: &Path, files: Vec<GeneratedFile>) -> Result<Plan, WriteError> {
    let mut plan = Plan::default();
    for file in &files {
        let full = root.join(&file.path);
        match std::fs::read(&full) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(bytes) if !is_generated(&String::from_utf8_lossy(&bytes)) => {
                return Err(WriteError::NotGenerated(file.path.clone()));
            }
            Ok(_) => plan.writes.push(file.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.writes.push(file.clone()),
            Err(e) => return Err(WriteError::Io(full, e)),
        }
    }
    let wanted: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    for existing in generated_files_on_disk(root, out_dir)? {
        if !wanted.contains(&existing.as_path()) {
            plan.deletes.push(existing);
        }
    }
    Ok(plan)
}

/// Applies a plan: atomic writes, then deletions of stale generated files
/// (and of directories under `root/out_dir` they leave empty).
pub fn apply(root: &Path, out_dir: &Path, plan: &Plan) -> Result<(), WriteError> {
    for file in &plan.writes {
        let full = root.join(&file.path);
        let io = |e| WriteError::Io(full.clone(), e);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = full.with_extension("tmp-codegen");
        std::fs::write(&tmp, &file.contents).map_err(io)?;
        std::fs::rename(&tmp, &full).map_err(io)?;
    }
    for path in &plan.deletes {
        let full = root.join(path);
        std::fs::remove_file(&full).map_err(|e| WriteError::Io(full.clone(), e))?;
        remove_empty_parents(&root.join(out_dir), &full);
    }
    Ok(())
}

/// Removes directories emptied by a deletion, up to (not including) `stop`,
/// so a removed service leaves no empty crate directory behind for the workspace glob.
fn remove_empty_parents(stop: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == stop || !d.starts_with(stop) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Every file under `root/out_dir` carrying the generated header, relative to `root`.
fn generated_files_on_disk(root: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut found = Vec::new();
    let mut stack = vec![root.join(out_dir)];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(WriteError::Io(dir, e)),
        };
        for entry in entries {
            let path = entry.map_err(|e| WriteError::Io(dir.clone(), e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|t| is_generated(&t))
                && let Ok(relative) = path.strip_prefix(root)
            {
                found.push(relative.to_path_buf());
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("truebind-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("generated/svc/src")).unwrap();
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
        let root = scratch("handwritten");
        std::fs::write(root.join("generated/svc/src/lib.rs"), "// mine\n").unwrap();
        let err = plan(&root, out(), vec![file("generated/svc/src/lib.rs", "x")]).unwrap_err();
        assert!(matches!(err, WriteError::NotGenerated(p) if p.ends_with("lib.rs")));
        assert_eq!(
            std::fs::read_to_string(root.join("generated/svc/src/lib.rs")).unwrap(),
            "// mine\n"
        );
    }

    #[test]
    fn writes_changes_deletes_stale_generated_files_and_keeps_hand_written_ones() {
        let root = scratch("stale");
        let stale = file("generated/svc/src/old.rs", "old");
        std::fs::write(root.join(&stale.path), &stale.contents).unwrap();
        std::fs::write(root.join("generated/svc/NOTES.md"), "hand-written").unwrap();
        let wanted = vec![file("generated/svc/src/lib.rs", "new")];
        let p = plan(&root, out(), wanted.clone()).unwrap();
        assert_eq!(p.writes, wanted);
        assert_eq!(p.deletes, vec![PathBuf::from("generated/svc/src/old.rs")]);
        apply(&root, out(), &p).unwrap();
        assert!(!root.join("generated/svc/src/old.rs").exists());
        assert!(root.join("generated/svc/NOTES.md").exists());
        assert!(
            plan(&root, out(), wanted).unwrap().is_empty(),
            "a second run has nothing to do"
        );
    }

    #[test]
    fn removing_a_service_leaves_no_empty_directories() {
        let root = scratch("removed");
        let gone = file("generated/svc/src/lib.rs", "x");
        std::fs::write(root.join(&gone.path), &gone.contents).unwrap();
        let p = plan(&root, out(), Vec::new()).unwrap();
        apply(&root, out(), &p).unwrap();
        assert!(!root.join("generated/svc").exists());
        assert!(root.join("generated").exists());
    }
}
