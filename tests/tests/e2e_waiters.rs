//! End-to-end tests of the generated waiters (`wait_until_*`) against
//! `truebind-emulator` with scripted resource histories
//! ([`support::sim::Sim`]): per id, a scripted state for every successive
//! poll, "not listed" included, answered from the ids each request names.
//!
//! The waiter engine has unit tests with a fake poll function; what only a
//! round trip can prove is that the *generated* glue is right: the spec's
//! state lists reach the engine, the read action is called with the ids of
//! one batch in the field the vendor documents (Zenlayer `privateConnectIds`
//! / `portIds`, Alibaba `Filter.1.Key=PhysicalConnectionId`) with a page size
//! covering the batch, the records parse (vendor spellings, aliases, lenient
//! numbers), the client's sleeper drives the timing, and the read retry
//! policy absorbs a transient failure mid-wait.
//!
//! Time is virtual: the client's sleeper is a [`RecordingSleep`] and every
//! wait runs without jitter, so the number of polls and the elapsed waiting
//! (initial delay, then the doubling backoff) are asserted exactly. One test
//! uses real time on purpose: answers that take 400 ms count toward
//! `max_wait`, so a wait's deadline holds against a slow server.

mod support;

use std::sync::Arc;
use std::time::Duration;
use truebind_runtime::ErrorMeta;

use serde_json::json;
use support::sim::{ABSENT, Flavor, Polled, Sim, SimServer, page_params, requested_ids};
use support::{RecordingSleep, secs};
use truebind_emulator::{FaultKind, Quirk};
use truebind_runtime::{SdkError, WaitConfig, WaiterError};

const ZL_KEY_ID: &str = "AKIDWAITERS";
const ZL_SECRET: &str = "zenlayer-waiter-secret";
const ALI_KEY_ID: &str = "LTAIwaiterKeyId";
const ALI_SECRET: &str = "alibaba-waiter-secret";
const REGION: &str = "cn-shanghai";

/// 10 s before the first poll, then 5 s doubling up to 20 s, no jitter: the
/// waits before polls 1, 2, 3, 4, 5… are 10, 5, 10, 20, 20… seconds.
fn timing(max_wait_secs: u64) -> WaitConfig {
    WaitConfig {
        initial_delay: Duration::from_secs(10),
        min_delay: Duration::from_secs(5),
        max_delay: Duration::from_secs(20),
        max_wait: Duration::from_secs(max_wait_secs),
        jitter: false,
        not_found_checks: 3,
    }
}

async fn zenlayer(sim: Sim) -> (SimServer, zenlayer_sdn::Client, Arc<RecordingSleep>) {
    sim.serve_zenlayer(ZL_KEY_ID, ZL_SECRET).await
}

async fn alibaba(sim: Sim) -> (SimServer, alibaba_vpc::Client, Arc<RecordingSleep>) {
    sim.serve_alibaba(ALI_KEY_ID, ALI_SECRET).await
}

