//! The Zenlayer lifecycle waiters added with the full SDN spec (curated in
//! `spec/zenlayer-sdn/curation/types.yaml`), each against the state-machine
//! simulator ([`support::sim::Sim`]): the state a port or private connect
//! passes through after CreatePort, TerminatePort, RenewPort,
//! RenewPrivateConnect, ModifyPrivateConnectsAttribute and
//! ModifyCloudBandwidth, with what a vanished record means for each.
//!
//! The list actions that gained a paginator with it (the cloud router and
//! available-port listings) page by `pageNum` until `totalCount` is reached.
//!
//! Time is virtual (a recording sleeper, no jitter): 10 s before the first
//! poll, then 5 s doubling up to 20 s, so polls fall at 10, 15, 25, 45 s.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::json;
use support::sim::{ABSENT, Flavor, Sim, SimServer};
use support::{Auth, RecordingSleep, TestServer, secs, zenlayer, zenlayer_client};
use truebind_runtime::Credentials;
use truebind_runtime::{WaitConfig, WaiterError};
use zenlayer_sdn::operation::describe_cloud_router_available_ports::DescribeCloudRouterAvailablePortsInput;
use zenlayer_sdn::types::{PortStatus, PrivateConnectStatus};

const KEY_ID: &str = "AKIDLIFECYCLE";
const SECRET: &str = "lifecycle-secret";

fn timing(max_wait_secs: u64) -> WaitConfig {
    WaitConfig {
        initial_delay: Duration::from_secs(10),
        min_delay: Duration::from_secs(5),
        max_delay: Duration::from_secs(20),
        max_wait: Duration::from_secs(max_wait_secs),
        jitter: false,
        not_found_checks: 1,
    }
}

async fn serve(sim: Sim) -> (SimServer, zenlayer_sdn::Client, Arc<RecordingSleep>) {
    sim.serve_zenlayer(KEY_ID, SECRET).await
}

