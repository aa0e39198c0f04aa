//! Waiting until resources reach a state, by polling the read action.
//!
//! The spec names, per waiter, the states that mean "still working", "done"
//! and "failed", and what it means when the resource is no longer listed.
//! [`Wait`] polls one read call per batch of ids (the read actions accept
//! many ids at once), backs off exponentially with jitter between rounds, and
//! ends with every resource done, or with a typed [`WaiterError`] that keeps
//! the last record seen. A state the spec does not list is reported, never
//! guessed. Polls go through the normal client, so the read retry policy
//! absorbs transient errors.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::config::Sleep;
use crate::error::SdkError;
use crate::operation::OperationError;

/// A waiter as the spec defines it.
#[derive(Debug)]
pub struct WaiterSpec {
    /// Waiter name, e.g. `PrivateConnectAvailable`.
    pub name: &'static str,
    /// States that mean "keep polling".
    pub in_progress: &'static [&'static str],
    /// States that mean done.
    pub success: &'static [&'static str],
    /// States that mean the work failed.
    pub failure: &'static [&'static str],
    /// Whether a resource no longer listed is done (after a destroy) or failed (after a create).
    pub absent_means_success: bool,
    /// Most ids one read call may carry.
    pub max_ids: usize,
}

/// A record of the read action: its id and state.
pub trait Record {
    /// The resource id.
    fn id(&self) -> Option<&str>;
    /// The state, as sent.
    fn status(&self) -> Option<&str>;
}

/// Timing of a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitConfig {
    /// Wait before the first poll.
    pub initial_delay: Duration,
    /// Wait after the first poll; doubles each round.
    pub min_delay: Duration,
    /// Upper bound of one wait.
    pub max_delay: Duration,
    /// Total time spent waiting between polls before giving up.
    pub max_wait: Duration,
    /// Randomize each wait between half and all of its length.
    pub jitter: bool,
    /// Polls a never-seen resource may be missing before it counts as gone
    /// (a new resource can take a moment to appear in listings).
    pub not_found_checks: u32,
}

impl Default for WaitConfig {
    /// 5 s before the first poll, 5 s doubling up to 60 s, at most 20 minutes, jittered.
    fn default() -> Self {
        WaitConfig {
            initial_delay: Duration::from_secs(5),
            min_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(60),
            max_wait: Duration::from_secs(20 * 60),
            jitter: true,
            not_found_checks: 3,
        }
    }
}

/// A resource that reached a success state (or, for destroy waiters, is gone).
#[derive(Debug, Clone, PartialEq)]
pub struct Finished<R> {
    /// The id waited for.
    pub id: String,
    /// The final record; `None` when the resource is gone and that means done.
    pub record: Option<R>,
}

/// How a wait failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<R, E> {
    /// A resource reached a state the spec calls a failure.
    Failed {
        /// Resource id.
        id: String,
        /// The failure state.
        state: String,
        /// The record in that state.
        record: R,
    },
    /// A resource reached a state the spec does not list for this waiter.
    UnexpectedState {
        /// Resource id.
        id: String,
        /// The unlisted state (empty when the record had none).
        state: String,
        /// The record in that state.
        record: R,
    },
    /// A resource is no longer listed, which for this waiter means failure.
    Vanished {
        /// Resource id.
        id: String,
        /// The last record seen, if it was ever seen.
        last_seen: Option<R>,
    },
    /// `max_wait` passed before every resource was done.
    TimedOut {
        /// Time spent waiting between polls.
        waited: Duration,
        /// Ids still not done.
        pending: Vec<String>,
        /// Last record seen of each pending resource that was seen.
        last_seen: Vec<R>,
    },
    /// A poll failed even after the read retry policy.
    Poll(SdkError<E>),
}

impl<R, E: OperationError> fmt::Display for WaiterError<R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failed { id, state, .. } => {
                write!(f, "{id} reached failure state {state}")
            }
            WaiterError::UnexpectedState { id, state, .. } => {
                write!(
                    f,
                    "{id} is in state {state:?}, which this waiter does not expect"
                )
            }
            WaiterError::Vanished { id, .. } => write!(f, "{id} is no longer listed"),
            WaiterError::TimedOut {
                waited, pending, ..
            } => {
                write!(
                    f,
                    "gave up after {waited:?}; still pending: {}",
                    pending.join(", ")
                )
            }
            WaiterError::Poll(e) => write!(f, "polling failed: {e}"),
        }
    }
}

