//! `src/types.rs` as text: the shared structures, their `Record` impls and the open enums,
//! laid out as prettyplease prints `types::types_module`'s tokens (the reference, which
//! `None` falls back to and the test compares with).
//!
//! It is the largest file left on the token path: a tenth of a crate's text, and of the
//! instructions to generate it most went to parsing and printing its tokens again.

use super::{Writer, constructor, debug, decode, lit, params, rust_type, struct_body};
use crate::emit::gates::TypeGates;
use crate::emit::{SerdeCase, docs, lifecycle, types};
use crate::ir;

/// The body of `src/types.rs`, or `None` where the token path must decide the layout.
pub(in crate::emit) fn types_file(service: &ir::Service) -> Option<String> {
    let in_requests = types::reachable_types(service, |a| &a.input).ok()?;
    let in_responses = types::reachable_types(service, |a| &a.output).ok()?;
    let gates = TypeGates::new(service).ok()?;
    let mut w = Writer::new(2048 * (service.structs.len() + service.enums.len()) + 64, 0);
    w.raw("//! Structures and enums shared by several actions.");
    for s in &service.structs {
        let cfg = features(&gates, &s.name)?;
        let (request, response) = (
            in_requests.contains(&s.name),
            in_responses.contains(&s.name),
        );
        structure(&mut w, s, &cfg, request, response)?;
    }
    for (record, id, status) in lifecycle::records(service).ok()? {
        gate(&mut w, &features(&gates, &record.name)?)?;
        w.open_impl("rt::waiter::Record", &record.name)?;
        for (name, field) in [("id", id), ("status", status)] {
            w.line("#[inline]")?;
            w.open(&format!("fn {name}(&self) -> Option<&str> {{"))?;
            w.line(&as_str(field))?;
            w.close()?;
        }
        w.close()?;
    }
    for e in &service.enums {
        let cfg = features(&gates, &e.name)?;
        open_enum(&mut w, e, &cfg, types::required_somewhere(service, &e.name))?;
    }
    Some(w.out)
}

/// The `feature = "…"` terms of the type `name`'s `#[cfg]` (as `TypeGates::cfg`): none
/// when it is always compiled; `None` when a group name needs escaping.
fn features(gates: &TypeGates, name: &str) -> Option<Vec<String>> {
    gates.groups(name).map_or(Some(Vec::new()), |groups| {
        groups
            .iter()
            .map(|g| lit(g).map(|g| format!("feature = {g}")))
            .collect()
    })
}

/// The `#[cfg]` before an item of a gated type: on one line when it fits, else broken as
/// prettyplease breaks an attribute's tokens (no trailing comma).
fn gate(w: &mut Writer, features: &[String]) -> Option<()> {
    let joined = features.join(", ");
    match features {
        [] => return Some(()),
        [one] => return w.line(&format!("#[cfg({one})]")),
        _ if w.line(&format!("#[cfg(any({joined}))]")).is_some() => return Some(()),
        _ => {}
    }
    // `any(…)` whole on a line of its own is a layout the repository's specs never show.
    if (w.depth + 1) * 4 + joined.len() + "any()".len() <= super::MARGIN {
        return None;
    }
    w.open("#[cfg(")?;
    w.open("any(")?;
    for (i, feature) in features.iter().enumerate() {
        let comma = if i + 1 == features.len() { "" } else { "," };
        w.line(&format!("{feature}{comma}"))?;
    }
    w.depth -= 1;
    w.line(")")?;
    w.depth -= 1;
    w.line(")]")
}

/// A structure (as `types::structure`), with its constructor, `Params` and `Debug` when it
/// is sent in requests and its `DecodeObject` when it is read from responses.
fn structure(
    w: &mut Writer,
    s: &ir::Struct,
    cfg: &[String],
    in_requests: bool,
    in_responses: bool,
) -> Option<()> {
    gate(w, cfg)?;
    w.doc(&docs::text(&s.description), false)?;
    w.line(if in_requests {
        "#[derive(Clone, PartialEq)]"
    } else {
        "#[derive(Debug, Clone, PartialEq)]"
    })?;
    let case = SerdeCase::for_fields(&s.fields);
    super::serde_attrs(w, case)?;
    w.line("#[non_exhaustive]")?;
    struct_body(w, &s.name, &s.fields, Some(case), None, |f| {
        let ty = rust_type(&f.ty);
        if f.required {
            ty
        } else {
            super::generic("Option", vec![ty])
        }
    })?;
    if in_requests {
        gate(w, cfg)?;
        constructor(w, &s.name, &s.fields)?;
        gate(w, cfg)?;
        params(w, &s.name, &s.fields)?;
        gate(w, cfg)?;
        debug(w, &s.name, &s.fields)?;
    }
    if in_responses {
        gate(w, cfg)?;
        decode(w, &s.name, &s.fields, false)?;
    }
    Some(())
}

