//! Rule-answered clients for unit tests, without a server (feature `test-util`).
//!
//! A user's code takes a generated `Client`; to test it without a cloud
//! account or a local server, build the client from a [`Mock`] whose
//! [`Rule`]s answer each action. Only the socket is replaced: the call still
//! validates its input, fills the idempotency token, signs, runs the hooks,
//! classifies the answer (a rule's answer is written as the vendor's
//! envelope, so a throttling code is throttling) and retries under the
//! client's policy; waiters and paginators run on top unchanged. Sleeps are
//! virtual (they return at once and are added up in [`Mock::slept`]), so a
//! retry or waiter test takes no time.
//!
//! A rule is for one action (the input type names it), optionally only for
//! inputs a predicate accepts, and answers with a sequence of steps: an
//! output, the output's JSON (decoded as a real answer would be), a
//! documented error, throttling, a transport failure or a timeout. Each step
//! answers once unless [`Rule::times`] or [`Rule::repeatedly`] says
//! otherwise; a rule whose steps are used up is exhausted. A call no rule
//! answers fails with a transport error naming the action, never retried.
//! Every call is recorded with its wire parameters ([`Mock::calls`]).

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::json;

use crate::action::{Action, ActionError, ErrorKind, ErrorMeta};
use crate::config::{Config, Credentials, Sleep};
use crate::error::{SdkError, ServiceError};
use crate::params::Params;
use crate::retry::Failure;
use crate::wire::{RawResponse, ServiceInfo};
use crate::{Client, Json};

/// The request id every mocked answer carries, unless a rule's error sets its own.
pub const MOCK_REQUEST_ID: &str = "mock-request-id";

/// How a [`Mock`] picks the rule for a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleMode {
    /// The first rule that is not exhausted and matches the call (action and predicate).
    #[default]
    MatchAny,
    /// Rules answer in the order they were added: the first one not
    /// exhausted must match the call, or the call fails naming both actions.
    Sequential,
}

/// One answer of a rule.
#[derive(Clone)]
enum Reply {
    Output(Arc<dyn Fn() -> Box<dyn Any + Send> + Send + Sync>),
    Json(Json),
    Error(ServiceError),
    Throttled,
    Transport,
    Timeout,
}

/// A reply and how many more times it answers (`None`: always).
struct Step {
    reply: Reply,
    left: Option<usize>,
}

/// Answers for one action: build with [`rule`], add with [`Mock::with_rule`].
pub struct Rule<O: Action> {
    matcher: Option<Matcher>,
    steps: Vec<Step>,
    action: PhantomData<fn(&O)>,
}

/// A predicate on an input, its type erased (a rule checks the type first).
type Matcher = Arc<dyn Fn(&dyn Any) -> bool + Send + Sync>;

/// A rule for the action whose input type is `O`, answering nothing yet.
pub fn rule<O: Action>() -> Rule<O> {
    Rule {
        matcher: None,
        steps: Vec::new(),
        action: PhantomData,
    }
}

impl<O: Action> Rule<O> {
    /// Only calls whose input `matches` accepts (checked once per call, on the input as the
    /// caller gave it: an idempotency token the client fills in is in [`Call::params`]).
    pub fn matching(mut self, matches: impl Fn(&O) -> bool + Send + Sync + 'static) -> Self {
        let erased = move |input: &dyn Any| input.downcast_ref::<O>().is_some_and(&matches);
        self.matcher = Some(Arc::new(erased));
        self
    }

    /// Then answer with the output `make` builds (e.g. from `XOutput::for_test()`).
    pub fn then_output(self, make: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        let make = move || Box::new(make()) as Box<dyn Any + Send>;
        self.then(Reply::Output(Arc::new(make)))
    }

    /// Then answer with this output JSON, decoded as a real answer (coercions, warnings).
    pub fn then_json(self, output: Json) -> Self {
        self.then(Reply::Json(output))
    }

    /// Then answer with this error (e.g. `XError::for_test(kind)`), at its HTTP status.
    pub fn then_error(self, error: O::Error) -> Self {
        self.then(Reply::Error(error.meta().clone()))
    }

    /// Then answer with the vendor's throttling error (retried by the client's policy).
    pub fn then_throttled(self) -> Self {
        self.then(Reply::Throttled)
    }

    /// Then fail as a broken connection after sending (retried only when repeating is safe).
    pub fn then_transport_error(self) -> Self {
        self.then(Reply::Transport)
    }

    /// Then fail as an attempt that timed out (retried only when repeating is safe).
    pub fn then_timeout(self) -> Self {
        self.then(Reply::Timeout)
    }

    /// The last step answers `n` times instead of once.
    pub fn times(mut self, n: usize) -> Self {
        if let Some(step) = self.steps.last_mut() {
            step.left = Some(n);
        }
        self
    }

    /// The last step answers every call from then on: the rule is never
    /// exhausted (and steps added after it never answer).
    pub fn repeatedly(mut self) -> Self {
        if let Some(step) = self.steps.last_mut() {
            step.left = None;
        }
        self
    }

