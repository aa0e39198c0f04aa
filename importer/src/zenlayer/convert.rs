//! Merged page facts → spec files: fields, named structures, error rows.
//!
//! Type cells name primitives (`String`, `Integer`, `Array of String`) or
//! link to a data structure (`CreateEndpointParam`). A linked structure is
//! one named type for the whole import; its fields come from the
//! data-structure page when that page is given, and a structure no given
//! page defines is written without fields and named in the report. Prose
//! facts (limits, defaults, units) are read from every rendering's
//! description cell, English first. Our sentences describe the facts; the
//! vendor's never reach a file.

use std::collections::BTreeMap;

use serde_json::Value;
use truebind_codegen::names;

use super::merge::{Action, Param};
use super::page::Section;
use super::prose;
use super::tables::{Cell, ParamRow};
use crate::spec::{ActionFile, Constraints, Enum, EnumValue, ErrorRow, Field, Structure, Text};

/// Which side of the wire a field is on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    /// A request parameter.
    Request,
    /// A response field.
    Response,
}

/// Converts merged actions, collecting the structures they name.
#[derive(Debug, Default)]
pub struct Converter {
    /// Structures by name; `defined` tells which a data-structure page filled.
    pub structures: BTreeMap<String, Structure>,
    /// Structures a data-structure page defined.
    pub defined: Vec<String>,
    /// Who first named each structure, for the report.
    pub named_by: BTreeMap<String, String>,
    /// Facts left out, one line each (`Action: …`).
    pub dropped: Vec<String>,
    /// String enums built from listed values, by name.
    pub enums: BTreeMap<String, Enum>,
}

/// The spec type of a primitive type cell.
fn primitive(text: &str) -> Option<&'static str> {
    Some(match text.trim().to_lowercase().as_str() {
        "string" | "timestamp" | "date" | "datetime" => "string",
        "integer" | "int" | "int32" => "integer",
        "long" | "int64" => "long",
        "float" | "double" | "number" | "decimal" => "float",
        "boolean" | "bool" => "boolean",
        _ => return None,
    })
}

impl Converter {
    /// Adds the structures of a data-structure page.
    pub fn define(&mut self, name: &str, rows: Vec<ParamRow>) {
        if !self.defined.iter().any(|d| d == name) {
            self.defined.push(name.to_owned());
        }
        if lists_values(&rows) {
            let values = rows
                .into_iter()
                .map(|r| EnumValue { value: r.name })
                .collect();
            self.enums.insert(
                name.to_owned(),
                Enum {
                    name: name.to_owned(),
                    description: Text::Plain(format!(
                        "Enum `{name}` of the vendor's data-type page; not curated yet."
                    )),
                    values,
                },
            );
            return;
        }
        let fields: Vec<Field> = rows
            .into_iter()
            .filter_map(|row| {
                let param = Param {
                    name: row.name,
                    required: None,
                    ty: row.ty,
                    descriptions: vec![row.description],
                };
                self.field(name, &param, Side::Response, &serde_json::Map::new())
            })
            .collect();
        self.structures.insert(
            name.to_owned(),
            Structure {
                name: name.to_owned(),
                description: Text::Plain(format!(
                    "Structure `{name}` of the vendor's data-type page; not curated yet."
                )),
                fields,
            },
        );
    }

