//! `HTTP_PROXY` / `HTTPS_PROXY` are honoured by the runtime's own HTTP
//! client (reqwest reads them when a client is built, with the runtime's
//! reqwest features too). Setting a variable in this process would race
//! every other test reading the environment, so the one test runs itself
//! again as a child process with `HTTP_PROXY` set only there: the child
//! calls an `http://` endpoint where nothing listens, and the parent's
//! stand-in proxy must receive the request in absolute form and answer it.

mod support;

use std::process::Command;

use serde_json::json;
use support::{ProxyLike, closed_port};
use truebind_runtime::{Config, Credentials, RetryPolicy};
use zenlayer_sdn::operation::describe_ports::DescribePortsInput;

/// Set in the child: the endpoint it calls.
const CHILD_ENDPOINT: &str = "TRUEBIND_PROXY_TEST_ENDPOINT";

#[tokio::test]
async fn http_proxy_from_the_environment_is_used() {
    if let Ok(endpoint) = std::env::var(CHILD_ENDPOINT) {
        let config = Config::new(Credentials::access_key("AKIDPROXY", "proxy-secret"))
            .endpoint(endpoint)
            .retry(RetryPolicy::none());
        let client = zenlayer_sdn::Client::new(config).expect("client");
        client
            .describe_ports(DescribePortsInput::new())
            .await
            .expect("answered through the proxy");
        return;
    }
    let reply = support::zenlayer::ok("REQ-PROXY", json!({"totalCount": 0, "dataSet": []}));
    let proxy = ProxyLike::start(reply).await;
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let mut child = Command::new(std::env::current_exe().expect("this test binary"));
    child
        .args([
            "--exact",
            "http_proxy_from_the_environment_is_used",
            "--nocapture",
        ])
        .env(CHILD_ENDPOINT, &endpoint)
        .env("HTTP_PROXY", proxy.url());
    for other in [
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        child.env_remove(other);
    }
    let output = tokio::task::spawn_blocking(move || child.output())
        .await
        .expect("joined")
        .expect("the child runs");
    assert!(
        output.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 passed"));
    assert_eq!(proxy.targets(), vec![format!("{endpoint}/api/v2/sdn")]);
}
