//! Importing all 394 VPC actions gives a spec that truebind-codegen loads,
//! validates and emits; actions the spec cannot express are named, not dropped.

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
fn every_expressible_action_loads_validates_and_emits() {
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
    let unsupported: Vec<&str> = report.unsupported.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        unsupported,
        [
            "ApplyPhysicalConnectionLOA",
            "CompletePhysicalConnectionLOA",
            "CreateNatGateway",
            "CreateVpnAttachment",
            "CreateVpnConnection",
            "DescribePhysicalConnectionLOA",
            "GrantInstanceToVbr",
            "ModifyNatGatewayAttribute",
            "ModifyVpnAttachmentAttribute",
            "ModifyVpnConnectionAttribute",
            "RevokeInstanceFromVbr",
            "SecondApplyPhysicalConnectionLOA",
        ],
        "{:#?}",
        report.unsupported
    );
}
