//! Reading typed outputs out of JSON responses, without losing a response
//! over a type variation.
//!
//! Generated structures implement [`DecodeObject`] with one [`Fields::take`]
//! call per field; everything else — type checks, coercions, integer ranges,
//! lists, maps, paths and warnings — lives here, compiled once. A derive
//! would expand to a field enum, a visitor and a generic map loop per type; a
//! `DecodeObject` impl is one small non-generic function (the compile figures
//! are in `BENCHMARKS.md`).
//!
//! Decoding is tolerant the way the vendors' own SDKs are, because one odd
//! value must not cost the caller a whole page:
//!
//! - numbers and booleans are read from their text (`"1"`, `"50.1109"`,
//!   `"true"`) and text fields accept a number or boolean (kept as its JSON
//!   text); blank text where a number or boolean belongs counts as absent;
//! - a value that still cannot be read is left empty (`None`, or skipped in a
//!   list or map) and reported as a [`DecodeWarning`] with its wire path and
//!   raw value, both through `tracing` and in the output's [`ResponseMeta`];
//! - a field the spec marks required (such types are shared with requests,
//!   where `new(…)` must take it) gets its type's zero value when it is
//!   missing or unreadable — `""`, `0`, `false`, an empty list, an enum's
//!   `Unknown("")`, a structure built the same way from `{}` — and a warning
//!   (Smithy's "client error correction").
//!
//! Only an answer whose output is not a JSON object at all is an error
//! ([`DecodeError`]). Fields the crate does not know are ignored, so a vendor
//! adding a field never breaks parsing. Requests are not affected: they are
//! written and checked by `encode` and `validate`.

mod text;

pub(crate) use text::plain_len;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde_json::{Map, Value};

/// A JSON value as parsed from a response body.
pub type Json = Value;

/// Warnings one response lists at most: a server sending millions of
/// unreadable values must not make the decoder hold (and log) one warning
/// each, several times the size of the body itself.
pub const MAX_WARNINGS: usize = 100;

/// Longest map key a warning's path shows, in characters.
const MAX_KEY_CHARS: usize = 64;

/// A value that can be read from a JSON response.
pub trait Decode: Sized {
    /// Reads `value`, converting between numbers, booleans and their text;
    /// gives the value back in [`Rejected`] when it cannot be read.
    fn decode(value: Json, cx: &mut Decoder) -> Result<Self, Rejected>;

    /// Whether reading the value never reports anything within it (text,
    /// a scalar): [`Fields::take`] then names its field in the path only
    /// when the field itself is reported, so a clean answer builds no path.
    #[doc(hidden)]
    const LEAF: bool = false;

    /// Reads a value from its exact JSON text (see `decode/text.rs`); by
    /// default through [`decode`](Self::decode) of that text parsed alone.
    #[doc(hidden)]
    fn decode_text(text: &str, cx: &mut Decoder) -> Result<Self, Rejected> {
        parsed(text, cx)
    }
}

/// A `T` from `json` parsed alone into a `Value`: the default of
/// [`Decode::decode_text`] and the way back of the impls that read text.
fn parsed<T: Decode>(json: &str, cx: &mut Decoder) -> Result<T, Rejected> {
    let value = cx.parse(json)?;
    T::decode(value, cx)
}

/// What a field gets when the response leaves it out, sends `null`, or sends
/// something that cannot be read. Generated enums implement it only when some
/// structure has a required field of that enum.
pub trait Empty: Sized {
    /// Whether leaving the field out is normal (`Option`, raw JSON), so it is not reported.
    const OPTIONAL: bool = false;

    /// `None` for an `Option`, otherwise the type's zero value.
    fn empty() -> Self;
}

/// A structure read field by field from a JSON object (implemented by generated types).
pub trait DecodeObject: Sized {
    /// Takes this structure's fields out of `fields`; never fails (see the module docs).
    fn decode_object(fields: &mut Fields<'_>) -> Self;
}

impl<T: DecodeObject> Decode for T {
    fn decode(value: Json, cx: &mut Decoder) -> Result<Self, Rejected> {
        match value {
            Value::Object(map) => Ok(T::decode_object(&mut Fields {
                members: Members::Parsed(map),
                cx,
            })),
            other => Err(Rejected::new("an object", other)),
        }
    }

