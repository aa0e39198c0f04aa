//! Checking documented constraints before anything is sent.
//!
//! Generated types implement [`Validate`] with one [`Problems::check`] call per
//! constrained field and one [`Problems::nested`] call per structure-typed
//! field; all the rule logic lives here, once. Every broken rule is reported
//! (not only the first), each naming the field by its wire path, e.g.
//! `endpointA.vlanId`.

use std::fmt;

/// The documented limits of one field. Unset limits are `None`.
#[derive(Debug, Clone, Copy, Default)]
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
    /// No limits; generated code writes `Rules { max: Some(5), ..Rules::NONE }`.
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

/// Collects problems while a value is checked.
#[derive(Debug, Default)]
pub struct Problems {
    found: Vec<Problem>,
}

impl Problems {
    /// Records a broken rule.
    pub fn push(&mut self, path: &str, field: &str, rule: impl Into<String>) {
        self.found.push(Problem {
            field: join(path, field),
            rule: rule.into(),
        });
    }

    /// Checks one field against its rules.
    pub fn check<T: Checkable + ?Sized>(
        &mut self,
        path: &str,
        field: &str,
        value: &T,
        rules: &Rules,
    ) {
        value.check(path, field, rules, self);
    }

    /// Checks a structure-typed field (or a list or option of them).
    pub fn nested<T: Validate + ?Sized>(&mut self, path: &str, field: &str, value: &T) {
        value.validate_into(&join(path, field), self);
    }

    /// Checks that `keys` (one per list item) do not repeat.
    pub fn unique<K: PartialEq + fmt::Debug>(
        &mut self,
        path: &str,
        field: &str,
        key_name: &str,
        keys: impl IntoIterator<Item = K>,
    ) {
        let keys: Vec<K> = keys.into_iter().collect();
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].contains(key) {
                self.push(
                    path,
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

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// A value whose documented constraints can be checked.
pub trait Validate {
    /// Adds this value's problems, with field paths under `path`.
    fn validate_into(&self, path: &str, problems: &mut Problems);

    /// Checks the value; `Err` lists every broken rule.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut problems = Problems::default();
        self.validate_into("", &mut problems);
        problems.finish()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &str, problems: &mut Problems) {
        if let Some(v) = self {
            v.validate_into(path, problems);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &str, problems: &mut Problems) {
        for (i, v) in self.iter().enumerate() {
            v.validate_into(&format!("{path}[{i}]"), problems);
        }
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_into(&self, path: &str, problems: &mut Problems) {
        for (k, v) in self {
            v.validate_into(&format!("{path}.{k}"), problems);
        }
    }
}

/// A field type whose value can break a rule.
pub trait Checkable {
    /// Records every rule `self` breaks.
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems);
}

impl Checkable for str {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        let chars = self.chars().count() as u64;
        if let Some(min) = rules.min_length
            && chars < min
        {
            problems.push(
                path,
                field,
                format!("must have at least {min} characters (has {chars})"),
            );
        }
        if let Some(max) = rules.max_length
            && chars > max
        {
            problems.push(
                path,
                field,
                format!("must have at most {max} characters (has {chars})"),
            );
        }
        if rules.ascii && !self.is_ascii() {
            problems.push(path, field, "must contain only ASCII characters");
        }
        if let Some(pattern) = rules.pattern
            && !matches_whole(pattern, self)
        {
            problems.push(path, field, format!("must match the pattern {pattern}"));
        }
    }
}

impl Checkable for String {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        self.as_str().check(path, field, rules, problems);
    }
}

fn matches_whole(pattern: &str, value: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value))
}

fn check_range(value: f64, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
    if let Some(min) = rules.min
        && value < min as f64
    {
        problems.push(path, field, format!("must be at least {min} (is {value})"));
    }
    if let Some(max) = rules.max
        && value > max as f64
    {
        problems.push(path, field, format!("must be at most {max} (is {value})"));
    }
}

impl Checkable for i32 {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        check_range(f64::from(*self), path, field, rules, problems);
    }
}

impl Checkable for i64 {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        // Documented limits are far below 2^53, so the conversion is exact where it matters.
        check_range(*self as f64, path, field, rules, problems);
    }
}

impl Checkable for f64 {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        check_range(*self, path, field, rules, problems);
    }
}

impl<T: Checkable> Checkable for Option<T> {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        if let Some(v) = self {
            v.check(path, field, rules, problems);
        }
    }
}

impl<T> Checkable for Vec<T> {
    fn check(&self, path: &str, field: &str, rules: &Rules, problems: &mut Problems) {
        let n = self.len() as u64;
        if let Some(min) = rules.min_items
            && n < min
        {
            problems.push(
                path,
                field,
                format!("must have at least {min} items (has {n})"),
            );
        }
        if let Some(max) = rules.max_items
            && n > max
        {
            problems.push(
                path,
                field,
                format!("must have at most {max} items (has {n})"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_broken_rule_with_its_path() {
        let mut p = Problems::default();
        p.check(
            "endpointA",
            "vlanId",
            &5000_i32,
            &Rules {
                min: Some(1),
                max: Some(4096),
                ..Rules::NONE
            },
        );
        p.check(
            "",
            "name",
            "é",
            &Rules {
                ascii: true,
                max_length: Some(0),
                ..Rules::NONE
            },
        );
        let err = p.finish().unwrap_err();
        assert_eq!(err.problems.len(), 3);
        assert_eq!(err.problems[0].field, "endpointA.vlanId");
        assert_eq!(err.problems[0].rule, "must be at most 4096 (is 5000)");
        assert_eq!(
            err.to_string(),
            "invalid input: `endpointA.vlanId` must be at most 4096 (is 5000); \
             `name` must have at most 0 characters (has 1); `name` must contain only ASCII characters"
        );
    }

    #[test]
    fn counts_characters_not_bytes_and_anchors_patterns() {
        let mut p = Problems::default();
        p.check(
            "",
            "zh",
            "端口",
            &Rules {
                max_length: Some(2),
                ..Rules::NONE
            },
        );
        p.check(
            "",
            "name",
            "ab-1",
            &Rules {
                pattern: Some("[a-z0-9-]+"),
                ..Rules::NONE
            },
        );
        assert!(p.finish().is_ok());
        let mut p = Problems::default();
        p.check(
            "",
            "name",
            "ab_1",
            &Rules {
                pattern: Some("[a-z0-9-]+"),
                ..Rules::NONE
            },
        );
        assert_eq!(
            p.finish().unwrap_err().problems[0].rule,
            "must match the pattern [a-z0-9-]+"
        );
    }

    #[test]
    fn unique_flags_each_repeat_once() {
        let mut p = Problems::default();
        p.unique("tags", "tags", "key", ["a", "b", "a"]);
        let err = p.finish().unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(
            err.problems[0].rule,
            "repeats key \"a\"; each key may appear once"
        );
    }
}
