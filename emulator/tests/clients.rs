//! The generated clients against the emulator: what a user's test would do.
//! Signatures are checked, resources change as the spec says, waiters and
//! paginators finish, faults are retried, and the call log tells what happened.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use alibaba_vpc::operation::delete_physical_connection::{
    DeletePhysicalConnectionErrorKind, DeletePhysicalConnectionInput,
};
use alibaba_vpc::operation::describe_physical_connections::DescribePhysicalConnectionsInput;
use alibaba_vpc::types::Filter;
use truebind_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, Fault, Quirk, Seed, SeedError,
    Settle,
};
use truebind_runtime::{AlibabaSignature, Config, Credentials, RetryPolicy, Secret};
use zenlayer_sdn::operation::create_private_connect::CreatePrivateConnectInput;
use zenlayer_sdn::operation::delete_private_connect::DeletePrivateConnectInput;
use zenlayer_sdn::operation::describe_ports::DescribePortsInput;
use zenlayer_sdn::operation::describe_private_connects::DescribePrivateConnectsInput;
use zenlayer_sdn::types::CreateEndpointParam;

fn spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

async fn emulator(settle: Settle) -> Emulator {
    Emulator::start(
        truebind_emulator::Config::new(spec())
            .settle(settle)
            .token("a-token"),
    )
    .await
    .expect("emulator starts")
}

/// A sleeper that returns at once, so waiters and retries run without waiting.
#[derive(Debug)]
struct NoSleep;

impl truebind_runtime::Sleep for NoSleep {
    fn sleep(&self, _: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}

fn config(endpoint: String, credentials: Credentials) -> Config {
    let retry = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    Config::new(credentials)
        .endpoint(endpoint)
        .retry(retry)
        .sleep(Arc::new(NoSleep))
}

fn keys() -> Credentials {
    Credentials::access_key(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
}

fn zenlayer(emulator: &Emulator, credentials: Credentials) -> zenlayer_sdn::Client {
    zenlayer_sdn::Client::new(config(emulator.zenlayer_endpoint(), credentials)).expect("client")
}

fn alibaba(
    emulator: &Emulator,
    credentials: Credentials,
    signature: AlibabaSignature,
) -> alibaba_vpc::Client {
    alibaba_vpc::Client::new(
        config(emulator.alibaba_endpoint(), credentials).alibaba_signature(signature),
    )
    .expect("client")
}

/// The HTTP status of each call of `action`, in order.
fn statuses(emulator: &Emulator, action: &str) -> Vec<u16> {
    emulator.calls_of(action).iter().map(|c| c.status).collect()
}

fn create_input() -> CreatePrivateConnectInput {
    let mut a = CreateEndpointParam::new();
    a.port_id = Some("port-a".into());
    let mut z = CreateEndpointParam::new();
    z.port_id = Some("port-z".into());
    let mut input = CreatePrivateConnectInput::new(a);
    input.endpoint_z = Some(z);
    input.bandwidth_mbps = Some(10);
    input
}

#[tokio::test]
async fn a_private_connect_goes_through_its_lifecycle_as_the_spec_says() {
    let emu = emulator(Settle::Reads(2)).await;
    let client = zenlayer(&emu, keys());
    let created = client
        .create_private_connect(create_input())
        .await
        .expect("create");
    let id = created.private_connect_id.expect("an id");
    let status = || async {
        let mut input = DescribePrivateConnectsInput::new();
        input.private_connect_ids = Some(vec![id.clone()]);
        let out = client
            .describe_private_connects(input)
            .await
            .expect("describe");
        out.data_set
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                (
                    r.private_connect_status.map(|s| s.as_str().to_string()),
                    r.bandwidth_mbps,
                )
            })
            .collect::<Vec<_>>()
    };
    let deploying = (Some("DEPLOYING".to_string()), Some(10));
    assert_eq!(status().await, vec![deploying.clone()]);
    assert_eq!(status().await, vec![deploying]);
    assert_eq!(
        status().await,
        vec![(Some("AVAILABLE".to_string()), Some(10))]
    );

    client
        .delete_private_connect(DeletePrivateConnectInput::new(id.clone()))
        .await
        .expect("delete");
    client
        .wait_until_private_connect_recycled([id.as_str()])
        .wait()
        .await
        .expect("recycled");
    client
        .destroy_private_connect(
            zenlayer_sdn::operation::destroy_private_connect::DestroyPrivateConnectInput::new(
                id.clone(),
            ),
        )
        .await
        .expect("destroy");
    client
        .wait_until_private_connect_destroyed([id.as_str()])
        .wait()
        .await
        .expect("destroyed");
    assert_eq!(status().await, vec![]);
    let describes = emu.calls_of("DescribePrivateConnects");
    assert!(
        describes
            .iter()
            .all(|c| c.status == 200 && c.params["privateConnectIds"][0] == id.as_str()),
        "{describes:?}"
    );
}

