//! Acknowledgements: changes accepted on purpose, each with a reason.
//!
//! They live beside the importer's curation, which the generator's loader does not read,
//! so the spec itself stays as it is: `<service>/curation/accepted-changes.yaml` for
//! `diff` (read from the new spec) and `<service>/curation/accepted-drift.yaml` for `drift`
//! (differences between the spec and a fresh import that are meant to stay). An
//! accepted change is still reported (with its reason) and still counts for the version
//! bump, but no longer fails `--fail-on`. An acknowledgement that matches nothing is
//! reported as stale: the change it accepted is gone, so it should be deleted.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::change::{Change, ChangeId};
use crate::{Error, Spec};

/// Which comparison acknowledgements are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `diff OLD NEW`: changes between two versions of the spec.
    Diff,
    /// `drift`: differences between the spec and the vendor's current docs.
    Drift,
}

impl Kind {
    /// Where a service keeps these acknowledgements, relative to its spec directory.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Diff => "curation/accepted-changes.yaml",
            Kind::Drift => "curation/accepted-drift.yaml",
        }
    }
}

/// An acknowledgements file is small; larger ones are refused.
const MAX_BYTES: u64 = 1 << 20;

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ack {
    /// The crate of the service whose file holds it.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The change class accepted.
    pub id: ChangeId,
    /// Only changes in this action (any when absent).
    pub action: Option<String>,
    /// Only changes at this field path (any when absent).
    pub field: Option<String>,
    /// Why it is accepted.
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AckFile {
    accepted: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    action: Option<String>,
    field: Option<String>,
    reason: String,
}

/// The acknowledgements of `kind` of every service of `spec`.
pub fn load(spec: &Spec, kind: Kind) -> Result<Vec<Ack>, Error> {
    let mut acks = Vec::new();
    for service in &spec.services {
        let path = spec.root.join(&service.dir).join(kind.file());
        let Some(text) = read(&path)? else { continue };
        let fail = |message: String| Error::Ack {
            path: path.clone(),
            message,
        };
        let file: AckFile = serde_saphyr::from_str(&text).map_err(|e| fail(e.to_string()))?;
        for entry in file.accepted {
            let id = ChangeId::parse(&entry.id)
                .ok_or_else(|| fail(format!("`{}` is not a change id", entry.id)))?;
            if entry.reason.trim().is_empty() {
                return Err(fail(format!(
                    "the acknowledgement of `{}` needs a reason",
                    entry.id
                )));
            }
            acks.push(Ack {
                crate_name: service.crate_name.clone(),
                id,
                action: entry.action,
                field: entry.field,
                reason: entry.reason,
            });
        }
    }
    Ok(acks)
}

/// The file's text; none when there is no file. Only a regular file is read (never through
/// a link), and never more than [`MAX_BYTES`].
fn read(path: &Path) -> Result<Option<String>, Error> {
    let fail = |message: String| Error::Ack {
        path: PathBuf::from(path),
        message,
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(e.to_string())),
    };
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| fail(e.to_string()))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(fail(format!(
            "more than the {MAX_BYTES} bytes an acknowledgements file may have"
        )));
    }
    Ok(Some(text))
}

impl Ack {
    fn matches(&self, change: &Change) -> bool {
        let fits = |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
        self.crate_name == change.crate_name
            && self.id == change.id
            && fits(&self.action, &change.action)
            && fits(&self.field, &change.field)
    }
}

/// Marks the changes `acks` accept; returns the acknowledgements that matched none.
pub(crate) fn apply(acks: &[Ack], changes: &mut [Change]) -> Vec<Ack> {
    let mut stale = Vec::new();
    for ack in acks {
        let mut used = false;
        for change in changes.iter_mut().filter(|c| ack.matches(c)) {
            change
                .acknowledged
                .get_or_insert_with(|| ack.reason.clone());
            used = true;
        }
        if !used {
            stale.push(ack.clone());
        }
    }
    stale
}
