//! Which failed attempts are tried again, and after how long.
//!
//! Throttled attempts were not executed, so they are always retried (on by
//! default, like every official SDK of both vendors). Server errors, timeouts
//! and broken connections may have executed the request, so they are retried
//! only when repeating is safe: read actions, and actions carrying an
//! idempotency token (kept identical across attempts). A failed connect
//! never reached the server and is retried for any action. The spec, not the
//! action's name, says which actions are reads and which carry tokens.

use std::time::Duration;

/// Retry limits and backoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubles each retry.
    pub initial_backoff: Duration,
    /// Upper bound of any wait, including server retry-after hints.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts (three retries), 1 s doubling up to 20 s — the vendors' SDK defaults.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Wait before retry number `retry` (1-based): exponential with equal jitter,
    /// or the server's hint when it gave one. `unit` in `[0, 1)` supplies the jitter.
    pub fn backoff(&self, retry: u32, hint: Option<Duration>, unit: f64) -> Duration {
        if let Some(hint) = hint {
            return hint.min(self.max_backoff);
        }
        exponential(self.initial_backoff, self.max_backoff, retry, unit)
    }
}

/// `initial` doubled for each step after the first (`step` is 1-based), capped
/// at `max`, with equal jitter: half fixed, half scaled by `unit` in `[0, 1]`
/// (`1.0` gives the full delay). Retries and waiters both back off this way.
pub(crate) fn exponential(initial: Duration, max: Duration, step: u32, unit: f64) -> Duration {
    let exponent = step.saturating_sub(1).min(20);
    let full = initial.saturating_mul(1 << exponent).min(max);
    full / 2 + full.mul_f64(unit.clamp(0.0, 1.0) / 2.0)
}

/// What went wrong in one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Throttling: HTTP 429 or a throttling code below 500 (a wait-hint header
    /// alone is not; a throttling code on a 5xx is [`Failure::MaybeExecuted`]).
    Throttled,
    /// The connection could not be made (refused or timed out): the request never left.
    NotSent,
    /// A 5xx answer, a timeout or a broken connection: the request may have run.
    MaybeExecuted,
    /// Anything else (4xx, unreadable 2xx): repeating would give the same answer.
    Final,
}

/// Whether to try again after `failure` on attempt `attempt` (1-based).
pub(crate) fn should_retry(
    policy: &RetryPolicy,
    attempt: u32,
    failure: Failure,
    safe_to_repeat: bool,
) -> bool {
    if attempt >= policy.max_attempts {
        return false;
    }
    match failure {
        Failure::Throttled | Failure::NotSent => true,
        Failure::MaybeExecuted => safe_to_repeat,
        Failure::Final => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_equal_jitter_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, None, 0.0), Duration::from_millis(500));
        assert_eq!(
            p.backoff(1, None, 0.999_999),
            Duration::from_millis(999) + Duration::from_nanos(999_500)
        );
        assert_eq!(p.backoff(3, None, 0.0), Duration::from_secs(2));
        assert_eq!(p.backoff(30, None, 0.0), Duration::from_secs(10));
        assert_eq!(
            p.backoff(1, Some(Duration::from_millis(1500)), 0.0),
            Duration::from_millis(1500)
        );
        assert_eq!(
            p.backoff(1, Some(Duration::from_secs(99)), 0.0),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn unsafe_failures_are_not_repeated_for_writes() {
        let p = RetryPolicy::default();
        assert!(should_retry(&p, 1, Failure::Throttled, false));
        assert!(should_retry(&p, 1, Failure::NotSent, false));
        assert!(!should_retry(&p, 1, Failure::MaybeExecuted, false));
        assert!(should_retry(&p, 1, Failure::MaybeExecuted, true));
        assert!(!should_retry(&p, 1, Failure::Final, true));
        assert!(!should_retry(&p, 4, Failure::Throttled, true));
        assert!(!should_retry(
            &RetryPolicy::none(),
            1,
            Failure::Throttled,
            true
        ));
    }
}
