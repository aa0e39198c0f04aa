//! Where credentials come from: the environment, the vendors' profile files,
//! or a provider of your own.
//!
//! A client signs with whatever its [`SharedCredentials`] hands it. That asks a
//! [`ProvideCredentials`] implementation and keeps the answer until shortly
//! before it expires, so temporary (STS) credentials are refreshed on the
//! first call that needs them, not after the server refused them. Plug any
//! source in with [`Config::with_provider`](crate::Config::with_provider);
//! plain [`Credentials`] are a provider that never expires.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use truebind_runtime::credentials::{ProvideCredentials, ProvideFuture};
//! use truebind_runtime::{Config, Credentials, ProvidedCredentials};
//!
//! /// Asks a token service for temporary keys.
//! #[derive(Debug)]
//! struct TokenService;
//!
//! impl ProvideCredentials for TokenService {
//!     fn provide_credentials(&self) -> ProvideFuture<'_> {
//!         Box::pin(async {
//!             let keys = Credentials::access_key("STS.id", "temporary-secret");
//!             let expires = SystemTime::now() + Duration::from_secs(3600);
//!             Ok(ProvidedCredentials::expiring(keys, expires))
//!         })
//!     }
//! }
//!
//! let config = Config::with_provider(TokenService);
//! ```
//!
//! The built-in [`Chain`] reads the places the vendors' own tools write, in
//! the vendors' order, and its error names every place it looked and why
//! each gave nothing (not set, no such file, no such profile, malformed at
//! line N). No error, `Debug` or `Display` of anything here prints a secret:
//! secrets are [`Secret`](crate::Secret)s, [`Env`] never shows values, and a
//! malformed file is reported by position, never by quoting it.
//!
//! Formats, as the vendors' tools read them (the repositories as of the
//! commits named; facts only, no code taken):
//!
//! - Zenlayer, `zenlayer/zenlayercloud-cli` (`zeno`) at `5abab39`
//!   (`internal/config/config.go`, `internal/config/credentials.go`,
//!   `cmd/root.go`): `~/.zenlayer/credentials.json` is one JSON object
//!   mapping a profile name to `{"access_key_id", "access_key_secret",
//!   "token"}`; the profile is `ZENLAYER_PROFILE`, else `current_profile` of
//!   `~/.zenlayer/config.json`, else `default`; a token is used in place of
//!   the key pair.
//! - Alibaba, `aliyun/credentials-go` at `9ac55b4` (2026-07-18)
//!   (`credentials/providers/default.go`, `env.go`, `cli_profile.go`,
//!   `profile.go`; `credentials/profile_provider.go` for the `sts` type;
//!   `credentials/internal/utils/path.go` for the home directory): the
//!   default chain reads the environment, then the CLI's
//!   `~/.aliyun/config.json` (`ALIBABA_CLOUD_CONFIG_FILE` overrides the
//!   path; `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` skips it; `{"current",
//!   "profiles": [{"name", "mode", "access_key_id", "access_key_secret",
//!   "sts_token", "sts_expiration"}]}` with the profile
//!   `ALIBABA_CLOUD_PROFILE`, else `current`), then the INI file
//!   `~/.alibabacloud/credentials` (`ALIBABA_CLOUD_CREDENTIALS_FILE`
//!   overrides the path; section `ALIBABA_CLOUD_PROFILE`, else `default`;
//!   `type = access_key` with `access_key_id`, `access_key_secret`, or
//!   `type = sts` adding `security_token`). The home directory is `HOME`
//!   (`USERPROFILE` on Windows), as there.
//!
//! Not supported, because each needs a network call of its own: Alibaba's
//! OIDC, ECS instance role, credentials URI, RAM role ARN, CloudSSO, OAuth
//! and external-process modes. The chain names such a profile's mode in its
//! error; such credentials can be plugged in as a [`ProvideCredentials`].

mod alibaba;
mod cache;
mod env;
mod files;
mod zenlayer;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::Credentials;
use crate::protocol::Protocol;

pub use cache::{Clock, DEFAULT_REFRESH_BEFORE, SharedCredentials};
pub use env::{Env, VARIABLES};

/// The future a [`ProvideCredentials`] returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ProvidedCredentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked again whenever the last answer is about to
/// expire. Object-safe: a client holds an `Arc<dyn ProvideCredentials>`.
///
/// Its `Debug` must not show secrets (hold them as [`crate::Secret`]).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fresh credentials, with when they expire if they do.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

