//! Runs the `private_connect_lifecycle` example's own logic
//! ([`truebind_examples::private_connect_lifecycle::run`]) against the local
//! Zenlayer test server.
//!
//! The example is what a user copies first; this keeps it honest. The client
//! is configured from the same variable names the binary reads
//! (`ZENLAYER_ACCESS_KEY_ID`, `ZENLAYER_ACCESS_KEY_SECRET`, `ZENLAYER_ENDPOINT`,
//! `PORT_A_ID`, …, `WAIT_MINUTES`, `DESTROY`), supplied through a lookup
//! instead of the process environment, and every request is verified by the
//! server's independent ZC2-HMAC-SHA256 check.
//!
//! Behind the server is a small simulated account ([`Account`]): the
//! private connect it creates goes through a scripted list of states on
//! successive `DescribePrivateConnects` polls (CREATING → RUNNING after the
//! create, DELETING → RECYCLED after the delete, DESTROYING → not listed
//! after the destroy), each phase answered by a [`Sim`] from
//! `support::sim`. Like the real service it refuses a delete before the
//! private connect is running and a destroy before it is in the recycle bin,
//! so the example passes only if it really waits. Time is virtual: the
//! client's sleeper is a [`RecordingSleep`], and the waits run without
//! jitter, so every wait the example takes is asserted exactly.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use support::sim::{ABSENT, Flavor, Sim, requested_ids};
use support::zenlayer;
use support::{Auth, Recorded, RecordingSleep, Reply, Responder, TestServer, secs};
use truebind_examples::private_connect_lifecycle::{
    Lifecycle, LifecycleError, Settings, Stage, WaitError, run,
};
use truebind_runtime::{Config, OperationError, Protocol, SdkError, WaitConfig, WaiterError};

const KEY_ID: &str = "AKIDEXAMPLEE2E";
const KEY_SECRET: &str = "example-e2e-secret";
/// Id the simulated account gives the new private connect.
const ID: &str = "pc-example-1";

const CREATE: &str = "CreatePrivateConnect";
const DESCRIBE: &str = "DescribePrivateConnects";
const DELETE: &str = "DeletePrivateConnect";
const DESTROY: &str = "DestroyPrivateConnect";

