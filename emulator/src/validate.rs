//! Checks a request's parameters against the action's input in the spec.
//!
//! The vendor refuses a request with a missing, mistyped or out-of-range
//! parameter before doing anything; a client tested against a server that
//! accepts anything would meet those refusals only in production. This module
//! says *what* is wrong (a [`Problem`]); each protocol module turns it into the
//! vendor's code and envelope.

use serde_json::{Map, Value};
use truebind_codegen::ir::{Constraints, Field, Service, Type};

/// What kind of problem a parameter has; each vendor has a code per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A required parameter is absent.
    Missing,
    /// The value is not of the parameter's type.
    Type,
    /// A number above its maximum.
    AboveMaximum,
    /// A number below its minimum.
    BelowMinimum,
    /// Text or a list longer than allowed.
    TooLong,
    /// Text or a list shorter than allowed.
    TooShort,
    /// Text that does not match the pattern.
    Pattern,
    /// Any other invalid value (an unknown enum value, non-ASCII, a repeat).
    Value,
    /// The emulator's IR broke a promise of validation (a type handle that
    /// leads nowhere): a 500, as the request may be fine.
    Internal,
}

/// The first problem found, with the parameter's dotted path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub kind: Kind,
    pub param: String,
    pub detail: String,
}

impl Problem {
    pub(crate) fn new(kind: Kind, param: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind,
            param: param.to_string(),
            detail: detail.into(),
        }
    }

    /// One line for the error message.
    pub(crate) fn message(&self) -> String {
        format!("parameter {}: {}", self.param, self.detail)
    }

    /// The [`Kind::Internal`] problem of a value at `path` whose type `name`
    /// (a structure or enum handle) leads to no item of the IR.
    pub(crate) fn unresolved(path: &str, kind: &str, name: &str) -> Problem {
        let detail = format!("its type `{name}` is no {kind} of the emulator's IR");
        Problem::new(Kind::Internal, path, detail)
    }
}

/// Checks `params` against `fields`; fields not in the spec are ignored, as
/// the vendors do.
pub(crate) fn check(
    service: &Service,
    fields: &[Field],
    params: &Map<String, Value>,
    prefix: &str,
) -> Result<(), Problem> {
    for field in fields {
        let path = if prefix.is_empty() {
            field.wire.clone()
        } else {
            format!("{prefix}.{}", field.wire)
        };
        match params.get(&field.wire) {
            None | Some(Value::Null) if field.required => {
                return Err(Problem::new(Kind::Missing, &path, "is required"));
            }
            None | Some(Value::Null) => {}
            Some(value) => check_value(service, &path, &field.ty, &field.constraints, value)?,
        }
    }
    Ok(())
}

fn check_value(
    service: &Service,
    path: &str,
    ty: &Type,
    limits: &Constraints,
    value: &Value,
) -> Result<(), Problem> {
    let wrong = |expected: &str| {
        Problem::new(
            Kind::Type,
            path,
            format!("expected {expected}, got {value}"),
        )
    };
    match ty {
        Type::String => {
            let text = value.as_str().ok_or_else(|| wrong("text"))?;
            check_text(path, limits, text)
        }
        Type::Integer | Type::Long => {
            let n = value.as_i64().ok_or_else(|| wrong("an integer"))?;
            if *ty == Type::Integer && i32::try_from(n).is_err() {
                return Err(wrong("a 32-bit integer"));
            }
            check_number(path, limits, n as f64)
        }
        Type::Float => {
            let n = value.as_f64().ok_or_else(|| wrong("a number"))?;
            check_number(path, limits, n)
        }
        Type::Boolean => value
            .as_bool()
            .map(|_| ())
            .ok_or_else(|| wrong("true or false")),
        Type::List(item) => {
            let items = value.as_array().ok_or_else(|| wrong("a list"))?;
            check_items(path, limits, items)?;
            for (i, v) in items.iter().enumerate() {
                check_value(
                    service,
                    &format!("{path}.{}", i + 1),
                    item,
                    &item_limits(limits),
                    v,
                )?;
            }
            Ok(())
        }
        Type::Map(item) => {
            let entries = value.as_object().ok_or_else(|| wrong("an object"))?;
            for (k, v) in entries {
                check_value(
                    service,
                    &format!("{path}.{k}"),
                    item,
                    &item_limits(limits),
                    v,
                )?;
            }
            Ok(())
        }
        Type::Struct(id) => {
            let object = value.as_object().ok_or_else(|| wrong("an object"))?;
            let s = (service.struct_of(id))
                .ok_or_else(|| Problem::unresolved(path, "structure", id))?;
            check(service, &s.fields, object, path)
        }
        Type::Enum(name) => {
            let text = value.as_str().ok_or_else(|| wrong("text"))?;
            let e =
                (service.enum_of(name)).ok_or_else(|| Problem::unresolved(path, "enum", name))?;
            let known =
                (e.values.iter()).any(|v| v.wire == text || v.aliases.iter().any(|a| a == text));
            if known {
                Ok(())
            } else {
                Err(Problem::new(
                    Kind::Value,
                    path,
                    format!("{text:?} is not a value of {name}"),
                ))
            }
        }
    }
}

