//! Writing imported files: YAML through serde-saphyr, a header that marks the
//! file as the importer's, and a refusal to overwrite anything without it.
//!
//! Hand-written spec files carry curation the importer cannot reproduce, so
//! a planned write over a file that lacks the header aborts the whole import
//! before anything is written.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use truebind_codegen::files;

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

/// Plans `value` as the file at `path` under the header naming `source`, after a
/// reference to the spec schema of the file's kind (`spec/schema/`, beside the
/// service directory), as every spec file starts.
pub fn plan<T: Serialize>(value: &T, path: PathBuf, source: &str) -> Result<Planned, crate::Error> {
    let schema = match path.file_name().and_then(|n| n.to_str()) {
        Some("service.yaml") => "../schema/service.schema.json",
        Some("types.yaml") => "../schema/types.schema.json",
        _ => "../../schema/action.schema.json",
    };
    let mut p = render_with_schema(value, source, schema)
        .map_err(|e| crate::Error::Yaml(path.clone(), e.to_string()))?;
    p.path = path;
    Ok(p)
}

/// First line of an imported file that names its JSON Schema (for YAML editors;
/// the spec's tests require it); the importer's header follows it.
pub const SCHEMA_PREFIX: &str = "# yaml-language-server: $schema=";

/// [`render`] with a schema reference (`schema`, relative to the file) as the first line.
pub fn render_with_schema<T: Serialize>(
    value: &T,
    source: &str,
    schema: &str,
) -> Result<Planned, serde_saphyr::SerializeError> {
    let mut planned = render(value, source)?;
    planned.contents = format!("{SCHEMA_PREFIX}{schema}\n{}", planned.contents);
    Ok(planned)
}

/// Longest schema line [`is_ours`] reads past to find the header.
const MAX_SCHEMA_LINE: usize = 200;

/// Whether the file at `path` may be replaced: absent, or a regular file
/// written by the importer. A link, directory or device is never the
/// importer's (and is not followed or read); only the header is read.
pub fn is_ours(path: &Path) -> std::io::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
        Ok(meta) if !meta.file_type().is_file() => return Ok(false),
        Ok(_) => {}
    }
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take((MAX_SCHEMA_LINE + MARKER.len()) as u64)
        .read_to_end(&mut head)?;
    let after_schema = head
        .strip_prefix(SCHEMA_PREFIX.as_bytes())
        .and_then(|rest| {
            rest.iter()
                .position(|b| *b == b'\n')
                .map(|n| &rest[n + 1..])
        });
    Ok(after_schema.unwrap_or(&head).starts_with(MARKER.as_bytes()))
}

/// Whether the file at `p.path` already holds `p.contents` (read no further than that).
fn unchanged(p: &Planned) -> bool {
    files::open_regular(&p.path)
        .ok()
        .and_then(|file| files::read_at_most(&file, p.contents.len() as u64).ok())
        .flatten()
        .is_some_and(|old| old == p.contents.as_bytes())
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

/// Writes every file (a temporary file created new in the same directory,
/// then renamed, so a reader never sees half a file and no planted link is
/// written through);
/// returns the paths whose contents changed.
pub fn apply(plan: &[Planned]) -> std::io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for p in plan {
        if unchanged(p) {
            continue;
        }
        if let Some(dir) = p.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let dir = p.path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".importing-")
            .tempfile_in(dir)?;
        tmp.write_all(p.contents.as_bytes())?;
        tmp.persist(&p.path).map_err(|e| e.error)?;
        changed.push(p.path.clone());
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_never_ours_and_its_target_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.yaml");
        std::fs::write(&target, format!("{MARKER} x`\nsecret: kept\n")).unwrap();
        let link = dir.path().join("Linked.yaml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(
            !is_ours(&link).unwrap(),
            "a link to an imported file is still a link"
        );
        let plan = [Planned {
            path: link.clone(),
            contents: "x".into(),
        }];
        assert_eq!(foreign(&plan).unwrap(), vec![link]);
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .contains("secret: kept")
        );
    }

    #[test]
    fn the_header_may_follow_a_schema_line_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            is_ours(&path).unwrap()
        };
        let planned = render_with_schema(&1, "x", "../schema/types.schema.json").unwrap();
        assert!(file("schema.yaml", &planned.contents));
        assert!(!file(
            "hand.yaml",
            &format!("{SCHEMA_PREFIX}x.json\nname: A\n{MARKER}\n")
        ));
        assert!(!file("other.yaml", &format!("# a comment\n{MARKER}\n")));
    }

    #[test]
    fn writes_leave_no_temporary_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("actions/A.yaml");
        let plan = [Planned {
            path: path.clone(),
            contents: format!("{MARKER} x`\n"),
        }];
        assert_eq!(apply(&plan).unwrap(), vec![path.clone()]);
        assert!(is_ours(&path).unwrap());
        let names: Vec<_> = std::fs::read_dir(dir.path().join("actions"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("A.yaml")]);
    }
}
