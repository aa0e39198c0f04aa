//! One walk over the fields of an input or request structure, shared by
//! encoding and validation.
//!
//! A generated request type implements [`Params`] with one [`ParamVisitor`]
//! call per field, by wire name: [`field`](ParamVisitor::field) for a value
//! without limits, [`checked`](ParamVisitor::checked) with its documented
//! [`Rules`], [`nested`](ParamVisitor::nested) for structure-typed values.
//! The encoder writes every field; the validator checks only the checked and
//! nested ones. Listing the fields once keeps what is sent and what is checked
//! from drifting apart, and costs a type one small function instead of two.
//! The same walk prints an input's `Debug` ([`debug_params`]): a derived
//! `Debug` was a twelfth of the instructions to build a generated crate, and a
//! call of this walk costs a quarter of it (BENCHMARKS.md). It also carries an
//! action's idempotency token ([`token`](ParamVisitor::token)): a call's check
//! finds it and the encoding writes a fresh one where the caller left it empty
//! ([`Sent`]), so an action needs no method of its own to hand the field out.

use std::fmt::{self, Debug};

use crate::encode::{Encode, Encoding, Object, Placement, Writer, list_items};
use crate::validate::{Checkable, Problems, Rules, Validate, ValidationError};

/// The wire fields of an input or request structure (implemented by generated types).
pub trait Params {
    /// Visits every field, in wire order.
    fn params(&self, v: &mut ParamVisitor<'_>);
}

/// What a [`Params`] walk is for: writing the fields, checking them, or printing them.
#[derive(Debug)]
pub struct ParamVisitor<'a> {
    mode: Mode<'a>,
    token: Token,
}

/// The idempotency token, as one walk meets it.
#[derive(Debug, Default)]
enum Token {
    /// No token met (or, encoding, none to fill in).
    #[default]
    None,
    /// A check met the token field; `empty` when the caller left it unset or empty.
    Met { empty: bool },
    /// An encoding writes this value for an empty token.
    Fill(String),
}

#[derive(Debug)]
enum Mode<'a> {
    Encode(Object<'a>),
    Check(&'a mut Problems),
    Print(&'a mut dyn PrintField),
}

/// `Debug` of a generated request type as `derive(Debug)` prints it: `name`,
/// then each field under its Rust name (`fields`, in declaration order, which
/// is the order [`Params::params`] visits them in) with its value's `Debug`.
pub fn debug_params(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    fields: &[&str],
    params: &dyn Params,
) -> fmt::Result {
    let mut printer = Printer {
        out: f.debug_struct(name),
        fields,
        next: 0,
    };
    params.params(&mut ParamVisitor {
        mode: Mode::Print(&mut printer),
        token: Token::None,
    });
    printer.out.finish()
}

/// Where a printing walk sends each field's value (a trait object, so that
/// [`ParamVisitor`] keeps its one lifetime).
trait PrintField: Debug {
    fn field(&mut self, value: &dyn Debug);
}

/// The struct being printed by [`debug_params`] and the index of the next field's name.
struct Printer<'a, 'b, 'n> {
    out: fmt::DebugStruct<'a, 'b>,
    fields: &'n [&'n str],
    next: usize,
}

impl PrintField for Printer<'_, '_, '_> {
    fn field(&mut self, value: &dyn Debug) {
        let name = self.fields.get(self.next).copied().unwrap_or("_");
        self.next += 1;
        self.out.field(name, value);
    }
}