/// The ids each request carried, in request order.
fn batches(server: &SimServer) -> Vec<Vec<String>> {
    server
        .requests()
        .iter()
        .map(|r| {
            requested_ids(r)
                .expect("readable id filter")
                .expect("every waiter poll names its ids")
        })
        .collect()
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Checks what every Alibaba poll must carry: the region, one
/// `PhysicalConnectionId` filter as filter 1, and a page size covering it.
fn assert_alibaba_polls(server: &SimServer) {
    for (i, r) in server.requests().iter().enumerate() {
        assert_eq!(r.param("RegionId"), Some(REGION), "request {i}");
        assert_eq!(
            r.param("Filter.1.Key"),
            Some("PhysicalConnectionId"),
            "request {i}"
        );
        assert_page_size_covers_batch(r, i);
    }
}

fn assert_page_size_covers_batch(r: &Polled, i: usize) {
    let ids = requested_ids(r).unwrap().unwrap();
    let (_, size) = page_params(r).unwrap();
    let size = size.expect("a waiter poll sets the page size");
    assert!(
        size >= ids.len(),
        "request {i}: page size {size} < {} ids",
        ids.len()
    );
}

/// Zenlayer's 503 answer with the code the service sends for it.
fn zenlayer_unavailable() -> FaultKind {
    FaultKind::Error {
        status: 503,
        code: "SERVICE_UNAVAILABLE".into(),
    }
}

// ---------------------------------------------------------------- Zenlayer

#[tokio::test]
async fn zenlayer_available_after_k_polls_returns_final_records_and_exact_virtual_time() {
    let sim = Sim::new(Flavor::PrivateConnects)
        .resource("pc-1", &["CREATING", "CREATING", "CREATING", "RUNNING"])
        .resource("pc-other", &["RUNNING"]);
    let (server, client, sleep) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_available(["pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("available");

    assert_eq!(done.len(), 1);
    assert_eq!(done[0].id, "pc-1");
    let record = done[0].record.as_ref().expect("final record");
    assert_eq!(record.private_connect_id.as_deref(), Some("pc-1"));
    assert_eq!(record.private_connect_name.as_deref(), Some("name of pc-1"));
    assert_eq!(
        record.private_connect_status,
        Some(zenlayer_sdn::types::PrivateConnectStatus::Running)
    );
    // Four polls, each for exactly the id waited on (the server filters, so
    // pc-other never shows up), with a page size covering the batch.
    assert_eq!(batches(&server), vec![strings(&["pc-1"]); 4]);
    for (i, r) in server.requests().iter().enumerate() {
        assert_eq!(r.action(), Some("DescribePrivateConnects"));
        assert_page_size_covers_batch(r, i);
    }
    assert_eq!(sleep.waits(), secs(&[10, 5, 10, 20]));
    assert_eq!(
        sleep.waits().iter().sum::<Duration>(),
        Duration::from_secs(45)
    );
}

#[tokio::test]
async fn zenlayer_doc_and_live_spellings_of_ready_both_succeed() {
    use zenlayer_sdn::types::PrivateConnectStatus;
    let cases = [
        // The reference pages: DEPLOYING → AVAILABLE (and UPDATING is in progress too).
        (
            ["DEPLOYING", "UPDATING", "AVAILABLE"],
            PrivateConnectStatus::Available,
        ),
        // Live responses and Terraform: CREATING → RUNNING.
        (
            ["CREATING", "CREATING", "RUNNING"],
            PrivateConnectStatus::Running,
        ),
    ];
    for (steps, ready) in cases {
        let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &steps);
        let (server, client, sleep) = zenlayer(sim).await;
        let done = client
            .wait_until_private_connect_available(["pc-1"])
            .config(timing(600))
            .wait()
            .await
            .unwrap_or_else(|e| panic!("{steps:?}: {e}"));
        let record = done[0].record.as_ref().expect("final record");
        assert_eq!(record.private_connect_status.as_ref(), Some(&ready));
        assert_eq!(server.requests().len(), 3, "{steps:?}");
        assert_eq!(sleep.waits(), secs(&[10, 5, 10]), "{steps:?}");
    }
}

#[tokio::test]
async fn zenlayer_vlan_id_as_string_or_number_both_parse() {
    let sim = Sim::new(Flavor::PrivateConnects)
        .resource_with(
            "pc-str",
            &["RUNNING"],
            json!({
                "endpointA": {"endpointId": "ep-a", "endpointType": "PORT", "vlanId": "1001"},
                "endpointZ": {"endpointId": "ep-z", "endpointType": "PORT", "vlanId": 2001},
                "bandwidthMbps": "10"
            }),
        )
        .resource_with(
            "pc-num",
            &["RUNNING"],
            json!({
                "endpointA": {"endpointId": "ep-b", "endpointType": "PORT", "vlanId": 1002},
                "bandwidthMbps": 20
            }),
        );
    let (server, client, _) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_available(["pc-str", "pc-num"])
        .config(timing(600))
        .wait()
        .await
        .expect("both parse and are ready");

    assert_eq!(server.requests().len(), 1);
    assert_eq!(batches(&server), vec![strings(&["pc-str", "pc-num"])]);
    let by_id = |id: &str| {
        done.iter()
            .find(|f| f.id == id)
            .and_then(|f| f.record.clone())
            .unwrap_or_else(|| panic!("{id} finished with a record"))
    };
    let pc_str = by_id("pc-str");
    assert_eq!(pc_str.endpoint_a.as_ref().unwrap().vlan_id, Some(1001));
    assert_eq!(pc_str.endpoint_z.as_ref().unwrap().vlan_id, Some(2001));
    assert_eq!(pc_str.bandwidth_mbps, Some(10));
    let pc_num = by_id("pc-num");
    assert_eq!(pc_num.endpoint_a.as_ref().unwrap().vlan_id, Some(1002));
    assert_eq!(pc_num.bandwidth_mbps, Some(20));
}

#[tokio::test]
async fn zenlayer_never_available_times_out_with_pending_ids_and_last_record() {
    let sim = Sim::new(Flavor::PrivateConnects)
        .resource("pc-stuck", &["CREATING"])
        .resource("pc-ok", &["CREATING", "RUNNING"]);
    let (server, client, sleep) = zenlayer(sim).await;

    let result = client
        .wait_until_private_connect_available(["pc-stuck", "pc-ok"])
        .config(timing(60))
        .wait()
        .await;

    let Err(WaiterError::TimedOut {
        waited,
        pending,
        last_seen,
    }) = result
    else {
        panic!("expected a timeout, got {result:?}")
    };
    // 10 + 5 + 10 + 20 = 45 s; the next 20 s would pass 60 s, so it stops.
    assert_eq!(waited, Duration::from_secs(45));
    assert!(waited <= Duration::from_secs(60));
    assert_eq!(sleep.waits(), secs(&[10, 5, 10, 20]));
    assert_eq!(sleep.waits().iter().sum::<Duration>(), waited);
    assert_eq!(pending, strings(&["pc-stuck"]));
    assert_eq!(last_seen.len(), 1);
    assert_eq!(last_seen[0].private_connect_id.as_deref(), Some("pc-stuck"));
    assert_eq!(
        last_seen[0].private_connect_status,
        Some(zenlayer_sdn::types::PrivateConnectStatus::Creating)
    );
    // The finished id is no longer polled.
    assert_eq!(
        batches(&server),
        vec![
            strings(&["pc-stuck", "pc-ok"]),
            strings(&["pc-stuck", "pc-ok"]),
            strings(&["pc-stuck"]),
            strings(&["pc-stuck"]),
        ]
    );
}

#[tokio::test]
async fn zenlayer_disappearing_while_creating_is_vanished_with_the_last_record() {
    let sim = Sim::new(Flavor::PrivateConnects).resource_with(
        "pc-1",
        &["DEPLOYING", "CREATING", ABSENT],
        json!({"bandwidthMbps": 50}),
    );
    let (server, client, sleep) = zenlayer(sim).await;

    let result = client
        .wait_until_private_connect_available(["pc-1"])
        .config(timing(600))
        .wait()
        .await;

    let Err(WaiterError::Vanished { id, last_seen }) = result else {
        panic!("expected Vanished, got {result:?}")
    };
    assert_eq!(id, "pc-1");
    let last = last_seen.expect("it was seen before it vanished");
    assert_eq!(
        last.private_connect_status,
        Some(zenlayer_sdn::types::PrivateConnectStatus::Creating)
    );
    assert_eq!(last.bandwidth_mbps, Some(50));
    assert_eq!(server.requests().len(), 3);
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn zenlayer_never_listed_create_vanishes_after_the_not_found_checks() {
    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-ghost", &[ABSENT]);
    let (server, client, sleep) = zenlayer(sim).await;

    let result = client
        .wait_until_private_connect_available(["pc-ghost"])
        .config(timing(600))
        .wait()
        .await;

    let Err(WaiterError::Vanished { id, last_seen }) = result else {
        panic!("expected Vanished, got {result:?}")
    };
    assert_eq!(id, "pc-ghost");
    assert!(last_seen.is_none());
    // not_found_checks = 3: missing three times is tolerated, the fourth is not.
    assert_eq!(server.requests().len(), 4);
    assert_eq!(sleep.waits(), secs(&[10, 5, 10, 20]));
}

#[tokio::test]
async fn zenlayer_destroyed_private_connect_is_done_once_no_longer_listed() {
    let sim = Sim::new(Flavor::PrivateConnects)
        // A fourth poll would see RUNNING and fail: the wait must stop at absence.
        .resource("pc-1", &["RECYCLED", "DESTROYING", ABSENT, "RUNNING"]);
    let (server, client, sleep) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_destroyed(["pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("destroyed");

    assert_eq!(done.len(), 1);
    assert_eq!(done[0].id, "pc-1");
    assert!(done[0].record.is_none(), "gone means no record");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn zenlayer_port_destroyed_by_state_or_by_absence() {
    use zenlayer_sdn::types::PortStatus;
    let sim = Sim::new(Flavor::Ports)
        .resource("port-a", &["RECYCLED", "DESTROYING", "DESTROYED"])
        .resource("port-b", &["DESTROYING", ABSENT]);
    let (server, client, sleep) = zenlayer(sim).await;

    let done = client
        .wait_until_port_destroyed(["port-a", "port-b"])
        .config(timing(600))
        .wait()
        .await
        .expect("both destroyed");

    assert_eq!(done.len(), 2);
    assert_eq!(done[0].id, "port-a");
    let a = done[0]
        .record
        .as_ref()
        .expect("DESTROYED is a final record");
    assert_eq!(a.port_status, Some(PortStatus::Destroyed));
    assert_eq!(a.port_name.as_deref(), Some("name of port-a"));
    assert_eq!(done[1].id, "port-b");
    assert!(done[1].record.is_none());
    for r in server.requests() {
        assert_eq!(r.action(), Some("DescribePorts"));
        assert!(r.json().get("portIds").is_some(), "ids go in portIds");
    }
    assert_eq!(
        batches(&server),
        vec![
            strings(&["port-a", "port-b"]),
            strings(&["port-a", "port-b"]),
            strings(&["port-a"]),
        ]
    );
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn zenlayer_recycled_accepts_the_deleteing_misspelling_and_absence() {
    let sim = Sim::new(Flavor::PrivateConnects)
        .resource("pc-typo", &["DELETEING", "RECYCLED"])
        .resource("pc-gone", &["DELETING", ABSENT]);
    let (server, client, _) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_recycled(["pc-typo", "pc-gone"])
        .config(timing(600))
        .wait()
        .await
        .expect("recycled");

    assert_eq!(
        done[0].record.as_ref().unwrap().private_connect_status,
        Some(zenlayer_sdn::types::PrivateConnectStatus::Recycled)
    );
    assert!(done[1].record.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn zenlayer_unknown_or_unlisted_state_is_reported_not_guessed() {
    // A state no source lists.
    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &["CREATING", "UPGRADING"]);
    let (server, client, _) = zenlayer(sim).await;
    let result = client
        .wait_until_private_connect_available(["pc-1"])
        .config(timing(600))
        .wait()
        .await;
    let Err(WaiterError::UnexpectedState { id, state, record }) = result else {
        panic!("expected UnexpectedState, got {result:?}")
    };
    assert_eq!((id.as_str(), state.as_str()), ("pc-1", "UPGRADING"));
    assert_eq!(
        record.private_connect_status,
        Some(zenlayer_sdn::types::PrivateConnectStatus::Unknown(
            "UPGRADING".into()
        ))
    );
    assert_eq!(server.requests().len(), 2);
    drop(server);

    // A known state this waiter does not list: a running private connect is
    // not "being destroyed", and the waiter must not keep polling it.
    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &["RUNNING"]);
    let (server, client, _) = zenlayer(sim).await;
    let result = client
        .wait_until_private_connect_destroyed(["pc-1"])
        .config(timing(600))
        .wait()
        .await;
    assert!(
        matches!(&result, Err(WaiterError::UnexpectedState { state, .. }) if state == "RUNNING"),
        "{result:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn zenlayer_transient_503_mid_wait_is_absorbed_by_the_read_retry_policy() {
    let unavailable = zenlayer_unavailable();
    let sim = Sim::new(Flavor::PrivateConnects)
        .resource("pc-1", &["CREATING", "RUNNING"])
        .fault(1, unavailable);
    let (server, client, sleep) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_available(["pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("the retry hides the 503");

    assert!(done[0].record.is_some());
    // Two polls plus one retry of the second; the retry carries the same ids.
    assert_eq!(server.requests().len(), 3);
    assert_eq!(batches(&server), vec![strings(&["pc-1"]); 3]);
    // Waits: 10 s, 5 s (waiter), then the retry's 50–100 ms (fast_retry, jittered).
    let waits = sleep.waits();
    assert_eq!(waits.len(), 3);
    assert_eq!(waits[..2], secs(&[10, 5]));
    assert!(
        (Duration::from_millis(50)..=Duration::from_millis(100)).contains(&waits[2]),
        "retry wait {:?}",
        waits[2]
    );
}

#[tokio::test]
async fn zenlayer_persistent_503_ends_the_wait_with_the_poll_error() {
    let unavailable = zenlayer_unavailable();
    let sim = (1..10).fold(
        Sim::new(Flavor::PrivateConnects).resource("pc-1", &["CREATING"]),
        |sim, i| sim.fault(i, unavailable.clone()),
    );
    let (server, client, _) = zenlayer(sim).await;

    let result = client
        .wait_until_private_connect_available(["pc-1"])
        .config(timing(600))
        .wait()
        .await;

    let Err(WaiterError::Poll(SdkError::Service(e))) = result else {
        panic!("expected the poll's service error, got {result:?}")
    };
    assert_eq!(e.code(), "SERVICE_UNAVAILABLE");
    // One good poll, then the second poll's 4 attempts (fast_retry(4)).
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test]
async fn zenlayer_250_ids_are_polled_100_per_call_and_only_pending_ones_again() {
    let ids: Vec<String> = (0..250).map(|i| format!("pc-{i:03}")).collect();
    let sim = Sim::new(Flavor::PrivateConnects)
        .resources(&ids[..130], &["CREATING", "RUNNING"])
        .resources(&ids[130..], &["CREATING", "CREATING", "RUNNING"]);
    let (server, client, sleep) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_available(ids.clone())
        .config(timing(600))
        .wait()
        .await
        .expect("all available");

    assert_eq!(
        done.iter().map(|f| f.id.clone()).collect::<Vec<_>>(),
        ids,
        "one result per id, in the order given"
    );
    assert!(done.iter().all(|f| f.record.is_some()));
    let expected: Vec<Vec<String>> = [
        &ids[0..100],
        &ids[100..200],
        &ids[200..250],
        &ids[0..100],
        &ids[100..200],
        &ids[200..250],
        &ids[130..230],
        &ids[230..250],
    ]
    .iter()
    .map(|chunk| chunk.to_vec())
    .collect();
    assert_eq!(batches(&server), expected);
    for (i, r) in server.requests().iter().enumerate() {
        assert_page_size_covers_batch(r, i);
    }
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

// ----------------------------------------------------------------- Alibaba

#[tokio::test]
async fn alibaba_allocated_after_k_polls_returns_final_records_and_exact_virtual_time() {
    use alibaba_vpc::types::PhysicalConnectionStatus;
    let sim = Sim::new(Flavor::PhysicalConnections)
        .resource_with(
            "pc-bp1",
            &["Initial", "Approved", "Allocating", "Allocated"],
            json!({"Bandwidth": "1000", "VlanId": "100", "Spec": "10G"}),
        )
        .resource_with(
            "pc-bp2",
            &["Allocating", "Allocated"],
            json!({"Bandwidth": 200}),
        )
        .resource("pc-unrelated", &["Enabled"]);
    let (server, client, sleep) = alibaba(sim).await;

    let done = client
        .wait_until_physical_connection_allocated(REGION, ["pc-bp1", "pc-bp2"])
        .config(timing(600))
        .wait()
        .await
        .expect("allocated");

    assert_eq!(done.len(), 2);
    let first = done[0].record.as_ref().expect("final record");
    assert_eq!(done[0].id, "pc-bp1");
    assert_eq!(first.status, Some(PhysicalConnectionStatus::Allocated));
    assert_eq!(first.bandwidth, Some(1000));
    assert_eq!(first.name.as_deref(), Some("name of pc-bp1"));
    let second = done[1].record.as_ref().expect("final record");
    assert_eq!(second.bandwidth, Some(200));
    assert_eq!(
        batches(&server),
        vec![
            strings(&["pc-bp1", "pc-bp2"]),
            strings(&["pc-bp1", "pc-bp2"]),
            strings(&["pc-bp1"]),
            strings(&["pc-bp1"]),
        ]
    );
    assert_alibaba_polls(&server);
    assert_eq!(sleep.waits(), secs(&[10, 5, 10, 20]));
}

#[tokio::test]
async fn alibaba_allocation_failed_is_a_failure_in_both_spellings() {
    use alibaba_vpc::types::PhysicalConnectionStatus;
    for sent in [
        "Allocation Failed",
        "AllocationFailed",
        "Rejected",
        "Canceled",
    ] {
        let sim = Sim::new(Flavor::PhysicalConnections).resource("pc-1", &["Allocating", sent]);
        let (server, client, sleep) = alibaba(sim).await;

        let result = client
            .wait_until_physical_connection_allocated(REGION, ["pc-1"])
            .config(timing(600))
            .wait()
            .await;

        let Err(WaiterError::Failed { id, state, record }) = result else {
            panic!("{sent:?}: expected Failed, got {result:?}")
        };
        assert_eq!(id, "pc-1");
        let canonical = if sent == "AllocationFailed" {
            "Allocation Failed"
        } else {
            sent
        };
        assert_eq!(state, canonical, "{sent:?}");
        assert_eq!(
            record.status.as_ref().map(PhysicalConnectionStatus::as_str),
            Some(canonical)
        );
        if sent.starts_with("Allocation") {
            assert_eq!(
                record.status,
                Some(PhysicalConnectionStatus::AllocationFailed)
            );
        }
        assert_eq!(server.requests().len(), 2, "{sent:?}");
        assert_eq!(sleep.waits(), secs(&[10, 5]), "{sent:?}");
    }
}

#[tokio::test]
async fn alibaba_terminated_times_out_while_still_terminating() {
    let sim = Sim::new(Flavor::PhysicalConnections)
        .resource("pc-1", &["Enabled", "Terminating"])
        .resource("pc-2", &["Terminating", "Terminated"]);
    let (server, client, sleep) = alibaba(sim).await;

    let result = client
        .wait_until_physical_connection_terminated(REGION, ["pc-1", "pc-2"])
        .config(timing(30))
        .wait()
        .await;

    let Err(WaiterError::TimedOut {
        waited,
        pending,
        last_seen,
    }) = result
    else {
        panic!("expected a timeout, got {result:?}")
    };
    // 10 + 5 + 10 = 25 s; another 20 s would pass 30 s.
    assert_eq!(waited, Duration::from_secs(25));
    assert!(waited <= Duration::from_secs(30));
    assert_eq!(sleep.waits().iter().sum::<Duration>(), waited);
    assert_eq!(pending, strings(&["pc-1"]));
    assert_eq!(last_seen.len(), 1);
    assert_eq!(
        last_seen[0].status,
        Some(alibaba_vpc::types::PhysicalConnectionStatus::Terminating)
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn alibaba_enabled_circuit_that_disappears_is_vanished_with_the_last_record() {
    let sim = Sim::new(Flavor::PhysicalConnections).resource("pc-1", &["Confirmed", ABSENT]);
    let (server, client, _) = alibaba(sim).await;

    let result = client
        .wait_until_physical_connection_enabled(REGION, ["pc-1"])
        .config(timing(600))
        .wait()
        .await;

    let Err(WaiterError::Vanished { id, last_seen }) = result else {
        panic!("expected Vanished, got {result:?}")
    };
    assert_eq!(id, "pc-1");
    assert_eq!(
        last_seen.and_then(|r| r.status),
        Some(alibaba_vpc::types::PhysicalConnectionStatus::Confirmed)
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn alibaba_deleted_is_done_once_no_longer_listed_alias_states_included() {
    let sim = Sim::new(Flavor::PhysicalConnections)
        .resource("pc-1", &["Terminated", "Terminated", ABSENT])
        .resource("pc-2", &["AllocationFailed", ABSENT]);
    let (server, client, sleep) = alibaba(sim).await;

    let done = client
        .wait_until_physical_connection_deleted(REGION, ["pc-1", "pc-2"])
        .config(timing(600))
        .wait()
        .await
        .expect("deleted");

    assert_eq!(done.len(), 2);
    assert!(done.iter().all(|f| f.record.is_none()));
    assert_eq!(
        batches(&server),
        vec![
            strings(&["pc-1", "pc-2"]),
            strings(&["pc-1", "pc-2"]),
            strings(&["pc-1"]),
        ]
    );
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
}

#[tokio::test]
async fn alibaba_unknown_or_unlisted_state_is_reported_not_guessed() {
    for sent in ["Upgrading", "Enabled"] {
        let sim = Sim::new(Flavor::PhysicalConnections).resource("pc-1", &["Allocating", sent]);
        let (server, client, _) = alibaba(sim).await;

        let result = client
            .wait_until_physical_connection_allocated(REGION, ["pc-1"])
            .config(timing(600))
            .wait()
            .await;

        let Err(WaiterError::UnexpectedState { id, state, .. }) = result else {
            panic!("{sent:?}: expected UnexpectedState, got {result:?}")
        };
        assert_eq!((id.as_str(), state.as_str()), ("pc-1", sent));
        assert_eq!(server.requests().len(), 2);
    }
}

#[tokio::test]
async fn alibaba_transient_503_mid_wait_is_absorbed_by_the_read_retry_policy() {
    let unavailable = FaultKind::ServerError(503);
    let sim = Sim::new(Flavor::PhysicalConnections)
        .resource("pc-1", &["Allocating", "Allocating", "Allocated"])
        .fault(2, unavailable);
    let (server, client, sleep) = alibaba(sim).await;

    let done = client
        .wait_until_physical_connection_allocated(REGION, ["pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("the retry hides the 503");

    assert!(done[0].record.is_some());
    // Three polls plus one retry of the third.
    assert_eq!(server.requests().len(), 4);
    assert_eq!(batches(&server), vec![strings(&["pc-1"]); 4]);
    assert_alibaba_polls(&server);
    let waits = sleep.waits();
    assert_eq!(waits.len(), 4);
    assert_eq!(waits[..3], secs(&[10, 5, 10]));
    assert!(
        (Duration::from_millis(50)..=Duration::from_millis(100)).contains(&waits[3]),
        "retry wait {:?}",
        waits[3]
    );
}

#[tokio::test]
async fn alibaba_12_ids_are_polled_5_per_filter() {
    let ids: Vec<String> = (0..12).map(|i| format!("pc-bp{i:02}")).collect();
    let sim = Sim::new(Flavor::PhysicalConnections).resources(&ids, &["Allocating", "Allocated"]);
    let (server, client, sleep) = alibaba(sim).await;

    let done = client
        .wait_until_physical_connection_allocated(REGION, ids.clone())
        .config(timing(600))
        .wait()
        .await
        .expect("all allocated");

    assert_eq!(done.iter().map(|f| f.id.clone()).collect::<Vec<_>>(), ids);
    let expected: Vec<Vec<String>> = [
        &ids[0..5],
        &ids[5..10],
        &ids[10..12],
        &ids[0..5],
        &ids[5..10],
        &ids[10..12],
    ]
    .iter()
    .map(|chunk| chunk.to_vec())
    .collect();
    assert_eq!(batches(&server), expected);
    assert_alibaba_polls(&server);
    // The values are numbered from 1 in the documented flattening.
    let first = &server.requests()[0];
    assert_eq!(first.param("Filter.1.Value.1"), Some("pc-bp00"));
    assert_eq!(first.param("Filter.1.Value.5"), Some("pc-bp04"));
    assert_eq!(first.param("Filter.1.Value.6"), None);
    assert_eq!(sleep.waits(), secs(&[10, 5]));
}

#[tokio::test]
async fn zenlayer_repeated_ids_are_polled_and_reported_once() {
    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &["CREATING", "RUNNING"]);
    let (server, client, _) = zenlayer(sim).await;

    let done = client
        .wait_until_private_connect_available(["pc-1", "pc-1", "pc-1"])
        .config(timing(600))
        .wait()
        .await
        .expect("available");

    assert_eq!(done.len(), 1);
    assert_eq!(batches(&server), vec![strings(&["pc-1"]); 2]);
}

#[tokio::test]
async fn waiting_for_no_ids_returns_at_once_without_polling_or_sleeping() {
    let (server, client, sleep) = zenlayer(Sim::new(Flavor::PrivateConnects)).await;

    let done = client
        .wait_until_private_connect_available(Vec::<String>::new())
        .config(timing(600))
        .wait()
        .await
        .expect("nothing to wait for");

    assert!(done.is_empty());
    assert!(server.requests().is_empty());
    assert_eq!(sleep.waits(), Vec::<Duration>::new());
}

// ------------------------------------- a server is untrusted: waits end

/// No delays at all, as a caller may configure.
fn eager(max_wait: Duration) -> WaitConfig {
    WaitConfig {
        initial_delay: Duration::ZERO,
        min_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        max_wait,
        jitter: false,
        not_found_checks: 3,
    }
}

/// Waits for `ids` to be available with no delays configured, failing
/// (rather than hanging) when the wait has not ended after 20 s of real
/// time; returns the time it says it waited and the ids still pending.
async fn eager_wait_times_out(
    client: &zenlayer_sdn::Client,
    ids: &[String],
    max_wait: Duration,
) -> (Duration, Vec<String>) {
    let wait = client
        .wait_until_private_connect_available(ids.to_vec())
        .config(eager(max_wait))
        .wait();
    let result = tokio::time::timeout(Duration::from_secs(20), wait)
        .await
        .expect("the wait never ended");
    match result {
        Err(WaiterError::TimedOut {
            waited, pending, ..
        }) => (waited, pending),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn zenlayer_zero_delays_still_poll_one_min_delay_apart_and_time_out() {
    let sim = Sim::new(Flavor::PrivateConnects).resource("pc-1", &["CREATING"]);
    let (server, client, sleep) = zenlayer(sim).await;

    let (waited, pending) =
        eager_wait_times_out(&client, &strings(&["pc-1"]), Duration::from_secs(10)).await;

    assert_eq!(pending, strings(&["pc-1"]));
    assert_eq!(sleep.waits(), vec![truebind_runtime::waiter::MIN_DELAY; 10]);
    assert_eq!(waited, Duration::from_secs(10));
    assert_eq!(
        server.requests().len(),
        11,
        "one poll at once, then one a second"
    );
}

#[tokio::test]
async fn zenlayer_slow_polls_count_toward_max_wait() {
    // 500 ids: five batches of 100 a round, each answered after 400 ms, and
    // a 1 s deadline. Time spent polling counts, so the first round is cut short.
    let ids: Vec<String> = (0..500).map(|i| format!("pc-{i:03}")).collect();
    let sim = Sim::new(Flavor::PrivateConnects)
        .resources(&ids, &["CREATING"])
        .answer_after(Duration::from_millis(400));
    let (server, client, sleep) = zenlayer(sim).await;

    let (waited, pending) = eager_wait_times_out(&client, &ids, Duration::from_secs(1)).await;

    assert!(waited > Duration::from_secs(1), "{waited:?}");
    assert_eq!(pending, ids, "no id is done");
    let polls = server.requests().len();
    assert!(
        (1..=3).contains(&polls),
        "{polls} polls of 400 ms within 1 s"
    );
    assert!(
        sleep.waits().is_empty(),
        "no sleep fits before the deadline"
    );
}

#[tokio::test]
async fn zenlayer_destroy_waiter_reads_every_page_before_calling_an_id_gone() {
    // The service serves one record a page (total 2): pc-a is gone, pc-b and
    // pc-c are still being destroyed, but pc-c is only on page 2.
    let sim = Sim::new(Flavor::PrivateConnects)
        .resource("pc-a", &[ABSENT])
        .resources(&["pc-b", "pc-c"], &["DESTROYING"])
        .quirk(Quirk::PageSizeCap(1));
    let (server, client, _) = zenlayer(sim).await;

    let result = client
        .wait_until_private_connect_destroyed(["pc-a", "pc-b", "pc-c"])
        .config(timing(30))
        .wait()
        .await;

    let Err(WaiterError::TimedOut {
        pending, last_seen, ..
    }) = result
    else {
        panic!("expected a timeout, got {result:?}")
    };
    assert_eq!(pending, strings(&["pc-b", "pc-c"]), "only pc-a is gone");
    assert_eq!(last_seen.len(), 2);
    // Each poll reads page 1 (the input as built, no page number) and page 2.
    let pages: Vec<Option<usize>> = server
        .requests()
        .iter()
        .map(|r| page_params(r).unwrap().0)
        .collect();
    assert_eq!(pages, [None, Some(2)].repeat(pages.len() / 2));
    assert!(pages.len() >= 4);
}

#[tokio::test]
async fn zenlayer_destroy_waiter_never_calls_ids_gone_on_an_incomplete_read() {
    // The service serves 1 of 3 records with a total of 3 and ignores the
    // page number: pc-b and pc-c are never seen, so never declared destroyed.
    let sim = Sim::new(Flavor::PrivateConnects)
        .resources(&["pc-a", "pc-b", "pc-c"], &["DESTROYING"])
        .quirk(Quirk::PageSizeCap(1))
        .quirk(Quirk::IgnorePageNumber);
    let (server, client, sleep) = zenlayer(sim).await;

    let result = client
        .wait_until_private_connect_destroyed(["pc-a", "pc-b", "pc-c"])
        .config(timing(30))
        .wait()
        .await;

    let Err(WaiterError::TimedOut { pending, .. }) = result else {
        panic!("expected a timeout, got {result:?}")
    };
    assert_eq!(pending, strings(&["pc-a", "pc-b", "pc-c"]));
    assert_eq!(sleep.waits(), secs(&[10, 5, 10]));
    // Each poll: page 1, then page 2, which repeats it and ends the read.
    assert_eq!(server.requests().len(), 6);
}
