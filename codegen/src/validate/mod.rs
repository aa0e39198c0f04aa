//! From the spec as written ([`crate::model`]) to the IR ([`crate::ir`]).
//!
//! This is the only place that decides whether a spec is acceptable. It
//! resolves type references, derives Rust names, checks constraints against
//! types, applies example fixups and checks examples against the parameters.
//! It keeps going after a problem, so one run reports all of them.
//!
//! One `Checker` walks the spec; its checks are grouped by concern in the
//! submodules `service` (crate-wide names and collisions), `types`
//! (structures, enums, fields, constraints), `resources` (lookups, waiters,
//! states), `actions` (paging, errors, examples) and `values` (JSON values
//! against types).

mod actions;
mod placement;
mod resources;
mod service;
mod types;
mod values;

use values::*;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, SpecErrors, suggestion};
use crate::ir;
use crate::load::LoadedService;
use crate::model;
use crate::names;

/// Validates a loaded service and builds its IR.
pub fn validate(loaded: &LoadedService) -> Result<ir::Service, SpecErrors> {
    let mut cx = Checker::new(loaded);
    let service = cx.service();
    let mut errors = cx.errors;
    if errors.is_empty() {
        Ok(service)
    } else {
        for (path, text) in &loaded.sources {
            errors.add_source(path, text);
        }
        errors.sort();
        Err(errors)
    }
}

/// Which names are structures and which are enums.
struct Catalog {
    structs: BTreeSet<String>,
    enums: BTreeMap<String, BTreeSet<String>>,
}

impl Catalog {
    fn all_names(&self) -> impl Iterator<Item = &str> {
        self.structs
            .iter()
            .chain(self.enums.keys())
            .map(String::as_str)
    }
}

struct Checker<'a> {
    loaded: &'a LoadedService,
    /// Shared with the checkers of single actions ([`Checker::for_action`]).
    catalog: Arc<Catalog>,
    /// The checked structures in the order of `types.yaml`, for checking
    /// example and default values against them.
    structs: Arc<Vec<ir::Struct>>,
    /// Wire names of fields already reported as broken; lookups of them stay quiet.
    broken_fields: BTreeSet<String>,
    errors: SpecErrors,
}

const SCALARS: [&str; 5] = ["string", "integer", "long", "float", "boolean"];

/// Crate names a generated crate cannot take: its own dependencies and standard crates.
const RESERVED_CRATES: [&str; 13] = [
    "truebind-runtime",
    "truebind-codegen",
    "truebind-tests",
    "truebind-examples",
    "xtask",
    "serde",
    "serde-json",
    "std",
    "core",
    "alloc",
    "test",
    "proc-macro",
    "tokio",
];

/// Type names the generated code uses unqualified next to the spec's types.
const RESERVED_TYPES: [&str; 24] = [
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "From",
    "Hash",
    "Into",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "RawResponse",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "Vec",
];

/// Deepest `list<map<…>>` nesting accepted in a type.
const MAX_TYPE_DEPTH: usize = 8;

/// Stands for the list of ids in a resource's read request.
const IDS: &str = "$ids";

impl<'a> Checker<'a> {
    fn new(loaded: &'a LoadedService) -> Self {
        let types = &loaded.types.1;
        let catalog = Catalog {
            structs: types
                .structures
                .iter()
                .map(|s| s.name.value.clone())
                .collect(),
            enums: types
                .enums
                .iter()
                .map(|e| {
                    let values = e
                        .values
                        .iter()
                        .flat_map(|v| std::iter::once(&v.value).chain(&v.aliases))
                        .map(|v| v.value.clone())
                        .collect();
                    (e.name.value.clone(), values)
                })
                .collect(),
        };
        Checker {
            loaded,
            catalog: Arc::new(catalog),
            structs: Arc::new(Vec::new()),
            broken_fields: BTreeSet::new(),
            errors: SpecErrors::default(),
        }
    }

