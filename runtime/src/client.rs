//! The generic client every generated client wraps.
//!
//! [`Client::call`] runs one action: validate the input, fill an empty
//! idempotency token, then per attempt stamp, sign, send and classify the
//! answer, retrying as [`crate::retry`] allows. Each call runs in a `tracing`
//! span carrying service, action and attempt, plus the request id of a
//! failed answer, and ends with one event (target `truebind_runtime::call`,
//! DEBUG on success, INFO on failure) carrying service, action, outcome,
//! HTTP status, attempts, latency and request id, so a subscriber can log
//! or count calls without a hook.
//!
//! [`Client::with_options`] returns a clone whose calls use
//! [`CallOptions`] (timeout, retry policy,
//! hooks): see [`crate::options`] for why overrides are a cheap clone rather
//! than a builder per generated method.
//!
//! The server is untrusted input: redirects are never followed (the next
//! host would get the credentials), a body is read only up to
//! `Config::max_response_bytes`, it is parsed once, and transport errors
//! never carry the request URL (an RPC v1 URL holds the signature).
//!
//! A user-supplied `reqwest::Client` (`Config::http_client`, e.g. for a
//! proxy or a shared pool) keeps the body limit and the per-attempt timeout
//! (set on each request). Its owner is responsible for the rest: redirects
//! (build it from [`http_client_builder`], or with
//! `redirect(reqwest::redirect::Policy::none())`; otherwise a redirect is
//! followed before the runtime sees it, and the runtime can only refuse the
//! answer from another host or path, as `SdkError::InvalidResponse`, after
//! the signed request went there), a connect timeout, and TLS settings.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderValue, InvalidHeaderValue};
use tracing::Instrument;

use crate::action::{Action, ActionKind};
use crate::config::{Config, ConfigError, Credentials};
use crate::error::{Bounded, LONG_TEXT, Redirect, SHORT_TEXT, SdkError, ServiceError, TooLarge};
use crate::options::{Answered, CallOptions, Outgoing};
use crate::params::Sent;
use crate::protocol::{Encoded, Wire};
use crate::request::{self, SignedRequest, Stamp};
use crate::retry::{Failure, should_retry};
use crate::wire::{self, Outcome, Output, RawResponse, ServiceInfo};

/// A configured connection to one service. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Arc<CallOptions>,
    /// Rules answer instead of HTTP (`crate::mock`), and within a call, that call.
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<crate::mock::Seam>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    endpoint: reqwest::Url,
    user_agent: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The endpoint to use: the scheme and host of the explicit endpoint, else
/// of the region's, else of the service default; the path is always the
/// service's own (from its spec).
///
/// An explicit endpoint is a host (HTTPS is assumed) or a base URL; one with
/// a query, fragment, user name or a path other than `/` or the service's
/// path is refused, so a typo cannot silently send requests elsewhere. A
/// region must be a region name (letters, digits, `-`): it is spliced into
/// the host, so anything else could name another host.
pub fn resolve_endpoint(
    service: &ServiceInfo,
    config: &Config,
) -> Result<reqwest::Url, ConfigError> {
    let invalid =
        |endpoint: &str, reason: String| ConfigError::InvalidEndpoint(shown(endpoint), reason);
    let default = reqwest::Url::parse(service.endpoint)
        .map_err(|e| invalid(service.endpoint, e.to_string()))?;
    let path = default.path();
    let mut url = match (&config.endpoint, &config.region) {
        (Some(endpoint), _) => explicit_endpoint(endpoint, path)?,
        (None, Some(region)) => {
            // The region becomes part of the host name: `x@evil.example#` would pick the host.
            let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-';
            if region.is_empty() || !region.chars().all(is_name) {
                let reason = format!(
                    "the region {region:?} is not a region name: use letters, digits and `-`, e.g. `cn-hangzhou`"
                );
                return Err(invalid(region, reason));
            }
            let chosen = regional_endpoint(service, region);
            reqwest::Url::parse(&chosen).map_err(|e| invalid(&chosen, e.to_string()))?
        }
        (None, None) => default.clone(),
    };
    url.set_path(path);
    Ok(url)
}

