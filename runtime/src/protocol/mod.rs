//! Each vendor protocol in one place, behind one vendor-neutral interface.
//!
//! A protocol module ([`zenlayer`], [`alibaba`]) holds everything its vendor
//! decides: the request form of an input and how it is signed, the answer's
//! envelope and error body, where the request id is (body key from the spec's
//! `request_id_field`, header), which codes mean throttling, which header
//! carries a retry hint, which environment variables and credential files a
//! configuration reads. The call loop, retries, waiters, paginators, mocks
//! and the codec talk to a [`Wire`] only, and [`Protocol::wire`] is the one
//! `match` over protocols, so a third protocol is one new module here, one
//! variant of [`Protocol`] and its spec.

pub mod alibaba;
pub mod zenlayer;

use crate::config::{Config, Credentials};
use crate::credentials::{Env, Source};
use crate::decode::Json;
use crate::encode::RpcParams;
use crate::error::ServiceError;
use crate::params::Params;
use crate::request::{SignedRequest, Stamp, Target};
use crate::wire::{Outcome, Output, RawResponse, ServiceInfo};

/// An input in its protocol's request form, before signing; the same for
/// every attempt. A protocol fills the part it sends and reads only that.
#[derive(Debug, Clone, Default)]
pub struct Encoded {
    /// A JSON body.
    pub body: Vec<u8>,
    /// RPC parameters (query and form body).
    pub params: RpcParams,
}

/// What the vendor-neutral runtime asks of a protocol.
pub trait Wire: Sync {
    /// The request form of `input`.
    fn encode(&self, input: &dyn Params) -> Encoded;

    /// `input`'s parameters as a test or a mock's call log shows them: the
    /// JSON body, or the parameters as one object of strings.
    fn shown_params(&self, input: &dyn Params) -> Json;

    /// One attempt's request, signed.
    fn sign(
        &self,
        target: &Target<'_>,
        encoded: &Encoded,
        credentials: &Credentials,
        config: &Config,
        stamp: &Stamp,
    ) -> SignedRequest;

    /// What an answer means: where its output is (still to decode), a
    /// service error or an unreadable answer.
    fn classify(&self, service: &ServiceInfo, response: &RawResponse) -> Outcome<Output>;

    /// Whether a service error means "slow down".
    fn is_throttling(&self, e: &ServiceError) -> bool;

    /// The header that carries the request id.
    fn request_id_header(&self) -> &'static str;

    /// A header with a retry hint in milliseconds, besides HTTP `Retry-After` (seconds).
    fn retry_after_ms_header(&self) -> Option<&'static str>;

    /// A success body around `output` with `request_id` where the vendor puts it.
    fn success_body(&self, service: &ServiceInfo, output: Json, request_id: &str) -> Json;

    /// The error body the vendor sends for `e`.
    fn error_body(&self, service: &ServiceInfo, e: &ServiceError) -> Json;

    /// The vendor's throttling answer: its code and HTTP status.
    fn throttling(&self) -> (&'static str, u16);

    /// Where credentials are looked for, in the vendor's order.
    fn credential_sources(&self) -> Vec<Source>;

    /// Sets what the vendor's environment variables say besides credentials
    /// (endpoint, region).
    fn configure_from_env(&self, config: &mut Config, env: &Env);
}

/// How a service's requests go on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Zenlayer Cloud API 2.0: JSON POST, `X-ZC-Action`, ZC2-HMAC-SHA256.
    ZenlayerJson,
    /// Alibaba Cloud RPC: parameters in the query, ACS3-HMAC-SHA256 by default
    /// (legacy HMAC-SHA1 through `Config::alibaba_signature`).
    AlibabaRpc,
}

impl Protocol {
    /// This protocol's rules (the runtime's own business: hidden from the docs).
    #[doc(hidden)]
    pub fn wire(self) -> &'static dyn Wire {
        match self {
            Protocol::ZenlayerJson => &zenlayer::ZenlayerJson,
            Protocol::AlibabaRpc => &alibaba::AlibabaRpc,
        }
    }
}

/// Whether a service error is throttling: HTTP 429, or a code `is_code` accepts.
pub(crate) fn throttled_by(e: &ServiceError, is_code: impl Fn(&str) -> bool) -> bool {
    e.status == 429 || is_code(&e.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(protocol: Protocol) -> ServiceInfo {
        ServiceInfo {
            name: "fixture",
            crate_version: "0.0.0",
            protocol,
            api_version: "2024-01-01",
            endpoint: "https://api.example.com/api/v2/fixture",
            regional_endpoints: &[],
            request_id_field: "TraceId",
        }
    }

    #[test]
    fn the_request_id_comes_from_the_spec_named_field() {
        for protocol in [Protocol::ZenlayerJson, Protocol::AlibabaRpc] {
            let service = service(protocol);
            let wire = protocol.wire();
            let error = ServiceError {
                code: "SomeCode".into(),
                message: "no".into(),
                status: 400,
                request_id: Some("E-1".into()),
            };
            let body = wire.error_body(&service, &error).to_string();
            assert!(body.contains(r#""TraceId":"E-1""#), "{body}");
            let answer = RawResponse::json(400, body);
            let Outcome::Service(e) = wire.classify(&service, &answer) else {
                panic!("{protocol:?}: the error body is not a service error");
            };
            assert_eq!(e, error, "{protocol:?}");
            let body = wire.success_body(&service, serde_json::json!({}), "S-1");
            let answer = RawResponse::json(200, body.to_string());
            let Outcome::Success { request_id, .. } = wire.classify(&service, &answer) else {
                panic!("{protocol:?}: the success body is not a success");
            };
            assert_eq!(request_id.as_deref(), Some("S-1"), "{protocol:?}");
        }
    }

    #[test]
    fn throttling_codes_are_the_vendors_own() {
        let error = |code: &str, status| ServiceError {
            code: code.into(),
            message: String::new(),
            status,
            request_id: None,
        };
        let (zenlayer, alibaba) = (Protocol::ZenlayerJson.wire(), Protocol::AlibabaRpc.wire());
        assert!(zenlayer.is_throttling(&error("REQUEST_LIMIT_EXCEEDED", 400)));
        assert!(alibaba.is_throttling(&error("Throttling.User", 400)));
        assert!(alibaba.is_throttling(&error("Anything", 429)));
        assert!(!alibaba.is_throttling(&error("InvalidParameter", 400)));
    }
}
