//! Rustdoc text from the spec: summaries, field limits, async notes, error tables.
//!
//! Everything a user would otherwise look up on the vendor's page is rendered
//! next to the item it concerns, so hovering a method in an editor answers
//! "what does this do, what can fail, and how do I know when it is done".
//!
//! Spec text is untrusted Markdown: rustdoc runs every code block as a test
//! and passes raw HTML through. So spec prose goes through [`prose`] (no line
//! can open a fenced or indented code block, and `<`, `&`, `[`, `]` outside
//! inline code are escaped) and spec values through [`code`] and [`inline`];
//! only the generator's own text opens a code block.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir;
use crate::model::Text;
use crate::names;

/// `#[doc]` attributes, one per line (prettyplease prints them as `///`).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text.trim_end());
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes, one per line: a file's own docs (printed as `//!`).
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// Each line as a doc attribute's value: after a space, or empty if blank.
fn doc_lines(text: &str) -> impl Iterator<Item = Literal> + '_ {
    text.lines().map(|line| {
        if line.is_empty() {
            doc_literal("")
        } else {
            doc_literal(&format!(" {line}"))
        }
    })
}

/// `value` as a raw string literal (`r#"…"#`, as `quote!` writes a `///` comment).
///
/// prettyplease prints a doc attribute by its value, so the generated file is the same
/// as with an escaped `"…"` literal; but a raw literal is neither escaped character by
/// character here nor unescaped again when syn parses it and prettyplease reads it, which
/// was a tenth of a run's instructions. A value a raw literal cannot hold (a carriage
/// return) keeps the escaped form.
fn doc_literal(value: &str) -> Literal {
    if !value.contains('\r') {
        let hashes = "#".repeat(raw_hashes(value));
        if let Ok(literal) = format!("r{hashes}\"{value}\"{hashes}").parse() {
            return literal;
        }
    }
    Literal::string(value)
}

/// How many `#` a raw literal holding `value` needs: one more than the longest run
/// of `#` after a `"` in it (none without a `"`).
fn raw_hashes(value: &str) -> usize {
    value
        .split('"')
        .skip(1)
        .map(|after| after.chars().take_while(|&c| c == '#').count() + 1)
        .max()
        .unwrap_or(0)
}

/// English text, then the Chinese text (if any) as its own paragraph.
pub fn text(t: &Text) -> String {
    let mut out = String::with_capacity(t.en().len() + t.zh().map_or(0, |zh| zh.len() + 16));
    push_text(&mut out, t);
    out
}

/// [`text`], appended to `out`.
fn push_text(out: &mut String, t: &Text) {
    push_prose(out, t.en());
    if let Some(zh) = t.zh() {
        out.push_str("\n\n中文：");
        push_prose(out, zh);
    }
}

/// Spec prose as Markdown that opens no code block and no raw HTML.
///
/// Each line is trimmed and its runs of blanks collapsed (an indented code
/// block needs four columns of indent); a backtick that does not pair with
/// one on its own line, and every run of three or more `` ` `` or `~`, is
/// escaped (a fence needs three); `<`, `&`, `[` and `]` are escaped (no HTML,
/// entity or link), and a code span holding `<` or `&` becomes escaped `<code>`.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_prose(&mut out, text);
    out
}

/// [`prose`], appended to `out`: most spec lines hold nothing to escape, so their words
/// go straight into the output, without a line of their own to escape.
fn push_prose(out: &mut String, text: &str) {
    for (i, line) in text.trim().lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut words = line.split_whitespace();
        if line.contains(['`', '~', '<', '&', '[', ']']) {
            out.push_str(&escape_line(&words.collect::<Vec<_>>().join(" ")));
            continue;
        }
        if let Some(first) = words.next() {
            out.push_str(first);
            for word in words {
                out.push(' ');
                out.push_str(word);
            }
        }
    }
}