impl Debug for Printer<'_, '_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Printer")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl<'a> ParamVisitor<'a> {
    pub(crate) fn encoder(o: Object<'a>) -> Self {
        Self {
            mode: Mode::Encode(o),
            token: Token::None,
        }
    }

    fn checker(p: &'a mut Problems) -> Self {
        Self {
            mode: Mode::Check(p),
            token: Token::None,
        }
    }

    /// A field without documented limits: written, never checked.
    pub fn field<T: Encode>(&mut self, name: &'static str, value: &T) {
        match &mut self.mode {
            Mode::Encode(o) => o.typed_field(name, value),
            Mode::Print(p) => p.field(value),
            Mode::Check(_) => {}
        }
    }

    /// A field with documented limits: written, and checked against `rules`.
    pub fn checked<T: Encode + Checkable>(&mut self, name: &'static str, value: &T, rules: Rules) {
        match &mut self.mode {
            Mode::Encode(o) => o.typed_field(name, value),
            Mode::Check(p) => value.check(name, &rules, p),
            Mode::Print(p) => p.field(value),
        }
    }

    /// An RPC parameter with its own [`Placement`] (JSON text or `,`-joined
    /// in one parameter, or in the form body): written so, and checked
    /// against `rules` (and field by field if it holds structures). The items
    /// of a `,`-joined list must not contain `,`: the service could not tell
    /// them apart.
    pub fn placed<T: Encode + Checkable>(
        &mut self,
        name: &'static str,
        value: &T,
        rules: Rules,
        placement: Placement,
    ) {
        match &mut self.mode {
            Mode::Encode(o) => o.placed(name, value, placement),
            Mode::Print(p) => p.field(value),
            Mode::Check(p) => {
                value.check(name, &rules, p);
                if placement.encoding == Encoding::CommaSeparated {
                    for item in list_items(value).iter().filter(|i| i.contains(',')) {
                        p.push(
                            name,
                            format!("holds {item:?}, but its items are sent joined by `,`, so none may contain one"),
                        );
                    }
                }
            }
        }
    }

    /// The action's idempotency token (an optional string): written and checked
    /// like [`checked`](Self::checked), except that a call fills an unset or
    /// empty token with a fresh UUID, the same in every attempt, and repeats
    /// a write that has one after a failure that may not have reached the
    /// service.
    pub fn token(&mut self, name: &'static str, value: &Option<String>, rules: Rules) {
        match self.fill(value) {
            Some(fill) => self.checked(name, &fill, rules),
            None => self.checked(name, value, rules),
        }
    }

    /// An idempotency token with its own [`Placement`]: [`token`](Self::token)
    /// written as [`placed`](Self::placed) writes.
    pub fn placed_token(
        &mut self,
        name: &'static str,
        value: &Option<String>,
        rules: Rules,
        placement: Placement,
    ) {
        match self.fill(value) {
            Some(fill) => self.placed(name, &fill, rules, placement),
            None => self.placed(name, value, rules, placement),
        }
    }

    /// Notes the token `value` (a check) and, in an encoding with a token to
    /// fill in, gives that token instead of an unset or empty `value`.
    fn fill(&mut self, value: &Option<String>) -> Option<Option<String>> {
        let empty = value.as_deref().is_none_or(str::is_empty);
        match std::mem::take(&mut self.token) {
            Token::Fill(token) if empty => Some(Some(token)),
            _ if matches!(self.mode, Mode::Check(_)) => {
                self.token = Token::Met { empty };
                None
            }
            _ => None,
        }
    }

    /// A structure-typed field (or a list, map or option of structures):
    /// written, and checked field by field.
    pub fn nested<T: Encode + Checkable>(&mut self, name: &'static str, value: &T) {
        self.checked(name, value, Rules::NONE);
    }

    /// Checks that `keys` (one per item of list `field`) do not repeat; the
    /// list itself is written by its own `field`/`nested` call.
    pub fn unique<K: PartialEq + Debug>(
        &mut self,
        field: &str,
        key_name: &str,
        keys: impl IntoIterator<Item = K>,
    ) {
        if let Mode::Check(p) = &mut self.mode {
            p.unique(field, key_name, keys);
        }
    }
}

/// An action's input as a call sends it: the caller's fields, with a fresh
/// idempotency token where the caller left the input's token empty. Encoded
/// once per call, so every attempt carries the same token.
pub(crate) struct Sent<'i> {
    input: &'i (dyn Params + Sync),
    fill: Option<String>,
}

