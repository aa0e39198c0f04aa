//! Alibaba Cloud RPC: the one home of the vendor's protocol.
//!
//! Request: every parameter in the query string (or, with `location: form`,
//! in an `application/x-www-form-urlencoded` body), nested values flattened
//! to dotted keys with 1-based list indices (`Tag.1.Key`, `Filter.2.Value.1`),
//! signed with ACS3-HMAC-SHA256 ([`crate::sign::acs3`]) or the legacy
//! HMAC-SHA1 ([`crate::sign::rpc_v1`]) as `Config::alibaba_signature` says.
//! Success: 2xx with the output fields at the top level, the request id
//! among them. Failure: 4xx/5xx with `{<request id>, HostId, Code, Message}`
//! (some gateways write the keys in lower camel case). The request id's key
//! is the spec's `request_id_field` (`RequestId`). Throttling codes start
//! with `Throttling`; the request id header is `x-acs-request-id`, and
//! `x-acs-retry-after` is a wait hint in milliseconds.

use std::borrow::Cow;

use serde_json::json;

use super::{Encoded, Wire, throttled_by};
use crate::config::{AlibabaSignature, Config, Credentials};
use crate::credentials::{Env, Source};
use crate::decode::{self, DecodeObject, Decoder, Fields, Json};
use crate::encode::{Param, RpcParams, Writer};
use crate::error::ServiceError;
use crate::params::Params;
use crate::request::{METHOD, SignedRequest, Stamp, Target, host_of};
use crate::sign::encode::{canonical_query, canonical_query_after};
use crate::sign::{acs3, rpc_v1, sha256_hex};
use crate::wire::{
    Outcome, Output, RawResponse, ServiceInfo, invalid, parse_body, service_error, text_at,
};

/// The Alibaba RPC protocol.
pub struct AlibabaRpc;

impl Wire for AlibabaRpc {
    fn encode(&self, input: &dyn Params) -> Encoded {
        Encoded {
            params: Writer::rpc(input),
            ..Encoded::default()
        }
    }

    fn shown_params(&self, input: &dyn Params) -> Json {
        let pairs = Writer::query(input).into_iter();
        Json::Object(pairs.map(|(k, v)| (k, Json::String(v))).collect())
    }

    fn sign(
        &self,
        target: &Target<'_>,
        encoded: &Encoded,
        credentials: &Credentials,
        config: &Config,
        stamp: &Stamp,
    ) -> SignedRequest {
        let scheme = config.alibaba_signature;
        signed(target, &encoded.params, credentials, scheme, stamp)
    }

    fn classify(&self, service: &ServiceInfo, response: &RawResponse) -> Outcome<Output> {
        classify(service.request_id_field, response)
    }

    fn is_throttling(&self, e: &ServiceError) -> bool {
        throttled_by(e, |code| code.starts_with("Throttling"))
    }

    fn request_id_header(&self) -> &'static str {
        "x-acs-request-id"
    }

    fn retry_after_ms_header(&self) -> Option<&'static str> {
        Some("x-acs-retry-after")
    }

    fn success_body(&self, service: &ServiceInfo, output: Json, request_id: &str) -> Json {
        match output {
            Json::Object(mut fields) => {
                (fields.entry(service.request_id_field)).or_insert_with(|| request_id.into());
                Json::Object(fields)
            }
            other => other,
        }
    }

    fn error_body(&self, service: &ServiceInfo, e: &ServiceError) -> Json {
        let host = service.endpoint.trim_start_matches("https://");
        let host = host.split('/').next().unwrap_or_default();
        let mut body = json!({"HostId": host, "Code": e.code, "Message": e.message});
        body[service.request_id_field] = json!(e.request_id);
        body
    }

    fn throttling(&self) -> (&'static str, u16) {
        ("Throttling.User", 400)
    }

    fn credential_sources(&self) -> Vec<Source> {
        vec![
            Source::AlibabaEnv,
            Source::AlibabaCliConfig,
            Source::AlibabaSharedFile,
        ]
    }

    fn configure_from_env(&self, config: &mut Config, env: &Env) {
        config.endpoint = env.var("ALIBABA_CLOUD_ENDPOINT");
        config.region = env.var("ALIBABA_CLOUD_REGION_ID");
    }
}

