//! Zenlayer Cloud API 2.0 wire format.
//!
//! Request: the input as a JSON object (absent optional fields omitted, never
//! `null`). Success: HTTP 200 with `{"requestId", "response": {…}}`; the
//! inner object is the action's output. Failure: 4xx/5xx with
//! `{"requestId", "code", "message"}` and no `response` key.

use serde::Deserialize;

use super::{Outcome, RawResponse, invalid, json_problem, service_error, success};
use crate::decode::Decode;
use crate::encode::Writer;
use crate::params::Params;

/// The JSON body for an input: exactly the bytes that are hashed and sent.
pub fn body<I: Params>(input: &I) -> Vec<u8> {
    Writer::json(input)
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "requestId")]
    request_id: Option<String>,
    response: Option<serde_json::Value>,
    code: Option<String>,
    message: Option<String>,
}

/// Decides what a Zenlayer answer means.
pub fn classify<T: Decode>(response: &RawResponse) -> Outcome<T> {
    let envelope: Envelope = match serde_json::from_slice(&response.body) {
        Ok(e) => e,
        Err(e) => return Outcome::Invalid(invalid(response, None, json_problem(response, &e))),
    };
    let request_id = envelope.request_id.clone();
    if let Some(code) = envelope.code {
        return Outcome::Service(service_error(response, code, envelope.message, request_id));
    }
    if !(200..300).contains(&response.status) {
        let reason = "an error status without an error code".to_string();
        return Outcome::Invalid(invalid(response, request_id, reason));
    }
    let Some(inner) = envelope.response else {
        let reason = "a success status without a `response` object".to_string();
        return Outcome::Invalid(invalid(response, request_id, reason));
    };
    success(response, request_id, inner)
}
