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
//!
//! The decisions (batches, delays, timeout, what each state means) are made
//! by an engine that knows only ids and state strings, so they are compiled
//! once, here. A crate that runs a wait compiles, per waiter, only the loop
//! that calls the poll and sleeps, and per record type the code that keeps
//! the typed records.
//!
//! A server is untrusted input, so a wait always ends:
//!
//! - `max_wait` is a deadline on elapsed time, polls included: the wait's
//!   clock is the wall clock, but never behind the sum of the delays slept
//!   (so a [`Sleep`] that returns at once, a test's virtual time, still
//!   moves it). No poll starts and no sleep is taken past the deadline.
//! - Rounds of polls are at least [`MIN_DELAY`] apart, whatever the config.
//! - An id missing from a read counts as absent only when the read was
//!   complete: the engine pages on through every page of the batch, and when
//!   the pages do not add up (fewer records than the reported total, a
//!   repeated page, more pages than ids), the missing ids are unknown for
//!   that round: they stay pending, never declared gone or vanished.
//! - Ids are de-duplicated and records paired with ids by hashing, so a wait
//!   for n ids costs O(n) per round, not O(n²).
//!
//! A wait that follows a modification must not return the state from before
//! it: right after a bandwidth change the resource may still be listed in its
//! success state with the old value for a while. Two rules guard against
//! that, each optional: a goal on the record ([`Wait::until`]; a spec's
//! `until_field` generates one comparing a field with the requested value),
//! without which a success state is only a state; and a settle time
//! ([`WaiterSpec::settle`]): a success state counts only once an in-progress
//! state was seen for that resource or that long has passed since the wait
//! began.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::action::{Action, ErrorMeta};
use crate::client::Client;
use crate::config::Sleep;
use crate::error::SdkError;
use crate::paginate::{PageError, Paged, Pages};

/// The shortest wait between two rounds of polls, whatever the config asks.
pub const MIN_DELAY: Duration = Duration::from_secs(1);

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
    /// A success state read before any in-progress state of that resource
    /// counts only once this much time has passed since the wait began
    /// (`None`: at once).
    pub settle: Option<Duration>,
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
    /// Wait after the first poll; doubles each round (never below [`MIN_DELAY`]).
    pub min_delay: Duration,
    /// Upper bound of one wait (never below [`MIN_DELAY`]).
    pub max_delay: Duration,
    /// Deadline of the whole wait, polls included: no poll starts and no
    /// sleep is taken past it.
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
    /// `max_wait` passed (or the next sleep would pass it) before every resource was done.
    TimedOut {
        /// Time elapsed, polls and sleeps included.
        waited: Duration,
        /// Ids still not done.
        pending: Vec<String>,
        /// Last record seen of each pending resource that was seen.
        last_seen: Vec<R>,
    },
    /// A poll failed even after the read retry policy.
    Poll(SdkError<E>),
}

impl<R, E: ErrorMeta> fmt::Display for WaiterError<R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failed { id, state, .. } => {
                write!(f, "{id} reached failure state {state}")
            }
            WaiterError::UnexpectedState { id, state, .. } => {
                // The state is the server's text: escaped and cut short like a service error's.
                write!(
                    f,
                    "{id} is in state \"{}\", which this waiter does not expect",
                    crate::error::Bounded(state, crate::error::SHORT_TEXT)
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

impl<R: fmt::Debug, E: ErrorMeta> std::error::Error for WaiterError<R, E> {}

/// What one poll of a batch read.
#[derive(Debug, Clone, PartialEq)]
pub struct Polled<R> {
    /// The records read.
    pub records: Vec<R>,
    /// Whether they are every record the read matched (all pages, adding up
    /// to the reported total): only then does a missing id count as absent.
    pub complete: bool,
}

/// Future of one poll.
pub type PollFuture<R, E> = Pin<Box<dyn Future<Output = Result<Polled<R>, SdkError<E>>> + Send>>;

/// A configured wait; call [`Wait::wait`] to run it.
pub struct Wait<R, E> {
    engine: Engine,
    sleep: Arc<dyn Sleep>,
    poll: Box<dyn FnMut(Vec<String>) -> PollFuture<R, E> + Send>,
    goal: Option<Goal<R>>,
}

/// What a record in a success state must also show to count as done.
type Goal<R> = Box<dyn Fn(&R) -> bool + Send>;

impl<R, E> fmt::Debug for Wait<R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("waiter", &self.engine.spec.name)
            .field("ids", &self.engine.ids)
            .field("config", &self.engine.config)
            .field("goal", &self.goal.is_some())
            .finish_non_exhaustive()
    }
}

