//! Runs the `private_connect_lifecycle` example's own logic
//! ([`truebind_examples::private_connect_lifecycle::run`]) against the local
//! Zenlayer emulator.
//!
//! The example is what a user copies first; this keeps it honest. The client
//! is configured from the same variable names the binary reads
//! (`ZENLAYER_ACCESS_KEY_ID`, `ZENLAYER_ACCESS_KEY_SECRET`, `ZENLAYER_ENDPOINT`,
//! `PORT_A_ID`, …, `WAIT_MINUTES`, `DESTROY`), supplied through a lookup
//! instead of the process environment, and every request is verified by the
//! server's independent ZC2-HMAC-SHA256 check.
//!
//! Behind it is `truebind-emulator`, which verifies every signature and
//! validates every request against the spec: the private connect the example
//! creates follows a scripted history after each write
//! ([`Emulator::script_after`]: CREATING → RUNNING after the create,
//! DELETING → RECYCLED after the delete, DESTROYING → not listed after the
//! destroy), and the plan's emulator faults replace chosen answers. The exact
//! sequence of calls is asserted, so the example passes only if it really
//! waits for each state before the next write. Time is virtual: the client's
//! sleeper is a [`RecordingSleep`], and the waits run without jitter, so
//! every wait the example takes is asserted exactly.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::sim::{ABSENT, history};
use support::{RecordingSleep, secs};
use truebind_emulator::{Emulator, Fault, FaultKind};
use truebind_examples::private_connect_lifecycle::{
    Lifecycle, LifecycleError, Settings, Stage, WaitError, run,
};
use truebind_runtime::{Config, ErrorMeta, Protocol, SdkError, WaitConfig, WaiterError};

const KEY_ID: &str = "AKIDEXAMPLEE2E";
const KEY_SECRET: &str = "example-e2e-secret";
/// Id the emulator gives the first private connect it creates.
const ID: &str = "private-connect-000001";

const CREATE: &str = "CreatePrivateConnect";
const DESCRIBE: &str = "DescribePrivateConnects";
const DELETE: &str = "DeletePrivateConnect";
const DESTROY: &str = "DestroyPrivateConnect";

