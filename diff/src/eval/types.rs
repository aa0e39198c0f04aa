//! Shared structures and enums (graded by the direction they travel in), and resources
//! with their waiters.

use std::collections::{BTreeMap, BTreeSet};

use truebind_codegen::ir::{Field, Resource, Service, Type, Waiter};

use super::fields::{self, Place};
use super::{Ctx, Docs, Found, Levels, pairs, prose};
use crate::change::{ChangeId, Side};

/// Which ways each named structure or enum travels: sent in an input, read in an output.
#[derive(Default)]
pub(crate) struct Usage(BTreeMap<String, BTreeSet<Side>>);

impl Usage {
    /// The usage in one service.
    pub(crate) fn of(service: &Service) -> Usage {
        let mut usage = Usage::default();
        for action in &service.actions {
            usage.walk(service, &action.input, Side::Request);
            usage.walk(service, &action.output, Side::Response);
        }
        usage
    }

    /// Both usages: a change matters to whoever used the type before or uses it now.
    pub(crate) fn merge(mut self, other: Usage) -> Usage {
        for (name, sides) in other.0 {
            self.0.entry(name).or_default().extend(sides);
        }
        self
    }

    /// The sides `name` travels on; an unused type counts as on neither.
    pub(crate) fn sides(&self, name: &str) -> Vec<Side> {
        match self.0.get(name) {
            Some(sides) if !sides.is_empty() => sides.iter().copied().collect(),
            _ => vec![Side::None],
        }
    }

    fn walk(&mut self, service: &Service, fields: &[Field], side: Side) {
        let mut stack: Vec<&Type> = fields.iter().map(|f| &f.ty).collect();
        while let Some(ty) = stack.pop() {
            match ty {
                Type::List(t) | Type::Map(t) => stack.push(t),
                Type::Enum(id) => {
                    self.0.entry(id.to_string()).or_default().insert(side);
                }
                Type::Struct(id) => {
                    // The set's insert answers whether this structure is new on this side,
                    // so a recursive structure is walked once.
                    if self.0.entry(id.to_string()).or_default().insert(side)
                        && let Some(s) = service.struct_of(id)
                    {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                    }
                }
                _ => {}
            }
        }
    }
}

fn presence(ctx: &mut Ctx<'_>, kind: &str, name: &str, old: bool) {
    let (id, what) = if old {
        (ChangeId::TypeRemoved, "was removed")
    } else {
        (ChangeId::TypeAdded, "is new")
    };
    ctx.push(Found::new(id, format!("{kind} `{name}` {what}")).field(format!("types.{name}")));
}

/// Structures, matched by name, at the API level (their wire is judged along each action);
/// their fields are graded by the sides they travel on.
pub(crate) fn structs(ctx: &mut Ctx<'_>, services: (&Service, &Service), usage: &Usage) {
    let (old, new) = services;
    for (name, pair) in pairs(&old.structs, &new.structs, |s| s.name.as_str()) {
        let (o, n) = match pair {
            (Some(o), Some(n)) => (o, n),
            (o, _) => {
                presence(ctx, "structure", name, o.is_some());
                continue;
            }
        };
        let place = Place {
            action: None,
            prefix: format!("types.{name}"),
            sides: usage.sides(name),
            output: false,
            levels: Levels {
                wire: false,
                api: true,
            },
            services,
            within: Vec::new(),
        };
        let mut docs = Docs::default();
        docs.text(
            "description",
            &prose(&o.description),
            &prose(&n.description),
        );
        fields::compare(ctx, &place, &o.fields, &n.fields, &mut docs);
        docs.push(ctx, None, Some(place.prefix));
    }
}

