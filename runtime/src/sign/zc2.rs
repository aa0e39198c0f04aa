//! Zenlayer Cloud API 2.0 request signing, `ZC2-HMAC-SHA256`
//! ("Signature Algorithm v2").
//!
//! The scheme has no key derivation and no date/region/service scope: the
//! HMAC key is the raw AccessKeyPassword. Only `content-type` and `host` are
//! signed; the canonical URI is always `/` (not the `/api/v2/<service>` path)
//! and the canonical query string is always empty.
//!
//! ```text
//! CanonicalRequest = "POST\n/\n\n"
//!                  + "content-type:" + ct + "\n" + "host:" + host + "\n"
//!                  + "\n" + "content-type;host" + "\n" + hex(sha256(body))
//! StringToSign     = "ZC2-HMAC-SHA256\n" + timestamp + "\n" + hex(sha256(CanonicalRequest))
//! Signature        = hex(hmac_sha256(AccessKeyPassword, StringToSign))
//! Authorization    = "ZC2-HMAC-SHA256 Credential=" + id
//!                  + ", SignedHeaders=content-type;host, Signature=" + sig
//! ```

use sha2::{Digest, Sha256};

use super::{
    Hex, ascii_lowercase, hmac_sha256_hex, hmac_sha256_of_parts, sha256_hex, sha256_of_parts,
    trimmed,
};

/// The algorithm name as a literal, so that the constant parts around it
/// are joined at compile time (each part is one more hash update).
macro_rules! algorithm {
    () => {
        "ZC2-HMAC-SHA256"
    };
}

/// The signed header list as a literal (see `algorithm!`).
macro_rules! signed_headers {
    () => {
        "content-type;host"
    };
}

/// The algorithm name, sent in `X-ZC-Signature-Method` and used as the first
/// line of the StringToSign and the first word of `Authorization`.
pub const ALGORITHM: &str = algorithm!();

/// The signed header list; the scheme signs exactly these two headers.
pub const SIGNED_HEADERS: &str = signed_headers!();

/// Everything that enters a `ZC2-HMAC-SHA256` signature. Its `Debug` hides the secret.
#[derive(Clone, Copy)]
pub struct Zc2Input<'a> {
    /// AccessKeyId; appears in `Authorization` as `Credential=`.
    pub access_key_id: &'a str,
    /// AccessKeyPassword (secret); used raw as the HMAC key.
    pub access_key_password: &'a str,
    /// The `Content-Type` header value exactly as sent, e.g.
    /// `application/json`.
    pub content_type: &'a str,
    /// The `Host` header value exactly as sent, e.g. `console.zenlayer.com`.
    pub host: &'a str,
    /// The `X-ZC-Timestamp` header value: Unix time in seconds, decimal.
    pub timestamp: &'a str,
    /// The exact body bytes that will be sent.
    pub body: &'a [u8],
}

/// The signature and every intermediate value, so that callers and tests can
/// inspect each step. Its `Debug` leaves out the signature and
/// `Authorization`, a credential until the request expires.
#[derive(Clone, PartialEq, Eq)]
pub struct Zc2Signature {
    /// Lower-case hex SHA-256 of the body (`HashedRequestPayload`).
    pub payload_hash: String,
    /// The full CanonicalRequest.
    pub canonical_request: String,
    /// Lower-case hex SHA-256 of the CanonicalRequest.
    pub canonical_request_hash: String,
    /// The full StringToSign.
    pub string_to_sign: String,
    /// Lower-case hex HMAC-SHA256 signature.
    pub signature: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
}

impl std::fmt::Debug for Zc2Input<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zc2Input")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_password", &"***")
            .field("content_type", &self.content_type)
            .field("host", &self.host)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Zc2Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zc2Signature")
            .field("payload_hash", &self.payload_hash)
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .finish_non_exhaustive()
    }
}

