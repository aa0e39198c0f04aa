//! Zenlayer imports use the same curation as Alibaba's: curated content
//! survives re-import, curation naming a fact the pages no longer have fails
//! the import, and a hand-written file is never overwritten.

mod zenlayer_common;

use std::path::Path;

use truebind_importer::Error;
use truebind_importer::zenlayer::{self, Options};
use zenlayer_common::{load_valid, seed};

fn options(spec_dir: &Path) -> Options {
    Options {
        pages: vec![
            seed("004_bdadefa97c7f8654.txt"),
            seed("002_694fa60e3318dfd4.txt"),
        ],
        spec_dir: spec_dir.to_path_buf(),
        service: None,
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn curation_survives_re_import_and_a_second_import_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("zenlayer-sdn");
    write(
        &dir.join("curation/actions/CreatePrivateConnect.yaml"),
        "summary: Creates a Layer 2 private connect.\n\
         input:\n  endpointZ:\n    description: Second access point.\n\
         errors:\n  - code: INVALID_PORT_NOT_FOUND\n    description: A port does not exist.\n",
    );
    let first = zenlayer::run(&options(tmp.path())).unwrap();
    assert_eq!(first.imported, ["CreatePrivateConnect", "DestroyPort"]);
    let again = zenlayer::run(&options(tmp.path())).unwrap();
    assert!(again.changed.is_empty(), "{:?}", again.changed);
    let (loaded, _) = load_valid(&dir);
    let (_, a) = loaded
        .actions
        .iter()
        .find(|(_, a)| a.name.value == "CreatePrivateConnect")
        .unwrap();
    assert_eq!(a.summary.en(), "Creates a Layer 2 private connect.");
    let z = a
        .input
        .iter()
        .find(|f| f.name.value == "endpointZ")
        .unwrap();
    assert_eq!(z.description.en(), "Second access point.");
    assert_eq!(a.errors[0].description.en(), "A port does not exist.");
    assert!(
        again
            .suggestions
            .iter()
            .any(|s| s.starts_with("DestroyPort: asynchronous")
                && s.contains("DESTROYING → DESTROYED")
                && s.contains("DescribePorts")),
        "{:#?}",
        again.suggestions
    );
}

#[test]
fn curation_of_a_field_the_page_lacks_fails_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path()
            .join("zenlayer-sdn/curation/actions/DestroyPort.yaml"),
        "input:\n  portIds:\n    description: gone.\n",
    );
    let err = zenlayer::run(&options(tmp.path())).expect_err("stale curation");
    assert!(
        err.to_string()
            .starts_with("curation no longer matches the vendor's docs pages"),
        "{err}"
    );
    match err {
        Error::Stale(_, lines) => assert_eq!(
            lines,
            ["DestroyPort: input field `portIds` is no longer imported"]
        ),
        other => panic!("{other:?}"),
    }
    assert!(!tmp.path().join("zenlayer-sdn/actions").exists());
}

#[test]
fn a_hand_written_action_file_stops_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    let hand = tmp.path().join("zenlayer-sdn/actions/DestroyPort.yaml");
    write(&hand, "name: DestroyPort\n");
    match zenlayer::run(&options(tmp.path())) {
        Err(Error::HandWritten(paths)) => assert_eq!(paths, std::slice::from_ref(&hand)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&hand).unwrap(),
        "name: DestroyPort\n"
    );
}

