//! Checking documented constraints before anything is sent.
//!
//! Generated types implement [`Validate`] with one [`Problems::check`] call per
//! constrained field and one [`Problems::nested`] call per structure-typed
//! field; all the rule logic lives here, once. Every broken rule is reported
//! (not only the first), each naming the field by its wire path, e.g.
//! `endpointA.vlanId`.

use std::fmt;

/// The documented limits of one field. Unset limits are `None`.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Smallest allowed number.
    pub min: Option<i64>,
    /// Largest allowed number.
    pub max: Option<i64>,
    /// Shortest string, in characters.
    pub min_length: Option<u64>,
    /// Longest string, in characters.
    pub max_length: Option<u64>,
    /// Regular expression the whole string must match.
    pub pattern: Option<&'static str>,
    /// Only ASCII characters.
    pub ascii: bool,
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
}

impl Rules {
    /// No limits; generated code chains limits onto it: `Rules::NONE.min(1).max(500)`.
    pub const NONE: Rules = Rules {
        min: None,
        max: None,
        min_length: None,
        max_length: None,
        pattern: None,
        ascii: false,
        min_items: None,
        max_items: None,
    };

    /// Sets the smallest allowed number.
    pub const fn min(mut self, min: i64) -> Self {
        self.min = Some(min);
        self
    }

    /// Sets the largest allowed number.
    pub const fn max(mut self, max: i64) -> Self {
        self.max = Some(max);
        self
    }

    /// Sets the shortest allowed string, in characters.
    pub const fn min_length(mut self, min: u64) -> Self {
        self.min_length = Some(min);
        self
    }

    /// Sets the longest allowed string, in characters.
    pub const fn max_length(mut self, max: u64) -> Self {
        self.max_length = Some(max);
        self
    }

    /// Sets the regular expression the whole string must match.
    pub const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// Allows only ASCII characters.
    pub const fn ascii(mut self) -> Self {
        self.ascii = true;
        self
    }

    /// Sets the fewest list items.
    pub const fn min_items(mut self, min: u64) -> Self {
        self.min_items = Some(min);
        self
    }

    /// Sets the most list items.
    pub const fn max_items(mut self, max: u64) -> Self {
        self.max_items = Some(max);
        self
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Wire path of the field, e.g. `endpointA.vlanId`.
    pub field: String,
    /// The rule, e.g. `must be at most 500`.
    pub rule: String,
}

/// Every broken rule of an input; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The problems, in field order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid input: ")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "`{}` {}", p.field, p.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects problems while a value is checked, tracking the wire path being checked.
#[derive(Debug, Default)]
pub struct Problems {
    found: Vec<Problem>,
    path: String,
}

impl Problems {
    /// Records that `field` (under the current path) breaks `rule`.
    pub fn push(&mut self, field: &str, rule: impl Into<String>) {
        let field = if self.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", self.path)
        };
        self.found.push(Problem {
            field,
            rule: rule.into(),
        });
    }

    /// Checks one field against its rules.
    pub fn check<T: Checkable + ?Sized>(&mut self, field: &str, value: &T, rules: &Rules) {
        value.check(field, rules, self);
    }

    /// Checks a structure-typed field (or a list, map or option of them).
    pub fn nested<T: Validate + ?Sized>(&mut self, field: &str, value: &T) {
        let separator = if self.path.is_empty() || field.starts_with('[') {
            ""
        } else {
            "."
        };
        // No `format!` here: this runs for every nested field of every valid request.
        let len = self.path.len();
        self.path.push_str(separator);
        self.path.push_str(field);
        value.validate_into(self);
        self.path.truncate(len);
    }

    /// Runs `f` with `segment` appended to the current path.
    fn within(&mut self, segment: &str, f: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        self.path.push_str(segment);
        f(self);
        self.path.truncate(len);
    }

    /// Checks that `keys` (one per list item) do not repeat.
    pub fn unique<K: PartialEq + fmt::Debug>(
        &mut self,
        field: &str,
        key_name: &str,
        keys: impl IntoIterator<Item = K>,
    ) {
        let keys: Vec<K> = keys.into_iter().collect();
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].contains(key) {
                self.push(
                    field,
                    format!("repeats {key_name} {key:?}; each {key_name} may appear once"),
                );
            }
        }
    }

    /// The collected problems as a result.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                problems: self.found,
            })
        }
    }
}

/// A value whose documented constraints can be checked.
pub trait Validate {
    /// Adds this value's problems to `problems` (field paths continue its current path).
    fn validate_into(&self, problems: &mut Problems);