    fn decode_text(json: &str, cx: &mut Decoder) -> Result<Self, Rejected> {
        match text::members(json) {
            Some(members) => Ok(T::decode_object(&mut Fields {
                members: Members::Text(members),
                cx,
            })),
            None => parsed(json, cx),
        }
    }
}

impl<T: DecodeObject> Empty for T {
    /// The structure read from `{}`: optional fields `None`, required ones zero.
    fn empty() -> Self {
        let mut quiet = Decoder::new(None);
        quiet.quiet = true;
        T::decode_object(&mut Fields {
            members: Members::Parsed(Map::new()),
            cx: &mut quiet,
        })
    }
}

/// The fields of one JSON object, taken out one by one.
#[derive(Debug)]
pub struct Fields<'a> {
    members: Members<'a>,
    cx: &'a mut Decoder,
}

/// An object's members: parsed, or still as text borrowed from the body.
#[derive(Debug)]
enum Members<'a> {
    Parsed(Map<String, Value>),
    Text(text::Members<'a>),
}

impl<'a> Fields<'a> {
    /// Takes field `name`. Absent, `null`, blank where a number or boolean
    /// belongs, or unreadable (reported) leaves [`Empty::empty`]; absence is
    /// reported too when the type is not optional.
    pub fn take<T: Decode + Empty>(&mut self, name: &str) -> T {
        // A value that may report within itself needs its field in the path first.
        let early = (!T::LEAF).then(|| self.cx.enter(name));
        let read = match &mut self.members {
            Members::Parsed(map) => match map.remove(name) {
                None | Some(Value::Null) => None,
                Some(value) => Some(T::decode(value, self.cx)),
            },
            Members::Text(members) => match text::take(members, name) {
                None | Some("null") => None,
                Some(json) => Some(T::decode_text(json, self.cx)),
            },
        };
        self.cx.settle(name, early, read)
    }

    /// Field `name` read as text the way a request id is (a number kept as
    /// its text), left in place and never reported.
    pub(crate) fn peek_text(&mut self, name: &str) -> Option<String> {
        let Members::Text(members) = &self.members else {
            return None;
        };
        self.cx.id_text(text::peek(members, name)?)
    }

    /// What the runtime knows about the whole answer: the envelope's request
    /// id and every warning recorded so far. Generated outputs call it last.
    pub fn meta(&mut self) -> ResponseMeta {
        ResponseMeta {
            // A decoding from text that failed is done again from a `Value`,
            // which needs the id once more (see `from_text`).
            envelope_request_id: match self.cx.failed {
                true => self.cx.envelope_request_id.clone(),
                false => self.cx.envelope_request_id.take(),
            },
            warnings: std::mem::take(&mut self.cx.warnings),
            unlisted_warnings: std::mem::take(&mut self.cx.unlisted),
        }
    }
}

/// The state of one response's decoding: where it is and what it had to leave empty.
#[derive(Debug)]
pub struct Decoder {
    path: String,
    warnings: Vec<DecodeWarning>,
    /// Values left empty after [`MAX_WARNINGS`] were listed.
    unlisted: usize,
    envelope_request_id: Option<String>,
    /// Building a zero value: its missing fields are not worth reporting.
    quiet: bool,
    /// Decoding from text: warnings are logged only once the whole answer
    /// decoded, since a failure means decoding it again from a `Value`.
    deferred: Option<Vec<DecodeWarning>>,
    /// A value's text could not be parsed: the result is discarded (see [`text`]).
    failed: bool,
}

impl Decoder {
    fn new(envelope_request_id: Option<String>) -> Self {
        Decoder {
            path: String::new(),
            warnings: Vec::new(),
            unlisted: 0,
            envelope_request_id,
            quiet: false,
            deferred: None,
            failed: false,
        }
    }

    /// A decoder for text, which logs its warnings when [`finish`](Self::finish)ed.
    pub(crate) fn for_text(envelope_request_id: Option<String>) -> Self {
        Decoder {
            deferred: Some(Vec::new()),
            ..Decoder::new(envelope_request_id)
        }
    }

    /// Whether decoding from text went through (else the caller decodes
    /// from a `Value`); logs the warnings it deferred.
    pub(crate) fn finish(&mut self) -> bool {
        if self.failed {
            return false;
        }
        // Most answers defer nothing: no iterator over an empty list is made.
        if let Some(deferred) = self.deferred.take().filter(|d| !d.is_empty()) {
            for warning in deferred {
                tracing::warn!(%warning, "response value left empty");
            }
        }
        if self.unlisted > 0 {
            log_unlisted();
        }
        true
    }