/// A spec value as plain text on one line (see [`prose`]).
pub fn inline(text: &str) -> String {
    prose(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A spec value shown as inline code on one line, whatever characters it holds.
pub fn code(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_code(&mut out, value);
    out
}

/// [`code`], appended to `out`.
fn push_code(out: &mut String, value: &str) {
    if value.contains('`') {
        // A longer backtick fence could open a code block at the start of a line; HTML cannot.
        out.push_str(&html_code(&value.replace(['\n', '\r'], " ")));
        return;
    }
    out.push('`');
    for (i, piece) in value.split(['\n', '\r']).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out.push('`');
}

/// Writes `count` backslash-escaped `c`; returns how many characters were consumed.
fn escaped(out: &mut String, c: char, count: usize) -> usize {
    for _ in 0..count {
        out.extend(['\\', c]);
    }
    count
}

/// Writes `text` for one consumed character.
fn push(out: &mut String, text: &str) -> usize {
    out.push_str(text);
    1
}

/// `<code>` with its text escaped, for code that Markdown backticks cannot hold safely.
fn html_code(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "&#96;");
    format!("<code>{escaped}</code>")
}

/// One collapsed line of prose, escaped as [`prose`] describes.
///
/// Every backtick either belongs to a code span closed on the same line or is
/// escaped, so no span can reach into the next line or the generator's text.
fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            out.extend([c, chars[i + 1]]);
            i += 2;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&r| r == c).count();
        let closing = (c == '`' && run < 3)
            .then(|| {
                (i + run..chars.len()).find(|&j| {
                    chars[j - 1] != '`'
                        && chars[j..].iter().take_while(|&&r| r == '`').count() == run
                })
            })
            .flatten();
        i += match (c, closing) {
            ('`', Some(j)) => {
                let span: String = chars[i..j + run].iter().collect();
                if span.contains(['<', '&']) {
                    let inner: String = chars[i + run..j].iter().collect();
                    out.push_str(&html_code(inner.trim()));
                } else {
                    out.push_str(&span);
                }
                j + run - i
            }
            // A lone backtick, or a run of three or more (a fence), or `~~~`: literal characters.
            ('`', None) => escaped(&mut out, c, run),
            ('~', _) if run >= 3 => escaped(&mut out, c, run),
            ('<', _) => push(&mut out, "&lt;"),
            ('&', _) => push(&mut out, "&amp;"),
            ('[' | ']', _) => escaped(&mut out, c, 1),
            _ => {
                out.push(c);
                1
            }
        };
    }
    out
}

