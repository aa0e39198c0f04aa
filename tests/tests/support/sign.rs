//! The vendors' published signature algorithms, written again from the
//! reference (`shared/reference/zenlayer-sdn.md` §2, `alibaba-vpc.md` §2) for
//! the test server to check requests with.
//!
//! This deliberately does not call `truebind_runtime::sign`: a request the
//! runtime signed wrongly would verify against the runtime's own code. The
//! e2e files pin these functions to the vendors' published test vectors first,
//! so a passing end-to-end test means the client agrees with the vendor's
//! algorithm, not merely with itself.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

fn hmac_sha1(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

/// The `Authorization` value ZC2-HMAC-SHA256 gives (zenlayer-sdn.md §2, steps 1–7).
///
/// Header values are signed lower-cased and trimmed, exactly as received.
pub fn zc2_authorization(
    access_key_id: &str,
    access_key_password: &str,
    content_type: &str,
    host: &str,
    timestamp: &str,
    body: &[u8],
) -> String {
    let canonical_headers = format!(
        "content-type:{}\nhost:{}\n",
        content_type.trim().to_lowercase(),
        host.trim().to_lowercase()
    );
    let signed_headers = "content-type;host";
    // CanonicalURI is always "/" and the query always empty, whatever the path.
    let canonical_request = format!(
        "POST\n/\n\n{canonical_headers}\n{signed_headers}\n{}",
        sha256_hex(body)
    );
    let string_to_sign = format!(
        "ZC2-HMAC-SHA256\n{timestamp}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let signature = hex::encode(hmac_sha256(
        access_key_password.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    format!(
        "ZC2-HMAC-SHA256 Credential={access_key_id}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// RFC 3986 unreserved characters stay; everything else is `%XY`, upper-case hex.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Alibaba's percent-encoding (alibaba-vpc.md §2.1 step 2).
pub fn alibaba_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// Splits a raw query string into decoded `(name, value)` pairs, in order.
/// A `+` stays a `+`: Alibaba clients encode spaces as `%20`.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (decode(name), decode(value))
        })
        .collect()
}

/// Encodes each decoded pair again and sorts by encoded name (then value):
/// the canonical query of both Alibaba schemes.
pub fn alibaba_canonical_query(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (alibaba_encode(k), alibaba_encode(v)))
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// ACS3-HMAC-SHA256 (alibaba-vpc.md §2.2): returns
/// `(hex(SHA256(CanonicalRequest)), Signature)`.
///
/// `headers` are the received headers (any case); `signed_headers` the
/// lower-case names from `SignedHeaders`, in the order given.
pub fn acs3_signature(
    method: &str,
    path: &str,
    params: &[(String, String)],
    headers: &[(String, String)],
    signed_headers: &[&str],
    payload_hash: &str,
    access_key_secret: &str,
) -> (String, String) {
    let canonical_uri = if path.is_empty() { "/" } else { path };
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let mut values: Vec<String> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .collect();
        values.sort();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical_request = format!(
        "{method}\n{canonical_uri}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        alibaba_canonical_query(params),
        signed_headers.join(";")
    );
    let hashed = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = format!("ACS3-HMAC-SHA256\n{hashed}");
    let signature = hex::encode(hmac_sha256(
        access_key_secret.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    (hashed, signature)
}

/// HMAC-SHA1 RPC signature (alibaba-vpc.md §2.1): `params` are every
/// decoded query parameter except `Signature`.
pub fn rpc_v1_signature(
    method: &str,
    params: &[(String, String)],
    access_key_secret: &str,
) -> String {
    let string_to_sign = format!(
        "{method}&{}&{}",
        alibaba_encode("/"),
        alibaba_encode(&alibaba_canonical_query(params))
    );
    let key = format!("{access_key_secret}&");
    base64::engine::general_purpose::STANDARD
        .encode(hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()))
}
