//! Checks each request's authentication the way the vendor's gateway does,
//! and answers with the vendor's authentication codes.
//!
//! A client that signs wrongly must fail against the emulator as it would
//! against the vendor, or the emulator would prove nothing. The algorithms
//! are in [`crate::signature`]; this module finds their inputs in the
//! request, compares in constant time, and enforces the clock skew each
//! vendor allows (Zenlayer 5 minutes, Alibaba 15) and Alibaba's one-use
//! nonces.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::signature;

/// Zenlayer's code for a missing, malformed or unknown credential (zenlayer-sdn.md §3.4).
pub const ZENLAYER_INVALID_AUTHORIZATION: &str = "AUTHFAILURE_INVALID_AUTHORIZATION";
/// Zenlayer's code for a signature that does not verify.
pub const ZENLAYER_SIGNATURE_FAILURE: &str = "AUTHFAILURE_SIGNATURE_FAILURE";
/// Zenlayer's code for a timestamp more than [`ZENLAYER_MAX_SKEW`] from the server's clock.
pub const ZENLAYER_SIGNATURE_EXPIRED: &str = "AUTHFAILURE_SIGNATURE_EXPIRED";
/// Alibaba's code for a signature that does not verify (alibaba-vpc.md §3.3).
pub const ALIBABA_SIGNATURE_MISMATCH: &str = "SignatureDoesNotMatch";
/// Alibaba's code for an access key id it does not know.
pub const ALIBABA_UNKNOWN_KEY: &str = "InvalidAccessKeyId.NotFound";
/// Alibaba's code for a nonce already used.
pub const ALIBABA_NONCE_USED: &str = "SignatureNonceUsed";
/// Alibaba's code for a timestamp more than [`ALIBABA_MAX_SKEW`] from the server's clock.
pub const ALIBABA_TIMESTAMP_EXPIRED: &str = "InvalidTimeStamp.Expired";
/// Alibaba's code for a timestamp it cannot read.
pub const ALIBABA_TIMESTAMP_FORMAT: &str = "InvalidTimeStamp.Format";
/// Alibaba's code for a missing authentication parameter or header.
pub const ALIBABA_MISSING_PARAMETER: &str = "MissingParameter";

/// Largest clock difference Zenlayer accepts.
pub const ZENLAYER_MAX_SKEW: Duration = Duration::from_secs(5 * 60);
/// Largest clock difference Alibaba accepts.
pub const ALIBABA_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// Nonces remembered for replay detection; the oldest are forgotten beyond it.
const MAX_NONCES: usize = 100_000;

/// Headers an ACS3 signature must cover.
const ACS3_SIGNED: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

/// The credentials requests must carry.
#[derive(Clone, Debug)]
pub(crate) struct Expected {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub token: Option<String>,
}

/// A request as far as authentication is concerned.
pub(crate) struct Signed<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Decoded query parameters (with form-body parameters, when the body is a form).
    pub params: &'a [(String, String)],
    /// Headers, lower-case names.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Signed<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        crate::first(self.headers, name)
    }

    fn param(&self, name: &str) -> Option<&str> {
        crate::first(self.params, name)
    }
}

/// A refused request: HTTP status, vendor code, and a message without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

fn refuse(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        code,
        message: message.into(),
    }
}

/// Nonces already seen, bounded: the oldest are forgotten first.
#[derive(Debug, Default)]
pub(crate) struct Nonces {
    seen: HashSet<String>,
    order: VecDeque<String>,
}

impl Nonces {
    /// Remembers `nonce`; false when it was seen before.
    fn first_use(&mut self, nonce: &str) -> bool {
        if !self.seen.insert(nonce.to_string()) {
            return false;
        }
        self.order.push_back(nonce.to_string());
        if self.order.len() > MAX_NONCES
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        true
    }
}

fn skew(now: SystemTime, then: SystemTime) -> Duration {
    now.duration_since(then).unwrap_or_else(|e| e.duration())
}

