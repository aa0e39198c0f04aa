//! The resources of the spec and how actions change them.
//!
//! A waiter is only proven by resources that change between polls, and a
//! paginator only by a listing that is really sliced. Everything here comes
//! from the spec's `resources` (read action, id and status fields, waiters)
//! and each action's `async`, `preconditions` and `paging`:
//!
//! - an action whose output has a resource's id field and whose `async` names
//!   the resource *creates* one, in the waiter's first in-progress state,
//!   settling in its first success state;
//! - an action whose input has a resource's id field *changes* that resource:
//!   it must exist (else the documented not-found code), be in a state the
//!   preconditions allow (else the documented state code), and then takes the
//!   path of its `async` waiter (an in-progress state, then the success state,
//!   or gone when the waiter's success is disappearing); a synchronous
//!   `Delete`/`Destroy`/`Release`/`Remove` removes it at once;
//! - a resource's read action *lists*: filtered by the ids its request
//!   template names, paged by the spec's paging fields, with the total (page
//!   numbers) or an opaque next token while records remain (token paging; a
//!   token the emulator did not issue is an invalid parameter);
//! - a resource seeded with a history ([`Seed::history`]) shows the scripted
//!   state at each read instead (a test of a waiter against a server whose
//!   resources go anywhere, including states the spec does not know);
//! - the [`Quirk`]s switched on bend the listing answers;
//! - a resource in progress settles after [`Settle::Reads`] reads that show
//!   it, or once [`Settle::After`] of virtual time has passed.

use serde_json::{Map, Value, json};
use truebind_codegen::ir::{Action, Field, PagingMode, PathStep, Service, StructId, Type, Waiter};

use crate::faults::{Quirk, Quirks};
use crate::validate::{Kind, Problem};
use crate::{Settle, Vendor, alibaba, zenlayer};

/// Resources kept at most; creating more is refused.
const MAX_INSTANCES: usize = 10_000;

/// The page size used when the request sets none and the spec documents none.
const FALLBACK_PAGE_SIZE: i64 = 10;

/// A resource to put in place before a test runs.
#[derive(Clone, Debug)]
pub struct Seed {
    resource: String,
    id: String,
    status: String,
    fields: Value,
    settles_to: Option<Target>,
    history: Option<Vec<Option<String>>>,
}

impl Seed {
    /// A resource of the spec's `resource` (e.g. `PhysicalConnection`) with
    /// this id, in `status` (a value of its status enum).
    pub fn new(resource: &str, id: &str, status: &str) -> Seed {
        Seed {
            resource: resource.into(),
            id: id.into(),
            status: status.into(),
            fields: json!({}),
            settles_to: None,
            history: None,
        }
    }

    /// A resource whose state follows a script: the n-th read that names or
    /// lists it shows `states[n]` (the last one repeats), `None` meaning it
    /// is not listed at that read. The states are sent as given, known to
    /// the spec or not, so a client's handling of an unexpected state can be
    /// tested; a scripted resource never settles.
    pub fn history(resource: &str, id: &str, states: &[Option<&str>]) -> Seed {
        let first = states.iter().flatten().next().copied().unwrap_or_default();
        let mut seed = Seed::new(resource, id, first);
        seed.history = Some(states.iter().map(|s| s.map(str::to_string)).collect());
        seed
    }

    /// More record fields (a JSON object of wire names).
    pub fn fields(mut self, fields: Value) -> Seed {
        self.fields = fields;
        self
    }

    /// Starts in progress: it reaches `status` as a created one would.
    pub fn settling_to(mut self, status: &str) -> Seed {
        self.settles_to = Some(Target::State(status.into()));
        self
    }

    /// Starts in progress: it disappears as a destroyed one would.
    pub fn settling_away(mut self) -> Seed {
        self.settles_to = Some(Target::Gone);
        self
    }
}

/// Why a seed was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    /// The spec has no resource of that name.
    #[error("the spec has no resource {0}")]
    UnknownResource(String),
    /// The status is not a value of the resource's status enum.
    #[error("{status:?} is not a status of {resource}")]
    UnknownStatus {
        /// The resource.
        resource: String,
        /// The status given.
        status: String,
    },
    /// The extra fields are not a JSON object.
    #[error("the extra fields of a seed must be a JSON object")]
    NotAnObject,
    /// A history with no state.
    #[error("a history needs at least one state")]
    EmptyHistory,
    /// A resource with this id exists.
    #[error("a {resource} with id {id} exists")]
    Duplicate {
        /// The resource.
        resource: String,
        /// The id.
        id: String,
    },
}

