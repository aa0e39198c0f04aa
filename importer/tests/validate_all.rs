//! Importing all 394 VPC actions gives a spec that truebind-codegen loads,
//! validates and emits; actions the spec cannot express are named, not dropped.

use std::path::Path;

use truebind_importer::alibaba::{self, Options};

const METADATA: &str = "/work/shared/vendor/alibaba-vpc/api-docs.en_us.json";

#[test]
fn every_expressible_action_loads_and_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let options = Options {
        metadata: METADATA.into(),
        actions: Vec::new(),
        directories: Vec::new(),
        spec_dir: tmp.path().to_path_buf(),
        service: None,
    };
    let report = alibaba::run(&options).unwrap();
    let dir = tmp.path().join("alibaba-vpc");
    let loaded = truebind_codegen::load::load_service(&dir).unwrap_or_else(|e| panic!("{e}"));
    let service = truebind_codegen::validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.imported.len() + report.unsupported.len(), 394);
    assert_eq!(service.actions.len(), report.imported.len());
    let _ = Path::new(METADATA);
}
