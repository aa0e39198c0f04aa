//! Spec mistakes produce messages a maintainer can act on.
//!
//! Every directory under `tests/fixtures/broken/` (except `_base`) is the
//! tiny valid spec in `_base/` with one thing broken (a few break several
//! things, to prove all problems are reported in one run). A case holds only
//! what differs from the base, so a change to the base reaches every case and
//! a case shows at a glance what it breaks: a `case.yaml` of edits
//! (find/replace, whole new files, deletions, moves), plus files that must be
//! byte-exact (such as `file-not-utf8/types.yaml`), which replace the base
//! file at their path. Each case is built in memory at its own path, loaded
//! and validated, and its rendered diagnostics are a snapshot
//! (`snapshots/diagnostics__<case>.snap`): file, line and column, the
//! offending line with a marker, what is wrong and what would fix it. Review
//! changes with `cargo insta review`.
//!
//! Paths in the snapshots are relative (`fixtures/broken/<case>/…`) because
//! `cargo test` runs from the `tests/` package root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use truebind_codegen::diagnostics::SpecErrors;
use truebind_codegen::{load, validate};

const BROKEN: &str = "fixtures/broken";

/// The file of a case that says how it differs from `_base/`.
const CASE_FILE: &str = "case.yaml";

/// Cases whose problems concern a whole file or directory, where no line can be named.
const FILE_LEVEL: [&str; 6] = [
    "action-file-not-yaml",
    "dir-without-actions",
    "dir-without-service-yaml",
    "file-empty",
    "file-not-utf8",
    "misnamed-types-file",
];

/// A case's `case.yaml`: edits applied, in order, to the base spec.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    edits: Vec<Edit>,
}

/// One edit of one file (paths relative to the service directory). Exactly
/// one of: `find` with `replace` (the text must occur once), `replace` alone
/// (the whole file, created if new), `delete`, or `move_to` (a new path).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: PathBuf,
    find: Option<String>,
    replace: Option<String>,
    #[serde(default)]
    delete: bool,
    move_to: Option<PathBuf>,
}

/// A spec held in memory: bytes by path relative to the service directory.
type Sources = BTreeMap<PathBuf, Vec<u8>>;

fn broken_root() -> &'static Path {
    let root = Path::new(BROKEN);
    assert!(
        root.is_dir(),
        "tests run from the tests/ package root, where {BROKEN} is"
    );
    root
}

/// Names of the broken cases, sorted.
fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(broken_root())
        .expect("the corpus is readable")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.is_dir())
        .filter_map(|p| Some(p.file_name()?.to_str()?.to_string()))
        .filter(|n| !n.starts_with('_'))
        .collect();
    names.sort();
    names
}

/// Every file under `dir`, by path relative to `top`, added to `into`.
fn tree(top: &Path, dir: &Path, into: &mut Sources) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            tree(top, &path, into);
        } else {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let relative = path.strip_prefix(top).expect("under the top");
            into.insert(relative.to_path_buf(), bytes);
        }
    }
}

/// The files of the directory `dir`.
fn files_of(dir: &Path) -> Sources {
    let mut files = Sources::new();
    tree(dir, dir, &mut files);
    files
}

/// Applies one edit of `case` to `files`, failing loudly when it does not fit.
fn apply(case: &str, files: &mut Sources, edit: Edit) {
    let at = format!("{case}/{CASE_FILE}: {}", edit.file.display());
    if let (None, Some(whole), false, None) =
        (&edit.find, &edit.replace, edit.delete, &edit.move_to)
    {
        files.insert(edit.file, whole.clone().into_bytes());
        return;
    }
    let bytes = files
        .remove(&edit.file)
        .unwrap_or_else(|| panic!("{at}: no such file in the base"));
    match (edit.find, edit.replace, edit.delete, edit.move_to) {
        (None, None, true, None) => {}
        (None, None, false, Some(to)) => {
            files.insert(to, bytes);
        }
        (Some(find), Some(replace), false, None) => {
            let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{at}: not UTF-8"));
            let count = text.matches(find.as_str()).count();
            assert_eq!(
                count, 1,
                "{at}: `{find}` must occur once, not {count} times"
            );
            let edited = text.replacen(&find, &replace, 1);
            files.insert(edit.file, edited.into_bytes());
        }
        _ => panic!("{at}: an edit is `find` + `replace`, `replace`, `delete` or `move_to`"),
    }
}

