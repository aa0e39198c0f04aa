//! The generic client every generated client wraps.
//!
//! [`Client::call`] runs one action: validate the input, fill an empty
//! idempotency token, then per attempt stamp, sign, send and classify the
//! answer, retrying as [`crate::retry`] allows. Each call runs in a `tracing`
//! span carrying service, action and attempt, plus the request id of a
//! failed answer.

use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::config::{Config, ConfigError};
use crate::error::SdkError;
use crate::operation::{ActionKind, Operation};
use crate::params::Params;
use crate::request::{self, SignedRequest, Stamp};
use crate::retry::{Failure, should_retry};
use crate::validate::Validate;
use crate::wire::{self, Outcome, Protocol, RawResponse, ServiceInfo};

/// A configured connection to one service. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    endpoint: reqwest::Url,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// The endpoint to use: explicit, else the region's, else the service default.
pub fn resolve_endpoint(
    service: &ServiceInfo,
    config: &Config,
) -> Result<reqwest::Url, ConfigError> {
    let chosen = match (&config.endpoint, &config.region) {
        (Some(endpoint), _) => endpoint.clone(),
        (None, Some(region)) => regional_endpoint(service, region),
        (None, None) => service.endpoint.to_string(),
    };
    reqwest::Url::parse(&chosen)
        .map_err(|e| ConfigError::InvalidEndpoint(chosen.clone(), e.to_string()))
}

/// The region's host from the service table, else `<product>.<region>.<rest>` from the default host.
fn regional_endpoint(service: &ServiceInfo, region: &str) -> String {
    if let Some((_, host)) = service
        .regional_endpoints
        .iter()
        .find(|(r, _)| *r == region)
    {
        return format!("https://{host}");
    }
    let default = service.endpoint.trim_start_matches("https://");
    match default.split_once('.') {
        Some((product, rest)) => format!("https://{product}.{region}.{rest}"),
        None => service.endpoint.to_string(),
    }
}

