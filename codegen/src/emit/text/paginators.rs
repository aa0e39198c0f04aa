//! `src/paginators.rs` as text: the `<action>_pages` methods are written directly; each
//! input's `Paged` impl (its record path is an expression), and any method too long for
//! the layout below, are taken from `lifecycle`'s token emitters and printed, so their
//! code exists once.

use quote::quote;

use super::tokens::printed;
use super::{Writer, action_cfg};
use crate::emit::lifecycle::{paged_impl, pages_doc, paginator_methods};
use crate::ir;
use crate::names;

/// The body of `src/paginators.rs`, or `None` where the token path must decide the layout.
pub(in crate::emit) fn paginators_file(service: &ir::Service) -> Option<String> {
    let paged: Vec<(&ir::Action, &ir::Paging)> = service
        .actions
        .iter()
        .filter_map(|a| Some((a, a.paging.as_ref()?)))
        .collect();
    let mut w = Writer {
        out: String::with_capacity(1500 * paged.len() + 256),
        depth: 0,
    };
    w.raw("//! Paginators: `<action>_pages` streams for list actions (`.items()` flattens them).");
    if paged.is_empty() {
        w.line("impl crate::Client {}")?;
        return Some(w.out);
    }
    w.open("impl crate::Client {")?;
    for &(action, paging) in &paged {
        match method(action, paging) {
            Some(text) => w.out.push_str(&text),
            None => {
                let method = paginator_methods(action, paging);
                let printed = printed(quote!(impl crate::Client { #method }), true)?;
                let body = printed
                    .strip_prefix("impl crate::Client {\n")?
                    .strip_suffix("}\n")?;
                w.out.push_str(body);
            }
        }
    }
    w.close()?;
    for &(action, paging) in &paged {
        w.out
            .push_str(&printed(paged_impl(action, paging).ok()?, true)?);
    }
    Some(w.out)
}

/// One `<action>_pages` method, its parameters broken as prettyplease breaks them;
/// `None` when a line would not fit (the caller prints the tokens instead).
fn method(action: &ir::Action, paging: &ir::Paging) -> Option<String> {
    let mut w = Writer {
        out: String::with_capacity(1500),
        depth: 1,
    };
    w.doc(&pages_doc(action, paging), false)?;
    action_cfg(&mut w, action)?;
    w.line("#[inline]")?;
    let input = format!(
        "crate::operation::{}::{}",
        action.snake,
        names::input_type(&action.name)
    );
    let name = names::paginator_method(&action.snake);
    // Whole on one line, prettyplease would keep it; only the broken form is laid out here.
    let whole = format!("pub fn {name}(&self, input: {input}) -> rt::paginate::Pages<{input}> {{");
    if w.depth * 4 + whole.len() <= super::MARGIN {
        return None;
    }
    w.line(&format!("pub fn {name}("))?;
    w.depth += 1;
    w.line("&self,")?;
    w.line(&format!("input: {input},"))?;
    w.depth -= 1;
    w.open(&format!(") -> rt::paginate::Pages<{input}> {{"))?;
    w.line("rt::paginate::Pages::new(&self.inner, input)")?;
    w.close()?;
    Some(w.out)
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_text_is_tokens;
    use crate::emit::Job;

    #[test]
    fn the_text_of_the_paginators_module_is_what_prettyplease_prints_of_its_tokens() {
        assert_text_is_tokens(Job::Paginators, super::paginators_file);
    }
}
