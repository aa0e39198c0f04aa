//! Per-call control of a generated client against a local server: a timeout
//! and retry policy for one call (`Client::with_options`), hooks that add a
//! header before sending and observe every answer, a user-supplied
//! `reqwest::Client`, and page streams that move into `tokio::spawn`.
//!
//! Each test asserts on what the server (or proxy) received, so an override
//! that is accepted but not applied fails.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;
use support::zenlayer::{error, ok};
use support::{Auth, ProxyLike, Reply, TestServer, fast_retry, zenlayer_client};
use truebind_runtime::http_client_builder;
use truebind_runtime::options::{Answered, HeaderRefused, Outgoing};
use truebind_runtime::reqwest;
use truebind_runtime::{CallOptions, Credentials, Hook, RetryPolicy, SdkError};
use zenlayer_sdn::operation::describe_ports::DescribePortsInput;

const KEY_ID: &str = "AKIDCALLOPTIONS";
const KEY_SECRET: &str = "call-options-secret";

fn credentials() -> Credentials {
    Credentials::access_key(KEY_ID, KEY_SECRET)
}

async fn server(script: Vec<Reply>) -> TestServer {
    TestServer::start(Auth::zenlayer(KEY_ID, KEY_SECRET), script).await
}

fn ports_page() -> Reply {
    ok("REQ-OK", json!({"totalCount": 0, "dataSet": []}))
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_configured_one() {
    let server = server(vec![ports_page().delayed(Duration::from_secs(3))]).await;
    let (client, _) = zenlayer_client(&server, credentials(), |c| {
        c.timeouts(Duration::from_secs(5), Duration::from_secs(30))
    });
    let quick = CallOptions::new()
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none());

    let started = Instant::now();
    let err = client
        .with_options(quick)
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();

    assert!(matches!(err, SdkError::Timeout), "got {err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_per_call_retry_policy_overrides_the_configured_one() {
    let server = server(vec![error(503, "SERVICE_UNAVAILABLE", "busy", "REQ-503")]).await;
    let (client, sleep) = zenlayer_client(&server, credentials(), |c| c.retry(fast_retry(4)));

    let once = client.with_options(CallOptions::new().retry(RetryPolicy::none()));
    once.describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "no retry with RetryPolicy::none"
    );

    let twice = client.with_options(CallOptions::new().retry(fast_retry(2)));
    twice
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        3,
        "two attempts with fast_retry(2)"
    );
    assert_eq!(sleep.waits().len(), 1);

    client
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        7,
        "the client itself keeps its 4 attempts"
    );
}

/// Adds `x-trace-id` and remembers what inserting protected names gave.
#[derive(Default)]
struct TraceHeader {
    refused: Mutex<Vec<Result<(), HeaderRefused>>>,
}

impl Hook for TraceHeader {
    fn before_send(&self, request: &mut Outgoing<'_>) {
        let id = format!("trace-{}-{}", request.action(), request.attempt());
        request.insert("X-Trace-Id", &id).expect("a custom header");
        let mut refused = self.refused.lock().unwrap();
        refused.push(request.insert("x-zc-action", "Other"));
        refused.push(request.insert("authorization", "forged"));
    }
}

#[tokio::test]
async fn a_hook_adds_an_unsigned_header_the_server_sees() {
    let server = server(vec![ports_page()]).await;
    let (client, _) = zenlayer_client(&server, credentials(), |c| c);
    let hook = Arc::new(TraceHeader::default());

    client
        .with_options(CallOptions::new().hook(Arc::clone(&hook)))
        .describe_ports(DescribePortsInput::new())
        .await
        .expect("the signature still verifies");

    let request = &server.requests()[0];
    assert_eq!(request.header("x-trace-id"), Some("trace-DescribePorts-1"));
    assert_eq!(request.action(), Some("DescribePorts"));
    assert_eq!(request.auth, Ok(()));
    let refused = hook.refused.lock().unwrap().clone();
    assert_eq!(
        refused,
        vec![
            Err(HeaderRefused::Protected("x-zc-action".into())),
            Err(HeaderRefused::Protected("authorization".into())),
        ]
    );
}

