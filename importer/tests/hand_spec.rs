//! The importer reproduces the facts of the hand-written Alibaba spec, fact by
//! fact; every difference is listed here with its reason.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use truebind_codegen::load::{self, LoadedService};
use truebind_codegen::model::Field;

/// One line per fact of `action`: kind, each field (path, shape, required, limits), each error.
fn facts(svc: &LoadedService, action: &str) -> BTreeSet<String> {
    let (_, a) = svc
        .actions
        .iter()
        .find(|(_, a)| a.name.value == action)
        .unwrap();
    let mut out = BTreeSet::from([format!("kind {}", a.kind.value)]);
    walk(svc, "in", &a.input, &mut out, 0);
    walk(svc, "out", &a.output, &mut out, 0);
    for e in &a.errors {
        let message = e.message.as_deref().unwrap_or("-");
        out.insert(format!(
            "error {:?} {}: {message}",
            e.http_status, e.code.value
        ));
    }
    out
}

fn walk(svc: &LoadedService, at: &str, fields: &[Field], out: &mut BTreeSet<String>, depth: usize) {
    assert!(depth < 8, "structure nesting too deep at {at}");
    for f in fields {
        let path = format!("{at}.{}", f.name.value);
        let c = &f.constraints;
        let limits = [
            c.min.as_ref().map(|v| format!("min={}", v.value)),
            c.max.as_ref().map(|v| format!("max={}", v.value)),
            c.max_length
                .as_ref()
                .map(|v| format!("max_length={}", v.value)),
            c.max_items
                .as_ref()
                .map(|v| format!("max_items={}", v.value)),
            c.ascii.then(|| "ascii".to_owned()),
            f.required.then(|| "required".to_owned()),
            f.idempotency_token.then(|| "token".to_owned()),
            f.default.as_ref().map(|v| format!("default={v}")),
        ];
        let limits: Vec<String> = limits.into_iter().flatten().collect();
        out.insert(
            format!("{path}: {} {}", shape(svc, &f.ty.value), limits.join(" "))
                .trim_end()
                .to_owned(),
        );
        let inner = f.ty.value.trim_start_matches("list<").trim_end_matches('>');
        if let Some(s) = svc
            .types
            .1
            .structures
            .iter()
            .find(|s| s.name.value == inner)
        {
            walk(svc, &path, &s.fields, out, depth + 1);
        }
    }
}

/// The type with structure names replaced by `object` and enum names by `enum`.
fn shape(svc: &LoadedService, ty: &str) -> String {
    if let Some(inner) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        return format!("list<{}>", shape(svc, inner));
    }
    if svc.types.1.structures.iter().any(|s| s.name.value == ty) {
        "object".into()
    } else if svc.types.1.enums.iter().any(|e| e.name.value == ty) {
        "enum".into()
    } else {
        ty.into()
    }
}

fn differences(action: &str) -> (Vec<String>, Vec<String>) {
    differences_with(action, None)
}

/// Differences after importing with the curation in `curation` (a fixture directory).
fn differences_with(action: &str, curation: Option<&str>) -> (Vec<String>, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    if let Some(name) = curation {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&from, &tmp.path().join("alibaba-vpc/curation"));
    }
    common::import(
        tmp.path(),
        &["DeletePhysicalConnection", "DescribePhysicalConnections"],
    );
    let imported =
        load::load_service(&tmp.path().join("alibaba-vpc")).unwrap_or_else(|e| panic!("{e}"));
    let hand_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/alibaba-vpc");
    let hand = load::load_service(&hand_dir).unwrap_or_else(|e| panic!("{e}"));
    let (i, h) = (facts(&imported, action), facts(&hand, action));
    (
        h.difference(&i).cloned().collect(),
        i.difference(&h).cloned().collect(),
    )
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn delete_physical_connection_matches_the_hand_spec() {
    let (only_hand, only_imported) = differences("DeletePhysicalConnection");
    assert_eq!(
        only_hand,
        [
            // The hand spec follows the 2024 page; the 2025-12 metadata dropped these rows
            // (a real vendor change, taken up by the coverage issue).
            "error Some(400) Forbidden.NotAllowedInState: The request does not allow in this state.",
            "error Some(400) Forbidden.VBRExists: The vbr still exists.",
            "error Some(400) Forbidden.VBRExists: vbr owner's vbr still exists.",
            "error Some(404) InvalidRegionId.NotFound: The RegionId provided does not exist in our records.",
            // Length and ASCII limits are prose in the metadata: curation adds them.
            "in.ClientToken: string max_length=64 ascii token",
        ]
    );
    assert_eq!(
        only_imported,
        [
            // Rows the metadata added since that page.
            "error Some(400) Forbidden.NotInAllowDeleteStatus: Only physical connection in the \
             Cancelled, Rejected, Terminated, Allocated, or AllocationFailed states can be deleted.",
            "error Some(400) OperationDenied.ExistVbrInPhysicalConnection: It cannot be deleted when VBR exists.",
            "error Some(400) OperationDenied.NeedVpconnOwnerOrPconnOwner: The deletion failed. Only \
             the owner of virtual physical connection or physical connection can delete it.",
            "error Some(400) ResourceAlreadyAssociated.PconnQos: The specified resource of PconnQos \
             is already associated.",
            "error Some(400) ResourceNotFound.PhysicalConnectionId: PhysicalConnection is not found.",
            // The same ClientToken without its prose-only limits (see above).
            "in.ClientToken: string token",
        ]
    );
}

