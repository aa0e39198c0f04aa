//! `src/operation/<action>.rs` written as formatted text directly, without building
//! tokens, parsing them with syn and printing them with prettyplease.
//!
//! Those three steps were most of a run's instructions (BENCHMARKS.md, "Generation,
//! second round"), for text whose shape is fixed. The writer lays out each item as
//! prettyplease does for the shapes an operation module has: a list on one line when it
//! fits in prettyplease's 89 columns, else one element per line with a trailing comma.
//! It answers `None` for whatever it does not lay out (a line that would still be too
//! long when broken, a literal that needs escaping), and the caller then uses the token
//! path, so the file is the same either way; a test compares both paths on every action
//! of the repository's specs. The other files can follow the same pattern.

pub(super) mod client;
pub(super) mod examples;
pub(super) mod index;
pub(super) mod mocks;
#[cfg(test)]
mod oracle;
pub(super) mod paginators;
mod tokens;
pub(super) mod types;
pub(super) mod waiters;

use crate::ir;
use crate::names;

use super::operation::ACKNOWLEDGEMENT as ACKNOWLEDGEMENT_NAME;
use super::{SerdeCase, docs, operation};

/// prettyplease's margin: a list (call arguments, array, generic arguments, parameters,
/// struct literal) stays on one line when the whole line, up to the text that follows
/// the list on that line (`);`, ` -> Self {`), has at most this many columns, and is
/// broken one element per line otherwise. That is how every list of the repository's
/// generated crates and of the synthetic ones is laid out (none of 89 columns is broken,
/// none of 90 is whole).
const MARGIN: usize = 89;

/// Indented lines of Rust.
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    /// An empty file with room for `capacity` bytes, its lines starting at `depth`.
    fn new(capacity: usize, depth: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            depth,
        }
    }

    fn line(&mut self, text: &str) -> Option<()> {
        (self.depth * 4 + text.len() <= MARGIN || text.starts_with("//")).then(|| {
            self.raw(text);
        })
    }

    /// A line of any length (comments, which prettyplease never breaks).
    fn raw(&mut self, text: &str) {
        self.indent();
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
    }

    /// `///` lines for `text` (as `docs::doc_attrs`), or `//!` lines (as `inner_doc_attrs`).
    fn doc(&mut self, text: &str, inner: bool) -> Option<()> {
        let (marker, text) = if inner {
            ("//!", text)
        } else {
            ("///", text.trim_end())
        };
        for line in text.lines() {
            if line.contains('\r') {
                return None;
            }
            // ` line` without its trailing spaces, straight into the output.
            let body = line.trim_end_matches(' ');
            self.indent();
            self.out.push_str(marker);
            if !body.is_empty() {
                self.out.push(' ');
                self.out.push_str(body);
            }
            self.out.push('\n');
        }
        Some(())
    }

    /// `head` `open` items `close` `tail` on one line, or broken one item per line.
    fn list(
        &mut self,
        head: &str,
        delims: (&'static str, &'static str),
        items: &[String],
        tail: &str,
    ) -> Option<()> {
        let items = items.iter().cloned().map(Node::Text).collect();
        self.node(&Node::List(head.to_string(), delims, items), tail)
    }

    /// `node` then `tail`: on one line when it fits, else its lists broken from the
    /// outside in, each element on a line of its own with a trailing comma (which, on
    /// the last element, prettyplease does not count against the margin).
    fn node(&mut self, node: &Node, tail: &str) -> Option<()> {
        self.element(node, tail, tail)
    }

    fn element(&mut self, node: &Node, tail: &str, counted: &str) -> Option<()> {
        if self.depth * 4 + node.flat_len() + counted.len() <= MARGIN && !node.wide_literal() {
            self.indent();
            node.write_flat(&mut self.out);
            self.out.push_str(tail);
            self.out.push('\n');
            return Some(());
        }
        let (head, open, close, items) = match node {
            Node::List(head, (open, close), items) => (head, open, close, items),
            Node::Chain(receiver, call) => {
                self.line(receiver)?;
                self.depth += 1;
                self.line(&[call, tail].concat())?;
                self.depth -= 1;
                return Some(());
            }
            // A path has nowhere to break: prettyplease leaves the line as long as it is.
            Node::Text(text) if is_path(text) => {
                self.raw(&[text, tail].concat());
                return Some(());
            }
            Node::Text(_) => return None,
        };
        if items.is_empty() {
            return None;
        }
        self.line(&[head, *open].concat())?;
        self.depth += 1;
        for (i, item) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            self.element(item, ",", if last { "" } else { "," })?;
        }
        self.depth -= 1;
        self.line(&[close, tail].concat())
    }

    /// `impl head for ty {`, or, when that is too long, `impl head` with `for ty {` on the
    /// next line, as prettyplease breaks it.
    fn open_impl(&mut self, head: &str, ty: &str) -> Option<()> {
        let whole = format!("impl {head} for {ty} {{");
        if self.depth * 4 + whole.len() > MARGIN {
            self.line(&format!("impl {head}"))?;
            return self.open(&format!("for {ty} {{"));
        }
        self.open(&whole)
    }

    fn open(&mut self, text: &str) -> Option<()> {
        self.line(text)?;
        self.depth += 1;
        Some(())
    }

    fn close(&mut self) -> Option<()> {
        self.depth -= 1;
        self.line("}")
    }
}

