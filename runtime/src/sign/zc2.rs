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

use super::{ascii_lowercase, hmac_sha256_hex, sha256_hex};

/// The algorithm name, sent in `X-ZC-Signature-Method` and used as the first
/// line of the StringToSign and the first word of `Authorization`.
pub const ALGORITHM: &str = "ZC2-HMAC-SHA256";

/// The signed header list; the scheme signs exactly these two headers.
pub const SIGNED_HEADERS: &str = "content-type;host";

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
    let content_type = ascii_lowercase(input.content_type.trim());
    let host = ascii_lowercase(input.host.trim());
    let canonical_request = [
        "POST\n/\n\ncontent-type:",
        &content_type,
        "\nhost:",
        &host,
        "\n\n",
        SIGNED_HEADERS,
        "\n",
        &payload_hash,
    ]
    .concat();
    let canonical_request_hash = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = [
        ALGORITHM,
        "\n",
        input.timestamp,
        "\n",
        &canonical_request_hash,
    ]
    .concat();
    let signature = hmac_sha256_hex(
        input.access_key_password.as_bytes(),
        string_to_sign.as_bytes(),
    );
    let authorization = [
        ALGORITHM,
        " Credential=",
        input.access_key_id,
        ", SignedHeaders=",
        SIGNED_HEADERS,
        ", Signature=",
        &signature,
    ]
    .concat();
    Zc2Signature {
        payload_hash,
        canonical_request,
        canonical_request_hash,
        string_to_sign,
        signature,
        authorization,
    }
}