/// A configured endpoint (host or base URL), checked against the service's `path`.
fn explicit_endpoint(endpoint: &str, path: &str) -> Result<reqwest::Url, ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidEndpoint(shown(endpoint), reason);
    let full = if endpoint.contains("://") {
        endpoint.to_string()
    } else {
        format!("https://{endpoint}")
    };
    let url = reqwest::Url::parse(&full).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme {:?} is not http or https",
            url.scheme()
        )));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid(
            "a base URL has no query, fragment or user name".into(),
        ));
    }
    let given = url.path().trim_end_matches('/');
    if !given.is_empty() && given != path.trim_end_matches('/') {
        return Err(invalid(format!(
            "give a host or base URL: the path {given:?} is not the service's {path:?}"
        )));
    }
    Ok(url)
}

/// An endpoint as an error shows it: a user name or password and a query
/// (which could hold credentials) are replaced by `***`.
fn shown(endpoint: &str) -> String {
    let (scheme, rest) = match endpoint.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), endpoint),
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let authority = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_string(),
    };
    let tail = match tail.find(['?', '#']) {
        Some(i) => format!("{}?***", &tail[..i]),
        None => tail.to_string(),
    };
    format!("{scheme}{authority}{tail}")
}

/// The region's host from the service table, else `<product>.<region>.<rest>`
/// from the default host (the path is set by [`resolve_endpoint`]).
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

/// The User-Agent: the runtime and service crate, then the configured addition.
fn user_agent(service: &ServiceInfo, config: &Config) -> Result<String, ConfigError> {
    let own = format!(
        "truebind-runtime/{} {}/{}",
        env!("CARGO_PKG_VERSION"),
        service.name,
        service.crate_version
    );
    let Some(extra) = &config.user_agent else {
        return Ok(own);
    };
    if reqwest::header::HeaderValue::from_str(extra).is_err() {
        return Err(ConfigError::InvalidUserAgent(extra.clone()));
    }
    Ok(format!("{own} {extra}"))
}