/// Zenlayer: a Bearer token, or ZC2-HMAC-SHA256 with a current timestamp.
pub(crate) fn zenlayer(expected: &Expected, req: &Signed, now: SystemTime) -> Result<(), Refusal> {
    let invalid = |m: &str| refuse(401, ZENLAYER_INVALID_AUTHORIZATION, m);
    let authorization = req
        .header("authorization")
        .ok_or_else(|| invalid("the Authorization header is missing"))?;
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        return match &expected.token {
            Some(known) if signature::same_signature(token.trim(), known) => Ok(()),
            _ => Err(invalid("the access token is not valid")),
        };
    }
    let rest = authorization
        .strip_prefix("ZC2-HMAC-SHA256 ")
        .ok_or_else(|| invalid("Authorization is neither ZC2-HMAC-SHA256 nor Bearer"))?;
    let parts = authorization_parts(rest, ", ").ok_or_else(|| {
        invalid("Authorization must be `Credential=…, SignedHeaders=…, Signature=…`")
    })?;
    if parts.credential != expected.access_key_id {
        return Err(invalid("the AccessKeyId is not known"));
    }
    let names: Vec<&str> = parts.signed_headers.split(';').collect();
    if !names.contains(&"content-type") || !names.contains(&"host") {
        return Err(invalid("SignedHeaders must include content-type and host"));
    }
    let timestamp = req
        .header("x-zc-timestamp")
        .ok_or_else(|| invalid("the X-ZC-Timestamp header is missing"))?;
    let seconds: u64 = timestamp
        .parse()
        .map_err(|_| invalid("X-ZC-Timestamp is not Unix seconds"))?;
    if skew(now, UNIX_EPOCH + Duration::from_secs(seconds)) > ZENLAYER_MAX_SKEW {
        return Err(refuse(
            401,
            ZENLAYER_SIGNATURE_EXPIRED,
            "X-ZC-Timestamp is more than 5 minutes from the server's time",
        ));
    }
    let mut signed = Vec::with_capacity(names.len());
    for name in &names {
        let value = req
            .header(name)
            .ok_or_else(|| invalid(&format!("signed header {name} is missing")))?;
        signed.push((*name, value));
    }
    let wanted =
        signature::zc2_signature(&expected.access_key_secret, &signed, timestamp, req.body);
    if signature::same_signature(parts.signature, &wanted) {
        Ok(())
    } else {
        Err(refuse(
            401,
            ZENLAYER_SIGNATURE_FAILURE,
            "the signature does not match",
        ))
    }
}

/// The three parts of a ZC2 or ACS3 `Authorization` value.
struct Parts<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn authorization_parts<'a>(rest: &'a str, separator: &str) -> Option<Parts<'a>> {
    let mut fields = rest.split(separator);
    let credential = fields.next()?.strip_prefix("Credential=")?;
    let signed_headers = fields.next()?.strip_prefix("SignedHeaders=")?;
    let signature = fields.next()?.strip_prefix("Signature=")?;
    fields.next().is_none().then_some(Parts {
        credential,
        signed_headers,
        signature,
    })
}

/// Alibaba: ACS3-HMAC-SHA256 in the `Authorization` header, or the HMAC-SHA1
/// RPC signature in the parameters; a current timestamp and a fresh nonce.
pub(crate) fn alibaba(
    expected: &Expected,
    req: &Signed,
    now: SystemTime,
    nonces: &mut Nonces,
) -> Result<(), Refusal> {
    if let Some(authorization) = req.header("authorization") {
        acs3(expected, req, authorization)?;
        check_time(req.header("x-acs-date"), now)?;
        fresh_nonce(req.header("x-acs-signature-nonce"), nonces)
    } else {
        rpc_v1(expected, req)?;
        check_time(req.param("Timestamp"), now)?;
        fresh_nonce(req.param("SignatureNonce"), nonces)
    }
}