/// What a settling resource becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    State(String),
    Gone,
}

/// A resource of the spec, with wire names resolved.
#[derive(Debug)]
struct ResourceKind {
    service: usize,
    name: String,
    read_action: String,
    id_wire: String,
    status_wire: String,
    statuses: Vec<String>,
    template: Value,
    max_ids: u64,
    record_fields: Vec<String>,
}

#[derive(Debug)]
struct Instance {
    kind: usize,
    id: String,
    status: String,
    fields: Map<String, Value>,
    pending: Option<Pending>,
    script: Option<Script>,
}

/// A scripted history and how far the reads have followed it.
#[derive(Debug)]
struct Script {
    states: Vec<Option<String>>,
    reads: usize,
}

impl Script {
    /// The state this read shows (`None`: not listed), moving the script on.
    fn next(&mut self) -> Option<String> {
        let last = self.states.len().saturating_sub(1);
        let state = self.states.get(self.reads.min(last)).cloned().flatten();
        self.reads = self.reads.saturating_add(1);
        state
    }
}

#[derive(Debug)]
struct Pending {
    target: Target,
    reads: u32,
    since: std::time::Duration,
}

/// Why an action failed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A parameter problem (the vendor's parameter codes).
    Invalid(Problem),
    /// Any other refusal, with its code.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

/// Every resource instance, and the virtual clock.
#[derive(Debug)]
pub(crate) struct World {
    kinds: Vec<ResourceKind>,
    instances: Vec<Instance>,
    created: u64,
    clock: std::time::Duration,
    settle: Settle,
    scripts: Vec<(String, Vec<Option<String>>)>,
}

fn field_by_rust<'a>(fields: &'a [Field], rust: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.rust == rust)
}

fn struct_fields<'a>(service: &'a Service, id: &StructId) -> &'a [Field] {
    service.struct_of(id).map_or(&[], |s| &s.fields)
}

impl World {
    /// The resource kinds of `services`; an error names a resource whose
    /// record structure or status enum handle leads nowhere in its IR.
    pub(crate) fn new(services: &[Service], settle: Settle) -> Result<World, String> {
        let mut kinds = Vec::new();
        for (index, service) in services.iter().enumerate() {
            for r in &service.resources {
                let unresolved = |kind: &str, name: &str| {
                    let resource = format!("resource `{}` of `{}`", r.name, service.crate_name);
                    format!("{resource}: its {kind} `{name}` is not in the emulator's IR")
                };
                let record = (service.struct_of(&r.record))
                    .ok_or_else(|| unresolved("record structure", &r.record))?;
                let record = record.fields.as_slice();
                let (Some(id), Some(status)) = (
                    field_by_rust(record, &r.id_field),
                    field_by_rust(record, &r.status_field),
                ) else {
                    continue;
                };
                let statuses = match &status.ty {
                    Type::Enum(id) => (service.enum_of(id))
                        .ok_or_else(|| unresolved("status enum", id))?
                        .values
                        .iter()
                        .map(|v| v.wire.clone())
                        .collect(),
                    _ => Vec::new(),
                };
                kinds.push(ResourceKind {
                    service: index,
                    name: r.name.clone(),
                    read_action: r.read.action.to_string(),
                    id_wire: id.wire.clone(),
                    status_wire: status.wire.clone(),
                    statuses,
                    template: r.read.request.clone(),
                    max_ids: r.read.max_ids,
                    record_fields: record.iter().map(|f| f.wire.clone()).collect(),
                });
            }
        }
        Ok(World {
            kinds,
            instances: Vec::new(),
            created: 0,
            clock: std::time::Duration::ZERO,
            settle,
            scripts: Vec::new(),
        })
    }

    /// Scripts the history of the resource the next successful call of
    /// `action` creates or changes (see [`crate::Emulator::script_after`]).
    pub(crate) fn script_after(&mut self, action: &str, states: &[Option<&str>]) {
        let states = states.iter().map(|s| s.map(str::to_string)).collect();
        self.scripts.push((action.to_string(), states));
    }

    /// Gives the instance at `index` the first script waiting for `action`.
    fn apply_script(&mut self, action: &str, index: usize) {
        let Some(at) = self.scripts.iter().position(|(a, _)| a == action) else {
            return;
        };
        let (_, states) = self.scripts.remove(at);
        if states.is_empty() {
            return;
        }
        let instance = &mut self.instances[index];
        instance.pending = None;
        instance.script = Some(Script { states, reads: 0 });
    }