    fn then(mut self, reply: Reply) -> Self {
        self.steps.push(Step {
            reply,
            left: Some(1),
        });
        self
    }
}

/// A rule with its input type erased.
struct Stored {
    action: &'static str,
    matcher: Option<Matcher>,
    steps: Vec<Step>,
}

impl Stored {
    fn exhausted(&self) -> bool {
        self.steps.iter().all(|s| s.left == Some(0))
    }

    /// The next reply, using it up.
    fn take(&mut self) -> Option<&Reply> {
        let step = self.steps.iter_mut().find(|s| s.left != Some(0))?;
        if let Some(left) = &mut step.left {
            *left -= 1;
        }
        Some(&step.reply)
    }
}

/// One recorded call: the action, its parameters as sent (after the token
/// fill) and how many attempts the mock answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Call {
    /// The action's wire name.
    pub action: &'static str,
    /// The input's wire parameters: the JSON body (Zenlayer) or the query
    /// parameters as a JSON object of strings (Alibaba RPC, dotted keys).
    pub params: Json,
    /// Attempts answered (retries included).
    pub attempts: u32,
}

#[derive(Default)]
struct State {
    rules: Vec<Stored>,
    calls: Vec<Call>,
    slept: Duration,
}

/// Rules, recorded calls and virtual time shared by the clients built from it. Cheap to clone.
#[derive(Clone, Default)]
pub struct Mock {
    mode: RuleMode,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Mock")
            .field("mode", &self.mode)
            .field("rules", &state.rules.len())
            .field("calls", &state.calls.len())
            .finish_non_exhaustive()
    }
}

impl Mock {
    /// A mock with no rules in [`RuleMode::MatchAny`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A mock with no rules whose rules answer in order ([`RuleMode::Sequential`]).
    pub fn sequential() -> Self {
        Mock {
            mode: RuleMode::Sequential,
            state: Arc::default(),
        }
    }

    /// Adds a rule (after the existing ones).
    pub fn with_rule<O: Action>(self, rule: Rule<O>) -> Self {
        self.add(rule);
        self
    }

    /// Adds a rule (after the existing ones), also while clients built from this mock are in use.
    pub fn add<O: Action>(&self, rule: Rule<O>) {
        self.lock().rules.push(Stored {
            action: O::ACTION,
            matcher: rule.matcher,
            steps: rule.steps,
        });
    }

    /// The calls made so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// How many calls of `action` were made.
    pub fn calls_of(&self, action: &str) -> usize {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.action == action)
            .count()
    }

    /// Whether every step that answers a number of times has answered them all
    /// (steps answering [`repeatedly`](Rule::repeatedly) aside).
    pub fn all_used(&self) -> bool {
        let state = self.lock();
        let used = |s: &Step| s.left.is_none_or(|left| left == 0);
        state.rules.iter().all(|r| r.steps.iter().all(used))
    }

    /// The total of the sleeps (retry backoff, waiter delays) the clients took, none of them real.
    pub fn slept(&self) -> Duration {
        self.lock().slept
    }

    /// A client of `service` answered by this mock, with test credentials and
    /// virtual sleeps; everything else is [`Config::new`]'s defaults.
    ///
    /// # Panics
    ///
    /// When the HTTP client (never used, but part of every client) cannot be
    /// built, as [`Client::new`] would report: no TLS backend.
    pub fn client(&self, service: &'static ServiceInfo) -> Client {
        let mut config = Config::new(Credentials::access_key("mock-key-id", "mock-key-secret"));
        config.sleep = Arc::new(VirtualSleep(self.clone()));
        let built = Client::new(service, config);
        let mut client =
            built.unwrap_or_else(|e| panic!("a mocked client needs an HTTP client: {e}"));
        client.mock = Some(Seam {
            mock: self.clone(),
            call: None,
        });
        client
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread leaves the state as consistent as before the panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Sleeps that return at once and add up in the mock.
struct VirtualSleep(Mock);

impl fmt::Debug for VirtualSleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VirtualSleep")
    }
}

impl Sleep for VirtualSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let mut state = self.0.lock();
        state.slept = state.slept.saturating_add(duration);
        Box::pin(std::future::ready(()))
    }
}

/// What a mocked client carries: the mock, and within a call, that call.
#[derive(Clone)]
pub(crate) struct Seam {
    mock: Mock,
    call: Option<Arc<Pending>>,
}

/// One call in flight: which rules match it and the typed output of its success.
struct Pending {
    action: &'static str,
    index: usize,
    matches: Vec<bool>,
    output: Mutex<Option<Box<dyn Any + Send>>>,
}

/// A failed attempt: the error and what it means for a retry.
pub(crate) type Failed = (SdkError<std::convert::Infallible>, Failure);