    /// What field `name` gets once read (`read`: `None` when it is absent
    /// or `null`), as [`Fields::take`] says; `early` is the path entered
    /// before reading, if any.
    fn settle<T: Empty>(
        &mut self,
        name: &str,
        early: Option<usize>,
        read: Option<Result<T, Rejected>>,
    ) -> T {
        let problem = match read {
            Some(Ok(value)) => return self.left(early, value),
            Some(Err(rejected)) if !rejected.blank => Some(rejected),
            _ if T::OPTIONAL => return self.left(early, T::empty()),
            _ => None,
        };
        let mark = early.unwrap_or_else(|| self.enter(name));
        let out = match problem {
            Some(rejected) => {
                self.warn(rejected.expected, Some(rejected.raw));
                T::empty()
            }
            None => self.absent(),
        };
        self.leave(mark);
        out
    }

    /// `value`, once the path entered at `early` (if any) is left.
    fn left<T>(&mut self, early: Option<usize>, value: T) -> T {
        if let Some(mark) = early {
            self.leave(mark);
        }
        value
    }

    /// Field `name` read from its exact JSON text `json` (`None`: absent)
    /// as [`Fields::take`] reads one: for the members of an envelope found
    /// by [`each_member`], without a [`Fields`] of all of them.
    pub(crate) fn take_text<T: Decode + Empty>(&mut self, name: &str, json: Option<&str>) -> T {
        let early = (!T::LEAF).then(|| self.enter(name));
        let read = match json {
            None | Some("null") => None,
            Some(json) => Some(T::decode_text(json, self)),
        };
        self.settle(name, early, read)
    }

    /// A request id read from its exact JSON text, tolerantly (a number
    /// kept as its text) and never reported.
    pub(crate) fn id_text(&mut self, json: &str) -> Option<String> {
        <Option<String>>::decode_text(json, self).ok().flatten()
    }

    /// The `Value` of a value's exact text; marks the decoder failed when it has none.
    fn parse(&mut self, json: &str) -> Result<Value, Rejected> {
        serde_json::from_str(json).map_err(|_| {
            self.failed = true;
            Rejected::new("JSON", Value::Null)
        })
    }

    /// Appends a field name or map key to the path; returns what [`leave`](Self::leave) restores.
    fn enter(&mut self, segment: &str) -> usize {
        let mark = self.path.len();
        crate::path::push(&mut self.path, segment);
        mark
    }

    /// Appends a map key, which the server chose: escaped and cut short
    /// like any server text an error shows, so no key can forge a log line
    /// or make every warning below it as long as the key.
    fn enter_key(&mut self, key: &str) -> usize {
        let shown = crate::error::Bounded(key, MAX_KEY_CHARS).to_string();
        self.enter(&shown)
    }

    fn enter_index(&mut self, index: usize) -> usize {
        let mark = self.path.len();
        let _ = write!(self.path, "[{index}]");
        mark
    }

    fn leave(&mut self, mark: usize) {
        self.path.truncate(mark);
    }

    /// The value of an absent field, reported unless the type is optional.
    fn absent<T: Empty>(&mut self) -> T {
        if !T::OPTIONAL {
            self.warn("a value", None);
        }
        T::empty()
    }

    /// Records that the value at the current path was left empty.
    fn warn(&mut self, expected: &'static str, raw: Option<Json>) {
        if self.quiet {
            return;
        }
        if self.warnings.len() >= MAX_WARNINGS {
            if self.unlisted == 0 && self.deferred.is_none() {
                log_unlisted();
            }
            self.unlisted += 1;
            return;
        }
        let warning = DecodeWarning {
            path: self.path.clone(),
            expected,
            raw,
        };
        match &mut self.deferred {
            Some(deferred) => deferred.push(warning.clone()),
            None => tracing::warn!(%warning, "response value left empty"),
        }
        self.warnings.push(warning);
    }
}

/// Logs that warnings beyond [`MAX_WARNINGS`] are only counted.
fn log_unlisted() {
    tracing::warn!(
        "more than {MAX_WARNINGS} response values left empty; the rest are only counted"
    );
}

/// A value that could not be read as the expected type, handed back.
#[derive(Debug)]
pub struct Rejected {
    expected: &'static str,
    raw: Json,
    /// Blank text where a number or boolean belongs: counts as absent.
    blank: bool,
}