#[tokio::test]
async fn settling_by_virtual_time_waits_for_the_clock() {
    let emu = emulator(Settle::After(Duration::from_secs(60))).await;
    let client = zenlayer(&emu, keys());
    let id = client
        .create_private_connect(create_input())
        .await
        .expect("create")
        .private_connect_id
        .expect("id");
    let read = || async {
        let mut input = DescribePrivateConnectsInput::new();
        input.private_connect_ids = Some(vec![id.clone()]);
        let out = client
            .describe_private_connects(input)
            .await
            .expect("describe");
        out.data_set.unwrap_or_default()[0]
            .private_connect_status
            .clone()
            .map(|s| s.as_str().to_string())
    };
    assert_eq!(read().await.as_deref(), Some("DEPLOYING"));
    assert_eq!(read().await.as_deref(), Some("DEPLOYING"));
    emu.advance(Duration::from_secs(60));
    assert_eq!(read().await.as_deref(), Some("AVAILABLE"));
}

#[tokio::test]
async fn listings_page_and_filter_by_ids() {
    let emu = emulator(Settle::Reads(1)).await;
    for n in 0..25 {
        emu.seed(Seed::new("Port", &format!("port-{n:02}"), "RUNNING"))
            .expect("seed");
    }
    let client = zenlayer(&emu, keys());
    let mut input = DescribePortsInput::new();
    input.page_num = Some(3);
    input.page_size = Some(10);
    let page = client.describe_ports(input).await.expect("page 3");
    assert_eq!(page.total_count, Some(25));
    let ids: Vec<String> = page
        .data_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.port_id)
        .collect();
    assert_eq!(ids, ["port-20", "port-21", "port-22", "port-23", "port-24"]);

    let mut input = DescribePortsInput::new();
    input.port_ids = Some(vec!["port-07".into(), "port-99".into()]);
    let named = client.describe_ports(input).await.expect("by id");
    assert_eq!(named.total_count, Some(1));
    assert_eq!(
        named.data_set.unwrap_or_default()[0].port_id.as_deref(),
        Some("port-07")
    );

    let alibaba_emu = emulator(Settle::Reads(1)).await;
    for n in 0..7 {
        alibaba_emu
            .seed(Seed::new(
                "PhysicalConnection",
                &format!("pc-{n}"),
                "Enabled",
            ))
            .expect("seed");
    }
    let client = alibaba(&alibaba_emu, keys(), AlibabaSignature::Acs3HmacSha256);
    let mut input = DescribePhysicalConnectionsInput::new("cn-hangzhou");
    let mut filter = Filter::new("PhysicalConnectionId");
    filter.value = Some(vec!["pc-2".into(), "pc-5".into()]);
    input.filter = Some(vec![filter]);
    let out = client
        .describe_physical_connections(input)
        .await
        .expect("by id");
    let ids: Vec<String> = out
        .physical_connection_set
        .and_then(|s| s.physical_connection_type)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| r.physical_connection_id)
        .collect();
    assert_eq!(ids, ["pc-2", "pc-5"]);
    assert_eq!(
        (out.total_count, out.page_number, out.page_size),
        (Some(2), Some(1), Some(10))
    );
}