impl Client {
    /// A client for `service` with `config`.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Result<Self, ConfigError> {
        let endpoint = resolve_endpoint(service, &config)?;
        let user_agent = user_agent(service, &config)?;
        let http = match &config.http_client {
            Some(http) => http.clone(),
            None => own_http_client(&config)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                service,
                config,
                endpoint,
                user_agent,
                http,
            }),
            options: Arc::default(),
            #[cfg(feature = "test-util")]
            mock: None,
        })
    }

    /// A clone (sharing connections and configuration) whose calls, pages
    /// and waits use `options` on top of this client's own.
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            options: Arc::new(self.options.merged(options)),
            #[cfg(feature = "test-util")]
            mock: self.mock.clone(),
        }
    }

    /// How this client waits between attempts (also used by waiters).
    pub fn sleeper(&self) -> Arc<dyn crate::config::Sleep> {
        self.inner.config.sleep.clone()
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// [`Client::call`] as a named future, [`Call`]: what a generated client's method returns.
    pub fn start<O: Action>(&self, input: O) -> Call<'_, O> {
        Call {
            inner: Box::pin(self.call(input)),
        }
    }

    /// Runs one action with validation, signing and retries.
    ///
    /// Only encoding the input and decoding the answer depend on the action's
    /// types; the attempt loop (`Client::execute` and the attempts it runs) is shared by every action,
    /// so a generated crate does not compile one copy of it per action. The
    /// loop parses the body once and hands its JSON here to be decoded.
    pub async fn call<O: Action>(&self, input: O) -> Result<O::Output, SdkError<O::Error>> {
        let (sent, has_token) = Sent::check(&input).map_err(SdkError::Validation)?;
        let safe_to_repeat = O::KIND == ActionKind::Read || has_token;
        let encoded = self.wire().encode(&sent);
        #[cfg(feature = "test-util")]
        let this = &self.begin_mocked(&input, &sent);
        #[cfg(not(feature = "test-util"))]
        let this = self;
        let answer = this
            .execute(O::ACTION, &encoded, safe_to_repeat)
            .await
            .map_err(retype)?;
        #[cfg(feature = "test-util")]
        if let Some(output) = this.mock.as_ref().and_then(crate::mock::Seam::output) {
            return Ok(output);
        }
        match answer {
            Answer::Success {
                output,
                request_id,
                response,
            } => wire::decode_output::<O::Output>(&response, request_id, output)
                .map_err(SdkError::InvalidResponse),
            Answer::Service(e) => Err(SdkError::Service(O::Error::from(e))),
        }
    }

    /// Within a mocked client, a clone that knows this call (see `crate::mock`).
    #[cfg(feature = "test-util")]
    fn begin_mocked<O: Action>(&self, input: &O, sent: &dyn crate::params::Params) -> Client {
        let mut this = self.clone();
        let service = self.inner.service;
        this.mock = self.mock.as_ref().map(|m| m.begin(service, input, sent));
        this
    }

    /// The service's protocol.
    fn wire(&self) -> &'static dyn Wire {
        self.inner.service.protocol.wire()
    }

    /// Sends an encoded request until it gets a final answer, retrying as the policy allows.
    ///
    /// Returns the last answer worth decoding (success or a service error), or a failure
    /// that has no action-specific type (throttling, transport, timeout, unreadable,
    /// redirected or oversized answer).
    async fn execute(
        &self,
        action: &'static str,
        encoded: &Encoded,
        safe_to_repeat: bool,
    ) -> Result<Answer, Untyped> {
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
        action: &'static str,
        encoded: &Encoded,
        safe_to_repeat: bool,
    ) -> Result<Answer, Untyped> {
        let policy = self.options.retry.unwrap_or(self.inner.config.retry);
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            tracing::Span::current().record("attempt", attempt);
            let credentials = self.inner.config.credentials.get().await;
            let credentials = credentials.map_err(SdkError::Credentials)?;
            let mut request = self.sign(action, encoded, &credentials);
            for hook in &self.options.hooks {
                hook.before_send(&mut Outgoing {
                    action,
                    attempt,
                    headers: &mut request.headers,
                });
            }
            let sent = Instant::now();
            let (result, failure, hint) = match self.send(request).await {
                Ok(response) => self.interpret(response),
                Err(refused) => refused,
            };
            let retry = failure.filter(|f| should_retry(&policy, attempt, *f, safe_to_repeat));
            let (status, request_id) = facts(&result);
            let answered = Answered {
                action,
                attempt,
                status,
                latency: sent.elapsed(),
                request_id,
                will_retry: retry.is_some(),
            };
            for hook in &self.options.hooks {
                hook.after_answer(&answered);
            }
            let Some(failure) = retry else {
                completed(
                    self.inner.service.name,
                    &answered,
                    &result,
                    started.elapsed(),
                );
                return result;
            };
            let wait = policy.backoff(attempt, hint, fastrand::f64());
            tracing::debug!(attempt, ?failure, ?wait, "retrying");
            self.inner.config.sleep.sleep(wait).await;
            attempt += 1;
        }
    }

    fn sign(
        &self,
        action: &'static str,
        encoded: &Encoded,
        credentials: &Credentials,
    ) -> SignedRequest {
        let inner = &*self.inner;
        let stamp = Stamp::now();
        let target = request::Target {
            url: &inner.endpoint,
            action,
            api_version: inner.service.api_version,
            user_agent: &inner.user_agent,
        };
        let config = &inner.config;
        self.wire()
            .sign(&target, encoded, credentials, config, &stamp)
    }

    /// Sends one request and reads its answer; a redirect, an oversized body
    /// or a transport failure ends the attempt instead.
    async fn send(&self, request: SignedRequest) -> Result<RawResponse, Attempt> {
        #[cfg(feature = "test-util")]
        if let Some(mock) = &self.mock {
            return mock
                .answer(self.inner.service)
                .map_err(|(e, f)| (Err(e), Some(f), None));
        }
        let timeout = self
            .options
            .timeout
            .unwrap_or(self.inner.config.request_timeout);
        let mut builder = self.inner.http.post(&request.url).timeout(timeout);
        if request.body.is_empty() {
            // As the official SDKs do; hyper sends no length for an empty POST.
            builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        builder = builder.body(request.body);
        // Values handed over by value: reqwest keeps their bytes without copying.
        for (name, value) in request.headers {
            builder = match value {
                // A constant is handed over without a copy, checked as an owned value is.
                Cow::Borrowed(value) => match shared(value) {
                    Ok(shared) => builder.header(name.as_ref(), shared),
                    // Refused: handed over as text, reqwest records the error an owned value gets.
                    Err(_) => builder.header(name.as_ref(), value),
                },
                Cow::Owned(value) => builder.header(name.as_ref(), value),
            };
        }
        let response = builder.send().await.map_err(transport_failure)?;
        let mut raw = head_of(self.wire(), &response);
        if response.status().is_redirection() {
            let redirect = Redirect {
                status: raw.status,
                location: header(&response, "location"),
                request_id: raw.header_request_id.clone(),
            };
            return Err(refused(
                SdkError::Redirect(redirect),
                raw.header_request_id.as_deref(),
            ));
        }
        if let Some(error) = followed_redirect(&self.inner.endpoint, &response, &raw) {
            return Err(refused(error, raw.header_request_id.as_deref()));
        }
        let limit = self.inner.config.max_response_bytes;
        raw.body = read_body(response, limit, |content_length| TooLarge {
            status: raw.status,
            limit,
            content_length,
            request_id: raw.header_request_id.clone(),
        })
        .await?;
        Ok(raw)
    }

    /// What one answer means for the attempt loop, and the failure kind if it may be retried.
    ///
    /// Throttling is HTTP 429 or a throttling code, nothing else: a wait hint
    /// on a 5xx only sets the wait when the failure may be retried anyway, and
    /// a throttling code on a 5xx is retried only when repeating is safe.
    fn interpret(&self, mut response: RawResponse) -> Attempt {
        let hint = response.retry_after_ms.map(Duration::from_millis);
        let outcome = self.wire().classify(self.inner.service, &response);
        if !matches!(outcome, Outcome::Success { .. }) {
            response.keep_body_start();
        }
        match outcome {
            Outcome::Success { output, request_id } => {
                let answer = Answer::Success {
                    output,
                    request_id,
                    response,
                };
                (Ok(answer), None, None)
            }
            Outcome::Service(e) => {
                record_request_id(e.request_id.as_deref());
                if self.wire().is_throttling(&e) {
                    // A 5xx may come after the request ran, whatever code it carries.
                    let failure = match e.status {
                        500.. => Failure::MaybeExecuted,
                        _ => Failure::Throttled,
                    };
                    (Err(SdkError::Throttled(e)), Some(failure), hint)
                } else {
                    // Decoded into the action's typed error by the caller.
                    let failure = server_failure(e.status);
                    (Ok(Answer::Service(e)), Some(failure), hint)
                }
            }
            Outcome::Invalid(r) => {
                record_request_id(r.request_id.as_deref());
                // A gateway's "429 Too Many Requests" page is throttling even without a JSON body.
                let failure = if r.status == 429 {
                    Failure::Throttled
                } else {
                    server_failure(r.status)
                };
                (Err(SdkError::InvalidResponse(r)), Some(failure), hint)
            }
        }
    }
}

