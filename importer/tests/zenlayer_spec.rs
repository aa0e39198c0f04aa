//! The committed `spec/zenlayer-sdn/` is an import: re-running
//! `cargo xtask import zenlayer` over the hand facts in `curation/pages/`, the
//! seeds and the stored pages reproduces every file byte for byte, so no
//! curated fact lives only in a generated file.

mod zenlayer_common;

use std::path::{Path, PathBuf};

use zenlayer_common::{import, pages, seed};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/zenlayer-sdn")
}

/// Hand facts first (the first definition of a structure wins; the data types before
/// all), then the seeds, then every stored page.
fn sources(curation: &Path) -> Vec<PathBuf> {
    let mut hand: Vec<PathBuf> = std::fs::read_dir(curation.join("pages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    hand.sort_by_key(|p| (!p.ends_with("datatypes.md"), p.clone()));
    hand.extend(
        [
            "000_f1b5fe63df9d05bd.txt",
            "001_d1acd8574627c8a2.txt",
            "002_694fa60e3318dfd4.txt",
            "004_bdadefa97c7f8654.txt",
        ]
        .map(seed),
    );
    hand.extend(pages(|_| true));
    hand
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn re_importing_reproduces_the_committed_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("zenlayer-sdn");
    copy_dir(&spec().join("curation"), &dir.join("curation"));
    std::fs::copy(spec().join("service.yaml"), dir.join("service.yaml")).unwrap();
    let report = import(tmp.path(), &sources(&dir.join("curation")));
    let mut actions: Vec<String> = std::fs::read_dir(spec().join("actions"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .replace(".yaml", "")
        })
        .collect();
    actions.sort();
    assert_eq!(report.imported, actions);
    let mut files = vec![PathBuf::from("types.yaml")];
    files.extend(
        actions
            .iter()
            .map(|a| PathBuf::from(format!("actions/{a}.yaml"))),
    );
    for file in files {
        assert_eq!(
            std::fs::read_to_string(dir.join(&file)).unwrap(),
            std::fs::read_to_string(spec().join(&file)).unwrap(),
            "{} differs from a fresh import",
            file.display()
        );
    }
}
