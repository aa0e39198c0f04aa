//! `src/paginators.rs` as text: the `<action>_pages` methods and each input's `Paged` impl
//! are written directly; any item with a line too long for the layouts below is taken
//! from `lifecycle`'s token emitters and printed instead.

use super::tokens::{printed, printed_in_client};
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
    let mut w = Writer::new(1500 * paged.len() + 256, 0);
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
                w.out
                    .push_str(&printed_in_client(paginator_methods(action, paging))?);
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
    let (mode, field, reader) = match &paging.mode {
        ir::PagingMode::Number {
            page_number, total, ..
        } => ("number", page_number, format!("output.{total}")),
        ir::PagingMode::Token { input, output, .. } => {
            ("token", input, format!("&output.{output}"))
        }
    };
    let default = paging
        .default_page_size
        .map_or("None".to_string(), |n| format!("Some({n}i64)"));
    let request = [
        format!("&mut self.{field}"),
        format!("self.{}", paging.page_size),
        default,
    ];
    w.line("#[inline]")?;
    w.open("fn request(&mut self) -> rt::paginate::Request<'_> {")?;
    w.list(
        &format!("rt::paginate::Request::{mode}"),
        ("(", ")"),
        &request,
        "",
    )?;
    w.close()?;
    w.line("#[inline]")?;
    w.open("fn page(output: &mut Self::Output) -> rt::paginate::Page<'_, Self::Item> {")?;
    let head = format!("rt::paginate::Page::{mode}");
    let records = records(paging)?;
    let call = format!("{head}({}, {reader})", records.concat());
    if w.depth * 4 + call.len() <= super::MARGIN {
        w.line(&call)?;
    } else {
        // Broken: one argument a line; a records chain too long for its line is broken
        // before each `.`, as prettyplease breaks a method chain.
        w.open(&format!("{head}("))?;
        if w.depth * 4 + records.concat().len() + 1 > super::MARGIN {
            w.line(&records[0])?;
            w.depth += 1;
            let (last, steps) = records[1..].split_last()?;
            steps.iter().try_for_each(|step| w.line(step))?;
            w.line(&format!("{last},"))?;
            w.depth -= 1;
        } else {
            w.line(&format!("{},", records.concat()))?;
        }
        w.line(&format!("{reader},"))?;
        w.depth -= 1;
        w.line(")")?;
    }
    w.close()?;
    w.close()
}

/// The records of an output, borrowed mutably along the documented path (as
/// `lifecycle::records_mut`), as the pieces prettyplease breaks a chain into:
/// `output`, then each `.field` and call.
fn records(paging: &ir::Paging) -> Option<Vec<String>> {
    let mut steps = paging.items.iter();
    let first = steps.next()?;
    let mut pieces = vec![
        "output".to_string(),
        format!(".{}", first.rust),
        ".as_mut()".to_string(),
    ];
    for step in steps {
        if step.optional {
            pieces.push(format!(".and_then(|v| v.{}.as_mut())", step.rust));
        } else {
            pieces.push(format!(".map(|v| &mut v.{})", step.rust));
        }
    }
    Some(pieces)
}

/// One `<action>_pages` method, its parameters broken as prettyplease breaks them;
/// `None` when a line would not fit (the caller prints the tokens instead).
fn method(action: &ir::Action, paging: &ir::Paging) -> Option<String> {
    let mut w = Writer::new(1500, 1);
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