impl Rejected {
    /// `raw` is not `expected` (e.g. "an integer").
    pub fn new(expected: &'static str, raw: Json) -> Self {
        Rejected {
            expected,
            raw,
            blank: false,
        }
    }
}

/// A response value the decoder had to leave empty.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodeWarning {
    /// Wire path of the value, e.g. `dataSet[2].endpointA.vlanId`; a map key
    /// in it is escaped and cut short, as the server chose it.
    pub path: String,
    /// What was expected there, e.g. `an integer`.
    pub expected: &'static str,
    /// The value as received; `None` when a required field was missing.
    pub raw: Option<Json>,
}

impl fmt::Display for DecodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.raw {
            None => write!(f, "`{}`: missing; left empty", self.path),
            Some(raw) => write!(
                f,
                "`{}`: expected {}, found {}; left empty",
                self.path,
                self.expected,
                describe(raw)
            ),
        }
    }
}

/// What the runtime read around an output: carried by every generated output as `meta`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The request id of the answer as a whole. Zenlayer: the envelope's
    /// `requestId`, beside `response` (the output's own `request_id` is the
    /// one inside `response`; the vendor's examples show them differing).
    /// Alibaba: the body's `RequestId`, the same as the output's `request_id`.
    pub envelope_request_id: Option<String>,
    /// The values that were left empty because they could not be read, in
    /// wire order: the first [`MAX_WARNINGS`] of them.
    pub warnings: Vec<DecodeWarning>,
    /// How many more values were left empty beyond those listed.
    pub unlisted_warnings: usize,
}

/// A response whose output is not a JSON object at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What is wrong, e.g. `expected an object, found a list`.
    pub problem: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem)
    }
}

impl std::error::Error for DecodeError {}

/// Reads a whole output (already parsed) as `T`.
pub fn from_json<T: Decode>(value: Json) -> Result<T, DecodeError> {
    from_envelope(value, None)
}

/// Reads a whole output as `T`; `envelope_request_id` goes to its [`ResponseMeta`].
pub fn from_envelope<T: Decode>(
    value: Json,
    envelope_request_id: Option<&str>,
) -> Result<T, DecodeError> {
    let mut cx = Decoder::new(envelope_request_id.map(str::to_owned));
    T::decode(value, &mut cx).map_err(|r| DecodeError {
        problem: format!("expected {}, found {}", r.expected, describe(&r.raw)),
    })
}

/// Reads a whole output as `T` from its JSON text, as [`from_envelope`] would
/// from its parsed `Value`; `None` when that takes a `Value` after all (see [`text`]).
///
/// The envelope's request id moves into the output's [`ResponseMeta`]
/// rather than being copied: `envelope_request_id` is left `None` when `T`
/// was read, and keeps the id when the caller still needs it (an error, or
/// `None`).
pub(crate) fn from_text<T: Decode>(
    json: &[u8],
    envelope_request_id: &mut Option<String>,
) -> Option<Result<T, DecodeError>> {
    let json = text::trim(std::str::from_utf8(json).ok()?);
    let mut cx = Decoder::for_text(envelope_request_id.take());
    let decoded = T::decode_text(json, &mut cx);
    let read = cx.finish();
    if !read || decoded.is_err() {
        *envelope_request_id = cx.envelope_request_id.take();
    }
    if !read {
        return None;
    }
    Some(decoded.map_err(|r| DecodeError {
        problem: format!("expected {}, found {}", r.expected, describe(&r.raw)),
    }))
}

/// The members of the JSON object `json` (a whole answer's body), to read
/// with [`Fields`] from `cx` (a [`Decoder::for_text`]); `None` when it is not one.
pub(crate) fn text_fields<'a>(json: &'a [u8], cx: &'a mut Decoder) -> Option<Fields<'a>> {
    let members = Members::Text(text::members(body_text(json)?)?);
    Some(Fields { members, cx })
}

/// Calls `each` with the key and exact JSON text of every member of the
/// object `json` (a whole answer's body), in wire order; `None` when it is
/// not one JSON object (checked as [`text_fields`] checks it). An envelope
/// read so keeps only the few members it knows, as it meets them: no list
/// of every member is built and searched.
pub(crate) fn each_member<'a>(json: &'a [u8], mut each: impl FnMut(&str, &'a str)) -> Option<()> {
    text::for_each_member(body_text(json)?, |key, value| each(&key, value))
}

