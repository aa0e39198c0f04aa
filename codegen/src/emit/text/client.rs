//! `src/client.rs` as text: the imports, the `Client` type and one method per action,
//! laid out as prettyplease prints `crate_files::client`'s tokens (the reference, which
//! `None` falls back to and the test compares with).

use quote::quote;

use super::tokens::printed;
use super::{Node, Writer, action_cfg, generic, lit};
use crate::emit::crate_files::{client_constructors, client_title, method_doc};
use crate::ir;
use crate::names;

/// The body of `src/client.rs`, or `None` where the token path must decide the layout.
pub(in crate::emit) fn client(service: &ir::Service) -> Option<String> {
    let mut w = Writer::new(1300 * service.actions.len() + 4096, 0);
    w.raw("//! The client: one async method per action.");
    for action in &service.actions {
        action_cfg(&mut w, action)?;
        w.line(&format!("use crate::operation::{}::*;", action.snake))?;
    }
    // `#[doc = …]` without a leading space, printed as a `///` line by its value.
    let title = client_title(service);
    if title.contains(['\n', '\r']) || title.starts_with('/') {
        return None;
    }
    w.raw(&format!("///{}", title.trim_end_matches(' ')));
    w.line("#[derive(Debug, Clone)]")?;
    w.open("pub struct Client {")?;
    w.line("pub(crate) inner: rt::Client,")?;
    w.close()?;
    let constructors = client_constructors();
    let start = printed(quote!(impl Client { #constructors }), true)?;
    w.out.push_str(start.strip_suffix("}\n")?);
    w.depth += 1;
    for action in &service.actions {
        method(&mut w, service, action)?;
    }
    w.close()?;
    Some(w.out)
}

/// `#[deprecated(note = …)]`: on one line when it fits, else the note on a line of its
/// own, however long (an attribute's tokens get no trailing comma).
fn deprecated(w: &mut Writer, note: &str) -> Option<()> {
    let flat = format!("#[deprecated(note = {note})]");
    if w.line(&flat).is_some() {
        return Some(());
    }
    w.open("#[deprecated(")?;
    // A literal has nowhere to break: prettyplease leaves the line as long as it is.
    w.raw(&format!("note = {note}"));
    w.depth -= 1;
    w.line(")]")
}

/// One client method (as `crate_files::method`, with the `#[inline]` `inline.rs` adds).
fn method(w: &mut Writer, service: &ir::Service, action: &ir::Action) -> Option<()> {
    w.doc(&method_doc(service, action).ok()?, false)?;
    if let Some(note) = &action.deprecated {
        deprecated(w, &lit(note)?)?;
    }
    action_cfg(w, action)?;
    w.line("#[inline]")?;
    let input = names::input_type(&action.name);
    let flat = format!(
        "pub fn {}(&self, input: {input}) -> rt::Call<'_, {input}> {{",
        action.snake
    );
    if w.line(&flat).is_none() {
        // prettyplease breaks the parameters when the signature does not fit on its line.
        w.line(&format!("pub fn {}(", action.snake))?;
        w.depth += 1;
        w.line("&self,")?;
        w.line(&format!("input: {input},"))?;
        w.depth -= 1;
        let call = generic("rt::Call", vec![Node::Text("'_".into()), Node::Text(input)]);
        w.node(&call.prefixed(") -> "), " {")?;
    }
    w.depth += 1;
    w.line("self.inner.start(input)")?;
    w.close()
}

#[cfg(test)]
mod tests {
    use crate::emit::Job;

    #[test]
    fn the_text_of_the_client_is_what_prettyplease_prints_of_its_tokens() {
        super::super::oracle::assert_text_is_tokens(Job::Client, super::client);
    }
}