/// The files of `case`: the base, its byte-exact files over it, then its edits.
fn case_sources(case: &str) -> Sources {
    let mut files = files_of(&broken_root().join("_base"));
    let mut own = files_of(&broken_root().join(case));
    let edits = own.remove(Path::new(CASE_FILE)).map(|bytes| {
        let text =
            String::from_utf8(bytes).unwrap_or_else(|_| panic!("{case}/{CASE_FILE}: not UTF-8"));
        serde_saphyr::from_str::<Case>(&text).unwrap_or_else(|e| panic!("{case}/{CASE_FILE}: {e}"))
    });
    files.extend(own);
    for edit in edits.map(|c| c.edits).unwrap_or_default() {
        apply(case, &mut files, edit);
    }
    files
}

/// Writes `case` as a directory under `root`, returning that directory.
fn write_case(root: &Path, case: &str) -> PathBuf {
    let dir = root.join(case);
    for (relative, bytes) in case_sources(case) {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

fn problems_of(case: &str) -> SpecErrors {
    let dir = broken_root().join(case);
    let sources = case_sources(case).into_iter().collect();
    let loaded = load::load_service_from_sources(&dir, sources);
    match loaded.and_then(|loaded| validate::validate(&loaded)) {
        Ok(service) => panic!(
            "{} is accepted (as crate `{}`), but it is broken",
            dir.display(),
            service.crate_name
        ),
        Err(errors) => errors,
    }
}

#[test]
fn the_corpus_has_at_least_forty_cases() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} broken cases", cases.len());
    for case in FILE_LEVEL {
        assert!(
            cases.iter().any(|c| c == case),
            "{case} is listed as file-level but missing"
        );
    }
}

#[test]
fn the_base_of_every_case_is_valid_and_generates() {
    let dir = broken_root().join("_base");
    let loaded = load::load_service(&dir).unwrap_or_else(|e| panic!("{e}"));
    let service = validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    let files =
        truebind_codegen::emit::service_files(&service, Path::new(BROKEN), Path::new("out"))
            .expect("the base spec emits valid Rust");
    assert!(
        files
            .iter()
            .any(|f| f.path == Path::new("out/tiny/src/operation/create_thing.rs"))
    );
}

#[test]
fn every_broken_spec_is_reported_clearly() {
    let absolute = env!("CARGO_MANIFEST_DIR");
    // Gathered, so one run lists every unclear message.
    let mut unclear = Vec::new();
    for case in cases() {
        let dir = broken_root().join(&case);
        let errors = problems_of(&case);
        if errors.is_empty() {
            unclear.push(format!("{case}: no diagnostics"));
        }
        for d in &errors.diagnostics {
            if !d.file.starts_with(&dir) {
                unclear.push(format!("{case}: a problem in {}", d.file.display()));
            }
            if d.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
                unclear.push(format!("{case}: `{}` says nothing about a fix", d.message));
            }
            let file_level = FILE_LEVEL.contains(&case.as_str());
            if !file_level && (d.line == 0 || d.column == 0) {
                unclear.push(format!("{case}: `{}` names no line and column", d.message));
            }
        }
        let rendered = errors.to_string();
        if rendered.contains(absolute) {
            unclear.push(format!("{case}: absolute path in the message"));
        }
        if !rendered.ends_with("nothing was generated.") {
            unclear.push(format!("{case}: the summary line is missing"));
        }
        insta::assert_snapshot!(case.as_str(), rendered);
    }
    assert!(unclear.is_empty(), "{}", unclear.join("\n"));
}

