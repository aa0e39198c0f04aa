//! The vendors' published signature algorithms, written from the reference
//! (`zenlayer-sdn.md` §2, `alibaba-vpc.md` §2) rather than taken from
//! `truebind-runtime`.
//!
//! A request the runtime signed wrongly would verify against the runtime's own
//! code, so the emulator (and the project's end-to-end test server, which
//! re-exports these functions) computes signatures independently. The tests pin
//! every function to the vendors' published vectors.

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
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

fn hmac_sha1(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

/// Compares two signatures in time independent of where they differ.
pub fn same_signature(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// ZC2-HMAC-SHA256 signature over `signed` headers (lower-case name, value as
/// received), in the order given (zenlayer-sdn.md §2, steps 1–6).
pub fn zc2_signature(
    access_key_password: &str,
    signed: &[(&str, &str)],
    timestamp: &str,
    body: &[u8],
) -> String {
    let canonical_headers: String = signed
        .iter()
        .map(|(name, value)| format!("{name}:{}\n", value.trim().to_lowercase()))
        .collect();
    let names: Vec<&str> = signed.iter().map(|(name, _)| *name).collect();
    // CanonicalURI is always "/" and the query always empty, whatever the path.
    let canonical_request = format!(
        "POST\n/\n\n{canonical_headers}\n{}\n{}",
        names.join(";"),
        sha256_hex(body)
    );
    let string_to_sign = format!(
        "ZC2-HMAC-SHA256\n{timestamp}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    hex::encode(hmac_sha256(
        access_key_password.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// The `Authorization` value ZC2-HMAC-SHA256 gives for the two headers every
/// SDK signs (zenlayer-sdn.md §2, steps 1–7).
pub fn zc2_authorization(
    access_key_id: &str,
    access_key_password: &str,
    content_type: &str,
    host: &str,
    timestamp: &str,
    body: &[u8],
) -> String {
    let signature = zc2_signature(
        access_key_password,
        &[("content-type", content_type), ("host", host)],
        timestamp,
        body,
    );
    format!(
        "ZC2-HMAC-SHA256 Credential={access_key_id}, SignedHeaders=content-type;host, Signature={signature}"
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

/// Splits a raw query string (or form body) into decoded `(name, value)`
/// pairs, in order. A `+` stays a `+`: Alibaba clients encode spaces as `%20`.
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
/// decoded request parameter except `Signature`.
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
