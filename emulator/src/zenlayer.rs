//! Zenlayer's side of the wire: where the action and parameters are, and the
//! envelopes and codes of its answers (zenlayer-sdn.md §1, §3).
//!
//! A client decodes these envelopes, so they are written exactly as the
//! vendor documents them: `{"requestId", "response": {"requestId", …}}` on
//! success, `{"requestId", "code", "message"}` on failure.

use serde_json::{Map, Value, json};

use crate::server::Answer;
use crate::validate::{Kind, Problem};

/// The SDN API path.
pub const PATH: &str = "/api/v2/sdn";
/// Throttling (HTTP 429).
pub const THROTTLED: &str = "REQUEST_LIMIT_EXCEEDED";
/// A 500.
pub const INTERNAL_ERROR: &str = "INTERNAL_SERVER_ERROR";
/// Any other 5xx.
pub const UNAVAILABLE: &str = "SERVICE_TEMPORARY_UNAVAILABLE";
/// An action the spec does not have. The reference documents no code for it;
/// this one follows the vendor's `INVALID_*` naming.
pub const UNKNOWN_ACTION: &str = "INVALID_ACTION";
/// A resource the request names does not exist (a service-wide code).
pub const NOT_FOUND: &str = "OPERATION_FAILED_RESOURCE_NOT_FOUND";
/// Too many resources for the emulator to keep.
pub const QUOTA_EXCEEDED: &str = "OPERATION_FAILED_QUOTA_EXCEEDED";

/// The vendor's code for a parameter problem (the service-wide codes).
pub(crate) fn problem_code(kind: Kind) -> &'static str {
    match kind {
        Kind::Missing => "MISSING_PARAMETER",
        Kind::Type => "INVALID_PARAMETER_TYPE",
        Kind::AboveMaximum => "INVALID_PARAMETER_EXCEED_MAXIMUM",
        Kind::BelowMinimum => "INVALID_PARAMETER_LESS_MINIMUM",
        Kind::TooLong => "INVALID_PARAMETER_EXCEED_LENGTH",
        Kind::TooShort => "INVALID_PARAMETER_LESS_LENGTH",
        Kind::Pattern => "INVALID_PARAMETER_PATTERN_ERROR",
        Kind::Value => "INVALID_PARAMETER_VALUE",
        Kind::Internal => INTERNAL_ERROR,
    }
}

/// The code a state precondition fails with when the action documents none:
/// `INVALID_<RESOURCE>_STATUS`, as the vendor spells its own.
pub(crate) fn state_code(resource: &str) -> String {
    let mut code = String::from("INVALID_");
    for (i, c) in resource.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            code.push('_');
        }
        code.push(c.to_ascii_uppercase());
    }
    code + "_STATUS"
}

/// The `n`-th request id: `T` and an upper-case UUID, as the vendor's.
pub fn request_id(n: u64) -> String {
    format!("T{:08X}-E3A1-4000-8000-{n:012X}", 0x7275_6e64u32)
}

/// The JSON object of the body; an empty body is `{}`.
pub(crate) fn params(body: &[u8]) -> Result<Map<String, Value>, Problem> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Problem::new(
            Kind::Type,
            "body",
            "the body is not a JSON object",
        )),
        Err(e) => Err(Problem::new(
            Kind::Type,
            "body",
            format!("the body is not JSON: {e}"),
        )),
    }
}

/// The success envelope around `fields`.
pub(crate) fn ok(request_id: &str, mut fields: Map<String, Value>) -> Answer {
    fields.insert("requestId".into(), json!(request_id));
    Answer::new(
        200,
        json!({"requestId": request_id, "response": fields}),
        None,
    )
}

/// The error envelope.
pub(crate) fn error(status: u16, code: &str, message: &str, request_id: &str) -> Answer {
    Answer::new(
        status,
        json!({"requestId": request_id, "code": code, "message": message}),
        Some(code),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_follow_the_vendor_spelling() {
        assert_eq!(
            state_code("PrivateConnect"),
            "INVALID_PRIVATE_CONNECT_STATUS"
        );
        assert_eq!(state_code("Port"), "INVALID_PORT_STATUS");
    }

    #[test]
    fn a_body_that_is_not_an_object_is_a_type_problem() {
        assert_eq!(params(b"[1]").unwrap_err().kind, Kind::Type);
        assert_eq!(params(b"{").unwrap_err().kind, Kind::Type);
        assert!(params(b"").unwrap().is_empty());
    }
}