/// Decides what an Alibaba answer means; the request id is the body's
/// `request_id_field` (or its lower camel case form, as some gateways write it).
pub fn classify(request_id_field: &str, response: &RawResponse) -> Outcome<Output> {
    classify_text(request_id_field, response)
        .unwrap_or_else(|| classify_parsed(request_id_field, response))
}

/// [`classify`] from the body's text, a success's output left as text;
/// `None` when that takes a parsed `Value` (see `decode::text`).
fn classify_text(request_id_field: &str, response: &RawResponse) -> Option<Outcome<Output>> {
    let mut cx = Decoder::for_text(None);
    let mut fields = decode::text_fields(&response.body, &mut cx)?;
    let request_id = (fields.peek_text(request_id_field))
        .or_else(|| fields.peek_text(&lower_camel(request_id_field)));
    let error =
        (!(200..300).contains(&response.status)).then(|| ErrorBody::decode_object(&mut fields));
    drop(fields);
    if !cx.finish() {
        return None;
    }
    Some(match error {
        None => Outcome::Success {
            output: Output::Text(0..response.body.len()),
            request_id,
        },
        Some(error) => meaning(response, error, request_id),
    })
}

/// [`classify`] from the body parsed into a `Value`.
fn classify_parsed(request_id_field: &str, response: &RawResponse) -> Outcome<Output> {
    let body = match parse_body(response) {
        Ok(body) => body,
        Err(invalid) => return Outcome::Invalid(invalid),
    };
    let lower = lower_camel(request_id_field);
    let request_id = text_at(&body, request_id_field).or_else(|| text_at(&body, &lower));
    if (200..300).contains(&response.status) {
        return Outcome::Success {
            output: Output::Parsed(body),
            request_id,
        };
    }
    match decode::from_json::<ErrorBody>(body) {
        Ok(error) => meaning(response, error, request_id),
        Err(e) => {
            let reason = format!("unexpected response shape: {e}");
            Outcome::Invalid(invalid(response, None, reason))
        }
    }
}

/// What an error status with this body means.
fn meaning(
    response: &RawResponse,
    error: ErrorBody,
    request_id: Option<String>,
) -> Outcome<Output> {
    match error.code {
        Some(code) => Outcome::Service(service_error(response, code, error.message, request_id)),
        None => Outcome::Invalid(invalid(
            response,
            request_id,
            "an error status without an error code".into(),
        )),
    }
}

/// `RequestId` → `requestId`.
fn lower_camel(key: &str) -> String {
    let mut chars = key.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

/// An error body, read as tolerantly as any response value (a numeric `Code`
/// is kept as its text); some gateways write the keys in lower camel case.
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
}

impl DecodeObject for ErrorBody {
    fn decode_object(f: &mut Fields<'_>) -> Self {
        let mut either =
            |name: &str, alias: &str| f.take::<Option<String>>(name).or_else(|| f.take(alias));
        ErrorBody {
            code: either("Code", "code"),
            message: either("Message", "message"),
        }
    }
}

/// The `Content-Type` of an RPC request whose parameters include form-body ones.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// An Alibaba RPC request, signed per `scheme`: the query parameters in the
/// query; the form ones, if any, in an `application/x-www-form-urlencoded`
/// body (names and values percent-encoded as the signature encodes them),
/// else an empty body. ACS3 signs the body's hash and `content-type`;
/// HMAC-SHA1 signs the form parameters together with the query ones.
pub fn request(
    target: &Target<'_>,
    params: impl Into<RpcParams>,
    credentials: &Credentials,
    scheme: AlibabaSignature,
    stamp: &Stamp,
) -> SignedRequest {
    signed(target, &params.into(), credentials, scheme, stamp)
}