/// Docs of a field: meaning, then wire name and every documented limit.
///
/// One paragraph (meaning, then facts) keeps generated files short; Chinese follows apart.
/// Written into one buffer: a field's docs are the most frequent text of a crate.
pub fn field(f: &ir::Field) -> String {
    let mut out = String::with_capacity(f.description.en().len() + 160);
    push_prose(&mut out, f.description.en());
    out.push_str(" Wire name: ");
    push_code(&mut out, &f.wire);
    out.push('.');
    if f.required {
        out.push_str(" Required.");
    }
    constraints(&mut out, &f.constraints);
    if let Some(unit) = &f.unit {
        out.push_str(" Unit: ");
        out.push_str(&inline(unit));
        out.push('.');
    }
    if let Some(default) = &f.default {
        out.push_str(" When omitted the service uses ");
        push_code(&mut out, &plain(default));
        out.push('.');
    }
    if let Some(example) = &f.example {
        out.push_str(" Example: ");
        push_code(&mut out, &plain(example));
        out.push('.');
    }
    if f.idempotency_token {
        out.push_str(
            " Idempotency token: filled with a fresh UUID when left empty, and kept the same across retries.",
        );
    }
    if f.lenient {
        out.push_str(" Sent as a number or as text: both are read.");
    }
    match f.encoding {
        ir::Encoding::Flat => {}
        ir::Encoding::Json => out.push_str(" Sent as one parameter holding its JSON text."),
        ir::Encoding::CommaSeparated => {
            out.push_str(" Sent as one parameter: the items joined by `,`.");
        }
    }
    if f.location == ir::Location::Form {
        out.push_str(" Sent in the form body, not the query.");
    }
    if let Some(zh) = f.description.zh() {
        out.push_str("\n\n中文：");
        push_prose(&mut out, zh);
    }
    out
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The documented limits, each as ` <sentence>`, appended to `out`.
fn constraints(out: &mut String, c: &ir::Constraints) {
    use std::fmt::Write;
    // Writing to a `String` cannot fail.
    let _ = match (c.min, c.max) {
        (Some(lo), Some(hi)) => write!(out, " Range: {lo} to {hi}."),
        (Some(lo), None) => write!(out, " At least {lo}."),
        (None, Some(hi)) => write!(out, " At most {hi}."),
        (None, None) => Ok(()),
    };
    let _ = match (c.min_length, c.max_length) {
        (Some(lo), Some(hi)) => write!(out, " Length: {lo} to {hi} characters."),
        (Some(lo), None) => write!(out, " At least {lo} characters."),
        (None, Some(hi)) => write!(out, " At most {hi} characters."),
        (None, None) => Ok(()),
    };
    if let Some(p) = &c.pattern {
        out.push_str(" Must match ");
        push_code(out, p);
        out.push('.');
    }
    if c.ascii {
        out.push_str(" ASCII characters only.");
    }
    let _ = match (c.min_items, c.max_items) {
        (Some(lo), Some(hi)) => write!(out, " {lo} to {hi} items."),
        (Some(lo), None) => write!(out, " At least {lo} items."),
        (None, Some(hi)) => write!(out, " At most {hi} items."),
        (None, None) => Ok(()),
    };
    if let Some(key) = &c.unique_by {
        out.push_str(" Each item's ");
        push_code(out, &key.wire);
        out.push_str(" must be unique.");
    }
}

/// `PrivateConnect` → `private connect`, for prose.
fn words(name: &str) -> String {
    crate::names::snake_case(name).replace('_', " ")
}

fn states(list: &[String]) -> String {
    list.iter().map(|s| code(s)).collect::<Vec<_>>().join(", ")
}

/// The full docs of an action: summary, behaviour (with `waiter`, an
/// example of waiting for an asynchronous action), preconditions, retries,
/// errors, example.
pub fn action(
    action: &ir::Action,
    common: bool,
    waiter: Option<String>,
    example: Option<String>,
) -> String {
    // Sections a blank line apart, written into one buffer.
    let mut out = String::with_capacity(2048);
    push_text(&mut out, &action.summary);
    let section = |out: &mut String, parts: &[&str]| {
        out.push_str("\n\n");
        for part in parts {
            out.push_str(part);
        }
    };
    if let Some(note) = &action.deprecated {
        section(&mut out, &["# Deprecated\n\n", &inline(note)]);
    }
    if let Some(d) = &action.description {
        out.push_str("\n\n");
        push_text(&mut out, d);
    }
    if let Some(note) = &action.async_note {
        section(&mut out, &[&async_note(note)]);
    }
    if let Some(waiter) = waiter {
        section(&mut out, &[&waiter]);
    }
    if !action.preconditions.is_empty() {
        section(&mut out, &[&preconditions(&action.preconditions)]);
    }
    section(&mut out, &[&retries(action)]);
    section(&mut out, &[&errors(action, common)]);
    if let Some(example) = example {
        section(&mut out, &["# Example\n\n", &example]);
    }
    if let Some(url) = &action.docs_url {
        section(&mut out, &["Vendor reference: <", url, ">"]);
    }
    out
}

/// The preconditions section: the states each resource must be in.
fn preconditions(preconditions: &[ir::Precondition]) -> String {
    let mut s = String::from("# Preconditions\n");
    for p in preconditions {
        s.push_str(&format!(
            "\n- The {} must be in one of these states: {}.",
            words(&p.resource),
            states(&p.allowed_states)
        ));
        if let Some(d) = &p.description {
            s.push_str(&format!(" {}", text(d).replace('\n', " ")));
        }
    }
    s
}

fn async_note(note: &ir::AsyncNote) -> String {
    let w = &note.waiter;
    let method = names::waiter_method(&w.snake);
    let mut s = format!(
        "# Asynchronous\n\nThe call returns before the work is done. Wait for it with \
         [`Client::{method}`](crate::Client::{method}), which polls `{}` until the {} {}; \
         its docs say what every other state means.",
        note.read_action,
        words(&note.resource),
        waiter_goal(w),
    );
    if let Some(expected) = &note.expected {
        s.push_str(&format!(
            " Pass it the `{}` you sent: the {} may still show the old value in a done state for a while.",
            expected.wire,
            words(&note.resource)
        ));
    }
    if let Some(d) = &note.description {
        s.push_str(&format!("\n\n{}", text(d)));
    }
    s
}

/// Whether the call is repeated after a 5xx, a timeout or a broken
/// connection, and why (the runtime's rule, `truebind_runtime::retry`).
fn retries(action: &ir::Action) -> String {
    let always = "Throttling (HTTP 429 or a throttling code) and failed connects are retried by the \
                  client's retry policy.";
    let token = action.input.iter().find(|f| f.idempotency_token);
    let server = match (action.kind, token) {
        (ir::ActionKind::Read, _) => {
            "Server errors (5xx), timeouts and broken connections are retried too: this is a read \
             action, so repeating it changes nothing."
                .to_string()
        }
        (ir::ActionKind::Write, Some(token)) => format!(
            "Server errors (5xx), timeouts and broken connections are retried too: the request \
             carries the idempotency token `{}` (a fresh UUID when left empty, the same on every \
             attempt), so the service runs it at most once.",
            token.wire
        ),
        (ir::ActionKind::Write, None) => {
            "Server errors (5xx), timeouts and broken connections are \
             **not** retried: this action changes state and has no idempotency token, so a repeat \
             could run it twice. Check what happened before calling it again."
                .to_string()
        }
    };
    format!("# Retries\n\n{always} {server}")
}

/// A call of an asynchronous action followed by `waiter` (a [`waiter_call`]).
pub fn waiter_example(action: &ir::Action, krate: &str, waiter: &str) -> String {
    let module = names::bare(&action.snake);
    let input = names::input_type(&action.name);
    // The waiter reads the requested value from the input after the call.
    let sent = match action.async_note.as_ref().and_then(|n| n.expected.as_ref()) {
        Some(_) => "input.clone()",
        None => "input",
    };
    format!(
        "Calling it, then waiting:\n\n```no_run\n{}\
         # async fn example(client: &{krate}::Client, input: {krate}::operation::{module}::{input}) \
         -> Result<(), Box<dyn std::error::Error>> {{\n\
         client.{module}({sent}).await?;\n{waiter}\n# Ok(())\n# }}\n```",
        allow_deprecated(action)
    )
}

/// The hidden line that lets a doc example call a deprecated method without a warning.
pub fn allow_deprecated(action: &ir::Action) -> &'static str {
    if action.deprecated.is_some() {
        "# #[allow(deprecated)]\n"
    } else {
        ""
    }
}

