//! The metadata's `deprecated` flag reaches the spec (`deprecated:`), the validated model
//! and the generated client (`#[deprecated(note = …)]` on the method).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_action_the_metadata_deprecates_is_deprecated_in_the_generated_client() {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::metadata()).expect("metadata"))
            .expect("JSON");
    let flagged: BTreeSet<&str> = json["apis"]
        .as_object()
        .expect("apis")
        .iter()
        .filter(|(_, api)| api["deprecated"] == true)
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(flagged.len(), 18, "the metadata changed: {flagged:?}");
    let tmp = tempfile::tempdir().expect("temp dir");
    let wanted: Vec<&str> = flagged.iter().copied().chain(["DescribeVpcs"]).collect();
    common::import(tmp.path(), &wanted);
    let (_, service) = common::load_valid(&tmp.path().join("alibaba-vpc"));
    let deprecated: BTreeSet<&str> = service
        .actions
        .iter()
        .filter(|a| a.deprecated.is_some())
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(deprecated, flagged);
    let files =
        truebind_codegen::emit::service_files(&service, Path::new("spec"), Path::new("generated"))
            .expect("emits");
    let client = files
        .iter()
        .find(|f| f.path.ends_with("src/client.rs"))
        .expect("client.rs");
    assert_eq!(
        client.contents.matches("#[deprecated(").count(),
        18,
        "one attribute per deprecated method"
    );
}