/// A whole answer's body as text, without the whitespace around its value;
/// `None` when it is not UTF-8.
fn body_text(json: &[u8]) -> Option<&str> {
    Some(text::trim(std::str::from_utf8(json).ok()?))
}

/// A short description of a value for messages: strings quoted and cut at
/// 40 characters, containers by kind.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => match s.char_indices().nth(40) {
            Some((end, _)) => format!("{:?}…", &s[..end]),
            None => format!("{s:?}"),
        },
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
        other => other.to_string(),
    }
}

impl<T: Decode> Decode for Option<T> {
    const LEAF: bool = T::LEAF;

    fn decode(value: Json, cx: &mut Decoder) -> Result<Self, Rejected> {
        match value {
            Value::Null => Ok(None),
            value => T::decode(value, cx).map(Some),
        }
    }

    fn decode_text(json: &str, cx: &mut Decoder) -> Result<Self, Rejected> {
        match json {
            "null" => Ok(None),
            json => T::decode_text(json, cx).map(Some),
        }
    }
}

impl<T> Empty for Option<T> {
    const OPTIONAL: bool = true;

    fn empty() -> Self {
        None
    }
}

/// Any value, kept as parsed (`null` when absent).
impl Decode for Json {
    const LEAF: bool = true;

    fn decode(value: Json, _cx: &mut Decoder) -> Result<Self, Rejected> {
        Ok(value)
    }
}

impl Empty for Json {
    const OPTIONAL: bool = true;

    fn empty() -> Self {
        Value::Null
    }
}

/// Text, or a number or boolean kept as its JSON text (`50.1109`, `true`).
impl Decode for String {
    const LEAF: bool = true;

    fn decode(value: Json, _cx: &mut Decoder) -> Result<Self, Rejected> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Rejected::new("text", other)),
        }
    }

    fn decode_text(json: &str, cx: &mut Decoder) -> Result<Self, Rejected> {
        match json.starts_with('"').then(|| text::string(json)) {
            Some(Some(s)) => Ok(s.into_owned()),
            _ => parsed(json, cx),
        }
    }
}

/// Zero values of the scalars: `""`, `false`, `0`.
macro_rules! empty_scalars {
    ($($ty:ty => $zero:expr),*) => {
        $(impl Empty for $ty {
            fn empty() -> Self {
                $zero
            }
        })*
    };
}

empty_scalars!(String => String::new(), bool => false, i64 => 0, i32 => 0, f64 => 0.0);

/// A number or boolean, sent as itself (`native`) or as text (`parse`, given
/// the trimmed text); blank text is rejected as blank, which counts as absent.
fn scalar<T>(
    value: Json,
    expected: &'static str,
    native: impl FnOnce(&Value) -> Option<T>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, Rejected> {
    let read = match &value {
        Value::String(text) if text.trim().is_empty() => {
            return Err(Rejected {
                expected,
                raw: value,
                blank: true,
            });
        }
        Value::String(text) => parse(text.trim()),
        other => native(other),
    };
    read.ok_or_else(|| Rejected::new(expected, value))
}

/// `true`/`false`, or that text in any case.
impl Decode for bool {
    const LEAF: bool = true;

    fn decode(value: Json, _cx: &mut Decoder) -> Result<Self, Rejected> {
        scalar(value, "true or false", Value::as_bool, |text| {
            if text.eq_ignore_ascii_case("true") {
                Some(true)
            } else if text.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            }
        })
    }
}

impl Decode for i64 {
    const LEAF: bool = true;

    fn decode(value: Json, _cx: &mut Decoder) -> Result<Self, Rejected> {
        scalar(value, "an integer", Value::as_i64, |text| text.parse().ok())
    }
}

impl Decode for i32 {
    const LEAF: bool = true;

    fn decode(value: Json, _cx: &mut Decoder) -> Result<Self, Rejected> {
        scalar(
            value,
            "a 32-bit integer",
            |v| v.as_i64().and_then(|n| i32::try_from(n).ok()),
            |text| text.parse().ok(),
        )
    }
}

/// A number, or its text (finite values only: JSON has no NaN).
impl Decode for f64 {
    const LEAF: bool = true;

    fn decode(value: Json, _cx: &mut Decoder) -> Result<Self, Rejected> {
        scalar(value, "a number", Value::as_f64, |text| {
            text.parse::<f64>().ok().filter(|n| n.is_finite())
        })
    }
}