impl<R: Record, E: ErrorMeta> Wait<R, E> {
    /// A wait for `ids`; `poll` reads one batch of at most `spec.max_ids` ids.
    pub fn new(
        spec: &'static WaiterSpec,
        ids: Vec<String>,
        sleep: Arc<dyn Sleep>,
        poll: impl FnMut(Vec<String>) -> PollFuture<R, E> + Send + 'static,
    ) -> Self {
        Wait {
            engine: Engine::new(spec, ids),
            sleep,
            poll: Box::new(poll),
            goal: None,
        }
    }

    /// A wait for `ids` that polls the list action `I` through `client` (so
    /// with its read retry policy, sleeping with its [`Sleep`]):
    /// `request(batch)` builds the input for one batch of ids, whose pages
    /// are read with [`Pages`] (at most one page per id of the batch) and
    /// [`Paged::take_records`] takes the records out of each.
    pub fn read<I>(
        spec: &'static WaiterSpec,
        client: &Client,
        ids: impl IntoIterator<Item = impl Into<String>>,
        mut request: impl FnMut(Vec<String>) -> I + Send + 'static,
    ) -> Self
    where
        I: Paged<Item = R> + Action<Error = E> + 'static,
        R: Send + 'static,
    {
        let client = client.clone();
        let ids = ids.into_iter().map(Into::into).collect();
        Wait::new(spec, ids, client.sleeper(), move |batch| {
            let pages = u32::try_from(batch.len()).unwrap_or(u32::MAX);
            let input = request(batch);
            let client = client.clone();
            Box::pin(async move { read_all(&client, input, pages).await })
        })
    }

    /// Replaces the whole timing configuration.
    pub fn config(mut self, config: WaitConfig) -> Self {
        self.engine.config = config;
        self
    }

    /// Gives up once this much time has passed, polls included.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.engine.config.max_wait = max_wait;
        self
    }

    /// Waits this long before the first poll.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.engine.config.initial_delay = delay;
        self
    }

    /// Bounds of the wait between rounds of polls (never below [`MIN_DELAY`]).
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.engine.config.min_delay = min;
        self.engine.config.max_delay = max;
        self
    }

    /// A record in a success state counts as done only when `goal` holds
    /// for it (say, its bandwidth is the one just requested); until then the
    /// resource stays pending, and a timeout returns the last record seen.
    pub fn until(mut self, goal: impl Fn(&R) -> bool + Send + 'static) -> Self {
        self.goal = Some(Box::new(goal));
        self
    }

    /// Polls until every resource is done, one failed, or `max_wait` passed.
    pub async fn wait(self) -> Result<Vec<Finished<R>>, WaiterError<R, E>> {
        let Wait {
            mut engine,
            sleep,
            mut poll,
            goal,
        } = self;
        let start = Instant::now();
        // Per id: the last record seen while pending, then the final one.
        let mut records = unseen(engine.ids.len());
        loop {
            engine.clock(start.elapsed());
            match engine.next() {
                Step::Sleep(delay) => sleep.sleep(delay).await,
                Step::Poll(batch) => match poll(engine.names(&batch)).await {
                    Ok(read) => {
                        let goal = goal.as_deref();
                        if let Err(stop) = judge(&mut engine, batch, read, &mut records, goal) {
                            return Err(stop.into_error());
                        }
                    }
                    Err(e) => return Err(WaiterError::Poll(e)),
                },
                Step::Done => return Ok(finished(engine.ids, records)),
                Step::TimedOut { waited, pending } => {
                    let mut last_seen = Vec::new();
                    for &i in &pending {
                        if let Some(record) = records[i].take() {
                            last_seen.push(record);
                        }
                    }
                    return Err(WaiterError::TimedOut {
                        waited,
                        pending: engine.names(&pending),
                        last_seen,
                    });
                }
            }
        }
    }
}

/// Every page of one batch read; incomplete when the pages do not add up.
async fn read_all<I: Paged>(
    client: &Client,
    input: I,
    max_pages: u32,
) -> Result<Polled<I::Item>, SdkError<I::Error>> {
    let mut pages = Pages::new(client, input)
        .unnumbered_first_page()
        .max_pages(max_pages);
    let mut records = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(output) => records.extend(I::take_records(output)),
            Err(PageError::Runaway(_)) => {
                return Ok(Polled {
                    records,
                    complete: false,
                });
            }
            Err(PageError::Call(e)) => return Err(e),
        }
    }
    Ok(Polled {
        records,
        complete: true,
    })
}