#[test]
fn an_import_that_leaves_out_an_imported_action_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    zenlayer::run(&options(tmp.path())).unwrap();
    let mut fewer = options(tmp.path());
    fewer.pages.pop();
    match zenlayer::run(&fewer) {
        Err(Error::Selection(lines)) => {
            assert_eq!(lines.len(), 1);
            assert!(
                lines[0].starts_with("DestroyPort was imported before"),
                "{lines:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_page_without_its_url_gets_the_reference_root_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("page.md");
    write(
        &page,
        "# RenewThing\n## 2. Input Parameters\n| Parameter Name | Required | Type | Description |\n\
         |---|---|---|---|\n| thingId | Yes | String | x |\n## 6. Error Codes\nNo error codes.\n",
    );
    let report = zenlayer::run(&Options {
        pages: vec![page],
        spec_dir: tmp.path().to_path_buf(),
        service: None,
    })
    .unwrap();
    let (loaded, _) = load_valid(&tmp.path().join("zenlayer-sdn"));
    let docs = loaded.actions[0].1.docs_url.as_ref().unwrap();
    assert_eq!(
        docs.value,
        "https://docs.console.zenlayer.com/api-reference/networking/sdn"
    );
    assert!(
        report.dropped.contains(
            &"RenewThing: no rendering names its URL; docs_url is the SDN reference root"
                .to_owned()
        ),
        "{:#?}",
        report.dropped
    );
}

/// A whole data-type page (a synthetic one in the vendor's layout): a section with a
/// type column is a structure, one without (upper-case values) an enum.
#[test]
fn a_data_type_page_gives_structures_and_enums() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zenlayer-pages");
    let report = zenlayer::run(&Options {
        pages: vec![
            fixtures.join("DescribeWidgets.md"),
            fixtures.join("datatypes.md"),
        ],
        spec_dir: tmp.path().to_path_buf(),
        service: None,
    })
    .unwrap();
    assert!(
        report.lacks.is_empty() && report.dropped.is_empty(),
        "{report:#?}"
    );
    let (loaded, _) = load_valid(&tmp.path().join("zenlayer-sdn"));
    let types = &loaded.types.1;
    let widget = &types.structures[0];
    assert_eq!(widget.name.value, "WidgetInfo");
    let fields: Vec<(&str, &str)> = widget
        .fields
        .iter()
        .map(|f| (f.name.value.as_str(), f.ty.value.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("widgetId", "string"),
            ("widgetStatus", "WidgetStatus"),
            ("sizeGb", "integer")
        ]
    );
    assert_eq!(widget.fields[2].unit.as_deref(), Some("GB"));
    let status = &types.enums[0];
    let values: Vec<&str> = status
        .values
        .iter()
        .map(|v| v.value.value.as_str())
        .collect();
    assert_eq!(
        (status.name.value.as_str(), values),
        ("WidgetStatus", vec!["CREATING", "RUNNING"])
    );
    let a = &loaded.actions[0].1;
    assert_eq!(a.kind.value, "read");
    assert_eq!(a.output[1].ty.value, "list<WidgetInfo>");
    let page_size = &a.input[1];
    assert_eq!(page_size.default, Some(serde_json::json!(20)));
    assert_eq!(
        page_size.constraints.max.as_ref().map(|m| m.value),
        Some(1000)
    );
    let statuses: Vec<(Option<u16>, Option<u32>)> = a
        .errors
        .iter()
        .map(|e| (e.http_status, e.vendor_status))
        .collect();
    assert_eq!(statuses, [(Some(404), None), (None, Some(7001))]);
}

#[test]
fn a_curated_enum_replaces_the_imported_one_of_its_name_and_what_it_lacks_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("zenlayer-sdn");
    write(
        &dir.join("curation/types.yaml"),
        "enums:\n  - name: CloudType\n    description: Public cloud of an endpoint.\n    values:\n      - value: AWS\n        description: Amazon.\n",
    );
    let pages = zenlayer_common::pages(|n| n.starts_with("DescribeCloudAvailableBandwidthTiers."));
    let mut all = options(tmp.path()).pages;
    all.extend(pages);
    let report = zenlayer::run(&Options {
        pages: all,
        ..options(tmp.path())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let (loaded, _) = load_valid(&dir);
    let cloud: Vec<_> = loaded
        .types
        .1
        .enums
        .iter()
        .filter(|e| e.name.value == "CloudType")
        .collect();
    assert_eq!(cloud.len(), 1);
    assert_eq!(cloud[0].description.en(), "Public cloud of an endpoint.");
    assert!(
        report.dropped.iter().any(|d| d
            == "enum `CloudType`: the curated enum replaces the imported one and lacks `TENCENT`"),
        "{:#?}",
        report.dropped
    );
}