impl<'i> Sent<'i> {
    /// Checks `input` against its documented limits; with it, whether the
    /// action has an idempotency token.
    pub(crate) fn check(input: &'i (dyn Params + Sync)) -> Result<(Self, bool), ValidationError> {
        let mut problems = Problems::default();
        let mut checker = ParamVisitor::checker(&mut problems);
        input.params(&mut checker);
        let token = checker.token;
        problems.finish()?;
        let fill =
            matches!(token, Token::Met { empty: true }).then(|| uuid::Uuid::new_v4().to_string());
        let has_token = matches!(token, Token::Met { .. });
        Ok((Self { input, fill }, has_token))
    }
}

impl Params for Sent<'_> {
    fn params(&self, v: &mut ParamVisitor<'_>) {
        if let Some(fill) = &self.fill {
            v.token = Token::Fill(fill.clone());
        }
        self.input.params(v);
    }
}

impl<T: Params + Debug> Encode for T {
    fn encode(&self, w: &mut Writer) {
        w.params(self);
    }
}

/// A structure is checked by walking its fields under its own path.
impl<T: Params> Checkable for T {
    fn check(&self, field: &str, _rules: &Rules, problems: &mut Problems) {
        problems.within(field, |p| self.params(&mut ParamVisitor::checker(p)));
    }
}

impl<T: Params + ?Sized> Validate for T {
    fn validate(&self) -> Result<(), ValidationError> {
        let mut problems = Problems::default();
        self.params(&mut ParamVisitor::checker(&mut problems));
        problems.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Endpoint {
        port: String,
        vlan: i32,
    }

    impl Params for Endpoint {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            v.field("portId", &self.port);
            v.checked("vlanId", &self.vlan, Rules::NONE.min(1).max(4096));
        }
    }

