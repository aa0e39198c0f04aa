//! End-to-end tests of the generated `zenlayer-sdn` client against a local
//! server ([`support::TestServer`]) that verifies every request with its own
//! ZC2-HMAC-SHA256 implementation and checks it against the published API
//! facts (zenlayer-sdn.md §1–3).
//!
//! They exist to prove what unit tests of the parts cannot: that a real HTTP
//! round trip through `zenlayer_sdn::Client` is signed so the vendor's
//! algorithm accepts it, carries the documented headers and body, turns every
//! kind of answer into the right typed outcome, and retries exactly the
//! failures that are safe to retry — counted on the server, with backoff
//! observed through a recording sleeper instead of real sleeping.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};
use truebind_runtime::ErrorMeta;

use serde_json::{Value, json};
use support::zenlayer::{error, ok};
use support::{
    Auth, RecordingSleep, Reply, TestServer, ZENLAYER_SIGNATURE_ERROR, fast_retry, zenlayer_client,
};
use truebind_runtime::{Config, Credentials, SdkError, Secret, Validate};
use zenlayer_sdn::operation::CommonErrorKind;
use zenlayer_sdn::operation::create_private_connect::{
    CreatePrivateConnectErrorKind as Kind, CreatePrivateConnectInput,
};
use zenlayer_sdn::operation::delete_private_connect::DeletePrivateConnectInput;
use zenlayer_sdn::types::CreateEndpointParam;

const KEY_ID: &str = "AKIDE2ETEST";
const KEY_SECRET: &str = "zenlayer-e2e-secret";

fn server_auth() -> Auth {
    Auth::zenlayer(KEY_ID, KEY_SECRET)
}

fn client(server: &TestServer) -> (zenlayer_sdn::Client, Arc<RecordingSleep>) {
    zenlayer_client(server, Credentials::access_key(KEY_ID, KEY_SECRET), |c| c)
}

fn endpoint(port: &str, vlan: Option<i32>) -> CreateEndpointParam {
    let mut endpoint = CreateEndpointParam::new();
    endpoint.port_id = Some(port.to_string());
    endpoint.vlan_id = vlan;
    endpoint
}

fn create_input() -> CreatePrivateConnectInput {
    let mut input = CreatePrivateConnectInput::new(endpoint("port-a-1001", Some(1001)));
    input.private_connect_name = Some("fra-sel-e2e".to_string());
    input.endpoint_z = Some(endpoint("port-z-2001", Some(2001)));
    input.bandwidth_mbps = Some(10);
    input
}

/// The JSON `create_input` must put on the wire.
fn create_body() -> Value {
    json!({
        "privateConnectName": "fra-sel-e2e",
        "endpointA": {"portId": "port-a-1001", "vlanId": 1001},
        "endpointZ": {"portId": "port-z-2001", "vlanId": 2001},
        "bandwidthMbps": 10
    })
}

// The server verifies with `truebind_emulator::signature` (support/sign.rs), whose
// published-vector tests are `emulator/tests/vectors.rs`.