#[tokio::test]
async fn preconditions_and_missing_resources_answer_the_documented_codes() {
    let emu = emulator(Settle::Reads(1)).await;
    emu.seed(Seed::new("PhysicalConnection", "pc-enabled", "Enabled"))
        .expect("seed");
    emu.seed(Seed::new("PhysicalConnection", "pc-done", "Terminated"))
        .expect("seed");
    for signature in [
        AlibabaSignature::Acs3HmacSha256,
        AlibabaSignature::RpcHmacSha1,
    ] {
        let client = alibaba(&emu, keys(), signature);
        let refused = client
            .delete_physical_connection(DeletePhysicalConnectionInput::new(
                "cn-hangzhou",
                "pc-enabled",
            ))
            .await
            .expect_err("Enabled cannot be deleted");
        let truebind_runtime::SdkError::Service(e) = &refused else {
            panic!("{refused:?}")
        };
        assert_eq!(
            e.kind(),
            DeletePhysicalConnectionErrorKind::ForbiddenNotInAllowDeleteStatus,
            "{refused:?}"
        );
        let missing = client
            .delete_physical_connection(DeletePhysicalConnectionInput::new(
                "cn-hangzhou",
                "pc-nope",
            ))
            .await
            .expect_err("no such circuit");
        assert_eq!(missing.code(), Some("InvalidPhysicalConnectionId.NotFound"));
    }
    let client = alibaba(&emu, keys(), AlibabaSignature::RpcHmacSha1);
    client
        .delete_physical_connection(DeletePhysicalConnectionInput::new("cn-hangzhou", "pc-done"))
        .await
        .expect("a terminated circuit is deleted");
    client
        .wait_until_physical_connection_deleted("cn-hangzhou", ["pc-done"])
        .wait()
        .await
        .expect("the delete settles: the circuit leaves the listing");
    let out = client
        .describe_physical_connections(DescribePhysicalConnectionsInput::new("cn-hangzhou"))
        .await
        .expect("list");
    assert_eq!(out.total_count, Some(1));
}

#[tokio::test]
async fn wrong_credentials_get_the_vendors_authentication_codes() {
    let emu = emulator(Settle::Reads(1)).await;
    let wrong = Credentials::access_key(DEFAULT_ACCESS_KEY_ID, "not-the-secret");
    let err = zenlayer(&emu, wrong.clone())
        .describe_ports(DescribePortsInput::new())
        .await
        .expect_err("wrong secret");
    assert_eq!(err.code(), Some("AUTHFAILURE_SIGNATURE_FAILURE"));
    let err = zenlayer(
        &emu,
        Credentials::access_key("someone-else", DEFAULT_ACCESS_KEY_SECRET),
    )
    .describe_ports(DescribePortsInput::new())
    .await
    .expect_err("unknown key");
    assert_eq!(err.code(), Some("AUTHFAILURE_INVALID_AUTHORIZATION"));
    zenlayer(&emu, Credentials::Bearer(Secret::new("a-token")))
        .describe_ports(DescribePortsInput::new())
        .await
        .expect("the token is accepted");
    let err = zenlayer(&emu, Credentials::Bearer(Secret::new("another")))
        .describe_ports(DescribePortsInput::new())
        .await
        .expect_err("wrong token");
    assert_eq!(err.code(), Some("AUTHFAILURE_INVALID_AUTHORIZATION"));
    for signature in [
        AlibabaSignature::Acs3HmacSha256,
        AlibabaSignature::RpcHmacSha1,
    ] {
        let err = alibaba(&emu, wrong.clone(), signature)
            .describe_physical_connections(DescribePhysicalConnectionsInput::new("cn-hangzhou"))
            .await
            .expect_err("wrong secret");
        assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{signature:?}");
    }
    let calls = emu.calls();
    assert!(
        calls.iter().all(|c| !c
            .header("authorization")
            .unwrap_or_default()
            .contains("a-token")),
        "tokens are masked in the call log"
    );
}

#[tokio::test]
async fn injected_faults_are_retried_and_logged() {
    let emu = emulator(Settle::Reads(1)).await;
    emu.inject(Fault::throttle().on("DescribePorts").times(2));
    emu.inject(Fault::server_error(503).on("DescribePhysicalConnections"));
    emu.inject(Fault::close_connection().on("DescribePrivateConnects"));
    let client = zenlayer(&emu, keys());
    client
        .describe_ports(DescribePortsInput::new())
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(statuses(&emu, "DescribePorts"), [429, 429, 200]);
    client
        .describe_private_connects(DescribePrivateConnectsInput::new())
        .await
        .expect("a read is retried after a closed connection");
    assert_eq!(statuses(&emu, "DescribePrivateConnects"), [0, 200]);
    let client = alibaba(&emu, keys(), AlibabaSignature::Acs3HmacSha256);
    client
        .describe_physical_connections(DescribePhysicalConnectionsInput::new("cn-hangzhou"))
        .await
        .expect("retried after a 503");
    let calls = emu.calls_of("DescribePhysicalConnections");
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [503, 200]
    );
    assert_eq!(calls[0].code.as_deref(), Some("ServiceUnavailable"));
    assert_ne!(
        calls[0].header("x-acs-signature-nonce"),
        calls[1].header("x-acs-signature-nonce"),
        "each attempt is signed afresh"
    );
}

