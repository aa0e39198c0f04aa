//! End-to-end tests of waiting after a modification, against a local server
//! that behaves as the vendor documents ModifyPrivateConnectBandwidth and as
//! eventually consistent listings do: after the call the private connect is
//! still listed as ready (`AVAILABLE`) with the old cap for a few reads, then
//! with the new one.
//!
//! The ready state is both the state before the change and its goal, so a
//! wait for the state alone returns at once with the old cap. The spec's
//! `until_field` gives `wait_until_private_connect_bandwidth_applied` the
//! requested cap to wait for; these tests prove the generated method passes
//! it to the runtime and that the wait ends only on the new value, or with a
//! timeout that shows the old one. The server is small and local to this
//! file (the shared simulator answers state scripts only, not field values).

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use support::{Auth, Recorded, Reply, TestServer, zenlayer};
use truebind_runtime::{Credentials, WaitConfig, WaiterError};
use zenlayer_sdn::operation::modify_private_connect_bandwidth::ModifyPrivateConnectBandwidthInput;

const KEY_ID: &str = "AKIDMODIFYWAIT";
const SECRET: &str = "modify-wait-secret";
const ID: &str = "pc-1";

/// What the server holds for one private connect: the cap before the change,
/// the one requested, and how many reads still show the old one.
#[derive(Debug)]
struct Connect {
    old: i64,
    requested: Option<i64>,
    stale_reads: usize,
}

/// The listing of `pc-1` with `bandwidth`, as DescribePrivateConnects sends it.
fn listing(bandwidth: i64) -> Value {
    json!({
        "totalCount": 1,
        "dataSet": [{
            "privateConnectId": ID,
            "privateConnectStatus": "AVAILABLE",
            "bandwidthMbps": bandwidth,
        }]
    })
}

/// Answers ModifyPrivateConnectBandwidth by recording the cap, and
/// DescribePrivateConnects with the old cap for `stale_reads` reads after it.
fn answer(connect: &Mutex<Connect>, request: &Recorded) -> Reply {
    let mut c = connect.lock().unwrap();
    match request.action() {
        Some("ModifyPrivateConnectBandwidth") => {
            c.requested = request.json()["bandwidthMbps"].as_i64();
            zenlayer::ok("T-MODIFY", json!({}))
        }
        Some("DescribePrivateConnects") => {
            let shown = match c.requested {
                Some(new) if c.stale_reads == 0 => new,
                Some(_) => {
                    c.stale_reads -= 1;
                    c.old
                }
                None => c.old,
            };
            zenlayer::ok("T-DESCRIBE", listing(shown))
        }
        other => zenlayer::error(400, "UNEXPECTED_ACTION", &format!("{other:?}"), "T-X"),
    }
}

/// A server whose private connect has a 100 Mbps cap and shows a change only
/// after `stale_reads` reads, and a client of it with virtual time.
async fn serve(stale_reads: usize) -> (TestServer, zenlayer_sdn::Client) {
    let connect = Arc::new(Mutex::new(Connect {
        old: 100,
        requested: None,
        stale_reads,
    }));
    let server =
        TestServer::start_with(Auth::zenlayer(KEY_ID, SECRET), move |r| answer(&connect, r)).await;
    let (client, _) =
        support::zenlayer_client(&server, Credentials::access_key(KEY_ID, SECRET), |c| c);
    (server, client)
}

/// 1 s before the first poll, then 2 s doubling up to 4 s, no jitter.
fn timing(max_wait_secs: u64) -> WaitConfig {
    WaitConfig {
        initial_delay: Duration::from_secs(1),
        min_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(4),
        max_wait: Duration::from_secs(max_wait_secs),
        jitter: false,
        not_found_checks: 1,
    }
}

/// The reads of DescribePrivateConnects the server answered.
fn reads(server: &TestServer) -> usize {
    let requests = server.requests();
    let described = requests
        .iter()
        .filter(|r| r.action() == Some("DescribePrivateConnects"));
    described.count()
}

async fn modify(client: &zenlayer_sdn::Client, bandwidth: i32) {
    client
        .modify_private_connect_bandwidth(ModifyPrivateConnectBandwidthInput::new(ID, bandwidth))
        .await
        .expect("the change is accepted");
}

#[tokio::test]
async fn the_bandwidth_waiter_returns_only_the_new_cap() {
    let (server, client) = serve(3).await;
    modify(&client, 200).await;
    let finished = client
        .wait_until_private_connect_bandwidth_applied([ID], 200)
        .config(timing(60))
        .wait()
        .await
        .expect("the new cap shows");
    let record = finished[0].record.as_ref().expect("a record");
    assert_eq!(record.bandwidth_mbps, Some(200));
    assert_eq!(
        reads(&server),
        4,
        "three reads with the old cap, then the new one"
    );
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}

#[tokio::test]
async fn a_cap_that_never_shows_times_out_with_the_old_record() {
    let (server, client) = serve(usize::MAX).await;
    modify(&client, 200).await;
    let result = client
        .wait_until_private_connect_bandwidth_applied([ID], 200)
        .config(timing(10))
        .wait()
        .await;
    let Err(WaiterError::TimedOut {
        pending, last_seen, ..
    }) = result
    else {
        panic!("expected a timeout, got {result:?}");
    };
    assert_eq!(pending, [ID]);
    assert_eq!(
        last_seen[0].bandwidth_mbps,
        Some(100),
        "the old cap is never taken for done"
    );
    assert!(reads(&server) >= 2);
}

/// Why the bandwidth waiter exists: the ready-state waiter, which the action
/// pointed to before, takes the old cap for done.
#[tokio::test]
async fn the_ready_state_waiter_alone_returns_the_state_from_before_the_change() {
    let (server, client) = serve(3).await;
    modify(&client, 200).await;
    let finished = client
        .wait_until_private_connect_available([ID])
        .config(timing(60))
        .wait()
        .await
        .expect("ready at once");
    assert_eq!(
        finished[0].record.as_ref().unwrap().bandwidth_mbps,
        Some(100)
    );
    assert_eq!(reads(&server), 1);
}
