//! The evaluators: each compares one kind of thing in the old and new IR and reports what
//! it finds as a [`Found`]; [`Ctx::push`] grades it (see [`ChangeId::grade`]) into one
//! change per affected level.
//!
//! Things are matched by their stable names (crate name, action name, wire name, enum
//! value, error code), never by position, so reordering a list is no change unless the
//! order itself is part of the API (required parameters: `required-order-changed`).

mod actions;
mod fields;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use truebind_codegen::ir::Service;

use crate::change::{Bump, Change, ChangeId, Level, Side};

/// One finding of an evaluator, before grading.
pub(crate) struct Found {
    id: ChangeId,
    action: Option<String>,
    field: Option<String>,
    sides: Vec<Side>,
    message: String,
    detail: BTreeMap<String, String>,
    /// The levels this finding is reported at (each still only if its grade has one).
    levels: Levels,
}

/// Which levels a finding is reported at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Levels {
    /// Requests and parsers: judged along each action's inputs and outputs.
    pub wire: bool,
    /// The generated crate: judged by Rust item (a structure's fields once, by its name).
    pub api: bool,
}

impl Levels {
    /// Both levels.
    pub(crate) const BOTH: Levels = Levels {
        wire: true,
        api: true,
    };
}

impl Found {
    pub(crate) fn new(id: ChangeId, message: impl Into<String>) -> Self {
        Found {
            id,
            action: None,
            field: None,
            sides: vec![Side::None],
            message: message.into(),
            detail: BTreeMap::new(),
            levels: Levels::BOTH,
        }
    }

    pub(crate) fn action(mut self, action: Option<&str>) -> Self {
        self.action = action.map(str::to_owned);
        self
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub(crate) fn sides(mut self, sides: &[Side]) -> Self {
        self.sides = sides.to_vec();
        self
    }

    pub(crate) fn detail(mut self, key: &str, value: impl Into<String>) -> Self {
        self.detail.insert(key.to_owned(), value.into());
        self
    }

    pub(crate) fn levels(mut self, levels: Levels) -> Self {
        self.levels = levels;
        self
    }
}

/// Collects the changes of one crate.
pub(crate) struct Ctx<'a> {
    krate: &'a str,
    out: &'a mut Vec<Change>,
}

impl Ctx<'_> {
    /// Grades `found` on each of its sides and records the worst grade per level.
    pub(crate) fn push(&mut self, found: Found) {
        let graded: Vec<(Side, _)> = found
            .sides
            .iter()
            .map(|&s| (s, found.id.grade(s)))
            .collect();
        let wire = graded
            .iter()
            .filter_map(|&(side, (wire, _))| wire.map(|w| (w, side)))
            .filter(|_| found.levels.wire)
            .max();
        let api = graded
            .iter()
            .filter_map(|&(side, (_, api))| api.map(|(s, b)| (s, b, side)))
            .filter(|_| found.levels.api)
            .max();
        if let Some((severity, side)) = wire {
            self.record(&found, Level::Wire, severity, side, Bump::None);
        }
        if let Some((severity, bump, side)) = api {
            self.record(&found, Level::Api, severity, side, bump);
        }
    }

    fn record(
        &mut self,
        found: &Found,
        level: Level,
        severity: crate::Severity,
        side: Side,
        bump: Bump,
    ) {
        self.out.push(Change {
            id: found.id,
            crate_name: self.krate.to_owned(),
            action: found.action.clone(),
            field: found.field.clone(),
            level,
            severity,
            side,
            bump,
            message: found.message.clone(),
            detail: found.detail.clone(),
            acknowledged: None,
        });
    }
}

/// Every change between two lists of services, matched by crate name.
pub(crate) fn services(old: &[Service], new: &[Service]) -> Vec<Change> {
    let mut out = Vec::new();
    for (name, pair) in pairs(old, new, |s| s.crate_name.as_str()) {
        let mut ctx = Ctx {
            krate: name,
            out: &mut out,
        };
        match pair {
            (Some(_), None) => ctx.push(Found::new(
                ChangeId::ServiceRemoved,
                format!("the service `{name}` is gone"),
            )),
            (None, Some(_)) => ctx.push(Found::new(
                ChangeId::ServiceAdded,
                format!("a new service `{name}`"),
            )),
            (Some(o), Some(n)) => service(&mut ctx, o, n),
            (None, None) => {}
        }
    }
    out
}