/// Enums, matched by name, and their values by wire value (enums are open: an unknown
/// value is kept, so an added one breaks no parser).
pub(crate) fn enums(ctx: &mut Ctx<'_>, old: &Service, new: &Service, usage: &Usage) {
    for (name, pair) in pairs(&old.enums, &new.enums, |e| e.name.as_str()) {
        let (o, n) = match pair {
            (Some(o), Some(n)) => (o, n),
            (o, _) => {
                presence(ctx, "enum", name, o.is_some());
                continue;
            }
        };
        let sides = usage.sides(name);
        let mut docs = Docs::default();
        docs.text(
            "description",
            &prose(&o.description),
            &prose(&n.description),
        );
        docs.text("note", &o.note, &n.note);
        for (value, pair) in pairs(&o.values, &n.values, |v| v.wire.as_str()) {
            let (id, what) = match pair {
                (Some(_), None) => (ChangeId::EnumValueRemoved, "is no longer"),
                (None, Some(_)) => (ChangeId::EnumValueAdded, "is now"),
                (Some(ov), Some(nv)) => {
                    docs.text(&format!("{value} aliases"), &ov.aliases, &nv.aliases);
                    docs.text(
                        &format!("{value} description"),
                        &ov.description.as_ref().map(prose),
                        &nv.description.as_ref().map(prose),
                    );
                    continue;
                }
                (None, None) => continue,
            };
            ctx.push(
                Found::new(id, format!("`{value}` {what} a value of `{name}`"))
                    .field(format!("types.{name}.{value}"))
                    .sides(&sides)
                    .detail("value", value),
            );
        }
        docs.push(ctx, None, Some(format!("types.{name}")));
    }
}

/// Resources and their waiters, matched by name.
pub(crate) fn resources<'a>(ctx: &mut Ctx<'_>, old: &'a Service, new: &'a Service) {
    let no_waiters: &'a [Waiter] = &[];
    for (name, pair) in pairs(&old.resources, &new.resources, |r| r.name.as_str()) {
        let waiters = |r: Option<&'a Resource>| -> &'a [Waiter] {
            r.map_or(no_waiters, |r| r.waiters.as_slice())
        };
        if let (Some(o), Some(n)) = pair {
            let show = |r: &Resource| {
                format!(
                    "{} {} (at most {} ids)",
                    r.read.action, r.read.request, r.read.max_ids
                )
            };
            if show(o) != show(n) {
                ctx.push(
                    Found::new(
                        ChangeId::WaiterStatesChanged,
                        format!("waiters of `{name}` read it differently"),
                    )
                    .field(format!("resources.{name}.read"))
                    .detail("old", show(o))
                    .detail("new", show(n)),
                );
            }
        }
        for (waiter, pair) in pairs(waiters(pair.0), waiters(pair.1), |w| w.name.as_str()) {
            let field = format!("resources.{name}.{waiter}");
            match pair {
                (Some(o), Some(n)) => states(ctx, &field, o, n),
                (o, _) => {
                    let (id, what) = if o.is_some() {
                        (ChangeId::WaiterRemoved, "was removed")
                    } else {
                        (ChangeId::WaiterAdded, "is new")
                    };
                    ctx.push(
                        Found::new(id, format!("waiter `{waiter}` of `{name}` {what}"))
                            .field(field),
                    );
                }
            }
        }
    }
}

fn states(ctx: &mut Ctx<'_>, field: &str, o: &Waiter, n: &Waiter) {
    let absent = |w: &Waiter| {
        if w.absent_means_success {
            "success"
        } else {
            "failure"
        }
    };
    let mut found = Found::new(ChangeId::WaiterStatesChanged, String::new()).field(field);
    let mut parts = Vec::new();
    for (list, old, new) in [
        ("in_progress", &o.in_progress, &n.in_progress),
        ("success", &o.success, &n.success),
        ("failure", &o.failure, &n.failure),
    ] {
        let (old, new): (BTreeSet<&str>, BTreeSet<&str>) = (
            old.iter().map(String::as_str).collect(),
            new.iter().map(String::as_str).collect(),
        );
        let join = |set: Vec<&str>| set.join(", ");
        let added = join(new.difference(&old).copied().collect());
        let removed = join(old.difference(&new).copied().collect());
        if !added.is_empty() {
            parts.push(format!("{list} + {added}"));
            found = found.detail(&format!("{list}_added"), added);
        }
        if !removed.is_empty() {
            parts.push(format!("{list} - {removed}"));
            found = found.detail(&format!("{list}_removed"), removed);
        }
    }
    if absent(o) != absent(n) {
        parts.push(format!("when absent: {} → {}", absent(o), absent(n)));
        found = found.detail("when_absent", absent(n));
    }
    if !parts.is_empty() {
        found.message = format!("waiter states changed: {}", parts.join("; "));
        ctx.push(found);
    }
}
