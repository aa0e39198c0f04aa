//! A local stand-in for the Zenlayer and Alibaba APIs, shared by the `e2e_*`
//! tests.
//!
//! The generated clients are only worth something if a real gateway accepts
//! their requests and they understand the real answers. [`TestServer`] is
//! the closest thing that runs offline: a real HTTP/1.1 server on
//! `127.0.0.1` (port 0, so tests run in parallel) that, for every request,
//!
//! 1. checks it against the published API facts (method, path, action and
//!    version headers, content type, documented required parameters, no
//!    reused nonce, a current timestamp) and records every breach as a
//!    *violation*, which fails the test when the server is dropped;
//! 2. verifies its signature with this crate's own implementation of the
//!    vendor algorithm ([`sign`]), answering the vendor's signature error
//!    when it does not verify, as the real gateway would;
//! 3. otherwise answers with the next scripted [`Reply`] (the last one
//!    repeats), optionally after a delay;
//! 4. records what it received ([`Recorded`]) so tests can count attempts and
//!    compare headers, query and body across attempts.
//!
//! [`RecordingSleep`] replaces the client's backoff sleep: it returns at once
//! and remembers each requested wait, so retry tests assert the backoff
//! without sleeping.
//!
//! Instead of a fixed script, [`TestServer::start_with`] computes each answer
//! from the request (after the same checks). Waiter and paginator tests use
//! [`sim`] instead, scripted services served by `truebind-emulator`.

#![allow(dead_code)] // each e2e file uses a different part of this module

pub mod sign;
pub mod sim;

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use truebind_runtime::{Config, Credentials};

/// Zenlayer SDN path (zenlayer-sdn.md §1).
pub const ZENLAYER_PATH: &str = "/api/v2/sdn";
/// Zenlayer SDN API version the generated crate targets.
pub const ZENLAYER_VERSION: &str = "2026-04-01";
/// Alibaba VPC API version (alibaba-vpc.md §1.2).
pub const ALIBABA_VERSION: &str = "2016-04-28";
/// SHA-256 of the empty body (alibaba-vpc.md §2.2).
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Zenlayer SDN actions the server accepts, with the body keys each requires.
const ZENLAYER_ACTIONS: &[(&str, &[&str])] = &[
    ("CreatePrivateConnect", &["endpointA"]),
    ("DescribeCloudRouterAvailablePorts", &[]),
    ("DeletePrivateConnect", &["privateConnectId"]),
    ("DestroyPort", &["portId"]),
    ("DestroyPrivateConnect", &["privateConnectId"]),
    ("DescribePorts", &[]),
    ("DescribePrivateConnects", &[]),
    (
        "ModifyPrivateConnectBandwidth",
        &["privateConnectId", "bandwidthMbps"],
    ),
];

/// Alibaba VPC actions the server accepts, with their required query
/// parameters (alibaba-vpc.md §6.2).
const ALIBABA_ACTIONS: &[(&str, &[&str])] = &[
    (
        "DeletePhysicalConnection",
        &["RegionId", "PhysicalConnectionId"],
    ),
    ("DescribePhysicalConnections", &["RegionId"]),
];

/// Zenlayer's reference does not document the code its gateway answers for a
/// bad signature; the server uses this one, which no action documents, so it
/// must reach callers as an `Unhandled` error.
pub const ZENLAYER_SIGNATURE_ERROR: &str = "INVALID_SIGNATURE";
/// Alibaba's gateway code for a signature mismatch (alibaba-vpc.md §3.3).
pub const ALIBABA_SIGNATURE_ERROR: &str = "SignatureDoesNotMatch";