/// Credentials as a provider handed them out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvidedCredentials {
    /// What to sign with.
    pub credentials: Credentials,
    /// When they stop working; `None` for long-lived keys.
    pub expires_at: Option<SystemTime>,
}

impl ProvidedCredentials {
    /// Credentials that do not expire.
    pub fn permanent(credentials: Credentials) -> Self {
        ProvidedCredentials {
            credentials,
            expires_at: None,
        }
    }

    /// Temporary credentials that stop working at `expires_at`.
    pub fn expiring(credentials: Credentials, expires_at: SystemTime) -> Self {
        ProvidedCredentials {
            credentials,
            expires_at: Some(expires_at),
        }
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let provided = ProvidedCredentials::permanent(self.clone());
        Box::pin(std::future::ready(Ok(provided)))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// One place a [`Chain`] looked, and why it gave no credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The variables or the file (and profile) that were read.
    pub what: String,
    /// Why nothing came of it: not set, no such file, no such profile, malformed at line N.
    pub why: String,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, self.why)
    }
}

/// Why no credentials could be had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Every place of the chain was tried; each says why it gave nothing.
    #[error("no credentials found; looked in: {}", list(.0))]
    NotFound(Vec<Place>),
    /// A provider could not get credentials (e.g. its token service failed).
    #[error("the credentials provider failed: {0}")]
    Provider(String),
}

fn list(places: &[Place]) -> String {
    let shown: Vec<String> = places.iter().map(Place::to_string).collect();
    shown.join("; ")
}

/// One place a [`Chain`] can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// `ZENLAYER_TOKEN`, or `ZENLAYER_ACCESS_KEY_ID` + `ZENLAYER_ACCESS_KEY_SECRET`.
    ZenlayerEnv,
    /// The `zeno` CLI's `~/.zenlayer/credentials.json`, profile by `ZENLAYER_PROFILE`.
    ZenlayerProfile,
    /// `ALIBABA_CLOUD_ACCESS_KEY_ID` + `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
    /// (+ `ALIBABA_CLOUD_SECURITY_TOKEN`).
    AlibabaEnv,
    /// The `aliyun` CLI's `~/.aliyun/config.json` (modes `AK` and `StsToken`).
    AlibabaCliConfig,
    /// The shared INI file `~/.alibabacloud/credentials` (types `access_key` and `sts`).
    AlibabaSharedFile,
}

impl Source {
    fn read(self, env: &Env) -> Result<ProvidedCredentials, Place> {
        match self {
            Source::ZenlayerEnv => zenlayer::from_env(env),
            Source::ZenlayerProfile => zenlayer::from_profile(env),
            Source::AlibabaEnv => alibaba::from_env(env),
            Source::AlibabaCliConfig => alibaba::from_cli_config(env),
            Source::AlibabaSharedFile => alibaba::from_shared_file(env),
        }
    }
}

/// Reads its [`Source`]s in order and takes the first that has credentials.
///
/// As a provider it reads again when what it gave expires (an `StsToken`
/// profile with `sts_expiration`), so a refreshed file is picked up.
#[derive(Clone, Debug)]
pub struct Chain {
    env: Env,
    sources: Vec<Source>,
}

impl Chain {
    /// A chain of `sources`, with variables and the home directory from `env`.
    pub fn new(env: Env, sources: Vec<Source>) -> Self {
        Chain { env, sources }
    }

    /// The vendor's order: Zenlayer environment, then profile; Alibaba
    /// environment, then CLI config, then shared credentials file.
    pub fn default_for(protocol: Protocol, env: Env) -> Self {
        Chain::new(env, protocol.wire().credential_sources())
    }

    /// The first source's credentials, or every place tried and why it failed.
    pub fn resolve(&self) -> Result<ProvidedCredentials, CredentialsError> {
        let mut places = Vec::with_capacity(self.sources.len());
        for source in &self.sources {
            match source.read(&self.env) {
                Ok(found) => {
                    tracing::debug!(?source, "credentials found");
                    return Ok(found);
                }
                Err(place) => places.push(place),
            }
        }
        Err(CredentialsError::NotFound(places))
    }
}

impl ProvideCredentials for Chain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.resolve()))
    }
}
