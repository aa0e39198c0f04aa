//! The two wire protocols, as pure functions: input → request parts, and
//! HTTP answer → typed output or typed error.
//!
//! Nothing here touches the network, so every rule of the wire format is
//! tested with plain values. The transport calls these and adds signing.

pub mod alibaba;
pub mod zenlayer;

use crate::decode::{self, Decode};
use crate::error::{InvalidResponse, SdkError, ServiceError};
use crate::operation::Operation;

/// How a service's requests go on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Zenlayer Cloud API 2.0: JSON POST, `X-ZC-Action`, ZC2-HMAC-SHA256.
    ZenlayerJson,
    /// Alibaba Cloud RPC: parameters in the query, ACS3-HMAC-SHA256 by default
    /// (legacy HMAC-SHA1 through `Config::alibaba_signature`).
    AlibabaRpc,
}

/// Static facts about a service, emitted by the generator from `service.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// Crate / service name, e.g. `zenlayer-sdn`.
    pub name: &'static str,
    /// The generated crate's version (its `CARGO_PKG_VERSION`), sent in the `User-Agent`.
    pub crate_version: &'static str,
    /// Wire protocol.
    pub protocol: Protocol,
    /// API version sent with every request.
    pub api_version: &'static str,
    /// Default endpoint URL; its path is the service's path whatever the
    /// configured endpoint (Zenlayer `/api/v2/<service>`, Alibaba `/`).
    pub endpoint: &'static str,
    /// Region → host table, sorted by region.
    pub regional_endpoints: &'static [(&'static str, &'static str)],
}

/// An HTTP answer, as received.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Content-Type header, if any.
    pub content_type: Option<String>,
    /// A request id found in the headers, if any.
    pub header_request_id: Option<String>,
    /// Value of a retry-after hint header in milliseconds, if any.
    pub retry_after_ms: Option<u64>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// How many characters of a body an [`InvalidResponse`] shows.
const BODY_START_CHARS: usize = 200;

impl RawResponse {
    /// A JSON answer with no interesting headers (handy in tests).
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        RawResponse {
            status,
            content_type: Some("application/json".into()),
            header_request_id: None,
            retry_after_ms: None,
            body: body.into(),
        }
    }

    /// Frees the body except the start an [`InvalidResponse`] shows, once it is parsed.
    pub(crate) fn keep_body_start(&mut self) {
        // A character takes at most 4 bytes (and an invalid byte shows as one).
        self.body.truncate(BODY_START_CHARS * 4);
        self.body.shrink_to_fit();
    }
}

/// What one HTTP answer means for a call.
#[derive(Debug)]
pub enum Outcome<T> {
    /// The action succeeded.
    Success {
        /// What it returned.
        output: T,
        /// The answer's request id, if any.
        request_id: Option<String>,
    },
    /// The service answered with an error code.
    Service(ServiceError),
    /// The answer could not be understood.
    Invalid(InvalidResponse),
}

/// Parses an answer into the action's output or typed error (no retry logic).
pub fn parse_response<O: Operation>(
    service: &ServiceInfo,
    response: &RawResponse,
) -> Result<O::Output, SdkError<O::Error>> {
    match classify::<O::Output>(service.protocol, response) {
        Outcome::Success { output, .. } => Ok(output),
        Outcome::Service(e) if is_throttling(&e) => Err(SdkError::Throttled(e)),
        Outcome::Service(e) => Err(SdkError::Service(O::Error::from(e))),
        Outcome::Invalid(r) => Err(SdkError::InvalidResponse(r)),
    }
}

/// Decides what an answer means, for either protocol.
pub fn classify<T: Decode>(protocol: Protocol, response: &RawResponse) -> Outcome<T> {
    match protocol {
        Protocol::ZenlayerJson => zenlayer::classify(response),
        Protocol::AlibabaRpc => alibaba::classify(response),
    }
}

/// Whether a service error means "slow down": HTTP 429 or a throttling code.
pub fn is_throttling(e: &ServiceError) -> bool {
    e.status == 429 || e.code == "REQUEST_LIMIT_EXCEEDED" || e.code.starts_with("Throttling")
}

/// Builds the [`ServiceError`] of an answer that carries an error code; the
/// request id is the body's, else the headers'.
pub(crate) fn service_error(
    response: &RawResponse,
    code: String,
    message: Option<String>,
    request_id: Option<String>,
) -> ServiceError {
    ServiceError {
        code,
        message: message.unwrap_or_default(),
        status: response.status,
        request_id: request_id.or_else(|| response.header_request_id.clone()),
    }
}

/// Builds an [`InvalidResponse`] for an answer that could not be parsed.
pub(crate) fn invalid(
    response: &RawResponse,
    request_id: Option<String>,
    reason: String,
) -> InvalidResponse {
    let text = String::from_utf8_lossy(&response.body);
    InvalidResponse {
        status: response.status,
        request_id: request_id.or_else(|| response.header_request_id.clone()),
        content_type: response.content_type.clone(),
        reason,
        body_start: text.chars().take(BODY_START_CHARS).collect(),
    }
}

/// Why a body could not be read as JSON, mentioning a wrong content type.
pub(crate) fn json_problem(response: &RawResponse, error: &serde_json::Error) -> String {
    if response.body.is_empty() {
        return "the body is empty".into();
    }
    match &response.content_type {
        Some(ct) if !ct.contains("json") => {
            format!("expected JSON, got content type {ct} ({error})")
        }
        _ => format!("the body is not the expected JSON: {error}"),
    }
}

/// What a success answer means: its output read from `value`, or invalid
/// when `value` does not have the output's shape.
pub(crate) fn success<T: Decode>(
    response: &RawResponse,
    request_id: Option<String>,
    value: serde_json::Value,
) -> Outcome<T> {
    match decode_output::<T>(response, request_id.clone(), value) {
        Ok(output) => Outcome::Success { output, request_id },
        Err(r) => Outcome::Invalid(r),
    }
}

/// An action's output read from the already parsed output `value` of a
/// success answer, or the [`InvalidResponse`] naming where its shape is wrong.
pub(crate) fn decode_output<T: Decode>(
    response: &RawResponse,
    request_id: Option<String>,
    value: serde_json::Value,
) -> Result<T, InvalidResponse> {
    decode::from_envelope::<T>(value, request_id.as_deref()).map_err(|e| {
        invalid(
            response,
            request_id,
            format!("unexpected response shape: {e}"),
        )
    })
}