    /// Moves the virtual clock on.
    pub(crate) fn advance(&mut self, by: std::time::Duration) {
        self.clock = self.clock.saturating_add(by);
    }

    pub(crate) fn seed(&mut self, seed: Seed) -> Result<(), SeedError> {
        let kind = self
            .kinds
            .iter()
            .position(|k| k.name == seed.resource)
            .ok_or_else(|| SeedError::UnknownResource(seed.resource.clone()))?;
        let k = &self.kinds[kind];
        let scripted = seed.history.is_some();
        let known =
            |s: &str| scripted || k.statuses.is_empty() || k.statuses.iter().any(|v| v == s);
        if seed.history.as_ref().is_some_and(Vec::is_empty) {
            return Err(SeedError::EmptyHistory);
        }
        let target_status = match &seed.settles_to {
            Some(Target::State(s)) => Some(s.as_str()),
            _ => None,
        };
        if let Some(bad) = [Some(seed.status.as_str()), target_status]
            .into_iter()
            .flatten()
            .find(|s| !known(s))
        {
            return Err(SeedError::UnknownStatus {
                resource: seed.resource,
                status: bad.into(),
            });
        }
        let Value::Object(fields) = seed.fields else {
            return Err(SeedError::NotAnObject);
        };
        if self.find(kind, &seed.id).is_some() {
            return Err(SeedError::Duplicate {
                resource: seed.resource,
                id: seed.id,
            });
        }
        let pending = seed.settles_to.map(|target| self.pending(target));
        self.instances.push(Instance {
            kind,
            id: seed.id,
            status: seed.status,
            fields,
            pending,
            script: seed.history.map(|states| Script { states, reads: 0 }),
        });
        Ok(())
    }

    fn pending(&self, target: Target) -> Pending {
        Pending {
            target,
            reads: 0,
            since: self.clock,
        }
    }

    fn find(&self, kind: usize, id: &str) -> Option<usize> {
        self.instances
            .iter()
            .position(|i| i.kind == kind && i.id == id)
    }

    /// Runs `action` of `services[service]` with validated `params`; the
    /// output fields on success.
    pub(crate) fn run(
        &mut self,
        services: &[Service],
        service: usize,
        action: &Action,
        params: &Map<String, Value>,
        quirks: &Quirks,
    ) -> Result<Map<String, Value>, Failure> {
        self.settle_by_time();
        let svc = &services[service];
        let vendor = Vendor::of(svc.protocol);
        let mine = |k: &ResourceKind| k.service == service;
        if let Some(kind) = self
            .kinds
            .iter()
            .position(|k| mine(k) && k.read_action == action.name)
        {
            return self.list(svc, kind, action, params, quirks);
        }
        let has_input = |k: &ResourceKind| action.input.iter().any(|f| f.wire == k.id_wire);
        let async_resource = action.async_note.as_ref().map(|n| n.resource.as_str());
        let changed = self
            .kinds
            .iter()
            .position(|k| mine(k) && has_input(k) && async_resource == Some(&k.name))
            .or_else(|| self.kinds.iter().position(|k| mine(k) && has_input(k)));
        if let Some(kind) = changed {
            return self.change(vendor, kind, action, params);
        }
        let created = self.kinds.iter().position(|k| {
            mine(k)
                && async_resource == Some(&k.name)
                && action.output.iter().any(|f| f.wire == k.id_wire)
        });
        match created {
            Some(kind) => self.create(vendor, kind, action, params),
            None => Ok(Map::new()),
        }
    }

    fn settle_by_time(&mut self) {
        let Settle::After(span) = self.settle else {
            return;
        };
        let now = self.clock;
        settle(&mut self.instances, |_, p| {
            now.saturating_sub(p.since) >= span
        });
    }

