//! Fields and types: metadata schemas → spec fields, structures and enums.
//!
//! Split from [`super::convert`] because type naming has its own rules: a
//! nested object is named after its wire name (list items after the singular),
//! an identical shape under that name is shared, and a different shape gets
//! the action's name in front, so names stay stable and readable.

use serde_json::Value;
use truebind_codegen::names;

use super::convert::{Converter, Side, TypeDef, Unsupported};
use super::fixups;
use super::meta::Schema;
use crate::spec::{Constraints, Enum, EnumValue, Field, Structure, Text};

impl Converter {
    /// One field; `required` is decided by the caller (merged duplicates, response side).
    pub(super) fn field(
        &mut self,
        action: &str,
        wire: &str,
        schema: &Schema,
        side: Side,
        required: bool,
    ) -> Result<Field, Unsupported> {
        let place = format!("{action}.{wire}");
        let ty = self.type_of(action, wire, schema, side)?;
        let doc_only = side == Side::Request && !required && schema.doc_required == Some(true);
        if doc_only {
            self.log.note(fixups::DOC_REQUIRED_NOT_ENFORCED, &place);
        }
        if wire.starts_with(|c: char| c.is_ascii_lowercase()) {
            self.log.note(fixups::LOWERCASE_WIRE_NAME, &place);
        }
        if schema.title.as_deref().is_some_and(has_cjk) {
            self.log.note(fixups::CHINESE_TITLE_IN_EN, &place);
        }
        let constraints = self.constraints(schema, &ty, &place);
        let default = self.value(&ty, schema.default.as_deref(), &place);
        let example = self.example(schema, &place);
        let example = self.value(&ty, example, &place);
        Ok(Field {
            description: Text::Plain(field_facts(
                wire,
                &ty,
                required,
                doc_only,
                schema.deprecated,
            )),
            name: wire.to_owned(),
            ty,
            required,
            constraints,
            default,
            unit: None,
            example,
            idempotency_token: false,
            lenient: false,
            encoding: None,
            location: None,
        })
    }

    fn type_of(
        &mut self,
        action: &str,
        wire: &str,
        schema: &Schema,
        side: Side,
    ) -> Result<String, Unsupported> {
        Ok(match (schema.ty.as_deref(), schema.format.as_deref()) {
            (Some("string"), _) => self.string_type(action, wire, schema),
            (Some("integer"), Some("int32")) => "integer".into(),
            (Some("integer"), _) => "long".into(),
            (Some("number"), _) => "float".into(),
            (Some("boolean"), _) => "boolean".into(),
            (Some("array"), _) => {
                let items = schema
                    .items
                    .as_deref()
                    .ok_or_else(|| format!("`{wire}` is an array without `items`"))?;
                format!(
                    "list<{}>",
                    self.type_of(action, &singular(wire), items, side)?
                )
            }
            (Some("object"), _) => self.structure(action, wire, schema, side)?,
            (other, _) => {
                return Err(format!(
                    "`{wire}` has type {other:?}, which the importer does not know"
                ));
            }
        })
    }

    fn string_type(&mut self, action: &str, wire: &str, schema: &Schema) -> String {
        match schema.enum_values.as_deref() {
            None => "string".into(),
            Some([]) => {
                self.log
                    .note(fixups::EMPTY_ENUM, format!("{action}.{wire}"));
                "string".into()
            }
            Some(values) => {
                let def = Enum {
                    name: String::new(),
                    description: Text::Plain(
                        "Values the vendor metadata lists for this field; not curated yet.".into(),
                    ),
                    values: values
                        .iter()
                        .map(|v| EnumValue { value: v.clone() })
                        .collect(),
                };
                self.intern(wire, action, TypeDef::Enum(def))
            }
        }
    }

    fn structure(
        &mut self,
        action: &str,
        wire: &str,
        schema: &Schema,
        side: Side,
    ) -> Result<String, Unsupported> {
        let mut fields = Vec::new();
        for (name, prop) in &schema.properties {
            let required = side == Side::Request && prop.required == Some(true);
            fields.push(self.field(action, name, prop, side, required)?);
        }
        let def = Structure {
            name: String::new(),
            description: Text::Plain(
                "An object as the vendor metadata lays it out; not curated yet.".into(),
            ),
            fields,
        };
        Ok(self.intern(wire, action, TypeDef::Structure(def)))
    }

