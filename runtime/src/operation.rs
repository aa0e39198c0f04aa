//! What every generated action type tells the runtime about itself.
//!
//! A generated input type implements [`Operation`]; the runtime needs nothing
//! else to build, sign, send, retry and parse a call. Keeping this contract
//! small keeps the per-action generated code small.

use crate::decode::Decode;
use crate::encode::EncodeObject;
use crate::error::ServiceError;
use crate::validate::Validate;

/// Whether repeating an action is harmless; decides which failures are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Reads state only; safe to repeat.
    Read,
    /// Changes state; repeated only when an idempotency token makes it safe.
    Write,
}

/// A request type of one API action.
pub trait Operation: Validate + EncodeObject + Send + Sync {
    /// Action name as sent on the wire.
    const ACTION: &'static str;
    /// Read or write.
    const KIND: ActionKind;
    /// The parsed success response.
    type Output: Decode + Send;
    /// The action's typed error.
    type Error: OperationError;

    /// The idempotency-token parameter, when the action has one.
    fn idempotency_token(&mut self) -> Option<&mut Option<String>> {
        None
    }
}

/// The typed error of one action: documented codes as variants plus a catch-all.
///
/// Bring it into scope (each generated crate re-exports it) to call
/// [`code`](Self::code), [`message`](Self::message) and
/// [`request_id`](Self::request_id) on any action's error.
pub trait OperationError: From<ServiceError> + std::error::Error + Send + Sync + 'static {
    /// Code, message, status and request id, whatever the variant.
    fn meta(&self) -> &ServiceError;

    /// The vendor's error code.
    fn code(&self) -> &str {
        &self.meta().code
    }

    /// The vendor's message (not stable; match on the code).
    fn message(&self) -> &str {
        &self.meta().message
    }

    /// The request id, for support cases.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id.as_deref()
    }
}

/// Types that carry the id the service gave a request.
pub trait RequestId {
    /// The request id, needed when asking the vendor about a call.
    fn request_id(&self) -> Option<&str>;
}
