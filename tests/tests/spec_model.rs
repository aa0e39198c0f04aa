//! Snapshots of the validated model (IR) of the real spec, one per service.
//!
//! When a maintainer edits a YAML file, `cargo insta review` shows the change
//! as the generator understood it (a new parameter, its type, limits and
//! docs), next to the code diff under `generated/`.

mod workspace;

#[test]
fn real_spec_model_matches_its_snapshot() {
    let spec = workspace::root().join("spec");
    let dirs = truebind_codegen::load::service_dirs(&spec).expect("spec/ is readable");
    assert_eq!(
        dirs.len(),
        2,
        "expected the zenlayer-sdn and alibaba-vpc services"
    );
    for dir in dirs {
        let loaded = truebind_codegen::load::load_service(&dir).expect("spec loads");
        let service = truebind_codegen::validate::validate(&loaded).expect("spec is valid");
        insta::assert_debug_snapshot!(service.crate_name.clone(), service);
    }
}