// The helpers below are generic over the record type only, so waiters that
// read the same record type share one copy whatever their error type.

/// No record for each of `n` ids.
fn unseen<R>(n: usize) -> Vec<Option<R>> {
    let mut records = Vec::with_capacity(n);
    for _ in 0..n {
        records.push(None);
    }
    records
}

/// Why [`judge`] ends a wait.
enum Stop<R> {
    /// A record in a state that ends the wait.
    Rejected(Rejected, R),
    /// An id no longer listed, with its last record seen.
    Vanished(String, Option<R>),
}

impl<R> Stop<R> {
    fn into_error<E>(self) -> WaiterError<R, E> {
        match self {
            Stop::Rejected(Rejected { id, state, failed }, record) if failed => {
                WaiterError::Failed { id, state, record }
            }
            Stop::Rejected(Rejected { id, state, .. }, record) => {
                WaiterError::UnexpectedState { id, state, record }
            }
            Stop::Vanished(id, last_seen) => WaiterError::Vanished { id, last_seen },
        }
    }
}

/// Hands the engine what one poll of `batch` returned, keeping the records
/// it needs. After an incomplete read, a missing id is unknown: left as it was.
fn judge<R: Record>(
    engine: &mut Engine,
    batch: Vec<usize>,
    polled: Polled<R>,
    records: &mut [Option<R>],
    goal: Option<&(dyn Fn(&R) -> bool + Send)>,
) -> Result<(), Stop<R>> {
    let Polled {
        records: page,
        complete,
    } = polled;
    let mut found = Vec::with_capacity(page.len());
    for record in &page {
        found.push(record.id());
    }
    let taken = engine.pair(&batch, &found);
    let mut left = Vec::with_capacity(page.len());
    for record in page {
        left.push(Some(record));
    }
    for (slot, at) in batch.into_iter().zip(taken) {
        let Some(record) = at.and_then(|at| left[at].take()) else {
            if !complete {
                continue;
            }
            if let Err(id) = engine.absent(slot) {
                return Err(Stop::Vanished(id, records[slot].take()));
            }
            records[slot] = None;
            continue;
        };
        let reached = goal.is_none_or(|goal| goal(&record));
        match engine.observe(slot, record.status().unwrap_or_default(), reached) {
            Ok(()) => records[slot] = Some(record),
            Err(rejected) => return Err(Stop::Rejected(rejected, record)),
        }
    }
    Ok(())
}

/// Every id with its final record.
fn finished<R>(ids: Vec<String>, records: Vec<Option<R>>) -> Vec<Finished<R>> {
    let mut ids = ids.into_iter();
    let mut done = Vec::with_capacity(records.len());
    for record in records {
        if let Some(id) = ids.next() {
            done.push(Finished { id, record });
        }
    }
    done
}

/// What a wait does next, as [`Engine::next`] decides.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Sleep this long before the next round.
    Sleep(Duration),
    /// Poll these ids (indices into the engine's ids) in one read call.
    Poll(Vec<usize>),
    /// Every id is done.
    Done,
    /// `max_wait` passed, or the next sleep would pass it.
    TimedOut {
        /// Time elapsed so far.
        waited: Duration,
        /// Ids (indices) not done.
        pending: Vec<usize>,
    },
}

/// A record in a state that ends the wait.
#[derive(Debug, PartialEq, Eq)]
struct Rejected {
    id: String,
    state: String,
    /// A failure state (else a state the waiter does not list).
    failed: bool,
}

/// Per-id progress during a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    Pending {
        /// Whether a record in an in-progress state was seen.
        seen: bool,
        /// Polls that did not list it.
        missing: u32,
    },
    Done,
}

/// The polling engine: batches, delays, timeout and state rules, over ids
/// only, with no I/O and no record type, so it is compiled once in the
/// runtime rather than once per waiter.
#[derive(Debug)]
struct Engine {
    spec: &'static WaiterSpec,
    config: WaitConfig,
    /// Deduplicated, in the caller's order; everything else refers to them by index.
    ids: Vec<String>,
    progress: Vec<Progress>,
    /// Ids (indices) still to poll this round, in order.
    queue: VecDeque<usize>,
    /// Rounds started.
    round: u32,
    /// Time since the wait began, by the wall clock.
    wall: Duration,
    /// The delays slept so far.
    slept: Duration,
    /// Whether the sleep before the next round is done.
    rested: bool,
}