/// Largest accepted clock difference (Alibaba allows 15 minutes, §3.3).
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// Who the server expects and how it checks authentication.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Zenlayer, ZC2-HMAC-SHA256 with this key pair.
    ZenlayerAccessKey {
        /// AccessKeyId.
        id: String,
        /// AccessKeyPassword.
        secret: String,
    },
    /// Zenlayer, `Authorization: Bearer <token>`.
    ZenlayerBearer {
        /// The personal access token.
        token: String,
    },
    /// Alibaba, ACS3-HMAC-SHA256 with this key pair.
    AlibabaAcs3 {
        /// AccessKeyId.
        id: String,
        /// AccessKeySecret.
        secret: String,
    },
    /// Alibaba, legacy HMAC-SHA1 RPC signature with this key pair.
    AlibabaRpcV1 {
        /// AccessKeyId.
        id: String,
        /// AccessKeySecret.
        secret: String,
    },
}

impl Auth {
    /// ZC2 with the given pair.
    pub fn zenlayer(id: &str, secret: &str) -> Self {
        Auth::ZenlayerAccessKey {
            id: id.into(),
            secret: secret.into(),
        }
    }

    /// ACS3 with the given pair.
    pub fn acs3(id: &str, secret: &str) -> Self {
        Auth::AlibabaAcs3 {
            id: id.into(),
            secret: secret.into(),
        }
    }

    /// HMAC-SHA1 RPC with the given pair.
    pub fn rpc_v1(id: &str, secret: &str) -> Self {
        Auth::AlibabaRpcV1 {
            id: id.into(),
            secret: secret.into(),
        }
    }

    fn is_zenlayer(&self) -> bool {
        matches!(
            self,
            Auth::ZenlayerAccessKey { .. } | Auth::ZenlayerBearer { .. }
        )
    }
}

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes, sent as given.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
}

impl Reply {
    /// A JSON answer (`Content-Type: application/json`).
    pub fn json(status: u16, body: Value) -> Self {
        Reply::raw(status, Some("application/json"), body.to_string())
    }

    /// Any bytes, with the given content type (or none).
    pub fn raw(status: u16, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: content_type
                .map(|ct| vec![("content-type".to_string(), ct.to_string())])
                .unwrap_or_default(),
            body: body.into(),
            delay: None,
        }
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// Zenlayer's documented answers (zenlayer-sdn.md §3.1).
pub mod zenlayer {
    use super::Reply;
    use serde_json::{Value, json};

    /// The success envelope: the output `fields` and the request id inside
    /// `response`, the request id beside it too.
    pub fn ok(request_id: &str, fields: Value) -> Reply {
        let mut response = fields;
        response["requestId"] = json!(request_id);
        Reply::json(200, json!({"requestId": request_id, "response": response}))
    }

    /// The failure envelope.
    pub fn error(status: u16, code: &str, message: &str, request_id: &str) -> Reply {
        Reply::json(
            status,
            json!({"requestId": request_id, "code": code, "message": message}),
        )
    }
}

/// Alibaba's documented answers (alibaba-vpc.md §3.1).
pub mod alibaba {
    use super::Reply;
    use serde_json::json;

    /// A success body without output fields: only the request id, at the top level.
    pub fn ok(request_id: &str) -> Reply {
        Reply::json(200, json!({"RequestId": request_id}))
    }

    /// The error body.
    pub fn error(status: u16, code: &str, message: &str, request_id: &str) -> Reply {
        Reply::json(
            status,
            json!({"RequestId": request_id, "HostId": "127.0.0.1", "Code": code, "Message": message}),
        )
    }
}

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// URL path.
    pub path: String,
    /// Query string exactly as received (still encoded).
    pub raw_query: String,
    /// Decoded query parameters, in received order.
    pub query: Vec<(String, String)>,
    /// Headers in received order; names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// The server's verdict on the authentication: `Err` says why it failed.
    pub auth: Result<(), String>,
}

impl Recorded {
    /// First value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Decoded value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The action, from whichever place the protocol puts it.
    pub fn action(&self) -> Option<&str> {
        self.header("x-zc-action")
            .or_else(|| self.header("x-acs-action"))
            .or_else(|| self.param("Action"))
    }
}

/// A vendor-style refusal of a request's authentication.
struct AuthFailure {
    status: u16,
    code: &'static str,
    message: String,
}

impl AuthFailure {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        AuthFailure {
            status,
            code,
            message: message.into(),
        }
    }
}

