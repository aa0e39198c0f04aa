//! Writing typed inputs in the wire forms: a JSON body (Zenlayer) or flat
//! query parameters (Alibaba RPC).
//!
//! Generated inputs and request structures list their fields once, in a
//! [`Params`] impl that this module's writer walks; the
//! formats live here, compiled once, so a generated type costs one small
//! function instead of a derive expansion (the compile figures are in
//! `BENCHMARKS.md`).
//!
//! Absent optional fields are left out (never `null`). In the query form,
//! nested names are joined with dots and list items numbered from 1:
//! `Tag.1.Key`, `Filter.2.Value.1`.
//!
//! Some RPC parameters take another shape, as the spec says per parameter
//! ([`Placement`]): the whole value as ONE parameter holding its JSON text, or
//! a list's items joined by `,`; and some travel in an
//! `application/x-www-form-urlencoded` body instead of the query
//! ([`RpcParams::form`]). A JSON body ignores placements: they are RPC-only.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::io::Write as _;

use crate::params::{ParamVisitor, Params};

/// How an RPC parameter's value becomes parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Dotted names and 1-based indices, one parameter per scalar (the default).
    Flat,
    /// One parameter holding the value's JSON text.
    Json,
    /// One parameter holding a list's items joined by `,`.
    CommaSeparated,
}

/// Where an RPC parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the query string (the default).
    Query,
    /// In an `application/x-www-form-urlencoded` body.
    Form,
}

/// An RPC parameter's [`Encoding`] and [`Location`], built from [`Placement::DEFAULT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// How the value becomes parameters.
    pub encoding: Encoding,
    /// Where they travel.
    pub location: Location,
}

impl Placement {
    /// Flat, in the query: what a parameter without a placement gets.
    pub const DEFAULT: Placement = Placement {
        encoding: Encoding::Flat,
        location: Location::Query,
    };

    /// The value as one parameter holding its JSON text.
    pub const fn json(self) -> Self {
        Placement {
            encoding: Encoding::Json,
            ..self
        }
    }

    /// The list's items joined by `,` in one parameter.
    pub const fn comma_separated(self) -> Self {
        Placement {
            encoding: Encoding::CommaSeparated,
            ..self
        }
    }

    /// In the form body instead of the query.
    pub const fn form(self) -> Self {
        Placement {
            location: Location::Form,
            ..self
        }
    }
}

/// One RPC parameter: its name and its value. A top-level field's name is
/// the generated code's constant, borrowed rather than copied per request;
/// a dotted name (`Tag.1.Key`) is built, so owned.
pub type Param = (Cow<'static, str>, String);

/// The RPC parameters of an input: those for the query and those for a form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpcParams {
    /// Query parameters, in field order.
    pub query: Vec<Param>,
    /// Form-body parameters, in field order (empty: no body).
    pub form: Vec<Param>,
}

impl From<Vec<(String, String)>> for RpcParams {
    /// Every parameter in the query.
    fn from(query: Vec<(String, String)>) -> Self {
        RpcParams {
            query: owned_names(query),
            form: Vec::new(),
        }
    }
}

/// `pairs` as [`Param`]s (each name owned).
fn owned_names(pairs: Vec<(String, String)>) -> Vec<Param> {
    let named = pairs.into_iter().map(|(name, value)| (name.into(), value));
    named.collect()
}

/// A value that can be written on the wire (and printed: a request type's
/// `Debug` prints its fields through the same walk, `params::debug_params`).
pub trait Encode: std::fmt::Debug {
    /// Writes the value.
    fn encode(&self, w: &mut Writer);

    /// Whether the value is an absent optional one, which is left out.
    fn is_absent(&self) -> bool {
        false
    }
}

/// Writes one wire form.
#[derive(Debug)]
pub struct Writer {
    form: Form,
}

#[derive(Debug)]
enum Form {
    /// JSON text.
    Json(Vec<u8>),
    /// Query pairs; `path` is the dotted name of the value being written,
    /// except that while the value is a top-level field, `fixed` is that
    /// name as the generated code's constant (so its parameters borrow it)
    /// and `path` is empty: a flat input's walk writes no name into `path`,
    /// which then never allocates. `form` holds the parameters placed in the
    /// form body.
    Query {
        path: String,
        fixed: Option<&'static str>,
        pairs: Vec<Param>,
        form: Vec<Param>,
    },
}

