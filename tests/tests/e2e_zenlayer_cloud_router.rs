//! The cloud-router waiters (curated in `spec/zenlayer-sdn/curation/types.yaml`)
//! against the emulator, which serves `DescribeCloudRouters` from the spec's
//! `CloudRouter` resource: each scripted history is what a router goes through
//! after CreateCloudRouter, DeleteCloudRouter, DestroyCloudRouter,
//! RenewCloudRouter or an edge-point change.
//!
//! An edge-point change leaves the router RUNNING before and after it, so its
//! waiter must not return the state from before the call: it counts RUNNING
//! only after UPDATING was seen or the settle time (30 s) passed.
//!
//! Time is virtual (a recording sleeper, no jitter): 10 s before the first
//! poll, then 5 s doubling up to 20 s, so polls fall at 10, 15, 25, 45 s.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::sim::{ABSENT, emulator, history};
use support::{RecordingSleep, endpoint_config, secs};
use truebind_emulator::{Emulator, Seed};
use truebind_runtime::{Credentials, WaitConfig, WaiterError};
use zenlayer_sdn::types::CloudRouterStatus;

const KEY_ID: &str = "AKIDCLOUDROUTER";
const SECRET: &str = "cloud-router-secret";

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

/// Waits with `$waiter` for `cr-1` on `$client`, 600 s at most.
macro_rules! wait {
    ($client:expr, $waiter:ident) => {
        $client.$waiter(["cr-1"]).config(timing(600)).wait().await
    };
}

/// An emulator with one cloud router `cr-1` going through `steps`, and a client of it.
async fn serve(steps: &[&str]) -> (Emulator, zenlayer_sdn::Client, Arc<RecordingSleep>) {
    let server = emulator(KEY_ID, SECRET).await;
    let seed = Seed::history("CloudRouter", "cr-1", &history(steps))
        .fields(json!({"cloudRouterName": "router one"}));
    server
        .seed(seed)
        .expect("the spec has the CloudRouter resource");
    let (config, sleep) = endpoint_config(
        format!("http://{}", server.addr()),
        Credentials::access_key(KEY_ID, SECRET),
    );
    let client = zenlayer_sdn::Client::new(config).expect("client");
    (server, client, sleep)
}

#[tokio::test]
async fn a_created_cloud_router_is_waited_for_until_running() {
    let (_server, client, sleep) = serve(&["CREATING", "CREATING", "RUNNING"]).await;
    let done = wait!(client, wait_until_cloud_router_running).expect("running");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].id, "cr-1");
    let record = done[0].record.as_ref().expect("a RUNNING record");
    assert_eq!(record.cloud_router_status, Some(CloudRouterStatus::Running));
    assert_eq!(record.cloud_router_name.as_deref(), Some("router one"));
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn a_cloud_router_vanishing_while_created_fails_the_wait() {
    let (_server, client, _sleep) = serve(&["CREATING", ABSENT]).await;
    let result = wait!(client, wait_until_cloud_router_running);
    assert!(
        matches!(&result, Err(WaiterError::Vanished { id, .. }) if id == "cr-1"),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_deleted_cloud_router_is_waited_for_until_recycled() {
    let (_server, client, sleep) = serve(&["RUNNING", "DELETING", "RECYCLED"]).await;
    wait!(client, wait_until_cloud_router_recycled).expect("recycled");
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn a_destroyed_cloud_router_is_waited_for_until_it_is_gone() {
    let (_server, client, sleep) = serve(&["RECYCLED", "DESTROYING", ABSENT]).await;
    let done = wait!(client, wait_until_cloud_router_destroyed).expect("gone");
    assert!(done[0].record.is_none(), "gone means no record");
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn a_renewed_cloud_router_is_waited_for_from_recovering_to_running() {
    let (_server, client, sleep) = serve(&["RECYCLED", "RECOVERING", "RUNNING"]).await;
    wait!(client, wait_until_cloud_router_renewed).expect("renewed");
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn an_edge_point_change_is_not_done_on_the_running_state_from_before_it() {
    let (_server, client, sleep) = serve(&["RUNNING"]).await;
    wait!(client, wait_until_cloud_router_edge_points_settled).expect("settled");
    // Polls at 10, 15 and 25 s read RUNNING before the 30 s settle time and
    // before any UPDATING; the one at 45 s counts.
    assert_eq!(sleep.waits(), secs(&[10, 5, 10, 20]));

    let (_server, client, sleep) = serve(&["UPDATING", "RUNNING"]).await;
    wait!(client, wait_until_cloud_router_edge_points_settled).expect("settled");
    assert_eq!(
        sleep.waits(),
        secs(&[10, 5]),
        "UPDATING seen: no settle time"
    );
}