/// Text prettyplease may break: a plain piece, or a list (`head`, its delimiters, its
/// elements) such as call arguments, generic arguments, an array or a struct literal.
enum Node {
    Text(String),
    List(String, (&'static str, &'static str), Vec<Node>),
    /// A method call on a receiver (`name: f`, `.take("Wire")`), which prettyplease
    /// breaks before the `.` when the line is too long.
    Chain(String, String),
}

impl Node {
    /// The node on one line.
    fn flat(&self) -> String {
        let mut out = String::with_capacity(self.flat_len());
        self.write_flat(&mut out);
        out
    }

    /// The node on one line, appended to `out`.
    fn write_flat(&self, out: &mut String) {
        match self {
            Node::Text(text) => out.push_str(text),
            Node::Chain(receiver, call) => {
                out.push_str(receiver);
                out.push_str(call);
            }
            Node::List(head, (open, close), items) => {
                let pad = if Node::padded(open, items) { " " } else { "" };
                out.push_str(head);
                out.push_str(open);
                out.push_str(pad);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_flat(out);
                }
                out.push_str(pad);
                out.push_str(close);
            }
        }
    }

    /// The length of [`Node::flat`], without building it.
    fn flat_len(&self) -> usize {
        match self {
            Node::Text(text) => text.len(),
            Node::Chain(receiver, call) => receiver.len() + call.len(),
            Node::List(head, (open, close), items) => {
                let pad = if Node::padded(open, items) { 2 } else { 0 };
                let inner: usize = items.iter().map(Node::flat_len).sum();
                head.len()
                    + open.len()
                    + pad
                    + inner
                    + 2 * items.len().saturating_sub(1)
                    + close.len()
            }
        }
    }

    /// A non-empty struct literal has a space inside each brace.
    fn padded(open: &str, items: &[Node]) -> bool {
        open == " {" && !items.is_empty()
    }

    /// A struct literal wider than 34 columns (its `}` not counted), which prettyplease
    /// breaks wherever it stands.
    fn wide_literal(&self) -> bool {
        matches!(self, Node::List(_, (" {", _), items) if !items.is_empty() && self.flat_len() - 1 > 34)
    }

    /// The node with `prefix` before it on its first line.
    fn prefixed(self, prefix: &str) -> Node {
        match self {
            Node::Text(text) => Node::Text([prefix, &text].concat()),
            Node::Chain(receiver, call) => Node::Chain([prefix, &receiver].concat(), call),
            Node::List(head, delims, items) => Node::List([prefix, &head].concat(), delims, items),
        }
    }
}

/// Whether `text` is a plain path (`crate::types::Name`), which prettyplease never breaks.
fn is_path(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
}

/// `#[cfg(feature = …)]` of a grouped action's items (as `gates::action_cfg`).
fn action_cfg(w: &mut Writer, action: &ir::Action) -> Option<()> {
    match &action.group {
        Some(group) => w.line(&format!("#[cfg(feature = {})]", lit(group)?)),
        None => Some(()),
    }
}

/// `head<items>`: generic arguments.
fn generic(head: &str, items: Vec<Node>) -> Node {
    Node::List(head.to_string(), ("<", ">"), items)
}

/// A string literal as quote and prettyplease print it, for text whose only escape is a line
/// break (`\n`, as proc-macro2 writes it); `None` for any other character needing one.
fn lit(value: &str) -> Option<String> {
    // Every such character is ASCII, so bytes tell them apart.
    let plain = |b: u8| {
        b == b'\n' || (b.is_ascii_graphic() || b == b' ') && !matches!(b, b'"' | b'\\' | b'\'')
    };
    if !value.bytes().all(plain) {
        return None;
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        out.push_str(line);
    }
    out.push('"');
    Some(out)
}

