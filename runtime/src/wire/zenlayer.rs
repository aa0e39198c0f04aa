//! Zenlayer Cloud API 2.0 wire format.
//!
//! Request: the input as a JSON object (absent optional fields omitted, never
//! `null`). Success: HTTP 200 with `{"requestId", "response": {…}}`; the
//! inner object is the action's output, and the outer `requestId` goes to
//! its `meta`. Failure: 4xx/5xx with `{"requestId", "code", "message"}` and
//! no `response` key. The envelope is read as tolerantly as any response
//! value (see [`crate::decode`]): a numeric `code` or `requestId` is kept as
//! its text rather than losing the answer.

use serde_json::Value;

use super::{Outcome, RawResponse, invalid, json_problem, service_error, success};
use crate::decode::{self, Decode, DecodeObject, Fields};
use crate::encode::Writer;
use crate::params::Params;

/// The JSON body for an input: exactly the bytes that are hashed and sent.
pub fn body<I: Params>(input: &I) -> Vec<u8> {
    Writer::json(input)
}

struct Envelope {
    request_id: Option<String>,
    response: Option<Value>,
    code: Option<String>,
    message: Option<String>,
}

impl DecodeObject for Envelope {
    fn decode_object(f: &mut Fields<'_>) -> Self {
        Envelope {
            request_id: f.take("requestId"),
            response: f.take("response"),
            code: f.take("code"),
            message: f.take("message"),
        }
    }
}

/// Decides what a Zenlayer answer means.
pub fn classify<T: Decode>(response: &RawResponse) -> Outcome<T> {
    let body = match serde_json::from_slice::<Value>(&response.body) {
        Ok(body) => body,
        Err(e) => return Outcome::Invalid(invalid(response, None, json_problem(response, &e))),
    };
    let envelope = match decode::from_json::<Envelope>(body) {
        Ok(envelope) => envelope,
        Err(e) => {
            let reason = format!("unexpected response shape: {e}");
            return Outcome::Invalid(invalid(response, None, reason));
        }
    };
    let request_id = envelope.request_id;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_json(status: u16, body: &str) -> Outcome<crate::Json> {
        classify(&RawResponse::json(status, body))
    }

    #[test]
    fn a_numeric_code_and_request_id_are_kept_as_text() {
        let Outcome::Service(e) = classify_json(400, r#"{"requestId":17,"code":7111}"#) else {
            panic!("expected a service error");
        };
        assert_eq!(
            (e.code.as_str(), e.request_id.as_deref()),
            ("7111", Some("17"))
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_invalid() {
        let Outcome::Invalid(r) = classify_json(200, "[1]") else {
            panic!("expected an invalid answer");
        };
        assert_eq!(
            r.reason,
            "unexpected response shape: expected an object, found a list"
        );
    }

    #[test]
    fn a_success_without_response_is_invalid_and_keeps_the_request_id() {
        let Outcome::Invalid(r) = classify_json(200, r#"{"requestId":"T-1","response":null}"#)
        else {
            panic!("expected an invalid answer");
        };
        assert_eq!(r.request_id.as_deref(), Some("T-1"));
        assert!(r.reason.contains("without a `response`"), "{}", r.reason);
    }
}