/// Computes the answer to a request that passed the server's checks (see
/// [`TestServer::start_with`]).
pub type Responder = Box<dyn FnMut(&Recorded) -> Reply + Send>;

struct State {
    auth: Auth,
    script: Vec<Reply>,
    responder: Option<Responder>,
    served: usize,
    requests: Vec<Recorded>,
    violations: Vec<String>,
    nonces: HashSet<String>,
}

/// The local API server; see the module docs. Dropping it stops it and
/// fails the test if any request broke the published API facts.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on `127.0.0.1:<free port>` expecting `auth` and
    /// answering with `script` (the last reply repeats).
    pub async fn start(auth: Auth, script: Vec<Reply>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one reply");
        Self::launch(auth, script, None).await
    }

    /// Starts a server on `127.0.0.1:<free port>` expecting `auth` that
    /// answers every request passing its checks with `responder(request)`.
    /// Requests that break the API facts or fail authentication are still
    /// answered (and recorded) by the server itself.
    pub async fn start_with(
        auth: Auth,
        responder: impl FnMut(&Recorded) -> Reply + Send + 'static,
    ) -> Self {
        Self::launch(auth, Vec::new(), Some(Box::new(responder))).await
    }

    async fn launch(auth: Auth, script: Vec<Reply>, responder: Option<Responder>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            auth,
            script,
            responder,
            served: 0,
            requests: Vec::new(),
            violations: Vec::new(),
            nonces: HashSet::new(),
        }));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(Arc::clone(&state), req));
                    // Errors here are the client hanging up (e.g. after its timeout).
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        TestServer { addr, state, task }
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The URL to configure the client with: the Zenlayer SDN path or the
    /// Alibaba RPC root.
    pub fn endpoint(&self) -> String {
        let state = self.state.lock().unwrap();
        if state.auth.is_zenlayer() {
            format!("http://127.0.0.1:{}{ZENLAYER_PATH}", self.port())
        } else {
            format!("http://127.0.0.1:{}/", self.port())
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Breaches of the published API facts seen so far.
    pub fn violations(&self) -> Vec<String> {
        self.state.lock().unwrap().violations.clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
        if std::thread::panicking() {
            return;
        }
        let violations = self.violations();
        assert!(
            violations.is_empty(),
            "the client broke the published API facts:\n{}",
            violations.join("\n")
        );
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let mut recorded = Recorded {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: sign::decode_query(&raw_query),
        raw_query,
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
        auth: Ok(()),
    };
    let reply = state.lock().unwrap().answer(&mut recorded);
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name.as_str(), value.as_str());
    }
    Ok(response
        .body(Full::new(Bytes::from(reply.body)))
        .expect("valid scripted response"))
}

impl State {
    fn answer(&mut self, recorded: &mut Recorded) -> Reply {
        let index = self.requests.len();
        let request_id = format!(
            "T{:08X}-5E57-4000-8000-00000000{index:04X}",
            std::process::id()
        );
        let problems = match &self.auth {
            Auth::ZenlayerAccessKey { .. } | Auth::ZenlayerBearer { .. } => {
                zenlayer_problems(&self.auth, recorded)
            }
            Auth::AlibabaAcs3 { .. } => acs3_problems(recorded),
            Auth::AlibabaRpcV1 { .. } => rpc_v1_problems(recorded),
        };
        let verdict = self.verify(recorded);
        recorded.auth = verdict.as_ref().map(|_| ()).map_err(|f| f.message.clone());
        self.requests.push(recorded.clone());
        let zenlayer = self.auth.is_zenlayer();
        if !problems.is_empty() {
            self.violations.extend(
                problems
                    .iter()
                    .map(|p| format!("request {index} ({:?}): {p}", recorded.action())),
            );
            let message = problems.join("; ");
            return error_reply(
                zenlayer,
                400,
                "TEST_SERVER_SPEC_VIOLATION",
                &message,
                &request_id,
            );
        }
        if let Err(failure) = verdict {
            return error_reply(
                zenlayer,
                failure.status,
                failure.code,
                &failure.message,
                &request_id,
            );
        }
        self.served += 1;
        if let Some(responder) = self.responder.as_mut() {
            return responder(recorded);
        }
        self.script[(self.served - 1).min(self.script.len() - 1)].clone()
    }