/// The Rust type of a field (`super::rust_type` as text).
fn rust_type(ty: &ir::Type) -> Node {
    let text = |t: &str| Node::Text(t.to_string());
    match ty {
        ir::Type::String => text("String"),
        ir::Type::Integer => text("i32"),
        ir::Type::Long => text("i64"),
        ir::Type::Float => text("f64"),
        ir::Type::Boolean => text("bool"),
        ir::Type::List(item) => generic("Vec", vec![rust_type(item)]),
        ir::Type::Map(item) => generic(
            "std::collections::BTreeMap",
            vec![text("String"), rust_type(item)],
        ),
        ir::Type::Struct(id) => Node::Text(format!("crate::types::{}", &**id)),
        ir::Type::Enum(id) => Node::Text(format!("crate::types::{}", &**id)),
    }
}

/// The module of one action, or `None` where the token path must decide the layout.
pub(super) fn operation_module(service: &ir::Service, action: &ir::Action) -> Option<String> {
    let mut w = Writer::new(8 * 1024, 0);
    let snake = names::bare(&action.snake);
    w.doc(
        &format!(
            "`{}` (called with [`Client::{snake}`](crate::Client::{snake}), which documents behaviour, errors and an example): {}",
            action.name,
            docs::text(&action.summary),
        ),
        true,
    )?;
    input(&mut w, action)?;
    output(&mut w, service, action)?;
    error(&mut w, service, action)?;
    Some(w.out)
}

fn input(w: &mut Writer, action: &ir::Action) -> Option<()> {
    let input = names::input_type(&action.name);
    w.doc(&operation::input_doc(action), false)?;
    w.line("#[derive(Clone)]")?;
    w.line("#[non_exhaustive]")?;
    struct_body(w, &input, &action.input, None, None, |f| {
        let ty = rust_type(&f.ty);
        if f.required {
            ty
        } else {
            generic("Option", vec![ty])
        }
    })?;
    constructor(w, &input, &action.input)?;
    params(w, &input, &action.input)?;
    debug(w, &input, &action.input)?;
    w.open(&format!("impl rt::Action for {input} {{"))?;
    w.line(&format!(
        "const ACTION: &'static str = {};",
        lit(&action.name)?
    ))?;
    if action.kind == ir::ActionKind::Read {
        w.line("const KIND: rt::ActionKind = rt::ActionKind::Read;")?;
    }
    w.line(&format!(
        "type Output = {};",
        names::output_type(&action.name)
    ))?;
    w.line(&format!(
        "type Error = {};",
        names::error_type(&action.name)
    ))?;
    w.close()
}

/// `pub struct name { fields }` with each field's docs, types by `ty`; with `serde`, the
/// renames of the fields its rule misses; for an `output`, the request id note and `meta`.
fn struct_body(
    w: &mut Writer,
    name: &str,
    fields: &[ir::Field],
    serde: Option<SerdeCase>,
    output: Option<&ir::Service>,
    ty: impl Fn(&ir::Field) -> Node,
) -> Option<()> {
    if fields.is_empty() && output.is_none() {
        return w.line(&format!("pub struct {name} {{}}"));
    }
    w.open(&format!("pub struct {name} {{"))?;
    for f in fields {
        let mut text = docs::field(f);
        if let Some(service) = output
            && f.wire == service.request_id_field
            && service.protocol == ir::Protocol::ZenlayerJson
        {
            text.push_str(
                " This is the id inside `response`; the envelope's, which can differ, is \
                 [`meta.envelope_request_id`](rt::ResponseMeta::envelope_request_id).",
            );
        }
        w.doc(&text, false)?;
        if let Some(case) = serde
            && !case.keeps(f)
        {
            w.line(&format!(
                "#[cfg_attr(feature = \"serde\", serde(rename = {}))]",
                lit(&f.wire)?
            ))?;
        }
        w.node(&ty(f).prefixed(&format!("pub {}: ", f.rust)), ",")?;
    }
    if output.is_some() {
        w.doc("The answer's request id as a whole and the values that could not be read (not serialized).", false)?;
        w.line("#[cfg_attr(feature = \"serde\", serde(skip))]")?;
        w.line("pub meta: rt::ResponseMeta,")?;
    }
    w.close()
}

