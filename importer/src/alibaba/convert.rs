//! Metadata → spec facts, one action at a time.
//!
//! The converter keeps one type namespace for the whole import: nested
//! objects become named structures and enums, and a shape seen twice under
//! the same name is written once. Everything written is a fact (wire names,
//! types, flags, limits, defaults, examples, error rows); the prose the spec
//! requires is built from those facts, never taken from the vendor.

use std::collections::BTreeMap;

use truebind_codegen::names;

use super::fixups::{self, Log};
use super::meta::{Api, Parameter, Schema};
use crate::spec::{ActionFile, Enum, ErrorRow, Structure, Text};

/// Why an action cannot be written in today's spec format.
pub type Unsupported = String;

/// A named type of the import's namespace.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// An object.
    Structure(Structure),
    /// A string enum.
    Enum(Enum),
}

/// Which side of the wire a field is on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Side {
    /// A request parameter.
    Request,
    /// A response field.
    Response,
}

/// Converts actions of one metadata file, collecting shared types and fixups.
#[derive(Debug)]
pub struct Converter {
    product: String,
    version: String,
    /// Named types, by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Where fixups applied.
    pub log: Log,
}

impl Converter {
    /// A converter for `product` at API `version`.
    pub fn new(product: &str, version: &str) -> Self {
        Converter {
            product: product.to_owned(),
            version: version.to_owned(),
            types: BTreeMap::new(),
            log: Log::default(),
        }
    }

    /// The vendor's reference page of `action`.
    pub fn docs_url(&self, action: &str) -> String {
        format!(
            "https://api.alibabacloud.com/document/{}/{}/{action}",
            self.product, self.version
        )
    }

    /// The spec facts of one action.
    pub fn action(&mut self, name: &str, api: &Api) -> Result<ActionFile, Unsupported> {
        let kind = self.kind(name, api);
        let params = self.merge_duplicates(name, &api.parameters);
        // Checked before any type is made, so a rejected action leaves none behind.
        let placements = params
            .iter()
            .map(placement)
            .collect::<Result<Vec<_>, _>>()?;
        let mut input = Vec::new();
        for (p, (encoding, location)) in params.iter().zip(placements) {
            let mut field = self.field(name, p.name, p.schema, Side::Request, p.required)?;
            field.idempotency_token =
                kind == "write" && p.name == "ClientToken" && field.ty == "string";
            field.encoding = encoding.map(str::to_owned);
            field.location = location.map(str::to_owned);
            input.push(field);
        }
        let mut output = Vec::new();
        if let Some(schema) = api.responses.get("200").and_then(|r| r.schema.as_ref()) {
            for (wire, prop) in &schema.properties {
                output.push(self.field(name, wire, prop, Side::Response, false)?);
            }
        }
        Ok(ActionFile {
            name: name.to_owned(),
            summary: Text::Plain(format!(
                "Calls `{name}` ({} of {} {}); not curated yet.",
                api.system_tags
                    .operation_type
                    .as_deref()
                    .filter(|t| *t != "none")
                    .unwrap_or(&kind),
                self.product,
                self.version
            )),
            description: Some(Text::Plain(action_facts(api))),
            docs_url: self.docs_url(name),
            kind,
            group: None,
            input,
            output,
            async_note: None,
            paging: super::paging::detect(api),
            preconditions: Vec::new(),
            errors: self.errors(name, api),
            examples: Vec::new(),
            deprecated: api.deprecated.then(|| {
                "The vendor marks this action deprecated; its docs page names what replaces it."
                    .to_owned()
            }),
        })
    }

    fn kind(&mut self, name: &str, api: &Api) -> String {
        match api.system_tags.operation_type.as_deref() {
            Some("get" | "list") => "read".into(),
            Some("create" | "update" | "delete") => "write".into(),
            _ => {
                self.log.note(fixups::KIND_FROM_OPERATION_TYPE, name);
                let read = api.operation_type.as_deref() == Some("read");
                if read { "read" } else { "write" }.into()
            }
        }
    }

    /// Parameters with duplicates merged (first position kept).
    fn merge_duplicates<'a>(&mut self, action: &str, params: &'a [Parameter]) -> Vec<Merged<'a>> {
        let mut merged: Vec<Merged<'a>> = Vec::new();
        for p in params {
            match merged.iter_mut().find(|m| m.name == p.name) {
                Some(m) => {
                    self.log
                        .note(fixups::DUPLICATE_PARAMETER, format!("{action}.{}", p.name));
                    m.required |= p.schema.required == Some(true);
                }
                None => merged.push(Merged {
                    name: &p.name,
                    location: &p.location,
                    style: p.style.as_deref(),
                    schema: &p.schema,
                    required: p.schema.required == Some(true),
                }),
            }
        }
        merged
    }

    fn errors(&mut self, action: &str, api: &Api) -> Vec<ErrorRow> {
        let mut rows: Vec<ErrorRow> = Vec::new();
        for (status, codes) in &api.error_codes {
            let number: Option<u32> = status.parse().ok();
            let http = number
                .filter(|n| (100..600).contains(n))
                .and_then(|n| u16::try_from(n).ok());
            for code in codes {
                let variant = names::camel(&code.error_code);
                if let Some(kept) = rows
                    .iter_mut()
                    .find(|r| r.code != code.error_code && names::camel(&r.code) == variant)
                {
                    self.log.note(
                        fixups::ERROR_CODE_SPELLING,
                        format!("{action}: {}", code.error_code),
                    );
                    if let Text::Plain(d) = &mut kept.description {
                        d.push_str(&format!(
                            " The metadata also lists it spelled `{}`.",
                            code.error_code
                        ));
                    }
                    continue;
                }
                rows.push(ErrorRow {
                    http_status: http,
                    vendor_status: if http.is_none() { number } else { None },
                    code: code.error_code.clone(),
                    message: code.error_message.clone().filter(|m| !m.trim().is_empty()),
                    description: Text::Plain(format!(
                        "The service answers `{}` (status {status}).",
                        code.error_code
                    )),
                });
            }
        }
        rows
    }
}

/// A parameter after [`fixups::DUPLICATE_PARAMETER`].
struct Merged<'a> {
    name: &'a str,
    location: &'a str,
    style: Option<&'a str>,
    schema: &'a Schema,
    required: bool,
}

/// A parameter's `encoding` and `location` keys (none for the defaults: dotted keys
/// in the query); an `in` or `style` the spec has no key for is named in the error.
fn placement(p: &Merged<'_>) -> Result<(Option<&'static str>, Option<&'static str>), Unsupported> {
    let location = match p.location {
        "query" => None,
        "formData" => Some("form"),
        other => {
            return Err(format!(
                "parameter `{}` is sent `in: {other}`; the spec sends RPC parameters in the query or the form body",
                p.name
            ));
        }
    };
    let encoding = match p.style {
        None | Some("repeatList" | "flat") => None,
        Some("json") => Some("json"),
        Some("simple") => Some("comma-separated"),
        Some(style) => {
            return Err(format!(
                "parameter `{}` uses `style: {style}`, which the spec has no encoding for",
                p.name
            ));
        }
    };
    Ok((encoding, location))
}

/// The action's facts that have no key of their own, as our sentence.
fn action_facts(api: &Api) -> String {
    let mut facts = vec!["Imported from the vendor's API metadata; not curated yet.".to_owned()];
    if api.static_info.return_type.as_deref() == Some("asynchronous") {
        facts.push("The vendor marks it asynchronous: it returns before the work is done.".into());
    }
    facts.join(" ")
}