/// `Option<&str>` view of a record's id or status field (as `lifecycle::as_str`).
fn as_str(f: &ir::Field) -> String {
    let name = &f.rust;
    match (&f.ty, f.required) {
        (ir::Type::String, false) => format!("self.{name}.as_deref()"),
        (_, false) => format!("self.{name}.as_ref().map(|v| v.as_str())"),
        (_, true) => format!("Some(self.{name}.as_str())"),
    }
}

/// An open enum and its impls (as `types::open_enum`); `empty` adds `rt::Empty`.
fn open_enum(w: &mut Writer, e: &ir::Enum, cfg: &[String], empty: bool) -> Option<()> {
    let name = &e.name;
    gate(w, cfg)?;
    w.doc(&types::enum_doc(e), false)?;
    w.line("#[derive(Debug, Clone, PartialEq, Eq, Hash)]")?;
    w.line("#[cfg_attr(feature = \"serde\", derive(serde::Serialize, serde::Deserialize))]")?;
    w.line("#[cfg_attr(feature = \"serde\", serde(into = \"String\", from = \"String\"))]")?;
    w.line("#[non_exhaustive]")?;
    w.open(&format!("pub enum {name} {{"))?;
    for v in &e.values {
        w.doc(&types::variant_doc(v), false)?;
        w.line(&format!("{},", v.variant))?;
    }
    w.doc(
        "A value this version of the crate does not know, kept as sent.",
        false,
    )?;
    w.line("Unknown(String),")?;
    w.close()?;
    gate(w, cfg)?;
    w.open(&format!("impl {name} {{"))?;
    w.doc("The value as sent on the wire.", false)?;
    w.line("#[inline]")?;
    w.open("pub fn as_str(&self) -> &str {")?;
    w.open("match self {")?;
    for v in &e.values {
        arm(w, &format!("Self::{}", v.variant), &lit(&v.wire)?)?;
    }
    w.line("Self::Unknown(value) => value,")?;
    w.close()?;
    w.close()?;
    w.close()?;
    gate(w, cfg)?;
    w.open_impl("From<&str>", name)?;
    w.line("#[inline]")?;
    w.open("fn from(value: &str) -> Self {")?;
    w.open("match value {")?;
    for v in &e.values {
        let spellings = std::iter::once(&v.wire)
            .chain(&v.aliases)
            .map(|s| lit(s))
            .collect::<Option<Vec<_>>>()?;
        arm(w, &spellings.join(" | "), &format!("Self::{}", v.variant))?;
    }
    w.line("other => Self::Unknown(other.to_owned()),")?;
    w.close()?;
    w.close()?;
    w.close()?;
    conversions(w, name, cfg, empty)
}

/// `pattern => value,` when it fits, else the value in a block, as prettyplease breaks an arm.
fn arm(w: &mut Writer, pattern: &str, value: &str) -> Option<()> {
    if w.line(&format!("{pattern} => {value},")).is_some() {
        return Some(());
    }
    w.open(&format!("{pattern} => {{"))?;
    w.line(value)?;
    w.close()
}

/// The fixed impls of an open enum after `From<&str>` (as the end of `types::open_enum`):
/// (trait, type, signature, body) each.
fn conversions(w: &mut Writer, name: &str, cfg: &[String], empty: bool) -> Option<()> {
    let from_enum = format!("From<{name}>");
    let from_signature = format!("fn from(value: {name}) -> Self {{");
    let mut items = vec![
        (
            "From<String>",
            name,
            "fn from(value: String) -> Self {",
            "Self::from(value.as_str())",
        ),
        (
            &from_enum,
            "String",
            &from_signature,
            "value.as_str().to_owned()",
        ),
        (
            "std::fmt::Display",
            name,
            "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {",
            "f.write_str(self.as_str())",
        ),
        (
            "rt::Decode",
            name,
            "fn decode(value: rt::Json, cx: &mut rt::Decoder) -> Result<Self, rt::Rejected> {",
            "<String as rt::Decode>::decode(value, cx).map(Self::from)",
        ),
    ];
    if empty {
        items.push((
            "rt::Empty",
            name,
            "fn empty() -> Self {",
            "Self::Unknown(String::new())",
        ));
    }
    items.push((
        "rt::Encode",
        name,
        "fn encode(&self, w: &mut rt::Writer) {",
        "w.string(self.as_str())",
    ));
    for (head, ty, signature, body) in items {
        gate(w, cfg)?;
        w.open_impl(head, ty)?;
        w.line("#[inline]")?;
        w.open(signature)?;
        w.line(body)?;
        w.close()?;
        w.close()?;
    }
    gate(w, cfg)?;
    w.line(&format!("impl rt::Checkable for {name} {{}}"))
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_text_is_tokens;
    use crate::emit::Job;

    #[test]
    fn the_text_of_the_types_module_is_what_prettyplease_prints_of_its_tokens() {
        assert_text_is_tokens(Job::Types, super::types_file);
    }
}