    /// The spec facts of one merged action.
    pub fn action(&mut self, a: &Action) -> ActionFile {
        let kind = kind(&a.name);
        let members = a.example.request_members().unwrap_or_default();
        let mut input = Vec::new();
        for p in &a.input {
            if let Some(mut f) = self.field(&a.name, p, Side::Request, &members) {
                f.idempotency_token =
                    kind == "write" && p.name == "clientToken" && f.ty == "string";
                input.push(f);
            }
        }
        let mut output: Vec<Field> = a
            .output
            .iter()
            .filter_map(|p| self.field(&a.name, p, Side::Response, &serde_json::Map::new()))
            .collect();
        if !output.iter().any(|f| f.name == REQUEST_ID) {
            // Every response carries it (the common response structure); a cut page just lost the row.
            self.dropped.push(format!(
                "{}: `{REQUEST_ID}` is on no rendering's output table; added, as every response has it",
                a.name
            ));
            output.insert(0, request_id());
        }
        let mut facts = vec!["Imported from the vendor's docs page; not curated yet.".to_owned()];
        if a.notes.asynchronous {
            facts
                .push("The page marks it asynchronous: it returns before the work is done.".into());
        }
        facts.extend(cut_note(a));
        ActionFile {
            name: a.name.clone(),
            group: None,
            summary: Text::Plain(format!(
                "Calls `{}` ({kind}, Zenlayer SDN); not curated yet.",
                a.name
            )),
            description: Some(Text::Plain(facts.join(" "))),
            docs_url: a.url.clone().unwrap_or_else(|| {
                self.dropped.push(format!(
                    "{}: no rendering names its URL; docs_url is the SDN reference root",
                    a.name
                ));
                DOCS_ROOT.to_owned()
            }),
            kind: kind.to_owned(),
            input,
            output,
            async_note: None,
            paging: None,
            preconditions: Vec::new(),
            errors: errors(a),
            examples: Vec::new(),
            deprecated: None,
        }
    }

    /// One field, or `None` (recorded in `dropped`) when no rendering gives its type.
    fn field(
        &mut self,
        owner: &str,
        p: &Param,
        side: Side,
        examples: &serde_json::Map<String, Value>,
    ) -> Option<Field> {
        let Some(ty) = p.ty.as_ref().and_then(|c| self.type_of(owner, c)) else {
            self.dropped.push(format!(
                "{owner}: `{}` left out: no rendering gives a type the importer knows{}",
                p.name,
                p.ty.as_ref()
                    .map_or(String::new(), |c| format!(" (`{}`)", c.text))
            ));
            return None;
        };
        let required = side == Side::Request && p.required == Some(true);
        if side == Side::Request && p.required.is_none() {
            self.dropped.push(format!(
                "{owner}: `{}`: no rendering gives its Required flag; imported as optional",
                p.name
            ));
        }
        let mut field = Field {
            encoding: None,
            location: None,
            description: Text::Plain(String::new()),
            name: p.name.clone(),
            required,
            constraints: Constraints::default(),
            default: None,
            unit: None,
            example: examples.get(&p.name).filter(|v| fits(&ty, v)).cloned(),
            idempotency_token: false,
            lenient: false,
            ty,
        };
        for d in &p.descriptions {
            apply_prose(&mut field, d);
        }
        if field.ty == "string"
            && let Some(values) = p
                .descriptions
                .iter()
                .map(|d| prose::enum_values(d))
                .find(|v| v.len() > 1)
        {
            // A default the page states stays only when it is one of the values.
            if field
                .default
                .as_ref()
                .and_then(Value::as_str)
                .is_none_or(|d| !values.iter().any(|v| v == d))
            {
                field.default = None;
            }
            field.ty = self.enum_named(owner, &p.name, values);
        }
        field.description = Text::Plain(if required {
            format!("`{}`: `{}`, required.", p.name, field.ty)
        } else {
            format!("`{}`: `{}`.", p.name, field.ty)
        });
        Some(field)
    }

    /// The spec type of a type cell; structures are registered as they are named.
    fn type_of(&mut self, owner: &str, cell: &Cell) -> Option<String> {
        let text = cell.text.trim();
        let item = ["Array of ", "Array Of ", "array of ", "List of "]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .or_else(|| text.strip_suffix("[]"));
        if let Some(item) = item {
            let inner = Cell {
                text: item.trim().to_owned(),
                link: cell.link.clone(),
            };
            return self.type_of(owner, &inner).map(|t| format!("list<{t}>"));
        }
        if let Some(p) = primitive(text) {
            return Some(p.to_owned());
        }
        let name = names::camel(text);
        if text.is_empty() || !text.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let first = !self.named_by.contains_key(&name);
        let anchor = cell
            .link
            .as_deref()
            .and_then(|l| l.rsplit_once('#'))
            .map(|(_, a)| a);
        if let Some(anchor) = anchor.filter(|a| !a.eq_ignore_ascii_case(&name) && first) {
            self.dropped.push(format!(
                "{owner}: type `{name}` links to `#{anchor}` on the data-type page; the link text is kept as the name"
            ));
        }
        self.named_by
            .entry(name.clone())
            .or_insert_with(|| owner.to_owned());
        let defined = self.defined.contains(&name);
        if defined && self.enums.contains_key(&name) {
            return Some(name);
        }
        if !defined && (name.ends_with("Status") || name.ends_with("Type")) {
            // The data-type page defines these as value lists; as a structure without
            // fields the value would be lost on reading, as text it is kept.
            if first {
                self.dropped.push(format!(
                    "{owner}: type `{name}` is on no given page and its name says enum: imported as `string`"
                ));
            }
            return Some("string".into());
        }
        self.structures.entry(name.clone()).or_insert_with(|| Structure {
            name: name.clone(),
            description: Text::Plain(format!(
                "Structure `{name}`: its fields are on the vendor's data-type page, which this import did not read."
            )),
            fields: Vec::new(),
        });
        Some(name)
    }

