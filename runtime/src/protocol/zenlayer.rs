//! Zenlayer Cloud API 2.0: the one home of the vendor's protocol.
//!
//! Request: the input as a JSON object (absent optional fields omitted, never
//! `null`), POSTed with `X-ZC-*` headers and signed with ZC2-HMAC-SHA256
//! ([`crate::sign::zc2`]) or a bearer token. Success: HTTP 200 with
//! `{"<request id>", "response": {…}}`; the inner object is the action's
//! output, and the outer request id goes to its `meta`. Failure: 4xx/5xx with
//! `{"<request id>", "code", "message"}` and no `response` key. The request
//! id's key is the spec's `request_id_field` (`requestId`). The envelope is
//! read as tolerantly as any response value (see [`crate::decode`]): a
//! numeric `code` or request id is kept as its text rather than losing the
//! answer. Throttling is `REQUEST_LIMIT_EXCEEDED`; the request id header is
//! `x-zc-request-id`.

use serde_json::{Value, json};

use super::{Encoded, Wire, throttled_by};
use crate::config::{Config, Credentials};
use crate::credentials::{Env, Source};
use crate::decode::{self, DecodeObject, Fields, Json};
use crate::encode::Writer;
use crate::error::ServiceError;
use crate::params::Params;
use crate::request::{SignedRequest, Stamp, Target, host_of};
use crate::sign::zc2;
use crate::wire::{
    Outcome, RawResponse, ServiceInfo, invalid, json_problem, service_error, text_at,
};

/// The Zenlayer JSON protocol.
pub struct ZenlayerJson;

/// The throttling code.
const THROTTLING: &str = "REQUEST_LIMIT_EXCEEDED";

impl Wire for ZenlayerJson {
    fn encode(&self, input: &dyn Params) -> Encoded {
        Encoded {
            body: Writer::json(input),
            ..Encoded::default()
        }
    }

    fn shown_params(&self, input: &dyn Params) -> Json {
        serde_json::from_slice(&Writer::json(input)).unwrap_or_default()
    }

    fn sign(
        &self,
        target: &Target<'_>,
        encoded: &Encoded,
        credentials: &Credentials,
        _: &Config,
        stamp: &Stamp,
    ) -> SignedRequest {
        request(target, encoded.body.clone(), credentials, stamp)
    }

    fn classify(&self, service: &ServiceInfo, response: &RawResponse) -> Outcome<Json> {
        classify(service.request_id_field, response)
    }

    fn is_throttling(&self, e: &ServiceError) -> bool {
        throttled_by(e, |code| code == THROTTLING)
    }

    fn request_id_header(&self) -> &'static str {
        "x-zc-request-id"
    }

    fn retry_after_ms_header(&self) -> Option<&'static str> {
        None
    }

    fn success_body(&self, service: &ServiceInfo, output: Json, request_id: &str) -> Json {
        let mut body = serde_json::Map::new();
        body.insert(service.request_id_field.into(), request_id.into());
        body.insert("response".into(), output);
        Json::Object(body)
    }

    fn error_body(&self, service: &ServiceInfo, e: &ServiceError) -> Json {
        let mut body = json!({"code": e.code, "message": e.message});
        body[service.request_id_field] = json!(e.request_id);
        body
    }

    fn throttling(&self) -> (&'static str, u16) {
        (THROTTLING, 429)
    }

    fn credential_sources(&self) -> Vec<Source> {
        vec![Source::ZenlayerEnv, Source::ZenlayerProfile]
    }

    fn configure_from_env(&self, config: &mut Config, env: &Env) {
        config.endpoint = env.var("ZENLAYER_ENDPOINT");
    }
}

/// A Zenlayer request: JSON body, `X-ZC-*` headers, ZC2-HMAC-SHA256 or bearer auth.
///
/// `X-ZC-Service` (unsigned, as in the official SDKs) is the service's short
/// name: the last segment of the `/api/v2/<service>` path of `target.url`.
pub fn request(
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
        ("Content-Type".into(), CONTENT_TYPE.to_string()),
        ("User-Agent".into(), user_agent.to_string()),
        ("X-ZC-Service".into(), service.to_string()),
        ("X-ZC-Action".into(), action.to_string()),
        ("X-ZC-Version".into(), api_version.to_string()),
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

/// The envelope's fields besides the request id (whose key the spec names).
struct Envelope {
    response: Option<Value>,
    code: Option<String>,
    message: Option<String>,
}

impl DecodeObject for Envelope {
    fn decode_object(f: &mut Fields<'_>) -> Self {
        Envelope {
            response: f.take("response"),
            code: f.take("code"),
            message: f.take("message"),
        }
    }
}

/// Decides what a Zenlayer answer means; the request id is read from the
/// envelope's `request_id_field`.
pub fn classify(request_id_field: &str, response: &RawResponse) -> Outcome<Json> {
    let body = match serde_json::from_slice::<Value>(&response.body) {
        Ok(body) => body,
        Err(e) => return Outcome::Invalid(invalid(response, None, json_problem(response, &e))),
    };
    let request_id = text_at(&body, request_id_field);
    let envelope = match decode::from_json::<Envelope>(body) {
        Ok(envelope) => envelope,
        Err(e) => {
            let reason = format!("unexpected response shape: {e}");
            return Outcome::Invalid(invalid(response, None, reason));
        }
    };
    if let Some(code) = envelope.code {
        return Outcome::Service(service_error(response, code, envelope.message, request_id));
    }
    if !(200..300).contains(&response.status) {
        let reason = "an error status without an error code".to_string();
        return Outcome::Invalid(invalid(response, request_id, reason));
    }
    let Some(output) = envelope.response else {
        let reason = "a success status without a `response` object".to_string();
        return Outcome::Invalid(invalid(response, request_id, reason));
    };
    Outcome::Success { output, request_id }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_json(status: u16, body: &str) -> Outcome<Json> {
        classify("requestId", &RawResponse::json(status, body))
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
