//! Errors a call can end in, each distinct and typed.
//!
//! [`SdkError`] separates what went wrong: the input broke a documented rule
//! (nothing was sent), the service answered with an error code (typed per
//! action), the service kept throttling, the network failed, the call timed
//! out, the answer was a redirect or too large to read, or the response could
//! not be understood. `Display` shows everything needed to ask the vendor in
//! one line, request id included; whatever the server wrote is shown with
//! control characters escaped and cut to a bounded length, so a
//! hostile answer cannot forge log lines or flood a log. The fields keep the
//! full text.

use std::fmt::{self, Write};

use crate::action::ErrorMeta;
use crate::credentials::CredentialsError;
use crate::validate::ValidationError;

/// An error answer from the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The vendor's error code, e.g. `INVALID_PORT_NOT_FOUND`.
    pub code: String,
    /// The vendor's message (not stable: match on `code`).
    pub message: String,
    /// HTTP status of the answer.
    pub status: u16,
    /// Request id, when the service sent one.
    pub request_id: Option<String>,
}

/// Longest server-sent code, request id or content type `Display` shows, in characters.
pub(crate) const SHORT_TEXT: usize = 128;
/// Longest server-sent message, reason or location `Display` shows, in characters.
pub(crate) const LONG_TEXT: usize = 512;

/// Server-sent text as `Display` shows it: control and bidirectional-format
/// characters escaped, at most `max` characters, then the total length.
pub(crate) struct Bounded<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Bounded(text, max) = *self;
        let mut chars = text.chars();
        for c in chars.by_ref().take(max) {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else if is_format_control(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                f.write_char(c)?;
            }
        }
        if chars.next().is_some() {
            write!(f, "… ({} bytes in all)", text.len())?;
        }
        Ok(())
    }
}

/// Invisible characters that reorder or hide text on a terminal, and the
/// Unicode line and paragraph separators, which some log viewers break lines at.
fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Writes ` [request id …]` when there is one.
fn write_request_id(f: &mut fmt::Formatter<'_>, id: Option<&str>) -> fmt::Result {
    match id {
        Some(id) => write!(f, " [request id {}]", Bounded(id, SHORT_TEXT)),
        None => Ok(()),
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {}",
            Bounded(&self.code, SHORT_TEXT),
            self.status,
            Bounded(&self.message, LONG_TEXT)
        )?;
        match self.request_id.as_deref() {
            None => f.write_str(" [no request id]"),
            id => write_request_id(f, id),
        }
    }
}

impl std::error::Error for ServiceError {}

/// A response the client could not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResponse {
    /// HTTP status.
    pub status: u16,
    /// Request id from the headers or body, if any could be found.
    pub request_id: Option<String>,
    /// The Content-Type header, if any.
    pub content_type: Option<String>,
    /// What was wrong with it.
    pub reason: String,
    /// The start of the body (at most 200 characters), for diagnosis.
    pub body_start: String,
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable response (HTTP {}", self.status)?;
        if let Some(ct) = &self.content_type {
            write!(f, ", {}", Bounded(ct, SHORT_TEXT))?;
        }
        write!(f, "): {}", Bounded(&self.reason, LONG_TEXT))?;
        write_request_id(f, self.request_id.as_deref())?;
        write!(f, "; body starts {:?}", self.body_start)
    }
}

/// A redirect answer: never followed, since the next host would receive the
/// signed request and its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// HTTP status (3xx).
    pub status: u16,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// Request id from the headers, if any.
    pub request_id: Option<String>,
}

impl fmt::Display for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "redirect (HTTP {}) ", self.status)?;
        match &self.location {
            Some(location) => write!(f, "to {}", Bounded(location, LONG_TEXT))?,
            None => f.write_str("without a location")?,
        }
        f.write_str(", not followed")?;
        write_request_id(f, self.request_id.as_deref())
    }
}

/// An answer whose body is over [`Config::max_response_bytes`](crate::Config::max_response_bytes);
/// reading stopped at the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// HTTP status.
    pub status: u16,
    /// The limit, in bytes.
    pub limit: usize,
    /// The announced `Content-Length`, when that is what exceeded the limit.
    pub content_length: Option<u64>,
    /// Request id from the headers, if any.
    pub request_id: Option<String>,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response too large (HTTP {}): ", self.status)?;
        match self.content_length {
            Some(length) => write!(f, "Content-Length {length}")?,
            None => f.write_str("the body")?,
        }
        write!(f, " exceeds the limit of {} bytes", self.limit)?;
        write_request_id(f, self.request_id.as_deref())
    }
}

/// How a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke documented constraints; nothing was sent.
    Validation(ValidationError),
    /// The service answered with an error code; `E` tells which documented code it is.
    Service(E),
    /// The service was still throttling when the retry budget ran out.
    Throttled(ServiceError),
    /// The request could not be sent or the answer not received.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// No answer within the configured timeout.
    Timeout,
    /// The answer was not a response of this API.
    InvalidResponse(InvalidResponse),
    /// The answer was a redirect, which is never followed.
    Redirect(Redirect),
    /// The answer's body was over the configured limit.
    TooLarge(TooLarge),
    /// No credentials could be had to sign with; nothing was sent.
    Credentials(CredentialsError),
}

impl<E: ErrorMeta> SdkError<E> {
    /// The typed service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The typed service error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The request id of the failed call, when the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.meta().request_id.as_deref(),
            SdkError::Throttled(e) => e.request_id.as_deref(),
            SdkError::InvalidResponse(r) => r.request_id.as_deref(),
            SdkError::Redirect(r) => r.request_id.as_deref(),
            SdkError::TooLarge(r) => r.request_id.as_deref(),
            _ => None,
        }
    }

    /// The vendor error code, when the service sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => Some(&e.meta().code),
            SdkError::Throttled(e) => Some(&e.code),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "{e}"),
            SdkError::Service(e) => write!(f, "service error: {e}"),
            SdkError::Throttled(e) => write!(f, "throttled: {e}"),
            SdkError::Transport(e) => {
                write!(f, "transport error: {e}")?;
                match root_cause(e.as_ref()) {
                    Some(root) => write!(f, ": {root}"),
                    None => Ok(()),
                }
            }
            SdkError::Timeout => f.write_str("timed out waiting for the service"),
            SdkError::InvalidResponse(r) => write!(f, "{r}"),
            SdkError::Redirect(r) => write!(f, "{r}"),
            SdkError::TooLarge(r) => write!(f, "{r}"),
            SdkError::Credentials(e) => write!(f, "{e}"),
        }
    }
}

/// The innermost source of `e` (e.g. "Connection refused"), if it has any.
fn root_cause<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a (dyn std::error::Error + 'static)> {
    let mut root = e.source()?;
    while let Some(next) = root.source() {
        root = next;
    }
    Some(root)
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::Transport(e) => Some(e.as_ref()),
            SdkError::Credentials(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_break_a_line_or_reorder_it() {
        let error = ServiceError {
            code: "E\u{2028}forged".into(),
            message: "a\u{2029}b\u{061C}c\u{FEFF}d\u{2060}e\u{202E}f\u{85}g".into(),
            status: 500,
            request_id: Some("r\u{200F}1".into()),
        };
        assert_eq!(
            error.to_string(),
            "E\\u{2028}forged (HTTP 500): a\\u{2029}b\\u{61c}c\\u{feff}d\\u{2060}e\\u{202e}f\\u{85}g \
             [request id r\\u{200f}1]"
        );
    }
}