    fn verify(&mut self, r: &Recorded) -> Result<(), AuthFailure> {
        match self.auth.clone() {
            Auth::ZenlayerAccessKey { id, secret } => verify_zc2(r, &id, &secret),
            Auth::ZenlayerBearer { token } => {
                let expected = format!("Bearer {token}");
                match r.header("authorization") {
                    Some(got) if got == expected => Ok(()),
                    got => Err(AuthFailure::new(
                        401,
                        ZENLAYER_SIGNATURE_ERROR,
                        format!("Authorization {got:?}, expected a bearer token"),
                    )),
                }
            }
            Auth::AlibabaAcs3 { id, secret } => {
                let nonce = r.header("x-acs-signature-nonce").unwrap_or("").to_string();
                verify_acs3(r, &id, &secret)?;
                self.fresh_nonce(nonce)
            }
            Auth::AlibabaRpcV1 { id, secret } => {
                let nonce = r.param("SignatureNonce").unwrap_or("").to_string();
                verify_rpc_v1(r, &id, &secret)?;
                self.fresh_nonce(nonce)
            }
        }
    }

    /// Alibaba rejects a nonce it has seen (alibaba-vpc.md §3.3, §4.2).
    fn fresh_nonce(&mut self, nonce: String) -> Result<(), AuthFailure> {
        if self.nonces.insert(nonce.clone()) {
            Ok(())
        } else {
            self.violations
                .push(format!("signature nonce {nonce:?} was reused"));
            Err(AuthFailure::new(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ))
        }
    }
}

/// The vendor's error answer.
fn error_reply(zenlayer: bool, status: u16, code: &str, message: &str, request_id: &str) -> Reply {
    if zenlayer {
        zenlayer::error(status, code, message, request_id)
    } else {
        alibaba::error(status, code, message, request_id)
    }
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Checks an Alibaba `YYYY-MM-DDThh:mm:ssZ` timestamp: exact format, and
/// within [`MAX_SKEW`] of now.
fn check_alibaba_time(name: &str, value: Option<&str>, problems: &mut Vec<String>) {
    let Some(value) = value else {
        problems.push(format!("{name} is missing"));
        return;
    };
    let shape_ok = value.len() == 20
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            19 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        problems.push(format!("{name} {value:?} is not YYYY-MM-DDThh:mm:ssZ"));
        return;
    }
    match humantime::parse_rfc3339(value) {
        Ok(time) => {
            let skew = match time.duration_since(SystemTime::now()) {
                Ok(ahead) => ahead,
                Err(behind) => behind.duration(),
            };
            if skew > MAX_SKEW {
                problems.push(format!("{name} {value:?} is {skew:?} away from now"));
            }
        }
        Err(e) => problems.push(format!("{name} {value:?}: {e}")),
    }
}

