//! Unit tests of user code with mocked clients (feature `test-util`), no server.
//!
//! What a user of a generated crate would write: small functions over a
//! `Client`, tested with [`Mock`] rules. Each test also pins what the mock
//! promises: the real call path runs (input checks, retry classification
//! and backoff, waiter polling, paging), sleeps are virtual, calls are
//! recorded, and an unanswered call is an error naming its action.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use truebind_runtime::{CallOptions, ErrorMeta, RetryPolicy, SdkError};
use zenlayer_sdn::Client;
use zenlayer_sdn::operation::create_private_connect::{
    CreatePrivateConnectError, CreatePrivateConnectErrorKind, CreatePrivateConnectInput,
    CreatePrivateConnectOutput,
};
use zenlayer_sdn::operation::describe_ports::{DescribePortsInput, DescribePortsOutput};
use zenlayer_sdn::operation::describe_private_connects::{
    DescribePrivateConnectsInput, DescribePrivateConnectsOutput,
};
use zenlayer_sdn::test_util::{MOCK_REQUEST_ID, Mock, rule};
use zenlayer_sdn::types::{CreateEndpointParam, PortInfo, PrivateConnect, PrivateConnectStatus};

/// User code: the names of the ports in one data center.
async fn port_names(client: &Client, dc: &str) -> Result<Vec<String>, String> {
    let mut input = DescribePortsInput::new();
    input.dc_id = Some(dc.into());
    let output = client
        .describe_ports(input)
        .await
        .map_err(|e| e.to_string())?;
    let ports = output.data_set.unwrap_or_default();
    Ok(ports.into_iter().filter_map(|p| p.port_name).collect())
}

/// User code: connects a port and waits until the connect is available; a
/// missing port is the caller's mistake, reported as such.
async fn connect(client: &Client, port: &str) -> Result<String, String> {
    let mut endpoint = CreateEndpointParam::new();
    endpoint.port_id = Some(port.into());
    let created = match client
        .create_private_connect(CreatePrivateConnectInput::new(endpoint))
        .await
    {
        Ok(created) => created,
        Err(SdkError::Service(e))
            if e.kind() == CreatePrivateConnectErrorKind::InvalidPortNotFound =>
        {
            return Err(format!("no port {port} (request {:?})", e.request_id()));
        }
        Err(e) => return Err(e.to_string()),
    };
    let id = created.private_connect_id.ok_or("no id")?;
    client
        .wait_until_private_connect_available([id.as_str()])
        .wait()
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}

fn port(name: &str) -> PortInfo {
    PortInfo::for_test()
        .port_id(format!("id-{name}"))
        .port_name(name)
}

fn connect_in(status: PrivateConnectStatus) -> DescribePrivateConnectsOutput {
    let record = PrivateConnect::for_test()
        .private_connect_id("pc-1")
        .private_connect_status(status);
    DescribePrivateConnectsOutput::for_test()
        .total_count(1)
        .data_set(vec![record])
}

#[tokio::test]
async fn an_output_rule_answers_and_the_call_is_recorded() {
    let mock = Mock::new()
        .with_rule(rule::<DescribePortsInput>().then_output(|| {
            DescribePortsOutput::for_test().data_set(vec![port("p1"), port("p2")])
        }));
    let client = Client::from_mock(&mock);
    assert_eq!(
        port_names(&client, "dc-1").await.unwrap(),
        ["p1", "p2"],
        "the typed output is what the call returns"
    );
    let calls = mock.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].action, "DescribePorts");
    assert_eq!(calls[0].params, json!({"dcId": "dc-1"}));
    assert_eq!(calls[0].attempts, 1);
    assert!(mock.all_used());
}

/// A call is a named future (`Call`, in the generated crate's prelude): it can be kept in
/// a field or a `Vec` without boxing, is `Unpin` (awaited through `&mut`) and its `Debug`
/// names the action. An `impl Future` return type allowed none of the three.
#[tokio::test]
async fn a_call_is_a_named_unpin_future_that_can_be_stored() {
    let mock = Mock::new().with_rule(
        rule::<DescribePortsInput>()
            .then_output(|| DescribePortsOutput::for_test().data_set(vec![port("p1")])),
    );
    let client = Client::from_mock(&mock);
    let mut pending: Vec<zenlayer_sdn::Call<'_, DescribePortsInput>> =
        vec![client.describe_ports(DescribePortsInput::new())];
    assert!(format!("{:?}", pending[0]).contains("DescribePorts"));
    let output = (&mut pending[0]).await.unwrap();
    assert_eq!(output.data_set.map(|d| d.len()), Some(1));
}

/// A call is a future a multi-threaded runtime can spawn: the client methods
/// hand back the runtime's future (no `async fn` of their own), so `Send` and
/// `'static` come from it and would break if it held something thread-bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_is_a_send_future_a_spawned_task_can_await() {
    let mock = Mock::new().with_rule(
        rule::<DescribePortsInput>()
            .then_output(|| DescribePortsOutput::for_test().data_set(vec![port("p1")])),
    );
    let client = Client::from_mock(&mock);
    let task = tokio::spawn(async move { client.describe_ports(DescribePortsInput::new()).await });
    let output = task
        .await
        .expect("the task ran")
        .expect("the mock answered");
    assert_eq!(output.data_set.map(|ports| ports.len()), Some(1));
    assert_eq!(mock.calls().len(), 1);
}

