//! Snapshots of the validated model (IR) of the real spec, one per service.
//!
//! When a maintainer edits a YAML file, `cargo insta review` shows the change
//! as the generator understood it (a new parameter, its type, limits and
//! docs), next to the code diff under `generated/`.
//!
//! Of a service with action groups, the snapshot holds one group and the
//! types it reaches (the curated Express Connect family of alibaba-vpc): the
//! whole imported service would be a 10 MB snapshot nobody can review, and
//! `generated/` already shows the rest.

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
        let mut service = truebind_codegen::validate::validate(&loaded).expect("spec is valid");
        if service.actions.iter().any(|a| a.group.is_some()) {
            keep_group(&mut service, SNAPSHOT_GROUP);
        }
        insta::assert_debug_snapshot!(service.crate_name.clone(), service);
    }
}

/// The group a grouped service's snapshot holds.
const SNAPSHOT_GROUP: &str = "physical-connection";

/// Keeps the actions of `group` and the structures and enums they reach
/// (named in their model, directly or through another kept structure).
fn keep_group(service: &mut truebind_codegen::ir::Service, group: &str) {
    service
        .actions
        .retain(|a| a.group.as_deref() == Some(group));
    assert!(!service.actions.is_empty(), "no action in group {group}");
    let mut shown = format!("{:?}{:?}", service.actions, service.resources);
    let mut kept = std::collections::BTreeSet::new();
    // Each round adds the structures named so far; a round that adds none ends it.
    loop {
        let before = kept.len();
        for s in &service.structs {
            if shown.contains(&format!("{:?}", s.name)) && kept.insert(s.name.clone()) {
                shown.push_str(&format!("{:?}", s.fields));
            }
        }
        if kept.len() == before {
            break;
        }
    }
    service.structs.retain(|s| kept.contains(&s.name));
    service
        .enums
        .retain(|e| shown.contains(&format!("{:?}", e.name)));
}
