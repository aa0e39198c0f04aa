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

use std::path::PathBuf;

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
    /// Curation or fixups that no longer match a fact.
    #[error("curation no longer matches the metadata (update or remove these entries):\n  {}", .0.join("\n  "))]
    Stale(Vec<String>),
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