#[test]
fn cases_with_several_problems_report_all_of_them() {
    for (case, at_least) in [("many-semantic-problems", 6), ("many-syntax-problems", 3)] {
        let errors = problems_of(case);
        let count = errors.diagnostics.len();
        assert!(
            count >= at_least,
            "{case}: {count} problems reported, expected {at_least}"
        );
        let files: std::collections::BTreeSet<&PathBuf> =
            errors.diagnostics.iter().map(|d| &d.file).collect();
        assert!(files.len() >= 3, "{case}: problems in only {files:?}");
    }
}

#[test]
fn generating_a_broken_spec_root_stops_with_every_service_reported() {
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = temp.path().join("broken");
    let dirs: Vec<PathBuf> = cases().iter().map(|c| write_case(&spec, c)).collect();
    let result = truebind_codegen::generate(temp.path(), Path::new("broken"), Path::new("out"));
    let errors = match result {
        Err(truebind_codegen::Error::Spec(errors)) => errors,
        Err(other) => panic!("expected spec problems, got {other}"),
        Ok(files) => panic!("a broken spec generated {} files", files.len()),
    };
    for dir in dirs {
        assert!(
            errors.diagnostics.iter().any(|d| d.file.starts_with(&dir)),
            "{} is missing from the combined report",
            dir.display()
        );
    }
}

#[test]
fn a_case_holds_only_what_differs_from_the_base() {
    let base = files_of(&broken_root().join("_base"));
    let mut copies = Vec::new();
    for case in cases() {
        for (relative, bytes) in files_of(&broken_root().join(&case)) {
            if base.get(&relative) == Some(&bytes) {
                copies.push(format!("{case}/{}", relative.display()));
            }
        }
    }
    assert!(
        copies.is_empty(),
        "copies of `_base/` files; delete them (a case is the base plus its {CASE_FILE}):\n{}",
        copies.join("\n")
    );
}

/// The base spec's files, as `(relative path, bytes)`.
fn base_sources() -> Vec<(PathBuf, Vec<u8>)> {
    files_of(&broken_root().join("_base")).into_iter().collect()
}

#[test]
fn a_file_over_one_mebibyte_is_refused_on_disk_and_in_memory() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("tiny");
    std::fs::create_dir_all(dir.join("actions")).expect("actions dir");
    let mut sources = base_sources();
    for (rel, bytes) in &mut sources {
        if rel == Path::new("types.yaml") {
            let padding = "# padding\n".repeat(110_000);
            bytes.extend_from_slice(padding.as_bytes());
        }
        std::fs::write(dir.join(&rel), &bytes).expect("write");
    }
    let on_disk = load::load_service(&dir).expect_err("too large");
    let in_memory = load::load_service_from_sources(&dir, sources).expect_err("too large");
    for errors in [on_disk, in_memory] {
        assert_eq!(errors.diagnostics.len(), 1, "{errors}");
        let d = &errors.diagnostics[0];
        assert_eq!(d.file, dir.join("types.yaml"));
        assert!(
            d.message.contains("at most 1048576"),
            "unexpected message: {}",
            d.message
        );
    }
}

#[test]
fn one_code_with_several_messages_is_one_variant_documenting_all() {
    let mut sources = base_sources();
    for (rel, bytes) in &mut sources {
        if rel == Path::new("actions/CreateThing.yaml") {
            let text = String::from_utf8(bytes.clone()).expect("utf-8").replace(
                "examples:",
                "  - { http_status: 400, code: INVALID_NAME, message: The name is too long., description: Too long. }\nexamples:",
            );
            *bytes = text.into_bytes();
        }
    }
    let loaded = load::load_service_from_sources(Path::new("tiny"), sources)
        .unwrap_or_else(|e| panic!("{e}"));
    let service = validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    let action = service
        .actions
        .iter()
        .find(|a| a.name == "CreateThing")
        .expect("CreateThing");
    assert_eq!(action.errors.len(), 1);
    let messages: Vec<Option<&str>> = action.errors[0]
        .rows
        .iter()
        .map(|r| r.message.as_deref())
        .collect();
    assert_eq!(
        messages,
        [Some("The name is invalid."), Some("The name is too long.")]
    );
}

