//! truebind-importer: vendor API documentation → spec facts.
//!
//! Writing ~55 lines of YAML per action by eye does not scale to a 394-action
//! API, and nothing could re-read the docs later. The importer makes the
//! vendor's docs the input: [`alibaba`] reads Alibaba's OpenAPI metadata,
//! [`zenlayer`] Zenlayer's docs pages (several renderings of each merged),
//! and each writes a service directory that `truebind-codegen` loads. It
//! records facts only — wire names, types, flags, limits, error rows — and
//! builds the prose the spec needs from those facts; the vendor's sentences
//! never reach a file. Hand-written content lives in
//! [`curation`] files that the importer reads and never writes, so an import
//! can be repeated at any time ([`write`](mod@write) refuses to overwrite a file it did
//! not write).
#![deny(missing_docs)]

pub mod alibaba;
pub mod curation;
pub mod spec;
pub mod write;
pub mod zenlayer;

use std::path::{Path, PathBuf};

use truebind_codegen::files::{self, OpenError};

/// Reads a file the importer does not trust (vendor metadata, a docs page, curation) as the
/// generator reads spec files: a regular file only (never a FIFO, a device or a symbolic
/// link, which could block or never end), and at most `limit` bytes. `what` names the file
/// in the error; a missing file is `Ok(None)`.
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Option<Vec<u8>>, Error> {
    let file = match files::open_regular(path) {
        Ok(file) => file,
        Err(OpenError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(OpenError::Io(e)) => return Err(Error::Io(path.to_path_buf(), e)),
        Err(e) => {
            return Err(Error::Input(format!(
                "{}: cannot read {what}: {e}",
                path.display()
            )));
        }
    };
    match files::read_at_most(&file, limit) {
        Ok(Some(bytes)) => Ok(Some(bytes)),
        Ok(None) => Err(Error::Input(format!(
            "{}: more than the {limit} bytes {what} may have",
            path.display()
        ))),
        Err(e) => Err(Error::Io(path.to_path_buf(), e)),
    }
}

/// Where an import's facts came from, for messages that must name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Alibaba's OpenAPI metadata.
    Metadata,
    /// Zenlayer's docs pages.
    Pages,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::Metadata => "the vendor's API metadata",
            Source::Pages => "the vendor's docs pages",
        })
    }
}

/// Why an import stopped; nothing is written when any of these occurs.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
    /// The metadata or a curation file is malformed.
    #[error("{0}")]
    Input(String),
    /// `--action` / `--directory` name something the metadata lacks.
    #[error("cannot select the actions to import:\n  {}", .0.join("\n  "))]
    Selection(Vec<String>),
    /// Curation or fixups that no longer match a fact of the source.
    #[error("curation no longer matches {} (update or remove these entries):\n  {}", .0, .1.join("\n  "))]
    Stale(Source, Vec<String>),
    /// Files the import would overwrite that it did not write.
    #[error(
        "refusing to overwrite hand-written spec files (move their curation into curation/ first):\n  {}",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("\n  ")
    )]
    HandWritten(Vec<PathBuf>),
    /// Serializing a spec file failed.
    #[error("{}: cannot write YAML: {}", .0.display(), .1)]
    Yaml(PathBuf, String),
}
