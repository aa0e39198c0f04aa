//! Helpers for the protocol tests every generated crate carries
//! (`tests/examples.rs`), after smithy-rs's `aws-smithy-protocol-test`.
//!
//! Generated tests check that a documented request is what the runtime
//! sends and that a documented answer parses; they call these functions and
//! never the runtime's internals, so the runtime can change how it encodes,
//! signs and classifies without touching generated code. Each function is
//! pure: no network, clock or credentials.

use crate::action::Action;
use crate::decode::Json;
use crate::encode::Writer;
use crate::error::{SdkError, ServiceError};
use crate::params::Params;
use crate::wire::{RawResponse, ServiceInfo, parse_response};

/// The JSON body a JSON protocol sends for `input`, parsed.
///
/// # Panics
///
/// Never for an input the generator wrote: the runtime writes valid JSON.
pub fn json_body<I: Params>(input: &I) -> Json {
    serde_json::from_slice(&Writer::json(input)).expect("the runtime writes valid JSON")
}

/// Every parameter an RPC protocol sends for `input` (query and form body),
/// flattened and sorted by name, then value.
pub fn rpc_params<I: Params>(input: &I) -> Vec<(String, String)> {
    let mut params = Writer::query(input);
    params.sort();
    params
}

/// An answer with `status` and a JSON `body`, read as a call of `A` reads it:
/// the output, or the typed error (a throttling code is `SdkError::Throttled`).
pub fn parse_answer<A: Action>(
    service: &ServiceInfo,
    status: u16,
    body: &str,
) -> Result<A::Output, SdkError<A::Error>> {
    parse_response::<A>(service, &RawResponse::json(status, body))
}

/// The error body `service`'s protocol sends for `code` and `message`, with
/// `request_id` where the protocol puts it.
pub fn error_body(service: &ServiceInfo, request_id: &str, code: &str, message: &str) -> String {
    let error = ServiceError {
        code: code.into(),
        message: message.into(),
        status: 400,
        request_id: Some(request_id.into()),
    };
    (service.protocol.wire().error_body(service, &error)).to_string()
}