    fn create(
        &mut self,
        vendor: Vendor,
        kind: usize,
        action: &Action,
        params: &Map<String, Value>,
    ) -> Result<Map<String, Value>, Failure> {
        if self.instances.len() >= MAX_INSTANCES {
            let code = match vendor {
                Vendor::Zenlayer => zenlayer::QUOTA_EXCEEDED,
                Vendor::Alibaba => alibaba::QUOTA_EXCEEDED,
            };
            return Err(Failure::Refused {
                status: 400,
                code: code.into(),
                message: format!("the emulator keeps at most {MAX_INSTANCES} resources"),
            });
        }
        let waiter = action.async_note.as_ref().map(|n| &n.waiter);
        let k = &self.kinds[kind];
        self.created += 1;
        let id = format!("{}-{:06}", kebab(&k.name), self.created);
        let fields: Map<String, Value> = params
            .iter()
            .filter(|(name, _)| k.record_fields.contains(name))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let first = waiter.and_then(|w| w.in_progress.first().or(w.success.first()));
        let status = first
            .cloned()
            .or_else(|| k.statuses.first().cloned())
            .unwrap_or_default();
        let target = waiter
            .and_then(|w| w.success.first())
            .filter(|s| **s != status);
        let pending = target.map(|s| self.pending(Target::State(s.clone())));
        self.instances.push(Instance {
            kind,
            id,
            status,
            fields,
            pending,
            script: None,
        });
        let index = self.instances.len() - 1;
        self.apply_script(&action.name, index);
        Ok(self.output_of(index, action))
    }

    fn change(
        &mut self,
        vendor: Vendor,
        kind: usize,
        action: &Action,
        params: &Map<String, Value>,
    ) -> Result<Map<String, Value>, Failure> {
        let k = &self.kinds[kind];
        let id = params
            .get(&k.id_wire)
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(index) = self.find(kind, id) else {
            return Err(not_found(vendor, action, k, id));
        };
        let allowed: Vec<&String> = action
            .preconditions
            .iter()
            .filter(|p| p.resource == k.name)
            .flat_map(|p| &p.allowed_states)
            .collect();
        let current = self.instances[index].status.clone();
        if !allowed.is_empty() && !allowed.contains(&&current) {
            return Err(wrong_state(vendor, action, k, id, &current));
        }
        let output = self.output_of(index, action);
        let waiter = action
            .async_note
            .as_ref()
            .filter(|n| n.resource == k.name)
            .map(|n| &n.waiter);
        match waiter {
            Some(w) => self.follow(index, w, &allowed),
            None if is_removal(&action.name) => {
                self.instances.remove(index);
                return Ok(output);
            }
            None => {}
        }
        self.apply_script(&action.name, index);
        Ok(output)
    }

    /// Puts the resource on the waiter's path: an in-progress state it is not
    /// already in, then the success state (or gone).
    fn follow(&mut self, index: usize, waiter: &Waiter, allowed: &[&String]) {
        let current = self.instances[index].status.clone();
        let transient = waiter
            .in_progress
            .iter()
            .find(|s| **s != current && !allowed.contains(s))
            .cloned()
            .unwrap_or(current);
        let target = match waiter.success.first() {
            Some(s) => Some(Target::State(s.clone())),
            None if waiter.absent_means_success => Some(Target::Gone),
            None => None,
        };
        let pending = target.map(|t| self.pending(t));
        let instance = &mut self.instances[index];
        instance.status = transient;
        instance.pending = pending;
    }

    /// The output fields a record can fill (its id, for one).
    fn output_of(&self, index: usize, action: &Action) -> Map<String, Value> {
        let record = self.record(&self.instances[index]);
        action
            .output
            .iter()
            .filter_map(|f| record.get(&f.wire).map(|v| (f.wire.clone(), v.clone())))
            .collect()
    }

    fn record(&self, instance: &Instance) -> Map<String, Value> {
        let k = &self.kinds[instance.kind];
        let mut record = instance.fields.clone();
        record.insert(k.id_wire.clone(), json!(instance.id));
        record.insert(k.status_wire.clone(), json!(instance.status));
        record
    }

    fn list(
        &mut self,
        service: &Service,
        kind: usize,
        action: &Action,
        params: &Map<String, Value>,
        quirks: &Quirks,
    ) -> Result<Map<String, Value>, Failure> {
        let k = &self.kinds[kind];
        let ids = ids_in(&k.template, &Value::Object(params.clone()));
        if let Some(ids) = &ids
            && ids.len() as u64 > k.max_ids
        {
            return Err(Failure::Invalid(Problem::new(
                Kind::TooLong,
                &k.id_wire,
                format!("more than {} ids", k.max_ids),
            )));
        }
        let page = Page::of(action, params)?;
        let records = self.observe(kind, ids.as_deref());
        let total = records.len();
        let page = page.map(|p| p.bent(quirks, total));
        let shown: Vec<Value> = match &page {
            Some(p) => records
                .into_iter()
                .skip(p.skip())
                .take(p.size as usize)
                .map(Value::Object)
                .collect(),
            None => records.into_iter().map(Value::Object).collect(),
        };
        let mut output = Map::new();
        let name = &self.kinds[kind].name;
        let record_type = &service
            .resources
            .iter()
            .find(|r| &r.name == name)
            .map(|r| r.record.to_string())
            .unwrap_or_default();
        let path = match &action.paging {
            Some(paging) => wire_path(service, &action.output, &paging.items),
            None => list_path(service, &action.output, record_type),
        };
        if let Some(path) = path {
            put(&mut output, &path, Value::Array(shown));
        }
        if let Some(p) = page {
            p.echo(action, &mut output, reported_total(quirks, total), total);
        }
        Ok(output)
    }

