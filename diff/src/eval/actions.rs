//! Actions: added, removed or deprecated, read ↔ write, paging, inputs (request side),
//! outputs (response side), error codes, and their documentation.

use truebind_codegen::ir::{Action, ActionKind, Paging, PagingMode, Service};

use super::fields::{self, Place};
use super::{Ctx, Docs, Found, Levels, pairs, prose};
use crate::change::{ChangeId, Side};

/// Every action, matched by name.
pub(crate) fn actions(ctx: &mut Ctx<'_>, services: (&Service, &Service)) {
    let (old, new) = services;
    for (name, pair) in pairs(&old.actions, &new.actions, |a| a.name.as_str()) {
        match pair {
            (Some(o), Some(n)) => action(ctx, services, o, n),
            (Some(_), None) => ctx.push(
                Found::new(
                    ChangeId::ActionRemoved,
                    format!("the action `{name}` is gone"),
                )
                .action(Some(name)),
            ),
            (None, Some(_)) => ctx.push(
                Found::new(ChangeId::ActionAdded, format!("a new action `{name}`"))
                    .action(Some(name)),
            ),
            (None, None) => {}
        }
    }
}

fn action<'a>(
    ctx: &mut Ctx<'_>,
    services: (&'a Service, &'a Service),
    o: &'a Action,
    n: &'a Action,
) {
    let name = Some(n.name.as_str());
    if o.kind != n.kind {
        let kind = |k| {
            if k == ActionKind::Read {
                "read"
            } else {
                "write"
            }
        };
        ctx.push(
            Found::new(
                ChangeId::ActionKindChanged,
                format!(
                    "now a {} action (retried {})",
                    kind(n.kind),
                    if n.kind == ActionKind::Read {
                        "on 5xx and timeouts"
                    } else {
                        "only when throttled"
                    }
                ),
            )
            .action(name)
            .detail("old", kind(o.kind))
            .detail("new", kind(n.kind)),
        );
    }
    paging(ctx, n, o.paging.as_ref(), n.paging.as_ref());
    let mut docs = Docs::default();
    match (&o.deprecated, &n.deprecated) {
        (None, Some(note)) => ctx.push(
            Found::new(
                ChangeId::ActionDeprecated,
                format!("now deprecated: {note}"),
            )
            .action(name)
            .detail("note", note),
        ),
        (old, new) => docs.text("deprecated", old, new),
    }
    for (prefix, side, old, new) in [
        ("input", Side::Request, &o.input, &n.input),
        ("output", Side::Response, &o.output, &n.output),
    ] {
        let place = Place {
            action: name,
            prefix: prefix.into(),
            sides: vec![side],
            output: side == Side::Response,
            levels: Levels::BOTH,
            services,
            within: Vec::new(),
        };
        fields::compare(ctx, &place, old, new, &mut docs);
    }
    errors(ctx, o, n, &mut docs);
    docs.text("summary", &prose(&o.summary), &prose(&n.summary));
    docs.text(
        "description",
        &o.description.as_ref().map(prose),
        &n.description.as_ref().map(prose),
    );
    docs.text("docs_url", &o.docs_url, &n.docs_url);
    let show = |a: &Action| {
        let pre: Vec<_> = a
            .preconditions
            .iter()
            .map(|p| (&p.resource, &p.allowed_states))
            .collect();
        let note = a.async_note.as_ref().map(|n| {
            (
                &n.resource,
                &n.waiter.name,
                n.description.as_ref().map(prose),
            )
        });
        let examples: Vec<_> = a
            .examples
            .iter()
            .map(|e| (&e.title, &e.request, &e.response, e.status))
            .collect();
        (
            format!("{pre:?}"),
            format!("{note:?}"),
            format!("{examples:?}"),
        )
    };
    let (before, after) = (show(o), show(n));
    docs.text("preconditions", &before.0, &after.0);
    docs.text("async", &before.1, &after.1);
    docs.text("examples", &before.2, &after.2);
    docs.push(ctx, name, None);
}

fn paging(ctx: &mut Ctx<'_>, action: &Action, old: Option<&Paging>, new: Option<&Paging>) {
    let show = |p: &Paging| {
        let items: Vec<&str> = p.items.iter().map(|s| s.rust.as_str()).collect();
        let (items, size) = (items.join("."), &p.page_size);
        match &p.mode {
            PagingMode::Number {
                page_number, total, ..
            } => format!(
                "page {page_number} size {size} total {total} items {items} of {}",
                p.item_type
            ),
            PagingMode::Token { input, output, .. } => format!(
                "token {input} (next in {output}) size {size} items {items} of {}",
                p.item_type
            ),
        }
    };
    let found = match (old, new) {
        (None, Some(n)) => Found::new(ChangeId::PagingAdded, format!("now paged: {}", show(n))),
        (Some(o), None) => Found::new(
            ChangeId::PagingRemoved,
            format!("no longer paged (was {})", show(o)),
        ),
        (Some(o), Some(n)) if show(o) != show(n) => Found::new(
            ChangeId::PagingChanged,
            format!("paging changed from {} to {}", show(o), show(n)),
        )
        .detail("old", show(o))
        .detail("new", show(n)),
        _ => return,
    };
    ctx.push(found.action(Some(&action.name)).field("paging"));
}

/// Error codes by code; a changed row (status, message, meaning) is documentation.
fn errors(ctx: &mut Ctx<'_>, o: &Action, n: &Action, docs: &mut Docs) {
    for (code, pair) in pairs(&o.errors, &n.errors, |e| e.code.as_str()) {
        let (id, what) = match pair {
            (Some(ov), Some(nv)) => {
                let rows = |v: &truebind_codegen::ir::ErrorVariant| {
                    let rows: Vec<_> = v
                        .rows
                        .iter()
                        .map(|r| (r.status, &r.message, prose(&r.description)))
                        .collect();
                    format!("{rows:?}")
                };
                docs.text(&format!("error {code}"), &rows(ov), &rows(nv));
                continue;
            }
            (Some(_), None) => (ChangeId::ErrorCodeRemoved, "is no longer documented"),
            (None, Some(_)) => (ChangeId::ErrorCodeAdded, "is a new documented error"),
            (None, None) => continue,
        };
        ctx.push(
            Found::new(id, format!("error code `{code}` {what}"))
                .action(Some(&n.name))
                .field(format!("errors.{code}"))
                .sides(&[Side::Response])
                .detail("code", code),
        );
    }
}