/// [`request`] from borrowed parameters: ACS3 only reads them, so an
/// attempt does not copy them; HMAC-SHA1 adds its own to a copy.
fn signed(
    target: &Target<'_>,
    params: &RpcParams,
    credentials: &Credentials,
    scheme: AlibabaSignature,
    stamp: &Stamp,
) -> SignedRequest {
    let (id, secret, token) = match credentials {
        Credentials::AccessKey {
            id,
            secret,
            security_token,
        } => (
            id.as_str(),
            secret.expose(),
            security_token.as_ref().map(|t| t.expose()),
        ),
        // Alibaba has no bearer mode; sign with an empty key so the server rejects it clearly.
        Credentials::Bearer(_) => ("", "", None),
    };
    match scheme {
        AlibabaSignature::Acs3HmacSha256 => {
            alibaba_acs3(target, params, (id, secret, token), stamp)
        }
        AlibabaSignature::RpcHmacSha1 => {
            alibaba_rpc_v1(target, params.clone(), (id, secret, token), stamp)
        }
    }
}

/// What comes before the query of a request to `url`: its scheme,
/// authority and path, and `?` (the query and fragment of `url` are dropped).
fn before_query(url: &reqwest::Url) -> [&str; 2] {
    // The URL knows where its query and fragment start: no look at its
    // bytes. Each is preceded by its `?` or `#`.
    let after = |part: Option<&str>| part.map_or(0, |part| part.len() + 1);
    let text = url.as_str();
    let end = text.len() - after(url.query()) - after(url.fragment());
    [text.get(..end).unwrap_or(text), "?"]
}

/// The form body of `form` (empty without form parameters) and its `content-type` header.
fn form_body(form: &[Param]) -> (Vec<u8>, Option<(&'static str, &'static str)>) {
    if form.is_empty() {
        return (Vec::new(), None);
    }
    let body = canonical_query(form).into_bytes();
    (body, Some(("content-type", FORM_CONTENT_TYPE)))
}

fn alibaba_acs3(
    target: &Target<'_>,
    params: &RpcParams,
    (id, secret, token): (&str, &str, Option<&str>),
    stamp: &Stamp,
) -> SignedRequest {
    let Target {
        url,
        action,
        api_version,
        user_agent,
    } = *target;
    let (body, content_type) = form_body(&params.form);
    let payload_hash: Cow<'static, str> = if body.is_empty() {
        acs3::EMPTY_PAYLOAD_SHA256.into()
    } else {
        sha256_hex(&body).into()
    };
    // Room for the optional token and content type and the three unsigned
    // headers. One push per header: an `extend` from an array moved each
    // array through a copy first.
    let mut headers: Vec<(Cow<'static, str>, Cow<'static, str>)> = Vec::with_capacity(10);
    if let Some((name, value)) = content_type {
        headers.push((name.into(), value.into()));
    }
    // In the order the signature sorts them (after `host`, signed apart),
    // which then costs one comparison per header.
    let hash_at = headers.len() + 1;
    headers.push(("x-acs-action".into(), action.into()));
    headers.push(("x-acs-content-sha256".into(), payload_hash));
    headers.push(("x-acs-date".into(), stamp.iso8601().into()));
    if let Some(token) = token {
        headers.push(("x-acs-security-token".into(), token.to_string().into()));
    }
    headers.push(("x-acs-signature-nonce".into(), stamp.nonce_hex().into()));
    headers.push(("x-acs-version".into(), api_version.into()));
    // The hash is signed as the header carries it.
    let payload_hash = headers[hash_at].1.as_ref();
    let input = acs3::Acs3Input {
        method: METHOD,
        canonical_uri: url.path(),
        query: &params.query,
        headers: &headers,
        payload_hash,
        access_key_id: id,
        access_key_secret: secret,
    };
    // reqwest sets Host itself from the URL (sending it twice would be
    // wrong), so it is signed without being a header here.
    let host = host_of(url);
    let (url, authorization) =
        acs3::after_and_authorization(&before_query(url), Some(&host), &input);
    headers.push(("accept".into(), "application/json".into()));
    headers.push(("user-agent".into(), user_agent.to_string().into()));
    headers.push(("authorization".into(), authorization.into()));
    SignedRequest { url, headers, body }
}

