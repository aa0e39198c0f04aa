//! The listener and the path of one request through the emulator, and the
//! in-process handle tests hold ([`Emulator`]).
//!
//! One listener serves both protocols, told apart by path: Zenlayer under
//! [`zenlayer::PATH`], Alibaba RPC at `/`. Bodies are read up to
//! [`MAX_BODY_BYTES`]; the state lives behind one mutex that is never held
//! across an `await`, so a slow or faulted call never blocks the others.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use truebind_codegen::ir::{Action, Service};

use crate::auth::{self, Expected, Nonces, Signed};
use crate::faults::{Fault, FaultKind, Faults, Quirk, Quirks};
use crate::inspect::{self, Call, Calls};
use crate::signature::decode_query;
use crate::state::{Failure, Seed, SeedError, World};
use crate::validate::{self, Problem};
use crate::{Config, StartError, Vendor, alibaba, load_services, zenlayer};

/// Largest request body read; a larger one is refused unread.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Connections served at once; one more is closed as soon as it is accepted.
pub const MAX_CONNECTIONS: usize = 256;

/// One answer: status, JSON body, and the error code it carries.
#[derive(Debug)]
pub(crate) struct Answer {
    status: u16,
    body: Value,
    code: Option<String>,
}

impl Answer {
    pub(crate) fn new(status: u16, body: Value, code: Option<&str>) -> Answer {
        Answer {
            status,
            body,
            code: code.map(str::to_string),
        }
    }
}

/// Everything the handlers share.
struct State {
    services: Vec<Service>,
    expected: Expected,
    world: World,
    faults: Faults,
    quirks: Quirks,
    calls: Calls,
    nonces: Nonces,
    answered: u64,
}

/// A running emulator; dropping it stops it.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

/// A closed connection instead of an answer (the close fault).
#[derive(Debug, thiserror::Error)]
#[error("connection closed on purpose")]
struct Hangup;

impl Emulator {
    /// Loads the spec and starts listening; see [`Config`].
    pub async fn start(config: Config) -> Result<Emulator, StartError> {
        let services = load_services(&config.spec)?;
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let world = World::new(&services, config.settle).map_err(StartError::Spec)?;
        let state = Arc::new(Mutex::new(State {
            world,
            services,
            expected: config.credentials(),
            faults: Faults::default(),
            quirks: Quirks::default(),
            calls: Calls::default(),
            nonces: Nonces::default(),
            answered: 0,
        }));
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(listener, Arc::clone(&state), stopped));
        Ok(Emulator {
            addr,
            state,
            stop: Some(stop),
            task,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint for a Zenlayer client: `http://ADDR/api/v2/sdn`.
    pub fn zenlayer_endpoint(&self) -> String {
        format!("http://{}{}", self.addr, zenlayer::PATH)
    }

    /// The endpoint for an Alibaba client: `http://ADDR/`.
    pub fn alibaba_endpoint(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Puts a resource in place.
    pub fn seed(&self, seed: Seed) -> Result<(), SeedError> {
        self.lock().world.seed(seed)
    }

    /// Arms a fault for the next matching calls.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.inject(fault);
    }

    /// Switches a misbehaviour on for the rest of the run (switching the
    /// same kind on again replaces its value).
    pub fn quirk(&self, quirk: Quirk) {
        self.lock().quirks.switch_on(quirk);
    }

    /// Scripts what happens next: the resource the next successful call of
    /// `action` creates or changes then shows `states` at its following
    /// reads, as a [`Seed::history`] does (`None`: not listed; the last
    /// repeats), instead of the spec's lifecycle. Scripts for the same action
    /// apply in the order given, one per call.
    pub fn script_after(&self, action: &str, states: &[Option<&str>]) {
        self.lock().world.script_after(action, states);
    }

    /// Moves the virtual clock on (for [`crate::Settle::After`]).
    pub fn advance(&self, by: Duration) {
        self.lock().world.advance(by);
    }

    /// The calls received so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.kept.clone()
    }

    /// The calls of `action` received so far, in order.
    pub fn calls_of(&self, action: &str) -> Vec<Call> {
        self.lock()
            .calls
            .kept
            .iter()
            .filter(|c| c.action == action)
            .cloned()
            .collect()
    }

    /// Stops listening and closes every connection.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    listener: TcpListener,
    state: Arc<Mutex<State>>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stopped => break,
        };
        while connections.try_join_next().is_some() {}
        let Ok((stream, _)) = accepted else { continue };
        if connections.len() >= MAX_CONNECTIONS {
            drop(stream);
            continue;
        }
        let state = Arc::clone(&state);
        connections.spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&state), req));
            // An error here is a client hanging up, or the close fault.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
    connections.shutdown().await;
}

