//! Signed HTTP requests, built as plain values.
//!
//! Given the wire parts ([`crate::wire`]), the credentials and a [`Stamp`]
//! (time and nonce of one attempt), these functions return exactly what goes
//! on the wire: URL, headers and body (every request is a [`METHOD`]). The
//! signature covers the same bytes and header values that are sent, so tests
//! can verify a request with an independent implementation of the vendor's
//! algorithm. A [`SignedRequest`]'s `Debug` hides the credentials it carries.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::{AlibabaSignature, Credentials};
use crate::encode::RpcParams;
use crate::sign::{acs3, encode::canonical_query, rpc_v1, sha256_hex, zc2};

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
    /// Headers in sending order (the HTTP client adds `Host` and `Content-Length`).
    pub headers: Vec<(String, String)>,
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
pub(crate) fn redact_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, value)| {
            let shown = if is_secret_header(name) { "***" } else { value };
            (name.as_str(), shown)
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
    /// Unique per attempt (anti-replay).
    pub nonce: String,
}

impl Stamp {
    /// The current time and a random nonce.
    pub fn now() -> Self {
        Stamp {
            time: SystemTime::now(),
            // Anti-replay needs uniqueness, not secrecy: 128 random bits from a
            // thread-local generator, without a system call per attempt.
            nonce: format!("{:032x}", fastrand::u128(..)),
        }
    }