fn zenlayer_problems(auth: &Auth, r: &Recorded) -> Vec<String> {
    let mut problems = Vec::new();
    if r.method != "POST" {
        problems.push(format!("method {} (Zenlayer is POST only)", r.method));
    }
    if r.path != ZENLAYER_PATH {
        problems.push(format!("path {:?}, expected {ZENLAYER_PATH:?}", r.path));
    }
    if !r.raw_query.is_empty() {
        problems.push(format!("unexpected query {:?}", r.raw_query));
    }
    match r.header("content-type") {
        Some(ct) if ct.starts_with("application/json") => {}
        other => problems.push(format!("Content-Type {other:?}, expected application/json")),
    }
    if r.header("x-zc-version") != Some(ZENLAYER_VERSION) {
        problems.push(format!(
            "X-ZC-Version {:?}, expected {ZENLAYER_VERSION}",
            r.header("x-zc-version")
        ));
    }
    let action = r.header("x-zc-action");
    match ZENLAYER_ACTIONS.iter().find(|(a, _)| Some(*a) == action) {
        None => problems.push(format!("X-ZC-Action {action:?} is not an SDN action")),
        Some((_, required)) => match serde_json::from_slice::<Value>(&r.body) {
            Ok(Value::Object(body)) => {
                for key in *required {
                    if !body.contains_key(*key) {
                        problems.push(format!("body lacks required {key:?}"));
                    }
                }
                if body_has_null(&Value::Object(body)) {
                    problems.push("body contains null (absent fields must be omitted)".into());
                }
            }
            _ => problems.push(format!(
                "body is not a JSON object: {:?}",
                String::from_utf8_lossy(&r.body)
            )),
        },
    }
    match auth {
        Auth::ZenlayerBearer { .. } => {
            for name in ["x-zc-timestamp", "x-zc-signature-method"] {
                if r.header(name).is_some() {
                    problems.push(format!("{name} sent in bearer-token mode"));
                }
            }
        }
        _ => {
            if r.header("x-zc-signature-method") != Some("ZC2-HMAC-SHA256") {
                problems.push(format!(
                    "X-ZC-Signature-Method {:?}",
                    r.header("x-zc-signature-method")
                ));
            }
        }
    }
    problems
}

fn body_has_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(body_has_null),
        Value::Object(map) => map.values().any(body_has_null),
        _ => false,
    }
}

fn verify_zc2(r: &Recorded, id: &str, secret: &str) -> Result<(), AuthFailure> {
    let fail = |m: String| AuthFailure::new(401, ZENLAYER_SIGNATURE_ERROR, m);
    let authorization = r
        .header("authorization")
        .ok_or_else(|| fail("no Authorization header".into()))?;
    let timestamp = r
        .header("x-zc-timestamp")
        .ok_or_else(|| fail("no X-ZC-Timestamp header".into()))?;
    let seconds: u64 = timestamp
        .parse()
        .map_err(|_| fail(format!("X-ZC-Timestamp {timestamp:?} is not a number")))?;
    if now_unix().abs_diff(seconds) > MAX_SKEW.as_secs() {
        return Err(fail(format!(
            "X-ZC-Timestamp {timestamp} is not the current time in Unix seconds"
        )));
    }
    let expected = sign::zc2_authorization(
        id,
        secret,
        r.header("content-type").unwrap_or(""),
        r.header("host").unwrap_or(""),
        timestamp,
        &r.body,
    );
    if authorization == expected {
        Ok(())
    } else {
        Err(fail(format!(
            "Authorization {authorization:?} does not verify (expected {expected:?})"
        )))
    }
}

fn acs3_problems(r: &Recorded) -> Vec<String> {
    let mut problems = alibaba_common_problems(r, r.header("x-acs-action"));
    if r.header("x-acs-version") != Some(ALIBABA_VERSION) {
        problems.push(format!(
            "x-acs-version {:?}, expected {ALIBABA_VERSION}",
            r.header("x-acs-version")
        ));
    }
    check_alibaba_time("x-acs-date", r.header("x-acs-date"), &mut problems);
    if r.header("x-acs-signature-nonce").is_none_or(str::is_empty) {
        problems.push("x-acs-signature-nonce is missing".into());
    }
    if r.header("x-acs-content-sha256") != Some(sign::sha256_hex(&r.body).as_str()) {
        problems.push(format!(
            "x-acs-content-sha256 {:?} is not the body's hash",
            r.header("x-acs-content-sha256")
        ));
    }
    if r.header("accept") != Some("application/json") {
        problems.push(format!(
            "accept {:?}, expected application/json",
            r.header("accept")
        ));
    }
    for common in ["Action", "Version", "Signature", "AccessKeyId"] {
        if r.param(common).is_some() {
            problems.push(format!("RPC parameter {common} sent in ACS3 mode"));
        }
    }
    // Every x-acs-* header must be signed (alibaba-vpc.md §2.2, recommendation).
    if let Some((_, signed, _)) = r.header("authorization").and_then(parse_acs3_authorization) {
        for (name, _) in &r.headers {
            if name.starts_with("x-acs-") && !signed.contains(name) {
                problems.push(format!("{name} is sent but not signed"));
            }
        }
    }
    problems
}