#[tokio::test]
async fn a_documented_error_kind_reaches_the_user_code() {
    let mock = Mock::new().with_rule(rule::<CreatePrivateConnectInput>().then_error(
        CreatePrivateConnectError::for_test(CreatePrivateConnectErrorKind::InvalidPortNotFound),
    ));
    let client = Client::from_mock(&mock);
    let error = connect(&client, "p-x").await.unwrap_err();
    assert_eq!(
        error,
        format!("no port p-x (request Some({MOCK_REQUEST_ID:?}))")
    );
    let built =
        CreatePrivateConnectError::for_test(CreatePrivateConnectErrorKind::InvalidPortStatus);
    assert_eq!(
        built.code(),
        "INVALID_PORT_STATUS",
        "the kind's documented code"
    );
}

#[tokio::test]
async fn throttling_then_success_runs_the_real_retry_loop_in_virtual_time() {
    let mock = Mock::new().with_rule(
        rule::<DescribePortsInput>()
            .then_throttled()
            .times(2)
            .then_output(|| DescribePortsOutput::for_test().data_set(vec![port("p1")])),
    );
    let client = Client::from_mock(&mock);
    assert_eq!(port_names(&client, "dc-1").await.unwrap(), ["p1"]);
    assert_eq!(
        mock.calls()[0].attempts,
        3,
        "two throttled attempts, then the answer"
    );
    assert!(
        mock.slept() > Duration::ZERO,
        "the backoff was slept, virtually"
    );
}

#[tokio::test]
async fn a_write_without_token_is_not_retried_after_a_broken_connection() {
    let mock = Mock::new().with_rule(
        rule::<CreatePrivateConnectInput>()
            .then_transport_error()
            .then_output(CreatePrivateConnectOutput::for_test),
    );
    let client = Client::from_mock(&mock);
    let error = connect(&client, "p1").await.unwrap_err();
    assert!(error.contains("connection reset"), "{error}");
    assert_eq!(
        mock.calls()[0].attempts,
        1,
        "the write may have run: no repeat"
    );
    assert!(!mock.all_used());
}

#[tokio::test]
async fn a_policy_without_retries_gives_up_on_throttling() {
    let mock = Mock::new().with_rule(rule::<DescribePortsInput>().then_throttled().repeatedly());
    let no_retries = CallOptions::new().retry(RetryPolicy::none());
    let client = Client::from_mock(&mock).with_options(no_retries);
    let error = client
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Throttled(e) if e.code == "REQUEST_LIMIT_EXCEEDED"),
        "{error:?}"
    );
    assert_eq!(mock.calls()[0].attempts, 1);
}

#[tokio::test]
async fn a_waiter_polls_a_sequence_of_reads() {
    let reads = rule::<DescribePrivateConnectsInput>()
        .matching(|i| i.private_connect_ids.as_deref() == Some(&["pc-1".to_string()]))
        .then_output(|| connect_in(PrivateConnectStatus::Creating))
        .times(2)
        .then_output(|| connect_in(PrivateConnectStatus::Available));
    let mock = Mock::new()
        .with_rule(
            rule::<CreatePrivateConnectInput>()
                .then_output(|| CreatePrivateConnectOutput::for_test().private_connect_id("pc-1")),
        )
        .with_rule(reads);
    let client = Client::from_mock(&mock);
    assert_eq!(connect(&client, "p1").await.unwrap(), "pc-1");
    assert_eq!(mock.calls_of("DescribePrivateConnects"), 3);
    assert!(mock.all_used());
    assert!(mock.slept() >= Duration::from_secs(1), "{:?}", mock.slept());
}

#[tokio::test]
async fn a_paginator_walks_mocked_pages() {
    let page = |n: i32, names: &'static [&'static str]| {
        rule::<DescribePortsInput>()
            .matching(move |i| i.page_num == Some(n))
            .then_output(move || {
                DescribePortsOutput::for_test()
                    .total_count(3)
                    .data_set(names.iter().map(|n| port(n)).collect())
            })
    };
    let mock = Mock::new()
        .with_rule(page(1, &["a", "b"]))
        .with_rule(page(2, &["c"]));
    let client = Client::from_mock(&mock);
    let mut input = DescribePortsInput::new();
    input.page_size = Some(2);
    let names: Vec<String> = client
        .describe_ports_pages(input)
        .items()
        .map(|r| r.unwrap().port_name.unwrap())
        .collect()
        .await;
    assert_eq!(names, ["a", "b", "c"]);
    let pages: Vec<_> = mock
        .calls()
        .iter()
        .map(|c| c.params["pageNum"].clone())
        .collect();
    assert_eq!(pages, [json!(1), json!(2)]);
}