/// The environment a user would set, as a lookup; `extra` adds or
/// overrides variables.
fn env(
    server: &Emulator,
    extra: &[(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + use<> {
    let endpoint = format!("http://{}", server.addr());
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

/// A Zenlayer refusal with `code`, as an emulator fault.
fn zl_error(status: u16, code: &str) -> FaultKind {
    FaultKind::Error {
        status,
        code: code.into(),
    }
}

/// The request id of the emulator's `n`-th answer (1-based).
fn request_id(n: u64) -> String {
    truebind_emulator::zenlayer::request_id(n)
}

/// What the emulated account does.
#[derive(Clone, Debug)]
struct Plan {
    /// States of the new private connect at successive polls after the create.
    creating: Vec<&'static str>,
    /// … after the delete.
    deleting: Vec<&'static str>,
    /// … after the destroy.
    destroying: Vec<&'static str>,
    /// Answer to the create instead of creating.
    create: Option<FaultKind>,
    /// Answer to the delete instead of deleting.
    delete: Option<FaultKind>,
    /// Answer to the destroy instead of destroying.
    destroy: Option<FaultKind>,
    /// Replaces the answer to the n-th poll (0-based) after the create.
    poll_fault: Option<(u32, FaultKind)>,
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

/// Starts the emulated account: the private connect the create makes follows
/// the plan's scripts after each write, and the plan's faults replace answers.
async fn account(plan: Plan) -> Emulator {
    let emulator = support::sim::emulator(KEY_ID, KEY_SECRET).await;
    for (action, steps) in [
        (CREATE, &plan.creating),
        (DELETE, &plan.deleting),
        (DESTROY, &plan.destroying),
    ] {
        emulator.script_after(action, &history(steps));
    }
    for (action, fault) in [
        (CREATE, plan.create),
        (DELETE, plan.delete),
        (DESTROY, plan.destroy),
    ] {
        if let Some(kind) = fault {
            emulator.inject(Fault::new(kind).on(action));
        }
    }
    if let Some((index, kind)) = plan.poll_fault {
        emulator.inject(Fault::new(kind).on(DESCRIBE).after(index));
    }
    emulator
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
    server: Emulator,
    sleep: Arc<RecordingSleep>,
    result: Result<Lifecycle, LifecycleError>,
    lines: Vec<String>,
}

impl Run {
    fn actions(&self) -> Vec<String> {
        self.server.calls().into_iter().map(|c| c.action).collect()
    }

    fn printed(&self) -> String {
        self.lines.join("\n")
    }

    fn error(&self) -> &LifecycleError {
        self.result.as_ref().expect_err("the example should fail")
    }
}

/// Starts the account behind the verifying emulator, reads settings and
/// client configuration from the example's variables (plus `extra`), lets
/// `adjust` change the settings (the wait timing), and runs the example.
async fn run_example(
    plan: Plan,
    extra: &[(&'static str, &'static str)],
    adjust: impl FnOnce(&mut Settings),
) -> Run {
    let server = account(plan).await;
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
    let calls = server.calls();
    assert!(
        calls.iter().all(|c| c.status != 401),
        "every call verifies: {calls:?}"
    );
    for poll in calls.iter().filter(|c| c.action == DESCRIBE) {
        assert_eq!(
            poll.params,
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
            create_request_id: Some(request_id(1)),
            available_state: "RUNNING".into(),
            delete_request_id: Some(request_id(5)),
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
    let requests = run.server.calls();
    assert_eq!(
        requests[0].params,
        json!({
            "privateConnectName": "truebind-example",
            "endpointA": {"portId": "port-fra-1", "vlanId": 1001},
            "endpointZ": {"portId": "port-sel-2", "vlanId": 2001}
        })
    );
    assert_eq!(requests[4].params, json!({"privateConnectId": ID}));
    // Three polls until RUNNING (waits 1, 2, 4 s), two until RECYCLED (1, 2 s).
    assert_eq!(run.sleep.waits(), secs(&[1, 2, 4, 1, 2]));
    assert_eq!(
        run.lines,
        [
            "creating private connect \"truebind-example\" between ports port-fra-1 and port-sel-2",
            &format!(
                "created private connect {ID} (request id {})",
                request_id(1)
            ),
            "waiting up to 1 min for private-connect-000001 to become available",
            "private connect private-connect-000001 is RUNNING",
            "deleting private connect private-connect-000001",
            &format!(
                "deleted private connect {ID} (request id {}); waiting up to 1 min \
                 for it to reach the recycle bin",
                request_id(5)
            ),
            "private connect private-connect-000001 is RECYCLED (in the recycle bin)",
            "private connect private-connect-000001 stays in the recycle bin until the billing rules \
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
    assert_eq!(
        outcome.destroy_request_id.as_deref(),
        Some(request_id(8).as_str())
    );
    assert!(outcome.destroyed);
    assert_eq!(
        run.actions(),
        [
            CREATE, DESCRIBE, DESCRIBE, DESCRIBE, DELETE, DESCRIBE, DESCRIBE, DESTROY, DESCRIBE,
            DESCRIBE
        ]
    );
    assert_eq!(
        run.server.calls()[7].params,
        json!({"privateConnectId": ID})
    );
    assert_eq!(run.sleep.waits(), secs(&[1, 2, 4, 1, 2, 1, 2]));
    let printed = run.printed();
    assert!(
        printed.contains(&format!(
            "destroyed private connect {ID} (request id {}); waiting up to 1 min \
             for it to be released\nprivate connect {ID} is no longer listed: it is \
             released for good",
            request_id(8)
        )),
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
        run.printed().ends_with(
            "private connect private-connect-000001 is no longer listed: it is already released"
        ),
        "{}",
        run.printed()
    );
}

#[tokio::test]
async fn example_stops_after_a_failed_create() {
    let plan = Plan {
        create: Some(zl_error(404, "INVALID_PORT_NOT_FOUND")),
        ..Plan::default()
    };
    let run = run_example(plan, &[], short_waits).await;

    let err = run.error();
    assert!(
        matches!(err, LifecycleError::Create(SdkError::Service(e)) if e.code() == "INVALID_PORT_NOT_FOUND"),
        "{err:?}"
    );
    assert_eq!(err.private_connect_id(), None);
    assert!(err.to_string().contains(&request_id(1)), "{err}");
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
        "private connect private-connect-000001 did not become available: it was still CREATING after \
         80 s of waiting (WAIT_MINUTES sets the limit). It exists and may be billed: once it \
         is RUNNING, delete it in the console or with DeletePrivateConnect (privateConnectId \
         private-connect-000001)"
    );
    assert!(
        run.printed()
            .contains("waiting up to 2 min for private-connect-000001 to become available"),
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
             check in the console that private-connect-000001 is gone"
        ),
        "{err}"
    );
    assert_eq!(run.actions(), [CREATE, DESCRIBE, DESCRIBE]);
}

#[tokio::test]
async fn example_names_the_private_connect_when_delete_is_refused() {
    let plan = Plan {
        delete: Some(zl_error(403, "OPERATION_DENIED_RESOURCE_LOCKED")),
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
            assert_eq!(e.meta().request_id.as_deref(), Some(request_id(5).as_str()));
        }
        other => panic!("expected a delete failure, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.starts_with(
            "private connect private-connect-000001 was created but DeletePrivateConnect failed"
        ),
        "{message}"
    );
    assert!(
        message.contains("may be billed: delete it in the console or with DeletePrivateConnect (privateConnectId private-connect-000001)"),
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
            "private connect private-connect-000001 did not become recycled: it is in state RECOVERING, \
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
        poll_fault: Some((1, zl_error(403, "OPERATION_DENIED"))),
        ..Plan::default()
    };
    let run = run_example(plan, &[], short_waits).await;

    let err = run.error();
    match failed_wait(err, Stage::Available) {
        WaiterError::Poll(e) => {
            assert_eq!(e.code(), Some("OPERATION_DENIED"));
            assert_eq!(e.request_id(), Some(request_id(3).as_str()));
        }
        other => panic!("expected a failed poll, got {other:?}"),
    }
    assert!(
        err.to_string().contains("reading its state failed")
            && err.to_string().contains(&request_id(3))
            && err
                .to_string()
                .contains("privateConnectId private-connect-000001"),
        "{err}"
    );
    assert_eq!(run.actions(), [CREATE, DESCRIBE, DESCRIBE]);
}

#[tokio::test]
async fn example_names_the_private_connect_when_destroy_fails() {
    let plan = Plan {
        destroy: Some(zl_error(500, "INTERNAL_SERVER_ERROR")),
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
            .contains("DestroyPrivateConnect (privateConnectId private-connect-000001)"),
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
