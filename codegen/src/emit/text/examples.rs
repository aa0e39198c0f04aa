//! `tests/examples.rs` with the test module of each action that has only its error-table
//! test (and no service-wide codes) written as text, laid out as prettyplease prints
//! `examples::action_tests`' tokens. Every other module, and the file's start, still go
//! through tokens, one item at a time: prettyplease prints a file's items one after the
//! other, so the pieces joined are the file it would print whole (the test compares
//! both on every repository service, once as they are and once without service-wide
//! codes, which is the synthetic crates' shape).

use super::tokens::printed;
use super::{MARGIN, Writer, lit};
use crate::emit::examples::{action_tests, tests_prelude};
use crate::emit::ident;
use crate::ir;
use crate::names;

/// The body of `tests/examples.rs`, or `None` where the token path must lay it out whole.
pub(in crate::emit) fn tests_file(service: &ir::Service) -> Option<String> {
    let krate = names::crate_ident(&service.crate_name);
    let krate_ident = ident(&krate);
    let mut w = Writer::new(1700 * service.actions.len() + 4096, 0);
    w.out
        .push_str(&printed(tests_prelude(service, &krate_ident), false)?);
    for action in &service.actions {
        // A module is written straight into the file; one the writer gives up on half way
        // is cut off again and printed from its tokens.
        let start = w.out.len();
        if errors_only_module(&mut w, service, action, &krate).is_none() {
            w.out.truncate(start);
            w.depth = 0;
            w.out.push_str(&printed(
                action_tests(service, action, &krate_ident).ok()?,
                false,
            )?);
        }
    }
    Some(w.out)
}

/// The module of an action with no documented example and no service-wide codes.
fn errors_only_module(
    w: &mut Writer,
    service: &ir::Service,
    action: &ir::Action,
    krate: &str,
) -> Option<()> {
    let examples = action.examples.iter();
    if !service.common_errors.is_empty()
        || examples
            .clone()
            .any(|e| e.request.is_some() || e.response.is_some())
    {
        return None;
    }
    if let Some(group) = &action.group {
        w.line(&format!("#[cfg(feature = {})]", lit(group)?))?;
    }
    w.open(&format!("mod {} {{", action.snake))?;
    w.line("use super::*;")?;
    w.line(&format!("use {krate}::operation::{}::*;", action.snake))?;
    w.line("#[test]")?;
    w.open("fn documented_error_codes_map_to_their_variants() {")?;
    let input = names::input_type(&action.name);
    let kind = names::error_kind_type(&action.name);
    for variant in &action.errors {
        for row in &variant.rows {
            let status = match row.status {
                ir::Status::Http(s) => s,
                ir::Status::Vendor(_) | ir::Status::Undocumented => 400,
            };
            let message = lit(row.message.as_deref().unwrap_or(""))?;
            let code = lit(&variant.code)?;
            checks(
                w,
                &input,
                (status, &code, &message),
                &kind,
                &variant.variant,
            )?;
        }
    }
    let undocumented = (400, "\"SOME_UNDOCUMENTED_CODE\"", "\"not in the table\"");
    checks(w, &input, undocumented, &kind, "Unhandled")?;
    w.close()?;
    w.close()
}

/// The three statements checking one code: the error it gives, its code, its kind.
fn checks(
    w: &mut Writer,
    input: &str,
    (status, code, message): (u16, &str, &str),
    kind: &str,
    variant: &str,
) -> Option<()> {
    let status = status.to_string();
    let args = ["(", &status, ", ", code, ", ", message, ");"];
    if line_of(
        w,
        &[&["let err = error_for::<", input, ">"], &args[..]].concat(),
    )
    .is_none()
    {
        // prettyplease breaks the turbofish first.
        w.open("let err = error_for::<")?;
        line_of(w, &[input, ","])?;
        w.depth -= 1;
        line_of(w, &[&[">"], &args[..]].concat())?;
    }
    line_of(w, &["assert_eq!(err.code(), Some(", code, "));"])?;
    let kind_of = "err.into_service_error().map(| e | e.kind())";
    let expected = ["Some(", kind, "::", variant, ")"];
    if line_of(
        w,
        &[&["assert_eq!(", kind_of, ", "], &expected[..], &[");"]].concat(),
    )
    .is_some()
    {
        return Some(());
    }
    // A macro's arguments are broken one a line, without a trailing comma.
    w.open("assert_eq!(")?;
    line_of(w, &[kind_of, ","])?;
    line_of(w, &expected)?;
    w.depth -= 1;
    w.line(");")
}

/// The line `parts` make, as [`Writer::line`] writes it (when it fits in the margin),
/// without joining the parts first.
fn line_of(w: &mut Writer, parts: &[&str]) -> Option<()> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    (w.depth * 4 + len <= MARGIN).then(|| {
        w.indent();
        for part in parts {
            w.out.push_str(part);
        }
        w.out.push('\n');
    })
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_body_is_tokens;
    use crate::emit::Job;

    #[test]
    fn the_text_of_the_example_tests_is_what_prettyplease_prints_of_their_tokens() {
        super::super::oracle::assert_text_is_tokens(Job::Tests, super::tests_file);
    }

    #[test]
    fn without_service_wide_codes_the_error_tests_are_text_and_the_same_as_the_tokens() {
        let mut written = 0;
        for mut service in super::super::tests::services() {
            service.common_errors.clear();
            for action in &mut service.actions {
                action.common_rows.clear();
            }
            let text = super::tests_file(&service).expect("laid out");
            assert_body_is_tokens(&Job::Tests, &service, &text, &service.crate_name);
            for action in &service.actions {
                let mut w = super::Writer::new(0, 0);
                written +=
                    usize::from(super::errors_only_module(&mut w, &service, action, "k").is_some());
            }
        }
        assert!(written >= 100, "only {written} modules written as text");
    }
}
