//! Client configuration: credentials, endpoint, timeouts, retries.
//!
//! Secrets live in [`Secret`], whose `Debug` prints `***`, so no config,
//! client or error can leak a key into a log. [`Config::from_env`] reads the
//! variables and profile files the vendors' own tools use (the chain of
//! [`crate::credentials`]); when none has credentials, the error names every
//! place that was tried and why it gave nothing.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{Chain, CredentialsError, Env, ProvideCredentials, SharedCredentials};
use crate::protocol::Protocol;
use crate::retry::RetryPolicy;

/// A secret string that never appears in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How requests are authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// An access key pair (Zenlayer AccessKeyId/AccessKeyPassword, Alibaba AccessKeyId/Secret).
    AccessKey {
        /// The public key id.
        id: String,
        /// The secret used to sign.
        secret: Secret,
        /// Alibaba STS security token for temporary credentials.
        security_token: Option<Secret>,
    },
    /// A Zenlayer personal access token, sent as `Authorization: Bearer …`.
    Bearer(Secret),
}

impl Credentials {
    /// An access key pair.
    pub fn access_key(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials::AccessKey {
            id: id.into(),
            secret: Secret::new(secret),
            security_token: None,
        }
    }
}

/// Alibaba signature scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AlibabaSignature {
    /// ACS3-HMAC-SHA256, the current default of the official SDKs.
    #[default]
    Acs3HmacSha256,
    /// The legacy HMAC-SHA1 RPC signature (`SignatureVersion=1.0`).
    RpcHmacSha1,
}

/// Waits for a duration; replaceable so tests can observe backoff without sleeping.
pub trait Sleep: Send + Sync + fmt::Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The default [`Sleep`]: tokio's timer.
#[derive(Debug)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Why a client could not be configured.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials were given and the chain found none (each place it
    /// looked is listed, with why it gave nothing).
    #[error(transparent)]
    Credentials(CredentialsError),
    /// The endpoint is not a usable URL.
    #[error("invalid endpoint {0:?}: {1}")]
    InvalidEndpoint(String, String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    /// The User-Agent addition is not a valid header value.
    #[error("invalid user agent {0:?}: not a valid HTTP header value")]
    InvalidUserAgent(String),
}

/// The default of [`Config::max_response_bytes`]: 32 MiB, far above any
/// documented answer of either API, small enough to buffer safely.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Everything a client needs besides the service facts.
#[derive(Clone, Debug)]
pub struct Config {
    /// How to authenticate: a provider and its cached answer.
    pub credentials: SharedCredentials,
    /// A host (`vpc.cn-shanghai.aliyuncs.com`, HTTPS) or base URL
    /// (`http://127.0.0.1:8080`) overriding the service's default; the
    /// service's path always comes from its spec, so a base URL with another
    /// path is refused by `Client::new`.
    pub endpoint: Option<String>,
    /// Region, used to pick the endpoint of regional services.
    pub region: Option<String>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt, from sending to the last body byte.
    pub request_timeout: Duration,
    /// Appended to the `User-Agent`, after the client's own
    /// `truebind-runtime/<version> <service crate>`.
    pub user_agent: Option<String>,
    /// Largest response body read, in bytes ([`DEFAULT_MAX_RESPONSE_BYTES`] by
    /// default). A larger answer ends the call with `SdkError::TooLarge`:
    /// an announced `Content-Length` is checked before reading, a body
    /// without one is counted while it streams, so no more than this is buffered.
    pub max_response_bytes: usize,
    /// Which failures are retried, and how long to wait between attempts.
    pub retry: RetryPolicy,
    /// Alibaba signature scheme (ignored by Zenlayer).
    pub alibaba_signature: AlibabaSignature,
    /// How to wait between attempts.
    pub sleep: Arc<dyn Sleep>,
    /// An HTTP client of your own (proxies, a shared pool) instead of the one
    /// `Client::new` builds; build it with `redirect(reqwest::redirect::Policy::none())`
    /// and a connect timeout (the `client` module docs say what else is yours).
    pub http_client: Option<reqwest::Client>,
}