#[tokio::test]
async fn a_created_port_is_waited_for_until_running_and_vanishing_fails() {
    let sim = Sim::new(Flavor::Ports).resource("port-a", &["CREATING", "CREATING", "RUNNING"]);
    let (_server, client, sleep) = serve(sim).await;
    let done = client
        .wait_until_port_running(["port-a"])
        .config(timing(600))
        .wait()
        .await
        .expect("running");
    let record = done[0].record.as_ref().expect("a RUNNING record");
    assert_eq!(record.port_status, Some(PortStatus::Running));
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));

    let sim = Sim::new(Flavor::Ports).resource("port-b", &["CREATING", ABSENT]);
    let (_server, client, _) = serve(sim).await;
    let result = client
        .wait_until_port_running(["port-b"])
        .config(timing(600))
        .wait()
        .await;
    assert!(
        matches!(&result, Err(WaiterError::Vanished { id, .. }) if id == "port-b"),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_terminated_port_is_waited_for_past_running_until_recycled_or_gone() {
    let sim = Sim::new(Flavor::Ports)
        .resource("port-a", &["RUNNING", "RECYCLED"])
        .resource("port-b", &["RUNNING", ABSENT]);
    let (_server, client, sleep) = serve(sim).await;
    let done = client
        .wait_until_port_recycled(["port-a", "port-b"])
        .config(timing(600))
        .wait()
        .await
        .expect("recycled or released");
    let a = done[0].record.as_ref().expect("a RECYCLED record");
    assert_eq!(a.port_status, Some(PortStatus::Recycled));
    assert!(done[1].record.is_none(), "released: no record");
    assert_eq!(sleep.waits(), secs(&[10, 5]));
}

#[tokio::test]
async fn a_renewed_port_leaves_the_recycle_bin_and_a_destroyed_one_is_a_dead_end() {
    let sim = Sim::new(Flavor::Ports).resource("port-a", &["RECYCLED", "RECOVERING", "RUNNING"]);
    let (_server, client, _) = serve(sim).await;
    let done = client
        .wait_until_port_renewed(["port-a"])
        .config(timing(600))
        .wait()
        .await
        .expect("renewed");
    assert_eq!(
        done[0].record.as_ref().unwrap().port_status,
        Some(PortStatus::Running)
    );

    let sim = Sim::new(Flavor::Ports).resource("port-b", &["RECYCLED", "DESTROYING"]);
    let (_server, client, _) = serve(sim).await;
    let result = client
        .wait_until_port_renewed(["port-b"])
        .config(timing(600))
        .wait()
        .await;
    assert!(
        matches!(&result, Err(WaiterError::UnexpectedState { state, .. }) if state == "DESTROYING"),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_renewed_private_connect_is_ready_in_either_spelling() {
    for ready in ["RUNNING", "AVAILABLE"] {
        let sim =
            Sim::new(Flavor::PrivateConnects).resource("pc-1", &["RECYCLED", "RECOVERING", ready]);
        let (_server, client, sleep) = serve(sim).await;
        let done = client
            .wait_until_private_connect_renewed(["pc-1"])
            .config(timing(600))
            .wait()
            .await
            .unwrap_or_else(|e| panic!("{ready}: {e}"));
        assert!(
            matches!(
                done[0].record.as_ref().unwrap().private_connect_status,
                Some(PrivateConnectStatus::Running | PrivateConnectStatus::Available)
            ),
            "{ready}"
        );
        assert_eq!(sleep.waits(), secs(&[10, 5, 10]), "{ready}");
    }
}

#[tokio::test]
async fn a_rename_is_waited_for_until_the_listing_shows_the_new_name() {
    let sim = Sim::new(Flavor::PrivateConnects).resource_with(
        "pc-1",
        &["UPDATING", "RUNNING"],
        json!({"privateConnectName": "new-name"}),
    );
    let (_server, client, _) = serve(sim).await;
    let done = client
        .wait_until_private_connect_renamed(["pc-1"], "new-name")
        .config(timing(600))
        .wait()
        .await
        .expect("renamed");
    assert_eq!(
        done[0]
            .record
            .as_ref()
            .unwrap()
            .private_connect_name
            .as_deref(),
        Some("new-name")
    );

    // Ready from the start, with the old name: the rename has not shown yet.
    let sim = Sim::new(Flavor::PrivateConnects).resource_with(
        "pc-1",
        &["RUNNING"],
        json!({"privateConnectName": "old-name"}),
    );
    let (_server, client, _) = serve(sim).await;
    let result = client
        .wait_until_private_connect_renamed(["pc-1"], "new-name")
        .config(timing(60))
        .wait()
        .await;
    assert!(
        matches!(&result, Err(WaiterError::TimedOut { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn after_a_cloud_bandwidth_change_a_ready_state_counts_only_after_the_settle_time() {
    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &["RUNNING"]);
    let (_server, client, sleep) = serve(sim).await;
    client
        .wait_until_private_connect_settled(["pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("settled");
    // Polls at 10, 15 and 25 s read the ready state before the 30 s settle
    // time and before any UPDATING; the one at 45 s counts.
    assert_eq!(sleep.waits(), secs(&[10, 5, 10, 20]));

    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &["UPDATING", "RUNNING"]);
    let (_server, client, sleep) = serve(sim).await;
    client
        .wait_until_private_connect_settled(["pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("settled");
    assert_eq!(
        sleep.waits(),
        secs(&[10, 5]),
        "UPDATING seen: no settle time"
    );
}

#[tokio::test]
async fn the_ports_a_cloud_router_can_use_are_paged_until_the_total() {
    let page = |ids: &[&str]| {
        let records: Vec<_> = ids.iter().map(|id| json!({"portId": id})).collect();
        zenlayer::ok("T-PAGE", json!({"totalCount": 3, "dataSet": records}))
    };
    let server = TestServer::start(
        Auth::zenlayer(KEY_ID, SECRET),
        vec![page(&["port-1", "port-2"]), page(&["port-3"])],
    )
    .await;
    let (client, _) = zenlayer_client(&server, Credentials::access_key(KEY_ID, SECRET), |c| c);
    let mut input = DescribeCloudRouterAvailablePortsInput::new();
    input.page_size = Some(2);
    let ports: Vec<_> = client
        .describe_cloud_router_available_ports_pages(input)
        .items()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<_> = ports
        .iter()
        .map(|p| p.port_id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["port-1", "port-2", "port-3"]);
    let numbers: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.json()["pageNum"].as_i64())
        .collect();
    assert_eq!(numbers, [Some(1), Some(2)]);
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}
