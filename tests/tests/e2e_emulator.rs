//! The generated waiters, paginators and retries against `truebind-emulator`,
//! the spec-driven server users test with, on the spec's own lifecycles (the
//! scripted and misbehaving cases, on the same emulator, are in
//! `e2e_waiters.rs` and `e2e_paginators.rs`). Every call here is signature-checked
//! and validated against the spec by the emulator.

mod support;

use std::path::PathBuf;

use futures_util::TryStreamExt;
use truebind_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, Fault, Seed, Settle,
};
use truebind_runtime::{Config, Credentials, SdkError, WaiterError};

use alibaba_vpc::operation::delete_physical_connection::DeletePhysicalConnectionInput;
use alibaba_vpc::operation::describe_physical_connections::DescribePhysicalConnectionsInput;
use zenlayer_sdn::operation::create_private_connect::CreatePrivateConnectInput;
use zenlayer_sdn::operation::describe_private_connects::DescribePrivateConnectsInput;
use zenlayer_sdn::types::CreateEndpointParam;

async fn emulator(reads: u32) -> Emulator {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    Emulator::start(truebind_emulator::Config::new(spec).settle(Settle::Reads(reads)))
        .await
        .expect("emulator starts")
}

fn config(endpoint: String) -> (Config, std::sync::Arc<support::RecordingSleep>) {
    let sleep = support::RecordingSleep::new();
    let credentials = Credentials::access_key(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET);
    let config = Config::new(credentials)
        .endpoint(endpoint)
        .retry(support::fast_retry(4))
        .sleep(sleep.clone());
    (config, sleep)
}

fn zenlayer(emulator: &Emulator) -> zenlayer_sdn::Client {
    zenlayer_sdn::Client::new(config(emulator.zenlayer_endpoint()).0).expect("client")
}

fn alibaba(emulator: &Emulator) -> alibaba_vpc::Client {
    alibaba_vpc::Client::new(config(emulator.alibaba_endpoint()).0).expect("client")
}

#[tokio::test]
async fn zenlayer_pages_cover_every_record_once() {
    let emu = emulator(1).await;
    for n in 0..45 {
        emu.seed(Seed::new(
            "PrivateConnect",
            &format!("pc-{n:02}"),
            "RUNNING",
        ))
        .expect("seed");
    }
    let mut input = DescribePrivateConnectsInput::new();
    input.page_size = Some(20);
    let pages: Vec<_> = zenlayer(&emu)
        .describe_private_connects_pages(input)
        .try_collect()
        .await
        .expect("pages");
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.data_set.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [20, 20, 5]);
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.data_set.unwrap_or_default())
        .filter_map(|r| r.private_connect_id)
        .collect();
    assert_eq!(
        ids,
        (0..45).map(|n| format!("pc-{n:02}")).collect::<Vec<_>>()
    );
    let asked: Vec<i64> = emu
        .calls()
        .iter()
        .map(|c| c.params["pageNum"].as_i64().unwrap_or(1))
        .collect();
    assert_eq!(asked, [1, 2, 3]);
}

#[tokio::test]
async fn alibaba_items_cover_every_record_once() {
    let emu = emulator(1).await;
    for n in 0..23 {
        emu.seed(Seed::new(
            "PhysicalConnection",
            &format!("pc-{n:02}"),
            "Enabled",
        ))
        .expect("seed");
    }
    let items: Vec<_> = alibaba(&emu)
        .describe_physical_connections_pages(DescribePhysicalConnectionsInput::new("cn-hangzhou"))
        .items()
        .try_collect()
        .await
        .expect("items");
    assert_eq!(items.len(), 23);
    assert_eq!(
        emu.calls_of("DescribePhysicalConnections").len(),
        3,
        "pages of the documented default size 10"
    );
}

#[tokio::test]
async fn waiters_follow_the_states_the_spec_gives() {
    let emu = emulator(2).await;
    emu.seed(Seed::new("PhysicalConnection", "pc-ok", "Initial").settling_to("Allocated"))
        .expect("seed");
    emu.seed(Seed::new("PhysicalConnection", "pc-bad", "Allocating").settling_to("Rejected"))
        .expect("seed");
    emu.seed(Seed::new("Port", "port-gone", "DESTROYING").settling_away())
        .expect("seed");
    let client = alibaba(&emu);
    client
        .wait_until_physical_connection_allocated("cn-hangzhou", ["pc-ok"])
        .wait()
        .await
        .expect("allocated");
    assert_eq!(
        emu.calls().len(),
        3,
        "two polls in progress, then allocated"
    );
    let failed = client
        .wait_until_physical_connection_allocated("cn-hangzhou", ["pc-bad"])
        .wait()
        .await
        .expect_err("rejected");
    assert!(matches!(failed, WaiterError::Failed { .. }), "{failed:?}");
    zenlayer(&emu)
        .wait_until_port_destroyed(["port-gone"])
        .wait()
        .await
        .expect("no longer listed means destroyed");
}

fn create_input() -> CreatePrivateConnectInput {
    let mut a = CreateEndpointParam::new();
    a.port_id = Some("port-a".into());
    CreatePrivateConnectInput::new(a)
}