/// A list; an item that cannot be read is skipped and reported.
impl<T: Decode> Decode for Vec<T> {
    fn decode(value: Json, cx: &mut Decoder) -> Result<Self, Rejected> {
        let Value::Array(items) = value else {
            return Err(Rejected::new("a list", value));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let mark = cx.enter_index(i);
            match T::decode(item, cx) {
                Ok(item) => out.push(item),
                Err(rejected) => cx.warn(rejected.expected, Some(rejected.raw)),
            }
            cx.leave(mark);
        }
        Ok(out)
    }

    fn decode_text(json: &str, cx: &mut Decoder) -> Result<Self, Rejected> {
        let Some(items) = text::items(json) else {
            return parsed(json, cx);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let mark = cx.enter_index(i);
            match T::decode_text(item, cx) {
                Ok(item) => out.push(item),
                Err(rejected) => cx.warn(rejected.expected, Some(rejected.raw)),
            }
            cx.leave(mark);
        }
        Ok(out)
    }
}

impl<T> Empty for Vec<T> {
    fn empty() -> Self {
        Vec::new()
    }
}

/// An object read as a map; an entry that cannot be read is skipped and reported.
impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: Json, cx: &mut Decoder) -> Result<Self, Rejected> {
        let Value::Object(entries) = value else {
            return Err(Rejected::new("an object", value));
        };
        let mut out = BTreeMap::new();
        for (key, item) in entries {
            let mark = cx.enter_key(&key);
            match T::decode(item, cx) {
                Ok(item) => {
                    out.insert(key, item);
                }
                Err(rejected) => cx.warn(rejected.expected, Some(rejected.raw)),
            }
            cx.leave(mark);
        }
        Ok(out)
    }
}

impl<T> Empty for BTreeMap<String, T> {
    fn empty() -> Self {
        BTreeMap::new()
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
        fn decode_object(f: &mut Fields<'_>) -> Self {
            Endpoint {
                port: f.take("portId"),
                vlan: f.take("vlanId"),
            }
        }
    }

    #[derive(Debug, PartialEq)]
    struct Page {
        total: Option<i64>,
        ratio: Option<f64>,
        name: Option<String>,
        items: Option<Vec<Endpoint>>,
        labels: Option<BTreeMap<String, i32>>,
        first: Endpoint,
        flag: Option<bool>,
        meta: ResponseMeta,
    }

    impl DecodeObject for Page {
        fn decode_object(f: &mut Fields<'_>) -> Self {
            Page {
                total: f.take("total"),
                ratio: f.take("ratio"),
                name: f.take("name"),
                items: f.take("items"),
                labels: f.take("labels"),
                first: f.take("first"),
                flag: f.take("flag"),
                meta: f.meta(),
            }
        }
    }

    /// `value` decoded from its `Value` and, the same, from its text.
    fn page(value: Json) -> Page {
        let parsed: Page = from_envelope(value.clone(), Some("outer")).unwrap();
        let text = format!(" {value}\n");
        let from_text = from_text(text.as_bytes(), &mut Some("outer".into()));
        assert_eq!(from_text, Some(Ok(parsed)), "from the text {text}");
        from_envelope(value, Some("outer")).unwrap()
    }