fn acs3(expected: &Expected, req: &Signed, authorization: &str) -> Result<(), Refusal> {
    let mismatch = |m: &str| refuse(400, ALIBABA_SIGNATURE_MISMATCH, m);
    let rest = authorization
        .strip_prefix("ACS3-HMAC-SHA256 ")
        .ok_or_else(|| mismatch("the signature method is not ACS3-HMAC-SHA256"))?;
    let parts = authorization_parts(rest, ",").ok_or_else(|| {
        mismatch("Authorization must be `Credential=…,SignedHeaders=…,Signature=…`")
    })?;
    if parts.credential != expected.access_key_id {
        return Err(refuse(
            404,
            ALIBABA_UNKNOWN_KEY,
            "the AccessKeyId is not known",
        ));
    }
    let names: Vec<&str> = parts.signed_headers.split(';').collect();
    if let Some(missing) = ACS3_SIGNED.iter().find(|h| !names.contains(h)) {
        return Err(mismatch(&format!("SignedHeaders must include {missing}")));
    }
    let payload_hash = req.header("x-acs-content-sha256").unwrap_or_default();
    if payload_hash != signature::sha256_hex(req.body) {
        return Err(mismatch(
            "x-acs-content-sha256 is not the SHA-256 of the body",
        ));
    }
    let (_, wanted) = signature::acs3_signature(
        req.method,
        req.path,
        req.params,
        req.headers,
        &names,
        payload_hash,
        &expected.access_key_secret,
    );
    if signature::same_signature(parts.signature, &wanted) {
        Ok(())
    } else {
        Err(mismatch("the signature does not match"))
    }
}

fn rpc_v1(expected: &Expected, req: &Signed) -> Result<(), Refusal> {
    let missing = |name: &str| {
        refuse(
            400,
            ALIBABA_MISSING_PARAMETER,
            format!("the input parameter {name} that is mandatory is not supplied"),
        )
    };
    let sent = req.param("Signature").ok_or_else(|| missing("Signature"))?;
    let key_id = req
        .param("AccessKeyId")
        .ok_or_else(|| missing("AccessKeyId"))?;
    if req.param("SignatureMethod") != Some("HMAC-SHA1")
        || req.param("SignatureVersion") != Some("1.0")
    {
        return Err(refuse(
            400,
            ALIBABA_SIGNATURE_MISMATCH,
            "SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0",
        ));
    }
    if key_id != expected.access_key_id {
        return Err(refuse(
            404,
            ALIBABA_UNKNOWN_KEY,
            "the AccessKeyId is not known",
        ));
    }
    let params: Vec<(String, String)> = req
        .params
        .iter()
        .filter(|(name, _)| name != "Signature")
        .cloned()
        .collect();
    let wanted = signature::rpc_v1_signature(req.method, &params, &expected.access_key_secret);
    if signature::same_signature(sent, &wanted) {
        Ok(())
    } else {
        Err(refuse(
            400,
            ALIBABA_SIGNATURE_MISMATCH,
            "the signature does not match",
        ))
    }
}

fn check_time(sent: Option<&str>, now: SystemTime) -> Result<(), Refusal> {
    let sent = sent.ok_or_else(|| {
        refuse(
            400,
            ALIBABA_MISSING_PARAMETER,
            "the request timestamp is missing",
        )
    })?;
    let then = humantime::parse_rfc3339(sent).map_err(|_| {
        refuse(
            400,
            ALIBABA_TIMESTAMP_FORMAT,
            "the timestamp is not YYYY-MM-DDThh:mm:ssZ",
        )
    })?;
    if skew(now, then) > ALIBABA_MAX_SKEW {
        return Err(refuse(
            400,
            ALIBABA_TIMESTAMP_EXPIRED,
            "the timestamp is more than 15 minutes from the server's time",
        ));
    }
    Ok(())
}

fn fresh_nonce(nonce: Option<&str>, nonces: &mut Nonces) -> Result<(), Refusal> {
    let nonce = nonce.ok_or_else(|| {
        refuse(
            400,
            ALIBABA_MISSING_PARAMETER,
            "the signature nonce is missing",
        )
    })?;
    if nonces.first_use(nonce) {
        Ok(())
    } else {
        Err(refuse(
            400,
            ALIBABA_NONCE_USED,
            "this signature nonce has already been used",
        ))
    }
}
