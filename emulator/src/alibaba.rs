//! Alibaba's side of the wire: RPC parameters (query, or a form body), their
//! dotted flattening, and the envelopes and codes of its answers
//! (alibaba-vpc.md §1.3, §1.4, §3).
//!
//! Parameters arrive flat (`Filter.1.Key`, `Filter.1.Value.2`) and as text;
//! `unflatten` rebuilds the JSON shape the spec describes, reading numbers
//! and booleans from their text, so one validator serves both vendors.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::{Map, Number, Value, json};
use truebind_codegen::ir::{Field, Service, Type};

use crate::server::Answer;
use crate::validate::{Kind, Problem};

/// Throttling (HTTP 400, alibaba-vpc.md §3.3).
pub const THROTTLED: &str = "Throttling.User";
/// A 500.
pub const INTERNAL_ERROR: &str = "InternalError";
/// Any other 5xx.
pub const UNAVAILABLE: &str = "ServiceUnavailable";
/// An action the spec does not have (HTTP 404).
pub const UNKNOWN_ACTION: &str = "InvalidAction.NotFound";
/// A `Version` other than the spec's.
pub const BAD_VERSION: &str = "InvalidVersion";
/// A state precondition failed and the action documents no code for it.
pub const STATE_CODE: &str = "Forbidden.NotAllowedInState";
/// Too many resources for the emulator to keep.
pub const QUOTA_EXCEEDED: &str = "QuotaExceeded";

/// The vendor's code for a parameter problem.
pub(crate) fn problem_code(kind: Kind) -> &'static str {
    match kind {
        Kind::Missing => "MissingParameter",
        Kind::Internal => INTERNAL_ERROR,
        _ => "InvalidParameter",
    }
}

/// The code for a resource id that does not exist when the action documents
/// none: `Invalid<IdField>.NotFound`, as the vendor spells its own.
pub(crate) fn not_found_code(id_wire: &str) -> String {
    format!("Invalid{id_wire}.NotFound")
}

/// The `n`-th request id: an upper-case UUID, as the vendor's.
pub(crate) fn request_id(n: u64) -> String {
    format!("{:08X}-E3A1-4000-8000-{n:012X}", 0x7275_6e64u32)
}

/// The success body: `fields` with the request id.
pub(crate) fn ok(
    request_id_field: &str,
    request_id: &str,
    mut fields: Map<String, Value>,
) -> Answer {
    fields.insert(request_id_field.into(), json!(request_id));
    Answer::new(200, Value::Object(fields), None)
}

/// The error body.
pub(crate) fn error(status: u16, code: &str, message: &str, request_id: &str) -> Answer {
    Answer::new(
        status,
        json!({
            "RequestId": request_id,
            "HostId": "127.0.0.1",
            "Code": code,
            "Message": message,
        }),
        Some(code),
    )
}

/// Rebuilds the action's parameters from the flat `(name, value)` pairs;
/// names the spec does not know (the common parameters among them) are left out.
pub(crate) fn unflatten(
    service: &Service,
    fields: &[Field],
    flat: &[(String, String)],
) -> Result<Map<String, Value>, Problem> {
    let flat: BTreeMap<&str, &str> = flat.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut params = Map::new();
    for field in fields {
        if let Some(value) = take(service, &flat, &field.wire, &field.ty)? {
            params.insert(field.wire.clone(), value);
        }
    }
    Ok(params)
}

/// The names in `flat` under `prefix.` (sorted), with what follows the dot.
fn under<'a>(flat: &'a BTreeMap<&str, &str>, prefix: &str) -> Vec<(&'a str, &'a str)> {
    let start = format!("{prefix}.");
    let len = start.len();
    flat.range::<str, _>((Bound::Included(start.as_str()), Bound::Unbounded))
        .take_while(|(k, _)| k.starts_with(&start))
        .map(|(k, v)| {
            let k: &'a str = k;
            (&k[len..], *v)
        })
        .collect()
}

fn take(
    service: &Service,
    flat: &BTreeMap<&str, &str>,
    prefix: &str,
    ty: &Type,
) -> Result<Option<Value>, Problem> {
    match ty {
        Type::List(item) => take_list(service, flat, prefix, item),
        Type::Map(item) => {
            let mut map = Map::new();
            for (rest, _) in under(flat, prefix) {
                let key = rest.split('.').next().unwrap_or(rest);
                if !map.contains_key(key)
                    && let Some(v) = take(service, flat, &format!("{prefix}.{key}"), item)?
                {
                    map.insert(key.to_string(), v);
                }
            }
            Ok((!map.is_empty()).then_some(Value::Object(map)))
        }
        Type::Struct(id) => {
            let structure = (service.struct_of(id))
                .ok_or_else(|| Problem::unresolved(prefix, "structure", id))?;
            let mut object = Map::new();
            for field in &structure.fields {
                if let Some(v) = take(
                    service,
                    flat,
                    &format!("{prefix}.{}", field.wire),
                    &field.ty,
                )? {
                    object.insert(field.wire.clone(), v);
                }
            }
            Ok((!object.is_empty()).then_some(Value::Object(object)))
        }
        scalar => Ok(flat.get(prefix).map(|text| read_scalar(scalar, text))),
    }
}

fn take_list(
    service: &Service,
    flat: &BTreeMap<&str, &str>,
    prefix: &str,
    item: &Type,
) -> Result<Option<Value>, Problem> {
    let mut numbers = Vec::new();
    for (rest, _) in under(flat, prefix) {
        let segment = rest.split('.').next().unwrap_or(rest);
        let n: usize = segment.parse().map_err(|_| {
            Problem::new(
                Kind::Type,
                prefix,
                format!("{prefix}.{segment} is not a numbered list item"),
            )
        })?;
        if numbers.last() != Some(&n) {
            numbers.push(n);
        }
    }
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.is_empty() {
        return Ok(None);
    }
    if numbers.iter().enumerate().any(|(i, n)| *n != i + 1) {
        return Err(Problem::new(
            Kind::Value,
            prefix,
            "list items are not numbered 1, 2, 3, …",
        ));
    }
    let mut items = Vec::with_capacity(numbers.len());
    for n in numbers {
        let value = take(service, flat, &format!("{prefix}.{n}"), item)?;
        items.push(value.unwrap_or(Value::Null));
    }
    Ok(Some(Value::Array(items)))
}

/// A scalar read from its text; text that is not of the type stays text, so
/// the validator reports it as the wrong type.
fn read_scalar(ty: &Type, text: &str) -> Value {
    let parsed = match ty {
        Type::Integer | Type::Long => text.parse::<i64>().ok().map(Value::from),
        Type::Float => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        Type::Boolean => text.parse::<bool>().ok().map(Value::Bool),
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::{kitchen_sink, widget_fields};

    #[test]
    fn a_structure_handle_leading_nowhere_is_an_internal_problem_not_dropped_parameters() {
        let mut service = kitchen_sink();
        let fields = widget_fields(&service);
        let flat = [("Parts.1.Key".to_string(), "a".to_string())];
        let params = unflatten(&service, &fields, &flat).expect("unflattens");
        assert_eq!(params["Parts"], serde_json::json!([{ "Key": "a" }]));
        service.structs.retain(|s| s.name != "Part");
        let problem = unflatten(&service, &fields, &flat).unwrap_err();
        assert_eq!(problem.kind, Kind::Internal, "{problem:?}");
        assert!(problem.message().contains("Parts.1"), "{problem:?}");
        assert!(
            problem.detail.contains("`Part` is no structure"),
            "{problem:?}"
        );
    }
}