/// A request as read off the wire.
struct Received {
    method: String,
    path: String,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        crate::first(&self.headers, name)
    }
    fn param(&self, name: &str) -> Option<&str> {
        crate::first(&self.params, name)
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Hangup> {
    let (parts, body) = request.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let vendor = if parts.uri.path() == zenlayer::PATH {
        Vendor::Zenlayer
    } else {
        Vendor::Alibaba
    };
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            // The rest of the body is never read, so the connection cannot be reused.
            let mut response = respond(too_large(vendor));
            response.headers_mut().insert(
                hyper::header::CONNECTION,
                hyper::header::HeaderValue::from_static("close"),
            );
            return Ok(response);
        }
    };
    let mut params = decode_query(parts.uri.query().unwrap_or(""));
    let form = headers
        .iter()
        .any(|(n, v)| n == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    if vendor == Vendor::Alibaba && form {
        params.extend(decode_query(&String::from_utf8_lossy(&body)));
    }
    let received = Received {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        params,
        headers,
        body,
    };
    let (step, slow) = {
        let mut state = lock(&state);
        (state.begin(vendor, &received), state.quirks.slow())
    };
    if let Some(delay) = slow {
        tokio::time::sleep(delay).await;
    }
    let answer = match step {
        Step::Done(answer) => answer,
        Step::Fault(FaultKind::CloseConnection, call) => {
            lock(&state).calls.record(call);
            return Err(Hangup);
        }
        Step::Fault(FaultKind::Delay(delay), call) => {
            tokio::time::sleep(delay).await;
            lock(&state).finish_call(vendor, &received, call)
        }
        Step::Fault(kind, call) => lock(&state).faulted(vendor, kind, call),
    };
    Ok(respond(answer))
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn respond(answer: Answer) -> Response<Full<Bytes>> {
    Response::builder()
        .status(answer.status)
        .header("content-type", "application/json;charset=utf-8")
        .body(Full::new(Bytes::from(answer.body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn too_large(vendor: Vendor) -> Answer {
    let message = format!("the request body is larger than {MAX_BODY_BYTES} bytes");
    match vendor {
        Vendor::Zenlayer => zenlayer::error(
            413,
            zenlayer::problem_code(validate::Kind::TooLong),
            &message,
            &zenlayer::request_id(0),
        ),
        Vendor::Alibaba => alibaba::error(
            413,
            alibaba::problem_code(validate::Kind::TooLong),
            &message,
            &alibaba::request_id(0),
        ),
    }
}

/// Where a request stands after authentication.
enum Step {
    /// Answered already (refused, or the path is not an API).
    Done(Answer),
    /// A fault applies; the call to record with it.
    Fault(FaultKind, Call),
}

impl State {
    fn request_id(&mut self, vendor: Vendor) -> String {
        self.answered += 1;
        match vendor {
            Vendor::Zenlayer => zenlayer::request_id(self.answered),
            Vendor::Alibaba => alibaba::request_id(self.answered),
        }
    }

    fn error(&mut self, vendor: Vendor, status: u16, code: &str, message: &str) -> Answer {
        let id = self.request_id(vendor);
        match vendor {
            Vendor::Zenlayer => zenlayer::error(status, code, message, &id),
            Vendor::Alibaba => alibaba::error(status, code, message, &id),
        }
    }

    fn invalid(&mut self, vendor: Vendor, problem: &Problem) -> Answer {
        let code = match vendor {
            Vendor::Zenlayer => zenlayer::problem_code(problem.kind),
            Vendor::Alibaba => alibaba::problem_code(problem.kind),
        };
        let status = if problem.kind == validate::Kind::Internal {
            500
        } else {
            400
        };
        self.error(vendor, status, code, &problem.message())
    }

    fn action_name(vendor: Vendor, received: &Received) -> Option<String> {
        match vendor {
            Vendor::Zenlayer => received.header("x-zc-action"),
            Vendor::Alibaba => received
                .header("x-acs-action")
                .or_else(|| received.param("Action")),
        }
        .map(str::to_string)
    }

    /// Authenticates, records, and finds a fault to apply, if any.
    fn begin(&mut self, vendor: Vendor, received: &Received) -> Step {
        if vendor == Vendor::Alibaba && received.path != "/" {
            return Step::Done(self.error(
                vendor,
                404,
                alibaba::UNKNOWN_ACTION,
                "the path is neither / nor the Zenlayer SDN path",
            ));
        }
        let Some(action) = Self::action_name(vendor, received) else {
            let missing = Problem::new(
                validate::Kind::Missing,
                "Action",
                "the request names no action",
            );
            let answer = self.invalid(vendor, &missing);
            return Step::Done(answer);
        };
        let signed = Signed {
            method: &received.method,
            path: &received.path,
            params: &received.params,
            headers: &received.headers,
            body: &received.body,
        };
        let verdict = match vendor {
            Vendor::Zenlayer => auth::zenlayer(&self.expected, &signed, SystemTime::now()),
            Vendor::Alibaba => {
                auth::alibaba(&self.expected, &signed, SystemTime::now(), &mut self.nonces)
            }
        };
        let call = self.call(vendor, action.clone(), received);
        if let Err(refusal) = verdict {
            let answer = self.error(vendor, refusal.status, refusal.code, &refusal.message);
            self.record(call, &answer);
            return Step::Done(answer);
        }
        match self.faults.take(&action) {
            Some(kind) => Step::Fault(kind, call),
            None => Step::Done(self.finish_call(vendor, received, call)),
        }
    }

    fn record(&mut self, mut call: Call, answer: &Answer) {
        call.status = answer.status;
        call.code = answer.code.clone();
        self.calls.record(call);
    }

    /// The parameters as the call log shows them (best effort: the raw ones
    /// when they do not parse).
    fn params_for_record(
        &self,
        vendor: Vendor,
        action: &str,
        received: &Received,
    ) -> Map<String, Value> {
        match vendor {
            Vendor::Zenlayer => zenlayer::params(&received.body).unwrap_or_default(),
            Vendor::Alibaba => {
                let found = self.find(vendor, action);
                let unflattened = found.and_then(|(s, a)| {
                    alibaba::unflatten(&self.services[s], &a.input, &received.params).ok()
                });
                unflattened.unwrap_or_else(|| {
                    received
                        .params
                        .iter()
                        .map(|(k, v)| (k.clone(), json!(v)))
                        .collect()
                })
            }
        }
    }

    fn find(&self, vendor: Vendor, action: &str) -> Option<(usize, &Action)> {
        self.services
            .iter()
            .enumerate()
            .filter(|(_, s)| Vendor::of(s.protocol) == vendor)
            .find_map(|(i, s)| s.actions.iter().find(|a| a.name == action).map(|a| (i, a)))
    }

    /// The log entry of a call, before it is answered.
    fn call(&self, vendor: Vendor, action: String, received: &Received) -> Call {
        Call {
            vendor,
            params: Value::Object(self.params_for_record(vendor, &action, received)),
            action,
            headers: inspect::masked_headers(&received.headers),
            status: 0,
            code: None,
        }
    }

    fn finish_call(&mut self, vendor: Vendor, received: &Received, call: Call) -> Answer {
        let answer = self.execute(vendor, received, &call.action);
        self.record(call, &answer);
        answer
    }

    /// The answer of a throttle or 5xx fault.
    fn faulted(&mut self, vendor: Vendor, kind: FaultKind, call: Call) -> Answer {
        let answer = match (kind, vendor) {
            (FaultKind::Throttle, Vendor::Zenlayer) => {
                self.error(vendor, 429, zenlayer::THROTTLED, "request limit exceeded")
            }
            (FaultKind::Throttle, Vendor::Alibaba) => self.error(
                vendor,
                400,
                alibaba::THROTTLED,
                "Request was denied due to user flow control.",
            ),
            (FaultKind::ServerError(status), _) => {
                let code = match (vendor, status) {
                    (Vendor::Zenlayer, 500) => zenlayer::INTERNAL_ERROR,
                    (Vendor::Zenlayer, _) => zenlayer::UNAVAILABLE,
                    (Vendor::Alibaba, 500) => alibaba::INTERNAL_ERROR,
                    (Vendor::Alibaba, _) => alibaba::UNAVAILABLE,
                };
                self.error(
                    vendor,
                    status,
                    code,
                    "the service is unavailable (injected fault)",
                )
            }
            (FaultKind::Error { status, code }, _) => {
                self.error(vendor, status, &code, "the request failed (injected fault)")
            }
            (FaultKind::Delay(_) | FaultKind::CloseConnection, _) => {
                self.error(vendor, 500, "InternalError", "unexpected fault")
            }
        };
        self.record(call, &answer);
        answer
    }

    /// Finds, validates and runs the action.
    fn execute(&mut self, vendor: Vendor, received: &Received, action: &str) -> Answer {
        let Some((index, found)) = self.find(vendor, action) else {
            return match vendor {
                Vendor::Zenlayer => self.error(
                    vendor,
                    400,
                    zenlayer::UNKNOWN_ACTION,
                    &format!("the action {action} does not exist"),
                ),
                Vendor::Alibaba => self.error(
                    vendor,
                    404,
                    alibaba::UNKNOWN_ACTION,
                    &format!("Specified api {action} is not found"),
                ),
            };
        };
        let service = &self.services[index];
        let (version, request_id_field) = (
            service.api_version.clone(),
            service.request_id_field.clone(),
        );
        let sent_version = match vendor {
            Vendor::Zenlayer => received.header("x-zc-version"),
            Vendor::Alibaba => received
                .header("x-acs-version")
                .or_else(|| received.param("Version")),
        };
        if sent_version != Some(version.as_str()) {
            let message = format!("the API version must be {version}");
            return match vendor {
                Vendor::Zenlayer => self.error(
                    vendor,
                    400,
                    zenlayer::problem_code(validate::Kind::Value),
                    &message,
                ),
                Vendor::Alibaba => self.error(vendor, 400, alibaba::BAD_VERSION, &message),
            };
        }
        let params = match vendor {
            Vendor::Zenlayer => zenlayer::params(&received.body),
            Vendor::Alibaba => alibaba::unflatten(service, &found.input, &received.params),
        }
        .and_then(|p| validate::check(service, &found.input, &p, "").map(|()| p));
        let params = match params {
            Ok(p) => p,
            Err(problem) => return self.invalid(vendor, &problem),
        };
        let action = self.services[index]
            .actions
            .iter()
            .find(|a| a.name == action)
            .expect("found above");
        match self
            .world
            .run(&self.services, index, action, &params, &self.quirks)
        {
            Ok(output) => {
                let id = self.request_id(vendor);
                match vendor {
                    Vendor::Zenlayer => zenlayer::ok(&id, output),
                    Vendor::Alibaba => alibaba::ok(&request_id_field, &id, output),
                }
            }
            Err(Failure::Invalid(problem)) => self.invalid(vendor, &problem),
            Err(Failure::Refused {
                status,
                code,
                message,
            }) => self.error(vendor, status, &code, &message),
        }
    }
}