impl<R: fmt::Debug, E: OperationError> std::error::Error for WaiterError<R, E> {}

/// Future of one poll.
pub type PollFuture<R, E> = Pin<Box<dyn Future<Output = Result<Vec<R>, SdkError<E>>> + Send>>;

/// A configured wait; call [`Wait::wait`] to run it.
pub struct Wait<R, E> {
    spec: &'static WaiterSpec,
    ids: Vec<String>,
    config: WaitConfig,
    sleep: Arc<dyn Sleep>,
    poll: Box<dyn FnMut(Vec<String>) -> PollFuture<R, E> + Send>,
}

impl<R, E> fmt::Debug for Wait<R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("waiter", &self.spec.name)
            .field("ids", &self.ids)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Per-id progress during a wait.
enum Progress<R> {
    Pending { last_seen: Option<R>, missing: u32 },
    Done(Option<R>),
}

impl<R: Record, E: OperationError> Wait<R, E> {
    /// A wait for `ids`; `poll` reads one batch of at most `spec.max_ids` ids.
    pub fn new(
        spec: &'static WaiterSpec,
        ids: Vec<String>,
        sleep: Arc<dyn Sleep>,
        poll: impl FnMut(Vec<String>) -> PollFuture<R, E> + Send + 'static,
    ) -> Self {
        let mut unique = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        Wait {
            spec,
            ids: unique,
            config: WaitConfig::default(),
            sleep,
            poll: Box::new(poll),
        }
    }

    /// Replaces the whole timing configuration.
    pub fn config(mut self, config: WaitConfig) -> Self {
        self.config = config;
        self
    }

