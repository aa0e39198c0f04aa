//! From the spec as written ([`crate::model`]) to the IR ([`crate::ir`]).
//!
//! This is the only place that decides whether a spec is acceptable. It
//! resolves type references, derives Rust names, checks constraints against
//! types, applies example fixups and checks examples against the parameters.
//! It keeps going after a problem, so one run reports all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, SpecErrors, did_you_mean};
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
    catalog: Catalog,
    /// The checked structures, for checking example values against them.
    structs: Vec<ir::Struct>,
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
const RESERVED_TYPES: [&str; 26] = [
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
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
    "Serialize",
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
            catalog,
            structs: Vec::new(),
            broken_fields: BTreeSet::new(),
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
        self.check_regions(path, file);
        let structs = self.structs();
        self.structs = structs
            .iter()
            .map(|s| ir::Struct {
                name: s.name.clone(),
                description: s.description.clone(),
                fields: s.fields.clone(),
            })
            .collect();
        self.check_recursive_structs();
        let enums = self.enums();
        let mut actions: Vec<ir::Action> = Vec::new();
        for (action_path, action) in &self.loaded.actions {
            if let Some(action) = self.action(action_path, action, &structs, &enums) {
                actions.push(action);
            }
        }
        let resources = self.resources(&actions, &structs, &enums);
        self.link_async_notes(&mut actions, &resources);
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
        ir::Service {
            dir: dir_name(&self.loaded.dir),
            crate_name,
            title: file.title.clone(),
            description: file.description.clone(),
            protocol,
            api_version: file.api_version.clone(),
            endpoint: file.endpoint.clone(),
            regional_endpoints,
            docs_url: file.docs_url.clone(),
            request_id_field: file.request_id_field.value.clone(),
            error_example,
            structs,
            enums,
            resources,
            actions,
        }
    }

    fn check_crate_name(&mut self, path: &Path, name: &Spanned<String>) {
        let n = name.value.as_str();
        let kebab = n.starts_with(|c: char| c.is_ascii_lowercase())
            && !n.ends_with('-')
            && !n.contains("--")
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !kebab {
            let suggestion: String = heck::ToKebabCase::to_kebab_case(n)
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let example = if suggestion.starts_with(|c: char| c.is_ascii_lowercase()) {
                format!("`{suggestion}`")
            } else {
                "`zenlayer-sdn`".to_string()
            };
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!("the service name `{n}` is not a kebab-case crate name"),
                )
                .help(format!(
                    "start with a lower-case letter and use only lower-case letters, digits and single `-`, e.g. {example}"
                )),
            );
        } else if syn::parse_str::<syn::Ident>(&n.replace('-', "_")).is_err() {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "the crate name `{n}` is a Rust keyword, so code cannot refer to the crate"
                    ),
                )
                .help("name the crate after the vendor and service, e.g. `zenlayer-sdn`"),
            );
        } else if RESERVED_CRATES.contains(&n) {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "the crate name `{n}` is already taken by a crate the generated code uses"
                    ),
                )
                .help("name the crate after the vendor and service, e.g. `zenlayer-sdn`"),
            );
        }
    }

    fn check_regions(&mut self, path: &Path, file: &model::ServiceFile) {
        let text = self
            .loaded
            .sources
            .iter()
            .find(|(p, _)| p == path)
            .map_or("", |(_, t)| t.as_str());
        let mut seen = BTreeMap::new();
        let mut problems = Vec::new();
        for r in &file.regional_endpoints {
            let count = seen.entry(r.region.as_str()).or_insert(0usize);
            *count += 1;
            if *count > 1 {
                let message = format!(
                    "region `{}` is listed {} times in `regional_endpoints`",
                    r.region, count
                );
                // Regions carry no position of their own; point at the repeated spelling.
                let d = match nth_position(text, &r.region, *count) {
                    Some((line, column)) => Diagnostic {
                        line,
                        column,
                        ..Diagnostic::file(path, message)
                    },
                    None => Diagnostic::file(path, message),
                };
                problems.push(d.help("keep one host per region"));
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    /// A structure that contains itself without a list or map in between has no finite size.
    fn check_recursive_structs(&mut self) {
        let (path, types) = &self.loaded.types;
        let direct: BTreeMap<&str, Vec<&str>> = self
            .structs
            .iter()
            .map(|s| {
                let inner = s
                    .fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        ir::Type::Struct(n) => Some(n.as_str()),
                        _ => None,
                    })
                    .collect();
                (s.name.as_str(), inner)
            })
            .collect();
        let mut problems = Vec::new();
        for s in &types.structures {
            let start = s.name.value.as_str();
            // Depth-first search for a path of plain fields leading back to `start`.
            let mut stack: Vec<Vec<&str>> = vec![vec![start]];
            let mut visited = BTreeSet::new();
            let mut cycle = None;
            while let Some(trail) = stack.pop() {
                let last = trail[trail.len() - 1];
                for next in direct.get(last).into_iter().flatten() {
                    if *next == start {
                        let mut full = trail.clone();
                        full.push(next);
                        cycle = Some(full);
                        break;
                    }
                    if visited.insert(*next) {
                        let mut longer = trail.clone();
                        longer.push(next);
                        stack.push(longer);
                    }
                }
                if cycle.is_some() {
                    break;
                }
            }
            if let Some(cycle) = cycle {
                problems.push(
                    Diagnostic::on(
                        path,
                        &s.name,
                        format!(
                            "structure `{start}` contains itself ({}), so it would have no finite size in Rust",
                            cycle.join(" → ")
                        ),
                    )
                    .help("if the vendor really nests it, make one of the fields a `list<…>` (or ask for Box support in the generator)"),
                );
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    /// Methods of the generated `Client`: fixed ones, one per action, paginators and waiters.
    fn check_client_methods(&mut self, actions: &[ir::Action], resources: &[ir::Resource]) {
        let mut taken: BTreeMap<String, String> = [
            ("new", "the constructor `Client::new`"),
            ("from_env", "the constructor `Client::from_env`"),
        ]
        .into_iter()
        .map(|(m, what)| (m.to_string(), what.to_string()))
        .collect();
        let mut problems = Vec::new();
        let (types_path, types) = &self.loaded.types;
        let mut claim =
            |method: String, what: String, at: Diagnostic| {
                if let Some(other) = taken.get(&method) {
                    problems.push(Diagnostic {
                    message: format!(
                        "{what} becomes the client method `{method}`, which is already {other}"
                    ),
                    ..at
                }.help("rename one of them"));
                } else {
                    taken.insert(method, what);
                }
            };
        let mut seen_actions = BTreeSet::new();
        for (path, a) in &self.loaded.actions {
            let Some(action) = actions.iter().find(|x| x.name == a.name.value) else {
                continue;
            };
            if !seen_actions.insert(&a.name.value) {
                continue; // reported as a duplicate action
            }
            let base = names::bare(&action.snake).to_string();
            let at = Diagnostic::on(path, &a.name, "");
            claim(
                base.clone(),
                format!("action `{}`", action.name),
                at.clone(),
            );
            if action.paging.is_some() {
                for suffix in ["pages", "items"] {
                    claim(
                        format!("{base}_{suffix}"),
                        format!("the paginator of `{}`", action.name),
                        at.clone(),
                    );
                }
            }
        }
        for r in &types.resources {
            let Some(resource) = resources.iter().find(|x| x.name == r.name.value) else {
                continue;
            };
            for (w, spanned) in resource.waiters.iter().zip(&r.waiters) {
                claim(
                    format!("wait_until_{}", names::bare(&w.snake)),
                    format!("waiter `{}`", w.name),
                    Diagnostic::on(types_path, &spanned.name, ""),
                );
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    /// Structure and enum names must not take the names generated for actions.
    fn check_generated_type_names(&mut self) {
        let (path, types) = &self.loaded.types;
        let mut generated = BTreeMap::new();
        for (_, a) in &self.loaded.actions {
            for suffix in ["Input", "InputBuilder", "Output", "Error"] {
                generated.insert(format!("{}{suffix}", a.name.value), a.name.value.clone());
            }
        }
        let mut problems = Vec::new();
        for name in types
            .structures
            .iter()
            .map(|s| &s.name)
            .chain(types.enums.iter().map(|e| &e.name))
        {
            if let Some(action) = generated.get(&name.value) {
                problems.push(
                    Diagnostic::on(
                        path,
                        name,
                        format!(
                            "type `{}` has the name the generator gives to a type of action `{action}`",
                            name.value
                        ),
                    )
                    .help("rename the type"),
                );
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    fn check_request_id_outputs(&mut self, actions: &[ir::Action]) {
        let wanted = &self.loaded.service.1.request_id_field.value;
        let mut problems = Vec::new();
        for (path, a) in &self.loaded.actions {
            let Some(action) = actions.iter().find(|x| x.name == a.name.value) else {
                continue;
            };
            match action.output.iter().find(|f| &f.wire == wanted) {
                None => problems.push(
                    Diagnostic::on(
                        path,
                        &a.name,
                        format!(
                            "the output of `{}` lacks the request-id field `{wanted}` named in service.yaml",
                            a.name.value
                        ),
                    )
                    .help(format!(
                        "add `- {{ name: {wanted}, type: string, description: … }}` to `output`"
                    )),
                ),
                Some(f) if f.ty != ir::Type::String => {
                    if let Some(field) = a.output.iter().find(|x| &x.name.value == wanted) {
                        problems.push(
                            Diagnostic::on(
                                path,
                                &field.ty,
                                format!("the request-id field `{wanted}` must be a string"),
                            )
                            .help("write `type: string`"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    fn check_duplicate_actions(&mut self) {
        let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
        let mut problems = Vec::new();
        for (path, action) in &self.loaded.actions {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let usable = !action.name.value.is_empty()
                && action.name.value.chars().all(|c| c.is_ascii_alphanumeric());
            if stem != action.name.value && usable {
                problems.push(
                    Diagnostic::on(
                        path,
                        &action.name,
                        format!("action `{}` is in file `{stem}.yaml`", action.name.value),
                    )
                    .help(format!("rename the file to `{}.yaml`", action.name.value)),
                );
            }
            if let Some(first) = seen.insert(&action.name.value, path) {
                problems.push(Diagnostic::on(
                    path,
                    &action.name,
                    format!(
                        "action `{}` is also defined in {}",
                        action.name.value,
                        first.display()
                    ),
                ).help("an action has exactly one file; delete one of them, or fix the `name` of the one that is a different action"));
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    fn structs(&mut self) -> Vec<ir::Struct> {
        let (path, types) = &self.loaded.types;
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for s in &types.structures {
            self.type_name(path, &s.name, &mut seen);
            let fields = self.fields(
                path,
                &s.fields,
                &format!("structure `{}`", s.name.value),
                Some(("new", "the constructor `new`")),
            );
            out.push(ir::Struct {
                name: s.name.value.clone(),
                description: s.description.clone(),
                fields,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Checks a name that becomes a Rust type or method name as written; `what` is e.g. "type name".
    fn upper_camel(&mut self, path: &Path, name: &Spanned<String>, what: &str) -> bool {
        let n = name.value.as_str();
        let camel = names::camel(n);
        let plain_ascii = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_uppercase())
                && s.chars().all(|c| c.is_ascii_alphanumeric())
        };
        if camel == n && plain_ascii(n) {
            return true;
        }
        let help = if plain_ascii(&camel) {
            format!("rename it to `{camel}`")
        } else {
            "use ASCII letters and digits only, starting with an upper-case letter, e.g. `PrivateConnect`"
                .to_string()
        };
        let message = if n.is_empty() {
            format!("the {what} is empty")
        } else if !n.is_ascii() {
            format!("{what} `{n}` is not ASCII, so it cannot name the generated Rust code")
        } else {
            format!("{what} `{n}` is not UpperCamelCase")
        };
        self.err(Diagnostic::on(path, name, message).help(help));
        false
    }

    fn type_name(&mut self, path: &Path, name: &Spanned<String>, seen: &mut BTreeSet<String>) {
        if self.upper_camel(path, name, "type name")
            && RESERVED_TYPES.contains(&name.value.as_str())
        {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "type name `{}` would hide the standard `{}` in the generated code",
                        name.value, name.value
                    ),
                )
                .help(format!(
                    "use a more specific name, e.g. `Vendor{}`",
                    name.value
                )),
            );
        }
        let both = self.catalog.structs.contains(&name.value)
            && self.catalog.enums.contains_key(&name.value);
        if !seen.insert(name.value.clone()) || both {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "type `{}` is defined more than once (structures and enums share one set of names)",
                        name.value
                    ),
                )
                .help("rename one of them, or merge them into one definition"),
            );
        }
    }

    fn enums(&mut self) -> Vec<ir::Enum> {
        let (path, types) = &self.loaded.types;
        let mut seen: BTreeSet<String> = self.catalog.structs.clone();
        let mut out = Vec::new();
        for e in &types.enums {
            self.type_name(path, &e.name, &mut seen);
            if e.values.is_empty() {
                self.err(
                    Diagnostic::on(path, &e.name, format!("enum `{}` lists no values", e.name.value))
                        .help("list the documented values under `values`, or use `type: string` where the enum is used"),
                );
            }
            let mut wires = BTreeSet::new();
            let mut variants = BTreeSet::new();
            let mut values = Vec::new();
            for v in &e.values {
                let variant = names::camel(&v.value.value);
                if !is_ident(&variant) {
                    self.err(
                        Diagnostic::on(
                            path,
                            &v.value,
                            format!(
                                "value `{}` gives no usable Rust variant name (`{variant}`)",
                                v.value.value
                            ),
                        )
                        .help("check the value on the vendor page; if the service really sends it, list a plainer spelling as the value and this one under `aliases`"),
                    );
                }
                for spelling in std::iter::once(&v.value).chain(&v.aliases) {
                    if !wires.insert(spelling.value.clone()) {
                        self.err(
                            Diagnostic::on(
                                path,
                                spelling,
                                format!("enum `{}` lists `{}` twice", e.name.value, spelling.value),
                            )
                            .help("remove the repeated value or alias"),
                        );
                    }
                }
                if !variants.insert(variant.clone()) || variant == "Unknown" {
                    let why = if variant == "Unknown" {
                        "which the generator keeps for values the spec does not list"
                    } else {
                        "which an earlier value already became"
                    };
                    self.err(
                        Diagnostic::on(
                            path,
                            &v.value,
                            format!(
                                "value `{}` becomes the Rust variant `{variant}`, {why}",
                                v.value.value
                            ),
                        )
                        .help("if both spellings mean the same state, list one as an alias of the other"),
                    );
                }
                values.push(ir::EnumValue {
                    wire: v.value.value.clone(),
                    aliases: v.aliases.iter().map(|a| a.value.clone()).collect(),
                    variant,
                    description: v.description.clone(),
                });
            }
            out.push(ir::Enum {
                name: e.name.value.clone(),
                description: e.description.clone(),
                note: e.note.clone(),
                values,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn resources(
        &mut self,
        actions: &[ir::Action],
        structs: &[ir::Struct],
        enums: &[ir::Enum],
    ) -> Vec<ir::Resource> {
        let (path, types) = &self.loaded.types;
        let mut out = Vec::new();
        let mut waiter_names = BTreeSet::new();
        for r in &types.resources {
            if !self.catalog.enums.contains_key(&r.status_enum.value) {
                let d = Diagnostic::on(
                    path,
                    &r.status_enum,
                    format!("status enum `{}` is not defined", r.status_enum.value),
                )
                .suggest(
                    &r.status_enum.value,
                    self.catalog.enums.keys().map(String::as_str),
                    "define the enum of the resource's states under `enums`",
                );
                self.err(d);
                continue;
            }
            let lookup = self.read_lookup(path, r, actions, structs);
            let mut waiters = Vec::new();
            for w in &r.waiters {
                if !waiter_names.insert(w.name.value.clone()) {
                    self.err(
                        Diagnostic::on(
                            path,
                            &w.name,
                            format!("waiter `{}` is defined twice", w.name.value),
                        )
                        .help("waiter names are shared by all resources; rename or remove one"),
                    );
                }
                waiters.push(self.waiter(path, w, &r.status_enum.value, enums));
            }
            let Some((record, id_field, status_field)) = lookup else {
                continue;
            };
            // One record type gets one `Record` impl, so resources sharing it must agree.
            if let Some(other) = out.iter().find(|o: &&ir::Resource| {
                o.record == record && (o.id_field != id_field || o.status_field != status_field)
            }) {
                self.err(
                    Diagnostic::on(
                        path,
                        &r.name,
                        format!(
                            "resources `{}` and `{}` both read `{record}` records but name different id or status fields",
                            other.name, r.name.value
                        ),
                    )
                    .help("give both the same `id_field` and `status_field`, or read different record types"),
                );
            }
            out.push(ir::Resource {
                name: r.name.value.clone(),
                status_enum: r.status_enum.value.clone(),
                record,
                status_field,
                id_field,
                read: ir::ReadLookup {
                    action: r.read.action.value.clone(),
                    request: r.read.request.value.clone(),
                    max_ids: r.read.max_ids.value,
                },
                waiters,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Checks the read lookup; returns the record type and the Rust names of its id and status fields.
    fn read_lookup(
        &mut self,
        path: &Path,
        r: &model::Resource,
        actions: &[ir::Action],
        structs: &[ir::Struct],
    ) -> Option<(String, String, String)> {
        let read = &r.read;
        let Some(action) = actions.iter().find(|a| a.name == read.action.value) else {
            let mut d = Diagnostic::on(
                path,
                &read.action,
                format!("read action `{}` is not defined", read.action.value),
            );
            d = d.suggest(
                &read.action.value,
                actions.iter().map(|a| a.name.as_str()),
                "name the list action (with `paging`) that returns these resources",
            );
            self.err(d);
            return None;
        };
        let Some(paging) = &action.paging else {
            let written = self
                .loaded
                .actions
                .iter()
                .any(|(_, a)| a.name.value == action.name && a.paging.is_some());
            if written {
                // Its paging has a problem, which is reported there.
                return None;
            }
            self.err(
                Diagnostic::on(
                    path,
                    &read.action,
                    format!("read action `{}` has no `paging`", action.name),
                )
                .help("describe its paging fields so the records can be found in its output"),
            );
            return None;
        };
        let page_max = paging.max_page_size.map(|m| u64::try_from(m).unwrap_or(0));
        let max_ids = read.max_ids.value;
        if max_ids == 0 {
            self.err(
                Diagnostic::on(path, &read.max_ids, "`max_ids` must be at least 1")
                    .help("give the most ids one request of the read action may carry"),
            );
        } else if let Some(page_max) = page_max.filter(|m| max_ids > *m) {
            self.err(
                Diagnostic::on(
                    path,
                    &read.max_ids,
                    format!(
                        "`max_ids` {max_ids} is above the page size limit {page_max} of `{}`",
                        action.name
                    ),
                )
                .help(format!(
                    "every record of one lookup must fit on one page: use at most {page_max}"
                )),
            );
        }
        let mut problems = Vec::new();
        let cx = ExampleCx {
            structs,
            broken: &self.broken_fields,
            placeholder: IDS,
        };
        check_object(&read.request.value, &action.input, &cx, "", &mut problems);
        if !read
            .request
            .value
            .to_string()
            .contains(&format!("\"{IDS}\""))
        {
            problems.push(format!("the request never uses `{IDS}`"));
        }
        for p in problems {
            self.err(
                Diagnostic::on(
                    path,
                    &read.request,
                    format!("read request of `{}`: {p}", r.name.value),
                )
                .help(format!(
                    "write the parameters of `{}`, with `{IDS}` where the ids go",
                    action.name
                )),
            );
        }
        let record = structs.iter().find(|s| s.name == paging.item_type)?;
        let id = self.record_field(path, &r.id_field, record);
        let status = self.record_field(path, &r.status_field, record);
        let (id, status) = (id?, status?);
        if id.ty != ir::Type::String {
            self.err(
                Diagnostic::on(
                    path,
                    &r.id_field,
                    format!(
                        "id field `{}` is {}, but must be a string",
                        r.id_field.value,
                        type_name(&id.ty)
                    ),
                )
                .help("waiters compare ids as strings; name the string id field of the record"),
            );
        }
        // (When the enum's name is also a structure's, that is reported as a duplicate type.)
        let status_ok = status.ty == ir::Type::String
            || status.ty == ir::Type::Enum(r.status_enum.value.clone())
            || self.catalog.structs.contains(&r.status_enum.value);
        if !status_ok {
            self.err(
                Diagnostic::on(
                    path,
                    &r.status_field,
                    format!(
                        "status field `{}` is {}, but must be a string or `{}`",
                        r.status_field.value,
                        type_name(&status.ty),
                        r.status_enum.value
                    ),
                )
                .help(format!(
                    "give the field `type: {}` in structure `{}`",
                    r.status_enum.value, record.name
                )),
            );
        }
        Some((record.name.clone(), id.rust.clone(), status.rust.clone()))
    }

    fn record_field<'s>(
        &mut self,
        path: &Path,
        wire: &Spanned<String>,
        record: &'s ir::Struct,
    ) -> Option<&'s ir::Field> {
        let found = record.fields.iter().find(|f| f.wire == wire.value);
        if found.is_none() && !self.broken_fields.contains(&wire.value) {
            let mut d = Diagnostic::on(
                path,
                wire,
                format!("record `{}` has no field `{}`", record.name, wire.value),
            );
            d = d.suggest(
                &wire.value,
                record.fields.iter().map(|f| f.wire.as_str()),
                "name a field (wire name) of the record structure",
            );
            self.err(d);
        }
        found
    }

    fn waiter(
        &mut self,
        path: &Path,
        w: &model::Waiter,
        status_enum: &str,
        enums: &[ir::Enum],
    ) -> ir::Waiter {
        self.upper_camel(path, &w.name, "waiter name");
        let absent_means_success = match w.when_absent.value.as_str() {
            "success" => true,
            "failure" => false,
            other => {
                self.err(
                    Diagnostic::on(
                        path,
                        &w.when_absent,
                        format!("unknown `when_absent` value `{other}`"),
                    )
                    .help(
                        "use `success` (e.g. after a destroy) or `failure` (e.g. after a create)",
                    ),
                );
                false
            }
        };
        if w.success.is_empty() && !absent_means_success {
            self.err(
                Diagnostic::on(path, &w.name, format!("waiter `{}` can never succeed", w.name.value))
                    .help("list the state(s) that mean done under `success`, or set `when_absent: success`"),
            );
        }
        let in_progress = self.states(path, status_enum, enums, &w.in_progress);
        let success = self.states(path, status_enum, enums, &w.success);
        let failure = self.states(path, status_enum, enums, &w.failure);
        let mut seen = BTreeSet::new();
        for (state, span) in in_progress
            .iter()
            .chain(&success)
            .chain(&failure)
            .zip(w.in_progress.iter().chain(&w.success).chain(&w.failure))
        {
            if !seen.insert(state.clone()) {
                self.err(Diagnostic::on(
                    path,
                    span,
                    format!(
                        "state `{state}` is listed twice in waiter `{}`",
                        w.name.value
                    ),
                ));
            }
        }
        ir::Waiter {
            name: w.name.value.clone(),
            snake: names::snake(&w.name.value),
            in_progress,
            success,
            failure,
            absent_means_success,
        }
    }

    fn link_async_notes(&mut self, actions: &mut [ir::Action], resources: &[ir::Resource]) {
        for (path, a) in &self.loaded.actions {
            let Some(note) = &a.async_note else { continue };
            let found = resources.iter().find_map(|r| {
                r.waiters
                    .iter()
                    .find(|w| w.name == note.waiter.value)
                    .map(|w| (r, w))
            });
            let Some((resource, waiter)) = found else {
                let written = self
                    .loaded
                    .types
                    .1
                    .resources
                    .iter()
                    .flat_map(|r| r.waiters.iter().map(|w| w.name.value.as_str()));
                let written: Vec<&str> = written.collect();
                if written.contains(&note.waiter.value.as_str()) {
                    // Defined, but its resource has a problem, which is reported there.
                    continue;
                }
                let d = Diagnostic::on(
                    path,
                    &note.waiter,
                    format!("waiter `{}` is not defined", note.waiter.value),
                )
                .suggest(
                    &note.waiter.value,
                    written,
                    "define it under `waiters` of a resource in types.yaml",
                );
                self.err(d);
                continue;
            };
            if let Some(action) = actions.iter_mut().find(|x| x.name == a.name.value) {
                action.async_note = Some(ir::AsyncNote {
                    resource: resource.name.clone(),
                    read_action: resource.read.action.clone(),
                    waiter: waiter.clone(),
                    description: note.description.clone(),
                });
            }
        }
    }

    /// Checks a list of fields; `reserved` is a Rust name the generated code already uses there.
    fn fields(
        &mut self,
        path: &Path,
        fields: &[model::Field],
        scope: &str,
        reserved: Option<(&str, &str)>,
    ) -> Vec<ir::Field> {
        let mut wires: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
        let mut rusts: BTreeMap<String, String> = BTreeMap::new();
        let mut out = Vec::new();
        for f in fields {
            if let Some(first) = wires.insert(f.name.value.clone(), &f.name) {
                self.err(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!(
                            "{scope} lists `{}` twice (first on line {})",
                            f.name.value,
                            first.referenced.line()
                        ),
                    )
                    .help("remove one; if the vendor documents two parameters, check the spelling of this one"),
                );
                continue;
            }
            let rust = names::snake(&f.name.value);
            if !self.rust_field_name(path, &f.name, &rust, scope, reserved) {
                self.broken_fields.insert(f.name.value.clone());
                continue;
            }
            if let Some(other) = rusts.insert(rust.clone(), f.name.value.clone()) {
                self.err(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!(
                            "`{}` and `{other}` in {scope} both become the Rust name `{rust}`",
                            f.name.value
                        ),
                    )
                    .help("the two names cannot both be bound; check which one the vendor really sends"),
                );
            }
            match self.field(path, f, rust) {
                Some(field) => out.push(field),
                None => {
                    self.broken_fields.insert(f.name.value.clone());
                }
            }
        }
        out
    }

    /// Whether the Rust name derived from a wire name can be used; reports it when not.
    fn rust_field_name(
        &mut self,
        path: &Path,
        wire: &Spanned<String>,
        rust: &str,
        scope: &str,
        reserved: Option<(&str, &str)>,
    ) -> bool {
        let bare = names::bare(rust);
        let d = if wire.value.trim().is_empty() {
            Diagnostic::on(path, wire, format!("a field name in {scope} is empty"))
                .help("copy the parameter name from the vendor page")
        } else if bare.is_empty() || bare.trim_matches('_').is_empty() {
            Diagnostic::on(
                path,
                wire,
                format!(
                    "`{}` has no letters or digits to build a Rust name from",
                    wire.value
                ),
            )
            .help("check the parameter name on the vendor page")
        } else if !bare.is_ascii() || syn::parse_str::<syn::Ident>(rust).is_err() {
            Diagnostic::on(
                path,
                wire,
                format!(
                    "`{}` becomes `{rust}`, which cannot be a Rust field name (only ASCII names are supported)",
                    wire.value
                ),
            )
            .help("check the parameter name on the vendor page; the generator needs an ASCII name")
        } else if let Some((name, what)) = reserved.filter(|(name, _)| bare == *name) {
            Diagnostic::on(
                path,
                wire,
                format!(
                    "`{}` in {scope} becomes the Rust method `{name}`, which clashes with {what}",
                    wire.value
                ),
            )
            .help(
                "the generator cannot bind this name yet; report it together with the vendor page",
            )
        } else {
            return true;
        };
        self.err(d);
        false
    }

    fn field(&mut self, path: &Path, f: &model::Field, rust: String) -> Option<ir::Field> {
        let ty = self.resolve_type(path, &f.ty)?;
        let constraints = self.constraints(path, f, &ty);
        let lenient_ok = matches!(
            ty,
            ir::Type::Integer | ir::Type::Long | ir::Type::Float | ir::Type::Boolean
        );
        if f.lenient && (!lenient_ok || f.required) {
            self.err(
                Diagnostic::on(
                    path,
                    &f.name,
                    format!("`lenient` does not apply to `{}`", f.name.value),
                )
                .help("`lenient` is for optional numbers and booleans that may arrive as strings"),
            );
        }
        if f.idempotency_token && ty != ir::Type::String {
            self.err(
                Diagnostic::on(
                    path,
                    &f.ty,
                    format!(
                        "idempotency token `{}` is {}, but must be a string",
                        f.name.value,
                        type_name(&ty)
                    ),
                )
                .help("write `type: string`, or drop `idempotency_token` if this is not the client token"),
            );
        }
        if let Some(default) = &f.default {
            self.check_default(path, f, &ty, &constraints, default);
        }
        Some(ir::Field {
            wire: f.name.value.clone(),
            rust,
            ty,
            required: f.required,
            description: f.description.clone(),
            constraints,
            default: f.default.clone(),
            unit: f.unit.clone(),
            example: f.example.clone(),
            idempotency_token: f.idempotency_token,
            lenient: f.lenient,
        })
    }

    fn check_default(
        &mut self,
        path: &Path,
        f: &model::Field,
        ty: &ir::Type,
        c: &ir::Constraints,
        default: &Value,
    ) {
        let mut problems = Vec::new();
        let cx = ExampleCx {
            structs: &self.structs,
            broken: &self.broken_fields,
            placeholder: "",
        };
        let at = &f.name.value;
        check_value(default, ty, &cx, at, &mut problems);
        check_limits(default, c, at, &mut problems);
        if let (ir::Type::Enum(name), Some(text)) = (ty, default.as_str())
            && let Some(values) = self.catalog.enums.get(name)
            && !values.contains(text)
        {
            let mut problem = format!("`{at}` = {default} is not a value of `{name}`");
            if let Some(h) = did_you_mean(text, values.iter().map(String::as_str)) {
                problem.push_str(&format!(" (did you mean `{h}`?)"));
            }
            problems.push(problem);
        }
        for p in problems {
            self.err(
                Diagnostic::on(path, &f.name, format!("the default does not fit: {p}"))
                    .help("`default` is what the service uses when the parameter is omitted; copy it from the vendor page, or fix the type and limits"),
            );
        }
    }

    fn resolve_type(&mut self, path: &Path, ty: &Spanned<String>) -> Option<ir::Type> {
        match parse_type(ty.value.trim(), &self.catalog) {
            Ok(t) => Some(t),
            Err(unknown) if unknown.starts_with("list<") || unknown.starts_with("map<") => {
                self.err(
                    Diagnostic::on(
                        path,
                        ty,
                        format!(
                            "type `{}` nests more than {MAX_TYPE_DEPTH} levels of list/map",
                            ty.value
                        ),
                    )
                    .help("no vendor API nests that deep; check the type on the vendor page"),
                );
                None
            }
            Err(unknown) => {
                let candidates: Vec<&str> = SCALARS
                    .iter()
                    .copied()
                    .chain(self.catalog.all_names())
                    .collect();
                let mut d = Diagnostic::on(path, ty, format!("unknown type `{unknown}`"));
                d = match did_you_mean(&unknown, candidates.iter().copied()) {
                    Some(h) => d.help(format!("did you mean `{h}`?")),
                    None => d.help(
                        "use string, integer, long, float, boolean, list<T>, map<T>, or a name from types.yaml",
                    ),
                };
                self.err(d);
                None
            }
        }
    }

    fn constraints(&mut self, path: &Path, f: &model::Field, ty: &ir::Type) -> ir::Constraints {
        let c = &f.constraints;
        let is_number = matches!(ty, ir::Type::Integer | ir::Type::Long | ir::Type::Float);
        let is_string = *ty == ir::Type::String;
        let is_list = matches!(ty, ir::Type::List(_));
        let misplaced = |name: &str, allowed: bool, kind: &str, checker: &mut Self| {
            if !allowed {
                checker.err(
                    Diagnostic::on(
                        path,
                        &f.ty,
                        format!(
                            "`{name}` does not apply to `{}` (type {})",
                            f.name.value, f.ty.value
                        ),
                    )
                    .help(format!(
                        "`{name}` applies to {kind} only; remove it or fix the type"
                    )),
                );
            }
        };
        for (name, set) in [("min", c.min.is_some()), ("max", c.max.is_some())] {
            if set {
                misplaced(name, is_number, "numbers", self);
            }
        }
        for (name, set) in [
            ("min_length", c.min_length.is_some()),
            ("max_length", c.max_length.is_some()),
            ("pattern", c.pattern.is_some()),
            ("ascii", c.ascii),
        ] {
            if set {
                misplaced(name, is_string, "strings", self);
            }
        }
        for (name, set) in [
            ("min_items", c.min_items.is_some()),
            ("max_items", c.max_items.is_some()),
            ("unique_by", c.unique_by.is_some()),
        ] {
            if set {
                misplaced(name, is_list, "lists", self);
            }
        }
        if *ty == ir::Type::Integer {
            for bound in [&c.min, &c.max].into_iter().flatten() {
                if i32::try_from(bound.value).is_err() {
                    self.err(
                        Diagnostic::on(
                            path,
                            bound,
                            format!(
                                "{} does not fit `{}`, which is a 32-bit `integer`",
                                bound.value, f.name.value
                            ),
                        )
                        .help("if the vendor documents 64-bit values, use `type: long`"),
                    );
                }
            }
        }
        self.check_order(path, "min", c.min.as_ref(), "max", c.max.as_ref());
        self.check_order(
            path,
            "min_length",
            c.min_length.as_ref(),
            "max_length",
            c.max_length.as_ref(),
        );
        self.check_order(
            path,
            "min_items",
            c.min_items.as_ref(),
            "max_items",
            c.max_items.as_ref(),
        );
        if let Some(p) = &c.pattern
            && let Err(e) = regex_lite::Regex::new(&p.value)
        {
            self.err(
                Diagnostic::on(path, p, format!("the pattern does not compile: {e}"))
                    .help("write a regular expression in Rust `regex` syntax, e.g. \"^[a-z0-9-]+$\", in quotes"),
            );
        }
        let unique_by = c
            .unique_by
            .as_ref()
            .and_then(|u| self.unique_by(path, u, ty));
        ir::Constraints {
            min: c.min.as_ref().map(|v| v.value),
            max: c.max.as_ref().map(|v| v.value),
            min_length: c.min_length.as_ref().map(|v| v.value),
            max_length: c.max_length.as_ref().map(|v| v.value),
            pattern: c.pattern.as_ref().map(|v| v.value.clone()),
            ascii: c.ascii,
            min_items: c.min_items.as_ref().map(|v| v.value),
            max_items: c.max_items.as_ref().map(|v| v.value),
            unique_by,
        }
    }

    fn check_order<T: PartialOrd + std::fmt::Display>(
        &mut self,
        path: &Path,
        low_name: &str,
        low: Option<&Spanned<T>>,
        high_name: &str,
        high: Option<&Spanned<T>>,
    ) {
        if let (Some(low), Some(high)) = (low, high)
            && low.value > high.value
        {
            self.err(
                Diagnostic::on(
                    path,
                    low,
                    format!(
                        "{low_name} {} is greater than {high_name} {}",
                        low.value, high.value
                    ),
                )
                .help(format!(
                    "swap them, or check the vendor page for the real {low_name}"
                )),
            );
        }
    }

    fn unique_by(
        &mut self,
        path: &Path,
        u: &Spanned<String>,
        ty: &ir::Type,
    ) -> Option<ir::UniqueKey> {
        let ir::Type::List(item) = ty else {
            return None;
        };
        let ir::Type::Struct(name) = item.as_ref() else {
            self.err(Diagnostic::on(
                path,
                u,
                "`unique_by` needs a list of structures",
            ));
            return None;
        };
        let fields: Vec<&str> = self
            .loaded
            .types
            .1
            .structures
            .iter()
            .find(|s| &s.name.value == name)
            .map(|s| s.fields.iter().map(|f| f.name.value.as_str()).collect())
            .unwrap_or_default();
        if fields.contains(&u.value.as_str()) {
            Some(ir::UniqueKey {
                wire: u.value.clone(),
                rust: names::snake(&u.value),
            })
        } else {
            let mut d = Diagnostic::on(
                path,
                u,
                format!("structure `{name}` has no field `{}`", u.value),
            );
            d = d.suggest(
                &u.value,
                fields.iter().copied(),
                "name a field (wire name) of the list's items",
            );
            self.err(d);
            None
        }
    }

    fn action(
        &mut self,
        path: &Path,
        a: &model::ActionFile,
        structs: &[ir::Struct],
        enums: &[ir::Enum],
    ) -> Option<ir::Action> {
        let kind = match a.kind.value.as_str() {
            "read" => ir::ActionKind::Read,
            "write" => ir::ActionKind::Write,
            other => {
                self.err(
                    Diagnostic::on(path, &a.kind, format!("unknown action kind `{other}`"))
                        .help("use `read` (no side effect, safe to repeat) or `write`"),
                );
                ir::ActionKind::Write
            }
        };
        if self.upper_camel(path, &a.name, "action name")
            && names::bare(&names::snake(&a.name.value)) == "mod"
        {
            self.err(
                Diagnostic::on(
                    path,
                    &a.name,
                    "an action named `Mod` would overwrite the generated `operation/mod.rs`",
                )
                .help("check the action name on the vendor page"),
            );
        }
        let input = self.fields(
            path,
            &a.input,
            "the input",
            Some(("build", "the builder's `build` method")),
        );
        let output = self.fields(path, &a.output, "the output", None);
        self.check_idempotency_tokens(path, &a.input);
        let paging = a
            .paging
            .as_ref()
            .and_then(|p| self.paging(path, p, &input, &output, structs));
        let preconditions = a
            .preconditions
            .iter()
            .filter_map(|p| self.precondition(path, p, enums))
            .collect();
        let errors = self.errors_table(path, &a.errors);
        let examples = a
            .examples
            .iter()
            .filter_map(|e| self.example(path, e, Some(&input)))
            .collect();
        Some(ir::Action {
            name: a.name.value.clone(),
            snake: names::snake(&a.name.value),
            summary: a.summary.clone(),
            description: a.description.clone(),
            docs_url: a.docs_url.clone(),
            kind,
            input,
            output,
            async_note: None,
            paging,
            preconditions,
            errors,
            examples,
        })
    }

    fn check_idempotency_tokens(&mut self, path: &Path, input: &[model::Field]) {
        let mut first: Option<&str> = None;
        let mut problems = Vec::new();
        for f in input.iter().filter(|f| f.idempotency_token) {
            if f.required {
                problems.push(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!("the idempotency token `{}` is required", f.name.value),
                    )
                    .help("make it optional: the client fills an empty token with a fresh UUID and keeps it across retries"),
                );
            }
            match first {
                Some(other) => problems.push(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!(
                            "`{}` is a second idempotency token; `{other}` is one already",
                            f.name.value
                        ),
                    )
                    .help("mark only the vendor's client-token parameter with `idempotency_token: true`"),
                ),
                None => first = Some(&f.name.value),
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    fn paging(
        &mut self,
        path: &Path,
        p: &model::Paging,
        input: &[ir::Field],
        output: &[ir::Field],
        structs: &[ir::Struct],
    ) -> Option<ir::Paging> {
        let number = self.paging_field(path, &p.page_number, input, "input");
        let size = self.paging_field(path, &p.page_size, input, "input");
        let total = self.paging_field(path, &p.total, output, "output");
        let (number, size, total) = (number?, size?, total?);
        if number.wire == size.wire {
            self.err(
                Diagnostic::on(
                    path,
                    &p.page_size,
                    "`page_number` and `page_size` name the same parameter",
                )
                .help("name the page-number parameter and the page-size parameter"),
            );
            return None;
        }
        let mut required = false;
        for (wire, field) in [(&p.page_number, number), (&p.page_size, size)] {
            if field.required {
                required = true;
                self.err(
                    Diagnostic::on(
                        path,
                        wire,
                        format!("paging parameter `{}` is required", wire.value),
                    )
                    .help("paging parameters must be optional (the paginator sets them); drop `required: true`"),
                );
            }
        }
        if required {
            return None;
        }
        let mut fields = output;
        let mut rust_path = Vec::new();
        let mut item_type = None;
        let segments: Vec<&str> = p.items.value.split('.').collect();
        for (i, segment) in segments.iter().enumerate() {
            let Some(f) = fields.iter().find(|f| f.wire == *segment) else {
                if self.broken_fields.contains(*segment) {
                    return None;
                }
                let side = if i == 0 {
                    "the output"
                } else {
                    "that structure"
                };
                let mut d = Diagnostic::on(
                    path,
                    &p.items,
                    format!(
                        "`{segment}` in `{}` is not a field of {side}",
                        p.items.value
                    ),
                );
                d = match did_you_mean(segment, fields.iter().map(|f| f.wire.as_str())) {
                    Some(h) => d.help(format!("did you mean `{h}`?")),
                    None => {
                        d.help("give the dotted wire path from the output to the list of records")
                    }
                };
                self.err(d);
                return None;
            };
            // Output fields are always optional in Rust; structure fields unless required.
            let optional = i == 0 || !f.required;
            rust_path.push(ir::PathStep {
                rust: f.rust.clone(),
                optional,
            });
            match (&f.ty, i + 1 == segments.len()) {
                (ir::Type::Struct(name), false) => {
                    fields = &structs.iter().find(|s| &s.name == name)?.fields;
                }
                (other, false) => {
                    self.err(
                        Diagnostic::on(
                            path,
                            &p.items,
                            format!(
                                "`{segment}` in `{}` is {}, not a structure, so the path cannot go on",
                                p.items.value,
                                type_name(other)
                            ),
                        )
                        .help("every step but the last must be a structure field; the last is the list of records"),
                    );
                    return None;
                }
                (ir::Type::List(item), true) => {
                    if let ir::Type::Struct(name) = item.as_ref() {
                        item_type = Some(name.clone());
                    }
                }
                _ => {}
            }
        }
        let Some(item_type) = item_type else {
            self.err(
                Diagnostic::on(
                    path,
                    &p.items,
                    format!("`{}` does not lead to a list of structures", p.items.value),
                )
                .help("give the dotted wire path from the output to the list of records"),
            );
            return None;
        };
        Some(ir::Paging {
            page_number: number.rust.clone(),
            page_number_long: number.ty == ir::Type::Long,
            page_size_long: size.ty == ir::Type::Long,
            total_long: total.ty == ir::Type::Long,
            max_page_size: size.constraints.max,
            page_size: size.rust.clone(),
            default_page_size: size.default.as_ref().and_then(Value::as_i64),
            total: total.rust.clone(),
            items: rust_path,
            item_type,
        })
    }

    fn paging_field<'f>(
        &mut self,
        path: &Path,
        wire: &Spanned<String>,
        fields: &'f [ir::Field],
        side: &str,
    ) -> Option<&'f ir::Field> {
        let Some(f) = fields.iter().find(|f| f.wire == wire.value) else {
            if self.broken_fields.contains(&wire.value) {
                return None;
            }
            let mut d = Diagnostic::on(
                path,
                wire,
                format!("paging names `{}`, which is not in the {side}", wire.value),
            );
            d = d.suggest(
                &wire.value,
                fields.iter().map(|f| f.wire.as_str()),
                &format!("name an integer field of the {side}"),
            );
            self.err(d);
            return None;
        };
        if !matches!(f.ty, ir::Type::Integer | ir::Type::Long) {
            self.err(
                Diagnostic::on(
                    path,
                    wire,
                    format!(
                        "paging field `{}` is {}, but must be an `integer` or `long`",
                        wire.value,
                        type_name(&f.ty)
                    ),
                )
                .help("name the numeric page-number, page-size or total-count field"),
            );
            return None;
        }
        Some(f)
    }

    fn resource_enum(&mut self, path: &Path, name: &Spanned<String>) -> Option<String> {
        let resources = &self.loaded.types.1.resources;
        let found = resources
            .iter()
            .find(|r| r.name.value == name.value)
            .map(|r| r.status_enum.value.clone());
        if found.is_none() {
            let mut d = Diagnostic::on(
                path,
                name,
                format!("resource `{}` is not defined", name.value),
            );
            d = match did_you_mean(&name.value, resources.iter().map(|r| r.name.value.as_str())) {
                Some(h) => d.help(format!("did you mean `{h}`?")),
                None => d.help("define it under `resources` in types.yaml"),
            };
            self.err(d);
        }
        found
    }

    /// Checks states against the enum and returns their canonical spellings.
    fn states(
        &mut self,
        path: &Path,
        status_enum: &str,
        enums: &[ir::Enum],
        states: &[Spanned<String>],
    ) -> Vec<String> {
        let Some(e) = enums.iter().find(|e| e.name == status_enum) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for s in states {
            let known = e
                .values
                .iter()
                .find(|v| v.wire == s.value || v.aliases.contains(&s.value));
            match known {
                Some(v) => out.push(v.wire.clone()),
                None => {
                    let spellings = e
                        .values
                        .iter()
                        .flat_map(|v| std::iter::once(&v.wire).chain(&v.aliases));
                    let mut d = Diagnostic::on(
                        path,
                        s,
                        format!("`{}` is not a value of `{status_enum}`", s.value),
                    );
                    d = d.suggest(
                        &s.value,
                        spellings.map(String::as_str),
                        &format!("use a value of `{status_enum}`, or add the state to it"),
                    );
                    self.err(d);
                }
            }
        }
        out
    }

    fn precondition(
        &mut self,
        path: &Path,
        p: &model::Precondition,
        enums: &[ir::Enum],
    ) -> Option<ir::Precondition> {
        let status_enum = self.resource_enum(path, &p.resource)?;
        Some(ir::Precondition {
            resource: p.resource.value.clone(),
            allowed_states: self.states(path, &status_enum, enums, &p.allowed_states),
            description: p.description.clone(),
        })
    }

    fn errors_table(&mut self, path: &Path, rows: &[model::ErrorRow]) -> Vec<ir::ErrorVariant> {
        let mut variants: Vec<ir::ErrorVariant> = Vec::new();
        for row in rows {
            let code = row.code.value.trim();
            if code.is_empty() {
                self.err(
                    Diagnostic::on(path, &row.code, "error row with an empty code")
                        .help("copy the code from the vendor's error table"),
                );
                continue;
            }
            let status = match (row.http_status, row.vendor_status) {
                (Some(s), None) if (100..=599).contains(&s) => ir::Status::Http(s),
                (None, Some(v)) => ir::Status::Vendor(v),
                (Some(s), None) => {
                    self.err(
                        Diagnostic::on(path, &row.code, format!("{s} is not an HTTP status"))
                            .help("if the vendor prints its own number there, write it as `vendor_status`"),
                    );
                    continue;
                }
                _ => {
                    self.err(
                        Diagnostic::on(path, &row.code, "give exactly one of `http_status` and `vendor_status`")
                            .help("`vendor_status` is for tables whose status column holds vendor numbers such as 7105"),
                    );
                    continue;
                }
            };
            let documented = ir::ErrorRow {
                status,
                message: row.message.clone(),
                description: row.description.clone(),
            };
            if let Some(v) = variants.iter_mut().find(|v| v.code == code) {
                v.rows.push(documented);
                continue;
            }
            let variant = names::camel(code);
            if !is_ident(&variant) {
                self.err(
                    Diagnostic::on(
                        path,
                        &row.code,
                        format!("code `{code}` gives no usable Rust variant name (`{variant}`)"),
                    )
                    .help("check the code on the vendor page: letters, digits, `.`, `_` and `-` are supported"),
                );
                continue;
            }
            if variant == "Unhandled" || variants.iter().any(|v| v.variant == variant) {
                let why = if variant == "Unhandled" {
                    "which the generator keeps for undocumented codes"
                } else {
                    "which another code already became"
                };
                self.err(
                    Diagnostic::on(
                        path,
                        &row.code,
                        format!("code `{code}` becomes the Rust variant `{variant}`, {why}"),
                    )
                    .help("codes that differ only in case or punctuation cannot both be bound; check which spelling the service sends"),
                );
                continue;
            }
            variants.push(ir::ErrorVariant {
                code: code.to_string(),
                variant,
                rows: vec![documented],
            });
        }
        variants
    }

    fn example(
        &mut self,
        path: &Path,
        e: &model::Example,
        input: Option<&[ir::Field]>,
    ) -> Option<ir::Example> {
        let mut request = e.request.as_ref().map(|r| (r, r.value.clone()));
        let mut response = e.response.as_ref().map(|r| (r, r.value.clone()));
        for fixup in &e.fixups {
            if fixup.find.is_empty() {
                self.err(
                    Diagnostic::on(
                        path,
                        &fixup.name,
                        format!("fixup `{}` has an empty `find`", fixup.name.value),
                    )
                    .help("`find` is the broken vendor text to replace; copy it from the example"),
                );
                continue;
            }
            let mut applied = false;
            for (_, text) in request.iter_mut().chain(response.iter_mut()) {
                if text.contains(&fixup.find) {
                    *text = text.replace(&fixup.find, &fixup.replace);
                    applied = true;
                }
            }
            if !applied {
                self.err(
                    Diagnostic::on(
                        path,
                        &fixup.name,
                        format!(
                            "fixup `{}` no longer applies: `{}` is not in the example",
                            fixup.name.value, fixup.find
                        ),
                    )
                    .help("the vendor text was corrected; delete this fixup"),
                );
            }
        }
        let request = request.and_then(|(span, text)| self.json(path, span, &text, "request"));
        let response = response.and_then(|(span, text)| self.json(path, span, &text, "response"));
        if let (Some(fields), Some(value), Some(span)) = (input, &request, &e.request) {
            let mut problems = Vec::new();
            let cx = ExampleCx {
                structs: &self.structs,
                broken: &self.broken_fields,
                placeholder: "",
            };
            check_object(value, fields, &cx, "", &mut problems);
            for p in problems {
                self.err(
                    Diagnostic::on(path, span, format!("example `{}`: {p}", e.title))
                        .help("make the example match the parameters, or fix the parameter list"),
                );
            }
        }
        Some(ir::Example {
            title: e.title.clone(),
            request,
            response,
            status: e.status.unwrap_or(200),
            fixups: e
                .fixups
                .iter()
                .map(|f| (f.name.value.clone(), f.reason.clone()))
                .collect(),
        })
    }

    fn json(
        &mut self,
        path: &Path,
        span: &Spanned<String>,
        text: &str,
        what: &str,
    ) -> Option<Value> {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(
                    Diagnostic::on(
                        path,
                        span,
                        format!("the example {what} is not valid JSON: {e}"),
                    )
                    .help("if the vendor text is broken, add a named fixup under `fixups`"),
                );
                None
            }
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

/// Whether `name` can be emitted as an identifier (`r#` raw names included).
fn is_ident(name: &str) -> bool {
    !name.is_empty() && syn::parse_str::<syn::Ident>(name).is_ok()
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

/// Parses `string`, `list<T>`, `map<T>` or a type name; the error is the unknown part.
fn parse_type(text: &str, catalog: &Catalog) -> Result<ir::Type, String> {
    parse_type_at(text, catalog, 0)
}

fn parse_type_at(text: &str, catalog: &Catalog, depth: usize) -> Result<ir::Type, String> {
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('>'))
            .map(str::trim)
    };
    let nested = inner("list<").or_else(|| inner("map<"));
    if nested.is_some() && depth >= MAX_TYPE_DEPTH {
        return Err(text.to_string());
    }
    if let Some(item) = inner("list<") {
        return Ok(ir::Type::List(Box::new(parse_type_at(
            item,
            catalog,
            depth + 1,
        )?)));
    }
    if let Some(item) = inner("map<") {
        return Ok(ir::Type::Map(Box::new(parse_type_at(
            item,
            catalog,
            depth + 1,
        )?)));
    }
    Ok(match text {
        "string" => ir::Type::String,
        "integer" => ir::Type::Integer,
        "long" => ir::Type::Long,
        "float" => ir::Type::Float,
        "boolean" => ir::Type::Boolean,
        name if catalog.structs.contains(name) => ir::Type::Struct(name.to_string()),
        name if catalog.enums.contains_key(name) => ir::Type::Enum(name.to_string()),
        other => return Err(other.to_string()),
    })
}

/// What example values are checked against: the parsed structures, and what `$ids` is.
struct ExampleCx<'a> {
    structs: &'a [ir::Struct],
    /// Fields already reported as broken; values for them are not checked again.
    broken: &'a BTreeSet<String>,
    /// In a read template, the string standing for the list of ids; empty otherwise.
    placeholder: &'a str,
}

/// Checks an example object against fields: required present, no unknown keys, types and limits fit.
fn check_object(
    value: &Value,
    fields: &[ir::Field],
    cx: &ExampleCx<'_>,
    at: &str,
    problems: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else {
        let what = if at.is_empty() { "the example" } else { at };
        problems.push(format!("`{what}` should be a JSON object, not {value}"));
        return;
    };
    // In a read template, top-level required parameters left out become waiter arguments.
    let template_top = at.is_empty() && !cx.placeholder.is_empty();
    for f in fields.iter().filter(|f| f.required && !template_top) {
        if !object.contains_key(&f.wire) {
            problems.push(format!("required `{}{}` is missing", prefix(at), f.wire));
        }
    }
    for (key, v) in object {
        let here = format!("{}{key}", prefix(at));
        match fields.iter().find(|f| &f.wire == key) {
            None if cx.broken.contains(key) => {}
            None => {
                let hint = did_you_mean(key, fields.iter().map(|f| f.wire.as_str()))
                    .map(|h| format!(" (did you mean `{h}`?)"))
                    .unwrap_or_default();
                problems.push(format!("`{here}` is not a documented parameter{hint}"));
            }
            Some(f) => {
                check_value(v, &f.ty, cx, &here, problems);
                check_limits(v, &f.constraints, &here, problems);
            }
        }
    }
}

fn prefix(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}.")
    }
}

/// Documented limits that an example value breaks (the generated tests would fail).
fn check_limits(value: &Value, c: &ir::Constraints, at: &str, problems: &mut Vec<String>) {
    let consistent =
        |low: Option<u64>, high: Option<u64>| low.zip(high).is_none_or(|(l, h)| l <= h);
    let numbers_ok = c.min.zip(c.max).is_none_or(|(l, h)| l <= h);
    if let Some(n) = value.as_i64()
        && numbers_ok
        && (c.min.is_some_and(|m| n < m) || c.max.is_some_and(|m| n > m))
    {
        problems.push(format!("`{at}` = {n} is outside its documented range"));
    }
    if let Some(text) = value.as_str() {
        let chars = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
        if consistent(c.min_length, c.max_length)
            && (c.min_length.is_some_and(|m| chars < m) || c.max_length.is_some_and(|m| chars > m))
        {
            problems.push(format!(
                "`{at}` = {value} breaks its documented length limits"
            ));
        }
        if c.ascii && !text.is_ascii() {
            problems.push(format!("`{at}` = {value} is not ASCII"));
        }
        if let Some(p) = &c.pattern
            && let Ok(re) = regex_lite::Regex::new(&format!("^(?:{p})$"))
            && !re.is_match(text)
        {
            problems.push(format!("`{at}` = {value} does not match the pattern `{p}`"));
        }
    }
    if let Some(items) = value.as_array() {
        let n = u64::try_from(items.len()).unwrap_or(u64::MAX);
        if consistent(c.min_items, c.max_items)
            && (c.min_items.is_some_and(|m| n < m) || c.max_items.is_some_and(|m| n > m))
        {
            problems.push(format!(
                "`{at}` has {n} items, outside its documented limits"
            ));
        }
    }
}

fn check_value(
    value: &Value,
    ty: &ir::Type,
    cx: &ExampleCx<'_>,
    at: &str,
    problems: &mut Vec<String>,
) {
    if !cx.placeholder.is_empty() && value.as_str() == Some(cx.placeholder) {
        if *ty != ir::Type::List(Box::new(ir::Type::String)) {
            problems.push(format!(
                "`{at}` is {}, but `{}` stands for a list of id strings and needs a `list<string>` parameter",
                type_name(ty),
                cx.placeholder
            ));
        }
        return;
    }
    let fits = match ty {
        ir::Type::String => value.is_string(),
        ir::Type::Integer => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        ir::Type::Long => value.is_i64(),
        ir::Type::Float => value.is_number(),
        ir::Type::Boolean => value.is_boolean(),
        ir::Type::Enum(_) => value.is_string(),
        ir::Type::List(item) => match value.as_array() {
            Some(items) => {
                for (i, v) in items.iter().enumerate() {
                    check_value(v, item, cx, &format!("{at}[{i}]"), problems);
                }
                true
            }
            None => false,
        },
        ir::Type::Map(item) => match value.as_object() {
            Some(entries) => {
                for (k, v) in entries {
                    check_value(v, item, cx, &format!("{at}.{k}"), problems);
                }
                true
            }
            None => false,
        },
        ir::Type::Struct(name) => match cx.structs.iter().find(|s| &s.name == name) {
            Some(s) if value.is_object() => {
                check_object(value, &s.fields, cx, at, problems);
                true
            }
            Some(_) => false,
            None => true,
        },
    };
    if !fits {
        let range = if *ty == ir::Type::Integer && value.is_i64() {
            " (a 32-bit integer)"
        } else {
            ""
        };
        problems.push(format!(
            "`{at}` = {value} does not fit type {}{range}",
            type_name(ty)
        ));
    }
}

fn type_name(ty: &ir::Type) -> String {
    match ty {
        ir::Type::String => "string".into(),
        ir::Type::Integer => "integer".into(),
        ir::Type::Long => "long".into(),
        ir::Type::Float => "float".into(),
        ir::Type::Boolean => "boolean".into(),
        ir::Type::List(t) => format!("list<{}>", type_name(t)),
        ir::Type::Map(t) => format!("map<{}>", type_name(t)),
        ir::Type::Struct(n) | ir::Type::Enum(n) => n.clone(),
    }
}
