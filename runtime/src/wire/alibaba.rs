//! Alibaba Cloud RPC wire format.
//!
//! Request: every parameter in the query string, nested values flattened to
//! dotted keys with 1-based list indices (`Tag.1.Key`, `Filter.2.Value.1`).
//! Success: 2xx with the output fields at the top level (`RequestId` among
//! them). Failure: 4xx/5xx with `{RequestId, HostId, Code, Message}`
//! (some gateways write the keys in lower camel case).

use serde::Deserialize;
use serde_json::Value;

use super::{Outcome, RawResponse, invalid, json_problem, service_error, success};
use crate::decode::Decode;
use crate::encode::Writer;
use crate::params::Params;

/// The query parameters for an input, flattened, in field order.
pub fn query<I: Params>(input: &I) -> Vec<(String, String)> {
    Writer::query(input)
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "RequestId", alias = "requestId")]
    request_id: Option<String>,
    #[serde(rename = "Code", alias = "code")]
    code: Option<String>,
    #[serde(rename = "Message", alias = "message")]
    message: Option<String>,
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
    match serde_json::from_slice::<ErrorBody>(&response.body) {
        Ok(ErrorBody {
            request_id,
            code: Some(code),
            message,
        }) => Outcome::Service(service_error(response, code, message, request_id)),
        Ok(body) => Outcome::Invalid(invalid(
            response,
            body.request_id,
            "an error status without an error code".into(),
        )),
        Err(e) => Outcome::Invalid(invalid(response, None, json_problem(response, &e))),
    }
}

fn request_id_of(body: &Value) -> Option<String> {
    let id = body.get("RequestId").or_else(|| body.get("requestId"))?;
    id.as_str().map(str::to_owned)
}
