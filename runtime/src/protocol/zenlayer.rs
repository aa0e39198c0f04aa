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
use crate::decode::{self, DecodeObject, Decoder, Fields, Json};
use crate::encode::Writer;
use crate::error::ServiceError;
use crate::params::Params;
use crate::request::{SignedRequest, Stamp, Target, host_of};
use crate::sign::zc2;
use crate::wire::{
    Outcome, Output, RawResponse, ServiceInfo, invalid, parse_body, service_error, span_of, text_at,
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

    fn classify(&self, service: &ServiceInfo, response: &RawResponse) -> Outcome<Output> {
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
    let path = url.path().trim_end_matches('/');
    // A byte loop from the end: the name is a few bytes, which `rfind`'s `memrchr` costs more than.
    let slash = path.bytes().rposition(|b| b == b'/');
    let service = slash.map_or(path, |slash| &path[slash + 1..]);
    // Room for the three signature headers.
    let mut headers = Vec::with_capacity(8);
    headers.extend([
        ("Content-Type".into(), CONTENT_TYPE.into()),
        ("User-Agent".into(), user_agent.to_string().into()),
        ("X-ZC-Service".into(), service.to_string().into()),
        ("X-ZC-Action".into(), action.into()),
        ("X-ZC-Version".into(), api_version.into()),
    ]);
    match credentials {
        Credentials::Bearer(token) => {
            let bearer = format!("Bearer {}", token.expose());
            headers.push(("Authorization".into(), bearer.into()));
        }
        Credentials::AccessKey { id, secret, .. } => {
            // itoa's digits, copied into a `String` of exactly their length.
            let timestamp = String::from(itoa::Buffer::new().format(stamp.unix_seconds()));
            let authorization = zc2::authorization(&zc2::Zc2Input {
                access_key_id: id,
                access_key_password: secret.expose(),
                content_type: CONTENT_TYPE,
                host: &host_of(url),
                timestamp: &timestamp,
                body: &body,
            });
            headers.push(("X-ZC-Timestamp".into(), timestamp.into()));
            headers.push(("X-ZC-Signature-Method".into(), zc2::ALGORITHM.into()));
            headers.push(("Authorization".into(), authorization.into()));
        }
    }
    SignedRequest {
        // The serialized URL as it is, without the formatting machinery.
        url: url.as_str().to_owned(),
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
pub fn classify(request_id_field: &str, response: &RawResponse) -> Outcome<Output> {
    classify_text(request_id_field, response)
        .unwrap_or_else(|| classify_parsed(request_id_field, response))
}

/// [`classify`] from the body's text, the output left as text; `None` when
/// that takes a parsed `Value` (see `decode::text`).
///
/// One pass over the envelope's members keeps the text of the last of each
/// of the four it knows (a parsed object keeps the last of a repeated key),
/// then reads those as a [`Fields`] of the envelope would.
fn classify_text(request_id_field: &str, response: &RawResponse) -> Option<Outcome<Output>> {
    let (mut request_id, mut output, mut code, mut message) = (None, None, None, None);
    decode::each_member(&response.body, |key, value| {
        if key == request_id_field {
            request_id = Some(value);
        }
        match key {
            "response" => output = Some(value),
            "code" => code = Some(value),
            "message" => message = Some(value),
            _ => {}
        }
    })?;
    let mut cx = Decoder::for_text(None);
    let request_id = request_id.and_then(|id| cx.id_text(id));
    let output = (output.filter(|text| *text != "null"))
        .map(|text| Output::Text(span_of(&response.body, text)));
    let code = cx.take_text("code", code);
    let message = cx.take_text("message", message);
    cx.finish()
        .then(|| meaning(response, request_id, code, message, output))
}

/// [`classify`] from the body parsed into a `Value`.
fn classify_parsed(request_id_field: &str, response: &RawResponse) -> Outcome<Output> {
    let body = match parse_body(response) {
        Ok(body) => body,
        Err(invalid) => return Outcome::Invalid(invalid),
    };
    let request_id = text_at(&body, request_id_field);
    let envelope = match decode::from_json::<Envelope>(body) {
        Ok(envelope) => envelope,
        Err(e) => {
            let reason = format!("unexpected response shape: {e}");
            return Outcome::Invalid(invalid(response, None, reason));
        }
    };
    let output = envelope.response.map(Output::Parsed);
    meaning(
        response,
        request_id,
        envelope.code,
        envelope.message,
        output,
    )
}

/// What an envelope with these fields means.
fn meaning(
    response: &RawResponse,
    request_id: Option<String>,
    code: Option<String>,
    message: Option<String>,
    output: Option<Output>,
) -> Outcome<Output> {
    if let Some(code) = code {
        return Outcome::Service(service_error(response, code, message, request_id));
    }
    if !(200..300).contains(&response.status) {
        let reason = "an error status without an error code".to_string();
        return Outcome::Invalid(invalid(response, request_id, reason));
    }
    let Some(output) = output else {
        let reason = "a success status without a `response` object".to_string();
        return Outcome::Invalid(invalid(response, request_id, reason));
    };
    Outcome::Success { output, request_id }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::shown;

    #[test]
    fn reading_the_text_means_what_parsing_the_body_means() {
        let answers = [
            (200, r#"{"requestId":"T-1","response":{"a":1}}"#),
            (
                200,
                r#" {"request\u0049d":"T-2","response":{},"requestId":"T-3"} "#,
            ),
            (200, r#"{"requestId":"T-4","response":null}"#),
            (200, r#"{"requestId":5,"code":{"x":1},"response":{}}"#),
            (400, r#"{"requestId":"T-6","code":7111,"message":"no"}"#),
            (500, r#"{"requestId":"T-7"}"#),
            (
                400,
                r#"{"code":"A","message":"m","x":{"y":[1,"z"]},"code":"B","requestId":"T-8","message":null}"#,
            ),
            (
                200,
                r#"{"response":{"a":1},"requestId":"T-9","response":{"b":2}}"#,
            ),
            (
                429,
                r#"{"code":"REQUEST_LIMIT_EXCEEDED","unknown":[1e400]}"#,
            ),
        ];
        for (status, body) in answers {
            let response = RawResponse::json(status, body);
            let text = classify_text("requestId", &response).expect("read from text");
            let parsed = classify_parsed("requestId", &response);
            if body.contains("1e400") {
                // Unknown fields are only checked for syntax (see `decode::text`).
                assert!(matches!(parsed, Outcome::Invalid(_)), "{body}");
                assert!(matches!(text, Outcome::Service(_)), "{body}");
                continue;
            }
            assert_eq!(shown(text), shown(parsed), "{body}");
        }
        for body in ["[1]", "{", r#"{"requestId":"\ud800"}"#, ""] {
            let response = RawResponse::json(200, body);
            assert!(classify_text("requestId", &response).is_none(), "{body}");
        }
    }

    #[test]
    fn an_output_value_that_is_not_json_alone_is_the_whole_body_s_json_error() {
        struct Out(Option<String>);
        impl DecodeObject for Out {
            fn decode_object(f: &mut Fields<'_>) -> Self {
                Out(f.take("privateConnectId"))
            }
        }
        let good = r#"{"requestId":"T-1","response":{"privateConnectId":"pc-1"}}"#;
        let response = RawResponse::json(200, good);
        let Outcome::Success { output, request_id } = classify("requestId", &response) else {
            panic!("a success");
        };
        let decoded = crate::wire::decode_output::<Out>(&response, request_id, output);
        assert_eq!(decoded.map(|out| out.0), Ok(Some("pc-1".to_string())));
        let body = r#"{"requestId":"T-1","response":{"privateConnectId":"\ud800"}}"#;
        let response = RawResponse::json(200, body);
        let Outcome::Success { output, request_id } = classify("requestId", &response) else {
            panic!("the envelope reads");
        };
        let decoded = crate::wire::decode_output::<Out>(&response, request_id, output);
        let Err(invalid) = decoded else {
            panic!("a lone surrogate is not text");
        };
        let Outcome::Invalid(expected) = classify_parsed("requestId", &response) else {
            panic!("the body is not JSON");
        };
        assert_eq!(invalid, expected);
    }

    #[test]
    fn the_service_header_is_the_last_segment_of_the_path() {
        let credentials = Credentials::Bearer(crate::config::Secret::new("t"));
        for (url, expected) in [
            ("https://console.zenlayer.com/api/v2/sdn", "sdn"),
            ("https://console.zenlayer.com/api/v2/sdn/", "sdn"),
            ("http://127.0.0.1:8080/zé/api/v2/bmc", "bmc"),
            ("https://console.zenlayer.com/", ""),
        ] {
            let url = reqwest::Url::parse(url).expect("a URL");
            let target = Target {
                url: &url,
                action: "A",
                api_version: "v",
                user_agent: "ua",
            };
            let stamp = Stamp::now();
            let signed = request(&target, Vec::new(), &credentials, &stamp);
            let sent = signed
                .headers
                .iter()
                .find(|(name, _)| name == "X-ZC-Service");
            let path = url.path().trim_end_matches('/');
            let reference = path.rfind('/').map_or(path, |slash| &path[slash + 1..]);
            assert_eq!(
                sent.map(|(_, value)| value.as_ref()),
                Some(reference),
                "{url}"
            );
            assert_eq!(reference, expected, "{url}");
        }
    }

    fn classify_json(status: u16, body: &str) -> Outcome<Output> {
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
