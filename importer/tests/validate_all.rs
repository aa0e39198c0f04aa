//! Importing all 394 VPC actions gives a spec that truebind-codegen loads,
//! validates and emits; actions the spec cannot express are named, not dropped.

mod common;

use std::path::Path;

#[test]
fn every_expressible_action_loads_validates_and_emits() {
    let tmp = tempfile::tempdir().unwrap();
    let report = common::import(tmp.path(), &[]);
    let dir = tmp.path().join("alibaba-vpc");
    let loaded = truebind_codegen::load::load_service(&dir).unwrap_or_else(|e| panic!("{e}"));
    let service = truebind_codegen::validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    let files = truebind_codegen::emit::service_files(&service, Path::new("spec"), Path::new("generated")).unwrap();
    assert_eq!(report.imported.len() + report.unsupported.len(), 394);
    assert_eq!(service.actions.len(), report.imported.len());
    assert!(files.len() > report.imported.len());
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