#[tokio::test]
async fn create_private_connect_success_returns_id_and_request_id() {
    let server = TestServer::start(
        server_auth(),
        vec![ok(
            "T0A1B2C3D-0000-4000-8000-000000000001",
            json!({"privateConnectId": "pc-e2e-1", "orderNumber": "ORD-1"}),
        )],
    )
    .await;
    let (client, sleep) = client(&server);

    let output = client
        .create_private_connect(create_input())
        .await
        .expect("success");

    assert_eq!(output.private_connect_id.as_deref(), Some("pc-e2e-1"));
    assert_eq!(output.order_number.as_deref(), Some("ORD-1"));
    assert_eq!(
        output.request_id.as_deref(),
        Some("T0A1B2C3D-0000-4000-8000-000000000001")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.auth, Ok(()), "the server's own ZC2 check passed");
    assert_eq!(sent.json(), create_body());
    assert_eq!(sent.header("x-zc-action"), Some("CreatePrivateConnect"));
    assert_eq!(sent.header("x-zc-version"), Some("2026-04-01"));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.header("x-zc-signature-method"),
        Some("ZC2-HMAC-SHA256")
    );
    assert_eq!(
        sent.header("host"),
        Some(format!("127.0.0.1:{}", server.port()).as_str()),
        "the signed host includes the port"
    );
    assert!(
        sent.header("authorization")
            .unwrap()
            .starts_with(&format!("ZC2-HMAC-SHA256 Credential={KEY_ID}, "))
    );
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn optional_fields_left_unset_are_omitted_from_the_body() {
    let server = TestServer::start(
        server_auth(),
        vec![ok("T-min", json!({"privateConnectId": "pc-min"}))],
    )
    .await;
    let (client, _) = client(&server);
    let input = CreatePrivateConnectInput::new(endpoint("port-a", None));

    client.create_private_connect(input).await.expect("success");

    let body = server.requests()[0].body.clone();
    assert_eq!(body, br#"{"endpointA":{"portId":"port-a"}}"#);
}

#[tokio::test]
async fn delete_private_connect_sends_the_id_and_returns_the_request_id() {
    let server = TestServer::start(server_auth(), vec![ok("T-del", json!({}))]).await;
    let (client, _) = client(&server);

    let output = client
        .delete_private_connect(DeletePrivateConnectInput::new("pc-9"))
        .await
        .expect("success");

    assert_eq!(output.request_id.as_deref(), Some("T-del"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("x-zc-action"),
        Some("DeletePrivateConnect")
    );
    assert_eq!(requests[0].json(), json!({"privateConnectId": "pc-9"}));
    assert_eq!(requests[0].auth, Ok(()));
}

#[tokio::test]
async fn each_documented_create_error_becomes_its_typed_variant() {
    let cases = [
        (404, "INVALID_PORT_NOT_FOUND", "T-404"),
        (400, "INVALID_PORT_STATUS", "T-400-status"),
        (400, "INVALID_ENDPOINT_PARAMETER", "T-400-endpoint"),
        (400, "INVALID_CONNECT_ENDPOINT_CONFLICT", "T-400-conflict"),
    ];
    let script = cases
        .iter()
        .map(|(status, code, id)| error(*status, code, &format!("message of {code}"), id))
        .collect();
    let server = TestServer::start(server_auth(), script).await;
    let (client, sleep) = client(&server);

    for (status, code, request_id) in cases {
        let err = client
            .create_private_connect(create_input())
            .await
            .expect_err("error answer");
        let SdkError::Service(typed) = &err else {
            panic!("{code}: expected a service error, got {err:?}");
        };
        let expected = match code {
            "INVALID_PORT_NOT_FOUND" => Kind::InvalidPortNotFound,
            "INVALID_PORT_STATUS" => Kind::InvalidPortStatus,
            "INVALID_ENDPOINT_PARAMETER" => Kind::InvalidEndpointParameter,
            "INVALID_CONNECT_ENDPOINT_CONFLICT" => Kind::InvalidConnectEndpointConflict,
            _ => unreachable!(),
        };
        assert_eq!(typed.kind(), expected, "{code} arrived as {typed:?}");
        assert_eq!(typed.code(), code);
        assert_eq!(typed.message(), format!("message of {code}"));
        assert_eq!(typed.request_id(), Some(request_id));
        assert_eq!(truebind_runtime::ErrorMeta::meta(typed).status, status);
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.request_id(), Some(request_id));
    }
    assert_eq!(server.requests().len(), 4, "4xx answers are never retried");
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn service_error_display_is_one_line_with_code_status_and_request_id() {
    let server = TestServer::start(
        server_auth(),
        vec![error(
            404,
            "INVALID_PORT_NOT_FOUND",
            "The port `port-a-1001` is not found",
            "T67723B59-F4D1-42EA-BDC1-5E67167FD8CC",
        )],
    )
    .await;
    let (client, _) = client(&server);

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    let shown = err.to_string();
    assert!(!shown.contains('\n'), "one line: {shown:?}");
    assert!(shown.contains("INVALID_PORT_NOT_FOUND"), "{shown}");
    assert!(shown.contains("HTTP 404"), "{shown}");
    assert!(
        shown.contains("T67723B59-F4D1-42EA-BDC1-5E67167FD8CC"),
        "{shown}"
    );
}

#[tokio::test]
async fn undocumented_error_code_arrives_as_unhandled() {
    let server = TestServer::start(
        server_auth(),
        vec![error(
            403,
            "OPERATION_DENIED_NO_PERMISSION",
            "denied",
            "T-unk",
        )],
    )
    .await;
    let (client, _) = client(&server);

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    match err {
        SdkError::Service(e) if e.kind() == Kind::Unhandled => {
            let e = e.meta();
            assert_eq!(e.code, "OPERATION_DENIED_NO_PERMISSION");
            assert_eq!(e.status, 403);
            assert_eq!(e.request_id.as_deref(), Some("T-unk"));
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn throttled_twice_then_success_takes_three_signed_attempts() {
    let throttled = error(429, "REQUEST_LIMIT_EXCEEDED", "slow down", "T-429");
    let server = TestServer::start(
        server_auth(),
        vec![
            throttled.clone(),
            throttled,
            ok("T-ok", json!({"privateConnectId": "pc-after-throttle"})),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    let output = client
        .create_private_connect(create_input())
        .await
        .expect("success after throttling");

    assert_eq!(
        output.private_connect_id.as_deref(),
        Some("pc-after-throttle")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.auth, Ok(()), "every attempt is signed validly");
        assert_eq!(r.json(), create_body(), "every attempt sends the same body");
    }
    // Equal-jitter backoff from 100 ms: [50, 100) ms, then [100, 200) ms.
    let waits = sleep.waits();
    assert_eq!(waits.len(), 2);
    assert!(waits[0] >= Duration::from_millis(50) && waits[0] < Duration::from_millis(100));
    assert!(waits[1] >= Duration::from_millis(100) && waits[1] < Duration::from_millis(200));
    assert!(waits[1] > waits[0], "backoff grows: {waits:?}");
}

#[tokio::test]
async fn throttling_forever_ends_in_throttled_after_max_attempts() {
    let server = TestServer::start(
        server_auth(),
        vec![error(
            429,
            "REQUEST_LIMIT_EXCEEDED",
            "slow down",
            "T-still-429",
        )],
    )
    .await;
    let (client, sleep) =
        zenlayer_client(&server, Credentials::access_key(KEY_ID, KEY_SECRET), |c| {
            c.retry(fast_retry(3))
        });

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    match &err {
        SdkError::Throttled(e) => {
            assert_eq!(e.code, "REQUEST_LIMIT_EXCEEDED");
            assert_eq!(e.status, 429);
            assert_eq!(e.request_id.as_deref(), Some("T-still-429"));
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert_eq!(err.code(), Some("REQUEST_LIMIT_EXCEEDED"));
    assert_eq!(server.requests().len(), 3);
    let waits = sleep.waits();
    assert_eq!(waits.len(), 2);
    assert!(waits[1] > waits[0], "backoff grows: {waits:?}");
}

#[tokio::test]
async fn retry_after_seconds_header_sets_the_wait() {
    let server = TestServer::start(
        server_auth(),
        vec![
            error(429, "REQUEST_LIMIT_EXCEEDED", "slow down", "T-ra").header("retry-after", "2"),
            ok("T-ok", json!({"privateConnectId": "pc-ra"})),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    client
        .create_private_connect(create_input())
        .await
        .expect("success");

    assert_eq!(server.requests().len(), 2);
    assert_eq!(sleep.waits(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn server_error_on_create_is_not_retried() {
    // CreatePrivateConnect is a write without an idempotency token: a 5xx may
    // have created the resource, so repeating it could create a second one.
    let server = TestServer::start(
        server_auth(),
        vec![
            error(500, "INTERNAL_SERVER_ERROR", "boom", "T-500"),
            ok("T-never", json!({"privateConnectId": "pc-duplicate"})),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    // A service-wide code: typed as `Common` on every action.
    match &err {
        SdkError::Service(e) if e.kind() == Kind::Common(CommonErrorKind::InternalServerError) => {
            let e = e.meta();
            assert_eq!(e.code, "INTERNAL_SERVER_ERROR");
            assert_eq!(e.status, 500);
            assert_eq!(e.request_id.as_deref(), Some("T-500"));
        }
        other => panic!("expected a typed service error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "exactly one attempt");
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn out_of_range_bandwidth_fails_validation_and_sends_nothing() {
    let server = TestServer::start(server_auth(), vec![ok("T-x", json!({}))]).await;
    let (client, _) = client(&server);

    // `validate` refuses it before any call ...
    let mut input = CreatePrivateConnectInput::new(endpoint("p", None));
    input.bandwidth_mbps = Some(501);
    let refused = input.validate().unwrap_err();
    assert_eq!(refused.problems.len(), 1);
    assert_eq!(refused.problems[0].field, "bandwidthMbps");
    // ... and so does the client when the caller did not ask.
    let err = client.create_private_connect(input).await.unwrap_err();

    match err {
        SdkError::Validation(v) => {
            assert!(v.problems.iter().any(|p| p.field == "bandwidthMbps"), "{v}");
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 0, "nothing reached the server");
}

#[tokio::test]
async fn bearer_token_mode_sends_the_token_and_no_signature_headers() {
    let server = TestServer::start(
        Auth::ZenlayerBearer {
            token: "zl-pat-e2e".into(),
        },
        vec![ok("T-bearer", json!({"privateConnectId": "pc-bearer"}))],
    )
    .await;
    let (client, _) = zenlayer_client(
        &server,
        Credentials::Bearer(Secret::new("zl-pat-e2e")),
        |c| c,
    );

    let output = client
        .create_private_connect(create_input())
        .await
        .expect("success");

    assert_eq!(output.private_connect_id.as_deref(), Some("pc-bearer"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer zl-pat-e2e")
    );
    assert_eq!(requests[0].header("x-zc-timestamp"), None);
    assert_eq!(requests[0].header("x-zc-signature-method"), None);
}

#[tokio::test]
async fn wrong_secret_is_rejected_by_the_server_verifier() {
    let server = TestServer::start(
        server_auth(),
        vec![ok("T-never", json!({"privateConnectId": "pc-never"}))],
    )
    .await;
    let (client, sleep) = zenlayer_client(
        &server,
        Credentials::access_key(KEY_ID, "not-the-secret"),
        |c| c,
    );

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    match &err {
        SdkError::Service(e) if e.kind() == Kind::Unhandled => {
            let e = e.meta();
            assert_eq!(e.code, ZENLAYER_SIGNATURE_ERROR);
            assert_eq!(e.status, 401);
            assert!(e.request_id.is_some());
        }
        other => panic!("expected the signature error, got {other:?}"),
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "an auth failure is not retried");
    assert!(requests[0].auth.is_err(), "the verifier refused it");
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn slow_answer_times_out_and_the_write_is_not_retried() {
    let server = TestServer::start(
        server_auth(),
        vec![ok("T-late", json!({"privateConnectId": "pc-late"})).delayed(Duration::from_secs(3))],
    )
    .await;
    let (client, sleep) =
        zenlayer_client(&server, Credentials::access_key(KEY_ID, KEY_SECRET), |c| {
            c.timeouts(Duration::from_secs(2), Duration::from_millis(300))
        });
    let started = Instant::now();

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    assert!(matches!(err, SdkError::Timeout), "got {err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "gave up on time"
    );
    assert_eq!(server.requests().len(), 1, "a timed-out write may have run");
    assert!(sleep.waits().is_empty());
}

/// Sends a create that the server answers with `reply`, expecting an
/// `InvalidResponse` after exactly one attempt.
async fn invalid_response_for(reply: Reply) -> truebind_runtime::InvalidResponse {
    let server = TestServer::start(server_auth(), vec![reply]).await;
    let (client, _) = client(&server);
    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    match err {
        SdkError::InvalidResponse(r) => r,
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn html_error_page_is_an_invalid_response_with_its_status() {
    let r = invalid_response_for(
        Reply::raw(
            502,
            Some("text/html"),
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )
        .header("x-zc-request-id", "T-gateway"),
    )
    .await;
    assert_eq!(r.status, 502);
    assert_eq!(r.content_type.as_deref(), Some("text/html"));
    assert!(r.reason.contains("text/html"), "{}", r.reason);
    assert!(r.body_start.starts_with("<html>"));
    assert_eq!(r.request_id.as_deref(), Some("T-gateway"));
}

#[tokio::test]
async fn truncated_json_is_an_invalid_response() {
    let r = invalid_response_for(Reply::raw(
        200,
        Some("application/json"),
        r#"{"requestId":"T-cut","response":{"privateConnectId":"pc-"#,
    ))
    .await;
    assert_eq!(r.status, 200);
    assert!(r.reason.contains("not the expected JSON"), "{}", r.reason);
}

#[tokio::test]
async fn empty_body_is_an_invalid_response() {
    let r = invalid_response_for(Reply::raw(200, Some("application/json"), "")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.reason, "the body is empty");
}

#[tokio::test]
async fn wrong_content_type_is_an_invalid_response() {
    let r = invalid_response_for(Reply::raw(200, Some("text/plain"), "OK")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type.as_deref(), Some("text/plain"));
    assert!(r.reason.contains("text/plain"), "{}", r.reason);
}

#[tokio::test]
async fn success_status_without_response_object_keeps_the_request_id() {
    let r = invalid_response_for(Reply::json(200, json!({"requestId": "T-noresp"}))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.request_id.as_deref(), Some("T-noresp"));
    assert!(r.reason.contains("`response`"), "{}", r.reason);
}

#[tokio::test]
async fn an_output_that_is_not_an_object_is_invalid_and_keeps_the_request_id() {
    // A field of the wrong type is read or left empty (e2e_decode.rs); only
    // an output with no fields to read fails the call.
    let body = json!({"requestId": "T-shape", "response": [42]});
    let r = invalid_response_for(Reply::json(200, body)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.request_id.as_deref(), Some("T-shape"));
    assert!(
        r.reason.contains("expected an object, found a list"),
        "{}",
        r.reason
    );
}

#[tokio::test]
async fn refused_connection_is_a_transport_error_retried_to_max_attempts() {
    let port = support::closed_port();
    let sleep = RecordingSleep::new();
    let client = zenlayer_sdn::Client::new(
        Config::new(Credentials::access_key(KEY_ID, KEY_SECRET))
            .endpoint(format!("http://127.0.0.1:{port}/api/v2/sdn"))
            .retry(fast_retry(3))
            .sleep(sleep.clone()),
    )
    .unwrap();

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    assert!(matches!(err, SdkError::Transport(_)), "got {err:?}");
    // The request never reached a server, so even a write is retried:
    // three attempts, two waits in between.
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn http_429_with_an_unreadable_body_is_still_retried_as_throttling() {
    // zenlayer-sdn.md §3.3: HTTP 429 alone signals throttling (the Go SDK's
    // isRateLimitError checks the status or the code). A gateway or CDN in
    // front of the API answers 429 with its own HTML page, not the envelope.
    let server = TestServer::start(
        server_auth(),
        vec![
            Reply::raw(
                429,
                Some("text/html"),
                "<html><body>429 Too Many Requests</body></html>",
            ),
            ok("T-after-429", json!({"privateConnectId": "pc-after-429"})),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    let result = client.create_private_connect(create_input()).await;

    assert_eq!(
        server.requests().len(),
        2,
        "throttling is retried: {result:?}"
    );
    assert_eq!(
        result.expect("success").private_connect_id.as_deref(),
        Some("pc-after-429")
    );
    assert_eq!(sleep.waits().len(), 1);
}

#[tokio::test]
async fn a_wait_hint_never_makes_an_unsafe_write_repeat() {
    // Only 429 or a throttling code is throttling: a Retry-After header on a
    // 5xx (or any other error) does not make a tokenless create safe to repeat.
    let replies = [
        error(500, "INTERNAL_SERVER_ERROR", "boom", "T-500-ra").header("retry-after", "1"),
        Reply::raw(504, Some("text/html"), "<html>504 Gateway Time-out</html>")
            .header("retry-after", "1"),
        error(400, "INVALID_PARAMETER", "bad", "T-400-ra").header("retry-after", "1"),
    ];
    for reply in replies {
        let status = reply.status;
        let server = TestServer::start(server_auth(), vec![reply]).await;
        let (client, sleep) = client(&server);

        let err = client
            .create_private_connect(create_input())
            .await
            .unwrap_err();

        assert!(
            !matches!(err, SdkError::Throttled(_)),
            "HTTP {status} is not throttling: {err:?}"
        );
        match &err {
            SdkError::Service(e) => assert_eq!(e.meta().status, status),
            SdkError::InvalidResponse(r) => assert_eq!(r.status, status),
            other => panic!("HTTP {status}: unexpected {other:?}"),
        }
        assert_eq!(server.requests().len(), 1, "HTTP {status}: one attempt");
        assert!(sleep.waits().is_empty());
    }
}

#[tokio::test]
async fn a_throttling_code_on_a_5xx_never_makes_an_unsafe_write_repeat() {
    // A 5xx may come after the request ran, whatever code its body carries:
    // a tokenless create is not sent again. A read still is.
    let throttled = error(503, "REQUEST_LIMIT_EXCEEDED", "slow down", "T-503");
    let server = TestServer::start(server_auth(), vec![throttled.clone()]).await;
    let (writer, sleep) = client(&server);

    let err = writer
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    assert_eq!(err.code(), Some("REQUEST_LIMIT_EXCEEDED"), "{err:?}");
    assert_eq!(server.requests().len(), 1, "one attempt");
    assert!(sleep.waits().is_empty());

    let read = ok("T-ok", json!({"dataSet": [], "totalCount": 0}));
    let server = TestServer::start(server_auth(), vec![throttled, read]).await;
    let (reader, _) = client(&server);
    let input = zenlayer_sdn::operation::describe_ports::DescribePortsInput::new();
    reader
        .describe_ports(input)
        .await
        .expect("a read is retried");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_redirect_is_an_error_naming_the_location_and_is_not_followed() {
    let elsewhere = TestServer::start(server_auth(), vec![ok("T-elsewhere", json!({}))]).await;
    let server = TestServer::start(
        server_auth(),
        vec![
            Reply::raw(307, None, "")
                .header("location", &elsewhere.endpoint())
                .header("x-zc-request-id", "T-307"),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    match &err {
        SdkError::Redirect(r) => {
            assert_eq!(r.status, 307);
            assert_eq!(r.location.as_deref(), Some(elsewhere.endpoint().as_str()));
            assert_eq!(r.request_id.as_deref(), Some("T-307"));
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
    assert!(err.to_string().contains(&elsewhere.endpoint()), "{err}");
    assert_eq!(server.requests().len(), 1);
    assert!(
        elsewhere.requests().is_empty(),
        "the other host got nothing"
    );
    assert!(sleep.waits().is_empty());
}

/// A `DescribePorts` client of `server` with a short connect timeout and
/// `request_timeout` per attempt, its configuration changed by `adjust`.
fn hostile_client(
    server: &support::HostileServer,
    adjust: impl FnOnce(Config) -> Config,
) -> zenlayer_sdn::Client {
    let config = Config::new(Credentials::access_key(KEY_ID, KEY_SECRET))
        .endpoint(server.base_url())
        .timeouts(Duration::from_secs(2), Duration::from_secs(10))
        .retry(fast_retry(4))
        .sleep(RecordingSleep::new());
    zenlayer_sdn::Client::new(adjust(config)).expect("client")
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_reading() {
    const GIB: u64 = 1024 * 1024 * 1024;
    let server = support::HostileServer::start(support::HostileBody::Announced(GIB)).await;
    let client = hostile_client(&server, |c| c);
    let started = Instant::now();

    let err = client
        .describe_ports(zenlayer_sdn::operation::describe_ports::DescribePortsInput::new())
        .await
        .unwrap_err();

    match &err {
        SdkError::TooLarge(t) => {
            assert_eq!(t.content_length, Some(GIB));
            assert_eq!(
                t.limit,
                truebind_runtime::config::DEFAULT_MAX_RESPONSE_BYTES
            );
            assert_eq!(t.status, 200);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused at once"
    );
    assert_eq!(
        server.hits(),
        1,
        "an oversized answer is not asked for again"
    );
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit() {
    const MIB: usize = 1024 * 1024;
    let server = support::HostileServer::start(support::HostileBody::Endless(64 * 1024)).await;
    let client = hostile_client(&server, |c| c.max_response_bytes(MIB));
    let started = Instant::now();

    let err = client
        .describe_ports(zenlayer_sdn::operation::describe_ports::DescribePortsInput::new())
        .await
        .unwrap_err();

    match &err {
        SdkError::TooLarge(t) => {
            assert_eq!(t.content_length, None);
            assert_eq!(t.limit, MIB);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("exceeds the limit of 1048576 bytes"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5), "cut at once");
    let sent = server.bytes_sent();
    assert!(
        sent < 64 * MIB as u64,
        "the client stopped reading ({sent} bytes sent)"
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_hostile_error_message_cannot_forge_or_flood_log_lines() {
    let message = format!(
        "denied\n2026-12-01 INFO forged line \u{1b}[2J\u{202e}{}",
        "x".repeat(1024 * 1024)
    );
    let server = TestServer::start(
        server_auth(),
        vec![error(403, "FORBIDDEN\r\nX", &message, "T-forge\nline")],
    )
    .await;
    let (client, _) = client(&server);

    let err = client
        .create_private_connect(create_input())
        .await
        .unwrap_err();

    let shown = err.to_string();
    assert!(
        !shown.contains(['\n', '\r', '\u{1b}', '\u{202e}']),
        "controls escaped: {:?}",
        shown.chars().take(200).collect::<String>()
    );
    assert!(shown.len() < 2048, "bounded: {} bytes", shown.len());
    assert!(shown.contains("denied\\n2026-12-01"), "{shown}");
    match err {
        SdkError::Service(e) => assert_eq!(e.message(), message, "the accessor keeps it all"),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn requests_name_the_service_and_the_client() {
    let server = TestServer::start(server_auth(), vec![ok("T-ua", json!({}))]).await;
    let (client, _) = zenlayer_client(&server, Credentials::access_key(KEY_ID, KEY_SECRET), |c| {
        c.user_agent("e2e-tool/1.0")
    });

    client
        .create_private_connect(create_input())
        .await
        .expect("success");

    let requests = server.requests();
    assert_eq!(requests[0].auth, Ok(()), "X-ZC-Service is not signed");
    assert_eq!(requests[0].header("x-zc-service"), Some("sdn"));
    let agent = requests[0].header("user-agent").unwrap();
    assert!(
        agent.starts_with("truebind-runtime/")
            && agent.ends_with(&format!(
                " zenlayer-sdn/{} e2e-tool/1.0",
                zenlayer_sdn::SERVICE.crate_version
            )),
        "{agent}"
    );
}

#[tokio::test]
async fn a_base_url_endpoint_gets_the_service_path_from_the_spec() {
    let server = TestServer::start(server_auth(), vec![ok("T-base", json!({}))]).await;
    let (client, _) = zenlayer_client(&server, Credentials::access_key(KEY_ID, KEY_SECRET), |c| {
        c.endpoint(server.base_url())
    });

    client
        .create_private_connect(create_input())
        .await
        .expect("success");

    // The server records (and fails the test on) any other path.
    assert_eq!(server.requests()[0].path, support::ZENLAYER_PATH);
}

#[test]
fn an_endpoint_with_another_path_is_a_config_error() {
    for endpoint in [
        "http://127.0.0.1:9/v1",
        "http://127.0.0.1:9/api/v2/bmc",
        "http://127.0.0.1:9/?x=1",
        "ftp://127.0.0.1:9",
    ] {
        let config = Config::new(Credentials::access_key(KEY_ID, KEY_SECRET)).endpoint(endpoint);
        match zenlayer_sdn::Client::new(config) {
            Err(truebind_runtime::ConfigError::InvalidEndpoint(given, _)) => {
                // A query could carry credentials: the error shows it as `***`.
                assert_eq!(given, endpoint.replace("?x=1", "?***"))
            }
            other => panic!("{endpoint}: expected InvalidEndpoint, got {other:?}"),
        }
    }
    let host = Config::new(Credentials::access_key(KEY_ID, KEY_SECRET)).endpoint("sdn.example.com");
    let url = truebind_runtime::resolve_endpoint(&zenlayer_sdn::SERVICE, &host)
        .expect("a host is enough");
    assert_eq!(url.as_str(), "https://sdn.example.com/api/v2/sdn");
}
