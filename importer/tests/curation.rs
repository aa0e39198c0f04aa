//! Curation survives re-import, expires when it no longer matches a fact, and
//! hand-written files are never overwritten.

mod common;

use std::fs;
use std::path::Path;

use truebind_importer::{Error, alibaba};

const ACTIONS: [&str; 1] = ["DescribePhysicalConnections"];

const ACTION_CURATION: &str = r#"
summary: Lists circuits, one page at a time.
description: Our own words about filters.
input:
  ClientToken: { constraints: { max_length: 64, ascii: true } }
errors:
  - { code: InvalidTagKey.Malformed, description: A tag key is not valid. }
paging:
  page_number: PageNumber
  page_size: PageSize
  total: TotalCount
  items: PhysicalConnectionSet.PhysicalConnectionType
"#;

const TYPES_CURATION: &str = r#"
structures:
  Filter:
    description: One filter; its values are ORed.
    fields:
      Key: { required: true }
  PhysicalConnectionType:
    fields:
      Status: { type: PhysicalConnectionStatus }
enums:
  - name: PhysicalConnectionStatus
    description: Lifecycle state of a circuit.
    values: [{ value: Enabled }, { value: Terminated }]
"#;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn curate(service: &Path) {
    let cur = service.join("curation");
    write(
        &cur.join("actions/DescribePhysicalConnections.yaml"),
        ACTION_CURATION,
    );
    write(&cur.join("types.yaml"), TYPES_CURATION);
}

#[test]
fn curated_content_survives_reimport() {
    let tmp = tempfile::tempdir().unwrap();
    let service = tmp.path().join("alibaba-vpc");
    common::import(tmp.path(), &ACTIONS);
    curate(&service);
    common::import(tmp.path(), &ACTIONS);
    let again = common::import(tmp.path(), &ACTIONS);
    assert!(
        again.changed.is_empty(),
        "a repeated import changed {:?}",
        again.changed
    );

    let (loaded, _) = common::load_valid(&service);
    let (_, action) = &loaded.actions[0];
    assert_eq!(action.summary.en(), "Lists circuits, one page at a time.");
    assert!(action.paging.is_some());
    let token = action
        .input
        .iter()
        .find(|f| f.name.value == "ClientToken")
        .unwrap();
    assert_eq!(
        token.constraints.max_length.as_ref().map(|v| v.value),
        Some(64)
    );
    assert!(token.constraints.ascii);
    let row = action
        .errors
        .iter()
        .find(|e| e.code.value == "InvalidTagKey.Malformed")
        .unwrap();
    assert_eq!(row.description.en(), "A tag key is not valid.");
    let types = &loaded.types.1;
    let filter = types
        .structures
        .iter()
        .find(|s| s.name.value == "Filter")
        .unwrap();
    assert!(
        filter
            .fields
            .iter()
            .any(|f| f.name.value == "Key" && f.required)
    );
    let record = types
        .structures
        .iter()
        .find(|s| s.name.value == "PhysicalConnectionType")
        .unwrap();
    let status = record
        .fields
        .iter()
        .find(|f| f.name.value == "Status")
        .unwrap();
    assert_eq!(status.ty.value, "PhysicalConnectionStatus");
    assert!(
        types
            .enums
            .iter()
            .any(|e| e.name.value == "PhysicalConnectionStatus")
    );
}

#[test]
fn curation_of_a_vanished_fact_fails_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    let service = tmp.path().join("alibaba-vpc");
    let path = service.join("curation/actions/DescribePhysicalConnections.yaml");
    write(
        &path,
        "input:\n  NoSuchParameter: { lenient: true }\nerrors:\n  - { code: Gone.Code, description: x }\n",
    );
    let err = alibaba::run(&common::options(tmp.path(), &ACTIONS)).unwrap_err();
    let Error::Stale(_, stale) = &err else {
        panic!("{err}")
    };
    assert_eq!(stale.len(), 2, "{stale:?}");
    assert!(
        stale[0].contains("NoSuchParameter") && stale[1].contains("Gone.Code"),
        "{stale:?}"
    );
    assert!(!service.join("actions").exists(), "nothing may be written");
}

#[test]
fn a_hand_written_file_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let action = tmp
        .path()
        .join("alibaba-vpc/actions/DescribePhysicalConnections.yaml");
    write(&action, "name: DescribePhysicalConnections\n");
    let err = alibaba::run(&common::options(tmp.path(), &ACTIONS)).unwrap_err();
    assert!(
        matches!(&err, Error::HandWritten(paths) if paths == std::slice::from_ref(&action)),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&action).unwrap(),
        "name: DescribePhysicalConnections\n"
    );
}

#[test]
fn a_selection_keeps_earlier_imports_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    common::import(tmp.path(), &ACTIONS);
    let report = common::import(tmp.path(), &["DeletePhysicalConnection"]);
    assert_eq!(
        report.imported,
        ["DeletePhysicalConnection", "DescribePhysicalConnections"]
    );
}

#[test]
fn an_oversized_curation_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("alibaba-vpc/curation/types.yaml");
    write(&path, &"#".repeat(2 << 20));
    let err = alibaba::run(&common::options(tmp.path(), &ACTIONS)).unwrap_err();
    assert!(err.to_string().contains("more than the 1048576"), "{err}");
}

#[test]
fn vendor_summaries_reach_the_report_never_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = common::options(tmp.path(), &["DeletePhysicalConnection"]);
    options.show_vendor_text = true;
    let report = alibaba::run(&options).unwrap();
    let [line] = report.vendor_text.as_slice() else {
        panic!("{:?}", report.vendor_text)
    };
    assert!(
        line.starts_with("DeletePhysicalConnection: en: Deletes"),
        "{line}"
    );
    assert!(
        line.contains("| zh: 调用DeletePhysicalConnection"),
        "{line}"
    );
    let written = fs::read_to_string(
        tmp.path()
            .join("alibaba-vpc/actions/DeletePhysicalConnection.yaml"),
    )
    .unwrap();
    assert!(
        !written.contains("Deletes a connection") && !written.contains("调用"),
        "{written}"
    );
}

#[test]
fn a_directory_selects_its_nested_directories_too() {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = common::options(tmp.path(), &[]);
    options.directories = vec!["Physical connection".into()];
    let report = alibaba::run(&options).unwrap();
    // 25 actions plus 3 under "Virtual physical connection"; the LOA actions wait for Rust renames.
    assert_eq!(report.imported.len() + report.unsupported.len(), 28);
    assert!(
        report
            .imported
            .iter()
            .any(|a| a == "CreateVirtualPhysicalConnection")
    );
    assert_eq!(report.unsupported.len(), 4, "{:?}", report.unsupported);
}

#[test]
fn deprecated_and_asynchronous_actions_say_so_in_their_docs() {
    let tmp = tempfile::tempdir().unwrap();
    common::import(tmp.path(), &["DescribeRouteTables", "DeleteRouteTable"]);
    let (loaded, _) = common::load_valid(&tmp.path().join("alibaba-vpc"));
    let description = |name: &str| {
        let (_, a) = loaded
            .actions
            .iter()
            .find(|(_, a)| a.name.value == name)
            .unwrap();
        a.description.as_ref().unwrap().en().to_owned()
    };
    let deprecated = |name: &str| {
        loaded
            .actions
            .iter()
            .any(|(_, a)| a.name.value == name && a.deprecated.is_some())
    };
    assert!(deprecated("DescribeRouteTables"));
    assert!(!deprecated("DeleteRouteTable"));
    assert!(!description("DescribeRouteTables").contains("asynchronous"));
    assert!(description("DeleteRouteTable").contains("asynchronous"));
}
