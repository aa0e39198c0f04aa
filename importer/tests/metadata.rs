//! Small hand-made metadata files: unknown keys are ignored, and fixups expire.

mod common;

use std::path::Path;

use truebind_importer::{Error, alibaba};

const TINY: &str = r#"{
  "version": "1.0", "keyTheVendorAddsTomorrow": {"x": 1},
  "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
  "directories": [{"title": "Things", "type": "directory", "children": ["DescribeThings"]}],
  "apis": {"DescribeThings": {
    "systemTags": {"operationType": "list"}, "newActionKey": true,
    "parameters": [{"name": "RegionId", "in": "query",
                    "schema": {"type": "string", "required": true, "example": "cn-x", "newSchemaKey": 1}}],
    "responses": {"200": {"schema": {"type": "object", "properties": {"RequestId": {"type": "string"}}}}},
    "errorCodes": {"404": [{"errorCode": "Thing.NotFound", "errorMessage": "No thing."}]}
  }},
  "endpoints": [{"regionId": "cn-x", "endpoint": "demo.cn-x.example.com"}]
}"#;

fn options(metadata: &Path, spec: &Path, directories: &[&str]) -> alibaba::Options {
    alibaba::Options {
        metadata: metadata.to_path_buf(),
        actions: Vec::new(),
        directories: directories.iter().map(|d| (*d).to_owned()).collect(),
        spec_dir: spec.to_path_buf(),
        service: Some("demo".into()),
        show_vendor_text: false,
    }
}

#[test]
fn a_full_import_fails_when_fixups_apply_nowhere() {
    let tmp = tempfile::tempdir().unwrap();
    let metadata = tmp.path().join("api-docs.json");
    std::fs::write(&metadata, TINY).unwrap();
    let err = alibaba::run(&options(&metadata, tmp.path(), &[])).unwrap_err();
    let Error::Stale(_, stale) = &err else {
        panic!("{err}")
    };
    assert_eq!(stale.len(), alibaba::fixups::ALL.len(), "{stale:?}");
    assert!(stale[0].contains("duplicate-parameter"), "{stale:?}");
}

#[test]
fn unknown_vendor_keys_are_ignored_and_directories_select() {
    let tmp = tempfile::tempdir().unwrap();
    let metadata = tmp.path().join("api-docs.json");
    std::fs::write(&metadata, TINY).unwrap();
    let report = alibaba::run(&options(&metadata, tmp.path(), &["Things"])).unwrap();
    assert_eq!(report.imported, ["DescribeThings"]);
    let err = alibaba::run(&options(&metadata, tmp.path(), &["Nope"])).unwrap_err();
    assert!(err.to_string().contains("--directory \"Nope\""), "{err}");
    let (_, service) = common::load_valid(&tmp.path().join("demo"));
    assert_eq!(service.actions.len(), 1);
}

/// Three actions with a list of tags: two of one shape (different examples, request and
/// response side, `Tags` and lower-case `tags`), one with an extra field.
const TAGS: &str = r#"{
  "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
  "apis": {
    "CreateThing": {"systemTags": {"operationType": "create"},
      "parameters": [{"name": "Tags", "in": "query", "style": "repeatList", "schema": {"type": "array",
        "items": {"type": "object", "properties": {
          "Key": {"type": "string", "example": "a"}, "Value": {"type": "string"}}}}}],
      "responses": {"200": {"schema": {"type": "object", "properties": {"RequestId": {"type": "string"}}}}}},
    "DescribeThings": {"systemTags": {"operationType": "list"}, "parameters": [],
      "responses": {"200": {"schema": {"type": "object", "properties": {
        "RequestId": {"type": "string"}, "tags": {"type": "array",
        "items": {"type": "object", "properties": {
          "Key": {"type": "string", "example": "b"}, "Value": {"type": "string"}}}}}}}}},
    "TagThings": {"systemTags": {"operationType": "update"},
      "parameters": [{"name": "Tags", "in": "query", "schema": {"type": "array",
        "items": {"type": "object", "properties": {
          "Key": {"type": "string"}, "Value": {"type": "string"}, "Extra": {"type": "string"}}}}}],
      "responses": {"200": {"schema": {"type": "object", "properties": {"RequestId": {"type": "string"}}}}}}
  }
}"#;

#[test]
fn one_shape_under_one_name_is_one_structure() {
    let tmp = tempfile::tempdir().unwrap();
    let metadata = tmp.path().join("api-docs.json");
    std::fs::write(&metadata, TAGS).unwrap();
    let mut opts = options(&metadata, tmp.path(), &[]);
    opts.actions = ["CreateThing", "DescribeThings", "TagThings"]
        .map(String::from)
        .to_vec();
    alibaba::run(&opts).unwrap();
    let (loaded, _) = common::load_valid(&tmp.path().join("demo"));
    let names: Vec<&str> = loaded
        .types
        .1
        .structures
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["Tag", "TagThingsTag"]);
}