/// `let finished = client.wait_until_…(…).max_wait(…).wait().await?;` and a
/// print, for the waiter of `note` taking `arguments` before its ids; `None`
/// when an argument is not a string (no placeholder is spelled for it).
pub fn waiter_call(note: &ir::AsyncNote, arguments: &[ir::Field]) -> Option<String> {
    let mut values = Vec::new();
    for field in arguments {
        if field.ty != ir::Type::String {
            return None;
        }
        values.push(format!("\"your {}\"", field.wire));
    }
    values.push(format!("[\"your {} id\"]", words(&note.resource)));
    if let (Some(expected), Some(until)) = (&note.expected, &note.waiter.until) {
        let value = format!("input.{}", expected.rust);
        values.push(match &until.ty {
            _ if expected.widen => format!("i64::from({value})"),
            ir::Type::String | ir::Type::Enum(_) => format!("{value}.clone()"),
            _ => value,
        });
    }
    Some(format!(
        "let finished = client\n    .{}({})\n    .max_wait(std::time::Duration::from_secs(1800))\n    \
         .wait()\n    .await?;\nprintln!(\"{{finished:?}}\");",
        names::waiter_method(&note.waiter.snake),
        values.join(", ")
    ))
}

/// The errors section; `common`: the service has service-wide codes.
fn errors(action: &ir::Action, common: bool) -> String {
    let kind = names::error_kind_type(&action.name);
    let module = names::bare(&action.snake);
    let own = if action.errors.is_empty() {
        "The vendor documents no action-specific error codes".to_string()
    } else {
        let codes: Vec<String> = action.errors.iter().map(|v| code(&v.code)).collect();
        format!(
            "Documented codes ({}) are told apart by [`{kind}`](crate::operation::{module}::{kind}), \
             which documents each one's status, message and meaning",
            codes.join(", ")
        )
    };
    let unhandled = format!("[`{kind}::Unhandled`](crate::operation::{module}::{kind}::Unhandled)");
    if !common && action.errors.is_empty() {
        return format!("# Errors\n\n{own}; every code is of kind {unhandled}.");
    }
    if !common {
        return format!("# Errors\n\n{own}; any other code is `Unhandled`.");
    }
    format!(
        "# Errors\n\n{own}. Codes any action can return (authentication, throttling, parameter \
         checks) are [`{kind}::Common`](crate::operation::{module}::{kind}::Common), one of \
         [`CommonErrorKind`](crate::operation::CommonErrorKind); any other code is {unhandled}."
    )
}