/// The environment a user would set, as a lookup; `extra` adds or
/// overrides variables.
fn env(
    server: &TestServer,
    extra: &[(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + use<> {
    let endpoint = server.endpoint();
    let extra = extra.to_vec();
    move |name| {
        if let Some((_, value)) = extra.iter().find(|(n, _)| *n == name) {
            return Some(value.to_string());
        }
        let value = match name {
            "ZENLAYER_ACCESS_KEY_ID" => KEY_ID,
            "ZENLAYER_ACCESS_KEY_SECRET" => KEY_SECRET,
            "ZENLAYER_ENDPOINT" => endpoint.as_str(),
            "PORT_A_ID" => "port-fra-1",
            "PORT_Z_ID" => "port-sel-2",
            "VLAN_A" => "1001",
            "VLAN_Z" => "2001",
            _ => return None,
        };
        Some(value.to_string())
    }
}

/// A Zenlayer refusal with `code`.
fn zl_error(status: u16, code: &str, request_id: &str) -> Reply {
    zenlayer::error(status, code, "refused", request_id)
}

/// What the simulated account does.
#[derive(Clone, Debug)]
struct Plan {
    /// States of the new private connect at successive polls after the create.
    creating: Vec<&'static str>,
    /// … after the delete.
    deleting: Vec<&'static str>,
    /// … after the destroy.
    destroying: Vec<&'static str>,
    /// Answer to the create instead of creating.
    create: Option<Reply>,
    /// Answer to an acceptable delete instead of deleting.
    delete: Option<Reply>,
    /// Answer to an acceptable destroy instead of destroying.
    destroy: Option<Reply>,
    /// Replaces the answer to the n-th poll (0-based) after the create.
    poll_fault: Option<(usize, Reply)>,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            creating: vec!["CREATING", "CREATING", "RUNNING"],
            deleting: vec!["DELETING", "RECYCLED"],
            destroying: vec!["DESTROYING", ABSENT],
            create: None,
            delete: None,
            destroy: None,
            poll_fault: None,
        }
    }
}

/// The simulated account: one private connect whose state moves on with
/// each write, polled through a fresh [`Sim`] per phase.
struct Account {
    plan: Plan,
    name: Value,
    describe: Responder,
    steps: Vec<&'static str>,
    polls: usize,
}

impl Account {
    fn new(plan: Plan) -> Self {
        Account {
            plan,
            name: Value::Null,
            describe: Box::new(Sim::new(Flavor::PrivateConnects).into_responder()),
            steps: vec![ABSENT],
            polls: 0,
        }
    }

    /// Starts a phase: the private connect goes through `steps` from the next poll on.
    fn enter(&mut self, steps: Vec<&'static str>, fault: Option<(usize, Reply)>) {
        let mut sim = Sim::new(Flavor::PrivateConnects).resource_with(
            ID,
            &steps,
            json!({"privateConnectName": self.name}),
        );
        if let Some((index, reply)) = fault {
            sim = sim.fault(index, reply);
        }
        self.describe = Box::new(sim.into_responder());
        self.steps = steps;
        self.polls = 0;
    }

    /// The state the last poll reported (the first step before any poll).
    fn state(&self) -> &'static str {
        self.steps[self.polls.saturating_sub(1).min(self.steps.len() - 1)]
    }

    /// Whether a write names the private connect of this account.
    fn names_it(request: &Recorded) -> bool {
        request.json()["privateConnectId"] == json!(ID)
    }

    fn answer(&mut self, request: &Recorded) -> Reply {
        match request.action() {
            Some(CREATE) => {
                if let Some(reply) = self.plan.create.clone() {
                    return reply;
                }
                self.name = request.json()["privateConnectName"].clone();
                self.enter(self.plan.creating.clone(), self.plan.poll_fault.clone());
                zenlayer::ok(
                    "T-create",
                    json!({"privateConnectId": ID, "orderNumber": "ORD-1"}),
                )
            }
            Some(DESCRIBE) => {
                let polled = match requested_ids(request) {
                    Ok(Some(ids)) => ids.iter().any(|id| id == ID),
                    Ok(None) => true,
                    Err(_) => false,
                };
                let reply = (self.describe)(request);
                if polled && reply.status == 200 {
                    self.polls += 1;
                }
                reply
            }
            Some(DELETE) if !Self::names_it(request) => {
                zl_error(404, "INVALID_PRIVATE_CONNECT_NOT_FOUND", "T-delete-404")
            }
            Some(DELETE) if !["RUNNING", "AVAILABLE"].contains(&self.state()) => {
                zl_error(400, "INVALID_PRIVATE_CONNECT_STATUS", "T-delete-early")
            }
            Some(DELETE) => match self.plan.delete.clone() {
                Some(reply) => reply,
                None => {
                    self.enter(self.plan.deleting.clone(), None);
                    zenlayer::ok("T-delete", json!({}))
                }
            },
            Some(DESTROY) if !Self::names_it(request) => {
                zl_error(404, "INVALID_PRIVATE_CONNECT_NOT_FOUND", "T-destroy-404")
            }
            Some(DESTROY) if self.state() != "RECYCLED" => {
                zl_error(400, "INVALID_PRIVATE_CONNECT_STATUS", "T-destroy-early")
            }
            Some(DESTROY) => match self.plan.destroy.clone() {
                Some(reply) => reply,
                None => {
                    self.enter(self.plan.destroying.clone(), None);
                    zenlayer::ok("T-destroy", json!({}))
                }
            },
            other => zl_error(400, "UNSUPPORTED_ACTION", &format!("T-{other:?}")),
        }
    }
}

/// 1 s before the first poll, then 2 s doubling up to 8 s, no jitter: the
/// waits before polls 1, 2, 3, 4, 5… are 1, 2, 4, 8, 8… seconds.
fn timing(max_wait_secs: u64) -> WaitConfig {
    WaitConfig {
        initial_delay: Duration::from_secs(1),
        min_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(8),
        max_wait: Duration::from_secs(max_wait_secs),
        jitter: false,
        not_found_checks: 1,
    }
}

struct Run {
    server: TestServer,
    sleep: Arc<RecordingSleep>,
    result: Result<Lifecycle, LifecycleError>,
    lines: Vec<String>,
}

impl Run {
    fn actions(&self) -> Vec<String> {
        self.server
            .requests()
            .iter()
            .map(|r| r.action().unwrap_or("?").to_string())
            .collect()
    }

    fn printed(&self) -> String {
        self.lines.join("\n")
    }

    fn error(&self) -> &LifecycleError {
        self.result.as_ref().expect_err("the example should fail")
    }
}