impl Engine {
    fn new(spec: &'static WaiterSpec, ids: Vec<String>) -> Self {
        let unique = dedup(ids);
        Engine {
            spec,
            config: WaitConfig::default(),
            progress: vec![
                Progress::Pending {
                    seen: false,
                    missing: 0
                };
                unique.len()
            ],
            ids: unique,
            queue: VecDeque::new(),
            round: 0,
            wall: Duration::ZERO,
            slept: Duration::ZERO,
            rested: false,
        }
    }

    /// The wall clock says `wall` has passed since the wait began.
    fn clock(&mut self, wall: Duration) {
        self.wall = wall;
    }

    /// Time elapsed: the wall clock, but never less than the delays slept
    /// (a [`Sleep`] may return at once, as a test's virtual time does).
    fn elapsed(&self) -> Duration {
        self.wall.max(self.slept)
    }

    /// The next step: poll the next batch of this round (unless the deadline
    /// passed), else finish, else sleep (or give up) before a new round, else start it.
    fn next(&mut self) -> Step {
        if self.queue.is_empty() {
            if self.progress.iter().all(|p| *p == Progress::Done) {
                return Step::Done;
            }
            if let Some(step) = self.rest() {
                return step;
            }
            self.round += 1;
            self.queue = self.pending().into();
        }
        if self.elapsed() > self.config.max_wait {
            self.queue.clear();
            return self.timed_out();
        }
        let n = self.queue.len().min(self.spec.max_ids.max(1));
        Step::Poll(self.queue.drain(..n).collect())
    }

    /// The sleep before a new round, unless it was slept or the first poll
    /// has no initial delay.
    fn rest(&mut self) -> Option<Step> {
        if std::mem::take(&mut self.rested) {
            return None;
        }
        let delay = if self.round == 0 {
            self.config.initial_delay
        } else {
            self.backoff()
        };
        if delay.is_zero() {
            return None;
        }
        if self.elapsed().saturating_add(delay) > self.config.max_wait {
            return Some(self.timed_out());
        }
        self.slept += delay;
        self.rested = true;
        Some(Step::Sleep(delay))
    }

    fn timed_out(&self) -> Step {
        Step::TimedOut {
            waited: self.elapsed(),
            pending: self.pending(),
        }
    }

    /// The delay after `round` polls: doubling from `min_delay`, capped,
    /// jittered, and never below [`MIN_DELAY`].
    fn backoff(&self) -> Duration {
        let unit = if self.config.jitter {
            fastrand::f64()
        } else {
            1.0
        };
        crate::retry::exponential(
            self.config.min_delay,
            self.config.max_delay,
            self.round,
            unit,
        )
        .max(MIN_DELAY)
    }

    /// Ids (indices) not done, in order.
    fn pending(&self) -> Vec<usize> {
        (0..self.ids.len())
            .filter(|&i| self.progress[i] != Progress::Done)
            .collect()
    }

    /// The ids at these indices.
    fn names(&self, slots: &[usize]) -> Vec<String> {
        slots.iter().map(|&i| self.ids[i].clone()).collect()
    }

    /// For each id of `batch`, the position of its record among the polled
    /// records (given by their ids, `found`): the first with its id. The ids
    /// of a batch are distinct, so no record goes to two of them. Linear in
    /// both, however many records a server sends.
    fn pair(&self, batch: &[usize], found: &[Option<&str>]) -> Vec<Option<usize>> {
        let mut first = HashMap::with_capacity(found.len());
        for (at, id) in found.iter().enumerate() {
            if let Some(id) = id {
                first.entry(*id).or_insert(at);
            }
        }
        batch
            .iter()
            .map(|&slot| first.get(self.ids[slot].as_str()).copied())
            .collect()
    }

    /// A poll listed id `slot` in `state`, its record showing the wait's goal
    /// (`reached`; always, without one). A success state before the goal,
    /// or before both an in-progress state and the settle time, is pending.
    fn observe(&mut self, slot: usize, state: &str, reached: bool) -> Result<(), Rejected> {
        let spec = self.spec;
        let elapsed = self.elapsed();
        let Progress::Pending { seen, .. } = &mut self.progress[slot] else {
            return Ok(());
        };
        let failed = spec.failure.contains(&state);
        if spec.success.contains(&state) {
            let settled = *seen || spec.settle.is_none_or(|settle| elapsed >= settle);
            if reached && settled {
                self.progress[slot] = Progress::Done;
            }
        } else if !failed && spec.in_progress.contains(&state) {
            *seen = true;
        } else {
            return Err(Rejected {
                id: self.ids[slot].clone(),
                state: state.to_string(),
                failed,
            });
        }
        Ok(())
    }

