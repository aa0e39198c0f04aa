//! The importer's writer (`truebind_importer::spec`) mirrors the generator's model
//! (`truebind_codegen::model`) by hand. This test compares the keys of the two, structure by
//! structure (as their JSON schemas list them), so that a key added to the model is either
//! written by the importer or listed here as one it never writes, with the reason.

mod common;

use std::collections::BTreeSet;

use schemars::{JsonSchema, Schema, schema_for};
use serde_json::Value;

/// Model keys the importer deliberately never writes: `(structure, key, why)`.
const NOT_WRITTEN: &[(&str, &str, &str)] = &[];

/// `(structure, key)` of every object in a schema: the root (named `root`) and `$defs`.
fn keys(root: &str, schema: &Schema) -> BTreeSet<(String, String)> {
    let value = schema.as_value();
    let mut out = BTreeSet::new();
    let mut add = |name: &str, object: &Value| {
        for key in object["properties"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.keys())
        {
            out.insert((name.to_owned(), key.clone()));
        }
    };
    add(root, value);
    for (name, def) in value["$defs"].as_object().into_iter().flatten() {
        add(name, def);
    }
    out
}

/// Structures of `ours` (the importer's) whose keys differ from the model's: `(missing, extra)`.
fn compare<Model: JsonSchema, Ours: JsonSchema>(root: &str) -> (Vec<String>, Vec<String>) {
    let model = keys(root, &schema_for!(Model));
    let ours = keys(root, &schema_for!(Ours));
    let written: BTreeSet<&str> = ours.iter().map(|(s, _)| s.as_str()).collect();
    let missing = model
        .difference(&ours)
        .filter(|(s, _)| written.contains(s.as_str()))
        .filter(|(s, k)| !NOT_WRITTEN.iter().any(|(ns, nk, _)| ns == s && nk == k))
        .map(|(s, k)| format!("{s}.{k}"))
        .collect();
    let extra = ours
        .difference(&model)
        .map(|(s, k)| format!("{s}.{k}"))
        .collect();
    (missing, extra)
}

#[test]
fn the_importer_writes_every_key_of_the_generators_model() {
    use truebind_codegen::model as m;
    use truebind_importer::spec as ours;
    for (root, (missing, extra)) in [
        (
            "ServiceFile",
            compare::<m::ServiceFile, ours::ServiceFile>("ServiceFile"),
        ),
        (
            "TypesFile",
            compare::<m::TypesFile, ours::TypesFile>("TypesFile"),
        ),
        (
            "ActionFile",
            compare::<m::ActionFile, ours::ActionFile>("ActionFile"),
        ),
    ] {
        assert!(
            missing.is_empty(),
            "{root}: model keys the importer's writer (importer/src/spec.rs) lacks: {missing:?}; \
             write them, or list them in NOT_WRITTEN with the reason"
        );
        assert!(
            extra.is_empty(),
            "{root}: keys the importer writes that the model does not have: {extra:?}"
        );
    }
}

#[test]
fn the_crate_version_changelog_and_service_wide_errors_survive_an_import() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let curation = tmp.path().join("alibaba-vpc/curation");
    std::fs::create_dir_all(&curation).expect("mkdir");
    std::fs::write(
        curation.join("service.yaml"),
        "version: 0.2.0\n\
         changelog:\n  - { version: 0.2.0, changes: Second. }\n  - { version: 0.1.0, changes: First. }\n\
         errors:\n  - { http_status: 400, code: Throttling.User, message: Too fast., description: Slow down. }\n",
    )
    .expect("write");
    common::import(tmp.path(), &["DescribeVpcs"]);
    let (loaded, service) = common::load_valid(&tmp.path().join("alibaba-vpc"));
    let file = &loaded.service.1;
    assert_eq!(
        file.version.as_ref().map(|v| v.value.as_str()),
        Some("0.2.0")
    );
    assert_eq!(file.changelog.len(), 2);
    assert_eq!(service.common_errors.len(), 1);
}
