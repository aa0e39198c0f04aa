//! Checking documented constraints before anything is sent.
//!
//! Generated types name each constrained field's [`Rules`] in their
//! [`Params`](crate::params::Params) impl, and mark structure-typed fields to
//! be checked recursively; all the rule logic lives here, once ([`Checkable`]).
//! Every broken rule is reported (not only the first), each naming the field
//! by its wire path, e.g. `endpointA.vlanId`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write};

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
    path: crate::path::Walked,
}

impl Problems {
    /// Records that `field` (under the current path; empty for the current
    /// path itself) breaks `rule`.
    pub fn push(&mut self, field: &str, rule: impl Into<String>) {
        let mut path = self.path.as_str().to_owned();
        crate::path::push(&mut path, field);
        self.found.push(Problem {
            field: path,
            rule: rule.into(),
        });
    }

    /// Runs `f` with `field` appended to the current path (no `format!`: this
    /// runs for every nested field of every valid request).
    pub(crate) fn within(&mut self, field: &str, f: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        self.path.push(field);
        f(self);
        self.path.truncate(len);
    }

    /// Runs `f` with the list index `[i]` appended to the current path.
    fn within_item(&mut self, i: usize, f: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        // Writing into a path cannot fail.
        let _ = write!(self.path, "[{i}]");
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

/// An input or request structure whose documented limits can be checked
/// before sending (implemented for every generated request type).
pub trait Validate {
    /// Checks the value; `Err` lists every broken rule.
    fn validate(&self) -> Result<(), ValidationError>;
}

/// A field type whose value can break a rule. Types without limits (`bool`,
/// enums) keep the default, which finds nothing.
pub trait Checkable {
    /// Records every rule `self` breaks, naming it `field`.
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        let _ = (field, rules, problems);
    }
}

impl Checkable for bool {}

impl Checkable for str {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        if !length_settled(self, rules) {
            check_length(self, field, rules, problems);
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

/// Whether `s`'s byte length alone shows it within its length limits:
/// UTF-8 takes one to four bytes a character, so `s` has at most `len`
/// and at least `len / 4` (rounded up) characters. Most values are well
/// within their limits, so the characters are counted only when this says
/// nothing.
fn length_settled(s: &str, rules: &Rules) -> bool {
    let bytes = s.len() as u64;
    rules.max_length.is_none_or(|max| bytes <= max)
        && rules.min_length.is_none_or(|min| bytes.div_ceil(4) >= min)
}

/// Records the length limits `s` breaks, counted in characters.
fn check_length(s: &str, field: &str, rules: &Rules, problems: &mut Problems) {
    let chars = s.chars().count() as u64;
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
}

impl Checkable for String {
    fn check(&self, field: &str, rules: &Rules, problems: &mut Problems) {
        self.as_str().check(field, rules, problems);
    }
}

/// Whether `pattern` matches all of `value`. Each thread compiles a pattern
/// once (a compile costs far more than a call's other checks); patterns are
/// the generated code's literals, so the cache is bounded by the crate.
fn matches_whole(pattern: &'static str, value: &str) -> bool {
    thread_local! {
        static COMPILED: RefCell<HashMap<&'static str, Option<regex_lite::Regex>>> =
            RefCell::default();
    }
    COMPILED.with_borrow_mut(|compiled| {
        let anchored = compiled
            .entry(pattern)
            .or_insert_with(|| regex_lite::Regex::new(&format!("^(?:{pattern})$")).ok());
        anchored.as_ref().is_some_and(|re| re.is_match(value))
    })
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

/// Counts items against the list's rules, then checks each item (structures
/// recursively; items themselves have no documented limits).
impl<T: Checkable> Checkable for Vec<T> {
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
        problems.within(field, |p| {
            for (i, item) in self.iter().enumerate() {
                p.within_item(i, |p| item.check("", &Rules::NONE, p));
            }
        });
    }
}

/// Checks each value of a map, its path continued by the key.
impl<T: Checkable> Checkable for std::collections::BTreeMap<String, T> {
    fn check(&self, field: &str, _rules: &Rules, problems: &mut Problems) {
        problems.within(field, |p| {
            for (k, v) in self {
                v.check(k, &Rules::NONE, p);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_broken_rule_with_its_path() {
        let mut p = Problems::default();
        Some(5000).check("size", &Rules::NONE.min(1).max(4096), &mut p);
        vec![1, 2, 3].check("tags", &Rules::NONE.max_items(2), &mut p);
        p.within("endpointA", |p| {
            "é".check("name", &Rules::NONE.ascii().max_length(0), p)
        });
        None::<i32>.check("absent", &Rules::NONE.min(1), &mut p);
        let err = p.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: `size` must be at most 4096 (is 5000); \
             `tags` must have at most 2 items (has 3); \
             `endpointA.name` must have at most 0 characters (has 1); \
             `endpointA.name` must contain only ASCII characters"
        );
    }

    #[test]
    fn counts_characters_not_bytes_and_anchors_patterns() {
        let mut p = Problems::default();
        "端口".check("zh", &Rules::NONE.max_length(2), &mut p);
        "ab-1".check("name", &Rules::NONE.pattern("[a-z0-9-]+"), &mut p);
        assert!(p.finish().is_ok());
        let mut p = Problems::default();
        "ab_1".check("name", &Rules::NONE.pattern("[a-z0-9-]+"), &mut p);
        assert_eq!(
            p.finish().unwrap_err().problems[0].rule,
            "must match the pattern [a-z0-9-]+"
        );
    }

    #[test]
    fn lengths_settled_by_bytes_are_reported_as_counting_characters_reports_them() {
        let texts = [
            "",
            "a",
            "abcd",
            "é",
            "éé",
            "端口",
            "端口端口",
            "🎉",
            "🎉🎉a",
            "aé🎉端",
        ];
        for text in texts {
            for min in [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(9)] {
                for max in [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(9)] {
                    let rules = Rules {
                        min_length: min,
                        max_length: max,
                        ..Rules::NONE
                    };
                    let mut counted = Problems::default();
                    check_length(text, "f", &rules, &mut counted);
                    let mut checked = Problems::default();
                    text.check("f", &rules, &mut checked);
                    assert_eq!(checked.found, counted.found, "{text:?} {min:?} {max:?}");
                }
            }
        }
    }

    #[test]
    fn a_compiled_pattern_is_reused_and_an_invalid_one_never_matches() {
        for _ in 0..2 {
            assert!(matches_whole("[a-z]+", "abc"));
            assert!(!matches_whole("[a-z]+", "abc1"));
            assert!(!matches_whole("(", "("));
        }
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