/// `impl name { pub fn new(required) -> Self }` (as `types::request_impls`).
fn constructor(w: &mut Writer, name: &str, fields: &[ir::Field]) -> Option<()> {
    let params: Vec<String> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| match f.ty {
            ir::Type::String => format!("{}: impl Into<String>", f.rust),
            _ => format!("{}: {}", f.rust, rust_type(&f.ty).flat()),
        })
        .collect();
    let inits: Vec<String> = fields
        .iter()
        .map(|f| match (f.required, &f.ty) {
            (true, ir::Type::String) => format!("{0}: {0}.into()", f.rust),
            (true, _) => f.rust.clone(),
            (false, _) => format!("{}: None", f.rust),
        })
        .collect();
    w.open(&format!("impl {name} {{"))?;
    w.doc(
        &format!("A `{name}` with the required fields set; the optional ones are `None` until you set them."),
        false,
    )?;
    if params.is_empty() {
        w.line("#[allow(clippy::new_without_default)]")?;
    }
    w.line("#[inline]")?;
    w.list("pub fn new", ("(", ")"), &params, " -> Self {")?;
    w.depth += 1;
    w.list("Self", (" {", "}"), &inits, "")?;
    w.close()?;
    w.close()
}

/// `impl rt::Params for name` (as `super::params_impl`).
fn params(w: &mut Writer, name: &str, fields: &[ir::Field]) -> Option<()> {
    w.open_impl("rt::Params", name)?;
    w.line("#[inline]")?;
    if fields.is_empty() {
        w.line("fn params(&self, _v: &mut rt::ParamVisitor<'_>) {}")?;
        return w.close();
    }
    w.open("fn params(&self, v: &mut rt::ParamVisitor<'_>) {")?;
    for f in fields {
        param_call(w, f)?;
    }
    w.close()?;
    w.close()
}

/// `impl Debug for name` through the `Params` walk (as `types::request_impls`).
fn debug(w: &mut Writer, name: &str, fields: &[ir::Field]) -> Option<()> {
    let names = fields
        .iter()
        .map(|f| lit(names::bare(&f.rust)).map(Node::Text))
        .collect::<Option<Vec<_>>>()?;
    let text = |t: &str| Node::Text(t.to_string());
    let call = Node::List(
        "rt::debug_params".to_string(),
        ("(", ")"),
        vec![
            text("f"),
            Node::Text(lit(name)?),
            Node::List("&".to_string(), ("[", "]"), names),
            text("self"),
        ],
    );
    w.open_impl("::core::fmt::Debug", name)?;
    w.line("#[inline]")?;
    w.open("fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {")?;
    w.node(&call, "")?;
    w.close()?;
    w.close()
}

fn param_call(w: &mut Writer, f: &ir::Field) -> Option<()> {
    let wire = lit(&f.wire)?;
    let field = format!("&self.{}", f.rust);
    let limits = ir::Constraints {
        unique_by: None,
        ..f.constraints.clone()
    };
    let token = super::fills_token(f);
    let (method, mut args) = match placement(f) {
        Some(placement) => (
            if token { "placed_token" } else { "placed" },
            vec![wire.clone(), field, rules(&limits)?, placement],
        ),
        None if token => ("token", vec![wire.clone(), field, rules(&limits)?]),
        None if !limits.is_empty() => ("checked", vec![wire.clone(), field, rules(&limits)?]),
        None if super::contains_struct(&f.ty) => ("nested", vec![wire.clone(), field]),
        None => ("field", vec![wire.clone(), field]),
    };
    w.list(&format!("v.{method}"), ("(", ")"), &args, ";")?;
    if let Some(key) = &f.constraints.unique_by {
        let items = if f.required {
            format!("Some(&self.{})", f.rust)
        } else {
            format!("self.{}.as_ref()", f.rust)
        };
        w.open(&format!("if let Some(items) = {items} {{"))?;
        args = vec![
            wire,
            lit(&key.wire)?,
            format!("items.iter().map(|item| &item.{})", key.rust),
        ];
        w.line(&format!("v.unique({});", args.join(", ")))?;
        w.close()?;
    }
    Some(())
}

/// `rt::encode::Placement::DEFAULT…` (as `super::placement_tokens`).
fn placement(f: &ir::Field) -> Option<String> {
    let encoding = match f.encoding {
        ir::Encoding::Flat => "",
        ir::Encoding::Json => ".json()",
        ir::Encoding::CommaSeparated => ".comma_separated()",
    };
    let location = if f.location == ir::Location::Form {
        ".form()"
    } else {
        ""
    };
    (!encoding.is_empty() || !location.is_empty())
        .then(|| format!("rt::encode::Placement::DEFAULT{encoding}{location}"))
}