#[tokio::test]
async fn retries_only_when_safe() {
    let emu = emulator(1).await;
    let client = zenlayer(&emu);
    emu.inject(Fault::server_error(503).on("CreatePrivateConnect"));
    let err = client
        .create_private_connect(create_input())
        .await
        .expect_err("a write without a token is not repeated");
    assert_eq!(err.code(), Some("SERVICE_TEMPORARY_UNAVAILABLE"));
    assert_eq!(emu.calls_of("CreatePrivateConnect").len(), 1);
    emu.inject(Fault::throttle().on("CreatePrivateConnect"));
    client
        .create_private_connect(create_input())
        .await
        .expect("a throttled write was not executed, so it is retried");
    assert_eq!(emu.calls_of("CreatePrivateConnect").len(), 3);

    emu.seed(Seed::new("PhysicalConnection", "pc-done", "Terminated"))
        .expect("seed");
    emu.inject(
        Fault::server_error(500)
            .on("DeletePhysicalConnection")
            .times(2),
    );
    alibaba(&emu)
        .delete_physical_connection(DeletePhysicalConnectionInput::new("cn-hangzhou", "pc-done"))
        .await
        .expect("retried with its ClientToken");
    let deletes = emu.calls_of("DeletePhysicalConnection");
    assert_eq!(
        deletes.iter().map(|c| c.status).collect::<Vec<_>>(),
        [500, 500, 200]
    );
    let token = &deletes[0].params["ClientToken"];
    assert!(
        token.is_string() && deletes.iter().all(|c| &c.params["ClientToken"] == token),
        "{deletes:?}"
    );
    alibaba(&emu)
        .wait_until_physical_connection_deleted("cn-hangzhou", ["pc-done"])
        .wait()
        .await
        .expect("the delete settles");
    let err = alibaba(&emu)
        .delete_physical_connection(DeletePhysicalConnectionInput::new("cn-hangzhou", "pc-done"))
        .await
        .expect_err("deleted");
    assert!(
        matches!(err, SdkError::Service(_))
            && err.code() == Some("InvalidPhysicalConnectionId.NotFound"),
        "{err:?}"
    );
}

/// An emulator of the kitchen-sink fixture spec alone (json-sink has a
/// `Gadget` resource too), whose `ListGadgets` is a token-paged listing of a
/// resource; the directory holding its copy lives as long as the emulator.
async fn fixture_emulator() -> (tempfile::TempDir, Emulator) {
    let root = tempfile::tempdir().expect("temporary spec root");
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/spec/kitchen-sink");
    copy_tree(&spec, &root.path().join("kitchen-sink")).expect("copy the spec");
    let emulator = Emulator::start(truebind_emulator::Config::new(root.path()))
        .await
        .expect("emulator starts");
    (root, emulator)
}

/// Copies the files and directories under `from` to `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn kitchen_sink(emulator: &Emulator) -> kitchen_sink::Client {
    kitchen_sink::Client::new(config(emulator.alibaba_endpoint()).0).expect("client")
}

#[tokio::test]
async fn token_pages_cover_every_record_once_and_end_without_a_token() {
    use kitchen_sink::operation::list_gadgets::ListGadgetsInput;
    let (_spec, emu) = fixture_emulator().await;
    for n in 0..17 {
        emu.seed(Seed::new("Gadget", &format!("g-{n:02}"), "Ready"))
            .expect("seed");
    }
    let mut input = ListGadgetsInput::new("zz-north-1");
    input.max_results = Some(7);
    let pages: Vec<_> = kitchen_sink(&emu)
        .list_gadgets_pages(input)
        .try_collect()
        .await
        .expect("pages");
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.gadgets.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [7, 7, 3]);
    assert!(pages[..2].iter().all(|p| p.next_token.is_some()));
    assert_eq!(pages[2].next_token, None, "the last page has no token");
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.gadgets.unwrap_or_default())
        .map(|g| g.gadget_id)
        .collect();
    assert_eq!(
        ids,
        (0..17).map(|n| format!("g-{n:02}")).collect::<Vec<_>>()
    );
    let calls = emu.calls_of("ListGadgets");
    assert!(calls[0].params.get("NextToken").is_none());
    assert!(calls.iter().all(|c| c.params["MaxResults"] == 7));
}

#[tokio::test]
async fn token_pages_use_the_documented_default_size_and_refuse_unknown_tokens() {
    use kitchen_sink::operation::list_gadgets::ListGadgetsInput;
    let (_spec, emu) = fixture_emulator().await;
    for n in 0..25 {
        emu.seed(Seed::new("Gadget", &format!("g-{n:02}"), "Ready"))
            .expect("seed");
    }
    let client = kitchen_sink(&emu);
    let first = client
        .list_gadgets(ListGadgetsInput::new("zz-north-1"))
        .await
        .expect("first page");
    assert_eq!(
        first.gadgets.map(|g| g.len()),
        Some(20),
        "default MaxResults"
    );
    let token = first.next_token.expect("more remain");

    let mut input = ListGadgetsInput::new("zz-north-1");
    input.next_token = Some(token.clone());
    let last = client.list_gadgets(input).await.expect("last page");
    assert_eq!(last.gadgets.map(|g| g.len()), Some(5));
    assert_eq!(last.next_token, None);

    for bogus in [format!("{token}0"), "not-a-token".into()] {
        let mut input = ListGadgetsInput::new("zz-north-1");
        input.next_token = Some(bogus.clone());
        let err = client.list_gadgets(input).await.expect_err("unknown token");
        assert_eq!(err.code(), Some("InvalidParameter"), "{bogus}: {err:?}");
    }
}
