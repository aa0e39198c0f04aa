//! The example program and the README's "Testing your code" snippet against
//! `truebind-emulator`: the whole lifecycle (create, wait, delete, wait,
//! destroy, wait) with the generated waiters, every call signature-checked
//! and validated against the spec, all on 127.0.0.1.

use std::path::PathBuf;
use std::time::Duration;

use truebind_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, Settle};
use truebind_examples::private_connect_lifecycle::{Settings, run};
use zenlayer_sdn::{Config, Credentials};

/// A sleeper that returns at once, so the waiters' polls do not wait.
#[derive(Debug)]
struct NoSleep;

impl zenlayer_sdn::Sleep for NoSleep {
    fn sleep(&self, _: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn the_lifecycle_example_runs_against_the_emulator() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let emulator = Emulator::start(truebind_emulator::Config::new(spec).settle(Settle::Reads(2)))
        .await
        .expect("emulator");
    let credentials = Credentials::access_key(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET);
    let config = Config::new(credentials)
        .endpoint(emulator.zenlayer_endpoint())
        .sleep(std::sync::Arc::new(NoSleep));
    let client = zenlayer_sdn::Client::new(config).expect("client");
    let settings = Settings::from_lookup(|name| match name {
        "PORT_A_ID" => Some("port-a".into()),
        "PORT_Z_ID" => Some("port-z".into()),
        "DESTROY" => Some("1".into()),
        _ => None,
    })
    .expect("settings");
    let mut lines = Vec::new();
    let lifecycle = run(&client, &settings, &mut |line| lines.push(line.to_string()))
        .await
        .expect("the lifecycle completes");
    assert_eq!(lifecycle.available_state, "AVAILABLE");
    assert_eq!(lifecycle.recycled_state.as_deref(), Some("RECYCLED"));
    assert!(lifecycle.destroyed, "{lines:?}");
    let calls = emulator.calls();
    assert!(
        calls.iter().all(|c| c.status == 200),
        "every call was accepted: {calls:?}"
    );
    let actions: Vec<&str> = calls
        .iter()
        .map(|c| c.action.as_str())
        .filter(|a| !a.starts_with("Describe"))
        .collect();
    assert_eq!(
        actions,
        [
            "CreatePrivateConnect",
            "DeletePrivateConnect",
            "DestroyPrivateConnect"
        ]
    );
    let polls = calls
        .iter()
        .filter(|c| c.action == "DescribePrivateConnects")
        .count();
    assert_eq!(
        polls, 9,
        "three polls per wait: two in progress, then settled"
    );
}