impl Seam {
    /// The same seam within a call of `input`: records the call and which rules match it.
    pub(crate) fn begin<O: Action>(
        &self,
        service: &ServiceInfo,
        input: &O,
        sent: &dyn Params,
    ) -> Seam {
        let params = service.protocol.wire().shown_params(sent);
        // Predicates run without the lock: one may look at the mock.
        let rules: Vec<_> = (self.mock.lock().rules.iter())
            .map(|r| (r.action, r.matcher.clone()))
            .collect();
        let matches = rules
            .into_iter()
            .map(|(action, m)| action == O::ACTION && m.is_none_or(|m| m(input)))
            .collect();
        let mut state = self.mock.lock();
        state.calls.push(Call {
            action: O::ACTION,
            params,
            attempts: 0,
        });
        let pending = Pending {
            action: O::ACTION,
            index: state.calls.len() - 1,
            matches,
            output: Mutex::new(None),
        };
        Seam {
            mock: self.mock.clone(),
            call: Some(Arc::new(pending)),
        }
    }

    /// The answer to one attempt, as the vendor would write it.
    pub(crate) fn answer(&self, service: &ServiceInfo) -> Result<RawResponse, Failed> {
        let Some(call) = &self.call else {
            return Err(unmatched("a call that did not begin".into()));
        };
        let reply = {
            let mut state = self.mock.lock();
            state.calls[call.index].attempts += 1;
            let index = self.pick(&state, call)?;
            state.rules[index].take().cloned()
        };
        // Answered without the lock: building an output may look at the mock.
        match reply {
            Some(Reply::Output(make)) => {
                let output = make();
                *call.output.lock().unwrap_or_else(PoisonError::into_inner) = Some(output);
                Ok(success(service, json!({})))
            }
            Some(Reply::Json(output)) => Ok(success(service, output)),
            Some(Reply::Error(e)) => Ok(error(service, &e)),
            Some(Reply::Throttled) => Ok(error(service, &throttling(service))),
            Some(Reply::Transport) => Err((
                SdkError::Transport("mocked transport failure: connection reset".into()),
                Failure::MaybeExecuted,
            )),
            Some(Reply::Timeout) => Err((SdkError::Timeout, Failure::MaybeExecuted)),
            None => Err(unmatched(format!("{} matched an empty rule", call.action))),
        }
    }

    /// The rule answering `call`'s next attempt.
    fn pick(&self, state: &State, call: &Pending) -> Result<usize, Failed> {
        let matches = |i: usize| call.matches.get(i).copied().unwrap_or(false);
        let live = |i: &usize| !state.rules[*i].exhausted();
        match self.mock.mode {
            RuleMode::MatchAny => (0..state.rules.len())
                .filter(live)
                .find(|i| matches(*i))
                .ok_or_else(|| {
                    unmatched(format!(
                        "no rule answers this call of {} (rules for it: {}, all used or not matching)",
                        call.action,
                        state.rules.iter().filter(|r| r.action == call.action).count()
                    ))
                }),
            RuleMode::Sequential => match (0..state.rules.len()).find(live) {
                Some(i) if matches(i) => Ok(i),
                Some(i) if state.rules[i].action == call.action => Err(unmatched(format!(
                    "the next rule's predicate refuses this call of {}",
                    call.action
                ))),
                Some(i) => Err(unmatched(format!(
                    "the next rule is for {}, but the call is of {}",
                    state.rules[i].action, call.action
                ))),
                None => Err(unmatched(format!(
                    "every rule is used up; no answer for {}",
                    call.action
                ))),
            },
        }
    }

    /// The typed output of the call's successful attempt, if a rule gave one.
    pub(crate) fn output<T: 'static>(&self) -> Option<T> {
        let call = self.call.as_ref()?;
        let output = call
            .output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        output.downcast::<T>().ok().map(|b| *b)
    }
}

fn unmatched(reason: String) -> Failed {
    (
        SdkError::Transport(format!("mock: {reason}").into()),
        Failure::Final,
    )
}

/// A success envelope around `output`.
fn success(service: &ServiceInfo, output: Json) -> RawResponse {
    let body = (service.protocol.wire()).success_body(service, output, MOCK_REQUEST_ID);
    RawResponse::json(200, body.to_string())
}

/// An error envelope for `e`, at its status.
fn error(service: &ServiceInfo, e: &ServiceError) -> RawResponse {
    let body = service.protocol.wire().error_body(service, e);
    RawResponse::json(e.status, body.to_string())
}

/// The vendor's throttling answer.
fn throttling(service: &ServiceInfo) -> ServiceError {
    let (code, status) = service.protocol.wire().throttling();
    ServiceError {
        code: code.into(),
        message: "mocked throttling".into(),
        status,
        request_id: Some(MOCK_REQUEST_ID.into()),
    }
}

impl<K: ErrorKind> ActionError<K> {
    /// An error of `kind` as a test builds it: its documented code (an
    /// undocumented kind's name otherwise), HTTP 400, a short message and
    /// [`MOCK_REQUEST_ID`]. For another status or message, convert a
    /// [`ServiceError`] with `From`.
    pub fn for_test(kind: K) -> Self {
        let code = crate::action::documented::<K>()
            .find(|d| d.kind == kind)
            .map_or_else(|| format!("{kind:?}"), |d| d.code.to_string());
        ActionError::from(ServiceError {
            message: format!("mocked {code}"),
            code,
            status: 400,
            request_id: Some(MOCK_REQUEST_ID.into()),
        })
    }
}