    impl Debug for Endpoint {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_params(f, "Endpoint", &["port", "vlan"], self)
        }
    }

    struct Request {
        name: Option<String>,
        a: Endpoint,
        others: Vec<Endpoint>,
    }

    impl Params for Request {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            v.checked("name", &self.name, Rules::NONE.ascii().max_length(0));
            v.nested("endpointA", &self.a);
            v.nested("endpoints", &self.others);
            v.unique("endpoints", "portId", self.others.iter().map(|e| &e.port));
        }
    }

    impl Debug for Request {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_params(f, "Request", &["name", "a", "others"], self)
        }
    }

    #[test]
    fn debug_through_the_walk_prints_what_derive_debug_prints() {
        let request = Request {
            name: Some("n".into()),
            a: endpoint("p-a", 5),
            others: vec![endpoint("p-b", 7)],
        };
        // What `derive(Debug)` prints for these structs.
        assert_eq!(
            format!("{request:?}"),
            r#"Request { name: Some("n"), a: Endpoint { port: "p-a", vlan: 5 }, others: [Endpoint { port: "p-b", vlan: 7 }] }"#
        );
        let pretty = format!("{request:#?}");
        assert!(
            pretty.starts_with("Request {\n    name: Some(\n        \"n\",\n    ),\n    a: Endpoint {\n        port: \"p-a\",\n"),
            "{pretty}"
        );
    }

    #[test]
    fn a_field_without_a_name_prints_under_an_underscore() {
        struct Short(Endpoint);
        impl Params for Short {
            fn params(&self, v: &mut ParamVisitor<'_>) {
                self.0.params(v);
            }
        }
        impl Debug for Short {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug_params(f, "Short", &["port"], self)
            }
        }
        let short = Short(endpoint("p", 1));
        assert_eq!(format!("{short:?}"), r#"Short { port: "p", _: 1 }"#);
    }

    fn endpoint(port: &str, vlan: i32) -> Endpoint {
        Endpoint {
            port: port.into(),
            vlan,
        }
    }

    #[test]
    fn validation_reports_every_broken_rule_with_its_wire_path() {
        let request = Request {
            name: Some("é".into()),
            a: endpoint("p-a", 5000),
            others: vec![endpoint("p-b", 7), endpoint("p-b", 0)],
        };
        let err = request.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: `name` must have at most 0 characters (has 1); \
             `name` must contain only ASCII characters; \
             `endpointA.vlanId` must be at most 4096 (is 5000); \
             `endpoints[1].vlanId` must be at least 1 (is 0); \
             `endpoints` repeats portId \"p-b\"; each portId may appear once"
        );
    }

    struct Joined {
        ids: Vec<String>,
    }

    impl Params for Joined {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            let comma = Placement::DEFAULT.comma_separated();
            v.placed("Ids", &self.ids, Rules::NONE.max_items(3), comma);
        }
    }

    #[test]
    fn comma_joined_items_may_not_contain_a_comma() {
        let ok = Joined {
            ids: vec!["a".into(), "b c".into()],
        };
        assert!(ok.validate().is_ok());
        let bad = Joined {
            ids: vec!["a,b".into(), "c".into(), "d".into(), "e".into()],
        };
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "invalid input: `Ids` must have at most 3 items (has 4); \
             `Ids` holds \"a,b\", but its items are sent joined by `,`, so none may contain one"
        );
    }

    #[test]
    fn the_same_walk_writes_every_field_once() {
        let request = Request {
            name: None,
            a: endpoint("p-a", 5000),
            others: vec![endpoint("p-b", 7)],
        };
        assert_eq!(
            String::from_utf8(Writer::json(&request)).unwrap(),
            r#"{"endpointA":{"portId":"p-a","vlanId":5000},"endpoints":[{"portId":"p-b","vlanId":7}]}"#
        );
    }

    /// An input with a token, written plainly (JSON) or in the form body (RPC).
    struct Tokened {
        token: Option<String>,
        placed: bool,
    }

    impl Params for Tokened {
        fn params(&self, v: &mut ParamVisitor<'_>) {
            v.field("name", &"n".to_string());
            let rules = Rules::NONE.max_length(8);
            if self.placed {
                v.placed_token("Token", &self.token, rules, Placement::DEFAULT.form());
            } else {
                v.token("token", &self.token, rules);
            }
        }
    }

    fn tokened(token: Option<&str>, placed: bool) -> Tokened {
        Tokened {
            token: token.map(str::to_owned),
            placed,
        }
    }

    #[test]
    fn a_call_fills_an_empty_token_once_and_keeps_a_given_one() {
        for empty in [None, Some("")] {
            let input = tokened(empty, false);
            let (sent, has_token) = Sent::check(&input).unwrap();
            assert!(has_token);
            let body: serde_json::Value = serde_json::from_slice(&Writer::json(&sent)).unwrap();
            let token = body["token"].as_str().expect("a token is sent");
            assert!(uuid::Uuid::parse_str(token).is_ok(), "{token}");
            // Every encoding of one call carries the same token.
            assert_eq!(Writer::json(&sent), Writer::json(&sent));
            assert_eq!(format!("{:?}", input.token), format!("{empty:?}"));
        }
        let given = tokened(Some("mine"), false);
        let (sent, has_token) = Sent::check(&given).unwrap();
        assert!(has_token);
        assert_eq!(Writer::json(&sent), br#"{"name":"n","token":"mine"}"#);
    }

    #[test]
    fn a_placed_token_is_filled_where_its_placement_puts_it() {
        let input = tokened(None, true);
        let (sent, has_token) = Sent::check(&input).unwrap();
        assert!(has_token);
        let crate::encode::RpcParams { query, form } = Writer::rpc(&sent);
        assert_eq!(query, [("name".into(), "n".to_string())]);
        assert!(matches!(&form[..], [(name, token)] if name == "Token" && token.len() == 36));
    }

    #[test]
    fn the_callers_token_is_checked_and_an_input_without_one_has_none() {
        let long = tokened(Some("123456789"), false);
        assert_eq!(
            Sent::check(&long).err().map(|e| e.to_string()).as_deref(),
            Some("invalid input: `token` must have at most 8 characters (has 9)")
        );
        let plain = endpoint("p", 1);
        let (sent, has_token) = Sent::check(&plain).unwrap();
        assert!(!has_token);
        assert_eq!(Writer::json(&sent), br#"{"portId":"p","vlanId":1}"#);
    }
}
