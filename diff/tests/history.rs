//! The vendor's real history: every VPC metadata version in `shared/vendor/alibaba-vpc/history/`
//! and the current one (found as the importer's tests find it), each imported with the
//! importer library into a temporary spec root,
//! diffed with the next one; the reports are insta snapshots (`snapshots/history__*.snap`).

#[path = "../../importer/tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use truebind_diff::render::{self, Format};
use truebind_diff::{Spec, Which, compare, load_spec};
use truebind_importer::alibaba::{self, Options};

/// Every action of a metadata file, named explicitly: a full import also checks that each
/// of today's fixups still applies somewhere, which an older file need not satisfy.
fn action_names(metadata: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Names {
        apis: BTreeMap<String, serde::de::IgnoredAny>,
    }
    let names: Names = serde_json::from_slice(&std::fs::read(metadata).unwrap()).unwrap();
    names.apis.into_keys().collect()
}

/// Imports the actions of `metadata` that are expressible (`unsupported` left out) into
/// `root` and loads them; also returns the actions the spec cannot express.
fn import(
    metadata: &Path,
    root: &Path,
    skip: &BTreeSet<String>,
    which: Which,
) -> (Spec, BTreeSet<String>) {
    let options = Options {
        metadata: metadata.to_path_buf(),
        actions: action_names(metadata)
            .into_iter()
            .filter(|a| !skip.contains(a))
            .collect(),
        directories: Vec::new(),
        spec_dir: root.to_path_buf(),
        service: None,
        show_vendor_text: false,
    };
    let report = alibaba::run(&options).unwrap_or_else(|e| panic!("{}: {e}", metadata.display()));
    let spec = load_spec(root, which).unwrap_or_else(|e| panic!("{e}"));
    (
        spec,
        report.unsupported.into_iter().map(|(a, _)| a).collect(),
    )
}

/// `history/api-docs.en_us.2024-09-23.json` → `2024-09-23`; the current file → `current`.
fn label(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    let date = name
        .trim_start_matches("api-docs.en_us")
        .trim_end_matches(".json");
    date.strip_prefix('.').unwrap_or("current").to_owned()
}

#[test]
fn consecutive_metadata_versions_diff_into_their_snapshots() {
    // The importer's tests find the vendor data; its history lies beside the current file.
    let current = common::metadata();
    let vendor = current.parent().unwrap().to_path_buf();
    let mut files: Vec<PathBuf> = std::fs::read_dir(vendor.join("history"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "expected several history files in {}",
        vendor.display()
    );
    files.push(current);
    let temp = tempfile::tempdir().unwrap();
    let none = BTreeSet::new();
    let imported: Vec<(Spec, BTreeSet<String>)> = files
        .iter()
        .map(|f| import(f, &temp.path().join(label(f)), &none, Which::New))
        .collect();
    for (i, pair) in files.windows(2).enumerate() {
        // An action the spec cannot express on one side is left out of both: its absence
        // there is a limit of the spec format, not a change by the vendor.
        let skip: BTreeSet<String> = imported[i].1.union(&imported[i + 1].1).cloned().collect();
        let side = |k: usize, which| {
            let again = temp.path().join(format!(
                "{}-without-{}",
                label(&files[k]),
                label(&files[2 * i + 1 - k])
            ));
            (!imported[k].1.is_superset(&skip)).then(|| import(&files[k], &again, &skip, which).0)
        };
        let (old, new) = (side(i, Which::Old), side(i + 1, Which::New));
        let old = old.as_ref().unwrap_or(&imported[i].0);
        let new = new.as_ref().unwrap_or(&imported[i + 1].0);
        let report = compare(old, new, &[]);
        let name = format!("{}_to_{}", label(&pair[0]), label(&pair[1]));
        assert!(!report.changes.is_empty(), "{name}: no change at all");
        let text = format!(
            "left out (not expressible in the spec on one side): {skip:?}\n{}",
            render::render(&report, Format::Text)
        );
        insta::assert_snapshot!(name, text);
    }
}
