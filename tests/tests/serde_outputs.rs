//! The `serde` feature of the generated crates: outputs and shared types
//! serialize under their wire names, so a decoded answer can be logged or
//! stored as JSON and read back; open enums are their wire string.
//!
//! The wire names are taken from the validated spec, so every field of every
//! output and response structure is checked, not a hand-picked few.

mod workspace;

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use truebind_runtime::ResponseMeta;
use truebind_runtime::decode::{DecodeObject, from_json};

use alibaba_vpc::operation::describe_physical_connections::DescribePhysicalConnectionsOutput;
use zenlayer_sdn::operation::describe_private_connects::DescribePrivateConnectsOutput;
use zenlayer_sdn::types::{CloudType, CreateEndpointParam, PrivateConnectStatus};

/// The validated spec of one service (`dir` relative to the workspace root).
fn service(dir: &str) -> truebind_codegen::ir::Service {
    let path = workspace::root().join(dir);
    let loaded = truebind_codegen::load::load_service(&path).unwrap_or_else(|e| panic!("{e}"));
    truebind_codegen::validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"))
}

/// Wire names of an action's output (by action name) or of a structure.
fn wire_names(service: &truebind_codegen::ir::Service, name: &str) -> BTreeSet<String> {
    let fields = match service.actions.iter().find(|a| a.name == name) {
        Some(action) => &action.output,
        None => {
            let s = service.structs.iter().find(|s| s.name == name);
            &s.unwrap_or_else(|| panic!("{name} is in the spec")).fields
        }
    };
    fields.iter().map(|f| f.wire.clone()).collect()
}

/// `T` decoded from `{}` (every optional field `None`, required ones empty)
/// serializes with exactly the spec's wire names and reads back equal.
fn check_all_wire_names<T>(service: &truebind_codegen::ir::Service, name: &str)
where
    T: DecodeObject + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value: T = from_json(json!({})).expect("an object decodes");
    let written = serde_json::to_value(&value).expect("serializes");
    let keys: BTreeSet<String> = written
        .as_object()
        .unwrap_or_else(|| panic!("{name} is a JSON object"))
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, wire_names(service, name), "{name}");
    let read: T = serde_json::from_value(written).expect("reads back");
    assert_eq!(read, value, "{name}");
}

macro_rules! check_types {
    ($service:expr, $($module:ident :: $ty:ident as $name:literal),* $(,)?) => {
        $(check_all_wire_names::<$module::$ty>(&$service, $name);)*
    };
}

#[test]
fn every_zenlayer_output_and_response_structure_serializes_under_its_wire_names() {
    use zenlayer_sdn::operation::*;
    use zenlayer_sdn::types;
    let spec = service("spec/zenlayer-sdn");
    check_types!(spec,
        create_private_connect::CreatePrivateConnectOutput as "CreatePrivateConnect",
        delete_private_connect::DeletePrivateConnectOutput as "DeletePrivateConnect",
        describe_ports::DescribePortsOutput as "DescribePorts",
        describe_private_connects::DescribePrivateConnectsOutput as "DescribePrivateConnects",
        destroy_port::DestroyPortOutput as "DestroyPort",
        destroy_private_connect::DestroyPrivateConnectOutput as "DestroyPrivateConnect",
        types::DatacenterInfo as "DatacenterInfo",
        types::PortInfo as "PortInfo",
        types::PrivateConnect as "PrivateConnect",
        types::PrivateConnectEndpoint as "PrivateConnectEndpoint",
        types::Tag as "Tag",
        types::TagAssociation as "TagAssociation",
    );
}

#[test]
fn every_alibaba_output_and_response_structure_serializes_under_its_wire_names() {
    use alibaba_vpc::operation::*;
    use alibaba_vpc::types;
    let spec = service("spec/alibaba-vpc");
    check_types!(spec,
        delete_physical_connection::DeletePhysicalConnectionOutput as "DeletePhysicalConnection",
        describe_physical_connections::DescribePhysicalConnectionsOutput as "DescribePhysicalConnections",
        types::MacsecKey as "MacsecKey",
        types::MacsecKeys as "MacsecKeys",
        types::PhysicalConnectionSet as "PhysicalConnectionSet",
        types::PhysicalConnectionTags as "PhysicalConnectionTags",
        types::PhysicalConnectionType as "PhysicalConnectionType",
        types::Tag as "Tag",
    );
}

