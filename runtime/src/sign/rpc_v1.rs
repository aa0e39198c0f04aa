//! Alibaba Cloud legacy RPC signature: `SignatureMethod=HMAC-SHA1`,
//! `SignatureVersion=1.0`.
//!
//! Alibaba's current documentation calls this "signature method V2" and marks
//! it deprecated in favour of [`acs3`](super::acs3), but the official runtime
//! still implements it and the gateway still documents it, so generated
//! clients keep it as an option.
//!
//! Steps:
//! 1. percent-encode every parameter name and value ([`percent_encode`]);
//! 2. sort by encoded name (byte order) and join `name=value` with `&`;
//! 3. `StringToSign = Method + "&" + "%2F" + "&" + percent_encode(query)`;
//! 4. `Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign))`.
//!
//! The parameter list passed in must hold every parameter that will be sent
//! (common, operation and flattened form-body parameters) except `Signature`
//! itself.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::encode::{canonical_query, percent_encode};

/// Builds the StringToSign:
/// `method + "&" + percent_encode("/") + "&" + percent_encode(canonical_query(params))`.
///
/// `method` is used verbatim (normally `GET` or `POST`).
pub fn string_to_sign<N: AsRef<str>, V: AsRef<str>>(method: &str, params: &[(N, V)]) -> String {
    format!(
        "{method}&{}&{}",
        percent_encode("/"),
        percent_encode(&canonical_query(params))
    )
}

/// Computes the `Signature` parameter value: Base64 of HMAC-SHA1 over
/// [`string_to_sign`] with key `access_key_secret + "&"`.
///
/// The returned value is plain Base64; percent-encode it when putting it in
/// a query string or form body.
pub fn sign<N: AsRef<str>, V: AsRef<str>>(
    method: &str,
    params: &[(N, V)],
    access_key_secret: &str,
) -> String {
    let key = format!("{access_key_secret}&");
    hmac_sha1_base64(&key, &string_to_sign(method, params))
}

/// Base64 (standard alphabet, padded) of HMAC-SHA1 of `message` under `key`,
/// with `key` used exactly as given (no `&` appended).
pub fn hmac_sha1_base64(key: &str, message: &str) -> String {
    let mac = super::hmac::<Hmac<Sha1>>(key.as_bytes(), message.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}