    /// Checks the value; `Err` lists every broken rule.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut problems = Problems::default();
        self.validate_into(&mut problems);
        problems.finish()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, problems: &mut Problems) {
        if let Some(v) = self {
            v.validate_into(problems);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, problems: &mut Problems) {
        for (i, v) in self.iter().enumerate() {
            problems.within(&format!("[{i}]"), |p| v.validate_into(p));
        }
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_into(&self, problems: &mut Problems) {
        for (k, v) in self {
            problems.within(&format!(".{k}"), |p| v.validate_into(p));
        }
    }
}

/// A field type whose value can break a rule.
pub trait Checkable {
    /// Records every rule `self` breaks.
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems);
}

impl Checkable for str {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        let chars = self.chars().count() as u64;
        if let Some(min) = rules.min_length
            && chars < min
        {
            problems.push(
                field,
                format!("must have at least {min} characters (has {chars})"),
            );
        }
        if let Some(max) = rules.max_length
            && chars > max
        {
            problems.push(
                field,
                format!("must have at most {max} characters (has {chars})"),
            );
        }
        if rules.ascii && !self.is_ascii() {
            problems.push(field, "must contain only ASCII characters");
        }
        if let Some(pattern) = rules.pattern
            && !matches_whole(pattern, self)
        {
            problems.push(field, format!("must match the pattern {pattern}"));
        }
    }
}

impl Checkable for String {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        self.as_str().check(field, rules, problems);
    }
}

fn matches_whole(pattern: &str, value: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value))
}

fn check_range(value: f64, field: &str, rules: &Rules, problems: &mut Problems) {
    if let Some(min) = rules.min
        && value < min as f64
    {
        problems.push(field, format!("must be at least {min} (is {value})"));
    }
    if let Some(max) = rules.max
        && value > max as f64
    {
        problems.push(field, format!("must be at most {max} (is {value})"));
    }
}

impl Checkable for i32 {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        check_range(f64::from(*self), field, rules, problems);
    }
}

impl Checkable for i64 {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        // Documented limits are far below 2^53, so the conversion is exact where it matters.
        check_range(*self as f64, field, rules, problems);
    }
}

impl Checkable for f64 {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        check_range(*self, field, rules, problems);
    }
}

impl<T: Checkable> Checkable for Option<T> {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        if let Some(v) = self {
            v.check(field, rules, problems);
        }
    }
}

impl<T> Checkable for Vec<T> {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        let n = self.len() as u64;
        if let Some(min) = rules.min_items
            && n < min
        {
            problems.push(field, format!("must have at least {min} items (has {n})"));
        }
        if let Some(max) = rules.max_items
            && n > max
        {
            problems.push(field, format!("must have at most {max} items (has {n})"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Endpoint {
        vlan: i32,
    }

    impl Validate for Endpoint {
        fn validate_into(&self, p: &mut Problems) {
            p.check("vlanId", &self.vlan, &Rules::NONE.min(1).max(4096));
        }
    }

    #[test]
    fn reports_every_broken_rule_with_its_wire_path() {
        let mut p = Problems::default();
        p.nested("endpointA", &Endpoint { vlan: 5000 });
        p.nested(
            "endpoints",
            &vec![Endpoint { vlan: 7 }, Endpoint { vlan: 0 }],
        );
        p.check("name", "é", &Rules::NONE.ascii().max_length(0));
        let err = p.finish().unwrap_err();
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["endpointA.vlanId", "endpoints[1].vlanId", "name", "name"]
        );
        assert_eq!(
            err.to_string(),
            "invalid input: `endpointA.vlanId` must be at most 4096 (is 5000); \
             `endpoints[1].vlanId` must be at least 1 (is 0); \
             `name` must have at most 0 characters (has 1); `name` must contain only ASCII characters"
        );
    }

    #[test]
    fn counts_characters_not_bytes_and_anchors_patterns() {
        let mut p = Problems::default();
        p.check("zh", "端口", &Rules::NONE.max_length(2));
        p.check("name", "ab-1", &Rules::NONE.pattern("[a-z0-9-]+"));
        assert!(p.finish().is_ok());
        let mut p = Problems::default();
        p.check("name", "ab_1", &Rules::NONE.pattern("[a-z0-9-]+"));
        assert_eq!(
            p.finish().unwrap_err().problems[0].rule,
            "must match the pattern [a-z0-9-]+"
        );
    }

    #[test]
    fn unique_flags_each_repeat_once() {
        let mut p = Problems::default();
        p.unique("tags", "key", ["a", "b", "a"]);
        let err = p.finish().unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(
            err.problems[0].rule,
            "repeats key \"a\"; each key may appear once"
        );
    }
}
