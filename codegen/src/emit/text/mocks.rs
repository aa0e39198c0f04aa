//! `src/test_util.rs` as text: the mock client constructor and the test constructors of
//! outputs and response-only structures, laid out as prettyplease prints
//! `mocks::test_util_module`'s tokens (the reference, which `None` falls back to and the
//! test compares with).

use super::tokens::printed;
use super::{MARGIN, Node, Writer, rust_type};
use crate::emit::mocks::{constructed, for_test_doc, setter_doc, test_util_prelude};
use crate::ir;

/// The body of `src/test_util.rs`, or `None` where the token path must decide the layout.
pub(in crate::emit) fn test_util(service: &ir::Service) -> Option<String> {
    let mut w = Writer::new(1300 * service.actions.len() + 4096, 0);
    w.out.push_str(&printed(test_util_prelude(), true)?);
    for c in constructed(service).ok()? {
        let path = format!("crate::{}", c.path.join("::"));
        constructors(&mut w, &path, &c.name, c.fields, c.output)?;
    }
    Some(w.out)
}

/// A parameter taking a field's value (as `super::constructor_param`): strings as
/// `impl Into<String>`.
fn param(f: &ir::Field) -> Node {
    let ty = match f.ty {
        ir::Type::String => Node::Text("impl Into<String>".into()),
        _ => rust_type(&f.ty),
    };
    ty.prefixed(&[&f.rust, ": "].concat())
}

/// `for_test(required…)` and a setter per optional field (as `mocks::constructors`).
fn constructors(
    w: &mut Writer,
    path: &str,
    name: &str,
    fields: &[ir::Field],
    output: bool,
) -> Option<()> {
    // A path has nowhere to break: prettyplease leaves the line as long as it is.
    w.raw(&["impl ", path, " {"].concat());
    w.depth += 1;
    w.doc(&for_test_doc(name, output), false)?;
    w.line("#[inline]")?;
    let params = fields.iter().filter(|f| f.required).map(param).collect();
    signature(w, "pub fn for_test", params)?;
    let mut inits: Vec<Node> = fields
        .iter()
        .map(|f| match (f.required, &f.ty) {
            (true, ir::Type::String) => [&f.rust, ": ", &f.rust, ".into()"].concat(),
            (true, _) => f.rust.clone(),
            (false, _) => [&f.rust, ": None"].concat(),
        })
        .map(Node::Text)
        .collect();
    if output {
        inits.push(Node::Text("meta: rt::ResponseMeta::default()".into()));
    }
    w.depth += 1;
    w.node(&Node::List("Self".into(), (" {", "}"), inits), "")?;
    w.close()?;
    for f in fields.iter().filter(|f| !f.required) {
        w.doc(&setter_doc(f), false)?;
        w.line("#[inline]")?;
        let params = vec![Node::Text("mut self".into()), param(f)];
        signature(w, &["pub fn ", &f.rust].concat(), params)?;
        w.depth += 1;
        let value = match f.ty {
            ir::Type::String => [&f.rust, ".into()"].concat(),
            _ => f.rust.clone(),
        };
        let some = Node::List("Some".into(), ("(", ")"), vec![Node::Text(value)]);
        w.node(&some.prefixed(&["self.", &f.rust, " = "].concat()), ";")?;
        w.line("self")?;
        w.close()?;
    }
    w.close()
}

/// `head(params) -> Self {` on one line when it fits, else one parameter per line.
fn signature(w: &mut Writer, head: &str, params: Vec<Node>) -> Option<()> {
    const TAIL: &str = " -> Self {";
    let node = Node::List(head.to_string(), ("(", ")"), params);
    unbreakable_paths(w, &node, TAIL, TAIL)
}

/// `Writer::element`, except that a piece of text still too long on a line of its own
/// (a type path) is left whole, as prettyplease leaves it, instead of given up on.
fn unbreakable_paths(w: &mut Writer, node: &Node, tail: &str, counted: &str) -> Option<()> {
    let whole = w.depth * 4 + node.flat_len() + counted.len() <= MARGIN && !node.wide_literal();
    let (Node::List(head, (open, close), items), false) = (node, whole) else {
        w.indent();
        node.write_flat(&mut w.out);
        w.out.push_str(tail);
        w.out.push('\n');
        return Some(());
    };
    if items.is_empty() {
        return None;
    }
    w.open(&[head, *open].concat())?;
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        unbreakable_paths(w, item, ",", if last { "" } else { "," })?;
    }
    w.depth -= 1;
    w.line(&[close, tail].concat())
}

#[cfg(test)]
mod tests {
    use crate::emit::Job;

    #[test]
    fn the_text_of_test_util_is_what_prettyplease_prints_of_its_tokens() {
        super::super::oracle::assert_text_is_tokens(Job::TestUtil, super::test_util);
    }
}
