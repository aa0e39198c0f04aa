//! `cargo xtask diff`, `drift` and codegen's closing summary, run as the real binary in a
//! scratch checkout: a git repository whose `spec/` is the diff fixtures' base spec.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, shown, xtask};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/diff")
}

fn git(root: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(root)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A checkout (a workspace listing `codegen`) whose committed `spec/` is the base spec.
fn scratch_checkout() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"codegen\"]\n",
    )
    .expect("manifest");
    copy_tree(&fixtures().join("base"), &root.join("spec"));
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    temp
}

/// The edit: Match's two required strings swap places.
fn swap_required_parameters(root: &Path) {
    let path = root.join("spec/kitchen-sink/actions/Match.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    let region = "  - { name: RegionId, type: string, required: true, description: Region. }\n";
    let zone = "  - { name: Zone, type: string, required: true, description: Zone. }\n";
    let swapped = text.replace(&format!("{region}{zone}"), &format!("{zone}{region}"));
    assert_ne!(swapped, text, "the base spec changed; update this test");
    std::fs::write(path, swapped).expect("write");
}

#[test]
fn a_swap_of_required_parameters_fails_on_breaking_between_a_revision_and_a_directory() {
    let checkout = scratch_checkout();
    let root = checkout.path();
    swap_required_parameters(root);
    let run = xtask(
        root,
        &[
            "diff",
            "HEAD",
            "spec",
            "--fail-on",
            "breaking",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", shown(&run));
    let changes: serde_json::Value = serde_json::from_slice(&run.stdout).expect("a JSON list");
    let swap = changes
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["id"] == "required-order-changed")
        .unwrap_or_else(|| panic!("no required-order-changed: {}", shown(&run)));
    assert_eq!(swap["action"], "Match");
    assert_eq!(swap["level"], "api");
    assert_eq!(swap["severity"], "breaking");
    assert_eq!(swap["detail"]["same_types"], "true");
    assert_eq!(swap["detail"]["old"], "region_id, zone");

    // Two revisions; reading them leaves the work tree alone.
    git(root, &["commit", "-qam", "swap"]);
    let run = xtask(root, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.status.code(), Some(0), "no --fail-on: {}", shown(&run));
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(text.contains("required-order-changed"), "{}", shown(&run));
    assert!(
        text.contains("kitchen-sink: major bump, 1.0.0 → 2.0.0"),
        "{}",
        shown(&run)
    );
    assert_eq!(
        git(root, &["status", "--porcelain"]),
        "",
        "the work tree was touched"
    );
}

#[test]
fn bad_arguments_and_unknown_revisions_exit_2_with_a_reason() {
    let checkout = scratch_checkout();
    let root = checkout.path();
    for (args, says) in [
        (&["diff", "HEAD"][..], "give OLD and NEW"),
        (
            &["diff", "no-such-rev", "spec"],
            "neither a directory nor a git revision",
        ),
        (
            &["diff", "HEAD", "spec", "--format", "yaml"],
            "unknown format",
        ),
        (
            &["diff", "HEAD", "spec", "--fail-on"],
            "--fail-on needs a value",
        ),
        (&["drift", "--pages", "no-such-dir"], "--pages"),
    ] {
        let run = xtask(root, args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", shown(&run));
        assert!(
            String::from_utf8_lossy(&run.stderr).contains(says),
            "{args:?}: {}",
            shown(&run)
        );
    }
}

#[test]
fn an_invalid_new_spec_is_named_as_the_new_side() {
    let checkout = scratch_checkout();
    let root = checkout.path();
    std::fs::write(
        root.join("spec/kitchen-sink/actions/Match.yaml"),
        "name: Match\nkind: sideways\n",
    )
    .expect("write");
    let run = xtask(root, &["diff", "HEAD", "spec"]);
    assert_eq!(run.status.code(), Some(2), "{}", shown(&run));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("the new spec"),
        "{}",
        shown(&run)
    );
}

#[test]
fn codegen_ends_with_the_api_changes_since_head() {
    let checkout = scratch_checkout();
    let root = checkout.path();
    swap_required_parameters(root);
    let (last, run) = codegen_summary(root, "spec");
    assert!(
        last.starts_with("API changes since HEAD: spec/: 1 breaking change: kitchen-sink Match: `new` takes (zone, region_id)"),
        "{run}"
    );
    assert!(last.ends_with("run cargo xtask diff for details"), "{last}");
}

#[test]
fn codegen_reports_an_untracked_action_file_and_is_quiet_on_a_clean_spec() {
    let checkout = scratch_checkout();
    let root = checkout.path();
    let clean = xtask(root, &["codegen", "--spec", "spec", "--out", "out"]);
    assert!(clean.status.success(), "{}", shown(&clean));
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some("API: no changes since HEAD"),
        "{}",
        shown(&clean)
    );
    let actions = root.join("spec/kitchen-sink/actions");
    let text = std::fs::read_to_string(actions.join("Match.yaml")).expect("read");
    std::fs::write(
        actions.join("MatchAgain.yaml"),
        text.replacen("name: Match", "name: MatchAgain", 1),
    )
    .expect("write");
    let run = xtask(root, &["codegen", "--spec", "spec", "--out", "out"]);
    assert!(run.status.success(), "{}", shown(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("API changes since HEAD: spec/: 1 action added"),
        "{}",
        shown(&run)
    );
}

#[test]
fn codegen_reports_a_spec_root_git_ignores_as_new_since_head() {
    let checkout = scratch_checkout();
    let root = checkout.path();
    std::fs::write(root.join(".gitignore"), "scratch/\n").expect("ignore file");
    git(root, &["add", ".gitignore"]);
    git(root, &["commit", "-qm", "ignore scratch"]);
    copy_tree(&root.join("spec"), &root.join("scratch/spec"));
    let (last, run) = codegen_summary(root, "scratch/spec");
    // HEAD has no `scratch/spec`: every service of it is new, not "no changes".
    assert!(
        last.starts_with("API changes since HEAD: scratch/spec/: "),
        "{run}"
    );
}

/// The last line of `codegen --spec spec --out out` in `root` (the API summary), and the
/// whole run for assertion messages.
fn codegen_summary(root: &Path, spec: &str) -> (String, String) {
    let run = xtask(root, &["codegen", "--spec", spec, "--out", "out"]);
    assert!(run.status.success(), "{}", shown(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let last = stdout.lines().last().unwrap_or_default().to_owned();
    (last, shown(&run))
}
