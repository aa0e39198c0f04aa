//! truebind-diff: what changed between two specs, and whom it breaks.
//!
//! A YAML text diff cannot say that swapping two required parameters reorders `new(…)`'s
//! arguments, or that tightening a response limit is harmless while tightening a request
//! limit is not. So both sides go through the generator's own loader and validator
//! ([`load_spec`]) and the validated IR is compared ([`compare`]): one evaluator per family
//! of change classes (`eval/`), each finding a [`ChangeId`] on a [`Side`], graded by one
//! table ([`ChangeId::grade`]) at two levels, the wire and the generated Rust API
//! (oasdiff's direction-aware checks, buf's wire vs generated-code levels). The API
//! changes give each crate a semver bump ([`bump`]); acknowledgements ([`ack`]) accept
//! known changes with a reason; [`render`] writes text, JSON or a CHANGELOG entry.
#![deny(missing_docs)]

pub mod ack;
pub mod bump;
pub mod change;
mod eval;
pub mod render;

use std::path::{Path, PathBuf};

pub use change::{Bump, Change, ChangeId, Level, Severity, Side};
use truebind_codegen::ir::Service;

/// Which side of a comparison a spec is, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The spec compared from.
    Old,
    /// The spec compared to.
    New,
}

impl std::fmt::Display for Which {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Which::Old => "old",
            Which::New => "new",
        })
    }
}

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One side's spec does not load or validate.
    #[error("the {which} spec ({}) is not valid:\n{message}", root.display())]
    Spec {
        /// Which side.
        which: Which,
        /// Its spec root.
        root: PathBuf,
        /// The generator's diagnostics.
        message: String,
    },
    /// An acknowledgements file is unreadable or malformed.
    #[error("{}: {message}", path.display())]
    Ack {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// One side of a comparison: the validated services of a spec root, sorted by crate name.
#[derive(Debug)]
pub struct Spec {
    /// The spec root the services were read from.
    pub root: PathBuf,
    /// Validated services.
    pub services: Vec<Service>,
}

/// Loads and validates every service under `root`, as `cargo xtask codegen` would; any
/// problem is an [`Error::Spec`] naming `which` side it is.
pub fn load_spec(root: &Path, which: Which) -> Result<Spec, Error> {
    let fail = |message: String| Error::Spec {
        which,
        root: root.to_path_buf(),
        message,
    };
    let dirs = truebind_codegen::load::service_dirs(root)
        .map_err(|e| fail(format!("cannot list spec directories: {e}")))?;
    let mut services = Vec::new();
    for dir in dirs {
        let service = truebind_codegen::load::load_service(&dir)
            .and_then(|loaded| truebind_codegen::validate::validate(&loaded))
            .map_err(|e| fail(e.to_string()))?;
        services.push(service);
    }
    services.sort_by(|a, b| a.crate_name.cmp(&b.crate_name));
    Ok(Spec {
        root: root.to_path_buf(),
        services,
    })
}

/// The result of a comparison.
#[derive(Debug)]
pub struct Report {
    /// Every change, sorted by [`Change::sort_key`]; accepted ones carry their reason.
    pub changes: Vec<Change>,
    /// The suggested bump of every crate present on both sides.
    pub crates: Vec<bump::CrateBump>,
    /// Acknowledgements that matched no change: the change they accepted is gone.
    pub stale_acks: Vec<ack::Ack>,
}

/// What `--fail-on` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any unacknowledged breaking change, at either level.
    Breaking,
    /// Any unacknowledged change.
    Any,
}

impl Report {
    /// The unacknowledged changes `fail_on` counts.
    pub fn failures(&self, fail_on: FailOn) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| {
            c.acknowledged.is_none() && (fail_on == FailOn::Any || c.severity == Severity::Breaking)
        })
    }
}

/// Compares `old` with `new`; `acks` (see [`ack::load`]) mark accepted changes.
pub fn compare(old: &Spec, new: &Spec, acks: &[ack::Ack]) -> Report {
    let mut changes = eval::services(&old.services, &new.services);
    let crates = bump::crate_bumps(&old.services, &new.services, &changes);
    changes.extend(bump::version_checks(&crates));
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    changes.dedup();
    let stale_acks = ack::apply(acks, &mut changes);
    Report {
        changes,
        crates,
        stale_acks,
    }
}