/// A `reqwest` client builder with the runtime's settings, to customize
/// (a proxy, pool limits, a root certificate) and hand to
/// `Config::http_client`: redirects are not followed, no `Referer` is sent,
/// and the TLS provider this crate's features choose is installed.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    crate::tls::ensure_provider();
    reqwest::Client::builder()
        // Following a redirect would hand the signed request (security
        // token, signed URL) to whatever host the answer names.
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

/// The runtime's own HTTP client: [`http_client_builder`] with the
/// configuration's connect and attempt timeouts.
fn own_http_client(config: &Config) -> Result<reqwest::Client, ConfigError> {
    http_client_builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .build()
        .map_err(|e| ConfigError::Http(e.to_string()))
}

/// A user-supplied HTTP client that follows redirects answers from another
/// origin or path: refused, since that answer is not this API's.
fn followed_redirect(
    endpoint: &reqwest::Url,
    response: &reqwest::Response,
    raw: &RawResponse,
) -> Option<Untyped> {
    let url = response.url();
    if url.origin() == endpoint.origin() && url.path() == endpoint.path() {
        return None;
    }
    let place = format!("{}{}", url.origin().ascii_serialization(), url.path());
    let reason = format!(
        "the HTTP client followed a redirect to {}; build it with redirect::Policy::none()",
        Bounded(&place, LONG_TEXT)
    );
    Some(SdkError::InvalidResponse(wire::invalid(raw, None, reason)))
}

