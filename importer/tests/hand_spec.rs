//! Moving the hand-written Alibaba spec into curation lost nothing: a full
//! import with `spec/alibaba-vpc/curation/` reproduces the spec as it was
//! written by hand (frozen in `tests/fixtures/hand-spec/`), fact by fact and
//! text by text. What differs is listed here, and all of it is the vendor's
//! change since the page the hand spec followed.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use truebind_codegen::load::{self, LoadedService};
use truebind_codegen::model::{Field, Text};

fn text(t: &Text) -> String {
    match t.zh() {
        Some(zh) => format!("{} / {zh}", t.en()),
        None => t.en().to_owned(),
    }
}

/// One line per fact and text of `action`.
fn facts(svc: &LoadedService, action: &str) -> BTreeSet<String> {
    let (_, a) = svc
        .actions
        .iter()
        .find(|(_, a)| a.name.value == action)
        .unwrap();
    let mut out = BTreeSet::from([
        format!("kind {}", a.kind.value),
        format!(
            "group {}",
            a.group.as_ref().map_or("-", |g| g.value.as_str())
        ),
        format!("summary {}", text(&a.summary)),
        format!(
            "description {}",
            a.description.as_ref().map_or_else(String::new, text)
        ),
        format!(
            "docs_url {}",
            a.docs_url.as_ref().map_or("-", |u| u.value.as_str())
        ),
    ]);
    walk(svc, "in", &a.input, &mut out, 0);
    walk(svc, "out", &a.output, &mut out, 0);
    for e in &a.errors {
        let message = e.message.as_deref().unwrap_or("-");
        out.insert(format!(
            "error {:?} {}: {message} — {}",
            e.http_status,
            e.code.value,
            text(&e.description)
        ));
    }
    for p in &a.preconditions {
        let states: Vec<&str> = p.allowed_states.iter().map(|s| s.value.as_str()).collect();
        let about = p.description.as_ref().map_or_else(String::new, text);
        out.insert(format!(
            "precondition {} {states:?}: {about}",
            p.resource.value
        ));
    }
    if let Some(note) = &a.async_note {
        out.insert(format!("async {}", note.waiter.value));
    }
    if let Some(p) = &a.paging {
        let name = |f: &Option<serde_saphyr::Spanned<String>>| {
            f.as_ref().map_or("-", |f| f.value.as_str()).to_owned()
        };
        out.insert(format!(
            "paging {} {} {} {} {}",
            name(&p.page_number),
            p.page_size.value,
            name(&p.total),
            name(&p.next_token),
            p.items.value
        ));
    }
    for e in &a.examples {
        let json = |s: Option<&serde_saphyr::Spanned<String>>| {
            s.map_or_else(String::new, |s| {
                serde_json::from_str::<serde_json::Value>(&s.value)
                    .unwrap()
                    .to_string()
            })
        };
        out.insert(format!(
            "example {}: {} → {}",
            e.title,
            json(e.request.as_ref()),
            json(e.response.as_ref())
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
            f.lenient.then(|| "lenient".to_owned()),
            f.unit.as_ref().map(|u| format!("unit={u}")),
            f.default.as_ref().map(|v| format!("default={v}")),
        ];
        let limits: Vec<String> = limits.into_iter().flatten().collect();
        out.insert(
            format!("{path}: {} {}", f.ty.value, limits.join(" "))
                .trim_end()
                .to_owned(),
        );
        out.insert(format!("{path} — {}", text(&f.description)));
        let inner = f.ty.value.trim_start_matches("list<").trim_end_matches('>');
        if let Some(s) = svc
            .types
            .1
            .structures
            .iter()
            .find(|s| s.name.value == inner)
        {
            out.insert(format!(
                "{path} is {} — {}",
                s.name.value,
                text(&s.description)
            ));
            walk(svc, &path, &s.fields, out, depth + 1);
        }
    }
}

/// One line per enum value and per resource, lookup and waiter.
fn type_facts(svc: &LoadedService) -> BTreeSet<String> {
    let types = &svc.types.1;
    let mut out = BTreeSet::new();
    for e in &types.enums {
        let name = &e.name.value;
        out.insert(format!(
            "enum {name} — {} ({:?})",
            text(&e.description),
            e.note
        ));
        for v in &e.values {
            let aliases: Vec<&str> = v.aliases.iter().map(|a| a.value.as_str()).collect();
            let about = v.description.as_ref().map_or_else(String::new, text);
            out.insert(format!(
                "enum {name} {} {aliases:?} — {about}",
                v.value.value
            ));
        }
    }
    for r in &types.resources {
        out.insert(format!(
            "resource {} {} {} {} read {} {} ≤{}",
            r.name.value,
            r.status_enum.value,
            r.status_field.value,
            r.id_field.value,
            r.read.action.value,
            r.read.request.value,
            r.read.max_ids.value
        ));
        for w in &r.waiters {
            let states = |s: &[serde_saphyr::Spanned<String>]| {
                s.iter().map(|x| x.value.clone()).collect::<Vec<_>>()
            };
            out.insert(format!(
                "waiter {} in_progress {:?} success {:?} failure {:?} absent {}",
                w.name.value,
                states(&w.in_progress),
                states(&w.success),
                states(&w.failure),
                w.when_absent.value
            ));
        }
    }
    out
}

/// A full import with the repository's curation, into a temporary spec root (once).
fn imported() -> &'static LoadedService {
    static IMPORTED: OnceLock<LoadedService> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        copy_tree(
            &root.join("spec/alibaba-vpc/curation"),
            &tmp.path().join("alibaba-vpc/curation"),
        );
        common::import(tmp.path(), &[]);
        load::load_service(&tmp.path().join("alibaba-vpc")).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn hand() -> LoadedService {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hand-spec/alibaba-vpc");
    load::load_service(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// (only in the hand spec, only in the import)
fn differences(h: &BTreeSet<String>, i: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    (
        h.difference(i).cloned().collect(),
        i.difference(h).cloned().collect(),
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
fn delete_physical_connection_differs_only_by_the_vendor_changes() {
    let action = "DeletePhysicalConnection";
    let (only_hand, only_imported) =
        differences(&facts(&hand(), action), &facts(imported(), action));
    assert_eq!(only_hand, EXPECTED_DELETE_HAND, "{only_hand:#?}");
    assert_eq!(
        only_imported, EXPECTED_DELETE_IMPORTED,
        "{only_imported:#?}"
    );
}

#[test]
fn describe_physical_connections_differs_only_by_the_vendor_changes() {
    let action = "DescribePhysicalConnections";
    let (only_hand, only_imported) =
        differences(&facts(&hand(), action), &facts(imported(), action));
    assert_eq!(only_hand, EXPECTED_DESCRIBE_HAND, "{only_hand:#?}");
    assert_eq!(
        only_imported, EXPECTED_DESCRIBE_IMPORTED,
        "{only_imported:#?}"
    );
}

#[test]
fn every_enum_value_resource_and_waiter_of_the_hand_spec_is_kept() {
    let (only_hand, _) = differences(&type_facts(&hand()), &type_facts(imported()));
    assert_eq!(only_hand, EXPECTED_TYPES_HAND, "{only_hand:#?}");
}

/// The 2024 page the hand spec followed, against the 2025-12 metadata: rows the vendor
/// dropped, its old description and deletable states (and no Cargo feature yet).
const EXPECTED_DELETE_HAND: [&str; 7] = [
    "description Removes the circuit record. The current SDK description also allows the \
     Allocated and Confirmed states; the reference page lists only the four below.",
    "error Some(400) Forbidden.NotAllowedInState: The request does not allow in this state. — \
     The circuit's current state does not allow deletion.",
    "error Some(400) Forbidden.VBRExists: The vbr still exists. — A virtual border router still \
     exists, so the port cannot be deleted.",
    "error Some(400) Forbidden.VBRExists: vbr owner's vbr still exists. — A virtual border \
     router still exists.",
    "error Some(404) InvalidRegionId.NotFound: The RegionId provided does not exist in our \
     records. — RegionId is not a valid region.",
    "group -",
    "precondition PhysicalConnection [\"Rejected\", \"Canceled\", \"AllocationFailed\", \
     \"Terminated\"]: In any other state the call fails with Forbidden.NotAllowedInState.",
];
/// The current table, description and deletable states; the new async note (waiting
/// for the record to go, curated with the state machine).
const EXPECTED_DELETE_IMPORTED: [&str; 9] = [
    "async PhysicalConnectionDeleted",
    "description Removes the circuit record. Since 2025 the vendor also accepts circuits that \
     are Allocated or Confirmed (before that only Rejected, Canceled, AllocationFailed and \
     Terminated ones); a circuit that still has a virtual border router or a QoS policy \
     attached is refused.",
    "error Some(400) Forbidden.NotInAllowDeleteStatus: Only physical connection in the \
     Cancelled, Rejected, Terminated, Allocated, or AllocationFailed states can be deleted. — \
     The circuit's current state does not allow deletion (see the preconditions).",
    "error Some(400) OperationDenied.ExistVbrInPhysicalConnection: It cannot be deleted when VBR \
     exists. — Virtual border routers still exist on the circuit; delete them first.",
    "error Some(400) OperationDenied.NeedVpconnOwnerOrPconnOwner: The deletion failed. Only the \
     owner of virtual physical connection or physical connection can delete it. — Only the \
     owner of the hosted connection or of the circuit may delete it.",
    "error Some(400) ResourceAlreadyAssociated.PconnQos: The specified resource of PconnQos is \
     already associated. — A QoS policy is still attached to the circuit.",
    "error Some(400) ResourceNotFound.PhysicalConnectionId: PhysicalConnection is not found. — \
     No circuit has this id.",
    "group physical-connection",
    "precondition PhysicalConnection [\"Allocated\", \"Confirmed\", \"Rejected\", \"Canceled\", \
     \"AllocationFailed\", \"Terminated\"]: In any other state the call fails with \
     Forbidden.NotInAllowDeleteStatus.",
];
/// The vendor lowered the tag limit from 20 to 5 (and no Cargo feature yet).
const EXPECTED_DESCRIBE_HAND: [&str; 2] = ["group -", "in.Tags: list<Tag> max_items=20"];
/// The hand spec had no error table for this action; the metadata has four rows.
const EXPECTED_DESCRIBE_IMPORTED: [&str; 6] = [
    "error Some(400) InvalidTagKey.Malformed: The specified tag key is invalid. — A tag key is \
     not valid.",
    "error Some(400) OperationFailed.InternalError: The request processing has failed due to \
     some unknown error. — The service failed internally; the call may be repeated.",
    "error Some(400) OperationUnsupported.ResourceGroupId: ResourceGroupId in  financial region \
     is unsupported. — Resource groups cannot be used in financial regions.",
    "error Some(404) InvalidFilterKey.ValueNotSupported: Specified filter key is not supported: \
     Filter.X.key — A filter names a key the service does not support.",
    "group physical-connection",
    "in.Tags: list<Tag> max_items=5",
];
const EXPECTED_TYPES_HAND: [&str; 0] = [];
