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
    errors: SpecErrors,
}

const SCALARS: [&str; 5] = ["string", "integer", "long", "float", "boolean"];

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
        if crate_name.is_empty()
            || !crate_name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            self.err(
                Diagnostic::on(
                    path,
                    &file.name,
                    "the service name must be a kebab-case crate name",
                )
                .help("use lower-case letters, digits and `-`, e.g. `zenlayer-sdn`"),
            );
        }
        let structs = self.structs();
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

    fn check_request_id_outputs(&mut self, actions: &[ir::Action]) {
        let (path, file) = &self.loaded.service;
        let wanted = &file.request_id_field.value;
        for action in actions {
            if !action.output.iter().any(|f| &f.wire == wanted) {
                let (action_path, _) = self
                    .loaded
                    .actions
                    .iter()
                    .find(|(_, a)| a.name.value == action.name)
                    .map_or((path, ()), |(p, _)| (p, ()));
                self.err(
                    Diagnostic::file(
                        action_path,
                        format!("the output lacks the request-id field `{wanted}`"),
                    )
                    .help(format!(
                        "add `- {{ name: {wanted}, type: string, description: ... }}` to `output`"
                    )),
                );
            }
        }
    }

    fn check_duplicate_actions(&mut self) {
        let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
        let mut problems = Vec::new();
        for (path, action) in &self.loaded.actions {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if stem != action.name.value {
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
                ));
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
            let fields = self.fields(path, &s.fields, &format!("structure `{}`", s.name.value));
            out.push(ir::Struct {
                name: s.name.value.clone(),
                description: s.description.clone(),
                fields,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn type_name(&mut self, path: &Path, name: &Spanned<String>, seen: &mut BTreeSet<String>) {
        if names::camel(&name.value) != name.value {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!("type name `{}` is not UpperCamelCase", name.value),
                )
                .help(format!("rename it to `{}`", names::camel(&name.value))),
            );
        }
        let both = self.catalog.structs.contains(&name.value)
            && self.catalog.enums.contains_key(&name.value);
        if !seen.insert(name.value.clone()) || both {
            self.err(Diagnostic::on(
                path,
                name,
                format!("type `{}` is defined more than once", name.value),
            ));
        }
    }

    fn enums(&mut self) -> Vec<ir::Enum> {
        let (path, types) = &self.loaded.types;
        let mut seen: BTreeSet<String> = self.catalog.structs.clone();
        let mut out = Vec::new();
        for e in &types.enums {
            self.type_name(path, &e.name, &mut seen);
            let mut wires = BTreeSet::new();
            let mut variants = BTreeSet::new();
            let mut values = Vec::new();
            for v in &e.values {
                let variant = names::camel(&v.value.value);
                for spelling in std::iter::once(&v.value).chain(&v.aliases) {
                    if !wires.insert(spelling.value.clone()) {
                        self.err(Diagnostic::on(
                            path,
                            spelling,
                            format!("enum `{}` lists `{}` twice", e.name.value, spelling.value),
                        ));
                    }
                }
                if !variants.insert(variant.clone()) || variant == "Unknown" {
                    self.err(
                        Diagnostic::on(
                            path,
                            &v.value,
                            format!(
                                "value `{}` becomes Rust variant `{variant}`, which is already taken",
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
                let hint = did_you_mean(
                    &r.status_enum.value,
                    self.catalog.enums.keys().map(String::as_str),
                );
                let mut d = Diagnostic::on(
                    path,
                    &r.status_enum,
                    format!("status enum `{}` is not defined", r.status_enum.value),
                );
                if let Some(h) = hint {
                    d = d.help(format!("did you mean `{h}`?"));
                }
                self.err(d);
                continue;
            }
            let Some((record, id_field, status_field)) =
                self.read_lookup(path, r, actions, structs)
            else {
                continue;
            };
            let mut waiters = Vec::new();
            for w in &r.waiters {
                if !waiter_names.insert(w.name.value.clone()) {
                    self.err(Diagnostic::on(
                        path,
                        &w.name,
                        format!("waiter `{}` is defined twice", w.name.value),
                    ));
                }
                waiters.push(self.waiter(path, w, &r.status_enum.value, enums));
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
            if let Some(h) =
                did_you_mean(&read.action.value, actions.iter().map(|a| a.name.as_str()))
            {
                d = d.help(format!("did you mean `{h}`?"));
            }
            self.err(d);
            return None;
        };
        let Some(paging) = &action.paging else {
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
        let page_max = paging
            .max_page_size
            .map_or(u64::MAX, |m| u64::try_from(m).unwrap_or(0));
        if read.max_ids.value == 0 || read.max_ids.value > page_max {
            self.err(
                Diagnostic::on(
                    path,
                    &read.max_ids,
                    format!("`max_ids` must be between 1 and the page size limit {page_max}"),
                )
                .help("every record of one lookup must fit on one page"),
            );
        }
        let mut problems = Vec::new();
        check_object(
            &read.request.value,
            &action.input,
            &self.catalog,
            &self.loaded.types.1,
            "",
            IDS,
            &mut problems,
        );
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
        let id = self.record_field(path, &r.id_field, record)?;
        let status = self.record_field(path, &r.status_field, record)?;
        let status_ok = status.ty == ir::Type::String
            || status.ty == ir::Type::Enum(r.status_enum.value.clone());
        if !status_ok {
            self.err(Diagnostic::on(
                path,
                &r.status_field,
                format!(
                    "`{}` must be a string or `{}`",
                    r.status_field.value, r.status_enum.value
                ),
            ));
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
        if found.is_none() {
            let mut d = Diagnostic::on(
                path,
                wire,
                format!("record `{}` has no field `{}`", record.name, wire.value),
            );
            if let Some(h) =
                did_you_mean(&wire.value, record.fields.iter().map(|f| f.wire.as_str()))
            {
                d = d.help(format!("did you mean `{h}`?"));
            }
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
        if names::camel(&w.name.value) != w.name.value {
            self.err(
                Diagnostic::on(
                    path,
                    &w.name,
                    format!("waiter name `{}` is not UpperCamelCase", w.name.value),
                )
                .help(format!("rename it to `{}`", names::camel(&w.name.value))),
            );
        }
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
                let all = resources
                    .iter()
                    .flat_map(|r| r.waiters.iter().map(|w| w.name.as_str()));
                let mut d = Diagnostic::on(
                    path,
                    &note.waiter,
                    format!("waiter `{}` is not defined", note.waiter.value),
                );
                d = match did_you_mean(&note.waiter.value, all) {
                    Some(h) => d.help(format!("did you mean `{h}`?")),
                    None => d.help("define it under `waiters` of a resource in types.yaml"),
                };
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

    fn fields(&mut self, path: &Path, fields: &[model::Field], scope: &str) -> Vec<ir::Field> {
        let mut wires: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
        let mut rusts: BTreeMap<String, String> = BTreeMap::new();
        let mut out = Vec::new();
        for f in fields {
            if wires.insert(f.name.value.clone(), &f.name).is_some() {
                self.err(Diagnostic::on(
                    path,
                    &f.name,
                    format!("{scope} lists `{}` twice", f.name.value),
                ));
                continue;
            }
            let rust = names::snake(&f.name.value);
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
            if let Some(field) = self.field(path, f, rust) {
                out.push(field);
            }
        }
        out
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
            self.err(Diagnostic::on(
                path,
                &f.ty,
                "an idempotency token must be a string",
            ));
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
        let number = default.as_i64();
        let out_of_range =
            number.is_some_and(|n| c.min.is_some_and(|m| n < m) || c.max.is_some_and(|m| n > m));
        if out_of_range {
            self.err(Diagnostic::on(
                path,
                &f.name,
                format!(
                    "the default {default} of `{}` is outside its own range",
                    f.name.value
                ),
            ));
        }
        let fits = match ty {
            ir::Type::Integer | ir::Type::Long => number.is_some(),
            ir::Type::Float => default.is_number(),
            ir::Type::Boolean => default.is_boolean(),
            ir::Type::String | ir::Type::Enum(_) => default.is_string(),
            _ => true,
        };
        if !fits {
            self.err(Diagnostic::on(
                path,
                &f.name,
                format!(
                    "the default {default} of `{}` does not fit its type",
                    f.name.value
                ),
            ));
        }
    }

    fn resolve_type(&mut self, path: &Path, ty: &Spanned<String>) -> Option<ir::Type> {
        match parse_type(ty.value.trim(), &self.catalog) {
            Ok(t) => Some(t),
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
            self.err(Diagnostic::on(
                path,
                p,
                format!("the pattern does not compile: {e}"),
            ));
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
            if let Some(h) = did_you_mean(&u.value, fields.iter().copied()) {
                d = d.help(format!("did you mean `{h}`?"));
            }
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
        if names::camel(&a.name.value) != a.name.value {
            self.err(Diagnostic::on(
                path,
                &a.name,
                format!("action name `{}` is not UpperCamelCase", a.name.value),
            ));
        }
        let input = self.fields(path, &a.input, "the input");
        let output = self.fields(path, &a.output, "the output");
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

    fn paging(
        &mut self,
        path: &Path,
        p: &model::Paging,
        input: &[ir::Field],
        output: &[ir::Field],
        structs: &[ir::Struct],
    ) -> Option<ir::Paging> {
        let number = self.paging_field(path, &p.page_number, input, "input")?;
        let size = self.paging_field(path, &p.page_size, input, "input")?;
        let total = self.paging_field(path, &p.total, output, "output")?;
        let mut fields = output;
        let mut rust_path = Vec::new();
        let mut item_type = None;
        let segments: Vec<&str> = p.items.value.split('.').collect();
        for (i, segment) in segments.iter().enumerate() {
            let Some(f) = fields.iter().find(|f| f.wire == *segment) else {
                self.err(Diagnostic::on(
                    path,
                    &p.items,
                    format!("`{segment}` in `{}` is not a field", p.items.value),
                ));
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
            let mut d = Diagnostic::on(
                path,
                wire,
                format!("paging names `{}`, which is not in the {side}", wire.value),
            );
            if let Some(h) = did_you_mean(&wire.value, fields.iter().map(|f| f.wire.as_str())) {
                d = d.help(format!("did you mean `{h}`?"));
            }
            self.err(d);
            return None;
        };
        if !matches!(f.ty, ir::Type::Integer | ir::Type::Long) {
            self.err(Diagnostic::on(
                path,
                wire,
                format!("paging field `{}` must be an integer", wire.value),
            ));
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
                        format!("`{}` is not a value of {status_enum}", s.value),
                    );
                    if let Some(h) = did_you_mean(&s.value, spellings.map(String::as_str)) {
                        d = d.help(format!("did you mean `{h}`?"));
                    }
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
            if variant == "Unhandled" || variants.iter().any(|v| v.variant == variant) {
                self.err(Diagnostic::on(
                    path,
                    &row.code,
                    format!(
                        "code `{code}` becomes the Rust variant `{variant}`, which is already taken"
                    ),
                ));
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
            let types = &self.loaded.types.1;
            check_object(value, fields, &self.catalog, types, "", "", &mut problems);
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

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

/// Parses `string`, `list<T>`, `map<T>` or a type name; the error is the unknown part.
fn parse_type(text: &str, catalog: &Catalog) -> Result<ir::Type, String> {
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('>'))
            .map(str::trim)
    };
    if let Some(item) = inner("list<") {
        return Ok(ir::Type::List(Box::new(parse_type(item, catalog)?)));
    }
    if let Some(item) = inner("map<") {
        return Ok(ir::Type::Map(Box::new(parse_type(item, catalog)?)));
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

/// Checks an example object against fields: required present, no unknown keys, types fit.
fn check_object(
    value: &Value,
    fields: &[ir::Field],
    catalog: &Catalog,
    types: &model::TypesFile,
    at: &str,
    placeholder: &str,
    problems: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else {
        problems.push(format!("`{at}` should be an object"));
        return;
    };
    // In a read template, top-level required parameters left out become waiter arguments.
    let template_top = at.is_empty() && !placeholder.is_empty();
    for f in fields.iter().filter(|f| f.required && !template_top) {
        if !object.contains_key(&f.wire) {
            problems.push(format!("required `{}{}` is missing", prefix(at), f.wire));
        }
    }
    for (key, v) in object {
        let here = format!("{}{key}", prefix(at));
        match fields.iter().find(|f| &f.wire == key) {
            None => problems.push(format!("`{here}` is not a documented parameter")),
            Some(f) => check_value(v, &f.ty, catalog, types, &here, placeholder, problems),
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

fn check_value(
    value: &Value,
    ty: &ir::Type,
    catalog: &Catalog,
    types: &model::TypesFile,
    at: &str,
    placeholder: &str,
    problems: &mut Vec<String>,
) {
    let fits = match ty {
        ir::Type::String => value.is_string(),
        ir::Type::Integer | ir::Type::Long => value.is_i64(),
        ir::Type::Float => value.is_number(),
        ir::Type::Boolean => value.is_boolean(),
        ir::Type::Enum(_) => value.is_string(),
        ir::Type::List(_) if !placeholder.is_empty() && value.as_str() == Some(placeholder) => true,
        ir::Type::List(item) => match value.as_array() {
            Some(items) => {
                for (i, v) in items.iter().enumerate() {
                    check_value(
                        v,
                        item,
                        catalog,
                        types,
                        &format!("{at}[{i}]"),
                        placeholder,
                        problems,
                    );
                }
                true
            }
            None => false,
        },
        ir::Type::Map(item) => match value.as_object() {
            Some(entries) => {
                for (k, v) in entries {
                    check_value(
                        v,
                        item,
                        catalog,
                        types,
                        &format!("{at}.{k}"),
                        placeholder,
                        problems,
                    );
                }
                true
            }
            None => false,
        },
        ir::Type::Struct(name) => {
            let structure = types.structures.iter().find(|s| &s.name.value == name);
            if let Some(s) = structure {
                let fields: Vec<ir::Field> = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        Some(ir::Field {
                            wire: f.name.value.clone(),
                            rust: String::new(),
                            ty: parse_type(f.ty.value.trim(), catalog).ok()?,
                            required: f.required,
                            description: f.description.clone(),
                            constraints: ir::Constraints::default(),
                            default: None,
                            unit: None,
                            example: None,
                            idempotency_token: false,
                            lenient: false,
                        })
                    })
                    .collect();
                check_object(value, &fields, catalog, types, at, placeholder, problems);
            }
            true
        }
    };
    if !fits {
        problems.push(format!(
            "`{at}` = {value} does not fit type {}",
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