#[tokio::test]
async fn a_delay_fault_makes_a_call_time_out() {
    let emu = emulator(Settle::Reads(1)).await;
    emu.inject(
        Fault::delay(Duration::from_secs(2))
            .on("DescribePorts")
            .times(4),
    );
    let no_retry = RetryPolicy {
        max_attempts: 1,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    let config = config(emu.zenlayer_endpoint(), keys())
        .retry(no_retry)
        .timeouts(Duration::from_secs(1), Duration::from_millis(200));
    let client = zenlayer_sdn::Client::new(config).expect("client");
    let err = client
        .describe_ports(DescribePortsInput::new())
        .await
        .expect_err("times out");
    assert!(
        matches!(
            err,
            truebind_runtime::SdkError::Timeout | truebind_runtime::SdkError::Transport(_)
        ),
        "{err:?}"
    );
}

/// The ids and statuses a `DescribePorts` call lists.
async fn port_states(client: &zenlayer_sdn::Client, input: DescribePortsInput) -> Vec<String> {
    let out = client.describe_ports(input).await.expect("listing");
    out.data_set
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let status = p.port_status.map(|s| s.as_str().to_string());
            format!(
                "{}={}",
                p.port_id.unwrap_or_default(),
                status.unwrap_or_default()
            )
        })
        .collect()
}

#[tokio::test]
async fn scripted_histories_show_their_state_at_each_read_then_repeat_the_last() {
    let emu = emulator(Settle::Reads(1)).await;
    let script = [Some("DESTROYING"), None, Some("UPGRADING")];
    emu.seed(Seed::history("Port", "port-1", &script))
        .expect("a history may hold states the spec does not know");
    assert_eq!(
        emu.seed(Seed::history("Port", "port-2", &[])),
        Err(SeedError::EmptyHistory)
    );
    let client = zenlayer(&emu, keys());
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(port_states(&client, DescribePortsInput::new()).await);
    }
    assert_eq!(
        seen,
        [
            vec!["port-1=DESTROYING".to_string()],
            vec![],
            vec!["port-1=UPGRADING".to_string()],
            vec!["port-1=UPGRADING".to_string()],
        ]
    );
}

#[tokio::test]
async fn quirks_bend_the_listing_answers() {
    let emu = emulator(Settle::Reads(1)).await;
    for n in 0..5 {
        emu.seed(Seed::new("Port", &format!("port-{n}"), "RUNNING"))
            .expect("seed");
    }
    let client = zenlayer(&emu, keys());
    let page = |number: i32| {
        let mut input = DescribePortsInput::new();
        input.page_num = Some(number);
        input.page_size = Some(2);
        input
    };
    emu.quirk(Quirk::WrapPages);
    emu.quirk(Quirk::WrongTotal(9));
    let wrapped = client.describe_ports(page(4)).await.expect("page 4");
    assert_eq!(wrapped.total_count, Some(9));
    assert_eq!(
        port_states(&client, page(4)).await,
        ["port-0=RUNNING", "port-1=RUNNING"]
    );
    emu.quirk(Quirk::IgnorePageNumber);
    emu.quirk(Quirk::PageSizeCap(1));
    emu.quirk(Quirk::NoTotal);
    let capped = client.describe_ports(page(2)).await.expect("page 2");
    assert_eq!(capped.total_count, None);
    assert_eq!(port_states(&client, page(3)).await, ["port-0=RUNNING"]);
}

#[tokio::test]
async fn a_fault_after_n_calls_answers_the_vendor_code_and_a_script_follows_a_write() {
    let emu = emulator(Settle::Reads(1)).await;
    emu.inject(
        Fault::error(403, "OPERATION_DENIED")
            .on("DescribePrivateConnects")
            .after(1),
    );
    emu.script_after("CreatePrivateConnect", &[Some("CREATING"), None]);
    let client = zenlayer(&emu, keys());
    let created = client
        .create_private_connect(create_input())
        .await
        .expect("created");
    let id = created.private_connect_id.expect("an id");
    let list = || async {
        let mut input = DescribePrivateConnectsInput::new();
        input.private_connect_ids = Some(vec![id.clone()]);
        client.describe_private_connects(input).await
    };
    let first = list().await.expect("first read");
    let states: Vec<_> = first
        .data_set
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.private_connect_status.map(|s| s.as_str().to_string()))
        .collect();
    assert_eq!(states, [Some("CREATING".to_string())]);
    let denied = list().await.expect_err("the second read is refused");
    assert!(
        format!("{denied:?}").contains("OPERATION_DENIED"),
        "{denied:?}"
    );
    let gone = list().await.expect("third read");
    assert_eq!(
        gone.data_set.unwrap_or_default().len(),
        0,
        "a failed read advances no script"
    );
}