fn alibaba_rpc_v1(
    target: &Target<'_>,
    RpcParams {
        query: mut params,
        form,
    }: RpcParams,
    (id, secret, token): (&str, &str, Option<&str>),
    stamp: &Stamp,
) -> SignedRequest {
    let Target {
        url,
        action,
        api_version,
        user_agent,
    } = *target;
    let common = [
        ("Action", action.to_string()),
        ("Version", api_version.to_string()),
        ("Format", "JSON".to_string()),
        ("AccessKeyId", id.to_string()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        ("SignatureNonce", stamp.nonce_hex()),
        ("Timestamp", stamp.iso8601()),
    ];
    params.extend(common.into_iter().map(|(k, v)| (k.into(), v)));
    if let Some(token) = token {
        params.push(("SecurityToken".into(), token.into()));
    }
    // The signature covers the form parameters too; they are sent only in the body.
    let query_len = params.len();
    params.extend(form);
    let signature = rpc_v1::sign(METHOD, &params, secret);
    let form = params.split_off(query_len);
    params.push(("Signature".into(), signature));
    let (body, content_type) = form_body(&form);
    let mut headers = Vec::with_capacity(3);
    headers.extend(content_type.map(|(name, value)| (name.into(), value.into())));
    headers.push(("accept".into(), "application/json".into()));
    headers.push(("user-agent".into(), user_agent.to_string().into()));
    SignedRequest {
        url: canonical_query_after(&before_query(url), &params, 0),
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::shown;

    #[test]
    fn reading_the_text_means_what_parsing_the_body_means() {
        let answers = [
            (200, r#"{"RequestId":"R-1","Name":"x"}"#),
            (200, r#"{"requestId":"R-2"}"#),
            (200, r#"{"RequestId":7,"requestId":"R-3"}"#),
            (
                400,
                r#"{"RequestId":"R-4","Code":"Forbidden","Message":"no"}"#,
            ),
            (
                400,
                r#"{"requestId":"R-5","code":"Throttling.User","message":"slow"}"#,
            ),
            (500, r#"{"RequestId":"R-6","Code":{"x":1}}"#),
            (503, r#"{"RequestId":"R-7"}"#),
        ];
        for (status, body) in answers {
            let response = RawResponse::json(status, body);
            let text = classify_text("RequestId", &response).expect("read from text");
            let parsed = classify_parsed("RequestId", &response);
            assert_eq!(shown(text), shown(parsed), "{body}");
        }
        for body in ["[1]", "{", "", r#"{"Code":"\ud800"}"#] {
            let response = RawResponse::json(400, body);
            assert!(classify_text("RequestId", &response).is_none(), "{body}");
        }
    }

    #[test]
    fn before_the_query_is_the_url_up_to_its_query_or_fragment() {
        let cases = [
            ("https://vpc.aliyuncs.com/", "https://vpc.aliyuncs.com/"),
            ("https://h:8443/p/q?a=1&b=2", "https://h:8443/p/q"),
            ("https://h/p#frag?x", "https://h/p"),
            ("https://h/?#", "https://h/"),
            ("https://h/p?q=1#f", "https://h/p"),
            ("http://127.0.0.1:9/%3F?", "http://127.0.0.1:9/%3F"),
        ];
        for (url, base) in cases {
            let url = reqwest::Url::parse(url).expect("url");
            assert_eq!(before_query(&url), [base, "?"], "{url}");
        }
    }

    #[test]
    fn a_numeric_code_and_request_id_are_kept_as_text() {
        let answer = RawResponse::json(400, r#"{"RequestId":17,"Code":4001,"Message":"no"}"#);
        let Outcome::Service(e) = classify("RequestId", &answer) else {
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
            matches!(classify("RequestId", &answer), Outcome::Service(e) if e.code == "Forbidden")
        );
        let answer = RawResponse::json(500, r#"{"RequestId":"R"}"#);
        assert!(
            matches!(classify("RequestId", &answer), Outcome::Invalid(r) if r.request_id.as_deref() == Some("R"))
        );
    }
}