fn service(ctx: &mut Ctx<'_>, old: &Service, new: &Service) {
    let mut settings = |id, what: &str, o: String, n: String| {
        if o != n {
            ctx.push(
                Found::new(id, format!("{what} changed from {o} to {n}"))
                    .field(format!("service.{what}"))
                    .detail("old", o)
                    .detail("new", n),
            );
        }
    };
    settings(
        ChangeId::ProtocolChanged,
        "protocol",
        format!("{:?}", old.protocol),
        format!("{:?}", new.protocol),
    );
    settings(
        ChangeId::ApiVersionChanged,
        "api_version",
        old.api_version.clone(),
        new.api_version.clone(),
    );
    settings(
        ChangeId::EndpointChanged,
        "endpoint",
        old.endpoint.clone(),
        new.endpoint.clone(),
    );
    settings(
        ChangeId::EndpointChanged,
        "request_id_field",
        old.request_id_field.clone(),
        new.request_id_field.clone(),
    );
    regions(ctx, &old.regional_endpoints, &new.regional_endpoints);
    let mut docs = Docs::default();
    docs.text("title", &old.title, &new.title);
    docs.text(
        "description",
        &prose(&old.description),
        &prose(&new.description),
    );
    docs.text("docs_url", &old.docs_url, &new.docs_url);
    docs.text(
        "error_example",
        &format!("{:?}", old.error_example),
        &format!("{:?}", new.error_example),
    );
    docs.push(ctx, None, Some("service".into()));
    let sides = types::Usage::of(old).merge(types::Usage::of(new));
    let services = (old, new);
    types::structs(ctx, services, &sides);
    types::enums(ctx, old, new, &sides);
    types::resources(ctx, old, new);
    actions::actions(ctx, services);
}

/// Regional endpoints by region: one `endpoint-changed` listing the regions added,
/// removed and moved to another host.
fn regions(ctx: &mut Ctx<'_>, old: &[(String, String)], new: &[(String, String)]) {
    let mut parts: Vec<(&str, Vec<&str>)> =
        vec![("added", vec![]), ("removed", vec![]), ("moved", vec![])];
    for (region, pair) in pairs(old, new, |(r, _)| r.as_str()) {
        let slot = match pair {
            (None, Some(_)) => 0,
            (Some(_), None) => 1,
            (Some(o), Some(n)) if o.1 != n.1 => 2,
            _ => continue,
        };
        parts[slot].1.push(region);
    }
    parts.retain(|(_, regions)| !regions.is_empty());
    if parts.is_empty() {
        return;
    }
    let said: Vec<String> = parts
        .iter()
        .map(|(what, r)| format!("{} {what} ({})", r.len(), r.join(", ")))
        .collect();
    let mut found = Found::new(
        ChangeId::EndpointChanged,
        format!("regional endpoints: {}", said.join("; ")),
    )
    .field("service.regional_endpoints");
    for (what, regions) in parts {
        found = found.detail(what, regions.join(", "));
    }
    ctx.push(found);
}

/// A `docs-changed` message names this many parts; its detail lists them all.
const SHOWN_PARTS: usize = 6;

/// The documentation-only parts that changed in one place; reported as one `docs-changed`.
#[derive(Default)]
pub(crate) struct Docs(BTreeSet<String>);

impl Docs {
    /// Notes `part` when its old and new renderings differ.
    pub(crate) fn text<T: PartialEq + ?Sized>(&mut self, part: &str, old: &T, new: &T) {
        if old != new {
            self.0.insert(part.to_owned());
        }
    }

    /// Notes `part` as changed.
    pub(crate) fn note(&mut self, part: String) {
        self.0.insert(part);
    }

    /// Reports the parts noted, if any.
    pub(crate) fn push(self, ctx: &mut Ctx<'_>, action: Option<&str>, field: Option<String>) {
        if self.0.is_empty() {
            return;
        }
        let parts: Vec<String> = self.0.into_iter().collect();
        let shown = match parts.len() {
            n if n > SHOWN_PARTS => format!(
                "{} and {} more",
                parts[..SHOWN_PARTS].join(", "),
                n - SHOWN_PARTS
            ),
            _ => parts.join(", "),
        };
        let mut found = Found::new(
            ChangeId::DocsChanged,
            format!("documentation changed: {shown}"),
        )
        .action(action)
        .detail("parts", parts.join(", "));
        found.field = field;
        ctx.push(found);
    }
}

/// Items of two lists matched by `key`, in key order: (old, new).
pub(crate) fn pairs<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
) -> BTreeMap<&'a str, (Option<&'a T>, Option<&'a T>)> {
    let mut map: BTreeMap<&str, (Option<&T>, Option<&T>)> = BTreeMap::new();
    for item in old {
        map.entry(key(item)).or_default().0 = Some(item);
    }
    for item in new {
        map.entry(key(item)).or_default().1 = Some(item);
    }
    map
}

/// A text's English and Chinese versions, for comparing.
pub(crate) fn prose(text: &truebind_codegen::model::Text) -> (&str, Option<&str>) {
    (text.en(), text.zh())
}
