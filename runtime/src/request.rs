//! Signed HTTP requests, built as plain values: what every protocol's
//! request shares.
//!
//! A protocol ([`crate::protocol`]) turns the encoded input, the credentials
//! and a [`Stamp`] (time and nonce of one attempt) into exactly what goes on
//! the wire: URL, headers and body (every request is a [`METHOD`]). The
//! signature covers the same bytes and header values that are sent, so tests
//! can verify a request with an independent implementation of the vendor's
//! algorithm. A [`SignedRequest`]'s `Debug` hides the credentials it carries.

use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

/// The HTTP method of every request: both APIs take every action as a POST.
pub const METHOD: &str = "POST";

/// A request ready to send as a [`METHOD`] request.
///
/// Its `Debug` shows `***` for the values of the headers and query
/// parameters that carry credentials ([`SECRET_HEADERS`], [`SECRET_PARAMS`]).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Full URL, query included.
    pub url: String,
    /// Headers in sending order (the HTTP client adds `Host` and `Content-Length`);
    /// the protocol's own names are borrowed, not allocated per request.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Headers whose values are credentials or signatures (compared case-insensitively).
pub const SECRET_HEADERS: &[&str] = &["authorization", "x-acs-security-token"];
/// RPC query parameters whose values are credentials or signatures.
pub const SECRET_PARAMS: &[&str] = &["Signature", "SecurityToken"];

impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedRequest")
            .field("url", &redact_query(&self.url))
            .field("headers", &redact_headers(&self.headers))
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// Whether `name` is one of the [`SECRET_HEADERS`] (any case).
pub(crate) fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// `headers` with the values of the [`SECRET_HEADERS`] replaced by `***`, for `Debug`.
pub(crate) fn redact_headers<N: AsRef<str>>(headers: &[(N, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_ref();
            let shown = if is_secret_header(name) { "***" } else { value };
            (name, shown)
        })
        .collect()
}

/// `url` with the values of its [`SECRET_PARAMS`] replaced by `***`.
fn redact_query(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMS.contains(&name) => format!("{name}=***"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// What changes between attempts: time and a fresh nonce.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// When the attempt is made.
    pub time: SystemTime,
    /// Unique per attempt (anti-replay), sent as [`Stamp::nonce_hex`] by
    /// the schemes that sign a nonce (Zenlayer's does not, so it costs
    /// Zenlayer no formatting).
    pub nonce: u128,
}

impl Stamp {
    /// The current time and a random nonce.
    pub fn now() -> Self {
        Stamp {
            time: SystemTime::now(),
            // Anti-replay needs uniqueness, not secrecy: 128 random bits from a
            // thread-local generator, without a system call per attempt.
            nonce: fastrand::u128(..),
        }
    }

    /// The nonce as sent: 32 lower-case hex digits.
    pub fn nonce_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        // Digit by digit from the top: no formatting machinery per attempt.
        (0..32)
            .rev()
            .map(|digit| char::from(DIGITS[((self.nonce >> (4 * digit)) & 0xf) as usize]))
            .collect()
    }

    pub(crate) fn unix_seconds(&self) -> u64 {
        self.time
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    pub(crate) fn iso8601(&self) -> String {
        humantime::format_rfc3339_seconds(self.time).to_string()
    }
}

/// Host (and port, when not the scheme default) of a URL, as the `Host` header will carry it.
/// Borrowed from the URL when there is no port to add.
pub fn host_of(url: &reqwest::Url) -> Cow<'_, str> {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => Cow::Owned(format!("{host}:{port}")),
        (Some(host), None) => Cow::Borrowed(host),
        _ => Cow::Borrowed(""),
    }
}

/// Where a request goes and what it asks for; the same for every attempt.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Endpoint URL.
    pub url: &'a reqwest::Url,
    /// Action name.
    pub action: &'a str,
    /// API version.
    pub api_version: &'a str,
    /// Sent as `User-Agent`.
    pub user_agent: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_sent_as_32_hex_digits_leading_zeros_kept() {
        let stamp = Stamp {
            time: UNIX_EPOCH,
            nonce: 0xab,
        };
        assert_eq!(stamp.nonce_hex(), format!("{}ab", "0".repeat(30)));
        let stamp = Stamp {
            time: UNIX_EPOCH,
            nonce: 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
        };
        assert_eq!(stamp.nonce_hex(), "0123456789abcdeffedcba9876543210");
    }
}