/// Starts the account behind a verifying server, reads settings and client
/// configuration from the example's variables (plus `extra`), lets `adjust`
/// change the settings (the wait timing), and runs the example.
async fn run_example(
    plan: Plan,
    extra: &[(&'static str, &'static str)],
    adjust: impl FnOnce(&mut Settings),
) -> Run {
    let mut account = Account::new(plan);
    let server = TestServer::start_with(Auth::zenlayer(KEY_ID, KEY_SECRET), move |r| {
        account.answer(r)
    })
    .await;
    let lookup = env(&server, extra);
    let sleep = RecordingSleep::new();
    let config = Config::from_lookup(Protocol::ZenlayerJson, &lookup)
        .expect("credentials from the example's variables")
        .sleep(sleep.clone());
    let client = zenlayer_sdn::Client::new(config).expect("client");
    let mut settings = Settings::from_lookup(&lookup).expect("settings");
    adjust(&mut settings);
    let mut lines = Vec::new();
    let result = run(&client, &settings, &mut |line| lines.push(line.to_string())).await;
    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.auth.is_ok()),
        "every call verifies: {:?}",
        requests.iter().map(|r| &r.auth).collect::<Vec<_>>()
    );
    for poll in requests.iter().filter(|r| r.action() == Some(DESCRIBE)) {
        assert_eq!(
            poll.json(),
            json!({"privateConnectIds": [ID], "pageSize": 100}),
            "each poll names exactly the new private connect"
        );
    }
    Run {
        server,
        sleep,
        result,
        lines,
    }
}

/// The waiter error of a run that failed waiting for `stage` of [`ID`].
fn failed_wait(err: &LifecycleError, stage: Stage) -> &WaitError {
    match err {
        LifecycleError::Wait {
            private_connect_id,
            stage: failed,
            error,
        } if private_connect_id == ID && *failed == stage => error,
        other => panic!("expected the {stage:?} wait of {ID} to fail, got {other:?}"),
    }
}

fn short_waits(settings: &mut Settings) {
    settings.wait = timing(60);
}

#[tokio::test]
async fn example_waits_for_running_deletes_and_waits_for_the_recycle_bin() {
    let run = run_example(Plan::default(), &[], short_waits).await;

    let outcome = run.result.as_ref().expect("the example succeeds");
    assert_eq!(
        outcome,
        &Lifecycle {
            private_connect_id: ID.into(),
            create_request_id: Some("T-create".into()),
            available_state: "RUNNING".into(),
            delete_request_id: Some("T-delete".into()),
            recycled_state: Some("RECYCLED".into()),
            destroy_request_id: None,
            destroyed: false,
        }
    );
    assert_eq!(
        run.actions(),
        [
            CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE, DESCRIBE, DESCRIBE
        ]
    );
    let requests = run.server.requests();
    assert_eq!(
        requests[0].json(),
        json!({
            "privateConnectName": "truebind-example",
            "endpointA": {"portId": "port-fra-1", "vlanId": 1001},
            "endpointZ": {"portId": "port-sel-2", "vlanId": 2001}
        })
    );
    assert_eq!(requests[4].json(), json!({"privateConnectId": ID}));
    // Three polls until RUNNING (waits 1, 2, 4 s), two until RECYCLED (1, 2 s).
    assert_eq!(run.sleep.waits(), secs(&[1, 2, 4, 1, 2]));
    assert_eq!(
        run.lines,
        [
            "creating private connect \"truebind-example\" between ports port-fra-1 and port-sel-2",
            "created private connect pc-example-1 (request id T-create)",
            "waiting up to 1 min for pc-example-1 to become available",
            "private connect pc-example-1 is RUNNING",
            "deleting private connect pc-example-1",
            "deleted private connect pc-example-1 (request id T-delete); waiting up to 1 min \
             for it to reach the recycle bin",
            "private connect pc-example-1 is RECYCLED (in the recycle bin)",
            "private connect pc-example-1 stays in the recycle bin until the billing rules \
             release it; run with DESTROY=1 to destroy it right away",
        ]
    );
}

