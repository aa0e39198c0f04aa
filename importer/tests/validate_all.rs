//! Importing all 394 VPC actions gives a spec that truebind-codegen loads,
//! validates and emits; an action the spec could not express would be named, not dropped.

mod common;

use std::collections::HashSet;
use std::path::Path;

use truebind_codegen::load::LoadedService;
use truebind_codegen::model::{Field, Text};

/// Sentences of the vendor's prose (summaries, descriptions, titles; en and zh), normalized.
fn vendor_sentences() -> HashSet<String> {
    let mut out = HashSet::new();
    let en = common::metadata();
    for file in [en.clone(), en.with_file_name("api-docs.zh_cn.json")] {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        collect_prose(&json, &mut out);
    }
    out
}

fn collect_prose(v: &serde_json::Value, out: &mut HashSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("summary" | "description" | "title", serde_json::Value::String(s)) => {
                        out.extend(sentences(s));
                    }
                    _ => collect_prose(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_prose(v, out)),
        _ => {}
    }
}

/// Sentences long enough to be prose rather than a name.
fn sentences(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(['.', '\n', '。'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| s.split(' ').count() >= 3 || s.chars().count() >= 8 && !s.is_ascii())
}

/// Every piece of prose a loaded spec holds.
fn spec_prose(svc: &LoadedService) -> Vec<String> {
    let mut texts: Vec<&Text> = vec![&svc.service.1.description];
    let mut fields: Vec<&Field> = Vec::new();
    for s in &svc.types.1.structures {
        texts.push(&s.description);
        fields.extend(&s.fields);
    }
    texts.extend(svc.types.1.enums.iter().map(|e| &e.description));
    for (_, a) in &svc.actions {
        texts.push(&a.summary);
        texts.extend(&a.description);
        texts.extend(a.errors.iter().map(|e| &e.description));
        fields.extend(a.input.iter().chain(&a.output));
    }
    texts.extend(fields.iter().map(|f| &f.description));
    texts
        .iter()
        .flat_map(|t| [Some(t.en()), t.zh()])
        .flatten()
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_action_loads_validates_and_emits() {
    let tmp = tempfile::tempdir().unwrap();
    let report = common::import(tmp.path(), &[]);
    let dir = tmp.path().join("alibaba-vpc");
    let (loaded, service) = common::load_valid(&dir);
    let files =
        truebind_codegen::emit::service_files(&service, Path::new("spec"), Path::new("generated"))
            .unwrap();
    assert_eq!(report.imported.len() + report.unsupported.len(), 394);
    assert_eq!(service.actions.len(), report.imported.len());
    assert!(files.len() > report.imported.len());
    let endpoints = &loaded.service.1.regional_endpoints;
    assert!(
        endpoints.len() > 20,
        "{} regional endpoints",
        endpoints.len()
    );
    assert!(
        endpoints
            .iter()
            .any(|e| e.region == "cn-shanghai" && e.host == "vpc.cn-shanghai.aliyuncs.com")
    );
    let vendor = vendor_sentences();
    assert!(
        vendor.len() > 5000,
        "only {} vendor sentences",
        vendor.len()
    );
    let copied: Vec<String> = spec_prose(&loaded)
        .iter()
        .flat_map(|p| sentences(p).collect::<Vec<_>>())
        .filter(|s| vendor.contains(s))
        .collect();
    assert!(
        copied.is_empty(),
        "vendor sentences in the spec: {copied:?}"
    );
    let action = |name: &str| {
        &loaded
            .actions
            .iter()
            .find(|(_, a)| a.name.value == name)
            .unwrap_or_else(|| panic!("{name} not imported"))
            .1
    };
    // Paging and groups are facts read from the names and the metadata's directories.
    let paging = action("ListVirtualPhysicalConnections")
        .paging
        .as_ref()
        .unwrap();
    assert_eq!(paging.next_token.as_ref().unwrap().value, "NextToken");
    assert_eq!(paging.page_size.value, "MaxResults");
    let paging = action("DescribeVpcs").paging.as_ref().unwrap();
    assert_eq!(paging.total.as_ref().unwrap().value, "TotalCount");
    assert_eq!(paging.items.value, "Vpcs.Vpc");
    let paged = service
        .actions
        .iter()
        .filter(|a| a.paging.is_some())
        .count();
    assert_eq!(paged, 70, "page-number and token list actions");
    let group = |name: &str| action(name).group.as_ref().map(|g| g.value.clone());
    assert_eq!(
        group("ListVirtualPhysicalConnections").as_deref(),
        Some("physical-connection")
    );
    assert_eq!(group("CreateSnatEntry").as_deref(), Some("nat"));
    assert!(loaded.actions.iter().all(|(_, a)| a.group.is_some()));
    // Parameters sent as one value, or in the form body, carry the generator's keys.
    let placement = |action_name: &str, wire: &str| {
        let f = action(action_name)
            .input
            .iter()
            .find(|f| f.name.value == wire)
            .unwrap();
        (
            f.encoding.as_ref().map(|e| e.value.clone()),
            f.location.as_ref().map(|l| l.value.clone()),
        )
    };
    assert_eq!(
        placement("CreateNatGateway", "AccessMode"),
        (Some("json".into()), None)
    );
    assert_eq!(
        placement("GrantInstanceToVbr", "VbrInstanceIds"),
        (Some("comma-separated".into()), None)
    );
    assert_eq!(
        placement("CreateVpnConnection", "TunnelOptionsSpecification"),
        (None, Some("form".into()))
    );
    assert_eq!(placement("CreateNatGateway", "VpcId"), (None, None));
    assert!(action("ApplyPhysicalConnectionLOA").input.len() > 5);
    assert!(report.unsupported.is_empty(), "{:#?}", report.unsupported);
    // Examples pasted with tabs from the docs would put tabs into rustdoc.
    let padded: Vec<&str> = loaded
        .actions
        .iter()
        .flat_map(|(_, a)| a.input.iter().chain(&a.output))
        .chain(loaded.types.1.structures.iter().flat_map(|s| &s.fields))
        .filter_map(|f| f.example.as_ref()?.as_str())
        .filter(|e| e.trim() != *e)
        .collect();
    assert!(padded.is_empty(), "{padded:?}");
}
