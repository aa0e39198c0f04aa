//! Creates a Zenlayer SDN private connect between two of your ports, waits
//! until it is running, then deletes it and waits until it is in the recycle
//! bin (and, with `DESTROY=1`, destroys it for good).
//!
//! It exists to show a complete, real use of the generated `zenlayer-sdn`
//! client: configuration from the environment, an input checked against the
//! documented limits before anything is sent,
//! asynchronous writes followed by the generated waiters
//! (`wait_until_private_connect_available`, `…_recycled`, `…_destroyed`),
//! typed errors, and cleanup. Its logic lives in
//! [`truebind_examples::private_connect_lifecycle`], which the end-to-end
//! tests run against a local server, so this program stays working.
//!
//! # Running it against a real account
//!
//! **This creates a billed resource** (pay-as-you-go, for the minutes it
//! exists) on the account whose credentials you give it. You need two Zenlayer
//! ports in state `RUNNING` that can be connected (the console, or
//! `DescribePrivateConnectAvailablePorts`, lists them).
//!
//! ```sh
//! # Credentials: an access key pair ...
//! export ZENLAYER_ACCESS_KEY_ID=...        # AccessKeyId
//! export ZENLAYER_ACCESS_KEY_SECRET=...    # AccessKeyPassword
//! # ... or a personal access token instead:
//! # export ZENLAYER_TOKEN=...
//! # Optional: another endpoint (default https://console.zenlayer.com/api/v2/sdn)
//! # export ZENLAYER_ENDPOINT=...
//!
//! export PORT_A_ID=...   # first port
//! export PORT_Z_ID=...   # second port (must differ from the first)
//! # Optional: VLAN_A, VLAN_Z (1-4096), BANDWIDTH_MBPS (1-500), PRIVATE_CONNECT_NAME
//! # Optional: WAIT_MINUTES (1-1440, default 20): longest wait for each state change
//! # Optional: DESTROY=1 to destroy the private connect once it is in the recycle bin
//!
//! cargo run -p truebind-examples --bin private_connect_lifecycle
//! ```
//!
//! The program prints the private connect id and the request id of the
//! create, then each state the private connect reaches. Creation is
//! asynchronous and the service refuses to delete a private connect that is
//! still deploying, so it polls `DescribePrivateConnects` (5 s, then backing
//! off up to a minute between polls) until the private connect is `RUNNING`,
//! for at most `WAIT_MINUTES`, before deleting it. A deleted private connect
//! sits in the recycle bin (`RECYCLED`) until the billing rules release it;
//! `DESTROY=1` releases it at once (irreversibly).
//!
//! If anything fails once the private connect exists, the error names its id
//! and what to do: it may still be billed, so delete it in the console (or
//! with `DeletePrivateConnect`) when the program could not.
//!
//! Exit status: 0 on success, 2 when the configuration is incomplete or
//! invalid (every missing variable is named), 1 when a call or a wait failed.

use std::process::ExitCode;

use truebind_examples::private_connect_lifecycle::{Settings, run};

#[tokio::main]
async fn main() -> ExitCode {
    // Read everything first, so one run names every missing variable.
    let settings = Settings::from_env();
    let client = zenlayer_sdn::Client::from_env();
    let (settings, client) = match (settings, client) {
        (Ok(settings), Ok(client)) => (settings, client),
        (settings, client) => {
            if let Err(e) = client {
                eprintln!("error: {e}");
            }
            if let Err(e) = settings {
                eprintln!("error: {e}");
            }
            eprintln!(
                "see the documentation at the top of \
                 examples/src/bin/private_connect_lifecycle.rs"
            );
            return ExitCode::from(2);
        }
    };
    match run(&client, &settings, &mut |line| println!("{line}")).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