    /// Gives up after this much waiting.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.config.max_wait = max_wait;
        self
    }

    /// Waits this long before the first poll.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.config.initial_delay = delay;
        self
    }

    /// Bounds of the wait between polls.
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.config.min_delay = min;
        self.config.max_delay = max;
        self
    }

    /// Polls until every resource is done, one failed, or `max_wait` passed.
    pub async fn wait(mut self) -> Result<Vec<Finished<R>>, WaiterError<R, E>> {
        if self.ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut progress: HashMap<String, Progress<R>> = self
            .ids
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    Progress::Pending {
                        last_seen: None,
                        missing: 0,
                    },
                )
            })
            .collect();
        let mut waited = Duration::ZERO;
        let mut round = 0;
        loop {
            let delay = if round == 0 {
                self.config.initial_delay
            } else {
                self.backoff(round)
            };
            if !delay.is_zero() {
                if waited + delay > self.config.max_wait {
                    return Err(self.timed_out(waited, progress));
                }
                self.sleep.sleep(delay).await;
                waited += delay;
            }
            round += 1;
            self.poll_round(&mut progress).await?;
            if progress.values().all(|p| matches!(p, Progress::Done(_))) {
                return Ok(self.finish(progress));
            }
        }
    }

    fn backoff(&self, round: u32) -> Duration {
        let base = self
            .config
            .min_delay
            .saturating_mul(1 << (round - 1).min(20))
            .min(self.config.max_delay);
        if self.config.jitter {
            base / 2 + base.mul_f64(fastrand::f64() / 2.0)
        } else {
            base
        }
    }

    async fn poll_round(
        &mut self,
        progress: &mut HashMap<String, Progress<R>>,
    ) -> Result<(), WaiterError<R, E>> {
        let pending: Vec<String> = self
            .ids
            .iter()
            .filter(|id| matches!(progress.get(*id), Some(Progress::Pending { .. })))
            .cloned()
            .collect();
        for batch in pending.chunks(self.spec.max_ids.max(1)) {
            let mut records = (self.poll)(batch.to_vec())
                .await
                .map_err(WaiterError::Poll)?;
            for id in batch {
                let found = records.iter().position(|r| r.id() == Some(id.as_str()));
                let record = found.map(|i| records.swap_remove(i));
                if let Some(slot) = progress.get_mut(id) {
                    self.judge(id, record, slot)?;
                }
            }
        }
        Ok(())
    }

    /// Updates one id's progress from the record the poll returned for it.
    fn judge(
        &self,
        id: &str,
        record: Option<R>,
        slot: &mut Progress<R>,
    ) -> Result<(), WaiterError<R, E>> {
        let spec = self.spec;
        let Progress::Pending { last_seen, missing } = slot else {
            return Ok(());
        };
        let Some(record) = record else {
            *missing += 1;
            if spec.absent_means_success {
                *slot = Progress::Done(None);
            } else if last_seen.is_some() || *missing > self.config.not_found_checks {
                return Err(WaiterError::Vanished {
                    id: id.to_string(),
                    last_seen: last_seen.take(),
                });
            }
            return Ok(());
        };
        let state = record.status().unwrap_or_default().to_string();
        if spec.success.contains(&state.as_str()) {
            *slot = Progress::Done(Some(record));
        } else if spec.failure.contains(&state.as_str()) {
            return Err(WaiterError::Failed {
                id: id.to_string(),
                state,
                record,
            });
        } else if spec.in_progress.contains(&state.as_str()) {
            *last_seen = Some(record);
        } else {
            return Err(WaiterError::UnexpectedState {
                id: id.to_string(),
                state,
                record,
            });
        }
        Ok(())
    }

    fn finish(&self, mut progress: HashMap<String, Progress<R>>) -> Vec<Finished<R>> {
        self.ids
            .iter()
            .map(|id| Finished {
                id: id.clone(),
                record: match progress.remove(id) {
                    Some(Progress::Done(record)) => record,
                    _ => None,
                },
            })
            .collect()
    }

    fn timed_out(
        &self,
        waited: Duration,
        mut progress: HashMap<String, Progress<R>>,
    ) -> WaiterError<R, E> {
        let mut pending = Vec::new();
        let mut last_seen = Vec::new();
        for id in &self.ids {
            if let Some(Progress::Pending {
                last_seen: seen, ..
            }) = progress.remove(id)
            {
                pending.push(id.clone());
                last_seen.extend(seen);
            }
        }
        WaiterError::TimedOut {
            waited,
            pending,
            last_seen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use std::sync::Mutex;

    #[derive(Debug, Clone, PartialEq)]
    struct Rec(&'static str, &'static str);

    impl Record for Rec {
        fn id(&self) -> Option<&str> {
            Some(self.0)
        }
        fn status(&self) -> Option<&str> {
            Some(self.1)
        }
    }

    #[derive(Debug)]
    struct NoErr(ServiceError);
    impl From<ServiceError> for NoErr {
        fn from(e: ServiceError) -> Self {
            NoErr(e)
        }
    }
    impl fmt::Display for NoErr {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }
    impl std::error::Error for NoErr {}
    impl OperationError for NoErr {
        fn meta(&self) -> &ServiceError {
            &self.0
        }
    }

    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<Duration>>);
    impl Sleep for Recorder {
        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            self.0.lock().unwrap().push(d);
            Box::pin(async {})
        }
    }

    const AVAILABLE: WaiterSpec = WaiterSpec {
        name: "Available",
        in_progress: &["CREATING"],
        success: &["RUNNING"],
        failure: &["FAILED"],
        absent_means_success: false,
        max_ids: 2,
    };

    const GONE: WaiterSpec = WaiterSpec {
        name: "Gone",
        in_progress: &["DESTROYING"],
        success: &[],
        failure: &[],
        absent_means_success: true,
        max_ids: 100,
    };

    type Outcome = Result<Vec<Finished<Rec>>, WaiterError<Rec, NoErr>>;

    /// Runs a wait whose n-th poll returns `script[n]`; returns the result, the batches polled and the sleeps.
    fn run(
        spec: &'static WaiterSpec,
        ids: &[&str],
        script: Vec<Vec<Rec>>,
        config: WaitConfig,
    ) -> (Outcome, Vec<Vec<String>>, Vec<Duration>) {
        let sleeper = Arc::new(Recorder::default());
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let script = Arc::new(Mutex::new(script.into_iter()));
        let wait = Wait::new(
            spec,
            ids.iter().map(|s| s.to_string()).collect(),
            sleeper.clone(),
            move |batch| {
                log.lock().unwrap().push(batch.clone());
                let page = script.lock().unwrap().next().unwrap_or_default();
                let page: Vec<Rec> = page
                    .into_iter()
                    .filter(|r| batch.iter().any(|b| b == r.0))
                    .collect();
                Box::pin(async move { Ok(page) })
            },
        )
        .config(config);
        let result = futures_executor::block_on(wait.wait());
        let batches = calls.lock().unwrap().clone();
        let sleeps = sleeper.0.lock().unwrap().clone();
        (result, batches, sleeps)
    }

    fn fixed(max_wait: u64) -> WaitConfig {
        WaitConfig {
            initial_delay: Duration::from_secs(1),
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(5),
            max_wait: Duration::from_secs(max_wait),
            jitter: false,
            not_found_checks: 1,
        }
    }

    #[test]
    fn polls_in_batches_backs_off_and_returns_final_records() {
        let script = vec![
            vec![Rec("a", "CREATING"), Rec("b", "CREATING")],
            vec![Rec("c", "RUNNING")],
            vec![Rec("a", "RUNNING"), Rec("b", "CREATING")],
            vec![Rec("b", "RUNNING")],
        ];
        let (result, batches, sleeps) = run(&AVAILABLE, &["a", "b", "c"], script, fixed(60));
        let done = result.unwrap();
        assert_eq!(
            done.iter()
                .map(|f| f.record.clone().unwrap().1)
                .collect::<Vec<_>>(),
            ["RUNNING"; 3]
        );
        assert_eq!(
            batches,
            vec![vec!["a", "b"], vec!["c"], vec!["a", "b"], vec!["b"]]
        );
        let secs: Vec<u64> = sleeps.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, vec![1, 2, 4]);
    }

    #[test]
    fn failure_state_vanishing_and_unknown_states_are_typed_errors() {
        let (r, _, _) = run(
            &AVAILABLE,
            &["a"],
            vec![vec![Rec("a", "FAILED")]],
            fixed(60),
        );
        assert!(
            matches!(r, Err(WaiterError::Failed { state, record, .. }) if state == "FAILED" && record.0 == "a")
        );

        let script = vec![vec![Rec("a", "CREATING")], vec![]];
        let (r, _, _) = run(&AVAILABLE, &["a"], script, fixed(60));
        assert!(matches!(
            r,
            Err(WaiterError::Vanished {
                last_seen: Some(Rec("a", "CREATING")),
                ..
            })
        ));

        let (r, _, _) = run(
            &AVAILABLE,
            &["a"],
            vec![vec![Rec("a", "UPGRADING")]],
            fixed(60),
        );
        assert!(
            matches!(r, Err(WaiterError::UnexpectedState { state, .. }) if state == "UPGRADING")
        );
    }

    #[test]
    fn a_new_resource_may_be_missing_for_a_few_polls() {
        let script = vec![vec![], vec![Rec("a", "RUNNING")]];
        let (r, batches, _) = run(&AVAILABLE, &["a"], script, fixed(60));
        assert!(r.is_ok());
        assert_eq!(batches.len(), 2);
        let (r, batches, _) = run(&AVAILABLE, &["a"], vec![vec![], vec![]], fixed(60));
        assert!(matches!(
            r,
            Err(WaiterError::Vanished {
                last_seen: None,
                ..
            })
        ));
        assert_eq!(batches.len(), 2);
    }

    #[test]
    fn gone_means_done_for_destroy_waiters() {
        let script = vec![vec![Rec("a", "DESTROYING")], vec![]];
        let (r, _, sleeps) = run(&GONE, &["a", "a"], script, fixed(60));
        assert_eq!(
            r.unwrap(),
            vec![Finished {
                id: "a".into(),
                record: None
            }]
        );
        assert_eq!(sleeps.len(), 2);
    }

    #[test]
    fn gives_up_after_max_wait_with_the_last_record() {
        let script = vec![vec![Rec("a", "CREATING")]; 10];
        let (r, batches, sleeps) = run(&AVAILABLE, &["a"], script, fixed(10));
        let Err(WaiterError::TimedOut {
            waited,
            pending,
            last_seen,
        }) = r
        else {
            panic!("expected a timeout")
        };
        assert_eq!(waited, Duration::from_secs(7));
        assert_eq!(sleeps.iter().sum::<Duration>(), waited);
        assert_eq!(pending, vec!["a"]);
        assert_eq!(last_seen, vec![Rec("a", "CREATING")]);
        assert_eq!(batches.len(), 3);
    }
}
