//! Reading typed outputs out of JSON responses.
//!
//! Generated structures implement [`DecodeObject`] with one [`Fields::take`]
//! (or [`Fields::lenient`]) call per field; everything else — type checks,
//! integer ranges, lists, maps, optional and lenient values, error paths —
//! lives here, compiled once. A derive would expand to a field enum, a
//! visitor and a generic map loop per type; a `DecodeObject` impl is one
//! small non-generic function (the compile figures are in `BENCHMARKS.md`).
//!
//! Fields the crate does not know are ignored, so a vendor adding a field
//! never breaks parsing. A mismatch names the wire path, e.g.
//! `dataSet[2].vlanId: expected an integer, found "ten"`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

/// A JSON value as parsed from a response body.
pub type Json = Value;

/// A value that can be read from a JSON response.
pub trait Decode: Sized {
    /// Reads the value.
    fn decode(value: Json) -> Result<Self, DecodeError>;

    /// The value of an absent (or `null`) field; `None` means the field is required.
    fn absent() -> Option<Self> {
        None
    }
}

/// A structure read field by field from a JSON object (implemented by generated types).
pub trait DecodeObject: Sized {
    /// Takes this structure's fields out of `fields`.
    fn decode_object(fields: &mut Fields) -> Result<Self, DecodeError>;
}

impl<T: DecodeObject> Decode for T {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => T::decode_object(&mut Fields(map)),
            other => Err(DecodeError::expected("an object", &other)),
        }
    }
}

/// The fields of one JSON object, taken out one by one.
#[derive(Debug)]
pub struct Fields(Map<String, Value>);

impl Fields {
    /// Takes field `name`; absent or `null` is an error only for required (non-`Option`) types.
    pub fn take<T: Decode>(&mut self, name: &str) -> Result<T, DecodeError> {
        match self.0.remove(name) {
            None | Some(Value::Null) => T::absent().ok_or_else(|| DecodeError {
                path: name.to_string(),
                problem: "is missing".into(),
            }),
            Some(value) => T::decode(value).map_err(|e| e.within(name)),
        }
    }

    /// Takes an optional field that may arrive as itself or as a string
    /// (`1002` or `"1001"`); an empty string counts as absent.
    pub fn lenient<T: Decode + FromStr>(&mut self, name: &str) -> Result<Option<T>, DecodeError>
    where
        T::Err: fmt::Display,
    {
        match self.0.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => parse_text(&text).map_err(|e| e.within(name)),
            Some(value) => T::decode(value).map(Some).map_err(|e| e.within(name)),
        }
    }
}

fn parse_text<T: FromStr>(text: &str) -> Result<Option<T>, DecodeError>
where
    T::Err: fmt::Display,
{
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    trimmed.parse().map(Some).map_err(|e| DecodeError {
        path: String::new(),
        problem: format!("{text:?} is not a valid value: {e}"),
    })
}

/// A response that does not have the documented shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Wire path of the offending value, e.g. `dataSet[2].vlanId`; empty for the whole body.
    pub path: String,
    /// What is wrong, e.g. `expected an integer, found "ten"`.
    pub problem: String,
}

impl DecodeError {
    fn expected(what: &str, found: &Value) -> Self {
        let found = match found {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => format!("{:?}", truncate(s)),
            Value::Array(_) => "a list".to_string(),
            Value::Object(_) => "an object".to_string(),
        };
        DecodeError {
            path: String::new(),
            problem: format!("expected {what}, found {found}"),
        }
    }

    /// The same error, one level deeper: `segment` is a field name or `[index]`.
    fn within(mut self, segment: &str) -> Self {
        let mut path = segment.to_owned();
        crate::path::push(&mut path, &self.path);
        self.path = path;
        self
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "`{}`: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Reads a whole response body (already parsed) as `T`.
pub fn from_json<T: Decode>(value: Json) -> Result<T, DecodeError> {
    match value {
        Value::Null => T::absent().ok_or_else(|| DecodeError::expected("a value", &Value::Null)),
        value => T::decode(value),
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        T::decode(value).map(Some)
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// Any value, kept as parsed (`null` when absent).
impl Decode for Json {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        Ok(value)
    }

    fn absent() -> Option<Self> {
        Some(Value::Null)
    }
}

impl Decode for String {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(DecodeError::expected("a string", &other)),
        }
    }
}

impl Decode for bool {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(DecodeError::expected("true or false", &other)),
        }
    }
}