#[tokio::test]
async fn example_destroys_when_asked_and_waits_until_it_is_gone() {
    let run = run_example(Plan::default(), &[("DESTROY", "1")], short_waits).await;

    let outcome = run.result.as_ref().expect("the example succeeds");
    assert_eq!(outcome.private_connect_id, ID);
    assert_eq!(outcome.recycled_state.as_deref(), Some("RECYCLED"));
    assert_eq!(outcome.destroy_request_id.as_deref(), Some("T-destroy"));
    assert!(outcome.destroyed);
    assert_eq!(
        run.actions(),
        [
            CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE, DESCRIBE, DESCRIBE, DESTROY, DESCRIBE,
            DESCRIBE
        ]
    );
    assert_eq!(
        run.server.requests()[7].json(),
        json!({"privateConnectId": ID})
    );
    assert_eq!(run.sleep.waits(), secs(&[1, 2, 4, 1, 2, 1, 2]));
    let printed = run.printed();
    assert!(
        printed.contains(
            "destroyed private connect pc-example-1 (request id T-destroy); waiting up to 1 min \
             for it to be released\nprivate connect pc-example-1 is no longer listed: it is \
             released for good"
        ),
        "{printed}"
    );
}

#[tokio::test]
async fn example_skips_the_destroy_when_the_delete_already_released_it() {
    let plan = Plan {
        deleting: vec!["DELETING", ABSENT],
        ..Plan::default()
    };
    let run = run_example(plan, &[("DESTROY", "1")], short_waits).await;

    let outcome = run.result.as_ref().expect("the example succeeds");
    assert_eq!(outcome.recycled_state, None);
    assert_eq!(outcome.destroy_request_id, None);
    assert!(outcome.destroyed);
    assert_eq!(
        run.actions(),
        [
            CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE, DESCRIBE, DESCRIBE
        ]
    );
    assert!(
        run.printed()
            .ends_with("private connect pc-example-1 is no longer listed: it is already released"),
        "{}",
        run.printed()
    );
}

#[tokio::test]
async fn example_stops_after_a_failed_create() {
    let plan = Plan {
        create: Some(zl_error(404, "INVALID_PORT_NOT_FOUND", "T-404")),
        ..Plan::default()
    };
    let run = run_example(plan, &[], short_waits).await;

    let err = run.error();
    assert!(
        matches!(err, LifecycleError::Create(SdkError::Service(e)) if e.code() == "INVALID_PORT_NOT_FOUND"),
        "{err:?}"
    );
    assert_eq!(err.private_connect_id(), None);
    assert!(err.to_string().contains("T-404"), "{err}");
    assert!(err.to_string().contains("nothing was created"), "{err}");
    assert_eq!(run.actions(), [CREATE], "nothing to wait for or delete");
    assert!(run.sleep.waits().is_empty());
    assert!(!run.printed().contains("created"), "{}", run.printed());
}

#[tokio::test]
async fn example_gives_up_after_wait_minutes_and_names_the_private_connect() {
    let plan = Plan {
        creating: vec!["CREATING"],
        ..Plan::default()
    };
    // The binary's own timing from WAIT_MINUTES=2, only without jitter.
    let run = run_example(plan, &[("WAIT_MINUTES", "2")], |settings| {
        assert_eq!(settings.wait.max_wait, Duration::from_secs(120));
        settings.wait.jitter = false;
    })
    .await;

    let err = run.error();
    let WaiterError::TimedOut {
        waited,
        pending,
        last_seen,
    } = failed_wait(err, Stage::Available)
    else {
        panic!("expected the available wait to time out, got {err:?}");
    };
    assert_eq!(err.private_connect_id(), Some(ID));
    assert_eq!(pending, &[ID]);
    assert_eq!(last_seen.len(), 1);
    assert_eq!(
        last_seen[0]
            .private_connect_status
            .as_ref()
            .map(|s| s.as_str()),
        Some("CREATING")
    );
    // 5 s, then 5 s doubling; the next wait (60 s) would pass 2 minutes.
    assert_eq!(run.sleep.waits(), secs(&[5, 5, 10, 20, 40]));
    assert_eq!(*waited, Duration::from_secs(80));
    assert_eq!(
        run.actions(),
        [CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DESCRIBE, DESCRIBE]
    );
    assert_eq!(
        err.to_string(),
        "private connect pc-example-1 did not become available: it was still CREATING after \
         80 s of waiting (WAIT_MINUTES sets the limit). It exists and may be billed: once it \
         is RUNNING, delete it in the console or with DeletePrivateConnect (privateConnectId \
         pc-example-1)"
    );
    assert!(
        run.printed()
            .contains("waiting up to 2 min for pc-example-1 to become available"),
        "{}",
        run.printed()
    );
}