#[test]
fn describe_physical_connections_matches_the_hand_spec() {
    let (only_hand, only_imported) = differences("DescribePhysicalConnections");
    let record = "out.PhysicalConnectionSet.PhysicalConnectionType";
    let macsec = format!("{record}.MacsecKeys");
    let expected_hand: Vec<String> = [
        // Prose-only limits and flags, for curation: token length, a default the metadata
        // states only in prose, tag key length, and a filter key the old metadata required
        // (the current one does not).
        "in.ClientToken: string max_length=64 ascii",
        "in.Filter.Key: string required",
        "in.IncludeReservationData: boolean default=false",
        "in.Tags.Key: string max_length=128",
        // The metadata allows 5 tags, the page the hand spec followed 20 (vendor change).
        "in.Tags: list<object> max_items=20",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(
        // Fields from the SDK model that this metadata does not list.
        [
            format!("{record}.DeviceFeaturesSelected: string"),
            format!("{record}.DownDelayTime: integer"),
            format!("{macsec}.MacsecKey.Cak: string"),
            format!("{macsec}.MacsecKey.CipherSuite: string"),
            format!("{macsec}.MacsecKey.Ckn: string"),
            format!("{macsec}.MacsecKey.StartOn: string"),
            format!("{macsec}.MacsecKey.Status: string"),
            format!("{macsec}.MacsecKey: list<object>"),
            format!("{macsec}: object"),
            // The status enum is prose in the metadata: curation names the enum.
            format!("{record}.Status: enum"),
            format!("{record}.Tags.tags.Key: string max_length=128"),
        ],
    )
    .collect();
    assert_eq!(only_hand, expected_hand);
    let expected_imported: Vec<String> = [
        // The hand spec has no error table for this action; the metadata has four rows.
        "error Some(400) InvalidTagKey.Malformed: The specified tag key is invalid.",
        "error Some(400) OperationFailed.InternalError: The request processing has failed due to \
         some unknown error.",
        "error Some(400) OperationUnsupported.ResourceGroupId: ResourceGroupId in  financial region \
         is unsupported.",
        "error Some(404) InvalidFilterKey.ValueNotSupported: Specified filter key is not supported: \
         Filter.X.key",
        // The counterparts of the prose-only facts above.
        "in.ClientToken: string",
        "in.Filter.Key: string",
        "in.IncludeReservationData: boolean",
        "in.Tags.Key: string",
        "in.Tags: list<object> max_items=5",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([
        format!("{record}.Status: string"),
        format!("{record}.Tags.tags.Key: string"),
    ])
    .collect();
    assert_eq!(only_imported, expected_imported);
}

/// With curation for the prose-only facts, what is left is what the vendor changed
/// (or, for the SDK-only fields, what this metadata never had).
#[test]
fn curation_leaves_only_vendor_changes() {
    let curation = Some("physical-connection-curation");
    let (only_hand, only_imported) = differences_with("DeletePhysicalConnection", curation);
    assert!(
        only_hand
            .iter()
            .chain(&only_imported)
            .all(|d| d.starts_with("error ")),
        "{only_hand:#?} {only_imported:#?}"
    );
    let (only_hand, only_imported) = differences_with("DescribePhysicalConnections", curation);
    let record = "out.PhysicalConnectionSet.PhysicalConnectionType";
    let sdk_only = |d: &&String| {
        ["DeviceFeaturesSelected", "DownDelayTime", "MacsecKeys"]
            .iter()
            .any(|f| d.starts_with(&format!("{record}.{f}")))
    };
    let left: Vec<&String> = only_hand.iter().filter(|d| !sdk_only(d)).collect();
    assert_eq!(left, ["in.Tags: list<object> max_items=20"]);
    let left: Vec<&String> = only_imported
        .iter()
        .filter(|d| !d.starts_with("error "))
        .collect();
    assert_eq!(left, ["in.Tags: list<object> max_items=5"]);
}
