//! End-to-end tests of response decoding over real HTTP: answers whose values
//! differ in type from the spec, the way the vendors' own SDKs accept them,
//! must still give a successful call with the values read.
//!
//! Each case is one a real gateway sends (a count or a float as text, a
//! boolean as text or where the spec says string, a tag without its required
//! `value`); before decoding was made tolerant each lost the whole page as
//! `InvalidResponse`. A value that cannot be read at all is left empty and
//! reported in the output's `meta.warnings` with its wire path and raw value,
//! and Zenlayer outputs keep both request ids of the envelope.

mod support;

use serde_json::json;
use support::{Auth, Reply, TestServer, alibaba_client, zenlayer_client};
use truebind_runtime::Credentials;

use alibaba_vpc::operation::describe_physical_connections::{
    DescribePhysicalConnectionsInput, DescribePhysicalConnectionsOutput,
};
use zenlayer_sdn::operation::describe_ports::{DescribePortsInput, DescribePortsOutput};
use zenlayer_sdn::operation::describe_private_connects::{
    DescribePrivateConnectsInput, DescribePrivateConnectsOutput,
};

const ZL_KEY_ID: &str = "AKIDDECODE";
const ZL_SECRET: &str = "zenlayer-decode-secret";
const ALI_KEY_ID: &str = "LTAIdecodeKeyId";
const ALI_SECRET: &str = "alibaba-decode-secret";

/// The inner `response.requestId`, which the vendor's examples show
/// differing from the envelope's.
const INNER_ID: &str = "T98044459-95B2-477E-9A2F-00253A70CC6E";
const OUTER_ID: &str = "T05992D0C-7E8B-4047-B0C0-780F2CD549D3";

/// A Zenlayer success answer: `fields` inside `response`, with distinct
/// inner and outer request ids.
fn zenlayer_ok(fields: serde_json::Value) -> Reply {
    let mut response = fields;
    response["requestId"] = json!(INNER_ID);
    Reply::json(200, json!({"requestId": OUTER_ID, "response": response}))
}

/// A Zenlayer client of a server answering `reply`, and the server (which
/// must outlive the call).
async fn zenlayer(reply: Reply) -> (TestServer, zenlayer_sdn::Client) {
    let server = TestServer::start(Auth::zenlayer(ZL_KEY_ID, ZL_SECRET), vec![reply]).await;
    let credentials = Credentials::access_key(ZL_KEY_ID, ZL_SECRET);
    let (client, _) = zenlayer_client(&server, credentials, |c| c);
    (server, client)
}

async fn describe_ports(fields: serde_json::Value) -> DescribePortsOutput {
    let (_server, client) = zenlayer(zenlayer_ok(fields)).await;
    let input = DescribePortsInput::new();
    client
        .describe_ports(input)
        .await
        .expect("the page is kept")
}

async fn describe_private_connects(fields: serde_json::Value) -> DescribePrivateConnectsOutput {
    let (_server, client) = zenlayer(zenlayer_ok(fields)).await;
    let input = DescribePrivateConnectsInput::new();
    client
        .describe_private_connects(input)
        .await
        .expect("the page is kept")
}

async fn describe_physical_connections(
    body: serde_json::Value,
) -> DescribePhysicalConnectionsOutput {
    let server = TestServer::start(
        Auth::acs3(ALI_KEY_ID, ALI_SECRET),
        vec![Reply::json(200, body)],
    )
    .await;
    let credentials = Credentials::access_key(ALI_KEY_ID, ALI_SECRET);
    let (client, _) = alibaba_client(&server, credentials, |c| c);
    client
        .describe_physical_connections(DescribePhysicalConnectionsInput::new("cn-hangzhou"))
        .await
        .expect("the page is kept")
}

#[tokio::test]
async fn zenlayer_total_count_sent_as_text_is_read() {
    let output =
        describe_ports(json!({"totalCount": "1", "dataSet": [{"portId": "port-1"}]})).await;
    assert_eq!(output.total_count, Some(1));
    assert_eq!(
        output.data_set.unwrap()[0].port_id.as_deref(),
        Some("port-1")
    );
}

#[tokio::test]
async fn zenlayer_float_sent_as_text_is_read() {
    let output = describe_private_connects(json!({
        "totalCount": 1,
        "dataSet": [{"endpointA": {"dataCenter": {"dcId": "FRA1", "latitude": "50.1109", "longitude": 8.6821}}}]
    }))
    .await;
    let dc = output.data_set.unwrap()[0]
        .endpoint_a
        .clone()
        .unwrap()
        .data_center
        .unwrap();
    assert_eq!(dc.latitude, Some(50.1109));
    assert_eq!(dc.longitude, Some(8.6821));
}