    #[test]
    fn text_a_known_value_cannot_be_parsed_from_is_decoded_from_a_value_instead() {
        for field in [
            r#""name":"\ud800""#,
            r#""ratio":1e400"#,
            r#""first":{"portId":"\udfff"}"#,
        ] {
            let body = format!(r#"{{"total":1,{field}}}"#);
            assert_eq!(
                from_text::<Page>(body.as_bytes(), &mut None),
                None,
                "{body}"
            );
            assert!(
                serde_json::from_str::<Value>(&body).is_err(),
                "nor is the body JSON"
            );
        }
        assert_eq!(from_text::<Page>(b"{\"total\":1} x", &mut None), None);
        assert_eq!(from_text::<Page>(b"{\"name\":\"\xff\"}", &mut None), None);
    }

    #[test]
    fn an_unknown_field_is_only_checked_for_json_syntax() {
        let body = r#"{"first":{"portId":"p"},"later":["\ud800",1e400]}"#;
        let got = from_text::<Page>(body.as_bytes(), &mut None)
            .unwrap()
            .unwrap();
        assert_eq!(got.first.port, "p");
        assert!(got.meta.warnings.is_empty());
    }

    #[test]
    fn the_envelope_request_id_moves_to_the_output_or_stays_with_the_caller() {
        let mut id = Some("outer".to_string());
        let got = from_text::<Page>(br#"{"total":1}"#, &mut id)
            .unwrap()
            .unwrap();
        assert_eq!(got.meta.envelope_request_id.as_deref(), Some("outer"));
        assert_eq!(id, None, "moved, not copied");
        // Not an object (an error), not JSON, and a value that needs a `Value`.
        for body in [&b"[1]"[..], b"{", br#"{"name":"\ud800"}"#] {
            let mut id = Some("outer".to_string());
            let read = from_text::<Page>(body, &mut id);
            assert!(!matches!(read, Some(Ok(_))), "{body:?}");
            assert_eq!(id.as_deref(), Some("outer"), "{body:?}");
        }
    }

    #[test]
    fn an_output_that_is_not_an_object_is_the_same_error_from_text() {
        for body in ["[1, 2]", "null", r#""text""#] {
            let value: Value = serde_json::from_str(body).unwrap();
            let parsed = from_json::<Page>(value);
            assert_eq!(
                from_text::<Page>(body.as_bytes(), &mut None),
                Some(parsed),
                "{body}"
            );
        }
    }

    /// `(path, raw)` of each warning.
    fn warned(page: &Page) -> Vec<(&str, Option<&Json>)> {
        let w = &page.meta.warnings;
        w.iter()
            .map(|w| (w.path.as_str(), w.raw.as_ref()))
            .collect()
    }

    #[test]
    fn a_hostile_map_key_cannot_forge_or_flood_a_warning() {
        let key = format!("x\n2026-01-01 ERROR forged{}", "k".repeat(100_000));
        let got = page(json!({"first": {"portId": "p"}, "labels": {key: "ten"}}));
        let [warning] = got.meta.warnings.as_slice() else {
            panic!("one warning: {:?}", got.meta.warnings);
        };
        let shown = warning.to_string();
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert!(!shown.contains('\n'), "{shown}");
        assert!(
            shown.starts_with("`labels.x\\n2026-01-01 ERROR forged"),
            "{shown}"
        );
    }

    #[test]
    fn a_flood_of_unreadable_values_is_counted_not_listed_one_by_one() {
        let items = vec![json!(1); 10_000];
        let got = page(json!({"first": {"portId": "p"}, "items": items}));
        assert_eq!(got.items.as_ref().map(Vec::len), Some(0));
        assert_eq!(got.meta.warnings.len(), 100, "the first ones are listed");
        assert_eq!(got.meta.warnings[99].path, "items[99]");
        assert_eq!(got.meta.unlisted_warnings, 9_900, "the rest are counted");
    }

    #[test]
    fn values_are_read_as_themselves_or_from_their_text() {
        let got = page(json!({
            "total": "2", "ratio": "50.1109", "flag": "TRUE", "extra": {"new": "field"},
            "first": {"portId": "p", "vlanId": 7},
            "items": [{"portId": "a", "vlanId": 1002}, {"portId": "b", "vlanId": " 1001 "}],
            "labels": {"x": "3"}
        }));
        assert_eq!(got.total, Some(2));
        assert_eq!(got.ratio, Some(50.1109));
        assert_eq!(got.flag, Some(true));
        let items = got.items.as_ref().unwrap();
        assert_eq!((items[0].vlan, items[1].vlan), (Some(1002), Some(1001)));
        assert_eq!(got.labels.as_ref().unwrap()["x"], 3);
        assert_eq!(got.meta.envelope_request_id.as_deref(), Some("outer"));
        assert!(got.meta.warnings.is_empty(), "{:?}", got.meta.warnings);
    }

    #[test]
    fn text_fields_keep_numbers_and_booleans_as_their_json_text() {
        assert_eq!(page(json!({"name": true})).name.as_deref(), Some("true"));
        assert_eq!(page(json!({"name": 50.25})).name.as_deref(), Some("50.25"));
        assert_eq!(page(json!({"name": 7})).name.as_deref(), Some("7"));
    }

    #[test]
    fn absent_null_and_blank_optional_values_are_none_without_warnings() {
        let got = page(json!({"total": null, "ratio": " ", "flag": "", "first": {"portId": "p"}}));
        assert_eq!((got.total, got.ratio, got.flag), (None, None, None));
        assert!(got.items.is_none() && got.labels.is_none());
        assert!(got.meta.warnings.is_empty(), "{:?}", got.meta.warnings);
    }

    #[test]
    fn unreadable_values_are_left_empty_and_reported_with_path_and_raw_value() {
        let got = page(json!({
            "total": "many", "flag": "yes", "first": {"portId": "p"},
            "items": [{"portId": "a"}, {"portId": "b", "vlanId": "ten"}]
        }));
        assert_eq!((got.total, got.flag), (None, None));
        let items = got.items.as_ref().unwrap();
        assert_eq!(
            items[1],
            Endpoint {
                port: "b".into(),
                vlan: None
            }
        );
        let many = json!("many");
        let yes = json!("yes");
        let ten = json!("ten");
        assert_eq!(
            warned(&got),
            [
                ("total", Some(&many)),
                ("items[1].vlanId", Some(&ten)),
                ("flag", Some(&yes))
            ]
        );
        assert_eq!(
            got.meta.warnings[1].to_string(),
            "`items[1].vlanId`: expected a 32-bit integer, found \"ten\"; left empty"
        );
    }

    #[test]
    fn a_missing_required_value_gets_its_zero_value_and_a_warning() {
        let got = page(json!({"items": [{"vlanId": 1}]}));
        assert_eq!(got.items.as_ref().unwrap()[0].port, "");
        // A missing required structure is built from `{}`: one warning, not one per field.
        assert_eq!(
            got.first,
            Endpoint {
                port: String::new(),
                vlan: None
            }
        );
        assert_eq!(warned(&got), [("items[0].portId", None), ("first", None)]);
        assert_eq!(
            got.meta.warnings[1].to_string(),
            "`first`: missing; left empty"
        );
    }

    #[test]
    fn unreadable_list_items_and_map_entries_are_skipped_and_reported() {
        let got = page(json!({
            "first": {"portId": "p"},
            "items": [{"portId": "a"}, "oops", {"portId": "c"}],
            "labels": {"a": 1, "b": [2]}
        }));
        let ports: Vec<&str> = got
            .items
            .as_ref()
            .unwrap()
            .iter()
            .map(|e| e.port.as_str())
            .collect();
        assert_eq!(ports, ["a", "c"]);
        assert_eq!(
            got.labels.as_ref().unwrap().keys().collect::<Vec<_>>(),
            ["a"]
        );
        let oops = json!("oops");
        let list = json!([2]);
        assert_eq!(
            warned(&got),
            [("items[1]", Some(&oops)), ("labels.b", Some(&list))]
        );
        // A list where an object belongs is left empty as a whole.
        let got = page(json!({"first": [1]}));
        assert_eq!(got.first.port, "");
        assert_eq!(got.meta.warnings[0].expected, "an object");
    }

    #[test]
    fn integers_out_of_range_and_non_finite_numbers_are_rejected() {
        let mut cx = Decoder::new(None);
        assert!(i32::decode(json!(3_000_000_000_i64), &mut cx).is_err());
        assert!(i32::decode(json!("3000000000"), &mut cx).is_err());
        assert_eq!(i32::decode(json!(-5), &mut cx).unwrap(), -5);
        assert!(i64::decode(json!(1.5), &mut cx).is_err());
        assert!(i64::decode(json!("1.5"), &mut cx).is_err());
        assert_eq!(f64::decode(json!(2), &mut cx).unwrap(), 2.0);
        assert!(f64::decode(json!("NaN"), &mut cx).is_err());
        assert!(f64::decode(json!("inf"), &mut cx).is_err());
        assert!(bool::decode(json!(1), &mut cx).is_err());
        assert!(String::decode(json!([1]), &mut cx).is_err());
    }

    #[test]
    fn only_an_output_that_is_not_an_object_is_an_error() {
        let err = from_json::<Page>(json!([1, 2])).unwrap_err();
        assert_eq!(err.to_string(), "expected an object, found a list");
        assert!(from_json::<Page>(Value::Null).is_err());
        assert_eq!(from_json::<Option<Page>>(Value::Null), Ok(None));
        let long = "x".repeat(100);
        let err = from_json::<Page>(json!(long)).unwrap_err();
        let cut = format!("expected an object, found {:?}…", "x".repeat(40));
        assert_eq!(err.problem, cut);
    }
}