/// HTTP status and request id of an attempt's result, when an answer came.
fn facts(result: &Result<Answer, Untyped>) -> (Option<u16>, Option<&str>) {
    let (status, request_id) = match result {
        Ok(Answer::Success {
            request_id,
            response,
            ..
        }) => (
            response.status,
            request_id.as_ref().or(response.header_request_id.as_ref()),
        ),
        Ok(Answer::Service(e)) | Err(SdkError::Throttled(e)) => (e.status, e.request_id.as_ref()),
        Err(SdkError::InvalidResponse(r)) => (r.status, r.request_id.as_ref()),
        Err(SdkError::Redirect(r)) => (r.status, r.request_id.as_ref()),
        Err(SdkError::TooLarge(r)) => (r.status, r.request_id.as_ref()),
        Err(SdkError::Service(never)) => match *never {},
        Err(
            SdkError::Validation(_)
            | SdkError::Credentials(_)
            | SdkError::Transport(_)
            | SdkError::Timeout,
        ) => {
            return (None, None);
        }
    };
    (Some(status), request_id.map(String::as_str))
}

/// The `outcome` field of the completion event.
fn outcome(result: &Result<Answer, Untyped>) -> &'static str {
    match result {
        Ok(Answer::Success { .. }) => "success",
        Ok(Answer::Service(_)) => "service_error",
        Err(SdkError::Throttled(_)) => "throttled",
        Err(SdkError::Transport(_)) => "transport_error",
        Err(SdkError::Timeout) => "timeout",
        Err(SdkError::InvalidResponse(_)) => "invalid_response",
        Err(SdkError::Redirect(_)) => "redirect",
        Err(SdkError::TooLarge(_)) => "too_large",
        Err(SdkError::Validation(_)) => "invalid_input",
        Err(SdkError::Credentials(_)) => "no_credentials",
        Err(SdkError::Service(never)) => match *never {},
    }
}

/// Emits the one event of a completed call (see the [module docs](self)).
fn completed(
    service: &str,
    last: &Answered<'_>,
    result: &Result<Answer, Untyped>,
    latency: Duration,
) {
    let action = last.action;
    let attempts = last.attempt;
    let status = last.status;
    let request_id = last
        .request_id
        .map(|id| tracing::field::display(Bounded(id, SHORT_TEXT)));
    let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    let outcome = outcome(result);
    macro_rules! event {
        ($level:ident) => {
            tracing::$level!(
                target: "truebind_runtime::call",
                service, action, outcome, status, attempts, latency_ms, request_id,
                "call completed"
            )
        };
    }
    if matches!(result, Ok(Answer::Success { .. })) {
        event!(debug);
    } else {
        event!(info);
    }
}

/// An answer worth an action-specific type.
enum Answer {
    /// A success: where its output is, and the answer it is in (its body
    /// kept whole until the output is decoded from it).
    Success {
        output: Output,
        request_id: Option<String>,
        response: RawResponse,
    },
    /// An error code that is not throttling.
    Service(ServiceError),
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
        SdkError::Redirect(r) => SdkError::Redirect(r),
        SdkError::TooLarge(r) => SdkError::TooLarge(r),
        SdkError::Credentials(e) => SdkError::Credentials(e),
    }
}

/// The result of one attempt, whether to consider a retry, and the server's wait hint.
type Attempt = (Result<Answer, Untyped>, Option<Failure>, Option<Duration>);

/// An answer refused before it is read: final, never retried.
fn refused(error: Untyped, request_id: Option<&str>) -> Attempt {
    record_request_id(request_id);
    (Err(error), Some(Failure::Final), None)
}

/// A constant header value as reqwest takes it, without copying its bytes:
/// http's own check of an owned value (`HeaderValue::from_static` would panic
/// on a byte it does not take instead).
fn shared(value: &'static str) -> Result<HeaderValue, InvalidHeaderValue> {
    HeaderValue::from_maybe_shared(Bytes::from_static(value.as_bytes()))
}

