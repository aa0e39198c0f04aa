//! Errors a call can end in, each distinct and typed.
//!
//! [`SdkError`] separates what went wrong: the input broke a documented rule
//! (nothing was sent), the service answered with an error code (typed per
//! action), the service kept throttling, the network failed, the call timed
//! out, or the response could not be understood. `Display` shows everything
//! needed to ask the vendor in one line, request id included.

use std::fmt;

use crate::operation::OperationError;
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

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.status, self.message)?;
        match &self.request_id {
            Some(id) => write!(f, " [request id {id}]"),
            None => f.write_str(" [no request id]"),
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
            write!(f, ", {ct}")?;
        }
        write!(f, "): {}", self.reason)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        write!(f, "; body starts {:?}", self.body_start)
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
}

impl<E: OperationError> SdkError<E> {
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
            SdkError::Transport(e) => write!(f, "transport error: {e}"),
            SdkError::Timeout => f.write_str("timed out waiting for the service"),
            SdkError::InvalidResponse(r) => write!(f, "{r}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}
