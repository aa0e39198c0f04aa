//! Runs the `private_connect_lifecycle` example's own logic
//! ([`truebind_examples::private_connect_lifecycle::run`]) against the local
//! Zenlayer test server.
//!
//! The example is what a user copies first; this keeps it honest. The client
//! is configured from the same variable names the binary reads
//! (`ZENLAYER_ACCESS_KEY_ID`, `ZENLAYER_ACCESS_KEY_SECRET`, `ZENLAYER_ENDPOINT`,
//! `PORT_A_ID`, …), supplied through a lookup instead of the process
//! environment, and every request is verified by the server's independent
//! ZC2-HMAC-SHA256 check.

mod support;

use std::time::Duration;
use truebind_runtime::OperationError;

use serde_json::json;
use support::{Auth, RecordingSleep, Reply, TestServer};
use truebind_examples::private_connect_lifecycle::{DeleteRetry, LifecycleError, Settings, run};
use truebind_runtime::{Config, Protocol, SdkError};

const KEY_ID: &str = "AKIDEXAMPLEE2E";
const KEY_SECRET: &str = "example-e2e-secret";

/// The environment a user would set, as a lookup.
fn env(server: &TestServer) -> impl Fn(&str) -> Option<String> + use<> {
    let endpoint = server.endpoint();
    move |name| {
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

fn zl_ok(request_id: &str, mut response: serde_json::Value) -> Reply {
    response["requestId"] = json!(request_id);
    Reply::json(200, json!({"requestId": request_id, "response": response}))
}

fn zl_error(status: u16, code: &str, request_id: &str) -> Reply {
    Reply::json(
        status,
        json!({"requestId": request_id, "code": code, "message": "busy"}),
    )
}

async fn setup(
    script: Vec<Reply>,
) -> (
    TestServer,
    zenlayer_sdn::Client,
    Settings,
    DeleteRetry,
    std::sync::Arc<RecordingSleep>,
) {
    let server = TestServer::start(Auth::zenlayer(KEY_ID, KEY_SECRET), script).await;
    let lookup = env(&server);
    let sleep = RecordingSleep::new();
    let config = Config::from_lookup(Protocol::ZenlayerJson, &lookup)
        .expect("credentials from the example's variables")
        .sleep(sleep.clone());
    let client = zenlayer_sdn::Client::new(config).unwrap();
    let settings = Settings::from_lookup(&lookup).expect("settings");
    let retry = DeleteRetry {
        attempts: 3,
        wait: Duration::from_secs(30),
        sleep: sleep.clone(),
    };
    (server, client, settings, retry, sleep)
}

#[tokio::test]
async fn example_creates_then_deletes_retrying_while_the_connect_deploys() {
    let (server, client, settings, retry, sleep) = setup(vec![
        zl_ok("T-create", json!({"privateConnectId": "pc-example-1"})),
        zl_error(409, "INVALID_PRIVATE_CONNECT_STATUS", "T-busy"),
        zl_ok("T-delete", json!({})),
    ])
    .await;
    let mut lines = Vec::new();

    let outcome = run(&client, &settings, &retry, &mut |line| {
        lines.push(line.to_string())
    })
    .await
    .expect("the example succeeds");

    assert_eq!(outcome.private_connect_id, "pc-example-1");
    assert_eq!(outcome.create_request_id.as_deref(), Some("T-create"));
    assert_eq!(outcome.delete_request_id.as_deref(), Some("T-delete"));
    assert_eq!(outcome.delete_attempts, 2);
    let printed = lines.join("\n");
    assert!(
        printed.contains("created private connect pc-example-1 (request id T-create)"),
        "{printed}"
    );
    assert!(
        printed.contains("deleted private connect pc-example-1"),
        "{printed}"
    );

    let requests = server.requests();
    let actions: Vec<_> = requests.iter().map(|r| r.action().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "CreatePrivateConnect",
            "DeletePrivateConnect",
            "DeletePrivateConnect"
        ]
    );
    assert!(
        requests.iter().all(|r| r.auth.is_ok()),
        "every call verifies"
    );
    assert_eq!(
        requests[0].json(),
        json!({
            "privateConnectName": "truebind-example",
            "endpointA": {"portId": "port-fra-1", "vlanId": 1001},
            "endpointZ": {"portId": "port-sel-2", "vlanId": 2001}
        })
    );
    assert_eq!(
        requests[1].json(),
        json!({"privateConnectId": "pc-example-1"})
    );
    // The example's own wait between deletes, taken through the recording sleeper.
    assert_eq!(sleep.waits(), vec![Duration::from_secs(30)]);
}

#[tokio::test]
async fn example_names_the_private_connect_when_delete_fails() {
    let (server, client, settings, retry, _) = setup(vec![
        zl_ok("T-create", json!({"privateConnectId": "pc-left-over"})),
        zl_error(500, "INTERNAL_SERVER_ERROR", "T-500"),
    ])
    .await;

    let err = run(&client, &settings, &retry, &mut |_| {})
        .await
        .unwrap_err();

    match &err {
        LifecycleError::Delete {
            private_connect_id,
            error: SdkError::Service(e),
        } => {
            assert_eq!(private_connect_id, "pc-left-over");
            assert_eq!(e.code(), "INTERNAL_SERVER_ERROR");
        }
        other => panic!("expected a delete failure, got {other:?}"),
    }
    assert!(err.to_string().contains("pc-left-over"), "{err}");
    assert_eq!(server.requests().len(), 2, "a 5xx delete is not repeated");
}

#[tokio::test]
async fn example_stops_after_a_failed_create() {
    let (server, client, settings, retry, _) =
        setup(vec![zl_error(404, "INVALID_PORT_NOT_FOUND", "T-404")]).await;

    let err = run(&client, &settings, &retry, &mut |_| {})
        .await
        .unwrap_err();

    assert!(
        matches!(&err, LifecycleError::Create(SdkError::Service(e)) if e.code() == "INVALID_PORT_NOT_FOUND"),
        "{err:?}"
    );
    assert!(err.to_string().contains("T-404"), "{err}");
    assert_eq!(server.requests().len(), 1, "nothing to delete");
}
