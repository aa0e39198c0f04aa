//! Resources with a lifecycle: read lookups, waiters, states, preconditions,
//! and linking actions' async notes to their waiters.

use super::*;

/// Parameters of a generated `wait_until_*` method besides the read's arguments.
const WAITER_PARAMETERS: [&str; 2] = ["ids", "expected"];

/// Longest settle time a waiter may ask for: an hour (a wait's default limit is 20 minutes).
const MAX_SETTLE_SECONDS: u64 = 3600;

impl<'a> Checker<'a> {
    pub(super) fn resources(
        &mut self,
        actions: &[ir::Action],
        structs: &[ir::Struct],
        enums: &[ir::Enum],
    ) -> Vec<ir::Resource> {
        let (path, types) = &self.loaded.types;
        let mut out = Vec::new();
        let mut waiter_names = BTreeSet::new();
        // Each resource gets a lookup function named after it.
        let mut lookup_names: BTreeMap<String, &str> = BTreeMap::new();
        for r in &types.resources {
            // The name reaches docs and Rust names as written (a newline and a fence became a doctest).
            self.upper_camel(path, &r.name, "resource name");
            let lookup_name = names::lookup_function(&r.name.value);
            if let Some(other) = lookup_names.insert(lookup_name.clone(), &r.name.value) {
                self.err(
                    Diagnostic::on(
                        path,
                        &r.name,
                        format!(
                            "resources `{other}` and `{}` both become the Rust function `{lookup_name}`",
                            r.name.value
                        ),
                    )
                    .help("rename one resource"),
                );
                continue;
            }
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
            let record = lookup
                .as_ref()
                .and_then(|(name, ..)| structs.iter().find(|s| &s.name == name));
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
                waiters.push(self.waiter(path, w, &r.status_enum.value, enums, record));
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
                record: ir::Handle::named(record),
                status_field,
                id_field,
                read: ir::ReadLookup {
                    action: ir::Handle::named(&r.read.action.value),
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
    pub(super) fn read_lookup(
        &mut self,
        path: &Path,
        r: &model::Resource,
        actions: &[ir::Action],
        structs: &[ir::Struct],
    ) -> Option<(String, String, String)> {
        let (action, paging) = self.read_action(path, &r.read, actions)?;
        self.check_max_ids(path, &r.read, action, paging);
        self.check_read_template(path, r, action, paging, structs);
        self.check_waiter_arguments(path, r, action);
        let record = structs.iter().find(|s| paging.item_type == s.name)?;
        self.record_id_and_status(path, r, record)
    }

    /// The read action, which must exist and page.
    fn read_action<'x>(
        &mut self,
        path: &Path,
        read: &model::ReadLookup,
        actions: &'x [ir::Action],
    ) -> Option<(&'x ir::Action, &'x ir::Paging)> {
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
        Some((action, paging))
    }

    /// `max_ids` is at least 1 and no more than a page holds.
    fn check_max_ids(
        &mut self,
        path: &Path,
        read: &model::ReadLookup,
        action: &ir::Action,
        paging: &ir::Paging,
    ) {
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
    }

    /// The request template is a valid input of the read action that uses `$ids`
    /// and leaves the paging token out.
    fn check_read_template(
        &mut self,
        path: &Path,
        r: &model::Resource,
        action: &ir::Action,
        paging: &ir::Paging,
        structs: &[ir::Struct],
    ) {
        let read = &r.read;
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
        problems.extend(super::actions::token_in_template(
            paging,
            &read.request.value,
        ));
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
    }

    /// The record's id field (a string) and status field (a string or the status
    /// enum); returns the record type and the Rust names of both.
    fn record_id_and_status(
        &mut self,
        path: &Path,
        r: &model::Resource,
        record: &ir::Struct,
    ) -> Option<(String, String, String)> {
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
            || matches!(&status.ty, ir::Type::Enum(e) if *e == r.status_enum.value)
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

    /// The read's required parameters the request leaves out become
    /// arguments of every waiter method, beside its own `ids` and `expected`:
    /// they must not take those names.
    fn check_waiter_arguments(&mut self, path: &Path, r: &model::Resource, read: &ir::Action) {
        let Some(template) = r.read.request.value.as_object() else {
            return;
        };
        let arguments = read
            .input
            .iter()
            .filter(|f| f.required && !template.contains_key(&f.wire));
        let clashes: Vec<&ir::Field> = arguments
            .filter(|f| WAITER_PARAMETERS.contains(&names::bare(&f.rust)))
            .collect();
        for f in clashes {
            self.err(
                Diagnostic::on(
                    path,
                    &r.read.request,
                    format!(
                        "required parameter `{}` of `{}` would become a waiter argument named `{}`, which every waiter method of `{}` already has",
                        f.wire,
                        read.name,
                        names::bare(&f.rust),
                        r.name.value
                    ),
                )
                .help(format!("give `{}` a value in the read request", f.wire)),
            );
        }
    }

    pub(super) fn record_field<'s>(
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

    pub(super) fn waiter(
        &mut self,
        path: &Path,
        w: &model::Waiter,
        status_enum: &str,
        enums: &[ir::Enum],
        record: Option<&ir::Struct>,
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
        let until = w
            .until_field
            .as_ref()
            .and_then(|field| self.until_field(path, w, field, record?, absent_means_success));
        ir::Waiter {
            name: w.name.value.clone(),
            snake: names::snake(&w.name.value),
            in_progress,
            success,
            failure,
            absent_means_success,
            until,
            settle_seconds: w.settle_seconds.as_ref().and_then(|s| self.settle(path, s)),
        }
    }

    /// Checks a waiter's `until_field`: a field of the record, of a type
    /// compared exactly, on a waiter that needs the record to succeed.
    fn until_field(
        &mut self,
        path: &Path,
        w: &model::Waiter,
        wire: &Spanned<String>,
        record: &ir::Struct,
        absent_means_success: bool,
    ) -> Option<ir::UntilField> {
        let field = self.record_field(path, wire, record)?;
        let comparable = matches!(
            field.ty,
            ir::Type::String
                | ir::Type::Integer
                | ir::Type::Long
                | ir::Type::Boolean
                | ir::Type::Enum(_)
        );
        if !comparable {
            self.err(
                Diagnostic::on(
                    path,
                    wire,
                    format!(
                        "`until_field` `{}` is {}, which cannot be compared with a requested value",
                        wire.value,
                        type_name(&field.ty)
                    ),
                )
                .help("name a string, integer, long, boolean or enum field of the record"),
            );
            return None;
        }
        if absent_means_success {
            self.err(
                Diagnostic::on(
                    path,
                    wire,
                    format!(
                        "waiter `{}` compares `{}` but succeeds when the resource is gone, where there is nothing to compare",
                        w.name.value, wire.value
                    ),
                )
                .help("use `when_absent: failure`, or drop `until_field`"),
            );
            return None;
        }
        Some(ir::UntilField {
            wire: field.wire.clone(),
            rust: field.rust.clone(),
            ty: field.ty.clone(),
            required: field.required,
        })
    }

    /// Checks `settle_seconds`: at least one second, at most an hour.
    fn settle(&mut self, path: &Path, seconds: &Spanned<u64>) -> Option<u64> {
        if (1..=MAX_SETTLE_SECONDS).contains(&seconds.value) {
            return Some(seconds.value);
        }
        self.err(
            Diagnostic::on(
                path,
                seconds,
                format!(
                    "`settle_seconds` {} is not between 1 and {MAX_SETTLE_SECONDS}",
                    seconds.value
                ),
            )
            .help("give the seconds a change takes to show (leave the key out for none)"),
        );
        None
    }

    /// Checks every action file's async note and gives the lowered action
    /// (`sources[k]`: the position in the loaded spec of `actions[k]`) its
    /// note, once resources are lowered.
    pub(super) fn link_async_notes(
        &mut self,
        actions: &mut [ir::Action],
        sources: &[usize],
        resources: &[ir::Resource],
    ) {
        for (i, (path, a)) in self.loaded.actions.iter().enumerate() {
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
            // An action whose lowering failed has no IR to link (its problem is reported).
            let Some(k) = sources.iter().position(|&s| s == i) else {
                continue;
            };
            let action = &mut actions[k];
            let expected = self.expected(path, note, waiter, &action.input);
            action.async_note = Some(ir::AsyncNote {
                resource: ir::Handle::named(&resource.name),
                read_action: resource.read.action.clone(),
                waiter: waiter.clone(),
                expected,
                description: note.description.clone(),
            });
        }
    }

    /// Checks an async note's `expected`: present exactly when the waiter
    /// has an `until_field`, a required input field of a matching type.
    fn expected(
        &mut self,
        path: &Path,
        note: &model::AsyncNote,
        waiter: &ir::Waiter,
        input: &[ir::Field],
    ) -> Option<ir::Expected> {
        let (until, expected) = match (&waiter.until, &note.expected) {
            (None, None) => return None,
            (Some(until), Some(expected)) => (until, expected),
            (Some(until), None) => {
                self.err(
                    Diagnostic::on(
                        path,
                        &note.waiter,
                        format!(
                            "waiter `{}` waits for `{}` to equal a requested value, but the action does not say which input holds it",
                            waiter.name, until.wire
                        ),
                    )
                    .help("name the input field under `async.expected`"),
                );
                return None;
            }
            (None, Some(expected)) => {
                let written = self
                    .loaded
                    .types
                    .1
                    .resources
                    .iter()
                    .flat_map(|r| &r.waiters);
                if written
                    .filter(|w| w.name.value == waiter.name)
                    .any(|w| w.until_field.is_some())
                {
                    // Its `until_field` has a problem, which is reported there.
                    return None;
                }
                self.err(
                    Diagnostic::on(
                        path,
                        expected,
                        format!(
                            "waiter `{}` has no `until_field` to compare `{}` with",
                            waiter.name, expected.value
                        ),
                    )
                    .help("give the waiter an `until_field` in types.yaml, or drop `expected`"),
                );
                return None;
            }
        };
        self.expected_field(path, expected, until, input)
    }

    /// Checks the input field an async note's `expected` names against the
    /// waiter's `until` field.
    fn expected_field(
        &mut self,
        path: &Path,
        expected: &Spanned<String>,
        until: &ir::UntilField,
        input: &[ir::Field],
    ) -> Option<ir::Expected> {
        let Some(field) = input.iter().find(|f| f.wire == expected.value) else {
            let d = Diagnostic::on(
                path,
                expected,
                format!("input field `{}` is not defined", expected.value),
            )
            .suggest(
                &expected.value,
                input.iter().map(|f| f.wire.as_str()),
                "name the required input field that holds the requested value",
            );
            self.err(d);
            return None;
        };
        let widen = field.ty == ir::Type::Integer && until.ty == ir::Type::Long;
        let problem = if field.ty != until.ty && !widen {
            Some(format!(
                "is {}, but `{}` of the record is {}",
                type_name(&field.ty),
                until.wire,
                type_name(&until.ty)
            ))
        } else if !field.required {
            Some("is optional, so a call may not request any value".to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            self.err(
                Diagnostic::on(
                    path,
                    expected,
                    format!("input field `{}` {problem}", expected.value),
                )
                .help("name a required input field of the record field's type"),
            );
            return None;
        }
        Some(ir::Expected {
            wire: field.wire.clone(),
            rust: field.rust.clone(),
            widen,
        })
    }

    pub(super) fn resource_enum(&mut self, path: &Path, name: &Spanned<String>) -> Option<String> {
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
            d = d.suggest_or(
                &name.value,
                resources.iter().map(|r| r.name.value.as_str()),
                "define it under `resources` in types.yaml",
            );
            self.err(d);
        }
        found
    }

    /// Checks states against the enum and returns their canonical spellings.
    pub(super) fn states(
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

    pub(super) fn precondition(
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
}
