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
    /// the protocol's own names, and values that are constants of the
    /// protocol or the action, are borrowed, not allocated per request.
    pub headers: Vec<(Cow<'static, str>, Cow<'static, str>)>,
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
pub(crate) fn redact_headers<N: AsRef<str>, V: AsRef<str>>(
    headers: &[(N, V)],
) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_ref();
            let shown = match is_secret_header(name) {
                true => "***",
                false => value.as_ref(),
            };
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
        let mut hex = [0u8; 32];
        crate::sign::hex_into(&self.nonce.to_be_bytes(), &mut hex);
        ascii(&hex)
    }

    pub(crate) fn unix_seconds(&self) -> u64 {
        self.time
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// The time as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), written
    /// directly rather than through `Display`: one exact allocation. A time
    /// before 1970 is written as the epoch and one past year 9999 as its
    /// last second (the format has four year digits).
    ///
    /// Why by hand and not `humantime::format_rfc3339_seconds(..).to_string()`
    /// (the test's reference): that goes through the formatting machinery
    /// into a growing `String`, measured at 644 instructions a call against
    /// 427 for this function when it wrote a digit at a time (callgrind),
    /// 61–66 ns against 47–51 ns (criterion), on every ACS3 attempt; two
    /// digits at a time is cheaper again. The civil-date arithmetic is the part to get right, and
    /// the test checks it against humantime over 5,000 times and every edge.
    pub(crate) fn iso8601(&self) -> String {
        const LAST: u64 = 253_402_300_799; // 9999-12-31T23:59:59Z
        let secs = self.unix_seconds().min(LAST);
        let (year, month, day) = civil_date(secs / 86_400);
        let of_day = secs % 86_400;
        let mut text = *b"0000-00-00T00:00:00Z";
        // Two digits at a time, each a division by a constant (a multiplication).
        let mut two = |at: usize, value: u64| {
            text[at] = b'0' + (value / 10 % 10) as u8;
            text[at + 1] = b'0' + (value % 10) as u8;
        };
        two(0, year / 100);
        two(2, year % 100);
        two(5, month);
        two(8, day);
        two(11, of_day / 3600);
        two(14, of_day / 60 % 60);
        two(17, of_day % 60);
        ascii(&text)
    }
}

/// The `String` of bytes known to be ASCII.
fn ascii(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("digits and separators are ASCII")
}

/// Year, month (1-12) and day (1-31) of the proleptic Gregorian calendar,
/// `days` days after 1970-01-01 (the civil-from-days algorithm: 400-year
/// eras counted from March 0000, so the leap day ends the year).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let from_march_0 = days + 719_468;
    let era = from_march_0 / 146_097;
    let day_of_era = from_march_0 % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
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
    /// Action name (a constant of the generated code: sent without a copy).
    pub action: &'static str,
    /// API version (a constant of the generated code: sent without a copy).
    pub api_version: &'static str,
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

    #[test]
    fn the_date_is_written_as_humantime_writes_it() {
        let at = |secs: u64| Stamp {
            time: UNIX_EPOCH + std::time::Duration::from_secs(secs),
            nonce: 0,
        };
        let days = |d: u64| d * 86_400;
        // Epoch, leap days (1972, 2000, 2024), the skipped 2100 leap day,
        // year and month ends, and the last second of year 9999.
        let mut cases = vec![0, 59, 3599, 86_399, 253_402_300_799, 1_700_000_000];
        for day in [
            789,
            790,
            10_956,
            11_016,
            11_017,
            11_016 + 365,
            19_782,
            47_540,
            47_541,
        ] {
            cases.extend([days(day), days(day) + 86_399]);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(x % 253_402_300_800);
        }
        for secs in cases {
            let time = UNIX_EPOCH + std::time::Duration::from_secs(secs);
            let expected = humantime::format_rfc3339_seconds(time).to_string();
            assert_eq!(at(secs).iso8601(), expected, "{secs}");
        }
        assert_eq!(at(u64::MAX / 4).iso8601(), "9999-12-31T23:59:59Z");
        let before = Stamp {
            time: UNIX_EPOCH - std::time::Duration::from_secs(10),
            nonce: 0,
        };
        assert_eq!(before.iso8601(), "1970-01-01T00:00:00Z");
    }
}