impl Decode for i64 {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match &value {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
        .ok_or_else(|| DecodeError::expected("an integer", &value))
    }
}

impl Decode for i32 {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match &value {
            Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
            _ => None,
        }
        .ok_or_else(|| DecodeError::expected("a 32-bit integer", &value))
    }
}

impl Decode for f64 {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match &value {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
        .ok_or_else(|| DecodeError::expected("a number", &value))
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::decode(item).map_err(|e| e.within(&format!("[{i}]"))))
                .collect(),
            other => Err(DecodeError::expected("a list", &other)),
        }
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: Json) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| match T::decode(v) {
                    Ok(v) => Ok((k, v)),
                    Err(e) => Err(e.within(&k)),
                })
                .collect(),
            other => Err(DecodeError::expected("an object", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Endpoint {
        port: String,
        vlan: Option<i32>,
    }

    impl DecodeObject for Endpoint {
        fn decode_object(f: &mut Fields) -> Result<Self, DecodeError> {
            Ok(Endpoint {
                port: f.take("portId")?,
                vlan: f.lenient("vlanId")?,
            })
        }
    }

    #[derive(Debug, PartialEq)]
    struct Page {
        total: Option<i64>,
        items: Option<Vec<Endpoint>>,
        flag: Option<bool>,
    }

    impl DecodeObject for Page {
        fn decode_object(f: &mut Fields) -> Result<Self, DecodeError> {
            Ok(Page {
                total: f.take("total")?,
                items: f.take("items")?,
                flag: f.lenient("flag")?,
            })
        }
    }

    fn page(value: Json) -> Result<Page, DecodeError> {
        from_json(value)
    }

    #[test]
    fn reads_nested_values_and_ignores_unknown_fields() {
        let got = page(json!({
            "total": 2, "extra": {"new": "field"}, "flag": "true",
            "items": [{"portId": "a", "vlanId": 1002}, {"portId": "b", "vlanId": "1001"}]
        }))
        .unwrap();
        let items = got.items.unwrap();
        assert_eq!(got.total, Some(2));
        assert_eq!(got.flag, Some(true));
        assert_eq!(items[0].vlan, Some(1002));
        assert_eq!(items[1].vlan, Some(1001));
        assert_eq!(items[1].port, "b");
    }

    #[test]
    fn absent_null_and_empty_lenient_text_are_none() {
        let got = page(json!({"total": null, "flag": ""})).unwrap();
        assert_eq!(
            got,
            Page {
                total: None,
                items: None,
                flag: None
            }
        );
    }

    #[test]
    fn mismatches_name_the_wire_path() {
        let err = page(json!({"items": [{"portId": "a"}, {"portId": "b", "vlanId": "ten"}]}))
            .unwrap_err();
        assert_eq!(err.path, "items[1].vlanId");
        assert!(
            err.problem.contains("\"ten\" is not a valid value"),
            "{err}"
        );

        let err = page(json!({"items": [{"vlanId": 1}]})).unwrap_err();
        assert_eq!(err.to_string(), "`items[0].portId`: is missing");

        let err = page(json!({"total": "many"})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`total`: expected an integer, found \"many\""
        );
    }

    #[test]
    fn integers_out_of_range_and_wrong_kinds_are_rejected() {
        assert!(i32::decode(json!(3_000_000_000_i64)).is_err());
        assert_eq!(i32::decode(json!(-5)), Ok(-5));
        assert!(i64::decode(json!(1.5)).is_err());
        assert_eq!(f64::decode(json!(2)), Ok(2.0));
        assert!(String::decode(json!(1)).is_err());
        assert!(page(json!([1, 2])).is_err());
        assert!(from_json::<Page>(Value::Null).is_err());
    }

    #[test]
    fn maps_decode_each_value_with_its_key_in_the_path() {
        let map: BTreeMap<String, i32> = Decode::decode(json!({"a": 1, "b": 2})).unwrap();
        assert_eq!(map["b"], 2);
        let err = <BTreeMap<String, i32>>::decode(json!({"a": "x"})).unwrap_err();
        assert_eq!(err.path, "a");
    }
}