impl Writer {
    /// The JSON body of `value`.
    pub fn json<T: Params + ?Sized>(value: &T) -> Vec<u8> {
        let mut w = Writer {
            form: Form::Json(Vec::with_capacity(256)),
        };
        w.params(value);
        match w.form {
            Form::Json(bytes) => bytes,
            Form::Query { .. } => Vec::new(),
        }
    }

    /// Every RPC parameter of `value`, query and form-body ones together, in
    /// field order within each: what the documentation lists as the request.
    pub fn query<T: Params + ?Sized>(value: &T) -> Vec<(String, String)> {
        let RpcParams { query, form } = Writer::rpc(value);
        let pairs = query.into_iter().chain(form);
        pairs
            .map(|(name, value)| (name.into_owned(), value))
            .collect()
    }

    /// The RPC parameters of `value`, split by where they travel.
    pub fn rpc<T: Params + ?Sized>(value: &T) -> RpcParams {
        let mut w = Writer::pairs();
        w.params(value);
        w.into_rpc()
    }

    /// An empty query-form writer.
    fn pairs() -> Self {
        Writer {
            form: Form::Query {
                // Reused for every dotted name; flat inputs never need it.
                path: String::new(),
                fixed: None,
                pairs: Vec::new(),
                form: Vec::new(),
            },
        }
    }

    fn into_rpc(self) -> RpcParams {
        match self.form {
            Form::Query { pairs, form, .. } => RpcParams { query: pairs, form },
            Form::Json(_) => RpcParams::default(),
        }
    }

    /// Writes `value` as parameter `name` the way `placement` says (RPC only).
    fn placed(&mut self, name: &str, value: &dyn Encode, placement: Placement) {
        let Form::Query { path, fixed, .. } = &self.form else {
            return;
        };
        let path = dotted(path, *fixed);
        let full = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        let written = match placement.encoding {
            Encoding::Flat => {
                let mut w = Writer::pairs();
                w.member(Segment::Name(&full), None, None, true, value);
                w.into_rpc().query
            }
            Encoding::Json => {
                let mut w = Writer {
                    form: Form::Json(Vec::new()),
                };
                value.encode(&mut w);
                let text = match w.form {
                    Form::Json(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Form::Query { .. } => String::new(),
                };
                vec![(full.into(), text)]
            }
            Encoding::CommaSeparated => vec![(full.into(), list_items(value).join(","))],
        };
        if let Form::Query { pairs, form, .. } = &mut self.form {
            match placement.location {
                Location::Query => pairs.extend(written),
                Location::Form => form.extend(written),
            }
        }
    }

    /// A string value.
    pub fn string(&mut self, s: &str) {
        match &mut self.form {
            // Writing a `str` into a `Vec` cannot fail; serde_json does the escaping.
            Form::Json(out) => json_string(out, s),
            Form::Query {
                path, fixed, pairs, ..
            } => pairs.push((name_of(path, *fixed), s.to_owned())),
        }
    }

    /// A number or boolean, written as its `Display` text in both forms.
    fn plain(&mut self, value: impl Display) {
        match &mut self.form {
            // Straight into the body: no temporary `String` per number.
            Form::Json(out) => write!(out, "{value}").unwrap_or_default(),
            Form::Query {
                path, fixed, pairs, ..
            } => pairs.push((name_of(path, *fixed), value.to_string())),
        }
    }

    /// An integer: its decimal text in both forms (itoa writes it into a
    /// body without the formatting machinery).
    fn integer(&mut self, value: impl Display + itoa::Integer) {
        match &mut self.form {
            // itoa's digits straight into the body (serde_json's own writer for
            // integers, without its serializer and `io::Write` around it).
            Form::Json(out) => out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes()),
            Form::Query { .. } => self.plain(value),
        }
    }

    /// Writes a structure: the fields its `Params` impl visits.
    pub(crate) fn params<T: Params + ?Sized>(&mut self, value: &T) {
        self.object(|o| value.params(&mut ParamVisitor::encoder(o)));
    }

