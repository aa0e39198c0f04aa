//! Bad input gets a clear error naming the side or file, never a panic; a spec compared
//! with itself has no changes.

use std::path::{Path, PathBuf};

use truebind_diff::{Error, Which, ack, compare, load_spec};

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/diff/base")
}

/// A copy of the base spec whose Match action is replaced by `text`.
fn with_match(text: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let service = temp.path().join("kitchen-sink");
    std::fs::create_dir_all(service.join("actions")).unwrap();
    for file in [
        "service.yaml",
        "types.yaml",
        "actions/DescribeWidgets.yaml",
        "actions/ListParts.yaml",
        "actions/MakeWidget.yaml",
    ] {
        std::fs::copy(base().join("kitchen-sink").join(file), service.join(file)).unwrap();
    }
    std::fs::write(service.join("actions/Match.yaml"), text).unwrap();
    temp
}

#[test]
fn a_spec_that_does_not_validate_is_named_by_its_side() {
    let broken = with_match("name: Match\nkind: sideways\n");
    let err = load_spec(broken.path(), Which::New).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            Error::Spec {
                which: Which::New,
                ..
            }
        ),
        "{text}"
    );
    assert!(text.starts_with("the new spec ("), "{text}");
    assert!(text.contains("Match.yaml"), "{text}");
    let missing = load_spec(Path::new("/nonexistent/spec"), Which::Old).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("the old spec (/nonexistent/spec)"),
        "{missing}"
    );
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    let old = load_spec(&base(), Which::Old).unwrap();
    let new = load_spec(&base(), Which::New).unwrap();
    let report = compare(&old, &new, &[]);
    assert_eq!(report.changes, vec![]);
    assert_eq!(report.crates[0].bump, truebind_diff::Bump::None);
}

fn acks_from(text: &str) -> Result<Vec<ack::Ack>, Error> {
    let temp = with_match(
        &std::fs::read_to_string(base().join("kitchen-sink/actions/Match.yaml")).unwrap(),
    );
    let file = temp
        .path()
        .join("kitchen-sink")
        .join(ack::Kind::Diff.file());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, text).unwrap();
    let spec = load_spec(temp.path(), Which::New).unwrap();
    ack::load(&spec, ack::Kind::Diff)
}

#[test]
fn malformed_acknowledgements_are_errors_naming_the_file() {
    for (text, says) in [
        (
            "accepted:\n  - { id: no-such-class, reason: x }\n",
            "`no-such-class` is not a change id",
        ),
        (
            "accepted:\n  - { id: action-removed, reason: \" \" }\n",
            "needs a reason",
        ),
        (
            "accepted:\n  - { id: action-removed, reason: x, colour: red }\n",
            "colour",
        ),
        ("[1, 2]\n", "accepted-changes.yaml"),
    ] {
        let err = acks_from(text).unwrap_err().to_string();
        assert!(
            err.contains("accepted-changes.yaml") && err.contains(says),
            "{text}: {err}"
        );
    }
    let ok = acks_from(
        "accepted:\n  - { id: action-removed, action: Match, reason: gone on purpose }\n",
    )
    .unwrap();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].crate_name, "kitchen-sink");
}

#[cfg(unix)]
#[test]
fn an_acknowledgements_link_is_refused() {
    let temp = with_match(
        &std::fs::read_to_string(base().join("kitchen-sink/actions/Match.yaml")).unwrap(),
    );
    let file = temp
        .path()
        .join("kitchen-sink")
        .join(ack::Kind::Drift.file());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &file).unwrap();
    let spec = load_spec(temp.path(), Which::Old).unwrap();
    let err = ack::load(&spec, ack::Kind::Drift).unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
}
