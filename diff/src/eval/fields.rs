//! Fields of an input, an output or a structure: added, removed, renamed on the wire,
//! required ↔ optional, type and width, default, each constraint, and the order of the
//! required ones (the order of `new(…)`'s arguments).
//!
//! The two levels are judged where they live. The Rust API is judged per item: a
//! structure's fields once, under `types.<Struct>`, and an action's own fields. The wire is
//! judged along each action's inputs and outputs, into nested structures by wire path
//! (`input.Rules.Action`), whatever the structures are called: an importer may give a
//! structure another name without one byte on the wire changing, and a shared structure's
//! change reaches every request that sends it.

use truebind_codegen::ir::{Constraints, Field, Service, StructId, Type};

use super::{Ctx, Docs, Found, Levels, pairs};
use crate::change::{ChangeId, Side};

/// How deep the wire walk follows nested structures (a recursive structure stops earlier,
/// at its first repetition).
const MAX_DEPTH: usize = 16;

/// Where a list of fields lives.
pub(crate) struct Place<'a> {
    /// The action, for inputs and outputs.
    pub action: Option<&'a str>,
    /// Path prefix: `input`, `output`, `types.<Struct>`, or a wire path below one.
    pub prefix: String,
    /// Which ways values of these fields travel.
    pub sides: Vec<Side>,
    /// An action output: every field is an `Option` in Rust whatever `required` says.
    pub output: bool,
    /// The levels judged here.
    pub levels: Levels,
    /// The old and new services, to follow nested structures.
    pub services: (&'a Service, &'a Service),
    /// The (old, new) structures the wire walk is inside, outermost first.
    pub within: Vec<(&'a str, &'a str)>,
}

impl<'a> Place<'a> {
    fn found(&self, id: ChangeId, wire: &str, message: String) -> Found {
        Found::new(id, message)
            .action(self.action)
            .field(format!("{}.{wire}", self.prefix))
            .sides(&self.sides)
            .levels(self.levels)
    }

    /// The same place one structure deeper, judged on the wire only.
    fn inside(&self, wire: &str, structs: (&'a str, &'a str)) -> Option<Place<'a>> {
        if self.within.len() >= MAX_DEPTH || self.within.contains(&structs) {
            return None;
        }
        let mut within = self.within.clone();
        within.push(structs);
        Some(Place {
            action: self.action,
            prefix: format!("{}.{wire}", self.prefix),
            sides: self.sides.clone(),
            output: self.output,
            levels: Levels {
                wire: true,
                api: false,
            },
            services: self.services,
            within,
        })
    }

    fn sent(&self) -> bool {
        self.sides.contains(&Side::Request)
    }
}

/// Compares two field lists; documentation-only differences go to `docs`.
pub(crate) fn compare(
    ctx: &mut Ctx<'_>,
    place: &Place<'_>,
    old: &[Field],
    new: &[Field],
    docs: &mut Docs,
) {
    let mut matched = Vec::new();
    let mut gone = Vec::new();
    let mut added = Vec::new();
    for (_, pair) in pairs(old, new, |f| f.wire.as_str()) {
        match pair {
            (Some(o), Some(n)) => matched.push((o, n)),
            (Some(o), None) => gone.push(o),
            (None, Some(n)) => added.push(n),
            (None, None) => {}
        }
    }
    // A wire name that changed while the Rust name stayed (e.g. only its case) is one field.
    gone.retain(|o| match added.iter().position(|n| n.rust == o.rust) {
        Some(i) => {
            let n = added.remove(i);
            ctx.push(
                place
                    .found(
                        ChangeId::WireNameChanged,
                        &n.wire,
                        format!("`{}` is now sent and read as `{}`", o.wire, n.wire),
                    )
                    .detail("old", &o.wire)
                    .detail("new", &n.wire),
            );
            matched.push((o, n));
            false
        }
        None => true,
    });
    for o in gone {
        ctx.push(place.found(
            ChangeId::FieldRemoved,
            &o.wire,
            format!("`{}` was removed", o.wire),
        ));
    }
    for n in added {
        let required = n.required && !place.output;
        let (id, what) = if required {
            (ChangeId::FieldAddedRequired, "required")
        } else {
            (ChangeId::FieldAddedOptional, "optional")
        };
        ctx.push(
            place
                .found(
                    id,
                    &n.wire,
                    format!("new {what} `{}` ({})", n.wire, type_name(&n.ty)),
                )
                .detail("type", type_name(&n.ty)),
        );
    }
    for (o, n) in matched {
        field(ctx, place, o, n, docs);
    }
    if place.sent() && !place.output && place.levels.api {
        order(ctx, place, old, new);
    }
}