    fn object(&mut self, fields: impl FnOnce(Object<'_>)) {
        if let Form::Json(out) = &mut self.form {
            out.push(b'{');
        }
        fields(Object {
            w: self,
            first: true,
        });
        if let Form::Json(out) = &mut self.form {
            out.push(b'}');
        }
    }

    /// Writes `value` under the name `segment` (a field name or a 1-based
    /// index); `fixed` is that name as a constant, when it has one; `first`
    /// says whether it is the first member of its JSON object or list.
    fn member(
        &mut self,
        segment: Segment<'_>,
        key: Option<&str>,
        fixed: Option<&'static str>,
        first: bool,
        value: &dyn Encode,
    ) {
        match &mut self.form {
            Form::Json(out) => {
                if !first {
                    out.push(b',');
                }
                if let Some(key) = key {
                    json_string(out, key);
                    out.push(b':');
                }
                value.encode(self);
            }
            Form::Query {
                path, fixed: outer, ..
            } => {
                let len = path.len();
                // A top-level name is held in `outer`, out of `path` (which is
                // empty then), while its value is written; a member inside it
                // starts `path` with it.
                let held = outer.take();
                if let Some(name) = held {
                    path.push_str(name);
                }
                let top = len == 0 && held.is_none();
                match fixed.filter(|_| top) {
                    Some(name) => *outer = Some(name),
                    None => {
                        if !top {
                            path.push('.');
                        }
                        match segment {
                            Segment::Name(name) => path.push_str(name),
                            // Writing into a String cannot fail.
                            Segment::Index(i) => {
                                let _ = write!(path, "{i}");
                            }
                        }
                    }
                }
                value.encode(self);
                if let Form::Query { path, fixed, .. } = &mut self.form {
                    path.truncate(len);
                    *fixed = held;
                }
            }
        }
    }

    fn list<T: Encode>(&mut self, items: &[T]) {
        if let Form::Json(out) = &mut self.form {
            out.push(b'[');
        }
        for (i, item) in items.iter().enumerate() {
            self.member(Segment::Index(i + 1), None, None, i == 0, item);
        }
        if let Form::Json(out) = &mut self.form {
            out.push(b']');
        }
    }
}

/// A step of a query name: a field name, or a list item's 1-based index.
#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Name(&'a str),
    Index(usize),
}