    /// A poll did not list id `slot`; `Err` with the id when that means it vanished.
    fn absent(&mut self, slot: usize) -> Result<(), String> {
        let Progress::Pending { seen, missing } = &mut self.progress[slot] else {
            return Ok(());
        };
        *missing += 1;
        if self.spec.absent_means_success {
            self.progress[slot] = Progress::Done;
        } else if *seen || *missing > self.config.not_found_checks {
            return Err(self.ids[slot].clone());
        }
        Ok(())
    }
}

/// `items` without repeats, first occurrences in order, in linear time.
fn dedup<T: Hash + Eq>(items: Vec<T>) -> Vec<T> {
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(items.len());
        items.iter().map(|item| seen.insert(item)).collect()
    };
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, new)| new.then_some(item))
        .collect()
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
    impl ErrorMeta for NoErr {
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
        settle: None,
    };

    const GONE: WaiterSpec = WaiterSpec {
        name: "Gone",
        in_progress: &["DESTROYING"],
        success: &[],
        failure: &[],
        absent_means_success: true,
        max_ids: 100,
        settle: None,
    };

    type Outcome = Result<Vec<Finished<Rec>>, WaiterError<Rec, NoErr>>;

    /// What a test wait gave: its result, the batches polled and the sleeps.
    type Run<R> = (
        Result<Vec<Finished<R>>, WaiterError<R, NoErr>>,
        Vec<Vec<String>>,
        Vec<Duration>,
    );

    /// Runs a wait whose n-th poll returns `script[n]` (complete reads);
    /// returns the result, the batches polled and the sleeps.
    fn run(
        spec: &'static WaiterSpec,
        ids: &[&str],
        script: Vec<Vec<Rec>>,
        config: WaitConfig,
    ) -> (Outcome, Vec<Vec<String>>, Vec<Duration>) {
        let mut script = script.into_iter();
        let ids = ids.iter().map(|s| s.to_string()).collect();
        run_reads(spec, ids, config, move |_| Polled {
            records: script.next().unwrap_or_default(),
            complete: true,
        })
    }

    /// Polls more than this fail the test rather than loop for ever.
    const POLL_LIMIT: usize = 2_000;

    /// Runs a wait whose n-th poll reads `read(n)` (records of ids outside
    /// the batch dropped); returns the result, the batches polled and the sleeps.
    fn run_reads(
        spec: &'static WaiterSpec,
        ids: Vec<String>,
        config: WaitConfig,
        read: impl FnMut(usize) -> Polled<Rec> + Send + 'static,
    ) -> (Outcome, Vec<Vec<String>>, Vec<Duration>) {
        run_wait(spec, ids, config, read, |wait| wait)
    }

    /// [`run_reads`] for any record type, the wait changed by `adjust`.
    fn run_wait<R: Record + Send + 'static>(
        spec: &'static WaiterSpec,
        ids: Vec<String>,
        config: WaitConfig,
        mut read: impl FnMut(usize) -> Polled<R> + Send + 'static,
        adjust: impl FnOnce(Wait<R, NoErr>) -> Wait<R, NoErr>,
    ) -> Run<R> {
        let sleeper = Arc::new(Recorder::default());
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let wait = Wait::new(spec, ids, sleeper.clone(), move |batch| {
            let mut log = log.lock().unwrap();
            assert!(log.len() < POLL_LIMIT, "the wait does not end");
            let Polled { records, complete } = read(log.len());
            let asked: HashSet<&str> = batch.iter().map(String::as_str).collect();
            let records: Vec<R> = records
                .into_iter()
                .filter(|r| r.id().is_some_and(|id| asked.contains(id)))
                .collect();
            log.push(batch);
            Box::pin(async move { Ok(Polled { records, complete }) })
        })
        .config(config);
        let result = futures_executor::block_on(adjust(wait).wait());
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
    fn a_hostile_state_is_shown_escaped_and_bounded() {
        let state = format!("\u{2028}forged\n{}", "S".repeat(1 << 20));
        let state: &'static str = Box::leak(state.into_boxed_str());
        let (r, _, _) = run(&AVAILABLE, &["a"], vec![vec![Rec("a", state)]], fixed(60));
        let shown = r.expect_err("an unexpected state").to_string();
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert!(
            shown.starts_with("a is in state \"\\u{2028}forged\\nSSS"),
            "{}",
            &shown[..80]
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

    #[test]
    fn no_ids_is_done_at_once_without_sleeping() {
        let (r, batches, sleeps) = run(&AVAILABLE, &[], vec![], fixed(60));
        assert_eq!(r.unwrap(), vec![]);
        assert!(batches.is_empty());
        assert!(sleeps.is_empty());
    }

    fn engine(ids: &[&str], config: WaitConfig) -> Engine {
        let mut engine = Engine::new(&AVAILABLE, ids.iter().map(|s| s.to_string()).collect());
        engine.config = config;
        engine
    }

    #[test]
    fn the_engine_sleeps_polls_each_batch_once_a_round_and_times_out() {
        let mut e = engine(&["a", "b", "c", "a"], fixed(4));
        assert_eq!(e.ids, ["a", "b", "c"]);
        assert_eq!(e.next(), Step::Sleep(Duration::from_secs(1)));
        assert_eq!(e.next(), Step::Poll(vec![0, 1]));
        assert_eq!(e.observe(0, "CREATING", true), Ok(()));
        assert_eq!(e.observe(1, "RUNNING", true), Ok(()));
        assert_eq!(e.next(), Step::Poll(vec![2]));
        assert_eq!(e.absent(2), Ok(()), "not yet listed is allowed once");
        assert_eq!(e.next(), Step::Sleep(Duration::from_secs(2)));
        assert_eq!(e.next(), Step::Poll(vec![0, 2]));
        assert_eq!(e.observe(0, "CREATING", true), Ok(()));
        assert_eq!(e.observe(2, "CREATING", true), Ok(()));
        assert_eq!(
            e.next(),
            Step::TimedOut {
                waited: Duration::from_secs(3),
                pending: vec![0, 2]
            }
        );
    }

    #[test]
    fn the_engine_polls_at_once_without_an_initial_delay_and_finishes_after_the_round() {
        let mut e = engine(
            &["a"],
            WaitConfig {
                initial_delay: Duration::ZERO,
                ..fixed(60)
            },
        );
        assert_eq!(e.next(), Step::Poll(vec![0]));
        assert_eq!(e.observe(0, "RUNNING", true), Ok(()));
        assert_eq!(e.next(), Step::Done);
    }

    #[test]
    fn a_state_listed_as_failure_and_in_progress_is_a_failure() {
        static BOTH: WaiterSpec = WaiterSpec {
            name: "Both",
            in_progress: &["FAILED", "CREATING"],
            success: &["RUNNING"],
            failure: &["FAILED"],
            absent_means_success: false,
            max_ids: 1,
            settle: None,
        };
        let mut e = Engine::new(&BOTH, vec!["a".into()]);
        assert_eq!(
            e.observe(0, "FAILED", true),
            Err(Rejected {
                id: "a".into(),
                state: "FAILED".into(),
                failed: true
            })
        );
        assert_eq!(
            e.observe(0, "", true),
            Err(Rejected {
                id: "a".into(),
                state: String::new(),
                failed: false
            })
        );
    }

    #[test]
    fn each_id_takes_the_first_record_with_its_id() {
        let e = engine(&["a", "b", "c"], fixed(60));
        let page = ["a1", "x", "a2", "b", "none"];
        let found = [Some("a"), Some("x"), Some("a"), Some("b"), None];
        let taken: Vec<Option<&str>> = e
            .pair(&[0, 1, 2], &found)
            .into_iter()
            .map(|at| at.map(|i| page[i]))
            .collect();
        assert_eq!(taken, [Some("a1"), Some("b"), None]);
        let found = [Some("b"), Some("a"), Some("a")];
        assert_eq!(
            e.pair(&[1, 0], &found),
            [Some(0), Some(1)],
            "whatever the batch order"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_keeps_half_to_all() {
        let mut e = engine(
            &["a"],
            WaitConfig {
                jitter: true,
                ..fixed(60)
            },
        );
        for (round, base) in [(1, 2), (2, 4), (3, 5), (40, 5)] {
            e.round = round;
            let base = Duration::from_secs(base);
            for _ in 0..20 {
                let d = e.backoff();
                assert!(d >= base / 2 && d <= base, "{d:?} for {base:?}");
            }
        }
    }

    /// No delays at all, as a config may ask.
    fn eager(max_wait: Duration) -> WaitConfig {
        WaitConfig {
            initial_delay: Duration::ZERO,
            min_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            max_wait,
            jitter: false,
            not_found_checks: 1,
        }
    }

    #[test]
    fn zero_delays_still_wait_min_delay_between_rounds_and_time_out() {
        let (r, batches, sleeps) = run_reads(
            &AVAILABLE,
            vec!["a".into()],
            eager(Duration::from_secs(10)),
            |_| Polled {
                records: vec![Rec("a", "CREATING")],
                complete: true,
            },
        );
        let Err(WaiterError::TimedOut { waited, .. }) = r else {
            panic!("expected a timeout, got {r:?}")
        };
        assert_eq!(sleeps, vec![MIN_DELAY; 10]);
        assert_eq!(
            batches.len(),
            11,
            "one poll at once, then one per MIN_DELAY"
        );
        assert_eq!(waited, Duration::from_secs(10));
    }

    #[test]
    fn max_wait_is_a_deadline_on_elapsed_time_polls_included() {
        // Polls that take 3 s each, 1 s apart, against a 10 s deadline.
        let mut e = engine(&["a"], eager(Duration::from_secs(10)));
        let mut wall = Duration::ZERO;
        let mut polls = 0;
        let waited = loop {
            e.clock(wall);
            match e.next() {
                Step::Poll(batch) => {
                    polls += 1;
                    assert_eq!(e.observe(batch[0], "CREATING", true), Ok(()));
                    wall += Duration::from_secs(3);
                }
                Step::Sleep(delay) => wall += delay,
                Step::TimedOut { waited, pending } => {
                    assert_eq!(pending, [0]);
                    break waited;
                }
                Step::Done => panic!("nothing is done"),
            }
            assert!(polls < 100, "the deadline never fires");
        };
        // Polls at 0, 4 and 8 s; at 11 s another second's sleep would pass 10 s.
        assert_eq!(polls, 3);
        assert_eq!(waited, Duration::from_secs(11));
    }

    #[test]
    fn no_batch_is_polled_past_the_deadline_even_mid_round() {
        let mut e = engine(&["a", "b", "c", "d", "e"], eager(Duration::from_secs(10)));
        assert_eq!(e.next(), Step::Poll(vec![0, 1]));
        e.clock(Duration::from_secs(11));
        assert_eq!(
            e.next(),
            Step::TimedOut {
                waited: Duration::from_secs(11),
                pending: vec![0, 1, 2, 3, 4]
            }
        );
    }

    #[test]
    fn a_virtual_sleep_still_moves_the_clock() {
        // The wall clock stands still (the sleeps return at once): the delays count.
        let mut e = engine(&["a"], fixed(4));
        assert_eq!(e.next(), Step::Sleep(Duration::from_secs(1)));
        assert_eq!(e.next(), Step::Poll(vec![0]));
        assert_eq!(e.observe(0, "CREATING", true), Ok(()));
        assert_eq!(e.next(), Step::Sleep(Duration::from_secs(2)));
        assert_eq!(e.elapsed(), Duration::from_secs(3));
    }

    #[test]
    fn absence_on_an_incomplete_read_is_unknown_not_gone() {
        // A destroy waiter reads 1 of 3 records (the read did not add up).
        let (r, batches, _) = run_reads(
            &GONE,
            vec!["a".into(), "b".into(), "c".into()],
            fixed(10),
            |_| Polled {
                records: vec![Rec("a", "DESTROYING")],
                complete: false,
            },
        );
        let Err(WaiterError::TimedOut { pending, .. }) = r else {
            panic!("expected a timeout, got {r:?}")
        };
        assert_eq!(pending, ["a", "b", "c"], "b and c were never seen gone");
        assert!(batches.iter().all(|b| b.len() == 3));

        // A create waiter does not count an incomplete read as "not found".
        let (r, _, _) = run_reads(&AVAILABLE, vec!["a".into()], fixed(10), |_| Polled {
            records: vec![],
            complete: false,
        });
        assert!(matches!(r, Err(WaiterError::TimedOut { .. })), "{r:?}");

        // The same records in a complete read: b and c are gone.
        let (r, _, _) = run_reads(
            &GONE,
            vec!["a".into(), "b".into(), "c".into()],
            fixed(10),
            |n| Polled {
                records: if n == 0 {
                    vec![Rec("a", "DESTROYING")]
                } else {
                    vec![]
                },
                complete: true,
            },
        );
        assert_eq!(r.unwrap().len(), 3);
    }

    /// A record with a bandwidth, as after a modification.
    #[derive(Debug, Clone, PartialEq)]
    struct Sized(&'static str, &'static str, u32);

    impl Record for Sized {
        fn id(&self) -> Option<&str> {
            Some(self.0)
        }
        fn status(&self) -> Option<&str> {
            Some(self.1)
        }
    }

    /// Polls that read `script[n]`, the last one repeating.
    fn sized(script: Vec<Sized>) -> impl FnMut(usize) -> Polled<Sized> + Send + 'static {
        move |n| Polled {
            records: vec![script[n.min(script.len() - 1)].clone()],
            complete: true,
        }
    }

    #[test]
    fn a_goal_keeps_a_success_state_with_the_old_value_pending() {
        // RUNNING at 100 Mbps twice (the state before the change), then 200.
        let script = vec![
            Sized("a", "RUNNING", 100),
            Sized("a", "RUNNING", 100),
            Sized("a", "RUNNING", 200),
        ];
        let (r, batches, _) = run_wait(
            &AVAILABLE,
            vec!["a".into()],
            fixed(60),
            sized(script),
            |w| w.until(|r: &Sized| r.2 == 200),
        );
        assert_eq!(
            r.unwrap(),
            vec![Finished {
                id: "a".into(),
                record: Some(Sized("a", "RUNNING", 200))
            }]
        );
        assert_eq!(batches.len(), 3);

        // Never reached: a timeout with the last (old) record, not success.
        let script = vec![Sized("a", "RUNNING", 100)];
        let (r, _, _) = run_wait(
            &AVAILABLE,
            vec!["a".into()],
            fixed(10),
            sized(script),
            |w| w.until(|r: &Sized| r.2 == 200),
        );
        let Err(WaiterError::TimedOut { last_seen, .. }) = r else {
            panic!("expected a timeout, got {r:?}")
        };
        assert_eq!(last_seen, vec![Sized("a", "RUNNING", 100)]);
    }

    static SETTLING: WaiterSpec = WaiterSpec {
        settle: Some(Duration::from_secs(6)),
        ..AVAILABLE
    };

    #[test]
    fn a_success_state_counts_after_an_in_progress_one_or_the_settle_time() {
        // Polls at 1, 3 and 7 s (fixed: 1 s, then 2 s doubling up to 5 s).
        let script = vec![vec![Rec("a", "RUNNING")]; 5];
        let (r, batches, sleeps) = run(&SETTLING, &["a"], script, fixed(60));
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(batches.len(), 3, "RUNNING at 1 s and 3 s is the old state");
        assert_eq!(sleeps.iter().sum::<Duration>(), Duration::from_secs(7));

        // Once the change was seen in progress, success counts at once.
        let script = vec![vec![Rec("a", "CREATING")], vec![Rec("a", "RUNNING")]];
        let (r, batches, _) = run(&SETTLING, &["a"], script, fixed(60));
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(batches.len(), 2);
    }

    thread_local! {
        static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// An id that counts how often it is hashed or compared.
    #[derive(Debug)]
    struct Counted(usize);
    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            COMPARISONS.with(|c| c.set(c.get() + 1));
            self.0 == other.0
        }
    }
    impl Eq for Counted {}
    impl Hash for Counted {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            COMPARISONS.with(|c| c.set(c.get() + 1));
            self.0.hash(state);
        }
    }

    #[test]
    fn deduplication_is_linear_in_the_number_of_ids() {
        let n = 20_000;
        let ids: Vec<Counted> = (0..n).map(|i| Counted(i % (n / 2))).collect();
        COMPARISONS.with(|c| c.set(0));
        let unique = dedup(ids);
        let ops = COMPARISONS.with(|c| c.get());
        assert_eq!(unique.len(), n / 2);
        assert!(
            unique.iter().enumerate().all(|(i, id)| id.0 == i),
            "first occurrences, in order"
        );
        // Quadratic de-duplication needs about n²/8 = 50,000,000 comparisons here.
        assert!(ops <= 4 * n, "{ops} hashes and comparisons for {n} ids");
    }

    #[test]
    fn a_wait_for_100_000_ids_builds_and_runs_quickly() {
        let ids: Vec<String> = (0..100_000).map(|i| format!("id-{}", i % 90_000)).collect();
        let started = Instant::now();
        let (r, batches, _) = run_reads(&GONE, ids, fixed(60), |_| Polled {
            records: vec![],
            complete: true,
        });
        assert_eq!(r.unwrap().len(), 90_000);
        assert_eq!(batches.len(), 900);
        // Linear work takes milliseconds; the quadratic version took 23 s in release.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}
