//! `cargo xtask codegen` works on the checkout it is run in, and starts even
//! when a generated crate is missing.
//!
//! The test copies the parts of the workspace the generator needs into a
//! temporary directory, deletes a generated crate there, and runs the real
//! xtask binary from inside the copy. Cargo must still load xtask's own
//! workspace (the main one cannot load: `tests/` depends on the deleted crate
//! by path), and the binary must regenerate the crate in the copy, not in the
//! checkout it was compiled from.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_tree, shown, xtask};

/// The checkout this test was compiled in.
fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// The generator's part of the workspace, copied to a temporary directory.
fn minimal_copy() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let (from, to) = (checkout(), temp.path());
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(from.join(file), to.join(file)).expect("copy manifest");
    }
    for dir in [
        "codegen",
        "diff",
        "importer",
        "xtask",
        "spec",
        "generated",
        "tests/fixtures/spec",
        "tests/fixtures/generated",
    ] {
        copy_tree(&from.join(dir), &to.join(dir));
    }
    std::fs::create_dir_all(to.join("tests")).expect("mkdir tests");
    std::fs::copy(from.join("tests/Cargo.toml"), to.join("tests/Cargo.toml")).expect("copy");
    temp
}

fn cargo_metadata(root: &Path, manifest: &str) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "metadata",
            "--offline",
            "--no-deps",
            "--format-version",
            "1",
        ])
        .args(["--manifest-path", manifest])
        .output()
        .expect("cargo runs")
}

#[test]
fn a_deleted_crate_is_regenerated_in_the_checkout_xtask_runs_in() {
    let copy = minimal_copy();
    let root = copy.path();
    std::fs::remove_dir_all(root.join("generated/alibaba-vpc")).expect("delete a crate");
    let main = cargo_metadata(root, "Cargo.toml");
    assert!(
        !main.status.success(),
        "the main workspace loads without a crate `tests/` depends on?"
    );
    let own = cargo_metadata(root, "xtask/Cargo.toml");
    assert!(
        own.status.success(),
        "xtask's workspace must load: {}",
        shown(&own)
    );

    // From a subdirectory of the copy: the root is found at run time, by walking up.
    let run = xtask(&root.join("spec"), &["codegen"]);
    assert!(run.status.success(), "{}", shown(&run));
    assert!(
        root.join("generated/alibaba-vpc/Cargo.toml").is_file(),
        "the crate was not regenerated in the copy: {}",
        shown(&run)
    );
    let check = xtask(root, &["codegen", "--check"]);
    assert!(check.status.success(), "{}", shown(&check));
}

#[test]
fn check_reports_a_planted_build_script() {
    let copy = minimal_copy();
    let root = copy.path();
    std::fs::write(
        root.join("generated/zenlayer-sdn/build.rs"),
        "fn main() { panic!(\"ran\") }\n",
    )
    .expect("plant");
    let check = xtask(root, &["codegen", "--check"]);
    assert!(!check.status.success(), "{}", shown(&check));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("generated/zenlayer-sdn/build.rs"),
        "{}",
        shown(&check)
    );
    let run = xtask(root, &["codegen"]);
    assert!(
        !run.status.success(),
        "codegen must refuse too: {}",
        shown(&run)
    );
}

#[test]
fn outside_a_checkout_it_says_so() {
    let temp = tempfile::tempdir().expect("temp dir");
    let run = xtask(temp.path(), &["codegen", "--check"]);
    assert!(!run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("no truebind workspace"),
        "{}",
        shown(&run)
    );
}

#[test]
fn a_spec_root_of_ones_own_generates_into_a_directory_of_ones_own() {
    let copy = minimal_copy();
    let root = copy.path();
    let run = xtask(
        root,
        &[
            "codegen",
            "--spec",
            "tests/fixtures/spec",
            "--out",
            "mine/crates",
        ],
    );
    assert!(run.status.success(), "{}", shown(&run));
    let manifest = std::fs::read_to_string(root.join("mine/crates/kitchen-sink/Cargo.toml"))
        .expect("the crate was generated into --out");
    assert!(
        manifest.contains(r#"path = "../../../runtime""#),
        "the runtime path must resolve from the output directory: {manifest}"
    );
    assert!(
        manifest.contains("from tests/fixtures/spec/kitchen-sink/"),
        "{manifest}"
    );
    let check = xtask(
        root,
        &[
            "codegen",
            "--check",
            "--spec",
            "tests/fixtures/spec",
            "--out",
            "mine/crates",
        ],
    );
    assert!(check.status.success(), "{}", shown(&check));
    for refused in [
        &["codegen", "--spec", "spec", "--out", "/tmp/elsewhere"][..],
        &["codegen", "--spec", "spec", "--out", "../outside"],
        &["codegen", "--spec", "spec"],
    ] {
        let run = xtask(root, refused);
        assert_eq!(run.status.code(), Some(2), "{refused:?}: {}", shown(&run));
    }
    assert!(!root.join("../outside").exists());
}

#[test]
fn an_output_directory_shared_by_two_spec_roots_keeps_the_other_root_s_crates() {
    let copy = minimal_copy();
    let root = copy.path();
    for (spec, service) in [("mine/a", "json-sink"), ("mine/b", "kitchen-sink")] {
        copy_tree(
            &root.join("tests/fixtures/spec").join(service),
            &root.join(spec).join(service),
        );
    }
    let codegen = |spec: &str, check: bool| {
        let mut args = vec!["codegen", "--spec", spec, "--out", "mine/crates"];
        if check {
            args.push("--check");
        }
        xtask(root, &args)
    };
    let first = codegen("mine/a", false);
    assert!(first.status.success(), "{}", shown(&first));
    let second = codegen("mine/b", false);
    assert!(second.status.success(), "{}", shown(&second));
    let lib = root.join("mine/crates/json-sink/src/lib.rs");
    assert!(
        lib.exists(),
        "the other root's crate is kept: {}",
        shown(&second)
    );
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("kept    mine/crates/json-sink/src/lib.rs"),
        "{stderr}"
    );
    for spec in ["mine/a", "mine/b"] {
        let check = codegen(spec, true);
        assert!(check.status.success(), "{spec}: {}", shown(&check));
    }
    // A service removed from its own root still takes its crate with it.
    std::fs::remove_dir_all(root.join("mine/a/json-sink")).expect("remove the service");
    let removed = codegen("mine/a", false);
    assert!(removed.status.success(), "{}", shown(&removed));
    assert!(!lib.exists(), "{}", shown(&removed));
    assert!(root.join("mine/crates/kitchen-sink/src/lib.rs").exists());
}