#[test]
fn fixture_keyword_wire_names_get_their_own_renames() {
    use kitchen_sink::operation::*;
    use kitchen_sink::types;
    let spec = service("tests/fixtures/spec/kitchen-sink");
    check_types!(spec,
        describe_widgets::DescribeWidgetsOutput as "DescribeWidgets",
        make_widget::MakeWidgetOutput as "MakeWidget",
        r#match::MatchOutput as "Match",
        types::Part as "Part",
        types::Widget as "Widget",
        types::WidgetSet as "WidgetSet",
    );
}

/// `value` without its `null` members (absent fields serialize as `null`).
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[test]
fn a_decoded_zenlayer_answer_is_written_back_as_it_came_and_reads_back_equal() {
    let answer = json!({
        "requestId": "T1",
        "totalCount": 1,
        "dataSet": [{
            "privateConnectId": "pc-1",
            "privateConnectStatus": "RUNNING",
            "connectivityStatus": "A_STATE_THIS_CRATE_DOES_NOT_KNOW",
            "bandwidthMbps": 100,
            "endpointA": { "endpointId": "ep-1", "endpointType": "AWS", "vlanId": 10,
                           "dataCenter": { "dcId": "SIN1", "latitude": 1.5 } },
            "tags": { "tags": [{ "key": "env", "value": "prod" }] }
        }]
    });
    let output: DescribePrivateConnectsOutput = from_json(answer.clone()).expect("decodes");
    assert!(
        output.meta.warnings.is_empty(),
        "{:?}",
        output.meta.warnings
    );
    let written = serde_json::to_value(&output).expect("serializes");
    assert_eq!(without_nulls(written.clone()), answer);
    let read: DescribePrivateConnectsOutput = serde_json::from_value(written).expect("reads back");
    assert_eq!(read, output);
}

#[test]
fn a_decoded_alibaba_answer_keeps_its_pascal_case_names() {
    let answer = json!({
        "RequestId": "R1",
        "TotalCount": 1,
        "PhysicalConnectionSet": { "PhysicalConnectionType": [
            { "PhysicalConnectionId": "pc-1", "Status": "Enabled", "Bandwidth": 1000 }
        ] }
    });
    let output: DescribePhysicalConnectionsOutput = from_json(answer.clone()).expect("decodes");
    let written = serde_json::to_value(&output).expect("serializes");
    assert_eq!(without_nulls(written.clone()), answer);
    let read: DescribePhysicalConnectionsOutput =
        serde_json::from_value(written).expect("reads back");
    assert_eq!(read, output);
}

#[test]
fn open_enums_are_their_wire_string_and_read_any_string() {
    assert_eq!(serde_json::to_value(CloudType::Aws).unwrap(), json!("AWS"));
    let unknown = PrivateConnectStatus::from("NEW_STATE");
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("NEW_STATE"));
    let read: PrivateConnectStatus = serde_json::from_value(json!("RUNNING")).unwrap();
    assert_eq!(read, PrivateConnectStatus::Running);
    let read: PrivateConnectStatus = serde_json::from_value(json!("NEW_STATE")).unwrap();
    assert_eq!(read, unknown);
}

#[test]
fn meta_is_not_serialized_and_is_empty_when_read_back() {
    let mut output: DescribePrivateConnectsOutput =
        from_json(json!({ "requestId": "T1", "totalCount": "not a number" })).expect("decodes");
    assert_eq!(output.meta.warnings.len(), 1, "{:?}", output.meta.warnings);
    let written = serde_json::to_value(&output).expect("serializes");
    assert_eq!(
        written,
        json!({ "requestId": "T1", "totalCount": null, "dataSet": null })
    );
    let read: DescribePrivateConnectsOutput = serde_json::from_value(written).expect("reads back");
    assert_eq!(read.meta, ResponseMeta::default());
    output.meta = ResponseMeta::default();
    assert_eq!(read, output);
}

#[test]
fn request_structures_round_trip_under_their_wire_names() {
    let mut endpoint = CreateEndpointParam::new();
    endpoint.cloud_type = Some(CloudType::Aws);
    endpoint.cloud_bandwidth_mbps = Some(50);
    let written = serde_json::to_value(&endpoint).expect("serializes");
    assert_eq!(
        without_nulls(written.clone()),
        json!({ "cloudType": "AWS", "cloudBandwidthMbps": 50 })
    );
    let read: CreateEndpointParam = serde_json::from_value(written).expect("reads back");
    assert_eq!(read, endpoint);

    let mut filter = alibaba_vpc::types::Filter::new("Status");
    filter.value = Some(vec!["Enabled".into()]);
    let written = serde_json::to_value(&filter).expect("serializes");
    assert_eq!(written, json!({ "Key": "Status", "Value": ["Enabled"] }));
    let read: alibaba_vpc::types::Filter = serde_json::from_value(written).expect("reads back");
    assert_eq!(read, filter);
}