fn field<'a>(ctx: &mut Ctx<'_>, place: &Place<'a>, o: &'a Field, n: &'a Field, docs: &mut Docs) {
    let wire = n.wire.as_str();
    if o.required != n.required {
        let (id, now) = if n.required {
            (ChangeId::BecameRequired, "required")
        } else {
            (ChangeId::BecameOptional, "optional")
        };
        let levels = Levels {
            api: place.levels.api && !place.output,
            ..place.levels
        };
        ctx.push(
            place
                .found(id, wire, format!("`{wire}` is now {now}"))
                .levels(levels),
        );
    }
    types(ctx, place, o, n);
    if o.default != n.default {
        let show =
            |v: &Option<serde_json::Value>| v.as_ref().map_or("none".into(), ToString::to_string);
        let (from, to) = (show(&o.default), show(&n.default));
        ctx.push(
            place
                .found(
                    ChangeId::DefaultChanged,
                    wire,
                    format!("default of `{wire}` changed from {from} to {to}"),
                )
                .detail("old", from)
                .detail("new", to),
        );
    }
    constraints(ctx, place, wire, &o.constraints, &n.constraints);
    if !place.levels.api {
        return;
    }
    let path = format!("{}.{wire}", place.prefix);
    let mut parts = Docs::default();
    parts.text(
        "description",
        &super::prose(&o.description),
        &super::prose(&n.description),
    );
    parts.text("unit", &o.unit, &n.unit);
    parts.text("example", &o.example, &n.example);
    parts.text("lenient", &o.lenient, &n.lenient);
    parts.text(
        "idempotency_token",
        &o.idempotency_token,
        &n.idempotency_token,
    );
    for part in parts.0 {
        docs.note(format!("{path} {part}"));
    }
}

/// A type change, judged per level: the Rust type by name, the wire shape without the
/// names of structures (followed into instead) and without the difference between an enum
/// and a string (both are text on the wire).
fn types<'a>(ctx: &mut Ctx<'_>, place: &Place<'a>, o: &'a Field, n: &'a Field) {
    let wire = n.wire.as_str();
    let (from, to) = (type_name(&o.ty), type_name(&n.ty));
    let change = |id| {
        place
            .found(id, wire, format!("`{wire}` changed from {from} to {to}"))
            .detail("old", from.clone())
            .detail("new", to.clone())
    };
    if place.levels.api
        && let Some(id) = type_change(&o.ty, &n.ty)
    {
        ctx.push(change(id).levels(Levels {
            wire: false,
            api: true,
        }));
    }
    if !place.levels.wire {
        return;
    }
    if let Some(id) = wire_change(&o.ty, &n.ty) {
        ctx.push(change(id).levels(Levels {
            wire: true,
            api: false,
        }));
    } else if let (Some(os), Some(ns)) = (struct_in(&o.ty), struct_in(&n.ty)) {
        let (old, new) = place.services;
        let fields = |s: &'a Service, id: &StructId| s.struct_of(id).map(|x| x.fields.as_slice());
        if let (Some(of), Some(nf), Some(inner)) = (
            fields(old, os),
            fields(new, ns),
            place.inside(wire, (os.as_str(), ns.as_str())),
        ) {
            compare(ctx, &inner, of, nf, &mut Docs::default());
        }
    }
}

/// The structure a value of `ty` holds (through lists and maps), if any.
fn struct_in(ty: &Type) -> Option<&StructId> {
    match ty {
        Type::Struct(id) => Some(id),
        Type::List(t) | Type::Map(t) => struct_in(t),
        _ => None,
    }
}

/// The class of a change of wire shape, if the shape changed.
fn wire_change(old: &Type, new: &Type) -> Option<ChangeId> {
    match (old, new) {
        (Type::Struct(_), Type::Struct(_)) => None,
        (Type::Enum(_) | Type::String, Type::Enum(_) | Type::String) => None,
        (Type::List(o), Type::List(n)) | (Type::Map(o), Type::Map(n)) => wire_change(o, n),
        _ => type_change(old, new),
    }
}

/// The class of a type change, if the type changed.
fn type_change(old: &Type, new: &Type) -> Option<ChangeId> {
    match (old, new) {
        _ if old == new => None,
        (Type::Integer, Type::Long) => Some(ChangeId::TypeWidened),
        (Type::Long, Type::Integer) => Some(ChangeId::TypeNarrowed),
        (Type::List(o), Type::List(n)) | (Type::Map(o), Type::Map(n)) => type_change(o, n),
        _ => Some(ChangeId::TypeChanged),
    }
}