    /// The records of `kind` a read shows (all, or those named), settling
    /// the ones whose reads are up.
    fn observe(&mut self, kind: usize, ids: Option<&[String]>) -> Vec<Map<String, Value>> {
        let reads_needed = match self.settle {
            Settle::Reads(n) => Some(n),
            Settle::After(_) => None,
        };
        let wanted = |i: &Instance| i.kind == kind && ids.is_none_or(|ids| ids.contains(&i.id));
        if let Some(n) = reads_needed {
            settle(&mut self.instances, |i, p| wanted(i) && p.reads >= n);
            for instance in self.instances.iter_mut().filter(|i| wanted(i)) {
                if let Some(p) = &mut instance.pending {
                    p.reads += 1;
                }
            }
        }
        let mut shown = Vec::new();
        for index in 0..self.instances.len() {
            let instance = &mut self.instances[index];
            if !wanted(instance) {
                continue;
            }
            if let Some(script) = &mut instance.script {
                match script.next() {
                    Some(state) => instance.status = state,
                    None => continue,
                }
            }
            shown.push(self.record(&self.instances[index]));
        }
        shown
    }
}

/// Settles the instances whose pending change `due` says is over: the ones
/// going away are removed, the others take their target state.
fn settle(instances: &mut Vec<Instance>, due: impl Fn(&Instance, &Pending) -> bool) {
    let ready = |i: &Instance| i.pending.as_ref().is_some_and(|p| due(i, p));
    instances.retain(|i| !(ready(i) && matches!(&i.pending, Some(p) if p.target == Target::Gone)));
    for instance in instances.iter_mut() {
        if ready(instance)
            && let Some(Pending {
                target: Target::State(status),
                ..
            }) = instance.pending.take()
        {
            instance.status = status;
        }
    }
}

/// The page a list request asks for, with wire names.
struct Page {
    size: i64,
    size_wire: String,
    at: Cursor,
}

/// Where a page starts, as the paging mode says it.
enum Cursor {
    /// A page number from 1, with the total's wire name.
    Number {
        number: i64,
        number_wire: String,
        total_wire: Option<String>,
    },
    /// A record offset from the request's token (0 without one), with the
    /// wire name the next token is answered in.
    Token { offset: usize, next_wire: String },
}

impl Page {
    fn of(action: &Action, params: &Map<String, Value>) -> Result<Option<Page>, Failure> {
        let Some(paging) = &action.paging else {
            return Ok(None);
        };
        let Some(size) = field_by_rust(&action.input, &paging.page_size) else {
            return Ok(None);
        };
        let at = match &paging.mode {
            PagingMode::Number {
                page_number, total, ..
            } => {
                let Some(number) = field_by_rust(&action.input, page_number) else {
                    return Ok(None);
                };
                Cursor::Number {
                    number: read_int(params, &number.wire).unwrap_or(1),
                    number_wire: number.wire.clone(),
                    total_wire: field_by_rust(&action.output, total).map(|f| f.wire.clone()),
                }
            }
            PagingMode::Token {
                wire,
                input,
                output,
            } => {
                let sent = field_by_rust(&action.input, input).map_or(wire, |f| &f.wire);
                Cursor::Token {
                    offset: token_offset(action, sent, params.get(sent))?,
                    next_wire: field_by_rust(&action.output, output)
                        .map_or(wire, |f| &f.wire)
                        .clone(),
                }
            }
        };
        let page = Page {
            size: read_int(params, &size.wire)
                .unwrap_or(paging.default_page_size.unwrap_or(FALLBACK_PAGE_SIZE)),
            size_wire: size.wire.clone(),
            at,
        };
        page.check(paging.max_page_size)?;
        Ok(Some(page))
    }