fn rpc_v1_problems(r: &Recorded) -> Vec<String> {
    let mut problems = alibaba_common_problems(r, r.param("Action"));
    let expect = [
        ("Version", ALIBABA_VERSION),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ];
    for (name, value) in expect {
        if r.param(name) != Some(value) {
            problems.push(format!("{name} {:?}, expected {value:?}", r.param(name)));
        }
    }
    check_alibaba_time("Timestamp", r.param("Timestamp"), &mut problems);
    if r.param("SignatureNonce").is_none_or(str::is_empty) {
        problems.push("SignatureNonce is missing".into());
    }
    problems
}

fn alibaba_common_problems(r: &Recorded, action: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    if r.method != "POST" {
        problems.push(format!("method {}, the SDKs use POST", r.method));
    }
    if r.path != "/" {
        problems.push(format!("path {:?}, RPC actions use /", r.path));
    }
    if !r.body.is_empty() {
        problems.push("RPC parameters belong in the query; the body must be empty".into());
    }
    match ALIBABA_ACTIONS.iter().find(|(a, _)| Some(*a) == action) {
        None => problems.push(format!("action {action:?} is not a known VPC action")),
        Some((_, required)) => {
            for name in *required {
                if r.param(name).is_none_or(str::is_empty) {
                    problems.push(format!("required parameter {name} is missing"));
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for (name, _) in &r.query {
        if !seen.insert(name) {
            problems.push(format!("query parameter {name} sent twice"));
        }
    }
    problems
}

/// `(Credential, SignedHeaders, Signature)` of an ACS3 Authorization value.
fn parse_acs3_authorization(value: &str) -> Option<(String, Vec<String>, String)> {
    let rest = value.strip_prefix("ACS3-HMAC-SHA256 ")?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, val) = part.split_once('=')?;
        match key {
            "Credential" => credential = Some(val.to_string()),
            "SignedHeaders" => signed = Some(val.split(';').map(str::to_string).collect()),
            "Signature" => signature = Some(val.to_string()),
            _ => return None,
        }
    }
    Some((credential?, signed?, signature?))
}

fn verify_acs3(r: &Recorded, id: &str, secret: &str) -> Result<(), AuthFailure> {
    let mismatch = |m: String| AuthFailure::new(400, ALIBABA_SIGNATURE_ERROR, m);
    let authorization = r
        .header("authorization")
        .ok_or_else(|| AuthFailure::new(400, "MissingAuthorization", "no Authorization header"))?;
    let (credential, signed, signature) = parse_acs3_authorization(authorization)
        .ok_or_else(|| mismatch(format!("malformed Authorization {authorization:?}")))?;
    if credential != id {
        return Err(AuthFailure::new(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("Specified access key {credential:?} is not found."),
        ));
    }
    let mut sorted = signed.clone();
    sorted.sort();
    sorted.dedup();
    if sorted != signed || signed.iter().any(|h| h.to_lowercase() != *h) {
        return Err(mismatch(format!(
            "SignedHeaders {signed:?} must be lower-case, sorted and unique"
        )));
    }
    if !signed.iter().any(|h| h == "host") {
        return Err(mismatch("host is not signed".into()));
    }
    let signed_refs: Vec<&str> = signed.iter().map(String::as_str).collect();
    let payload_hash = r.header("x-acs-content-sha256").unwrap_or("");
    let (_, expected) = sign::acs3_signature(
        &r.method,
        &r.path,
        &r.query,
        &r.headers,
        &signed_refs,
        payload_hash,
        secret,
    );
    if signature == expected {
        Ok(())
    } else {
        Err(mismatch(format!(
            "The request signature does not conform to Aliyun standards. server string to sign is signature {expected}"
        )))
    }
}

fn verify_rpc_v1(r: &Recorded, id: &str, secret: &str) -> Result<(), AuthFailure> {
    let mismatch = |m: String| AuthFailure::new(400, ALIBABA_SIGNATURE_ERROR, m);
    let signature = r
        .param("Signature")
        .ok_or_else(|| AuthFailure::new(400, "MissingSignature", "Signature is mandatory"))?;
    if r.param("AccessKeyId") != Some(id) {
        return Err(AuthFailure::new(
            404,
            "InvalidAccessKeyId.NotFound",
            format!(
                "Specified access key {:?} is not found.",
                r.param("AccessKeyId")
            ),
        ));
    }
    let unsigned: Vec<(String, String)> = r
        .query
        .iter()
        .filter(|(name, _)| name != "Signature")
        .cloned()
        .collect();
    let expected = sign::rpc_v1_signature(&r.method, &unsigned, secret);
    if signature == expected {
        Ok(())
    } else {
        Err(mismatch(format!(
            "Specified signature {signature:?} is not matched with our calculation {expected:?}."
        )))
    }
}

/// A [`truebind_runtime::Sleep`] that returns at once and records each wait.
#[derive(Debug, Default)]
pub struct RecordingSleep {
    waits: Mutex<Vec<Duration>>,
}

impl RecordingSleep {
    /// A fresh recorder, ready to hand to `Config::sleep`.
    pub fn new() -> Arc<Self> {
        Arc::new(RecordingSleep::default())
    }

    /// The waits requested so far, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl truebind_runtime::Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// Whole seconds as durations, to compare with [`RecordingSleep::waits`].
pub fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().copied().map(Duration::from_secs).collect()
}

/// A configuration for a client of `server`: `credentials`, fast
/// observable retries ([`fast_retry`]`(4)`) and a fresh [`RecordingSleep`],
/// which is returned too.
fn client_config(server: &TestServer, credentials: Credentials) -> (Config, Arc<RecordingSleep>) {
    endpoint_config(server.endpoint(), credentials)
}

/// Like [`client_config`], for any `endpoint` (an emulator's, for one).
pub fn endpoint_config(
    endpoint: String,
    credentials: Credentials,
) -> (Config, Arc<RecordingSleep>) {
    let sleep = RecordingSleep::new();
    let config = Config::new(credentials)
        .endpoint(endpoint)
        .retry(fast_retry(4))
        .sleep(sleep.clone());
    (config, sleep)
}

/// A `zenlayer_sdn` client of `server` (see [`client_config`]), its
/// configuration changed by `adjust`, and its sleeper.
pub fn zenlayer_client(
    server: &TestServer,
    credentials: Credentials,
    adjust: impl FnOnce(Config) -> Config,
) -> (zenlayer_sdn::Client, Arc<RecordingSleep>) {
    let (config, sleep) = client_config(server, credentials);
    let client = zenlayer_sdn::Client::new(adjust(config)).expect("client");
    (client, sleep)
}

/// An `alibaba_vpc` client of `server` (see [`client_config`]), its
/// configuration changed by `adjust`, and its sleeper.
pub fn alibaba_client(
    server: &TestServer,
    credentials: Credentials,
    adjust: impl FnOnce(Config) -> Config,
) -> (alibaba_vpc::Client, Arc<RecordingSleep>) {
    let (config, sleep) = client_config(server, credentials);
    let client = alibaba_vpc::Client::new(adjust(config)).expect("client");
    (client, sleep)
}

/// A retry policy with short, observable backoff: 100 ms doubling.
pub fn fast_retry(max_attempts: u32) -> truebind_runtime::RetryPolicy {
    truebind_runtime::RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(20),
    }
}

/// Whether `s` is a UUID v4 in its usual lower-case hyphenated form.
pub fn is_uuid_v4(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            14 => c == '4',
            19 => matches!(c, '8' | '9' | 'a' | 'b'),
            _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
        })
}