/// A type as the spec writes it.
pub(crate) fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Integer => "integer".into(),
        Type::Long => "long".into(),
        Type::Float => "float".into(),
        Type::Boolean => "boolean".into(),
        Type::List(t) => format!("list<{}>", type_name(t)),
        Type::Map(t) => format!("map<{}>", type_name(t)),
        Type::Struct(n) => n.to_string(),
        Type::Enum(n) => n.to_string(),
    }
}

/// Which way a bound moved: a lower bound going up, or an upper one going down, tightens.
fn bound<T: PartialOrd + ToString>(
    old: Option<T>,
    new: Option<T>,
    lower: bool,
) -> Option<(ChangeId, String, String)> {
    let show = |v: &Option<T>| v.as_ref().map_or("none".into(), ToString::to_string);
    let id = match (&old, &new) {
        (None, Some(_)) => ChangeId::ConstraintSet,
        (Some(_), None) => ChangeId::ConstraintUnset,
        (Some(o), Some(n)) if o == n => return None,
        (Some(o), Some(n)) if (n > o) == lower => ChangeId::ConstraintTightened,
        (Some(_), Some(_)) => ChangeId::ConstraintLoosened,
        (None, None) => return None,
    };
    Some((id, show(&old), show(&new)))
}

/// A limit that is either there or not; a changed value counts as tightened (it may refuse
/// values the old one accepted).
fn switch<T: PartialEq + std::fmt::Debug>(
    old: &Option<T>,
    new: &Option<T>,
) -> Option<(ChangeId, String, String)> {
    let show = |v: &Option<T>| v.as_ref().map_or("none".into(), |v| format!("{v:?}"));
    let id = match (old, new) {
        (None, Some(_)) => ChangeId::ConstraintSet,
        (Some(_), None) => ChangeId::ConstraintUnset,
        (Some(o), Some(n)) if o != n => ChangeId::ConstraintTightened,
        _ => return None,
    };
    Some((id, show(old), show(new)))
}

fn constraints(ctx: &mut Ctx<'_>, place: &Place<'_>, wire: &str, o: &Constraints, n: &Constraints) {
    let ascii = |c: &Constraints| c.ascii.then_some(true);
    let unique = |c: &Constraints| c.unique_by.as_ref().map(|u| u.wire.clone());
    let found = [
        ("min", bound(o.min, n.min, true)),
        ("max", bound(o.max, n.max, false)),
        ("min_length", bound(o.min_length, n.min_length, true)),
        ("max_length", bound(o.max_length, n.max_length, false)),
        ("min_items", bound(o.min_items, n.min_items, true)),
        ("max_items", bound(o.max_items, n.max_items, false)),
        ("pattern", switch(&o.pattern, &n.pattern)),
        ("ascii", switch(&ascii(o), &ascii(n))),
        ("unique_by", switch(&unique(o), &unique(n))),
    ];
    for (name, change) in found {
        let Some((id, from, to)) = change else {
            continue;
        };
        ctx.push(
            place
                .found(
                    id,
                    wire,
                    format!("`{name}` of `{wire}` changed from {from} to {to}"),
                )
                .detail("constraint", name)
                .detail("old", from)
                .detail("new", to),
        );
    }
}

/// Required fields are `new(…)`'s arguments in field order: a different relative order of
/// the ones on both sides moves arguments, silently when their types are the same.
fn order(ctx: &mut Ctx<'_>, place: &Place<'_>, old: &[Field], new: &[Field]) {
    let kept = |fields: &[Field], other: &[Field]| -> Vec<(String, Type)> {
        fields
            .iter()
            .filter(|f| f.required && other.iter().any(|g| g.required && g.rust == f.rust))
            .map(|f| (f.rust.clone(), f.ty.clone()))
            .collect()
    };
    let (before, after) = (kept(old, new), kept(new, old));
    if before.iter().map(|f| &f.0).eq(after.iter().map(|f| &f.0)) {
        return;
    }
    let names = |v: &[(String, Type)]| {
        v.iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let same_types = before.iter().map(|f| &f.1).eq(after.iter().map(|f| &f.1));
    let consequence = if same_types {
        "callers still compile and pass their values to the wrong parameters"
    } else {
        "callers no longer compile"
    };
    let mut found = Found::new(
        ChangeId::RequiredOrderChanged,
        format!(
            "`new` takes ({}) instead of ({}): {consequence}",
            names(&after),
            names(&before)
        ),
    )
    .action(place.action)
    .sides(&place.sides)
    .detail("old", names(&before))
    .detail("new", names(&after))
    .detail("same_types", same_types.to_string());
    found.field = Some(place.prefix.clone());
    ctx.push(found);
}