#[tokio::test]
async fn example_reports_a_private_connect_that_vanishes_while_creating() {
    let plan = Plan {
        creating: vec!["CREATING", ABSENT],
        ..Plan::default()
    };
    let run = run_example(plan, &[], short_waits).await;

    let err = run.error();
    assert!(
        matches!(
            failed_wait(err, Stage::Available),
            WaiterError::Vanished { id, last_seen: Some(_) } if id == ID
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(
            "no longer listed (last seen in state CREATING). Its creation probably failed; \
             check in the console that pc-example-1 is gone"
        ),
        "{err}"
    );
    assert_eq!(run.actions(), [CREATE, DESCRIBE, DESCRIBE]);
}

#[tokio::test]
async fn example_names_the_private_connect_when_delete_is_refused() {
    let plan = Plan {
        delete: Some(zl_error(403, "OPERATION_DENIED_RESOURCE_LOCKED", "T-403")),
        ..Plan::default()
    };
    let run = run_example(plan, &[], short_waits).await;

    let err = run.error();
    match err {
        LifecycleError::Delete {
            private_connect_id,
            error: SdkError::Service(e),
        } => {
            assert_eq!(private_connect_id, ID);
            assert_eq!(e.code(), "OPERATION_DENIED_RESOURCE_LOCKED");
            assert_eq!(e.meta().request_id.as_deref(), Some("T-403"));
        }
        other => panic!("expected a delete failure, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.starts_with(
            "private connect pc-example-1 was created but DeletePrivateConnect failed"
        ),
        "{message}"
    );
    assert!(
        message.contains("may be billed: delete it in the console or with DeletePrivateConnect (privateConnectId pc-example-1)"),
        "{message}"
    );
    assert_eq!(
        run.actions(),
        [CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE],
        "a refused delete is not repeated and not waited for"
    );
}

#[tokio::test]
async fn example_reports_a_state_the_recycled_waiter_does_not_expect() {
    let plan = Plan {
        deleting: vec!["DELETING", "RECOVERING"],
        ..Plan::default()
    };
    let run = run_example(plan, &[("DESTROY", "1")], short_waits).await;

    let err = run.error();
    assert!(
        matches!(
            failed_wait(err, Stage::Recycled),
            WaiterError::UnexpectedState { id, state, .. } if id == ID && state == "RECOVERING"
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(
            "private connect pc-example-1 did not become recycled: it is in state RECOVERING, \
             which this wait does not expect. The delete was accepted"
        ),
        "{err}"
    );
    assert_eq!(
        run.actions(),
        [
            CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE, DESCRIBE, DESCRIBE
        ],
        "no destroy of a private connect that is not in the recycle bin"
    );
}

#[tokio::test]
async fn example_reports_a_failed_poll_with_the_private_connect_id() {
    let plan = Plan {
        poll_fault: Some((1, zl_error(403, "OPERATION_DENIED", "T-poll-403"))),
        ..Plan::default()
    };
    let run = run_example(plan, &[], short_waits).await;

    let err = run.error();
    match failed_wait(err, Stage::Available) {
        WaiterError::Poll(e) => {
            assert_eq!(e.code(), Some("OPERATION_DENIED"));
            assert_eq!(e.request_id(), Some("T-poll-403"));
        }
        other => panic!("expected a failed poll, got {other:?}"),
    }
    assert!(
        err.to_string().contains("reading its state failed")
            && err.to_string().contains("T-poll-403")
            && err.to_string().contains("privateConnectId pc-example-1"),
        "{err}"
    );
    assert_eq!(run.actions(), [CREATE, DESCRIBE, DESCRIBE]);
}

#[tokio::test]
async fn example_names_the_private_connect_when_destroy_fails() {
    let plan = Plan {
        destroy: Some(zl_error(500, "INTERNAL_SERVER_ERROR", "T-500")),
        ..Plan::default()
    };
    let run = run_example(plan, &[("DESTROY", "yes")], short_waits).await;

    let err = run.error();
    assert!(
        matches!(
            err,
            LifecycleError::Destroy { private_connect_id, error: SdkError::Service(e) }
                if private_connect_id == ID && e.code() == "INTERNAL_SERVER_ERROR"
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("DestroyPrivateConnect (privateConnectId pc-example-1)"),
        "{err}"
    );
    assert_eq!(
        run.actions(),
        [
            CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE, DESCRIBE, DESCRIBE, DESTROY
        ],
        "a 5xx destroy (a write) is not repeated"
    );
}