/// A header's value, when it is visible ASCII.
fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    let value = response.headers().get(name)?;
    value.to_str().ok().map(str::to_string)
}

/// Status and headers of an answer, its body still to read; `wire` says
/// where its vendor puts the request id and a retry hint.
fn head_of(wire: &dyn Wire, response: &reqwest::Response) -> RawResponse {
    let header = |name| header(response, name);
    // Only a positive value is a hint (the vendor's: milliseconds; HTTP Retry-After: seconds).
    let retry_after_ms = (wire.retry_after_ms_header())
        .and_then(header)
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| {
            header("retry-after")
                .and_then(|v| v.parse::<u64>().ok())
                .map(|s| s.saturating_mul(1000))
        })
        .filter(|ms| *ms > 0);
    RawResponse {
        status: response.status().as_u16(),
        content_type: header("content-type"),
        header_request_id: header(wire.request_id_header()),
        retry_after_ms,
        body: Vec::new(),
    }
}

/// The body, refused as soon as it is known to be over `limit` bytes: an
/// announced length is checked before reading, chunks are counted as they
/// arrive, so at most `limit` bytes are ever buffered.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    too_large: impl Fn(Option<u64>) -> TooLarge,
) -> Result<Vec<u8>, Attempt> {
    let announced = response.content_length();
    let refuse = |content_length| {
        let error = too_large(content_length);
        let request_id = error.request_id.clone();
        refused(SdkError::TooLarge(error), request_id.as_deref())
    };
    let fits = |length: u64| usize::try_from(length).is_ok_and(|length| length <= limit);
    let mut body = match announced {
        Some(length) if !fits(length) => return Err(refuse(Some(length))),
        Some(length) => Vec::with_capacity(usize::try_from(length).unwrap_or(0)),
        None => Vec::new(),
    };
    while let Some(chunk) = response.chunk().await.map_err(transport_failure)? {
        if chunk.len() > limit - body.len() {
            return Err(refuse(None));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// What an answer with HTTP `status` that is not throttling means for a retry:
/// after a 5xx the request may have run.
fn server_failure(status: u16) -> Failure {
    if status >= 500 {
        Failure::MaybeExecuted
    } else {
        Failure::Final
    }
}

/// Records a server-sent request id on the call's span, escaped and bounded.
fn record_request_id(id: Option<&str>) {
    if let Some(id) = id {
        let shown = tracing::field::display(Bounded(id, SHORT_TEXT));
        tracing::Span::current().record("request_id", shown);
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
        // The URL of an RPC v1 request holds the signature and security token.
        SdkError::Transport(Box::new(error.without_url()))
    };
    (Err(error), Some(failure), None)
}

/// The future of one call: what every generated client method returns.
///
/// A named type rather than `impl Future` in each generated method: an opaque return
/// type is one more item per operation for rustc to infer and check in the generated
/// crate, and this one is checked once, here. It is `Send` and `Unpin` (the call is
/// boxed once, beside the request it sends), so it can be spawned, stored and polled
/// by hand.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, O: Action> {
    inner: std::pin::Pin<CallBox<'a, O>>,
}

/// The boxed state machine behind a [`Call`].
type CallBox<'a, O> = Box<
    dyn std::future::Future<Output = Result<<O as Action>::Output, SdkError<<O as Action>::Error>>>
        + Send
        + 'a,
>;

impl<O: Action> std::future::Future for Call<'_, O> {
    type Output = Result<O::Output, SdkError<O::Error>>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<O: Action> std::fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("action", &O::ACTION)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_is_taken_exactly_when_its_owned_copy_is_and_keeps_its_bytes() {
        for byte in 0..=u8::MAX {
            let text = String::from_utf8_lossy(&[b'a', byte]).into_owned();
            let leaked: &'static str = Box::leak(text.clone().into_boxed_str());
            let owned = HeaderValue::try_from(text);
            let constant = shared(leaked);
            assert_eq!(constant.is_ok(), owned.is_ok(), "{byte:#x}");
            if let Ok(constant) = constant {
                assert_eq!(
                    constant.as_bytes().as_ptr(),
                    leaked.as_ptr(),
                    "{byte:#x} copied"
                );
            }
        }
    }
}