    fn unix_seconds(&self) -> u64 {
        self.time
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    fn iso8601(&self) -> String {
        humantime::format_rfc3339_seconds(self.time).to_string()
    }
}

/// Host (and port, when not the scheme default) of a URL, as the `Host` header will carry it.
pub fn host_of(url: &reqwest::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => String::new(),
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

/// A Zenlayer request: JSON body, `X-ZC-*` headers, ZC2-HMAC-SHA256 or bearer auth.
///
/// `X-ZC-Service` (unsigned, as in the official SDKs) is the service's short
/// name: the last segment of the `/api/v2/<service>` path of `target.url`.
pub fn zenlayer(
    target: &Target<'_>,
    body: Vec<u8>,
    credentials: &Credentials,
    stamp: &Stamp,
) -> SignedRequest {
    let Target {
        url,
        action,
        api_version,
        user_agent,
    } = *target;
    const CONTENT_TYPE: &str = "application/json";
    let service = url.path().trim_end_matches('/').rsplit('/').next();
    let service = service.unwrap_or_default();
    // Room for the three signature headers.
    let mut headers = Vec::with_capacity(8);
    headers.extend([
        ("Content-Type".to_string(), CONTENT_TYPE.to_string()),
        ("User-Agent".to_string(), user_agent.to_string()),
        ("X-ZC-Service".to_string(), service.to_string()),
        ("X-ZC-Action".to_string(), action.to_string()),
        ("X-ZC-Version".to_string(), api_version.to_string()),
    ]);
    match credentials {
        Credentials::Bearer(token) => {
            headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
        }
        Credentials::AccessKey { id, secret, .. } => {
            let timestamp = stamp.unix_seconds().to_string();
            let signature = zc2::sign(&zc2::Zc2Input {
                access_key_id: id,
                access_key_password: secret.expose(),
                content_type: CONTENT_TYPE,
                host: &host_of(url),
                timestamp: &timestamp,
                body: &body,
            });
            headers.push(("X-ZC-Timestamp".into(), timestamp));
            headers.push(("X-ZC-Signature-Method".into(), zc2::ALGORITHM.into()));
            headers.push(("Authorization".into(), signature.authorization));
        }
    }
    SignedRequest {
        url: url.to_string(),
        headers,
        body,
    }
}

/// The `Content-Type` of an RPC request whose parameters include form-body ones.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// An Alibaba RPC request, signed per `scheme`: the query parameters in the
/// query; the form ones, if any, in an `application/x-www-form-urlencoded`
/// body (names and values percent-encoded as the signature encodes them),
/// else an empty body. ACS3 signs the body's hash and `content-type`;
/// HMAC-SHA1 signs the form parameters together with the query ones.
pub fn alibaba(
    target: &Target<'_>,
    params: impl Into<RpcParams>,
    credentials: &Credentials,
    scheme: AlibabaSignature,
    stamp: &Stamp,
) -> SignedRequest {
    let params = params.into();
    let (id, secret, token) = match credentials {
        Credentials::AccessKey {
            id,
            secret,
            security_token,
        } => (
            id.as_str(),
            secret.expose(),
            security_token.as_ref().map(|t| t.expose()),
        ),
        // Alibaba has no bearer mode; sign with an empty key so the server rejects it clearly.
        Credentials::Bearer(_) => ("", "", None),
    };
    match scheme {
        AlibabaSignature::Acs3HmacSha256 => {
            alibaba_acs3(target, params, (id, secret, token), stamp)
        }
        AlibabaSignature::RpcHmacSha1 => alibaba_rpc_v1(target, params, (id, secret, token), stamp),
    }
}

/// `url` with its query replaced by `query` (already encoded) and no fragment.
fn with_query(url: &reqwest::Url, query: &str) -> String {
    // A serialized URL escapes `?` and `#` everywhere before its query and
    // fragment, so the first of them ends scheme, authority and path.
    let url = url.as_str();
    let base = url.find(['?', '#']).map_or(url, |end| &url[..end]);
    [base, "?", query].concat()
}

/// The form body of `form` (empty without form parameters) and its `content-type` header.
fn form_body(form: &[(String, String)]) -> (Vec<u8>, Option<(String, String)>) {
    if form.is_empty() {
        return (Vec::new(), None);
    }
    let body = canonical_query(form).into_bytes();
    (
        body,
        Some(("content-type".into(), FORM_CONTENT_TYPE.into())),
    )
}

fn alibaba_acs3(
    target: &Target<'_>,
    params: RpcParams,
    (id, secret, token): (&str, &str, Option<&str>),
    stamp: &Stamp,
) -> SignedRequest {
    let Target {
        url,
        action,
        api_version,
        user_agent,
    } = *target;
    let (body, content_type) = form_body(&params.form);
    let payload_hash = if body.is_empty() {
        acs3::EMPTY_PAYLOAD_SHA256.to_string()
    } else {
        sha256_hex(&body)
    };
    // Room for the optional token and content type, and the three unsigned headers pushed after signing.
    let mut headers = Vec::with_capacity(11);
    headers.extend(content_type);
    headers.extend([
        ("host".to_string(), host_of(url)),
        ("x-acs-action".to_string(), action.to_string()),
        ("x-acs-version".to_string(), api_version.to_string()),
        ("x-acs-date".to_string(), stamp.iso8601()),
        ("x-acs-signature-nonce".to_string(), stamp.nonce.clone()),
        ("x-acs-content-sha256".to_string(), payload_hash.clone()),
    ]);
    if let Some(token) = token {
        headers.push(("x-acs-security-token".into(), token.into()));
    }
    let signature = acs3::sign(&acs3::Acs3Input {
        method: METHOD,
        canonical_uri: url.path(),
        query: &params.query,
        headers: &headers,
        payload_hash: &payload_hash,
        access_key_id: id,
        access_key_secret: secret,
    });
    // reqwest sets Host itself from the URL; sending it twice would be wrong.
    headers.retain(|(name, _)| name != "host");
    headers.push(("accept".into(), "application/json".into()));
    headers.push(("user-agent".into(), user_agent.into()));
    headers.push(("authorization".into(), signature.authorization));
    SignedRequest {
        url: with_query(url, &signature.canonical_query),
        headers,
        body,
    }
}

fn alibaba_rpc_v1(
    target: &Target<'_>,
    RpcParams {
        query: mut params,
        form,
    }: RpcParams,
    (id, secret, token): (&str, &str, Option<&str>),
    stamp: &Stamp,
) -> SignedRequest {
    let Target {
        url,
        action,
        api_version,
        user_agent,
    } = *target;
    let common = [
        ("Action", action.to_string()),
        ("Version", api_version.to_string()),
        ("Format", "JSON".to_string()),
        ("AccessKeyId", id.to_string()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        ("SignatureNonce", stamp.nonce.clone()),
        ("Timestamp", stamp.iso8601()),
    ];
    params.extend(common.into_iter().map(|(k, v)| (k.to_string(), v)));
    if let Some(token) = token {
        params.push(("SecurityToken".into(), token.into()));
    }
    // The signature covers the form parameters too; they are sent only in the body.
    let query_len = params.len();
    params.extend(form);
    let signature = rpc_v1::sign(METHOD, &params, secret);
    let form = params.split_off(query_len);
    params.push(("Signature".into(), signature));
    let (body, content_type) = form_body(&form);
    let mut headers = Vec::with_capacity(3);
    headers.extend(content_type);
    headers.push(("accept".into(), "application/json".into()));
    headers.push(("user-agent".into(), user_agent.into()));
    SignedRequest {
        url: with_query(url, &canonical_query(&params)),
        headers,
        body,
    }
}
