//! The one `tracing` event of every completed call (target
//! `truebind_runtime::call`), captured by a small in-test subscriber for a
//! success, a service error and a transport error: each names the action,
//! outcome, HTTP status (when an answer came), attempts, latency and request
//! id, so logs and metrics need no hook.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::json;
use support::zenlayer::{error, ok};
use support::{Auth, Reply, TestServer, closed_port, fast_retry, zenlayer_client};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use truebind_runtime::{Config, Credentials};
use zenlayer_sdn::operation::describe_ports::DescribePortsInput;

const KEY_ID: &str = "AKIDTRACING";
const KEY_SECRET: &str = "tracing-secret";

type Fields = BTreeMap<String, String>;

/// Keeps the fields (and level) of every event of the call target.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Fields>>>);

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        if event.metadata().target() != "truebind_runtime::call" {
            return;
        }
        let mut fields = Fields::new();
        fields.insert("level".into(), event.metadata().level().to_string());
        event.record(&mut Collect(&mut fields));
        self.0.lock().unwrap().push(fields);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Runs `call` with the capturing subscriber as this thread's default (the
/// test runtime is single-threaded) and returns the one event it emitted.
async fn event_of<F: Future>(call: F) -> Fields {
    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    call.await;
    drop(guard);
    let mut events = capture.0.lock().unwrap().clone();
    assert_eq!(events.len(), 1, "one event per call: {events:?}");
    events.remove(0)
}

fn credentials() -> Credentials {
    Credentials::access_key(KEY_ID, KEY_SECRET)
}

fn assert_common(event: &Fields, outcome: &str, attempts: &str) {
    assert_eq!(event["message"], "call completed");
    assert_eq!(event["service"], "zenlayer-sdn");
    assert_eq!(event["action"], "DescribePorts");
    assert_eq!(event["outcome"], outcome);
    assert_eq!(event["attempts"], attempts);
    let latency: u64 = event["latency_ms"]
        .parse()
        .expect("a number of milliseconds");
    assert!(latency < 10_000, "{latency}");
}

/// The event of one `DescribePorts` call against a server answering `script`.
async fn event_of_call(script: Vec<Reply>) -> Fields {
    let server = TestServer::start(Auth::zenlayer(KEY_ID, KEY_SECRET), script).await;
    let (client, _) = zenlayer_client(&server, credentials(), |c| c);
    event_of(async {
        // The outcome is asserted through the event's fields.
        let _ = client.describe_ports(DescribePortsInput::new()).await;
    })
    .await
}

#[tokio::test]
async fn a_successful_call_emits_one_event() {
    let reply = ok("REQ-TRACE-OK", json!({"totalCount": 0, "dataSet": []}));

    let event = event_of_call(vec![reply]).await;

    assert_common(&event, "success", "1");
    assert_eq!(event["level"], "DEBUG");
    assert_eq!(event["status"], "200");
    assert_eq!(event["request_id"], "REQ-TRACE-OK");
}

#[tokio::test]
async fn a_service_error_emits_one_event_after_the_retries() {
    let event = event_of_call(vec![
        error(503, "SERVICE_UNAVAILABLE", "busy", "REQ-TRACE-503"),
        error(400, "INVALID_PARAMETER", "bad", "REQ-TRACE-400"),
    ])
    .await;

    assert_common(&event, "service_error", "2");
    assert_eq!(event["level"], "INFO");
    assert_eq!(event["status"], "400");
    assert_eq!(event["request_id"], "REQ-TRACE-400");
}

#[tokio::test]
async fn a_transport_error_emits_one_event_without_status() {
    let config = Config::new(credentials())
        .endpoint(format!("http://127.0.0.1:{}", closed_port()))
        .retry(fast_retry(3))
        .sleep(support::RecordingSleep::new());
    let client = zenlayer_sdn::Client::new(config).expect("client");

    let event = event_of(async {
        client
            .describe_ports(DescribePortsInput::new())
            .await
            .unwrap_err();
    })
    .await;

    assert_common(&event, "transport_error", "3");
    assert_eq!(event["level"], "INFO");
    assert!(!event.contains_key("status"), "{event:?}");
    assert!(!event.contains_key("request_id"), "{event:?}");
}