    /// Refuses a page number or size below 1 and a size above `max`.
    fn check(&self, max: Option<i64>) -> Result<(), Failure> {
        let invalid = |kind, wire: &str, detail: String| {
            Err(Failure::Invalid(Problem::new(kind, wire, detail)))
        };
        if let Cursor::Number {
            number,
            number_wire,
            ..
        } = &self.at
            && *number < 1
        {
            return invalid(
                Kind::BelowMinimum,
                number_wire,
                "below the minimum 1".into(),
            );
        }
        if self.size < 1 {
            return invalid(
                Kind::BelowMinimum,
                &self.size_wire,
                "below the minimum 1".into(),
            );
        }
        if let Some(max) = max
            && self.size > max
        {
            return invalid(
                Kind::AboveMaximum,
                &self.size_wire,
                format!("above the maximum {max}"),
            );
        }
        Ok(())
    }

    /// The page actually served under `quirks`, of a listing of `total`.
    fn bent(mut self, quirks: &Quirks, total: usize) -> Page {
        if let Some(cap) = quirks.page_size_cap() {
            self.size = self.size.min(i64::from(cap.max(1)));
        }
        let size = u64::try_from(self.size).unwrap_or(1);
        match &mut self.at {
            Cursor::Number { number, .. } if quirks.has(&Quirk::IgnorePageNumber) => *number = 1,
            Cursor::Number { number, .. } if quirks.has(&Quirk::WrapPages) => {
                let pages = i64::try_from((total as u64).div_ceil(size).max(1)).unwrap_or(1);
                *number = (*number - 1) % pages + 1;
            }
            Cursor::Token { offset, .. } if quirks.has(&Quirk::IgnorePageNumber) => *offset = 0,
            Cursor::Token { offset, .. } if quirks.has(&Quirk::WrapPages) => {
                *offset %= total.max(1);
            }
            _ => {}
        }
        self
    }

    fn skip(&self) -> usize {
        match &self.at {
            Cursor::Number { number, .. } => {
                usize::try_from((number - 1).saturating_mul(self.size)).unwrap_or(usize::MAX)
            }
            Cursor::Token { offset, .. } => *offset,
        }
    }

    /// The total, the page number and size where the output has them, and
    /// the next token while records remain after this page of a listing of
    /// `listed`.
    fn echo(
        &self,
        action: &Action,
        output: &mut Map<String, Value>,
        total: Option<Value>,
        listed: usize,
    ) {
        let mut echoed = vec![(&self.size_wire, self.size)];
        match &self.at {
            Cursor::Number {
                number,
                number_wire,
                total_wire,
            } => {
                if let (Some(wire), Some(total)) = (total_wire, total) {
                    output.insert(wire.clone(), total);
                }
                echoed.push((number_wire, *number));
            }
            Cursor::Token { next_wire, .. } => {
                let next = self
                    .skip()
                    .saturating_add(usize::try_from(self.size).unwrap_or(usize::MAX));
                if next < listed {
                    output.insert(next_wire.clone(), json!(token_for(next)));
                }
            }
        }
        for (wire, value) in echoed {
            if action.output.iter().any(|f| &f.wire == wire) {
                output.insert(wire.clone(), json!(value));
            }
        }
    }
}

/// An integer request parameter.
fn read_int(params: &Map<String, Value>, wire: &str) -> Option<i64> {
    params.get(wire).and_then(Value::as_i64)
}

/// Prefix of the tokens the emulator issues; the rest is the offset in hex.
const TOKEN_PREFIX: &str = "emu-";

/// The opaque token of the page starting at record `offset`.
fn token_for(offset: usize) -> String {
    format!("{TOKEN_PREFIX}{offset:08x}")
}

/// The record offset a request's token names: 0 without a token, and the
/// vendor's invalid-parameter error (the action's documented token code
/// where it has one) for a token the emulator never issued.
fn token_offset(action: &Action, wire: &str, sent: Option<&Value>) -> Result<usize, Failure> {
    let text = match sent {
        None | Some(Value::Null) => return Ok(0),
        Some(Value::String(t)) if t.is_empty() => return Ok(0),
        Some(Value::String(t)) => t.as_str(),
        Some(_) => "",
    };
    let offset = text
        .strip_prefix(TOKEN_PREFIX)
        .filter(|hex| hex.len() == 8)
        .and_then(|hex| usize::from_str_radix(hex, 16).ok())
        .filter(|&o| o > 0 && o <= MAX_INSTANCES);
    let code = action
        .errors
        .iter()
        .find(|e| squash(&e.code).ends_with("nexttoken"));
    offset.ok_or_else(|| match code {
        Some(e) => Failure::Refused {
            status: match e.rows.first().map(|r| r.status) {
                Some(truebind_codegen::ir::Status::Http(s)) => s,
                _ => 400,
            },
            code: e.code.clone(),
            message: format!("{wire} is not a token of this listing"),
        },
        None => Failure::Invalid(Problem::new(
            Kind::Value,
            wire,
            "is not a token of this listing",
        )),
    })
}