/// A free loopback port with nothing listening on it (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    port
}

impl TestServer {
    /// The server's base URL (`http://127.0.0.1:<port>`), without the
    /// service path: the client adds the path from the spec.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }
}

/// The body a [`HostileServer`] answers with.
#[derive(Clone, Copy, Debug)]
pub enum HostileBody {
    /// Announces `Content-Length` of this many bytes and never sends one.
    Announced(u64),
    /// Chunks of this many bytes of JSON whitespace, forever, without a
    /// `Content-Length` (chunked encoding).
    Endless(usize),
}

/// A bare HTTP/1.1 server on `127.0.0.1` for answers [`TestServer`] cannot
/// script, because they never end: every request gets a 200 JSON answer
/// with a [`HostileBody`]. It checks nothing; it counts requests and the
/// body bytes it has handed to the connection.
pub struct HostileServer {
    addr: SocketAddr,
    hits: Arc<std::sync::atomic::AtomicUsize>,
    sent: Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl HostileServer {
    /// Starts the server on a free port.
    pub async fn start(body: HostileBody) -> Self {
        use std::sync::atomic::{AtomicU64, AtomicUsize};
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let hits = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        let (task_hits, task_sent) = (Arc::clone(&hits), Arc::clone(&sent));
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (hits, sent) = (Arc::clone(&task_hits), Arc::clone(&task_sent));
                tokio::spawn(async move {
                    let service = service_fn(move |_request: Request<Incoming>| {
                        hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        std::future::ready(Ok::<_, Infallible>(hostile_answer(body, &sent)))
                    });
                    // Errors here are the client hanging up, which is the point.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        HostileServer {
            addr,
            hits,
            sent,
            task,
        }
    }

    /// The base URL to configure the client with.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// Requests received so far.
    pub fn hits(&self) -> usize {
        self.hits.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Body bytes handed to the connection so far.
    pub fn bytes_sent(&self) -> u64 {
        self.sent.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type HostileResponse = Response<http_body_util::combinators::BoxBody<Bytes, Infallible>>;

fn hostile_answer(body: HostileBody, sent: &Arc<std::sync::atomic::AtomicU64>) -> HostileResponse {
    use hyper::body::Frame;
    let response = Response::builder()
        .status(200)
        .header("content-type", "application/json");
    match body {
        HostileBody::Announced(length) => {
            let never = futures_util::stream::pending::<Result<Frame<Bytes>, Infallible>>();
            response
                .header("content-length", length.to_string())
                .body(http_body_util::StreamBody::new(never).boxed())
        }
        HostileBody::Endless(chunk) => {
            let sent = Arc::clone(sent);
            let chunks = futures_util::stream::repeat_with(move || {
                sent.fetch_add(chunk as u64, std::sync::atomic::Ordering::SeqCst);
                Ok(Frame::data(Bytes::from(vec![b' '; chunk])))
            });
            response.body(http_body_util::StreamBody::new(chunks).boxed())
        }
    }
    .expect("valid hostile response")
}

/// A stand-in HTTP proxy on `127.0.0.1`: it records the request target of
/// every request exactly as received (a client sending through an HTTP proxy
/// to an `http://` URL writes it in absolute form, `http://host:port/path`)
/// and answers each with `reply` itself instead of forwarding.
pub struct ProxyLike {
    addr: SocketAddr,
    targets: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ProxyLike {
    /// Starts the proxy on a free port.
    pub async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let targets = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&targets);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (seen, reply) = (Arc::clone(&seen), reply.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        seen.lock().unwrap().push(request.uri().to_string());
                        let mut response = Response::builder().status(reply.status);
                        for (name, value) in &reply.headers {
                            response = response.header(name, value);
                        }
                        let body = Full::new(Bytes::from(reply.body.clone()));
                        std::future::ready(Ok::<_, Infallible>(
                            response.body(body).expect("valid proxy answer"),
                        ))
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        ProxyLike {
            addr,
            targets,
            task,
        }
    }

    /// The proxy URL to configure (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// The request targets received so far, in order.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

impl Drop for ProxyLike {
    fn drop(&mut self) {
        self.task.abort();
    }
}
