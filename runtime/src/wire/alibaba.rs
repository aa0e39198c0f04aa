//! Alibaba Cloud RPC wire format.
//!
//! Request: every parameter in the query string, nested values flattened to
//! dotted keys with 1-based list indices (`Tag.1.Key`, `Filter.2.Value.1`).
//! Success: 2xx with the output fields at the top level (`RequestId` among
//! them). Failure: 4xx/5xx with `{RequestId, HostId, Code, Message}`
//! (some gateways write the keys in lower camel case).

use serde_json::Value;

use super::{Outcome, RawResponse, invalid, json_problem, service_error, success};
use crate::decode::{self, Decode, DecodeObject, Fields};
use crate::encode::{RpcParams, Writer};
use crate::params::Params;

/// Every parameter of an input (query and form-body ones together), flattened,
/// in field order: the request as the documentation lists it.
pub fn query<I: Params>(input: &I) -> Vec<(String, String)> {
    Writer::query(input)
}

/// The parameters of an input split by where they travel: query, or form body.
pub fn params<I: Params>(input: &I) -> RpcParams {
    Writer::rpc(input)
}

/// Decides what an Alibaba answer means.
pub fn classify<T: Decode>(response: &RawResponse) -> Outcome<T> {
    if (200..300).contains(&response.status) {
        let body = match serde_json::from_slice::<Value>(&response.body) {
            Ok(body) => body,
            Err(e) => return Outcome::Invalid(invalid(response, None, json_problem(response, &e))),
        };
        let request_id = request_id_of(&body);
        return success(response, request_id, body);
    }
    let body = match serde_json::from_slice::<Value>(&response.body) {
        Ok(body) => body,
        Err(e) => return Outcome::Invalid(invalid(response, None, json_problem(response, &e))),
    };
    let error = match decode::from_json::<ErrorBody>(body) {
        Ok(error) => error,
        Err(e) => {
            let reason = format!("unexpected response shape: {e}");
            return Outcome::Invalid(invalid(response, None, reason));
        }
    };
    match error.code {
        Some(code) => Outcome::Service(service_error(
            response,
            code,
            error.message,
            error.request_id,
        )),
        None => Outcome::Invalid(invalid(
            response,
            error.request_id,
            "an error status without an error code".into(),
        )),
    }
}

/// An error body, read as tolerantly as any response value (a numeric `Code`
/// is kept as its text); some gateways write the keys in lower camel case.
struct ErrorBody {
    request_id: Option<String>,
    code: Option<String>,
    message: Option<String>,
}

impl DecodeObject for ErrorBody {
    fn decode_object(f: &mut Fields<'_>) -> Self {
        let mut either =
            |name: &str, alias: &str| f.take::<Option<String>>(name).or_else(|| f.take(alias));
        ErrorBody {
            request_id: either("RequestId", "requestId"),
            code: either("Code", "code"),
            message: either("Message", "message"),
        }
    }
}

/// A success body's request id (it sits among the output fields).
fn request_id_of(body: &Value) -> Option<String> {
    let id = body.get("RequestId").or_else(|| body.get("requestId"))?;
    decode::from_json::<Option<String>>(id.clone())
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numeric_code_and_request_id_are_kept_as_text() {
        let answer = RawResponse::json(400, r#"{"RequestId":17,"Code":4001,"Message":"no"}"#);
        let Outcome::Service(e) = classify::<crate::Json>(&answer) else {
            panic!("expected a service error");
        };
        assert_eq!(e.code, "4001");
        assert_eq!(e.request_id.as_deref(), Some("17"));
        assert_eq!(e.message, "no");
    }

    #[test]
    fn lower_camel_keys_are_read_and_no_code_is_invalid() {
        let answer = RawResponse::json(403, r#"{"requestId":"R","code":"Forbidden"}"#);
        assert!(
            matches!(classify::<crate::Json>(&answer), Outcome::Service(e) if e.code == "Forbidden")
        );
        let answer = RawResponse::json(500, r#"{"RequestId":"R"}"#);
        assert!(
            matches!(classify::<crate::Json>(&answer), Outcome::Invalid(r) if r.request_id.as_deref() == Some("R"))
        );
    }
}
