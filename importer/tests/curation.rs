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
    // 25 actions plus 3 under "Virtual physical connection".
    assert_eq!(report.imported.len(), 28);
    assert!(
        report
            .imported
            .iter()
            .any(|a| a == "CreateVirtualPhysicalConnection")
    );
    assert!(report.unsupported.is_empty(), "{:?}", report.unsupported);
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

#[test]
fn renamed_types_are_renamed_everywhere_and_a_stale_rename_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let service = tmp.path().join("alibaba-vpc");
    let types = service.join("curation/types.yaml");
    write(
        &types,
        "rename: { Tags: PhysicalConnectionTags }\n\
         structures:\n  PhysicalConnectionTags: { description: Our words. }\n",
    );
    common::import(tmp.path(), &ACTIONS);
    let (loaded, _) = common::load_valid(&service);
    let structures = &loaded.types.1.structures;
    let renamed = structures
        .iter()
        .find(|s| s.name.value == "PhysicalConnectionTags")
        .unwrap();
    assert_eq!(renamed.description.en(), "Our words.");
    assert!(structures.iter().all(|s| s.name.value != "Tags"));
    let record = structures
        .iter()
        .find(|s| s.name.value == "PhysicalConnectionType")
        .unwrap();
    let tags = record
        .fields
        .iter()
        .find(|f| f.name.value == "Tags")
        .unwrap();
    assert_eq!(tags.ty.value, "PhysicalConnectionTags");

    write(&types, "rename: { NoSuchType: X, Tag: Filter }\n");
    let err = alibaba::run(&common::options(tmp.path(), &ACTIONS)).unwrap_err();
    let Error::Stale(_, stale) = &err else {
        panic!("{err}")
    };
    assert_eq!(stale.len(), 2, "{stale:?}");
    assert!(stale[0].contains("`NoSuchType`"), "{stale:?}");
    assert!(
        stale[1].contains("two types are called `Filter`"),
        "{stale:?}"
    );
}

#[test]
fn added_fields_and_structures_expire_when_the_metadata_has_them() {
    let tmp = tempfile::tempdir().unwrap();
    let service = tmp.path().join("alibaba-vpc");
    let types = service.join("curation/types.yaml");
    let added = "structures:\n  PhysicalConnectionType:\n    added_fields:\n      \
                 - { name: Keys, type: Keys, description: From the SDK. }\n\
                 added_structures:\n  - { name: Keys, description: From the SDK., fields: \
                 [{ name: Cak, type: string, description: A key. }] }\n";
    write(&types, added);
    common::import(tmp.path(), &ACTIONS);
    let (loaded, _) = common::load_valid(&service);
    let record = loaded
        .types
        .1
        .structures
        .iter()
        .find(|s| s.name.value == "PhysicalConnectionType")
        .unwrap();
    assert_eq!(record.fields.last().unwrap().ty.value, "Keys");

    write(
        &types,
        "structures:\n  PhysicalConnectionType:\n    added_fields:\n      \
         - { name: Status, type: string, description: x }\n\
         added_structures:\n  - { name: Tag, description: x, fields: [] }\n",
    );
    let err = alibaba::run(&common::options(tmp.path(), &ACTIONS)).unwrap_err();
    let Error::Stale(_, stale) = &err else {
        panic!("{err}")
    };
    assert_eq!(stale.len(), 2, "{stale:?}");
    assert!(
        stale.iter().any(|s| s.contains("added structure `Tag`")),
        "{stale:?}"
    );
    assert!(
        stale
            .iter()
            .any(|s| s.contains("`PhysicalConnectionType.Status` is in the metadata")),
        "{stale:?}"
    );
}

#[test]
fn curation_sets_the_release_and_the_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let service = tmp.path().join("alibaba-vpc");
    write(
        &service.join("curation/service.yaml"),
        "version: 1.2.3\nchangelog:\n  - { version: 1.2.3, changes: Our notes. }\n",
    );
    // The metadata calls ConfirmPhysicalConnection a `get`; it changes the circuit's state.
    write(
        &service.join("curation/actions/ConfirmPhysicalConnection.yaml"),
        "kind: write\n",
    );
    common::import(tmp.path(), &["ConfirmPhysicalConnection"]);
    let (loaded, _) = common::load_valid(&service);
    let svc = &loaded.service.1;
    assert_eq!(
        svc.version.as_ref().map(|v| v.value.as_str()),
        Some("1.2.3")
    );
    assert_eq!(svc.changelog.len(), 1);
    let (_, action) = &loaded.actions[0];
    assert_eq!(action.kind.value, "write");
}
