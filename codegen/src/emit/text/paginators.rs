//! `src/paginators.rs` as text: the `<action>_pages` methods and each input's `Paged` impl
//! are written directly; any item with a line too long for the layouts below is taken
//! from `lifecycle`'s token emitters and printed instead.

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
        let mark = w.out.len();
        if paged_text(&mut w, action, paging).is_none() {
            w.out.truncate(mark);
            w.depth = 0;
            w.out
                .push_str(&printed(paged_impl(action, paging).ok()?, true)?);
        }
    }
    Some(w.out)
}

/// `impl Paged for <Action>Input` (as `lifecycle::paged_impl`); `None` when a line would
/// not fit, after which the caller drops what was written of it and prints its tokens.
fn paged_text(w: &mut Writer, action: &ir::Action, paging: &ir::Paging) -> Option<()> {
    action_cfg(w, action)?;
    let input = format!(
        "crate::operation::{}::{}",
        action.snake,
        names::input_type(&action.name)
    );
    w.open_impl("rt::paginate::Paged", &input)?;
    w.line(&format!(
        "type Item = crate::types::{};",
        paging.item_type.as_str()
    ))?;
    let (mode, pattern, field, value, reader) = match &paging.mode {
        ir::PagingMode::Number {
            page_number,
            page_number_width,
            total,
            total_width,
        } => {
            let value = match page_number_width {
                ir::Width::I64 => "i64::from(page)",
                ir::Width::I32 => "i32::try_from(page).unwrap_or(i32::MAX)",
            };
            let reader = (
                "fn total(output: &Self::Output) -> Option<i64> {",
                format!("output.{total}{}", to_i64(*total_width)),
            );
            ("Number", "Number(page)", page_number, value, reader)
        }
        ir::PagingMode::Token { input, output, .. } => {
            let reader = (
                "fn next_token(output: &Self::Output) -> Option<&str> {",
                format!("output.{output}.as_deref()"),
            );
            ("Token", "Token(token)", input, "token.to_owned()", reader)
        }
    };
    w.line(&format!(
        "const MODE: rt::paginate::PageMode = rt::paginate::PageMode::{mode};"
    ))?;
    w.line("#[inline]")?;
    w.open("fn set_page(&mut self, at: rt::paginate::PageAt<'_>) {")?;
    w.open(&format!("if let rt::paginate::PageAt::{pattern} = at {{"))?;
    w.line(&format!("self.{field} = Some({value});"))?;
    w.close()?;
    w.close()?;
    function(w, reader.0, &reader.1)?;
    let default = paging
        .default_page_size
        .map_or(String::new(), |n| format!(".or(Some({n}i64))"));
    let size = format!(
        "self.{}{}{default}",
        paging.page_size,
        to_i64(paging.page_size_width)
    );
    function(w, "fn page_size(&self) -> Option<i64> {", &size)?;
    function(
        w,
        "fn records(output: &mut Self::Output) -> Option<&mut Vec<Self::Item>> {",
        &records(paging)?,
    )?;
    w.close()
}

/// An `#[inline]` function of one expression.
fn function(w: &mut Writer, signature: &str, body: &str) -> Option<()> {
    w.line("#[inline]")?;
    w.open(signature)?;
    w.line(body)?;
    w.close()
}

/// `.map(i64::from)` for an `integer` (`i32`) value, nothing for a `long` (as
/// `lifecycle::to_i64`).
fn to_i64(width: ir::Width) -> &'static str {
    match width {
        ir::Width::I64 => "",
        ir::Width::I32 => ".map(i64::from)",
    }
}

/// The records of an output, borrowed mutably along the documented path (as
/// `lifecycle::records_mut`).
fn records(paging: &ir::Paging) -> Option<String> {
    let mut steps = paging.items.iter();
    let mut expr = format!("output.{}.as_mut()", steps.next()?.rust);
    for step in steps {
        if step.optional {
            expr.push_str(&format!(".and_then(|v| v.{}.as_mut())", step.rust));
        } else {
            expr.push_str(&format!(".map(|v| &mut v.{})", step.rust));
        }
    }
    Some(expr)
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
