//! Per-call control: timeout and retry overrides, and hooks around each attempt.
//!
//! [`CallOptions`] is applied with [`Client::with_options`](crate::Client::with_options),
//! which returns a cheap clone (the connection pool and configuration are
//! shared behind an `Arc`) whose calls, paginators and waiters use the
//! overrides. One runtime type and one generated method cover every action,
//! where a builder per action (`client.describe_ports(input).timeout(..)`)
//! would add a type and an `IntoFuture` impl per action to every generated
//! crate, and would not reach the calls a paginator or waiter makes.
//!
//! A [`Hook`] runs **after signing**: [`Hook::before_send`] may add headers
//! (metrics ids, tracing headers) to the signed request, and
//! [`Hook::after_answer`] sees each attempt's outcome (action, attempt, status,
//! latency). Added headers are never signed, so [`Outgoing::insert`]
//! refuses any name a signature covers or the protocol owns (`authorization`,
//! `host`, `content-type`, `content-length`, `user-agent`, every `x-acs-*` and
//! `x-zc-*`, and any header the request already carries): changing one would
//! break the signature or the request.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::retry::RetryPolicy;

/// Overrides for the calls of one [`Client::with_options`](crate::Client::with_options) clone.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .finish()
    }
}

impl CallOptions {
    /// No overrides: the configuration's timeout and retry policy, no hooks.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Time allowed for one attempt, from sending to the last body byte
    /// (instead of `Config::request_timeout`).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retry policy for these calls (instead of `Config::retry`);
    /// [`RetryPolicy::none`] sends each request once.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Adds a hook, run after the hooks added before it.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// These options with `later`'s set values and hooks on top.
    pub(crate) fn merged(&self, later: CallOptions) -> CallOptions {
        let mut hooks = self.hooks.clone();
        hooks.extend(later.hooks);
        CallOptions {
            timeout: later.timeout.or(self.timeout),
            retry: later.retry.or(self.retry),
            hooks,
        }
    }
}

/// Code run around every attempt of a call; both methods do nothing by default.
///
/// Hooks run in the calling task and must not block. They see no secrets:
/// the credentials are in headers a hook cannot read ([`Outgoing::get`]
/// hides them) and the URL is not shown.
pub trait Hook: Send + Sync {
    /// Called with the signed request just before it is sent.
    fn before_send(&self, request: &mut Outgoing<'_>) {
        let _ = request;
    }

    /// Called after each attempt, whatever its outcome.
    fn after_answer(&self, answer: &Answered<'_>) {
        let _ = answer;
    }
}

/// A shared hook (keep an `Arc` to read what it collected).
impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn before_send(&self, request: &mut Outgoing<'_>) {
        (**self).before_send(request);
    }

    fn after_answer(&self, answer: &Answered<'_>) {
        (**self).after_answer(answer);
    }
}

/// The signed request of one attempt, as a [`Hook`] sees it.
pub struct Outgoing<'a> {
    pub(crate) action: &'a str,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut Vec<(Cow<'static, str>, Cow<'static, str>)>,
}

/// Why [`Outgoing::insert`] refused a header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderRefused {
    /// The name is covered by the signature or owned by the protocol.
    #[error("header {0:?} is signed or set by the client and cannot be added by a hook")]
    Protected(String),
    /// The name or value is not valid in HTTP.
    #[error("header {0:?}: invalid name or value")]
    Invalid(String),
}

/// Header names a hook may never set (compared lower-case), besides the
/// `x-acs-` and `x-zc-` prefixes.
const PROTECTED: &[&str] = &[
    "authorization",
    "host",
    "content-type",
    "content-length",
    "user-agent",
    "transfer-encoding",
];

impl Outgoing<'_> {
    /// The action being called.
    pub fn action(&self) -> &str {
        self.action
    }

    /// The attempt number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The value of a header already on the request; credential headers
    /// (`authorization`, `x-acs-security-token`) read as `None`.
    pub fn get(&self, name: &str) -> Option<&str> {
        if crate::request::is_secret_header(name) {
            return None;
        }
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Adds an unsigned header; refused when the signature covers the name,
    /// the protocol owns it or the request already has it (see the
    /// [module docs](self)), or when it is not valid HTTP.
    pub fn insert(&mut self, name: &str, value: &str) -> Result<(), HeaderRefused> {
        let lower = name.to_ascii_lowercase();
        if HeaderName::from_bytes(lower.as_bytes()).is_err()
            || HeaderValue::from_str(value).is_err()
        {
            return Err(HeaderRefused::Invalid(lower));
        }
        let protected = PROTECTED.contains(&lower.as_str())
            || lower.starts_with("x-acs-")
            || lower.starts_with("x-zc-")
            || self
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(&lower));
        if protected {
            return Err(HeaderRefused::Protected(lower));
        }
        self.headers.push((lower.into(), value.to_string().into()));
        Ok(())
    }
}

/// What one attempt came to, as a [`Hook`] sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Answered<'a> {
    /// The action called.
    pub action: &'a str,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The HTTP status, when an answer came (`None` after a transport error or timeout).
    pub status: Option<u16>,
    /// From sending the request to the last body byte (or the failure).
    pub latency: Duration,
    /// The request id the server sent, if any.
    pub request_id: Option<&'a str>,
    /// Whether another attempt follows.
    pub will_retry: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hook_cannot_touch_signed_or_existing_headers() {
        let mut headers = vec![("x-custom".into(), "1".into())];
        let mut out = Outgoing {
            action: "A",
            attempt: 1,
            headers: &mut headers,
        };
        for name in [
            "Authorization",
            "x-acs-date",
            "X-ZC-Timestamp",
            "Host",
            "x-custom",
        ] {
            assert!(
                matches!(out.insert(name, "v"), Err(HeaderRefused::Protected(_))),
                "{name}"
            );
        }
        assert!(matches!(
            out.insert("bad name", "v"),
            Err(HeaderRefused::Invalid(_))
        ));
        assert!(matches!(
            out.insert("x-ok", "line\nbreak"),
            Err(HeaderRefused::Invalid(_))
        ));
        assert_eq!(out.insert("X-Trace", "abc"), Ok(()));
        assert_eq!(out.get("x-trace"), Some("abc"));
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn later_options_win_and_hooks_add_up() {
        struct Nop;
        impl Hook for Nop {}
        let first = CallOptions::new()
            .timeout(Duration::from_secs(1))
            .retry(RetryPolicy::none())
            .hook(Nop);
        let merged = first.merged(CallOptions::new().timeout(Duration::from_secs(2)).hook(Nop));
        assert_eq!(merged.timeout, Some(Duration::from_secs(2)));
        assert_eq!(merged.retry, Some(RetryPolicy::none()));
        assert_eq!(merged.hooks.len(), 2);
    }
}
