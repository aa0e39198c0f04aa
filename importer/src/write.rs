//! Writing imported files: YAML through serde-saphyr, a header that marks the
//! file as the importer's, and a refusal to overwrite anything without it.
//!
//! Hand-written spec files carry curation the importer cannot reproduce, so
//! a planned write over a file that lacks the header aborts the whole import
//! before anything is written.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// First line of every file the importer writes.
pub const MARKER: &str = "# @imported by `cargo xtask import";

/// One file to write.
#[derive(Debug)]
pub struct Planned {
    /// Where.
    pub path: PathBuf,
    /// Full contents, header included.
    pub contents: String,
}

/// Serializes `value` under the importer's header.
pub fn render<T: Serialize>(
    value: &T,
    source: &str,
) -> Result<Planned, serde_saphyr::SerializeError> {
    let body = serde_saphyr::to_string(value)?;
    let contents = format!(
        "{MARKER} {source}`: vendor facts only.\n\
         # Do not edit: curate in the service's curation/ directory (ARCHITECTURE.md, \"Curation\"),\n\
         # then import again.\n{body}"
    );
    Ok(Planned {
        path: PathBuf::new(),
        contents,
    })
}

/// Whether the file at `path` may be replaced: absent, or written by the importer.
pub fn is_ours(path: &Path) -> std::io::Result<bool> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.starts_with(MARKER)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Paths of `plan` that hold files the importer did not write.
pub fn foreign(plan: &[Planned]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in plan {
        if !is_ours(&p.path)? {
            out.push(p.path.clone());
        }
    }
    Ok(out)
}

/// Writes every file (temp file + rename, so a reader never sees half a file);
/// returns the paths whose contents changed.
pub fn apply(plan: &[Planned]) -> std::io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for p in plan {
        if std::fs::read_to_string(&p.path).is_ok_and(|old| old == p.contents) {
            continue;
        }
        if let Some(dir) = p.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = p.path.with_extension("yaml.importing");
        std::fs::write(&tmp, &p.contents)?;
        std::fs::rename(&tmp, &p.path)?;
        changed.push(p.path.clone());
    }
    Ok(changed)
}