/// The limits that apply to each item of a list or map: all but the list's own.
fn item_limits(limits: &Constraints) -> Constraints {
    Constraints {
        min_items: None,
        max_items: None,
        unique_by: None,
        ..limits.clone()
    }
}

fn check_text(path: &str, limits: &Constraints, text: &str) -> Result<(), Problem> {
    let chars = text.chars().count() as u64;
    if let Some(max) = limits.max_length
        && chars > max
    {
        return Err(Problem::new(
            Kind::TooLong,
            path,
            format!("longer than {max} characters"),
        ));
    }
    if let Some(min) = limits.min_length
        && chars < min
    {
        return Err(Problem::new(
            Kind::TooShort,
            path,
            format!("shorter than {min} characters"),
        ));
    }
    if limits.ascii && !text.is_ascii() {
        return Err(Problem::new(Kind::Value, path, "must be ASCII"));
    }
    if let Some(pattern) = &limits.pattern {
        let whole = format!("^(?:{pattern})$");
        let matches = regex_lite::Regex::new(&whole).is_ok_and(|re| re.is_match(text));
        if !matches {
            return Err(Problem::new(
                Kind::Pattern,
                path,
                format!("does not match {pattern}"),
            ));
        }
    }
    Ok(())
}

fn check_number(path: &str, limits: &Constraints, n: f64) -> Result<(), Problem> {
    if let Some(max) = limits.max
        && n > max as f64
    {
        return Err(Problem::new(
            Kind::AboveMaximum,
            path,
            format!("above the maximum {max}"),
        ));
    }
    if let Some(min) = limits.min
        && n < min as f64
    {
        return Err(Problem::new(
            Kind::BelowMinimum,
            path,
            format!("below the minimum {min}"),
        ));
    }
    Ok(())
}

fn check_items(path: &str, limits: &Constraints, items: &[Value]) -> Result<(), Problem> {
    let count = items.len() as u64;
    if let Some(max) = limits.max_items
        && count > max
    {
        return Err(Problem::new(
            Kind::TooLong,
            path,
            format!("more than {max} items"),
        ));
    }
    if let Some(min) = limits.min_items
        && count < min
    {
        return Err(Problem::new(
            Kind::TooShort,
            path,
            format!("fewer than {min} items"),
        ));
    }
    if let Some(key) = &limits.unique_by {
        let mut seen = Vec::new();
        for item in items {
            if let Some(v) = item.get(&key.wire) {
                if seen.contains(&v) {
                    return Err(Problem::new(
                        Kind::Value,
                        path,
                        format!("{} {v} repeats", key.wire),
                    ));
                }
                seen.push(v);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The kitchen-sink fixture spec, validated.
    pub(crate) fn kitchen_sink() -> Service {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/spec/kitchen-sink"
        );
        let loaded =
            truebind_codegen::load::load_service(std::path::Path::new(dir)).expect("loads");
        truebind_codegen::validate::validate(&loaded).expect("valid")
    }

    /// The fields of its structure `Widget` (nested `Part`s, enum `Colour`).
    pub(crate) fn widget_fields(service: &Service) -> Vec<Field> {
        let widget = service.structs.iter().find(|s| s.name == "Widget");
        widget.expect("Widget").fields.clone()
    }

    fn params(value: Value) -> Map<String, Value> {
        value.as_object().expect("an object").clone()
    }

    #[test]
    fn a_type_handle_leading_nowhere_is_an_internal_problem_not_an_unchecked_value() {
        let mut service = kitchen_sink();
        let fields = widget_fields(&service);
        let parts =
            params(serde_json::json!({ "type": "t", "Parts": [{ "Key": "a", "Shade": "RED" }] }));
        let colour = params(serde_json::json!({ "type": "t", "Colour": "no such colour" }));
        assert_eq!(
            check(&service, &fields, &colour, "").unwrap_err().kind,
            Kind::Value
        );
        service.structs.retain(|s| s.name != "Part");
        service.enums.clear();
        for (params, path, missing) in [
            (parts, "Parts.1", "`Part` is no structure"),
            (colour, "Colour", "`Colour` is no enum"),
        ] {
            let problem = check(&service, &fields, &params, "").unwrap_err();
            assert_eq!(problem.kind, Kind::Internal, "{problem:?}");
            assert!(problem.message().contains(path), "{problem:?}");
            assert!(problem.detail.contains(missing), "{problem:?}");
        }
    }
}
