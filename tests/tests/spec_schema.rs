//! The committed JSON Schemas really describe the spec files.
//!
//! Every spec file must name its schema on the first line (so YAML editors
//! validate and complete it), and the schema must accept every real and
//! fixture spec file. A schema that rejected a valid spec would teach editors
//! to flag correct files.

mod workspace;

use std::path::PathBuf;

/// Every spec YAML file with the schema it must use.
fn spec_files() -> Vec<(PathBuf, &'static str)> {
    let root = workspace::root();
    let mut out = Vec::new();
    for spec_root in ["spec", "tests/fixtures/spec"] {
        for service in truebind_codegen::load::service_dirs(&root.join(spec_root)).unwrap() {
            out.push((service.join("service.yaml"), "service"));
            if service.join("types.yaml").exists() {
                out.push((service.join("types.yaml"), "types"));
            }
            for entry in std::fs::read_dir(service.join("actions")).unwrap() {
                out.push((entry.unwrap().path(), "action"));
            }
        }
    }
    out
}

#[test]
fn every_spec_file_names_its_schema_on_the_first_line() {
    let schema_dir = workspace::root().join("spec/schema");
    for (file, kind) in spec_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let reference = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{} does not start with a schema reference", file.display()));
        let target = file.parent().unwrap().join(reference);
        assert_eq!(
            target.canonicalize().unwrap(),
            schema_dir
                .join(format!("{kind}.schema.json"))
                .canonicalize()
                .unwrap(),
            "{} points at the wrong schema",
            file.display()
        );
    }
}

#[test]
fn the_schemas_accept_every_spec_file_and_reject_a_typo() {
    let schema = |kind: &str| {
        let path = workspace::root().join(format!("spec/schema/{kind}.schema.json"));
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&value).unwrap()
    };
    let files = spec_files();
    assert!(files.len() >= 10, "found only {} spec files", files.len());
    for (file, kind) in &files {
        let yaml = std::fs::read_to_string(file).unwrap();
        let value: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        let errors: Vec<String> = schema(kind)
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{} fails its schema: {errors:?}",
            file.display()
        );
    }
    let typo: serde_json::Value =
        serde_saphyr::from_str("name: X\nsumary: typo\nkind: read\n").unwrap();
    assert!(
        !schema("action").is_valid(&typo),
        "an unknown key must be rejected"
    );
}
