//! One case per change class, as smithy-diff keeps its evaluators' tests: each
//! `tests/fixtures/diff/<class>/case.yaml` is a few edits of the shared base spec
//! (`tests/fixtures/diff/base/`), the base is the old spec and the edited copy the new one
//! (`swap: true` turns them round), and `report.snap` beside it is the expected text report.
//! Every class must have a case, and every case must report its class.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use truebind_diff::render::{self, Format};
use truebind_diff::{ChangeId, Which, ack, compare, load_spec};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The class this case shows; the report must contain it.
    expect: String,
    #[serde(default)]
    swap: bool,
    edits: Vec<Edit>,
}

/// Replace `find` (which must occur exactly once) by `replace` in `file`; without `find`,
/// create `file` holding `replace`; with `delete`, remove it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    find: Option<String>,
    #[serde(default)]
    replace: String,
    #[serde(default)]
    delete: bool,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/diff")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn apply(root: &Path, case_name: &str, edits: &[Edit]) {
    for edit in edits {
        let path = root.join(&edit.file);
        if edit.delete {
            std::fs::remove_file(&path)
                .unwrap_or_else(|e| panic!("{case_name}: {}: {e}", edit.file));
            continue;
        }
        let Some(find) = &edit.find else {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &edit.replace).unwrap();
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{case_name}: {}: {e}", edit.file));
        assert_eq!(
            text.matches(find.as_str()).count(),
            1,
            "{case_name}: `{find}` must occur once in {}",
            edit.file
        );
        std::fs::write(&path, text.replacen(find.as_str(), &edit.replace, 1)).unwrap();
    }
}

/// The case's report as text, and the classes it reports.
fn run(dir: &Path) -> (Case, String, BTreeSet<ChangeId>) {
    let (case, report) = report(dir);
    let ids = report.changes.iter().map(|c| c.id).collect();
    (case, render::render(&report, Format::Text), ids)
}

fn report(dir: &Path) -> (Case, truebind_diff::Report) {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let case: Case =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("case.yaml")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
    let temp = tempfile::tempdir().unwrap();
    let edited = temp.path().join("edited");
    copy_dir(&fixtures().join("base"), &edited);
    apply(&edited, &name, &case.edits);
    let base = fixtures().join("base");
    let (old, new) = if case.swap {
        (&edited, &base)
    } else {
        (&base, &edited)
    };
    let old = load_spec(old, Which::Old).unwrap_or_else(|e| panic!("{name}: {e}"));
    let new = load_spec(new, Which::New).unwrap_or_else(|e| panic!("{name}: {e}"));
    let acks = ack::load(&new, ack::Kind::Diff).unwrap_or_else(|e| panic!("{name}: {e}"));
    (case, compare(&old, &new, &acks))
}

#[test]
fn every_class_has_a_case_that_reports_it() {
    let mut covered = BTreeSet::new();
    let mut failed = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.yaml").is_file())
        .collect();
    dirs.sort();
    for dir in &dirs {
        let Ok((case, text, ids)) = std::panic::catch_unwind(|| run(dir)) else {
            failed.push(dir.display().to_string());
            continue;
        };
        let expect = ChangeId::parse(&case.expect)
            .unwrap_or_else(|| panic!("{}: no class {}", dir.display(), case.expect));
        assert!(
            ids.contains(&expect),
            "{}: expected {}, got\n{text}",
            dir.display(),
            case.expect
        );
        covered.insert(expect);
        insta::with_settings!({
            snapshot_path => dir.clone(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("report", text);
        });
    }
    assert!(failed.is_empty(), "cases that did not run: {failed:?}");
    let missing: Vec<&str> = ChangeId::ALL
        .iter()
        .filter(|id| !covered.contains(id))
        .map(|id| id.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "change classes without a case: {missing:?}"
    );
}

#[test]
fn the_swap_renders_as_a_changelog_entry_and_a_json_list() {
    let (_, report) = report(&fixtures().join("required-order-changed"));
    let markdown = render::render(&report, Format::Markdown);
    assert!(markdown.starts_with("## kitchen-sink 2.0.0\n\n### Breaking\n\n- `Match` input: `new` takes (zone, region_id)"), "{markdown}");
    let json: serde_json::Value =
        serde_json::from_str(&render::render(&report, Format::Json)).unwrap();
    let swap = &json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "required-order-changed")
        .unwrap();
    assert_eq!(
        (&swap["level"], &swap["severity"], &swap["bump"]),
        (&"api".into(), &"breaking".into(), &"major".into())
    );
    assert_eq!(swap["detail"]["new"], "zone, region_id");
    assert_eq!(
        render::summary_line(&report).split(';').next().unwrap(),
        "1 breaking change: kitchen-sink Match: `new` takes (zone, region_id) instead of (region_id, zone): callers still compile and pass their values to the wrong parameters"
    );
}
