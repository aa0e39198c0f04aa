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

use std::fmt::Debug;

use crate::encode::{Encode, Object, Placement, Writer};
use crate::validate::{Checkable, Problems, Rules, Validate, ValidationError};

/// The wire fields of an input or request structure (implemented by generated types).
pub trait Params {
    /// Visits every field, in wire order.
    fn params(&self, v: &mut ParamVisitor<'_>);
}

/// What a [`Params`] walk is for: writing the fields, or checking them.
#[derive(Debug)]
pub struct ParamVisitor<'a> {
    mode: Mode<'a>,
}

#[derive(Debug)]
enum Mode<'a> {
    Encode(Object<'a>),
    Check(&'a mut Problems),
}

impl<'a> ParamVisitor<'a> {
    pub(crate) fn encoder(o: Object<'a>) -> Self {
        Self {
            mode: Mode::Encode(o),
        }
    }

    fn checker(p: &'a mut Problems) -> Self {
        Self {
            mode: Mode::Check(p),
        }
    }

    /// A field without documented limits: written, never checked.
    pub fn field<T: Encode>(&mut self, name: &str, value: &T) {
        if let Mode::Encode(o) = &mut self.mode {
            o.field(name, value);
        }
    }

    /// A field with documented limits: written, and checked against `rules`.
    pub fn checked<T: Encode + Checkable>(&mut self, name: &str, value: &T, rules: Rules) {
        match &mut self.mode {
            Mode::Encode(o) => o.field(name, value),
            Mode::Check(p) => value.check(name, &rules, p),
        }
    }

    /// An RPC parameter with its own [`Placement`] (JSON text or `,`-joined
    /// in one parameter, or in the form body): written so, and checked
    /// against `rules` (and field by field if it holds structures).
    pub fn placed<T: Encode + Checkable>(
        &mut self,
        name: &str,
        value: &T,
        rules: Rules,
        placement: Placement,
    ) {
        match &mut self.mode {
            Mode::Encode(o) => o.placed(name, value, placement),
            Mode::Check(p) => value.check(name, &rules, p),
        }
    }

    /// A structure-typed field (or a list, map or option of structures):
    /// written, and checked field by field.
    pub fn nested<T: Encode + Checkable>(&mut self, name: &str, value: &T) {
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

impl<T: Params> Encode for T {
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
}