/// Docs of a `wait_until_*` method.
pub fn waiter(resource: &ir::Resource, read: &ir::Action, w: &ir::Waiter) -> String {
    let target = words(&w.name);
    let target = target.trim_start_matches(&words(&resource.name)).trim();
    format!(
        "Waits until every {} in `ids` is {target}.\n\nPolls `{}` with up to {} ids per call, using the \
         client's read retry policy, backing off exponentially with jitter between rounds; the timing \
         defaults are [`WaitConfig`](truebind_runtime::WaitConfig)'s, changeable on the returned \
         [`Wait`](truebind_runtime::waiter::Wait).{}\n{}",
        words(&resource.name),
        read.name,
        resource.read.max_ids,
        waiter_guards(w),
        waiter_states(w),
    )
}

/// What keeps a waiter from returning the state from before a change.
fn waiter_guards(w: &ir::Waiter) -> String {
    let mut s = String::new();
    if let Some(until) = &w.until {
        s.push_str(&format!(
            "\n\nA done state counts only once the record's `{}` equals `expected` (the value just \
             requested): until then the old value is taken for the state from before the change, and \
             the wait goes on (a timeout returns the last record seen).",
            until.wire
        ));
    }
    if let Some(secs) = w.settle_seconds {
        s.push_str(&format!(
            "\n\nA done state read before any in-progress state of the resource counts only {secs} s \
             after the wait began: the change may not show yet."
        ));
    }
    s
}

