//! What every protocol shares, as pure functions: a service's static facts,
//! an HTTP answer, what it means for a call, and the output decoded from it.
//!
//! Nothing here touches the network or knows a vendor (that is
//! [`crate::protocol`]), so every rule is tested with plain values.

use crate::action::Action;
use crate::decode::{self, Decode, Json};
use crate::error::{InvalidResponse, SdkError, ServiceError};
use crate::protocol::Protocol;

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
    /// The key of the request id in the protocol's envelope and error body
    /// (the spec's `request_id_field`).
    pub request_id_field: &'static str,
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

/// Where a success answer's output is, still to decode.
#[derive(Debug)]
pub enum Output {
    /// The exact JSON text of the output: these bytes of the body.
    Text(std::ops::Range<usize>),
    /// The output, parsed (an answer whose text could not be read alone).
    Parsed(Json),
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
pub fn parse_response<O: Action>(
    service: &ServiceInfo,
    response: &RawResponse,
) -> Result<O::Output, SdkError<O::Error>> {
    let wire = service.protocol.wire();
    match wire.classify(service, response) {
        Outcome::Success { output, request_id } => {
            decode_output::<O::Output>(response, request_id, output)
                .map_err(SdkError::InvalidResponse)
        }
        Outcome::Service(e) if wire.is_throttling(&e) => Err(SdkError::Throttled(e)),
        Outcome::Service(e) => Err(SdkError::Service(O::Error::from(e))),
        Outcome::Invalid(r) => Err(SdkError::InvalidResponse(r)),
    }
}

/// The text at `key` of a JSON object, read as tolerantly as any response
/// value (a number is kept as its text).
pub(crate) fn text_at(body: &Json, key: &str) -> Option<String> {
    let value = body.get(key)?;
    decode::from_json::<Option<String>>(value.clone())
        .ok()
        .flatten()
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

/// An action's output read from the `output` of a success answer, or the
/// [`InvalidResponse`] naming where its shape is wrong.
///
/// From text, unless a value in it cannot be parsed alone: then the body as
/// a whole cannot be either, and the answer is what parsing it says, as
/// when the answer was parsed into a `Value` before its meaning was decided.
pub(crate) fn decode_output<T: Decode>(
    response: &RawResponse,
    mut request_id: Option<String>,
    output: Output,
) -> Result<T, InvalidResponse> {
    let decoded = match output {
        Output::Parsed(value) => decode::from_envelope::<T>(value, request_id.as_deref()),
        Output::Text(span) => {
            let text = response.body.get(span.clone()).unwrap_or_default();
            match decode::from_text::<T>(text, &mut request_id) {
                Some(decoded) => decoded,
                None => {
                    let value = parse_body(response).and_then(|_| {
                        serde_json::from_slice(text).map_err(|e| invalid_json(response, &e))
                    })?;
                    decode::from_envelope::<T>(value, request_id.as_deref())
                }
            }
        }
    };
    decoded.map_err(|e| {
        invalid(
            response,
            request_id,
            format!("unexpected response shape: {e}"),
        )
    })
}

/// The whole body, parsed, or the [`InvalidResponse`] saying why it is not JSON.
pub(crate) fn parse_body(response: &RawResponse) -> Result<Json, InvalidResponse> {
    serde_json::from_slice(&response.body).map_err(|e| invalid_json(response, &e))
}

/// The [`InvalidResponse`] of a body that is not JSON.
fn invalid_json(response: &RawResponse, error: &serde_json::Error) -> InvalidResponse {
    invalid(response, None, json_problem(response, error))
}

/// Where `part` (borrowed from `body`) lies in `body`.
pub(crate) fn span_of(body: &[u8], part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr().addr().saturating_sub(body.as_ptr().addr());
    start..start + part.len()
}

/// An outcome as a protocol's tests compare it: a success by its request id.
#[cfg(test)]
pub(crate) fn shown(outcome: Outcome<Output>) -> String {
    match outcome {
        Outcome::Success { request_id, .. } => format!("success {request_id:?}"),
        other => format!("{other:?}"),
    }
}