/// The base spec where `Thing` has a `Placement` field and a list of them,
/// with these defaults; `Placement` is declared after `Thing`.
fn with_structure_defaults(placement: &str, spares: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let status = "      - { name: status, type: ThingStatus, description: State. }\n";
    let added = format!(
        r#"      - {{ name: placement, type: Placement, description: Where., default: {placement} }}
      - {{ name: spares, type: "list<Placement>", description: Spares., default: {spares} }}
  - name: Placement
    description: Where a thing runs.
    fields:
      - {{ name: zoneId, type: string, required: true, description: Zone. }}
      - {{ name: weight, type: integer, description: Weight., constraints: {{ min: 1, max: 10 }} }}
"#
    );
    let mut sources = base_sources();
    for (rel, bytes) in &mut sources {
        if rel == Path::new("types.yaml") {
            let text = String::from_utf8(bytes.clone()).expect("utf-8");
            assert!(text.contains(status), "the base types.yaml changed");
            *bytes = text
                .replace(status, &format!("{status}{added}"))
                .into_bytes();
        }
    }
    sources
}

#[test]
fn structure_defaults_are_checked_against_structures_declared_later() {
    let check = |placement: &str, spares: &str| {
        let sources = with_structure_defaults(placement, spares);
        let loaded = load::load_service_from_sources(Path::new("tiny"), sources)
            .unwrap_or_else(|e| panic!("{e}"));
        validate::validate(&loaded).map(drop)
    };
    check(
        "{ zoneId: z-1, weight: 2 }",
        "[{ zoneId: z-2 }, { zoneId: z-3, weight: 10 }]",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (placement, spares, expected) in [
        ("5", "[]", "`placement` = 5 does not fit type Placement"),
        (
            "{ weight: 2 }",
            "[]",
            "required `placement.zoneId` is missing",
        ),
        (
            "{ zoneId: z-1, weight: 50 }",
            "[]",
            "`placement.weight` = 50 is outside its documented range",
        ),
        (
            "{ zoneId: z-1 }",
            "[{ zoneId: 7 }]",
            "`spares[0].zoneId` = 7 does not fit type string",
        ),
    ] {
        let errors = check(placement, spares).expect_err(expected);
        assert_eq!(errors.diagnostics.len(), 1, "{errors}");
        assert!(errors.diagnostics[0].message.contains(expected), "{errors}");
    }
}

#[test]
fn hidden_files_in_actions_are_ignored_but_other_files_are_reported() {
    let mut sources = base_sources();
    sources.push((PathBuf::from("actions/.CreateThing.yaml.swp"), vec![0xff]));
    sources.push((PathBuf::from("README.md"), b"notes".to_vec()));
    assert!(load::load_service_from_sources(Path::new("tiny"), sources.clone()).is_ok());
    sources.push((PathBuf::from("actions/Notes.txt"), b"notes".to_vec()));
    let errors = load::load_service_from_sources(Path::new("tiny"), sources).expect_err("reported");
    assert_eq!(errors.diagnostics.len(), 1, "{errors}");
    assert!(
        errors.diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("Notes.yaml")
    );
}

#[test]
fn two_services_with_one_crate_name_are_reported() {
    let temp = tempfile::tempdir().expect("temp dir");
    for dir in ["first", "second"] {
        for (relative, bytes) in base_sources() {
            let target = temp.path().join("spec").join(dir).join(relative);
            std::fs::create_dir_all(target.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(target, bytes).expect("write");
        }
    }
    let err = truebind_codegen::generate(temp.path(), Path::new("spec"), Path::new("generated"))
        .expect_err("two services cannot share a crate name");
    let shown = err.to_string();
    assert!(shown.contains("is also used by spec/first"), "{shown}");
    assert!(shown.contains("second"), "{shown}");
}