/// `rt::Rules::NONE…` (as `super::rules_tokens`).
fn rules(c: &ir::Constraints) -> Option<String> {
    let mut chain = String::from("rt::Rules::NONE");
    let ints = [("min", c.min), ("max", c.max)];
    for (name, v) in ints.iter().filter_map(|(n, v)| v.map(|v| (n, v))) {
        chain.push_str(&format!(".{name}({v})"));
    }
    let counts = [
        ("min_length", c.min_length),
        ("max_length", c.max_length),
        ("min_items", c.min_items),
        ("max_items", c.max_items),
    ];
    for (name, v) in counts.iter().filter_map(|(n, v)| v.map(|v| (n, v))) {
        chain.push_str(&format!(".{name}({v})"));
    }
    if let Some(p) = &c.pattern {
        chain.push_str(&format!(".pattern({})", lit(p)?));
    }
    if c.ascii {
        chain.push_str(".ascii()");
    }
    Some(chain)
}

fn output(w: &mut Writer, service: &ir::Service, action: &ir::Action) -> Option<()> {
    let output = names::output_type(&action.name);
    if operation::answers_only_request_id(service, action) {
        w.doc(&operation::alias_doc(action), false)?;
        // A path has nowhere to break: prettyplease leaves the line as long as it is.
        w.raw(&format!(
            "pub type {output} = super::{ACKNOWLEDGEMENT_NAME};"
        ));
        return Some(());
    }
    w.doc(&operation::output_doc(action), false)?;
    w.line("#[derive(Debug, Clone, PartialEq)]")?;
    let case = SerdeCase::for_fields(&action.output);
    serde_attrs(w, case)?;
    w.line("#[non_exhaustive]")?;
    struct_body(w, &output, &action.output, Some(case), Some(service), |f| {
        generic("Option", vec![rust_type(&f.ty)])
    })?;
    decode(w, &output, &action.output, true)
}

/// The serde derive and `rename_all` lines of a structure or output (as `SerdeCase::derive`).
fn serde_attrs(w: &mut Writer, case: SerdeCase) -> Option<()> {
    w.line("#[cfg_attr(feature = \"serde\", derive(serde::Serialize, serde::Deserialize))]")?;
    let rule = match case {
        SerdeCase::Unchanged => return Some(()),
        SerdeCase::Camel => "camelCase",
        SerdeCase::Pascal => "PascalCase",
    };
    w.line(&format!(
        "#[cfg_attr(feature = \"serde\", serde(rename_all = \"{rule}\"))]"
    ))
}

/// `impl rt::DecodeObject for name` (as `super::decode_impl`); an `output` also takes `meta`.
fn decode(w: &mut Writer, name: &str, fields: &[ir::Field], output: bool) -> Option<()> {
    w.open_impl("rt::DecodeObject", name)?;
    w.line("#[inline]")?;
    let f = if output || !fields.is_empty() {
        "f"
    } else {
        "_f"
    };
    w.open(&format!(
        "fn decode_object({f}: &mut rt::Fields<'_>) -> Self {{"
    ))?;
    let mut takes = Vec::with_capacity(fields.len() + 1);
    for f in fields {
        let call = format!(".take({})", lit(&f.wire)?);
        takes.push(Node::Chain(format!("{}: f", f.rust), call));
    }
    if output {
        takes.push(Node::Text("meta: f.meta()".into()));
    }
    w.node(&Node::List("Self".into(), (" {", "}"), takes), "")?;
    w.close()?;
    w.close()
}