/// The total a listing reports under `quirks` (`None`: left out).
fn reported_total(quirks: &Quirks, total: usize) -> Option<Value> {
    if quirks.has(&Quirk::NoTotal) {
        return None;
    }
    let total = quirks.wrong_total().unwrap_or(total as u64);
    Some(if quirks.has(&Quirk::TotalAsText) {
        json!(total.to_string())
    } else {
        json!(total)
    })
}

/// The ids a request names where its read template has `$ids`; `None` when
/// it names none (all are listed).
fn ids_in(template: &Value, value: &Value) -> Option<Vec<String>> {
    match template {
        Value::String(s) if s == "$ids" => match value {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            Value::String(one) => Some(vec![one.clone()]),
            _ => None,
        },
        Value::Object(t) => {
            let v = value.as_object()?;
            let literal_matches = t
                .iter()
                .filter(|(_, tv)| !holds_ids(tv))
                .all(|(key, tv)| v.get(key) == Some(tv));
            if !literal_matches {
                return None;
            }
            t.iter()
                .filter(|(_, tv)| holds_ids(tv))
                .find_map(|(key, tv)| ids_in(tv, v.get(key)?))
        }
        Value::Array(t) => {
            let item = t.first()?;
            value.as_array()?.iter().find_map(|v| ids_in(item, v))
        }
        _ => None,
    }
}

fn holds_ids(template: &Value) -> bool {
    match template {
        Value::String(s) => s == "$ids",
        Value::Object(m) => m.values().any(holds_ids),
        Value::Array(a) => a.iter().any(holds_ids),
        _ => false,
    }
}

/// Wire names along the paging's items path.
fn wire_path(service: &Service, output: &[Field], steps: &[PathStep]) -> Option<Vec<String>> {
    let mut fields = output;
    let mut path = Vec::new();
    for step in steps {
        let field = field_by_rust(fields, &step.rust)?;
        path.push(field.wire.clone());
        if let Type::Struct(name) = &field.ty {
            fields = struct_fields(service, name);
        }
    }
    Some(path)
}

/// Where a read without paging puts its records: the first list of the
/// record type, at most two structures deep.
fn list_path(service: &Service, fields: &[Field], record: &str) -> Option<Vec<String>> {
    fn search(service: &Service, fields: &[Field], record: &str, depth: u8) -> Option<Vec<String>> {
        for f in fields {
            match &f.ty {
                Type::List(item) if matches!(&**item, Type::Struct(id) if *id == *record) => {
                    return Some(vec![f.wire.clone()]);
                }
                Type::Struct(name) if depth > 0 => {
                    if let Some(mut rest) =
                        search(service, struct_fields(service, name), record, depth - 1)
                    {
                        rest.insert(0, f.wire.clone());
                        return Some(rest);
                    }
                }
                _ => {}
            }
        }
        None
    }
    search(service, fields, record, 2)
}

fn put(output: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = output;
    for key in parents {
        let entry = at.entry(key.clone()).or_insert_with(|| json!({}));
        if !entry.is_object() {
            *entry = json!({});
        }
        at = entry.as_object_mut().expect("just made an object");
    }
    at.insert(last.clone(), value);
}

fn is_removal(action: &str) -> bool {
    ["Delete", "Destroy", "Release", "Remove"]
        .iter()
        .any(|verb| action.starts_with(verb))
}

fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Letters of a code, lower-case, without separators, for matching.
fn squash(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A documented error of `action` whose code says `what` (and, better, names
/// the resource): its code, HTTP status and message.
fn documented(
    action: &Action,
    what: &[&str],
    resource: &str,
) -> Option<(String, u16, Option<String>)> {
    let resource = squash(resource);
    let says = |code: &str| what.iter().any(|w| squash(code).contains(w));
    let best = action
        .errors
        .iter()
        .filter(|e| says(&e.code))
        .max_by_key(|e| squash(&e.code).contains(&resource))?;
    let row = best.rows.first();
    let status = match row.map(|r| r.status) {
        Some(truebind_codegen::ir::Status::Http(s)) => s,
        _ => 400,
    };
    Some((
        best.code.clone(),
        status,
        row.and_then(|r| r.message.clone()),
    ))
}

fn not_found(vendor: Vendor, action: &Action, k: &ResourceKind, id: &str) -> Failure {
    let message = format!("{} {id} does not exist", k.name);
    let (code, status, documented_message) = documented(action, &["notfound"], &k.name)
        .unwrap_or_else(|| match vendor {
            Vendor::Zenlayer => (zenlayer::NOT_FOUND.into(), 404, None),
            Vendor::Alibaba => (alibaba::not_found_code(&k.id_wire), 404, None),
        });
    let status =
        if status == 400 && squash(&code).contains("notfound") && documented_message.is_none() {
            404
        } else {
            status
        };
    Failure::Refused {
        status,
        code,
        message: documented_message.unwrap_or(message),
    }
}

fn wrong_state(
    vendor: Vendor,
    action: &Action,
    k: &ResourceKind,
    id: &str,
    current: &str,
) -> Failure {
    let message = format!(
        "{} {id} is {current}, which {} does not allow",
        k.name, action.name
    );
    let (code, status, documented_message) =
        documented(action, &["notallowedinstate", "status", "state"], &k.name).unwrap_or_else(
            || match vendor {
                Vendor::Zenlayer => (zenlayer::state_code(&k.name), 400, None),
                Vendor::Alibaba => (alibaba::STATE_CODE.into(), 400, None),
            },
        );
    Failure::Refused {
        status,
        code,
        message: documented_message.unwrap_or(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_or_status_handle_leading_nowhere_stops_the_start_not_the_resource() {
        let mut service = crate::validate::tests::kitchen_sink();
        let settle = Settle::Reads(1);
        let world = World::new(std::slice::from_ref(&service), settle).expect("resolved");
        assert!(!world.kinds.is_empty());
        service.enums.retain(|e| !e.name.ends_with("Status"));
        let message = World::new(std::slice::from_ref(&service), settle).unwrap_err();
        assert!(message.contains("status enum `"), "{message}");
        service.structs.clear();
        let message = World::new(std::slice::from_ref(&service), settle).unwrap_err();
        assert!(message.contains("record structure `"), "{message}");
    }

    #[test]
    fn ids_are_found_where_the_template_puts_them() {
        let zenlayer = json!({"privateConnectIds": "$ids"});
        assert_eq!(
            ids_in(&zenlayer, &json!({"privateConnectIds": ["a", "b"]})),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(ids_in(&zenlayer, &json!({"pageNum": 1})), None);
        let alibaba = json!({"Filter": [{"Key": "PhysicalConnectionId", "Value": "$ids"}]});
        let params = json!({"Filter": [{"Key": "Status", "Value": ["Enabled"]}, {"Key": "PhysicalConnectionId", "Value": ["pc-1"]}]});
        assert_eq!(ids_in(&alibaba, &params), Some(vec!["pc-1".into()]));
        assert_eq!(
            ids_in(
                &alibaba,
                &json!({"Filter": [{"Key": "Status", "Value": ["Enabled"]}]})
            ),
            None
        );
    }

    #[test]
    fn kebab_names_ids() {
        assert_eq!(kebab("PrivateConnect"), "private-connect");
    }

    #[test]
    fn tokens_round_trip_and_a_foreign_one_gets_the_documented_code() {
        use truebind_codegen::ir::{ErrorRow, ErrorVariant, Status};
        use truebind_codegen::model::Text;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec");
        let mut services = crate::load_services(&root).expect("fixture specs");
        let action = services
            .iter_mut()
            .flat_map(|s| s.actions.iter_mut())
            .find(|a| a.name == "ListGadgets")
            .expect("ListGadgets");
        let token = json!(token_for(40));
        assert_eq!(token_offset(action, "NextToken", Some(&token)), Ok(40));
        assert_eq!(token_offset(action, "NextToken", None), Ok(0));
        let bogus = json!("emu-zz");
        let Err(Failure::Invalid(_)) = token_offset(action, "NextToken", Some(&bogus)) else {
            panic!("a foreign token is an invalid parameter");
        };
        action.errors.push(ErrorVariant {
            code: "IllegalParam.NextToken".into(),
            variant: "IllegalParamNextToken".into(),
            rows: vec![ErrorRow {
                status: Status::Http(400),
                message: None,
                description: Text::Plain("The token is unknown.".into()),
            }],
        });
        let Err(Failure::Refused { status, code, .. }) =
            token_offset(action, "NextToken", Some(&json!(token_for(0))))
        else {
            panic!("a token never issued is refused");
        };
        assert_eq!((status, code.as_str()), (400, "IllegalParam.NextToken"));
    }
}
