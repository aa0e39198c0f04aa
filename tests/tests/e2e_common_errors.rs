//! End-to-end tests of service-wide error codes (`service.yaml` `errors`):
//! a code any Zenlayer action can return reaches every action's error kind
//! as the same typed `Common(CommonErrorKind::…)`, an action's own codes keep
//! their own variants, an undocumented code stays `Unhandled`, and the
//! throttling code stays the runtime's `Throttled` (it is retried, not typed).

mod support;

use serde_json::json;
use support::zenlayer::{error, ok};
use support::{Auth, TestServer};
use truebind_runtime::{Credentials, SdkError};
use zenlayer_sdn::operation::CommonErrorKind;
use zenlayer_sdn::operation::describe_ports::{DescribePortsErrorKind, DescribePortsInput};
use zenlayer_sdn::operation::modify_private_connect_bandwidth::{
    ModifyPrivateConnectBandwidthErrorKind as ModifyKind, ModifyPrivateConnectBandwidthInput,
};

const KEY_ID: &str = "AKIDCOMMONERRORS";
const SECRET: &str = "common-errors-secret";

/// A server answering every request with `status`/`code`, and a client of it.
async fn answering(status: u16, code: &str) -> (TestServer, zenlayer_sdn::Client) {
    let server = TestServer::start(
        Auth::zenlayer(KEY_ID, SECRET),
        vec![error(status, code, "refused", "T-ERR")],
    )
    .await;
    let (client, _) =
        support::zenlayer_client(&server, Credentials::access_key(KEY_ID, SECRET), |c| c);
    (server, client)
}

fn modify_input() -> ModifyPrivateConnectBandwidthInput {
    ModifyPrivateConnectBandwidthInput::new("pc-1", 200)
}

#[tokio::test]
async fn a_service_wide_code_is_the_same_typed_kind_on_every_action() {
    let (_server, client) = answering(401, "AUTHFAILURE_SIGNATURE_EXPIRED").await;
    let expired = CommonErrorKind::AuthfailureSignatureExpired;

    let err = client
        .modify_private_connect_bandwidth(modify_input())
        .await
        .unwrap_err();
    let kind = err.into_service_error().map(|e| e.kind());
    assert_eq!(kind, Some(ModifyKind::Common(expired)));

    let err = client
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    let kind = err.into_service_error().map(|e| e.kind());
    assert_eq!(kind, Some(DescribePortsErrorKind::Common(expired)));
    assert_eq!(
        CommonErrorKind::from_code("AUTHFAILURE_SIGNATURE_EXPIRED"),
        Some(expired)
    );
}

#[tokio::test]
async fn own_codes_keep_their_variants_and_unknown_codes_stay_unhandled() {
    let (_server, client) = answering(409, "INVALID_PRIVATE_CONNECT_STATUS").await;
    let err = client
        .modify_private_connect_bandwidth(modify_input())
        .await
        .unwrap_err();
    let kind = err.into_service_error().map(|e| e.kind());
    assert_eq!(kind, Some(ModifyKind::InvalidPrivateConnectStatus));

    let (_server, client) = answering(400, "SOMETHING_NOBODY_DOCUMENTS").await;
    let err = client
        .modify_private_connect_bandwidth(modify_input())
        .await
        .unwrap_err();
    let kind = err.into_service_error().map(|e| e.kind());
    assert_eq!(kind, Some(ModifyKind::Unhandled));
    assert_eq!(
        CommonErrorKind::from_code("SOMETHING_NOBODY_DOCUMENTS"),
        None
    );
}

#[tokio::test]
async fn the_throttling_code_is_retried_and_ends_as_throttled() {
    let (server, client) = answering(429, "REQUEST_LIMIT_EXCEEDED").await;
    let err = client
        .describe_ports(DescribePortsInput::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Throttled(e) if e.code == "REQUEST_LIMIT_EXCEEDED"),
        "{err:?}"
    );
    assert!(server.requests().len() > 1, "throttling is retried");
    // The success path is untouched.
    let server =
        TestServer::start(Auth::zenlayer(KEY_ID, SECRET), vec![ok("T-OK", json!({}))]).await;
    let (client, _) =
        support::zenlayer_client(&server, Credentials::access_key(KEY_ID, SECRET), |c| c);
    assert!(
        client
            .modify_private_connect_bandwidth(modify_input())
            .await
            .is_ok()
    );
}

/// `Debug` of a kind is what a derive would print (the kinds implement it
/// through `rt::debug_kind` and the names in their `CODES`): the variant, `Common(…)` with
/// the service-wide kind inside, `Unhandled`; a logged error shows the same.
#[test]
fn a_kind_debugs_as_its_variant_name() {
    assert_eq!(
        format!("{:?}", ModifyKind::InvalidBandwidthExceedLimit),
        "InvalidBandwidthExceedLimit"
    );
    assert_eq!(
        format!("{:?}", ModifyKind::InvalidPrivateConnectStatus),
        "InvalidPrivateConnectStatus"
    );
    assert_eq!(format!("{:?}", ModifyKind::Unhandled), "Unhandled");
    let common = ModifyKind::Common(CommonErrorKind::OperationFailedResourceNotFound);
    assert_eq!(
        format!("{common:?}"),
        "Common(OperationFailedResourceNotFound)"
    );
    for d in truebind_runtime::documented::<DescribePortsErrorKind>() {
        let (code, shown) = (d.code, format!("{:?}", d.kind));
        assert!(
            !shown.is_empty() && shown.chars().all(|c| c.is_ascii_alphanumeric()),
            "{code} debugs as {shown:?}, not a variant name"
        );
    }
}

/// A kind is `Eq`, and a constant of it matches as a pattern (which needs the derived
/// `PartialEq`; the kinds write `Eq` out as an empty impl).
#[test]
fn a_kind_is_eq_and_its_constants_match_as_patterns() {
    const STATUS: ModifyKind = ModifyKind::InvalidPrivateConnectStatus;
    fn same<T: Eq>(a: T, b: T) -> bool {
        a == b
    }
    let common = ModifyKind::Common(CommonErrorKind::OperationFailedResourceNotFound);
    assert!(matches!(ModifyKind::InvalidPrivateConnectStatus, STATUS));
    assert!(!matches!(common, STATUS));
    assert!(same(common, common) && !same(common, ModifyKind::Unhandled));
}
