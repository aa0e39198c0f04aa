//! Where the workspace is, for the tests that read `spec/`, `generated/`,
//! the fixtures or the manifest from it.

use std::path::Path;

/// The workspace root (this package is its `tests/` member).
pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}