impl Client {
    /// A client for `service` with `config`.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Result<Self, ConfigError> {
        let endpoint = resolve_endpoint(service, &config)?;
        crate::tls::ensure_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| ConfigError::Http(e.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                service,
                config,
                endpoint,
                http,
            }),
        })
    }

    /// How this client waits between attempts (also used by waiters).
    pub fn sleeper(&self) -> Arc<dyn crate::config::Sleep> {
        self.inner.config.sleep.clone()
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// Runs one action with validation, signing and retries.
    ///
    /// Only encoding the input and decoding the answer depend on the action's
    /// types; the attempt loop (`Client::execute` and the attempts it runs) is shared by every action,
    /// so a generated crate does not compile one copy of it per action.
    pub async fn call<O: Operation>(&self, mut input: O) -> Result<O::Output, SdkError<O::Error>> {
        input.validate().map_err(SdkError::Validation)?;
        let has_token = match input.idempotency_token() {
            Some(token) => {
                if token.as_deref().is_none_or(str::is_empty) {
                    *token = Some(uuid::Uuid::new_v4().to_string());
                }
                true
            }
            None => false,
        };
        let safe_to_repeat = O::KIND == ActionKind::Read || has_token;
        let encoded = self.encode(&input);
        let answer = self
            .execute(O::ACTION, &encoded, safe_to_repeat)
            .await
            .map_err(retype)?;
        wire::parse_response::<O>(self.inner.service, &answer)
    }

    /// The wire form of an input: a JSON body or RPC query parameters.
    fn encode<I: Params>(&self, input: &I) -> Encoded {
        match self.inner.service.protocol {
            Protocol::ZenlayerJson => Encoded::Body(wire::zenlayer::body(input)),
            Protocol::AlibabaRpc => Encoded::Query(wire::alibaba::query(input)),
        }
    }

    /// Sends an encoded request until it gets a final answer, retrying as the policy allows.
    ///
    /// Returns the last answer worth decoding (success or a service error), or a failure
    /// that has no action-specific type (throttling, transport, timeout, unreadable answer).
    async fn execute(
        &self,
        action: &str,
        encoded: &Encoded,
        safe_to_repeat: bool,
    ) -> Result<RawResponse, Untyped> {
        let span = tracing::info_span!(
            "call",
            service = self.inner.service.name,
            action,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.attempts(action, encoded, safe_to_repeat)
            .instrument(span)
            .await
    }

    async fn attempts(
        &self,
        action: &str,
        encoded: &Encoded,
        safe_to_repeat: bool,
    ) -> Result<RawResponse, Untyped> {
        let policy = self.inner.config.retry;
        let mut attempt = 1;
        loop {
            tracing::Span::current().record("attempt", attempt);
            let request = self.sign(action, encoded);
            let (result, failure, hint) = match self.send(request).await {
                Ok(response) => self.interpret(response),
                Err(error) => transport_failure(error),
            };
            match failure {
                Some(failure) if should_retry(&policy, attempt, failure, safe_to_repeat) => {
                    let wait = policy.backoff(attempt, hint, fastrand::f64());
                    tracing::debug!(attempt, ?failure, ?wait, "retrying");
                    self.inner.config.sleep.sleep(wait).await;
                    attempt += 1;
                }
                _ => return result,
            }
        }
    }

    fn sign(&self, action: &str, encoded: &Encoded) -> SignedRequest {
        let inner = &*self.inner;
        let stamp = Stamp::now();
        let target = request::Target {
            url: &inner.endpoint,
            action,
            api_version: inner.service.api_version,
            user_agent: &inner.config.user_agent,
        };
        let credentials = &inner.config.credentials;
        match encoded {
            Encoded::Body(body) => request::zenlayer(&target, body.clone(), credentials, &stamp),
            Encoded::Query(params) => {
                let scheme = inner.config.alibaba_signature;
                request::alibaba(&target, params.clone(), credentials, scheme, &stamp)
            }
        }
    }

    async fn send(&self, request: SignedRequest) -> Result<RawResponse, reqwest::Error> {
        let mut builder = self.inner.http.post(&request.url).body(request.body);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = builder.send().await?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let status = response.status().as_u16();
        let content_type = header("content-type");
        let header_request_id = header("x-acs-request-id").or_else(|| header("x-zc-request-id"));
        // Only a positive value is a hint (Alibaba: milliseconds; HTTP Retry-After: seconds).
        let retry_after_ms = header("x-acs-retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .or_else(|| {
                header("retry-after")
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(|s| s.saturating_mul(1000))
            })
            .filter(|ms| *ms > 0);
        let body = response.bytes().await?.to_vec();
        Ok(RawResponse {
            status,
            content_type,
            header_request_id,
            retry_after_ms,
            body,
        })
    }

    /// What one answer means for the attempt loop, and the failure kind if it may be retried.
    fn interpret(&self, response: RawResponse) -> Attempt {
        let hint = response.retry_after_ms.map(Duration::from_millis);
        match wire::classify::<crate::Json>(self.inner.service.protocol, &response) {
            Outcome::Success(_) => (Ok(response), None, None),
            Outcome::Service(e) => {
                record_request_id(e.request_id.as_deref());
                if wire::is_throttling(&e) || hint.is_some() {
                    (Err(SdkError::Throttled(e)), Some(Failure::Throttled), hint)
                } else {
                    // Decoded into the action's typed error by the caller.
                    let failure = server_failure(e.status);
                    (Ok(response), Some(failure), None)
                }
            }
            Outcome::Invalid(r) => {
                record_request_id(r.request_id.as_deref());
                // A gateway's "429 Too Many Requests" page is throttling even without a JSON body.
                let failure = if r.status == 429 || hint.is_some() {
                    Failure::Throttled
                } else {
                    server_failure(r.status)
                };
                (Err(SdkError::InvalidResponse(r)), Some(failure), hint)
            }
        }
    }
}

/// An encoded request body or query.
enum Encoded {
    Body(Vec<u8>),
    Query(Vec<(String, String)>),
}

/// A failure no action-specific error type is needed for.
type Untyped = SdkError<std::convert::Infallible>;

/// Gives an untyped failure the action's error type.
fn retype<E>(e: Untyped) -> SdkError<E> {
    match e {
        SdkError::Service(never) => match never {},
        SdkError::Validation(v) => SdkError::Validation(v),
        SdkError::Throttled(t) => SdkError::Throttled(t),
        SdkError::Transport(t) => SdkError::Transport(t),
        SdkError::Timeout => SdkError::Timeout,
        SdkError::InvalidResponse(r) => SdkError::InvalidResponse(r),
    }
}

/// The result of one attempt, whether to consider a retry, and the server's wait hint.
type Attempt = (
    Result<RawResponse, Untyped>,
    Option<Failure>,
    Option<Duration>,
);

/// What an answer with HTTP `status` that is not throttling means for a retry:
/// after a 5xx the request may have run.
fn server_failure(status: u16) -> Failure {
    if status >= 500 {
        Failure::MaybeExecuted
    } else {
        Failure::Final
    }
}

fn record_request_id(id: Option<&str>) {
    if let Some(id) = id {
        tracing::Span::current().record("request_id", id);
    }
}

fn transport_failure(error: reqwest::Error) -> Attempt {
    // A failed connect (refused or timed out) never reached the server: safe to repeat.
    let failure = if error.is_connect() {
        Failure::NotSent
    } else {
        Failure::MaybeExecuted
    };
    let error = if error.is_timeout() {
        SdkError::Timeout
    } else {
        SdkError::Transport(Box::new(error))
    };
    (Err(error), Some(failure), None)
}