/// What an [`Observer`] keeps of one answer: attempt, status, request id, will retry.
type Seen = (u32, Option<u16>, Option<String>, bool);

/// Records every answer.
#[derive(Default)]
struct Observer {
    seen: Mutex<Vec<Seen>>,
}

impl Hook for Observer {
    fn after_answer(&self, answer: &Answered<'_>) {
        assert_eq!(answer.action, "DescribePorts");
        assert!(answer.latency < Duration::from_secs(10));
        self.seen.lock().unwrap().push((
            answer.attempt,
            answer.status,
            answer.request_id.map(str::to_string),
            answer.will_retry,
        ));
    }
}

#[tokio::test]
async fn a_hook_observes_status_and_attempts() {
    let server = server(vec![
        error(503, "SERVICE_UNAVAILABLE", "busy", "REQ-503"),
        ports_page(),
    ])
    .await;
    let (client, _) = zenlayer_client(&server, credentials(), |c| c);
    let observer = Arc::new(Observer::default());

    client
        .with_options(CallOptions::new().hook(Arc::clone(&observer)))
        .describe_ports(DescribePortsInput::new())
        .await
        .expect("the retry succeeds");

    assert_eq!(
        *observer.seen.lock().unwrap(),
        vec![
            (1, Some(503), Some("REQ-503".to_string()), true),
            (2, Some(200), Some("REQ-OK".to_string()), false),
        ]
    );
}

#[tokio::test]
async fn a_user_supplied_http_client_is_used() {
    let proxy = ProxyLike::start(ports_page()).await;
    // Nothing listens at the endpoint: only the proxy can answer.
    let endpoint = format!("http://127.0.0.1:{}", support::closed_port());
    let http = http_client_builder()
        .proxy(reqwest::Proxy::http(proxy.url()).expect("proxy url"))
        .build()
        .expect("http client");
    let config = truebind_runtime::Config::new(credentials())
        .endpoint(endpoint.clone())
        .retry(RetryPolicy::none())
        .http_client(http);
    let client = zenlayer_sdn::Client::new(config).expect("client");

    client
        .describe_ports(DescribePortsInput::new())
        .await
        .expect("answered by the proxy");

    assert_eq!(proxy.targets(), vec![format!("{endpoint}/api/v2/sdn")]);
}

#[tokio::test]
async fn a_user_client_that_follows_redirects_is_refused() {
    // The user's client follows the 307 to the proxy, a different origin.
    let elsewhere = ProxyLike::start(ports_page()).await;
    let location = format!("{}/api/v2/sdn", elsewhere.url());
    let server = server(vec![
        Reply::raw(307, None, "").header("location", &location),
    ])
    .await;
    let http = http_client_builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .expect("http client");
    let (client, _) = zenlayer_client(&server, credentials(), |c| c.http_client(http));

    let err = client
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();

    let SdkError::InvalidResponse(refused) = &err else {
        panic!("got {err:?}");
    };
    assert!(refused.reason.contains("followed a redirect"), "{err}");
    assert_eq!(elsewhere.targets(), vec!["/api/v2/sdn".to_string()]);
}

#[tokio::test]
async fn page_streams_move_into_spawned_tasks() {
    let server = server(vec![ok(
        "REQ-PAGE",
        json!({"totalCount": 1, "dataSet": [{"portId": "port-1"}]}),
    )])
    .await;
    let (client, _) = zenlayer_client(&server, credentials(), |c| c);

    // Built outside the task: the stream owns its client.
    let items = client
        .describe_ports_pages(DescribePortsInput::new())
        .items();
    let first = tokio::spawn(async move { items.collect::<Vec<_>>().await });
    let second = tokio::spawn(async move {
        client
            .describe_ports_pages(DescribePortsInput::new())
            .items()
            .collect::<Vec<_>>()
            .await
    });

    for task in [first, second] {
        let records = task.await.expect("the task ran");
        let ids: Vec<_> = records
            .into_iter()
            .map(|r| r.expect("a record").port_id)
            .collect();
        assert_eq!(ids, vec![Some("port-1".to_string())]);
    }
}