/// What a waiter waits for, as the end of "until the resource …".
fn waiter_goal(w: &ir::Waiter) -> String {
    let gone = w
        .absent_means_success
        .then(|| "is no longer listed".to_string());
    let reached = match w.success.len() {
        0 => None,
        1 => Some(format!("is {}", states(&w.success))),
        _ => Some(format!("is one of {}", states(&w.success))),
    };
    let reached = match (reached, &w.until) {
        (Some(r), Some(until)) => Some(format!("{r} with the requested `{}`", until.wire)),
        (reached, _) => reached,
    };
    match (reached, gone) {
        (Some(r), Some(g)) => format!("{r} or {g}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => "leaves its in-progress states".to_string(),
    }
}

/// What each state means to a waiter, as a Markdown list.
fn waiter_states(w: &ir::Waiter) -> String {
    let mut s = String::new();
    if !w.in_progress.is_empty() {
        s.push_str(&format!(
            "\n- {}: still in progress, keep polling;",
            states(&w.in_progress)
        ));
    }
    if !w.success.is_empty() {
        s.push_str(&format!(
            "\n- {}: done, the final record is returned;",
            states(&w.success)
        ));
    }
    if !w.failure.is_empty() {
        s.push_str(&format!(
            "\n- {}: failed, [`WaiterError::Failed`](truebind_runtime::WaiterError::Failed);",
            states(&w.failure)
        ));
    }
    s.push_str(if w.absent_means_success {
        "\n- no longer listed: done (no record);"
    } else {
        "\n- no longer listed: failed, [`WaiterError::Vanished`](truebind_runtime::WaiterError::Vanished) with the last record seen;"
    });
    s.push_str(
        "\n- any other state: [`WaiterError::UnexpectedState`](truebind_runtime::WaiterError::UnexpectedState), never a guess.",
    );
    s
}

/// An error table's status column, marking vendor numbers as such.
pub fn status(s: ir::Status) -> String {
    match s {
        ir::Status::Http(code) => code.to_string(),
        ir::Status::Vendor(n) => format!("{n} (vendor number, not an HTTP status)"),
        ir::Status::Undocumented => "status not documented".to_string(),
    }
}

/// Docs of an action's `Common` variant, with the action's own rows for
/// service-wide codes (`rows`), if it lists any.
pub fn common_variant(rows: &[ir::ErrorVariant]) -> String {
    let mut s = String::from(
        "A service-wide code, one of [`CommonErrorKind`](super::CommonErrorKind)'s (authentication, \
         throttling, parameter checks).",
    );
    if !rows.is_empty() {
        s.push_str(" This action documents some of them itself:");
        for v in rows {
            s.push_str(&format!("\n- {}", error_variant(v).replace('\n', "\n  ")));
        }
    }
    s
}

/// Docs of one error variant: every documented row for its code, one line
/// each; a code documented once fits on one line.
pub fn error_variant(v: &ir::ErrorVariant) -> String {
    let mut out = String::with_capacity(128 * v.rows.len() + v.code.len() + 8);
    push_code(&mut out, &v.code);
    let single = v.rows.len() == 1;
    for row in &v.rows {
        out.push_str(if single { ", " } else { "\n- " });
        out.push_str(&status(row.status));
        if let Some(m) = &row.message {
            out.push_str(" — \"");
            out.push_str(&inline(m));
            out.push('"');
        }
        out.push_str(": ");
        let start = out.len();
        push_text(&mut out, &row.description);
        if out[start..].contains('\n') {
            let meaning = out.split_off(start).replace('\n', " ");
            out.push_str(&meaning);
        }
    }
    if v.rows.is_empty() {
        out.push_str("\n- ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_plain_markdown_and_escapes_what_could_run_or_render() {
        assert_eq!(
            prose("Records sit in `Set.Type` (see `{\"tags\": [...]}`)."),
            "Records sit in `Set.Type` (see `{\"tags\": [...]}`)."
        );
        assert_eq!(
            prose("  ```rust\n    code()\n  ```"),
            "\\`\\`\\`rust\ncode()\n\\`\\`\\`"
        );
        assert_eq!(
            prose("a ` b\nc ` <i> `d`"),
            "a \\` b\nc <code>&lt;i&gt;</code>d\\`"
        );
        assert_eq!(
            prose("`<b>` & [x](y)"),
            "<code>&lt;b&gt;</code> &amp; \\[x\\](y)"
        );
        assert_eq!(prose("~~~ and ~~"), "\\~\\~\\~ and ~~");
        assert_eq!(code("a`b"), "<code>a&#96;b</code>");
        assert_eq!(code("x\ny"), "`x y`");
    }

    /// The doc literal reads back as the same value (so prettyplease prints the same
    /// comment) however many quotes and `#` the text holds, and is raw when it can be.
    #[test]
    fn doc_literals_keep_their_value() {
        for value in [
            "",
            " plain",
            " \"quoted\"",
            " a \"# b",
            " \"## and \"#",
            " 中文：\\n",
            " a\rb",
        ] {
            let literal = doc_literal(value);
            let parsed: syn::LitStr = syn::parse2(quote!(#literal)).expect("a string literal");
            assert_eq!(parsed.value(), value, "{literal}");
            assert_eq!(
                literal.to_string().starts_with('r'),
                !value.contains('\r'),
                "{literal}"
            );
        }
        assert_eq!(raw_hashes("no quote"), 0);
        assert_eq!(raw_hashes("a \"b"), 1);
        assert_eq!(raw_hashes("\"## x \"#"), 3);
    }
}
