//! The credentials a client signs with, kept until shortly before they expire.
//!
//! One lock guards the cached answer, so calls that find it stale while a
//! refresh is under way wait for that refresh instead of each asking the
//! provider.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use super::{CredentialsError, ProvideCredentials, ProvidedCredentials};
use crate::config::Credentials;

/// How long before expiry credentials are refreshed by default: 3 minutes,
/// the margin `aliyun/credentials-go`'s refreshing providers use
/// (`credentials/providers/external.go`, 180 s).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(180);

/// The time source deciding whether cached credentials are still fresh.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A provider and its cached answer; clones share the cache.
#[derive(Clone)]
pub struct SharedCredentials {
    provider: Arc<dyn ProvideCredentials>,
    cached: Arc<Mutex<Option<ProvidedCredentials>>>,
    refresh_before: Duration,
    clock: Clock,
}

impl fmt::Debug for SharedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key id helps tell configurations apart; secrets show as `***`.
        let cached = self.cached.try_lock().ok().and_then(|held| held.clone());
        f.debug_struct("SharedCredentials")
            .field("provider", &self.provider)
            .field("cached", &cached)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

impl<P: ProvideCredentials + 'static> From<P> for SharedCredentials {
    fn from(provider: P) -> Self {
        SharedCredentials::new(Arc::new(provider))
    }
}

impl SharedCredentials {
    /// Credentials from `provider`, refreshed [`DEFAULT_REFRESH_BEFORE`] expiry.
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        SharedCredentials {
            provider,
            cached: Arc::new(Mutex::new(None)),
            refresh_before: DEFAULT_REFRESH_BEFORE,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Like [`SharedCredentials::new`], starting with `first` already fetched.
    pub(crate) fn seeded(
        provider: Arc<dyn ProvideCredentials>,
        first: ProvidedCredentials,
    ) -> Self {
        let shared = SharedCredentials::new(provider);
        SharedCredentials {
            cached: Arc::new(Mutex::new(Some(first))),
            ..shared
        }
    }

    /// Refreshes credentials once less than `margin` is left before they expire.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// Replaces the clock that decides freshness (tests move time forward with it).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The cached credentials, or fresh ones from the provider when there are
    /// none yet or they expire within the margin.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        let mut cached = self.cached.lock().await;
        let now = (self.clock)();
        if let Some(held) = cached.as_ref()
            && held
                .expires_at
                .is_none_or(|at| now + self.refresh_before < at)
        {
            return Ok(held.credentials.clone());
        }
        let fresh = self.provider.provide_credentials().await?;
        tracing::debug!(expires_at = ?fresh.expires_at, "credentials refreshed");
        let credentials = fresh.credentials.clone();
        *cached = Some(fresh);
        Ok(credentials)
    }
}