    /// The enum of `values` for field `wire`: named after the field, shared when the
    /// values are the same, `<Owner><Name>` when another one has the name.
    fn enum_named(&mut self, owner: &str, wire: &str, values: Vec<String>) -> String {
        let values: Vec<EnumValue> = values
            .into_iter()
            .map(|value| EnumValue { value })
            .collect();
        let plain = names::camel(wire);
        let mut name = plain.clone();
        let taken = |n: &str, c: &Self| {
            c.structures.contains_key(n) || c.enums.get(n).is_some_and(|e| e.values != values)
        };
        if taken(&name, self) {
            name = format!("{}{plain}", names::camel(owner));
        }
        self.enums.entry(name.clone()).or_insert_with(|| Enum {
            name: name.clone(),
            description: Text::Plain(format!("Values the vendor's page lists for `{wire}`.")),
            values,
        });
        name
    }

    /// Structures named but defined by no given page, with who named them.
    pub fn undefined(&self) -> Vec<String> {
        self.structures
            .keys()
            .filter(|n| !self.defined.contains(n))
            .map(|n| {
                format!(
                    "structure `{n}` (named by {}) has no fields: give its data-type page",
                    self.named_by.get(n).map_or("?", String::as_str)
                )
            })
            .collect()
    }
}

/// The root of Zenlayer's SDN API reference.
pub const DOCS_ROOT: &str = "https://docs.console.zenlayer.com/api-reference/networking/sdn";

/// The request-id field of every Zenlayer response.
pub const REQUEST_ID: &str = "requestId";

/// A sentence naming the sections no rendering of `a` has whole, so the docs say what
/// may be missing instead of passing a cut page off as complete.
pub fn cut_note(a: &Action) -> Option<String> {
    let cut: Vec<&str> = [Section::Input, Section::Output, Section::Errors]
        .into_iter()
        .filter(|s| !a.pages.iter().any(|p| p.section_complete(*s)))
        .map(Section::label)
        .collect();
    (!cut.is_empty()).then(|| {
        format!(
            "The stored page is cut before the end of its {}: parameters, their required flags \
             or error codes may be missing here.",
            cut.join(", ")
        )
    })
}

fn request_id() -> Field {
    Field {
        encoding: None,
        location: None,
        name: REQUEST_ID.into(),
        ty: "string".into(),
        required: false,
        description: Text::Plain(format!("`{REQUEST_ID}`: `string`.")),
        constraints: Constraints::default(),
        default: None,
        unit: None,
        example: None,
        idempotency_token: false,
        lenient: false,
    }
}

/// Whether a data-type section lists the values of an enum: its table has no type
/// column, and its rows are no field names (`CREATING`, not `portId`).
pub fn lists_values(rows: &[ParamRow]) -> bool {
    !rows.is_empty()
        && rows
            .iter()
            .all(|r| r.ty.is_none() && !r.name.starts_with(|c: char| c.is_ascii_lowercase()))
}

/// `read` for actions that only look things up, `write` for the rest.
pub fn kind(action: &str) -> &'static str {
    let read = ["Describe", "Query", "Inquiry", "List", "Get"]
        .iter()
        .any(|p| action.starts_with(p));
    if read { "read" } else { "write" }
}

