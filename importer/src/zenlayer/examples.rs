//! The code example of a page → the action it names and its request and
//! response bodies.
//!
//! The examples are the only place a page shows concrete values, but they
//! are often not JSON (missing commas, full-width commas, unquoted keys) and
//! sometimes name another action in `X-ZC-Action`. They are read for facts
//! (a parameter's example value) and for the report; a body that does not
//! parse is reported for a curated example fixup, never repaired silently.

use serde_json::{Map, Value};

use super::tables::plain;

/// What the example section shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Example {
    /// The `X-ZC-Action` header value, as written.
    pub action: Option<String>,
    /// The request body's text.
    pub request: Option<String>,
    /// The response body's text.
    pub response: Option<String>,
}

impl Example {
    /// The request body's top-level members, if it is a JSON object.
    pub fn request_members(&self) -> Option<Map<String, Value>> {
        match serde_json::from_str(self.request.as_deref()?) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        }
    }
}

/// Reads the example section (Markdown or flattened text).
pub fn read(section: &str) -> Example {
    let text = if section.contains("<pre") {
        plain(section)
    } else {
        section.to_owned()
    };
    let action = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("X-ZC-Action:"))
        .map(|a| a.trim().to_owned());
    let request = labelled(&text, &["Request", "请求"]);
    let response = labelled(&text, &["Response", "响应", "返回"]);
    Example {
        action,
        request,
        response,
    }
}

/// The `{…}` block after a line starting with one of `labels` (`Request:`, `Request：`).
fn labelled(text: &str, labels: &[&str]) -> Option<String> {
    let start = text.lines().scan(0usize, |at, line| {
        let here = *at;
        *at += line.len() + 1;
        Some((here, line))
    });
    for (at, line) in start {
        let t = line.trim();
        if labels.iter().any(|l| t.starts_with(l)) && t.chars().count() <= 12 {
            let rest = &text[(at + line.len()).min(text.len())..];
            return braced(rest);
        }
    }
    None
}

/// The first balanced `{…}` of `text` (braces inside strings are not counted).
fn braced(text: &str) -> Option<String> {
    let open = text.find('{')?;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(text[open..=open + i].to_owned());
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_bodies_with_full_width_labels() {
        let ex = read(
            "```json\nPOST /api/v2/sdn HTTP/1.1\nX-ZC-Action: DeleteCloudRouterPoint\n\n\
             Request：\n{\n  \"a\": {\"b\": 1}\n}\n\nResponse：\n{ \"requestId\": \"x\"，}\n```",
        );
        assert_eq!(ex.action.as_deref(), Some("DeleteCloudRouterPoint"));
        assert_eq!(ex.request_members().unwrap()["a"]["b"], 1);
        assert!(ex.response.unwrap().contains('，'));
    }

    #[test]
    fn a_cut_body_is_absent_not_guessed() {
        let ex = read("Request:\n{\n  \"a\": {\"b\": 1");
        assert_eq!(ex.request, None);
    }
}
