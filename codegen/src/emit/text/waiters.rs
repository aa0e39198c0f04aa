//! `src/waiters.rs` as text: the `wait_until_*` methods and the `WaiterSpec` statics are
//! written directly; each resource's lookup function (an expression built by the request
//! template writer), and any method whose shape the writer does not lay out (extra
//! arguments, an `until` goal, a signature too long for one line), are taken from
//! `lifecycle`'s token emitters and printed, so their code exists once.

use quote::quote;

use super::tokens::{printed, printed_in_client};
use super::{Node, Writer, action_cfg, lit};
use crate::emit::lifecycle::{Lookup, spec_ident, waiter_spec};
use crate::emit::{docs, gates};
use crate::ir;
use crate::names;

/// The body of `src/waiters.rs`, or `None` where the token path must decide the layout.
pub(in crate::emit) fn waiters_file(service: &ir::Service) -> Option<String> {
    let mut lookups = Vec::new();
    for resource in service.resources.iter().filter(|r| !r.waiters.is_empty()) {
        lookups.push(Lookup::for_resource(service, resource).ok()?);
    }
    let mut w = Writer::new(4096 * lookups.len() + 256, 0);
    w.raw("//! Waiters: `wait_until_*` methods that poll a read action until resources reach a state.");
    if !lookups.is_empty() {
        let reads: Vec<&ir::Action> = lookups.iter().map(|l| l.read).collect();
        if let Some(cfg) = gates::any_action_cfg(&reads) {
            w.out.push_str(&printed(
                quote!(#cfg use rt::waiter::{Wait, WaiterSpec};),
                true,
            )?);
        } else {
            w.line("use rt::waiter::{Wait, WaiterSpec};")?;
        }
    }
    if lookups.is_empty() {
        w.line("impl crate::Client {}")?;
    } else {
        w.open("impl crate::Client {")?;
        for lookup in &lookups {
            for waiter in &lookup.resource.waiters {
                method(&mut w, lookup, waiter)?;
            }
        }
        w.close()?;
    }
    for lookup in &lookups {
        if let Some(text) = plain_lookup(lookup) {
            w.out.push_str(&text);
            continue;
        }
        let cfg = gates::action_cfg(lookup.read);
        let function = lookup.function();
        w.out.push_str(&printed(quote!(#cfg #function), true)?);
    }
    for lookup in &lookups {
        for waiter in &lookup.resource.waiters {
            spec(&mut w, lookup, waiter)?;
        }
    }
    Some(w.out)
}

/// One `wait_until_*` method inside `impl crate::Client`: as text when it takes only the
/// ids, else (or when its signature does not fit) printed from its tokens.
fn method(w: &mut Writer, lookup: &Lookup<'_>, waiter: &ir::Waiter) -> Option<()> {
    if lookup.arguments.is_empty()
        && waiter.until.is_none()
        && let Some(text) = plain_method(lookup, waiter)
    {
        w.out.push_str(&text);
        return Some(());
    }
    let cfg = gates::action_cfg(lookup.read);
    let method = lookup.waiter_method(waiter);
    w.out.push_str(&printed_in_client(quote!(#cfg #method))?);
    Some(())
}

/// A method that takes only the ids, laid out as prettyplease does when its parameters are
/// broken and its return type and call each fit on their line; `None` otherwise.
fn plain_method(lookup: &Lookup<'_>, waiter: &ir::Waiter) -> Option<String> {
    let mut w = Writer::new(2048, 1);
    let read = lookup.read;
    action_cfg(&mut w, read)?;
    w.doc(&docs::waiter(lookup.resource, read, waiter), false)?;
    w.line("#[inline]")?;
    let name = names::waiter_method(&waiter.snake);
    let returns = format!(
        ") -> Wait<crate::types::{}, crate::operation::{}::{}> {{",
        lookup.resource.record.as_str(),
        read.snake,
        names::error_type(&read.name)
    );
    let params = vec![
        Node::Text("&self".into()),
        Node::Text("ids: impl IntoIterator<Item = impl Into<String>>".into()),
    ];
    let signature = Node::List(format!("pub fn {name}"), ("(", ")"), params);
    // Whole on one line, prettyplease would keep it; this writer lays out only the broken form.
    if w.depth * 4 + signature.flat_len() + returns.len() - 1 <= super::MARGIN {
        return None;
    }
    w.line(&format!("pub fn {name}("))?;
    w.depth += 1;
    w.line("&self,")?;
    w.line("ids: impl IntoIterator<Item = impl Into<String>>,")?;
    w.depth -= 1;
    w.open(&returns)?;
    w.line(&format!(
        "Wait::read(&{}, &self.inner, ids, {}())",
        spec_ident(waiter),
        lookup.function
    ))?;
    w.close()?;
    Some(w.out)
}

/// The lookup function of a resource read by its ids alone (as `Lookup::function`), laid
/// out as prettyplease does when its signature is too long for one line: the closure's
/// argument list broken, each statement on a line of its own; `None` otherwise.
fn plain_lookup(lookup: &Lookup<'_>) -> Option<String> {
    let statements = lookup.plain_input_lines()?;
    let read = lookup.read;
    let input = format!(
        "crate::operation::{}::{}",
        read.snake,
        names::input_type(&read.name)
    );
    let head = format!("fn {}() -> impl FnMut(", lookup.function);
    let returns = format!(") -> {input} + Send + 'static {{");
    // Whole on one line (its `{` not counted), prettyplease would keep it.
    if head.len() + "Vec<String>".len() + returns.len() - 1 <= super::MARGIN {
        return None;
    }
    let mut w = Writer::new(1024, 0);
    action_cfg(&mut w, read)?;
    let doc = format!(
        "The `{}` input that reads one batch of {}s by id.",
        read.name, lookup.resource.name
    );
    w.doc(&doc, false)?;
    w.line("#[inline]")?;
    w.line(&head)?;
    w.depth += 1;
    w.line("Vec<String>,")?;
    w.depth -= 1;
    w.open(&returns)?;
    w.line(&format!("use {input};"))?;
    w.open("move |batch| {")?;
    for statement in statements {
        w.line(statement)?;
    }
    w.line("input")?;
    w.close()?;
    w.close()?;
    Some(w.out)
}

/// The `WaiterSpec` static of one waiter (as `lifecycle::waiter_spec`); printed from its
/// tokens when it settles (a duration literal).
fn spec(w: &mut Writer, lookup: &Lookup<'_>, waiter: &ir::Waiter) -> Option<()> {
    if waiter.settle_seconds.is_some() {
        let cfg = gates::action_cfg(lookup.read);
        let spec = waiter_spec(lookup.resource, waiter);
        w.out.push_str(&printed(quote!(#cfg #spec), true)?);
        return Some(());
    }
    action_cfg(w, lookup.read)?;
    w.open(&format!(
        "static {}: WaiterSpec = WaiterSpec {{",
        spec_ident(waiter)
    ))?;
    w.line(&format!("name: {},", lit(&waiter.name)?))?;
    for (field, states) in [
        ("in_progress", &waiter.in_progress),
        ("success", &waiter.success),
        ("failure", &waiter.failure),
    ] {
        let states = states
            .iter()
            .map(|s| lit(s).map(Node::Text))
            .collect::<Option<Vec<_>>>()?;
        w.node(&Node::List(format!("{field}: &"), ("[", "]"), states), ",")?;
    }
    w.line(&format!(
        "absent_means_success: {},",
        waiter.absent_means_success
    ))?;
    let max_ids = usize::try_from(lookup.resource.read.max_ids).ok()?;
    w.line(&format!("max_ids: {max_ids}usize,"))?;
    w.line("settle: None,")?;
    w.depth -= 1;
    w.line("};")
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_text_is_tokens;
    use crate::emit::Job;

    #[test]
    fn the_text_of_the_waiters_module_is_what_prettyplease_prints_of_its_tokens() {
        assert_text_is_tokens(Job::Waiters, super::waiters_file);
    }

    #[test]
    fn lookups_by_ids_alone_are_written_as_text_so_the_comparison_covers_them() {
        let mut written = 0;
        for service in super::super::tests::services() {
            for resource in service.resources.iter().filter(|r| !r.waiters.is_empty()) {
                let lookup = super::Lookup::for_resource(&service, resource).expect("a lookup");
                written += usize::from(super::plain_lookup(&lookup).is_some());
            }
        }
        assert!(written > 0, "no lookup of the repository's specs is text");
    }
}