fn error(w: &mut Writer, service: &ir::Service, action: &ir::Action) -> Option<()> {
    let error = names::error_type(&action.name);
    let kind = names::error_kind_type(&action.name);
    w.doc(&operation::error_doc(action), false)?;
    w.list(
        &format!("pub type {error} = rt::ActionError"),
        ("<", ">"),
        std::slice::from_ref(&kind),
        ";",
    )?;
    w.doc(&operation::error_kind_doc(action), false)?;
    w.line("#[derive(Clone, Copy, PartialEq)]")?;
    w.line("#[non_exhaustive]")?;
    w.open(&format!("pub enum {kind} {{"))?;
    let mut kinds = Vec::with_capacity(action.errors.len() + 1);
    for v in &action.errors {
        w.doc(&docs::error_variant(v), false)?;
        w.line(&format!("{},", v.variant))?;
        kinds.push(format!("Self::{}", v.variant));
    }
    kinds.push("Self::Unhandled".into());
    let table = lit(&operation::code_table(&action.errors))?;
    let common = !service.common_errors.is_empty();
    if common {
        w.doc(&docs::common_variant(&action.common_rows), false)?;
        w.line("Common(super::CommonErrorKind),")?;
    }
    w.doc(
        "A code this action does not document; read it with [`code`](crate::ErrorMeta::code).",
        false,
    )?;
    w.line("Unhandled,")?;
    w.close()?;
    w.line(&format!("impl Eq for {kind} {{}}"))?;
    w.open(&format!("impl rt::ErrorKind for {kind} {{"))?;
    // prettyplease never breaks a constant's value from its `=`, nor a literal.
    w.raw(&format!("const CODES: &'static str = {table};"));
    w.list("const KINDS: &'static [Self] = &", ("[", "]"), &kinds, ";")?;
    if common {
        w.line(
            "const COMMON: rt::Commons<Self> = Some(&super::CommonErrorKind::of(Self::Common));",
        )?;
    }
    w.close()?;
    w.open(&format!("impl ::core::fmt::Debug for {kind} {{"))?;
    w.line("#[inline]")?;
    w.open("fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {")?;
    w.line("rt::debug_kind(*self, f)")?;
    w.close()?;
    w.close()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::Job;
    use super::oracle::assert_body_is_tokens;

    /// Every service of the repository's specs, validated.
    pub(super) fn services() -> Vec<crate::ir::Service> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut services = Vec::new();
        for (spec, _) in crate::TARGETS {
            for dir in crate::load::service_dirs(&root.join(spec)).expect("spec directories") {
                let loaded = crate::load::load_service(&dir).expect("loads");
                services.push(crate::validate::validate(&loaded).expect("valid"));
            }
        }
        services
    }

    #[test]
    fn the_text_of_an_operation_module_is_what_prettyplease_prints_of_its_tokens() {
        let (mut written, mut total) = (0, 0);
        for service in services() {
            for action in &service.actions {
                total += 1;
                let Some(body) = super::operation_module(&service, action) else {
                    continue;
                };
                written += 1;
                let what = format!("{} of {}", action.name, service.crate_name);
                assert_body_is_tokens(&Job::Action(action), &service, &body, &what);
            }
        }
        // The writer lays out nearly every real module, so the comparison is not vacuous.
        assert!(
            written * 100 >= total * 95,
            "{written} of {total} written as text"
        );
    }

    #[test]
    fn a_list_is_whole_up_to_the_margin_and_broken_past_it() {
        let mut w = super::Writer::new(0, 1);
        let items = |n: usize| vec!["x".repeat(n)];
        w.list("f", ("(", ")"), &items(89 - 4 - 4), ";")
            .expect("fits");
        assert_eq!(w.out.lines().count(), 1, "{}", w.out);
        w.out.clear();
        let two = vec!["x".repeat(40), "y".repeat(40)];
        w.list("f", ("(", ")"), &two, ";").expect("breaks");
        let (x, y) = ("x".repeat(40), "y".repeat(40));
        assert_eq!(
            w.out,
            format!("    f(\n        {x},\n        {y},\n    );\n")
        );
        w.out.clear();
        let fields = vec![
            "a: 1".to_string(),
            "bcdefghijkl: 2".to_string(),
            "l: 3".into(),
        ];
        w.list("Self", (" {", "}"), &fields, "")
            .expect("a struct literal");
        assert_eq!(w.out.lines().count(), 1, "34 columns stay whole: {}", w.out);
        w.out.clear();
        let wider = vec![
            "a: 1".to_string(),
            "bcdefghijklm: 2".to_string(),
            "l: 3".into(),
        ];
        w.list("Self", (" {", "}"), &wider, "")
            .expect("a struct literal");
        assert_eq!(w.out.lines().count(), 5, "35 columns are broken: {}", w.out);
    }

    #[test]
    fn a_literal_is_written_as_the_tokens_write_it_or_left_to_the_token_path() {
        assert_eq!(super::lit("NOT_FOUND"), Some("\"NOT_FOUND\"".into()));
        assert_eq!(super::lit("say \"hi\""), None);
        assert_eq!(super::lit("a\\d"), None);
        assert_eq!(super::lit("中"), None);
        let lines = "A a\nB b";
        assert_eq!(
            super::lit(lines),
            Some(proc_macro2::Literal::string(lines).to_string())
        );
    }
}