/// Signs one Zenlayer request.
///
/// Header values are trimmed and lower-cased, as the documented
/// canonicalization requires; send lower-case `Content-Type` and `Host`
/// values so that what is signed equals what is sent.
pub fn sign(input: &Zc2Input<'_>) -> Zc2Signature {
    let payload_hash = sha256_hex(input.body);
    let content_type = ascii_lowercase(trimmed(input.content_type));
    let host = ascii_lowercase(trimmed(input.host));
    let request = canonical_request(&content_type, &host, payload_hash.as_bytes()).concat();
    let canonical_request = String::from_utf8(request).expect(TEXT);
    let canonical_request_hash = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = string_to_sign(input.timestamp, canonical_request_hash.as_bytes());
    let string_to_sign = String::from_utf8(string_to_sign.concat()).expect(TEXT);
    let signature = hmac_sha256_hex(
        input.access_key_password.as_bytes(),
        string_to_sign.as_bytes(),
    );
    let authorization = authorization_of(input.access_key_id, &signature);
    Zc2Signature {
        payload_hash,
        canonical_request,
        canonical_request_hash,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The `Authorization` value of [`sign`], over the same bytes, computed
/// without building the intermediate values: a request needs only this.
pub fn authorization(input: &Zc2Input<'_>) -> String {
    let payload_hash = Hex::of(&Sha256::digest(input.body).into());
    let content_type = ascii_lowercase(trimmed(input.content_type));
    let host = ascii_lowercase(trimmed(input.host));
    let request = canonical_request(&content_type, &host, payload_hash.as_bytes());
    let request_hash = Hex::of(&sha256_of_parts(&request));
    let string_to_sign = string_to_sign(input.timestamp, request_hash.as_bytes());
    let key = input.access_key_password.as_bytes();
    let signature = Hex::of(&hmac_sha256_of_parts(key, &string_to_sign));
    authorization_of(input.access_key_id, signature.as_str())
}

/// Why the joined parts of [`canonical_request`] and [`string_to_sign`] are text.
const TEXT: &str = "joined from text and hex digits";

/// The CanonicalRequest, in parts: bytes, so that the payload hash's hex
/// digits are hashed as they are.
fn canonical_request<'a>(
    content_type: &'a str,
    host: &'a str,
    payload_hash: &'a [u8],
) -> [&'a [u8]; 6] {
    [
        b"POST\n/\n\ncontent-type:",
        content_type.as_bytes(),
        b"\nhost:",
        host.as_bytes(),
        concat!("\n\n", signed_headers!(), "\n").as_bytes(),
        payload_hash,
    ]
}

/// The StringToSign, in parts (bytes, as in [`canonical_request`]).
fn string_to_sign<'a>(timestamp: &'a str, canonical_request_hash: &'a [u8]) -> [&'a [u8]; 4] {
    [
        concat!(algorithm!(), "\n").as_bytes(),
        timestamp.as_bytes(),
        b"\n",
        canonical_request_hash,
    ]
}

/// The `Authorization` value carrying `signature`.
fn authorization_of(access_key_id: &str, signature: &str) -> String {
    [
        concat!(algorithm!(), " Credential="),
        access_key_id,
        concat!(", SignedHeaders=", signed_headers!(), ", Signature="),
        signature,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorization_alone_is_the_full_signature_s() {
        let bodies: [&[u8]; 3] = [b"", br#"{"a":1}"#, &[b'x'; 200]];
        for (body, (content_type, host)) in bodies.into_iter().zip([
            ("application/json", "console.zenlayer.com"),
            (" Application/JSON ", "Console.Zenlayer.com:8443"),
            ("text/plain", ""),
        ]) {
            let input = Zc2Input {
                access_key_id: "AKID",
                access_key_password: "secret",
                content_type,
                host,
                timestamp: "1700000000",
                body,
            };
            assert_eq!(authorization(&input), sign(&input).authorization);
        }
    }
}
