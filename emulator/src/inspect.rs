//! The calls the emulator received, for a test's assertions.
//!
//! A test of retries or idempotency must see what reached the server: how
//! many attempts, with which parameters and headers, and what each got.
//! Every request that named an action is recorded, whatever its answer;
//! credentials never are (`Authorization` and security tokens are masked).

use serde_json::Value;

use crate::Vendor;

/// Calls kept at most; later ones are counted but not kept.
pub(crate) const MAX_CALLS: usize = 100_000;

/// Headers whose values are credentials.
const SECRET_HEADERS: &[&str] = &["authorization", "x-acs-security-token"];

/// One request the emulator answered.
#[derive(Clone, Debug)]
pub struct Call {
    /// Which protocol it used.
    pub vendor: Vendor,
    /// The action it named.
    pub action: String,
    /// Its parameters as a JSON object: the Zenlayer body, or the Alibaba
    /// parameters of the action, unflattened (`Filter.1.Key` → `Filter[0].Key`).
    pub params: Value,
    /// Headers in received order, lower-case names; credentials masked.
    pub headers: Vec<(String, String)>,
    /// The HTTP status answered (0 when the connection was closed instead).
    pub status: u16,
    /// The error code answered, if any.
    pub code: Option<String>,
}

impl Call {
    /// First value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Masks credential headers, keeping the scheme (`Bearer`, `ZC2-HMAC-SHA256`…).
pub(crate) fn masked_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            if SECRET_HEADERS.contains(&name.as_str()) {
                let scheme = value.split(' ').next().unwrap_or_default();
                (name.clone(), format!("{scheme} ***"))
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect()
}

/// The recorded calls, bounded by [`MAX_CALLS`].
#[derive(Debug, Default)]
pub(crate) struct Calls {
    pub(crate) kept: Vec<Call>,
    pub(crate) dropped: u64,
}

impl Calls {
    pub(crate) fn record(&mut self, call: Call) {
        if self.kept.len() < MAX_CALLS {
            self.kept.push(call);
        } else {
            self.dropped += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_masked() {
        let headers = vec![
            (
                "authorization".to_string(),
                "Bearer secret-token".to_string(),
            ),
            ("x-zc-action".to_string(), "DescribePorts".to_string()),
        ];
        let masked = masked_headers(&headers);
        assert_eq!(masked[0].1, "Bearer ***");
        assert_eq!(masked[1].1, "DescribePorts");
    }
}
