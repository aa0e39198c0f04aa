//! `generated/` must match what `spec/` produces, and production must be deterministic.
//!
//! This is the `cargo test` twin of `cargo xtask codegen --check`: a maintainer
//! who edits the spec and forgets to regenerate sees this test fail with the
//! list of stale files and the command to run.

mod workspace;

use std::path::Path;

#[test]
fn generated_crates_match_the_spec() {
    let root = workspace::root();
    let mut stale = Vec::new();
    for (spec, out) in truebind_codegen::TARGETS {
        let (spec, out) = (Path::new(spec), Path::new(out));
        let files = truebind_codegen::generate(root, spec, out).expect("the spec is valid");
        // Also fails, listing them, when an output tree holds a link or a file the generator did not write.
        let plan =
            truebind_codegen::write::plan(root, out, files).unwrap_or_else(|e| panic!("{e}"));
        stale.extend(plan.paths().iter().map(|p| p.display().to_string()));
    }
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask codegen` and commit. Stale files:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let root = workspace::root();
    let first = truebind_codegen::generate_all(root).expect("the spec is valid");
    let second = truebind_codegen::generate_all(root).expect("the spec is valid");
    assert_eq!(first, second);
}