#[tokio::test]
async fn zenlayer_boolean_sent_as_text_is_read() {
    let output = describe_ports(json!({
        "totalCount": 2,
        "dataSet": [{"isCreateBusinessAllowed": "true"}, {"isCreateBusinessAllowed": "FALSE"}]
    }))
    .await;
    let ports = output.data_set.unwrap();
    assert_eq!(ports[0].is_create_business_allowed, Some(true));
    assert_eq!(ports[1].is_create_business_allowed, Some(false));
}

#[tokio::test]
async fn zenlayer_tag_without_its_required_value_keeps_the_page() {
    let output = describe_ports(json!({
        "totalCount": 1,
        "dataSet": [{"portId": "port-1", "tags": {"tags": [{"key": "env"}, {"key": "team", "value": "net"}]}}]
    }))
    .await;
    let ports = output.data_set.unwrap();
    let tags = &ports[0].tags.as_ref().unwrap().tags;
    assert_eq!((tags[0].key.as_str(), tags[0].value.as_str()), ("env", ""));
    assert_eq!(
        (tags[1].key.as_str(), tags[1].value.as_str()),
        ("team", "net")
    );
    let warning = &output.meta.warnings[0];
    assert_eq!(
        (warning.path.as_str(), &warning.raw),
        ("dataSet[0].tags.tags[0].value", &None)
    );
    assert_eq!(output.meta.warnings.len(), 1);
}

#[tokio::test]
async fn alibaba_boolean_where_the_spec_says_string_is_read_as_its_text() {
    let output = describe_physical_connections(json!({
        "RequestId": "AB5C4E2F-0000-4000-8000-00000000E2E0",
        "TotalCount": 1, "PageNumber": 1, "PageSize": 10,
        "PhysicalConnectionSet": {"PhysicalConnectionType": [
            {"PhysicalConnectionId": "pc-1", "HasReservationData": true, "VlanId": 100}
        ]}
    }))
    .await;
    let set = output
        .physical_connection_set
        .unwrap()
        .physical_connection_type
        .unwrap();
    assert_eq!(set[0].has_reservation_data.as_deref(), Some("true"));
    assert_eq!(set[0].vlan_id.as_deref(), Some("100"));
}

#[tokio::test]
async fn zenlayer_unreadable_value_is_left_empty_and_the_rest_kept() {
    let output = describe_private_connects(json!({
        "totalCount": 1,
        "dataSet": [{"privateConnectId": "pc-1", "endpointA": {"vlanId": "ten", "endpointId": "ep-1"}}]
    }))
    .await;
    let connects = output.data_set.unwrap();
    let endpoint = connects[0].endpoint_a.clone().unwrap();
    assert_eq!(connects[0].private_connect_id.as_deref(), Some("pc-1"));
    assert_eq!(endpoint.endpoint_id.as_deref(), Some("ep-1"));
    assert_eq!(endpoint.vlan_id, None);
    let warning = &output.meta.warnings[..];
    assert_eq!(warning.len(), 1, "{warning:?}");
    assert_eq!(warning[0].path, "dataSet[0].endpointA.vlanId");
    assert_eq!(warning[0].raw, Some(json!("ten")));
}

#[tokio::test]
async fn readable_answers_carry_no_warnings() {
    let output = describe_ports(json!({"totalCount": "1", "dataSet": [{"period": ""}]})).await;
    assert!(
        output.meta.warnings.is_empty(),
        "{:?}",
        output.meta.warnings
    );
    assert_eq!(output.data_set.unwrap()[0].period, None);
}

#[tokio::test]
async fn zenlayer_outputs_keep_the_inner_and_the_envelope_request_id() {
    let output = describe_ports(json!({"totalCount": 0, "dataSet": []})).await;
    assert_eq!(output.request_id.as_deref(), Some(INNER_ID));
    assert_eq!(output.meta.envelope_request_id.as_deref(), Some(OUTER_ID));
}

#[tokio::test]
async fn alibaba_outputs_carry_the_request_id_in_meta_too() {
    let id = "AB5C4E2F-0000-4000-8000-00000000E2E1";
    let output = describe_physical_connections(json!({"RequestId": id, "TotalCount": 0})).await;
    assert_eq!(output.request_id.as_deref(), Some(id));
    assert_eq!(output.meta.envelope_request_id.as_deref(), Some(id));
}

#[tokio::test]
async fn zenlayer_error_envelope_with_a_numeric_code_is_a_service_error() {
    let body = json!({"requestId": OUTER_ID, "code": 7111, "message": "port not on shelf"});
    let (_server, client) = zenlayer(Reply::json(400, body)).await;
    let err = client
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("7111"), "{err:?}");
    assert_eq!(err.request_id(), Some(OUTER_ID));
}