    /// Names `def` after `wire` in UpperCamel (as the generator derives Rust names): that
    /// name if free or the same shape ([`same_shape`]), else `<Action><Name>[N]`.
    fn intern(&mut self, wire: &str, action: &str, mut def: TypeDef) -> String {
        let base = names::camel(wire);
        let mut n = 1usize;
        loop {
            let name = match n {
                1 => base.clone(),
                2 => names::camel(&format!("{action}{base}")),
                _ => names::camel(&format!("{action}{base}{n}")),
            };
            match &mut def {
                TypeDef::Structure(s) => s.name.clone_from(&name),
                TypeDef::Enum(e) => e.name.clone_from(&name),
            }
            match self.types.get(&name) {
                None => {
                    self.types.insert(name.clone(), def);
                    return name;
                }
                Some(existing) if same_shape(existing, &def) => return name,
                Some(_) => n += 1,
            }
        }
    }

    /// The example, trimmed ([`fixups::EXAMPLE_WHITESPACE`]).
    fn example<'s>(&mut self, schema: &'s Schema, place: &str) -> Option<&'s str> {
        let raw = schema.example.as_deref()?;
        let trimmed = raw.trim();
        if trimmed.len() != raw.len() {
            self.log.note(fixups::EXAMPLE_WHITESPACE, place);
        }
        Some(trimmed)
    }

    fn constraints(&mut self, schema: &Schema, ty: &str, place: &str) -> Constraints {
        let mut c = Constraints::default();
        if matches!(ty, "integer" | "long" | "float") {
            c.min = self.limit(schema.minimum.as_deref(), place);
            c.max = self.limit(schema.maximum.as_deref(), place);
        }
        if ty == "string" {
            c.min_length = schema.min_length;
            c.max_length = schema.max_length;
        }
        if ty.starts_with("list<") {
            c.min_items = schema.min_items;
            c.max_items = schema.max_items;
        }
        c
    }

    fn limit(&mut self, text: Option<&str>, place: &str) -> Option<i64> {
        let text = text?;
        let parsed = text.trim().parse().ok();
        if parsed.is_none() {
            self.log.note(
                fixups::VALUE_NOT_OF_TYPE,
                format!("{place} (limit {text:?})"),
            );
        }
        parsed
    }

    /// A metadata string as a JSON value of `ty`; lists and objects get none.
    fn value(&mut self, ty: &str, text: Option<&str>, place: &str) -> Option<Value> {
        let text = text?;
        let value = match ty {
            "integer" | "long" => text.trim().parse::<i64>().ok().map(Value::from),
            "float" => text.trim().parse::<f64>().ok().map(Value::from),
            "boolean" => text.trim().parse::<bool>().ok().map(Value::from),
            "string" => Some(Value::from(text)),
            _ if matches!(self.types.get(ty), Some(TypeDef::Enum(_))) => Some(Value::from(text)),
            _ => return None,
        };
        if value.is_none() {
            self.log
                .note(fixups::VALUE_NOT_OF_TYPE, format!("{place} ({text:?})"));
        }
        value
    }
}

/// Equal but for examples: one shape seen in several actions with different
/// sample values is one type (the first action's examples are kept).
fn same_shape(a: &TypeDef, b: &TypeDef) -> bool {
    match (a, b) {
        (TypeDef::Structure(a), TypeDef::Structure(b)) => {
            let without = |f: &Field| Field {
                example: None,
                ..f.clone()
            };
            a.name == b.name
                && a.description == b.description
                && a.fields.len() == b.fields.len()
                && a.fields
                    .iter()
                    .zip(&b.fields)
                    .all(|(x, y)| without(x) == without(y))
        }
        _ => a == b,
    }
}

/// Our sentence for a field, from its facts.
fn field_facts(wire: &str, ty: &str, required: bool, doc_only: bool, deprecated: bool) -> String {
    // Optional and response fields read alike, so one shape on both sides is one type.
    let mut s = if required {
        format!("`{wire}`: `{ty}`, required.")
    } else {
        format!("`{wire}`: `{ty}`.")
    };
    if doc_only {
        s.push_str(" The vendor's docs page calls it required; its API metadata does not.");
    }
    if deprecated {
        s.push_str(" The vendor marks it deprecated.");
    }
    s
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The name of one item of a list called `wire` (`Tags` → `Tag`, `Entries` → `Entry`).
fn singular(wire: &str) -> String {
    for (plural, single) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
    ] {
        if let Some(stem) = wire.strip_suffix(plural) {
            return format!("{stem}{single}");
        }
    }
    match wire.strip_suffix('s') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('s') => stem.to_owned(),
        _ => wire.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_are_named_after_the_singular() {
        assert_eq!(singular("Tags"), "Tag");
        assert_eq!(singular("Entries"), "Entry");
        assert_eq!(singular("Addresses"), "Address");
        assert_eq!(singular("Filter"), "Filter");
    }
}
