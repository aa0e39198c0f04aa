//! `generated/` must match what `spec/` produces, and production must be deterministic.
//!
//! This is the `cargo test` twin of `cargo xtask codegen --check`: a maintainer
//! who edits the spec and forgets to regenerate sees this test fail with the
//! list of stale files and the command to run.

use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn generated_crates_match_the_spec() {
    let root = workspace_root();
    let files = truebind_codegen::generate(&root.join("spec")).expect("spec/ is valid");
    let files: Vec<_> = files
        .into_iter()
        .map(|mut f| {
            f.path = f.path.strip_prefix(root).unwrap_or(&f.path).to_path_buf();
            f
        })
        .collect();
    let plan = truebind_codegen::write::plan(root, files).expect("generated/ is readable");
    let stale: Vec<String> = plan
        .paths()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo xtask codegen` and commit. Stale files:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let spec = workspace_root().join("spec");
    let first = truebind_codegen::generate(&spec).expect("spec/ is valid");
    let second = truebind_codegen::generate(&spec).expect("spec/ is valid");
    assert_eq!(first, second);
}