#[tokio::test]
async fn an_unanswered_call_names_its_action_and_is_not_retried() {
    let mock = Mock::new()
        .with_rule(rule::<DescribePortsInput>().then_output(DescribePortsOutput::for_test));
    let client = Client::from_mock(&mock);
    let unmatched = client
        .describe_private_connects(DescribePrivateConnectsInput::new())
        .await
        .unwrap_err();
    assert!(matches!(unmatched, SdkError::Transport(_)), "{unmatched:?}");
    let text = unmatched.to_string();
    assert!(
        text.contains("no rule answers this call of DescribePrivateConnects"),
        "{text}"
    );
    port_names(&client, "dc").await.unwrap();
    let exhausted = port_names(&client, "dc").await.unwrap_err();
    assert!(
        exhausted.contains("DescribePorts (rules for it: 1, all used"),
        "{exhausted}"
    );
    assert!(mock.calls().iter().all(|c| c.attempts == 1));
}

#[tokio::test]
async fn sequential_rules_must_come_in_order() {
    let mock = Mock::sequential()
        .with_rule(
            rule::<CreatePrivateConnectInput>().then_output(CreatePrivateConnectOutput::for_test),
        )
        .with_rule(rule::<DescribePortsInput>().then_output(DescribePortsOutput::for_test));
    let client = Client::from_mock(&mock);
    let error = port_names(&client, "dc").await.unwrap_err();
    assert!(
        error.contains(
            "the next rule is for CreatePrivateConnect, but the call is of DescribePorts"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn input_checks_run_before_any_rule() {
    let mock = Mock::new()
        .with_rule(rule::<DescribePortsInput>().then_output(DescribePortsOutput::for_test));
    let client = Client::from_mock(&mock);
    let mut input = DescribePortsInput::new();
    input.page_size = Some(0);
    let error = client.describe_ports(input).await.unwrap_err();
    assert!(matches!(error, SdkError::Validation(_)), "{error:?}");
    assert!(mock.calls().is_empty());
}

#[tokio::test]
async fn alibaba_json_answers_are_decoded_and_its_throttling_code_is_retried() {
    use alibaba_vpc::operation::describe_physical_connections::DescribePhysicalConnectionsInput;
    let mock = Mock::new().with_rule(
        rule::<DescribePhysicalConnectionsInput>()
            .then_throttled()
            .then_json(json!({"TotalCount": "7", "PageNumber": 1})),
    );
    let client = alibaba_vpc::Client::from_mock(&mock);
    let output = client
        .describe_physical_connections(DescribePhysicalConnectionsInput::new("cn-hangzhou"))
        .await
        .unwrap();
    assert_eq!(
        output.total_count,
        Some(7),
        "decoded as a real answer, text coerced"
    );
    assert_eq!(output.request_id.as_deref(), Some(MOCK_REQUEST_ID));
    assert_eq!(mock.calls()[0].attempts, 2);
    assert_eq!(
        mock.calls()[0].params,
        json!({"RegionId": "cn-hangzhou"}),
        "the input's parameters only"
    );
}

#[tokio::test]
async fn a_rule_may_look_at_the_mock_while_it_answers() {
    let mock = Mock::new();
    let seen = mock.clone();
    mock.add(
        rule::<DescribePortsInput>()
            .matching(move |_| seen.calls_of("DescribePorts") < 2)
            .then_output(|| DescribePortsOutput::for_test().data_set(vec![port("p1")]))
            .repeatedly(),
    );
    let client = Client::from_mock(&mock);
    assert_eq!(port_names(&client, "dc").await.unwrap(), ["p1"]);
    assert_eq!(port_names(&client, "dc").await.unwrap(), ["p1"]);
    let refused = port_names(&client, "dc").await.unwrap_err();
    assert!(refused.contains("not matching"), "{refused}");
}

/// A hook that writes down each answered attempt's status and whether it is retried.
#[derive(Default)]
struct Statuses(std::sync::Mutex<Vec<(Option<u16>, bool)>>);

impl truebind_runtime::Hook for Statuses {
    fn after_answer(&self, answer: &truebind_runtime::options::Answered<'_>) {
        let mut seen = self.0.lock().unwrap();
        seen.push((answer.status, answer.will_retry));
    }
}

#[tokio::test]
async fn hooks_see_every_mocked_attempt() {
    let mock = Mock::new().with_rule(
        rule::<DescribePortsInput>()
            .then_throttled()
            .then_output(DescribePortsOutput::for_test),
    );
    let statuses = std::sync::Arc::new(Statuses::default());
    let client = Client::from_mock(&mock).with_options(CallOptions::new().hook(statuses.clone()));
    port_names(&client, "dc").await.unwrap();
    assert_eq!(
        *statuses.0.lock().unwrap(),
        [(Some(429), true), (Some(200), false)]
    );
}

#[test]
fn an_undocumented_kind_builds_an_unhandled_error() {
    let error = CreatePrivateConnectError::for_test(CreatePrivateConnectErrorKind::Unhandled);
    assert_eq!(error.kind(), CreatePrivateConnectErrorKind::Unhandled);
    assert_eq!((error.code(), error.meta().status), ("Unhandled", 400));
}
