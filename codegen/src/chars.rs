//! Characters no spec file may contain: control characters and bidirectional controls.
//!
//! Spec text ends up in Rust doc comments, string literals and file headers.
//! A bidirectional control (U+202E …) makes text read differently from how it
//! is stored (and rustc rejects it in comments), a carriage return is not
//! allowed in a doc comment, and other control characters hide in review.
//! So every spec file is checked twice: its raw text, which names the exact
//! line and column (comments included), and, when the file holds a `\` that
//! could spell one as a YAML escape (`"\u202E"`), every decoded string value,
//! located at the value.

use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, SpecErrors};

/// What kind of forbidden character `c` is, or `None` for an allowed one.
///
/// Tabs and line feeds are allowed; a carriage return is allowed only as part
/// of a line break in the raw file (`raw`), never inside a decoded value.
pub fn forbidden(c: char, raw: bool) -> Option<&'static str> {
    match c {
        '\t' | '\n' => None,
        '\r' if raw => None,
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some("a bidirectional control character"),
        '\u{2028}' | '\u{2029}' => Some("a line or paragraph separator"),
        '\u{FEFF}' => Some("a zero-width no-break space (byte order mark)"),
        c if c.is_control() => Some("a control character"),
        _ => None,
    }
}

/// The text with every forbidden character shown as U+FFFD, for quoting in a terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if forbidden(c, true).is_some() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn diagnostic(path: &Path, line: u64, column: u64, c: char, what: &str, how: &str) -> Diagnostic {
    Diagnostic {
        line,
        column,
        ..Diagnostic::file(
            path,
            format!(
                "this text contains U+{:04X}, {what}{how}; generated code and docs must show exactly what they say",
                u32::from(c)
            ),
        )
    }
    .help("delete the character (editors show it as a blank or not at all); write plain text")
}

/// Reports every forbidden character of the file `path` with text `text`.
pub fn check(path: &Path, text: &str, errors: &mut SpecErrors) {
    let before = errors.diagnostics.len();
    // Plain printable ASCII (with tabs and line ends) holds no forbidden character; that
    // byte test is most spec files, and it is a tenth of the cost of decoding characters.
    let plain = text
        .bytes()
        .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r'));
    if !plain {
        check_raw(path, text, errors);
    }
    // Escapes need a backslash; a file already refused needs no second look.
    if errors.diagnostics.len() == before && text.contains('\\') {
        check_values(path, text, errors);
    }
}

/// Reports each forbidden character written as itself, at its line and column.
fn check_raw(path: &Path, text: &str, errors: &mut SpecErrors) {
    for (index, line) in text.split('\n').enumerate() {
        for (column, c) in line.chars().enumerate() {
            if let Some(what) = forbidden(c, true) {
                let (line, column) = (index as u64 + 1, column as u64 + 1);
                errors.push(diagnostic(path, line, column, c, what, ""));
            }
        }
    }
}

/// Reports forbidden characters that only appear once YAML escapes are decoded.
fn check_values(path: &Path, text: &str, errors: &mut SpecErrors) {
    // A file that does not parse is reported by the real parse.
    let Ok(root) =
        serde_saphyr::from_str_with_options::<Spanned<Node>>(text, crate::load::options())
    else {
        return;
    };
    let mut stack = vec![&root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Node::Text(s) => {
                if let Some((c, what)) = s.chars().find_map(|c| Some((c, forbidden(c, false)?))) {
                    let at = node.referenced;
                    let how = " (written as an escape)";
                    errors.push(diagnostic(path, at.line(), at.column(), c, what, how));
                }
            }
            Node::List(items) => stack.extend(items),
            Node::Map(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            Node::Other => {}
        }
    }
}

/// Any YAML value, keeping where each one is.
enum Node {
    Text(String),
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
    Other,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(u64, u64, String)> {
        let mut errors = SpecErrors::default();
        check(Path::new("f.yaml"), text, &mut errors);
        errors
            .diagnostics
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn every_ascii_control_character_but_tab_and_line_ends_is_refused() {
        for b in (0u8..0x20).chain([0x7f]) {
            let found = problems(&format!("name: a{}b\n", char::from(b)));
            let allowed = matches!(b, b'\t' | b'\n' | b'\r');
            assert_eq!(found.is_empty(), allowed, "byte {b:#04x}: {found:?}");
        }
    }

    #[test]
    fn raw_characters_are_located_exactly() {
        let found = problems("name: a\ndescription: ab\u{202E}cd\n# ok\u{7}\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (2, 16));
        assert!(found[0].2.contains("U+202E"), "{found:?}");
        assert_eq!((found[1].0, found[1].1), (3, 5));
        assert!(problems("a: b\r\nc: \"d\\te\"\r\n").is_empty());
    }

    #[test]
    fn escaped_characters_are_located_at_their_value() {
        let found = problems("name: a\nitems:\n  - { title: \"x\\u202Ey\" }\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (3, 14));
        assert!(found[0].2.contains("written as an escape"), "{found:?}");
        assert_eq!(problems("a: \"carriage\\r\"\n").len(), 1);
        assert!(problems("pattern: '^[\\x41]$'\n").is_empty());
    }
}
