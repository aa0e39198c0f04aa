//! The semver bump each generated crate needs, and whether its `service.yaml` `version`
//! carries it.
//!
//! The bump of a crate is the largest bump of its API-level changes (as
//! cargo-semver-checks would judge the generated code). Versions below 1.0 follow Cargo's
//! rule that the first non-zero part is the major one: for `0.y.z` a major bump makes
//! `0.(y+1).0` and a minor or patch bump `0.y.(z+1)`; for `0.0.z` every bump makes
//! `0.0.(z+1)`.

use semver::Version;
use serde::Serialize;
use truebind_codegen::ir::Service;

use crate::change::{Bump, Change, ChangeId, Level, Severity, Side};

/// The suggested release of one crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrateBump {
    /// The crate.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// `version` in the old spec (none: unpublished).
    pub old_version: Option<String>,
    /// `version` in the new spec.
    pub new_version: Option<String>,
    /// The largest bump its changes need.
    pub bump: Bump,
    /// The old version with that bump applied.
    pub suggested: Option<String>,
}

/// `version` bumped by `bump` (see the module docs for 0.x).
pub fn next_version(version: &Version, bump: Bump) -> Version {
    let (major, minor, patch) = (version.major, version.minor, version.patch);
    let (major, minor, patch) = match (bump, major, minor) {
        (Bump::None, ..) => (major, minor, patch),
        (_, 0, 0) => (0, 0, patch + 1),
        (Bump::Major, 0, _) => (0, minor + 1, 0),
        (_, 0, _) => (0, minor, patch + 1),
        (Bump::Major, ..) => (major + 1, 0, 0),
        (Bump::Minor, ..) => (major, minor + 1, 0),
        (Bump::Patch, ..) => (major, minor, patch + 1),
    };
    Version::new(major, minor, patch)
}

/// The bump of every crate present on both sides.
pub(crate) fn crate_bumps(old: &[Service], new: &[Service], changes: &[Change]) -> Vec<CrateBump> {
    let mut out = Vec::new();
    for o in old {
        let Some(n) = new.iter().find(|n| n.crate_name == o.crate_name) else {
            continue;
        };
        let bump = changes
            .iter()
            .filter(|c| c.crate_name == o.crate_name && c.level == Level::Api)
            .map(|c| c.bump)
            .max()
            .unwrap_or(Bump::None);
        let suggested = o
            .version
            .as_deref()
            .and_then(|v| Version::parse(v).ok())
            .map(|v| next_version(&v, bump).to_string());
        out.push(CrateBump {
            crate_name: o.crate_name.clone(),
            old_version: o.version.clone(),
            new_version: n.version.clone(),
            bump,
            suggested,
        });
    }
    out
}

/// A `version-not-bumped` change for each published crate whose new `version` is below the
/// suggested one.
pub(crate) fn version_checks(crates: &[CrateBump]) -> Vec<Change> {
    let mut out = Vec::new();
    for c in crates {
        let parse = |v: &Option<String>| v.as_deref().and_then(|v| Version::parse(v).ok());
        let (Some(needed), Some(new)) = (parse(&c.suggested), parse(&c.new_version)) else {
            continue;
        };
        if new >= needed {
            continue;
        }
        let old = c.old_version.clone().unwrap_or_default();
        out.push(Change {
            id: ChangeId::VersionNotBumped,
            crate_name: c.crate_name.clone(),
            action: None,
            field: Some("service.version".into()),
            level: Level::Api,
            severity: Severity::Warning,
            side: Side::None,
            bump: Bump::None,
            message: format!(
                "`version` is {new} but these changes need a {} bump from {old}: at least {needed}",
                c.bump.as_str()
            ),
            detail: [
                ("old", old),
                ("new", new.to_string()),
                ("needed", needed.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            acknowledged: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_versions_bump_as_cargo_reads_them() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(next_version(&v("0.1.0"), Bump::Major), v("0.2.0"));
        assert_eq!(next_version(&v("0.1.0"), Bump::Minor), v("0.1.1"));
        assert_eq!(next_version(&v("0.1.3"), Bump::Patch), v("0.1.4"));
        assert_eq!(next_version(&v("0.0.3"), Bump::Major), v("0.0.4"));
        assert_eq!(next_version(&v("1.2.3"), Bump::Major), v("2.0.0"));
        assert_eq!(next_version(&v("1.2.3"), Bump::Minor), v("1.3.0"));
        assert_eq!(next_version(&v("1.2.3"), Bump::None), v("1.2.3"));
    }
}