/// Writes `s` as a JSON string: as it is between quotes when nothing in it
/// needs escaping (field names, most values), else escaped by serde_json.
fn json_string(out: &mut Vec<u8>, s: &str) {
    if crate::decode::plain_len(s.as_bytes()) < s.len() {
        // Writing a `str` into a `Vec` cannot fail.
        serde_json::to_writer(out, s).unwrap_or_default();
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// The dotted name of the value at `path`: `fixed`, a top-level name kept
/// out of `path`, when `path` is empty.
fn dotted<'a>(path: &'a str, fixed: Option<&'static str>) -> &'a str {
    match path.is_empty() {
        true => fixed.unwrap_or_default(),
        false => path,
    }
}

/// The name of the parameter at `path`: the constant `fixed` (then all of
/// the name) when there is one, else a copy of `path`.
fn name_of(path: &str, fixed: Option<&'static str>) -> Cow<'static, str> {
    match fixed {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(path.to_owned()),
    }
}

/// The items of a list (of scalars) as their query texts, for `,`-joining.
pub(crate) fn list_items(value: &dyn Encode) -> Vec<String> {
    let mut w = Writer::pairs();
    value.encode(&mut w);
    w.into_rpc().query.into_iter().map(|(_, v)| v).collect()
}

/// The members of one JSON object (or one query prefix) being written.
#[derive(Debug)]
pub(crate) struct Object<'a> {
    w: &'a mut Writer,
    first: bool,
}

impl Object<'_> {
    /// Writes member `name` (a constant of the generated code), unless it
    /// is an absent optional value.
    pub(crate) fn field(&mut self, name: &'static str, value: &dyn Encode) {
        self.entry(name, Some(name), value);
    }

    /// [`field`](Self::field) asked of the typed value: whether it is absent
    /// is an inlined `is_none`, so an absent field (most of a structure's)
    /// costs no call through the `dyn Encode` table.
    #[inline]
    pub(crate) fn typed_field<T: Encode>(&mut self, name: &'static str, value: &T) {
        if !value.is_absent() {
            self.present(name, Some(name), value);
        }
    }

    /// Writes member `name` (`fixed`, if it is a constant), unless it is an
    /// absent optional value.
    fn entry(&mut self, name: &str, fixed: Option<&'static str>, value: &dyn Encode) {
        if !value.is_absent() {
            self.present(name, fixed, value);
        }
    }

    /// Writes member `name` (`fixed`, if it is a constant), a value known to be present.
    fn present(&mut self, name: &str, fixed: Option<&'static str>, value: &dyn Encode) {
        let first = std::mem::replace(&mut self.first, false);
        self.w
            .member(Segment::Name(name), Some(name), fixed, first, value);
    }

    /// Writes member `name` as `placement` says in the RPC form; a JSON body
    /// writes it as [`field`](Self::field) does.
    pub(crate) fn placed(&mut self, name: &'static str, value: &dyn Encode, placement: Placement) {
        if matches!(self.w.form, Form::Json(_)) {
            return self.field(name, value);
        }
        if !value.is_absent() {
            self.w.placed(name, value, placement);
        }
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer) {
        if let Some(value) = self {
            value.encode(w);
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl Encode for bool {
    fn encode(&self, w: &mut Writer) {
        w.plain(self);
    }
}

impl Encode for i32 {
    fn encode(&self, w: &mut Writer) {
        w.integer(*self);
    }
}

impl Encode for i64 {
    fn encode(&self, w: &mut Writer) {
        w.integer(*self);
    }
}

/// Finite floats as JSON numbers (`1.5`, `2.0`); a NaN or infinity is not a
/// JSON number and is sent as `null` in a body and left out of a query.
impl Encode for f64 {
    fn encode(&self, w: &mut Writer) {
        match serde_json::Number::from_f64(*self) {
            Some(n) => w.plain(n),
            None => {
                if let Form::Json(out) = &mut w.form {
                    out.extend_from_slice(b"null");
                }
            }
        }
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        w.list(self);
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self, w: &mut Writer) {
        w.object(|mut o| {
            for (k, v) in self {
                o.entry(k, None, v);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Endpoint {
        port: String,
        vlan: Option<i32>,
    }

    impl Params for Endpoint {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            v.field("portId", &self.port);
            v.field("vlanId", &self.vlan);
        }
    }

    struct Request {
        name: Option<String>,
        endpoints: Vec<Endpoint>,
        tags: BTreeMap<String, String>,
        ratio: Option<f64>,
        enabled: bool,
        size: i64,
    }

    impl Params for Request {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            v.field("name", &self.name);
            v.nested("Endpoint", &self.endpoints);
            v.field("Tag", &self.tags);
            v.field("ratio", &self.ratio);
            v.field("enabled", &self.enabled);
            v.field("size", &self.size);
        }
    }

    fn request() -> Request {
        Request {
            name: None,
            endpoints: vec![
                Endpoint {
                    port: "a \"quoted\" é".into(),
                    vlan: Some(1001),
                },
                Endpoint {
                    port: "b".into(),
                    vlan: None,
                },
            ],
            tags: BTreeMap::from([("env".to_string(), "prod".to_string())]),
            ratio: Some(0.5),
            enabled: true,
            size: -3,
        }
    }

    #[test]
    fn strings_and_integers_are_written_as_serde_json_writes_them() {
        for s in [
            "portId",
            "",
            "é \u{7f} ok",
            "a\"b",
            "back\\slash",
            "\u{1}\n\t",
            "fra-sel",
        ] {
            let mut out = Vec::new();
            json_string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        let keys = ["portId", "", "a\"b", "back\\slash", "\u{1}\n", "é"];
        let map: BTreeMap<String, i64> = keys.iter().map(|k| (k.to_string(), 1)).collect();
        let mut w = Writer {
            form: Form::Json(Vec::new()),
        };
        map.encode(&mut w);
        let Form::Json(out) = w.form else {
            unreachable!("a JSON writer")
        };
        assert_eq!(out, serde_json::to_vec(&map).unwrap(), "keys {keys:?}");
        for n in [i64::MIN, -1, 0, 7, i64::MAX] {
            let mut w = Writer {
                form: Form::Json(Vec::new()),
            };
            n.encode(&mut w);
            let Form::Json(out) = w.form else {
                unreachable!("a JSON writer")
            };
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    #[test]
    fn json_leaves_out_absent_fields_and_escapes_strings() {
        let body = Writer::json(&request());
        let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({
                "Endpoint": [{"portId": "a \"quoted\" é", "vlanId": 1001}, {"portId": "b"}],
                "Tag": {"env": "prod"}, "ratio": 0.5, "enabled": true, "size": -3
            })
        );
        assert!(!String::from_utf8(body).unwrap().contains("null"));
    }

    #[test]
    fn query_flattens_with_dots_and_one_based_indices() {
        let pairs = Writer::query(&request());
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("Endpoint.1.portId", "a \"quoted\" é"),
                ("Endpoint.1.vlanId", "1001"),
                ("Endpoint.2.portId", "b"),
                ("Tag.env", "prod"),
                ("ratio", "0.5"),
                ("enabled", "true"),
                ("size", "-3"),
            ]
        );
    }

    #[derive(Debug)]
    struct Inner {
        ids: Vec<String>,
        x: String,
    }

    impl Params for Inner {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            let comma = Placement::DEFAULT.comma_separated();
            v.placed("Ids", &self.ids, crate::Rules::NONE, comma);
            v.field("x", &self.x);
        }
    }

    struct Outer {
        inner: Inner,
        list: Vec<Inner>,
    }

    impl Params for Outer {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            v.nested("Inner", &self.inner);
            v.nested("List", &self.list);
        }
    }

    #[test]
    fn a_nested_name_starts_with_the_top_level_one_kept_apart() {
        let inner = |x: &str| Inner {
            ids: vec!["a".into(), "b".into()],
            x: x.into(),
        };
        let outer = Outer {
            inner: inner("0"),
            list: vec![inner("1"), inner("2")],
        };
        let pairs = Writer::query(&outer);
        let pairs: Vec<(&str, &str)> = (pairs.iter())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("Inner.Ids", "a,b"),
                ("Inner.x", "0"),
                ("List.1.Ids", "a,b"),
                ("List.1.x", "1"),
                ("List.2.Ids", "a,b"),
                ("List.2.x", "2"),
            ]
        );
    }

    struct Placed {
        ids: Vec<String>,
        endpoints: Option<Vec<Endpoint>>,
        note: Option<String>,
        tags: Vec<String>,
        region: String,
    }

    impl Params for Placed {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            let rules = crate::Rules::NONE;
            v.placed(
                "Ids",
                &self.ids,
                rules,
                Placement::DEFAULT.comma_separated(),
            );
            v.placed(
                "Endpoints",
                &self.endpoints,
                rules,
                Placement::DEFAULT.json().form(),
            );
            v.placed("Note", &self.note, rules, Placement::DEFAULT.form());
            v.placed("Tag", &self.tags, rules, Placement::DEFAULT.form());
            v.field("RegionId", &self.region);
        }
    }

    fn placed() -> Placed {
        Placed {
            ids: vec!["a".into(), "b c".into()],
            endpoints: Some(vec![Endpoint {
                port: "p\"1".into(),
                vlan: Some(7),
            }]),
            note: None,
            tags: vec!["x".into(), "y".into()],
            region: "cn-shanghai".into(),
        }
    }

    #[test]
    fn a_top_level_name_is_the_generated_constant_and_a_dotted_one_is_built() {
        let RpcParams { query, .. } = Writer::rpc(&request());
        assert_eq!(query.len(), 7);
        for (name, _) in &query {
            let borrowed = matches!(name, Cow::Borrowed(_));
            assert_eq!(borrowed, !name.contains('.'), "{name}");
        }
        let names: Vec<&str> = query.iter().map(|(name, _)| name.as_ref()).collect();
        let pairs = Writer::query(&request());
        assert_eq!(
            names,
            pairs.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn placements_give_one_json_or_comma_joined_parameter_and_split_off_the_form() {
        let RpcParams { query, form } = Writer::rpc(&placed());
        let owned = |v: &[(&str, &str)]| -> Vec<Param> {
            v.iter()
                .map(|(k, v)| (k.to_string().into(), v.to_string()))
                .collect()
        };
        assert_eq!(
            query,
            owned(&[("Ids", "a,b c"), ("RegionId", "cn-shanghai")])
        );
        assert_eq!(
            form,
            owned(&[
                ("Endpoints", r#"[{"portId":"p\"1","vlanId":7}]"#),
                ("Tag.1", "x"),
                ("Tag.2", "y"),
            ]),
            "an absent form parameter is left out; a flat one keeps its dotted names"
        );
        // All of them, as the documentation lists a request.
        assert_eq!(Writer::query(&placed()).len(), 5);
    }

    #[test]
    fn a_json_body_ignores_placements() {
        let body: serde_json::Value = serde_json::from_slice(&Writer::json(&placed())).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "Ids": ["a", "b c"], "Endpoints": [{"portId": "p\"1", "vlanId": 7}],
                "Tag": ["x", "y"], "RegionId": "cn-shanghai"
            })
        );
    }

    #[test]
    fn floats_that_json_cannot_carry_are_null_or_left_out() {
        let mut r = request();
        r.ratio = Some(f64::NAN);
        assert!(
            String::from_utf8(Writer::json(&r))
                .unwrap()
                .contains("\"ratio\":null")
        );
        assert!(!Writer::query(&r).iter().any(|(k, _)| k == "ratio"));
    }
}