/// Adds the limits, default and unit one description cell states (first statement wins).
fn apply_prose(f: &mut Field, text: &str) {
    let string = f.ty == "string";
    let number = matches!(f.ty.as_str(), "integer" | "long" | "float");
    let facts = prose::cell_facts(text, string);
    let c = &mut f.constraints;
    let (min, max) = facts.range;
    // A range written backwards is no limit the page can be trusted on.
    let ordered = min.zip(max).is_none_or(|(lo, hi)| lo <= hi);
    let unset =
        c.min.is_none() && c.max.is_none() && c.min_length.is_none() && c.max_length.is_none();
    if ordered && unset && string && facts.length {
        c.min_length = min.and_then(|m| u64::try_from(m).ok());
        c.max_length = max.and_then(|m| u64::try_from(m).ok());
    } else if ordered && unset && number && !facts.length {
        let fits_i32 = |v: &i64| f.ty != "integer" || i32::try_from(*v).is_ok();
        c.min = min.filter(fits_i32);
        c.max = max.filter(fits_i32);
    }
    if f.default.is_none() {
        f.default = facts.default.and_then(|d| typed(&f.ty, &d));
    }
    if f.unit.is_none() {
        f.unit = facts.unit;
    }
}

/// A default written in prose as a value of `ty`, when it is one.
fn typed(ty: &str, text: &str) -> Option<Value> {
    let t = text.trim().trim_matches('`');
    let token = t.split_whitespace().next().unwrap_or(t);
    let t = if ty == "string" { t } else { token };
    match ty {
        "string" => Some(Value::String(t.to_owned())),
        "integer" | "long" => t.parse::<i64>().ok().map(Value::from),
        "float" => t.parse::<f64>().ok().map(Value::from),
        "boolean" => t.parse::<bool>().ok().map(Value::from),
        _ => None,
    }
}

/// Whether an example value is a value of `ty` (only scalars are kept).
fn fits(ty: &str, v: &Value) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "long" => v.is_i64(),
        "float" => v.is_number(),
        "boolean" => v.is_boolean(),
        _ => false,
    }
}

/// The error rows: HTTP statuses as such, the vendor's own numbers (7105) as `vendor_status`.
fn errors(a: &Action) -> Vec<ErrorRow> {
    let mut rows: Vec<ErrorRow> = Vec::new();
    for e in &a.errors {
        if rows.iter().any(|r| r.code == e.code) {
            continue;
        }
        let http = u16::try_from(e.status)
            .ok()
            .filter(|s| (100..600).contains(s));
        rows.push(ErrorRow {
            http_status: http,
            vendor_status: if http.is_none() { Some(e.status) } else { None },
            code: e.code.clone(),
            message: None,
            description: Text::Plain(format!(
                "The service answers `{}` (status {}).",
                e.code, e.status
            )),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ty: &str) -> Field {
        Field {
            ty: ty.into(),
            ..request_id()
        }
    }

    #[test]
    fn an_undefined_status_is_text_and_an_undefined_structure_is_named() {
        let mut conv = Converter::default();
        let cell = |t: &str| Cell {
            text: t.into(),
            link: Some("#x".into()),
        };
        assert_eq!(
            conv.type_of("A", &cell("PortStatus")).as_deref(),
            Some("string")
        );
        assert_eq!(
            conv.type_of("A", &cell("Array of TagInfo")).as_deref(),
            Some("list<TagInfo>")
        );
        assert!(
            conv.structures.contains_key("TagInfo") && !conv.structures.contains_key("PortStatus")
        );
        let other = Cell {
            text: "CreateEndpointInfoParam".into(),
            link: Some("/pages/x#createendpointparam".into()),
        };
        assert_eq!(
            conv.type_of("C", &other).as_deref(),
            Some("CreateEndpointInfoParam")
        );
        assert!(
            conv.dropped
                .iter()
                .any(|d| d.contains("links to `#createendpointparam`"))
        );
        conv.define("PortStatus", Vec::new());
        assert_eq!(
            conv.type_of("B", &cell("PortStatus")).as_deref(),
            Some("PortStatus")
        );
    }

    #[test]
    fn a_backward_range_sets_no_limit() {
        let mut f = field("integer");
        apply_prose(&mut f, "ranging from 500 to 1");
        assert_eq!(f.constraints, Constraints::default());
        apply_prose(&mut f, "ranging from 1 to 500");
        assert_eq!((f.constraints.min, f.constraints.max), (Some(1), Some(500)));
    }
}