    /// A checker for one action file, once the types are checked: it shares the catalog
    /// and structures, starts from the fields found broken in `types.yaml`, and collects
    /// its own errors, so actions are checked on all cores. A field broken in one action
    /// quiets lookups in that action, and in the resources checked after every action.
    fn for_action(&self) -> Checker<'a> {
        Checker {
            loaded: self.loaded,
            catalog: Arc::clone(&self.catalog),
            structs: Arc::clone(&self.structs),
            broken_fields: self.broken_fields.clone(),
            errors: SpecErrors::default(),
        }
    }

    fn err(&mut self, diagnostic: Diagnostic) {
        self.errors.push(diagnostic);
    }

    fn service(&mut self) -> ir::Service {
        let (path, file) = &self.loaded.service;
        let protocol = match file.protocol.value.as_str() {
            "zenlayer-json" => ir::Protocol::ZenlayerJson,
            "alibaba-rpc" => ir::Protocol::AlibabaRpc,
            other => {
                self.err(
                    Diagnostic::on(path, &file.protocol, format!("unknown protocol `{other}`"))
                        .help("use `zenlayer-json` or `alibaba-rpc`"),
                );
                ir::Protocol::ZenlayerJson
            }
        };
        let crate_name = file.name.value.clone();
        self.check_crate_name(path, &file.name);
        self.check_title(path, &file.title);
        self.check_url(path, file.docs_url.as_ref());
        self.check_regions(path, file);
        self.check_versions(path, file);
        self.check_endpoints(path, file);
        let mut structs = self.structs();
        self.structs = Arc::new(
            structs
                .iter()
                .map(|s| ir::Struct {
                    name: s.name.clone(),
                    description: s.description.clone(),
                    fields: s.fields.clone(),
                })
                .collect(),
        );
        self.check_recursive_structs();
        self.check_struct_defaults();
        structs.sort_by(|a, b| a.name.cmp(&b.name));
        let enums = self.enums();
        let mut actions: Vec<ir::Action> = Vec::new();
        // Which spec file each lowered action came from (by position in `loaded.actions`).
        let mut sources: Vec<usize> = Vec::new();
        let checked = crate::parallel::map(&self.loaded.actions, |(action_path, action)| {
            let mut cx = self.for_action();
            let lowered = cx.action(action_path, action, &structs, &enums);
            (lowered, cx.errors, cx.broken_fields)
        });
        for (i, (lowered, errors, broken)) in checked.into_iter().enumerate() {
            self.errors.extend(errors);
            self.broken_fields.extend(broken);
            if let Some(action) = lowered {
                actions.push(action);
                sources.push(i);
            }
        }
        let resources = self.resources(&actions, &structs, &enums);
        self.link_async_notes(&mut actions, &sources, &resources);
        self.check_request_id_outputs(&actions);
        self.check_duplicate_actions();
        self.check_client_methods(&actions, &resources);
        self.check_generated_type_names();
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        let error_example = file
            .error_example
            .as_ref()
            .and_then(|e| self.example(path, e, None));
        let mut regional_endpoints: Vec<(String, String)> = file
            .regional_endpoints
            .iter()
            .map(|r| (r.region.clone(), r.host.clone()))
            .collect();
        regional_endpoints.sort();
        let mut service = ir::Service {
            dir: dir_name(&self.loaded.dir),
            crate_name,
            title: file.title.value.clone(),
            description: file.description.clone(),
            protocol,
            api_version: file.api_version.clone(),
            endpoint: file.endpoint.clone(),
            regional_endpoints,
            docs_url: file.docs_url.as_ref().map(|u| u.value.clone()),
            request_id_field: file.request_id_field.value.clone(),
            error_example,
            version: file.version.as_ref().map(|v| v.value.clone()),
            changelog: file
                .changelog
                .iter()
                .map(|e| (e.version.value.clone(), e.changes.clone()))
                .collect(),
            common_errors: self.errors_table(path, &file.errors, true),
            structs,
            enums,
            resources,
            actions,
        };
        resolve_handles(&mut service);
        service
    }
}

/// Points every handle at its item, now that the vectors are sorted. The
/// checks made sure each name exists; a handle left unresolved would be a
/// validation bug, which the emitters report instead of skipping the item.
fn resolve_handles(service: &mut ir::Service) {
    resolve_types(service);
    let (structs, actions) = (&service.structs, &service.actions);
    for r in &mut service.resources {
        r.record.resolve(structs);
        r.read.action.resolve(actions);
    }
    // An async note points at an action too: resolved first, assigned after.
    let read_actions: Vec<Option<ir::ActionId>> = (actions.iter())
        .map(|a| {
            let mut read = a.async_note.as_ref()?.read_action.clone();
            read.resolve(actions);
            Some(read)
        })
        .collect();
    let resources = &service.resources;
    for (a, read) in service.actions.iter_mut().zip(read_actions) {
        if let Some(paging) = &mut a.paging {
            paging.item_type.resolve(structs);
        }
        if let (Some(note), Some(read)) = (&mut a.async_note, read) {
            note.resource.resolve(resources);
            note.read_action = read;
        }
    }
}

/// Points the structure and enum handles of every type in the IR (fields of
/// structures, inputs and outputs, waiters' `until` fields) at their items.
fn resolve_types(service: &mut ir::Service) {
    // A structure's fields name structures too: each structure's fields are
    // taken out while they are resolved (only the names are searched).
    for i in 0..service.structs.len() {
        let mut fields = std::mem::take(&mut service.structs[i].fields);
        for f in &mut fields {
            f.ty.resolve(&service.structs, &service.enums);
        }
        service.structs[i].fields = fields;
    }
    let (structs, enums) = (&service.structs, &service.enums);
    let waiters = (service.resources.iter_mut())
        .flat_map(|r| &mut r.waiters)
        .chain(
            service
                .actions
                .iter_mut()
                .filter_map(|a| a.async_note.as_mut().map(|n| &mut n.waiter)),
        );
    for until in waiters.filter_map(|w| w.until.as_mut()) {
        until.ty.resolve(structs, enums);
    }
    for a in &mut service.actions {
        for f in a.input.iter_mut().chain(&mut a.output) {
            f.ty.resolve(structs, enums);
        }
    }
}

/// 1-based line and column of the `nth` (1-based) occurrence of `needle` in `text`.
fn nth_position(text: &str, needle: &str, nth: usize) -> Option<(u64, u64)> {
    if needle.is_empty() {
        return None;
    }
    let (offset, _) = text.match_indices(needle).nth(nth.checked_sub(1)?)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some((u64::try_from(line).ok()?, u64::try_from(column).ok()?))
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}
