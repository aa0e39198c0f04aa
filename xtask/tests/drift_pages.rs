//! `cargo xtask drift --pages DIR`, run as the real binary on the stored Zenlayer page
//! excerpts: a scratch checkout's spec is imported from a few of them and edited, and drift
//! must name the edit (and only it), and leave out a spec action no page covers.

#[allow(dead_code, reason = "each test file uses a part of the shared helpers")]
mod common;

use std::path::{Path, PathBuf};

use common::{shown, xtask};

/// The stored Zenlayer pages: `$TRUEBIND_VENDOR_DIR`, or `shared/vendor` in an ancestor.
fn stored_pages() -> PathBuf {
    let vendor = std::env::var_os("TRUEBIND_VENDOR_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|dir| dir.join("shared/vendor"))
                .find(|dir| dir.join("zenlayer-sdn").is_dir())
        })
        .expect("the vendor data: set TRUEBIND_VENDOR_DIR to the shared/vendor directory");
    vendor.join("zenlayer-sdn/pages")
}

/// Copies the stored renderings of `actions` and the data-type page into `to`.
fn copy_pages(actions: &[&str], to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(stored_pages()).expect("the stored pages") {
        let name = entry.expect("entry").file_name();
        let name = name.to_str().expect("UTF-8 name");
        let stem = name.split('.').next().unwrap_or_default();
        if stem == "datastructure" || actions.contains(&stem) {
            std::fs::copy(stored_pages().join(name), to.join(name)).expect("copy");
        }
    }
}

/// A checkout whose `spec/zenlayer-sdn` is imported from the pages in `pages`.
fn imported_checkout(pages: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"codegen\"]\n",
    )
    .expect("manifest");
    let mut files: Vec<String> = std::fs::read_dir(pages)
        .expect("pages")
        .map(|e| e.expect("entry").path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["import", "zenlayer", "--spec-dir", "spec"];
    for file in &files {
        args.extend(["--page", file]);
    }
    let run = xtask(root, &args);
    assert!(run.status.success(), "import: {}", shown(&run));
    temp
}

#[test]
fn drift_from_pages_reports_what_the_spec_lacks_and_skips_actions_without_a_page() {
    let pages = tempfile::tempdir().expect("temp dir");
    copy_pages(&["DeletePrivateConnect", "DestroyPort"], pages.path());
    let checkout = imported_checkout(pages.path());
    let root = checkout.path();
    let page_dir = pages.path().display().to_string();

    let same = xtask(root, &["drift", "--pages", &page_dir, "--fail-on", "any"]);
    assert_eq!(same.status.code(), Some(0), "{}", shown(&same));

    let action = root.join("spec/zenlayer-sdn/actions/DeletePrivateConnect.yaml");
    let text = std::fs::read_to_string(&action).expect("read");
    let edited = text.replacen("  required: true\n", "  required: false\n", 1);
    assert_ne!(edited, text, "the import changed; update this test");
    std::fs::write(&action, edited).expect("write");
    for entry in std::fs::read_dir(pages.path()).expect("pages") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("DestroyPort."))
        {
            std::fs::remove_file(path).expect("remove");
        }
    }

    let run = xtask(
        root,
        &[
            "drift",
            "--pages",
            &page_dir,
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", shown(&run));
    let changes: serde_json::Value = serde_json::from_slice(&run.stdout).expect("a JSON list");
    let found: Vec<(String, String)> = changes
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["action"].to_string(),
            )
        })
        .collect();
    assert!(
        found
            .iter()
            .any(|(id, action)| id == "became-required" && action.contains("DeletePrivateConnect")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .all(|(_, action)| !action.contains("DestroyPort")),
        "an action without a page was compared: {found:?}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("DestroyPort: no page for it"),
        "{}",
        shown(&run)
    );
}