impl Config {
    /// Defaults: 10 s connect timeout, 60 s per attempt, standard retries,
    /// bodies up to [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn new(credentials: Credentials) -> Self {
        Self::with_provider(credentials)
    }

    /// [`Config::new`] with credentials from `provider`, asked again shortly
    /// before what it gave expires (see [`SharedCredentials`]).
    pub fn with_provider(provider: impl ProvideCredentials + 'static) -> Self {
        Self::with_credentials(SharedCredentials::from(provider))
    }

    /// [`Config::new`] with `credentials` as configured (refresh margin, clock).
    pub fn with_credentials(credentials: SharedCredentials) -> Self {
        Config {
            credentials,
            endpoint: None,
            region: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            alibaba_signature: AlibabaSignature::default(),
            sleep: Arc::new(TokioSleep),
            http_client: None,
        }
    }

    /// Sends to `endpoint` (a host or base URL, see [`Config::endpoint`](Self#structfield.endpoint))
    /// instead of the service default.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Picks the regional endpoint of `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets connect and per-attempt timeouts.
    pub fn timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    /// Appends `user_agent` (e.g. `my-tool/1.2`) to the client's own User-Agent.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sets the largest response body read, in bytes.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Chooses the Alibaba signature scheme.
    pub fn alibaba_signature(mut self, signature: AlibabaSignature) -> Self {
        self.alibaba_signature = signature;
        self
    }

    /// Replaces how the client waits between attempts.
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
        self
    }

    /// Sends with `http` instead of a client built from this configuration
    /// (see [`Config::http_client`](Self#structfield.http_client)).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http_client = Some(http);
        self
    }

    /// Reads credentials (and an optional endpoint and region) from the
    /// environment and the vendors' profile files.
    ///
    /// Credentials come from the first place of [`Chain::default_for`] that
    /// has them. Zenlayer: `ZENLAYER_TOKEN`, or `ZENLAYER_ACCESS_KEY_ID` +
    /// `ZENLAYER_ACCESS_KEY_SECRET`; then `~/.zenlayer/credentials.json`,
    /// profile `ZENLAYER_PROFILE`. Alibaba: `ALIBABA_CLOUD_ACCESS_KEY_ID` +
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (+ `ALIBABA_CLOUD_SECURITY_TOKEN`);
    /// then `~/.aliyun/config.json`, then `~/.alibabacloud/credentials`,
    /// profile `ALIBABA_CLOUD_PROFILE`. Optional `ZENLAYER_ENDPOINT`,
    /// `ALIBABA_CLOUD_REGION_ID` and `ALIBABA_CLOUD_ENDPOINT`.
    pub fn from_env(protocol: Protocol) -> Result<Self, ConfigError> {
        Self::from_source(protocol, Env::process())
    }

    /// [`Config::from_env`] with the variables (home directory included:
    /// `HOME`, or `USERPROFILE` on Windows) read through `lookup`, once.
    pub fn from_lookup(
        protocol: Protocol,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        Self::from_source(protocol, Env::snapshot(lookup))
    }

    /// Resolves the default chain now, so missing credentials fail here, and
    /// keeps it as the provider for when what it found expires.
    fn from_source(protocol: Protocol, env: Env) -> Result<Self, ConfigError> {
        let chain = Chain::default_for(protocol, env.clone());
        let first = chain.resolve().map_err(ConfigError::Credentials)?;
        let mut config =
            Config::with_credentials(SharedCredentials::seeded(Arc::new(chain), first));
        protocol.wire().configure_from_env(&mut config, &env);
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn missing_credentials_name_every_place_tried() {
        let err = Config::from_lookup(
            Protocol::AlibabaRpc,
            env(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")]),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "no credentials found; looked in: \
             environment (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET): \
             ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not; \
             ~/.aliyun/config.json: no home directory (HOME is not set); \
             ~/.alibabacloud/credentials: no home directory (HOME is not set)"
        );
        let err = Config::from_lookup(Protocol::ZenlayerJson, env(&[])).unwrap_err();
        assert!(err.to_string().contains(
            "environment (ZENLAYER_TOKEN, or ZENLAYER_ACCESS_KEY_ID and ZENLAYER_ACCESS_KEY_SECRET): not set"
        ));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let config = Config::from_lookup(
            Protocol::AlibabaRpc,
            env(&[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "AKID"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "very-secret-value"),
                ("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-token-value"),
                ("ALIBABA_CLOUD_REGION_ID", "cn-shanghai"),
            ]),
        )
        .unwrap();
        let shown = format!("{config:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret-value"));
        assert!(!shown.contains("sts-token-value"));
        assert_eq!(config.region.as_deref(), Some("cn-shanghai"));
    }

    #[test]
    fn zenlayer_token_wins_over_access_keys() {
        let config = Config::from_lookup(
            Protocol::ZenlayerJson,
            env(&[("ZENLAYER_TOKEN", "tok"), ("ZENLAYER_ACCESS_KEY_ID", "id")]),
        )
        .unwrap();
        let credentials = futures_executor::block_on(config.credentials.get()).unwrap();
        assert_eq!(credentials, Credentials::Bearer(Secret::new("tok")));
    }
}
