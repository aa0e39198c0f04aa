//! Fields of an input, an output or a structure: added, removed, renamed on the wire,
//! required ↔ optional, type and width, default, each constraint, and the order of the
//! required ones (the order of `new(…)`'s arguments).

use truebind_codegen::ir::{Constraints, Field, Type};

use super::{Ctx, Docs, Found, pairs};
use crate::change::{ChangeId, Side};

/// Where a list of fields lives.
pub(crate) struct Place<'a> {
    /// The action, for inputs and outputs.
    pub action: Option<&'a str>,
    /// Path prefix: `input`, `output` or `types.<Struct>`.
    pub prefix: String,
    /// Which ways values of these fields travel.
    pub sides: Vec<Side>,
    /// An action output: every field is an `Option` in Rust whatever `required` says.
    pub output: bool,
}

impl Place<'_> {
    fn found(&self, id: ChangeId, wire: &str, message: String) -> Found {
        Found::new(id, message)
            .action(self.action)
            .field(format!("{}.{wire}", self.prefix))
            .sides(&self.sides)
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
    if place.sent() && !place.output {
        order(ctx, place, old, new);
    }
}

fn field(ctx: &mut Ctx<'_>, place: &Place<'_>, o: &Field, n: &Field, docs: &mut Docs) {
    let wire = n.wire.as_str();
    if o.required != n.required {
        let (id, now) = if n.required {
            (ChangeId::BecameRequired, "required")
        } else {
            (ChangeId::BecameOptional, "optional")
        };
        ctx.push(
            place
                .found(id, wire, format!("`{wire}` is now {now}"))
                .wire_only(place.output),
        );
    }
    if let Some(id) = type_change(&o.ty, &n.ty) {
        let (from, to) = (type_name(&o.ty), type_name(&n.ty));
        ctx.push(
            place
                .found(id, wire, format!("`{wire}` changed from {from} to {to}"))
                .detail("old", from)
                .detail("new", to),
        );
    }
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
        Type::Struct(n) | Type::Enum(n) => n.clone(),
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
