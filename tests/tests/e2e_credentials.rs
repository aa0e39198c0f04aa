//! End-to-end tests of where a client's credentials come from, against local
//! servers ([`support::TestServer`]) that verify every signature.
//!
//! They prove over real HTTP that credentials read from the vendors' profile
//! files sign calls the server accepts, that a refreshing (STS-style)
//! provider is asked again once its credentials are about to expire and its
//! token is the one sent, and that a provider that fails ends the call
//! before anything is sent. Variables and the home directory are injected,
//! so nothing here reads the process environment or the real home.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use alibaba_vpc::operation::delete_physical_connection::DeletePhysicalConnectionInput;
use support::{Auth, TestServer, fast_retry};
use truebind_runtime::credentials::{Clock, ProvideFuture};
use truebind_runtime::{
    Config, Credentials, CredentialsError, Env, Protocol, ProvideCredentials, ProvidedCredentials,
    SdkError, Secret, SharedCredentials,
};
use zenlayer_sdn::operation::delete_private_connect::DeletePrivateConnectInput;

const ZENLAYER_ID: &str = "AKIDPROFILE";
const ZENLAYER_SECRET: &str = "zenlayer-profile-secret";
const ALIBABA_ID: &str = "STS.e2eKeyId";
const ALIBABA_SECRET: &str = "alibaba-sts-secret";

fn write(home: &Path, relative: &str, text: &str) {
    let path = home.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Variables: `HOME` (and `USERPROFILE`) = `home`, plus `pairs`.
fn vars(home: &Path, pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let home = home.display().to_string();
    let homes = [("HOME", home.as_str()), ("USERPROFILE", home.as_str())];
    let env = Env::from_pairs(pairs.iter().chain(&homes).copied());
    move |name| env.var(name)
}

fn delete_input() -> DeletePhysicalConnectionInput {
    DeletePhysicalConnectionInput::new("cn-shanghai", "pc-credentials")
}

#[tokio::test]
async fn a_zenlayer_profile_file_signs_a_call_the_server_accepts() {
    let server = TestServer::start(
        Auth::zenlayer(ZENLAYER_ID, ZENLAYER_SECRET),
        vec![support::zenlayer::ok("T-profile", serde_json::json!({}))],
    )
    .await;
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".zenlayer/credentials.json",
        &format!(
            r#"{{"default": {{"token": "not-this-one"}},
                "ci": {{"access_key_id": "{ZENLAYER_ID}", "access_key_secret": "{ZENLAYER_SECRET}"}}}}"#
        ),
    );
    let endpoint = server.endpoint();
    let lookup = vars(
        home.path(),
        &[("ZENLAYER_PROFILE", "ci"), ("ZENLAYER_ENDPOINT", &endpoint)],
    );
    let config = Config::from_lookup(Protocol::ZenlayerJson, lookup).expect("profile");
    let client = zenlayer_sdn::Client::new(config).expect("client");

    let output = client
        .delete_private_connect(DeletePrivateConnectInput::new("pc-1"))
        .await
        .expect("success");

    assert_eq!(output.request_id.as_deref(), Some("T-profile"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].auth, Ok(()), "the server's ZC2 check passed");
}

#[tokio::test]
async fn an_aliyun_sts_token_profile_sends_its_token() {
    let server = TestServer::start(
        Auth::acs3(ALIBABA_ID, ALIBABA_SECRET),
        vec![support::alibaba::ok("R-cli")],
    )
    .await;
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "sts", "profiles": [{{"name": "sts", "mode": "StsToken",
                "access_key_id": "{ALIBABA_ID}", "access_key_secret": "{ALIBABA_SECRET}",
                "sts_token": "cli-sts-token"}}]}}"#
        ),
    );
    let endpoint = server.endpoint();
    let lookup = vars(home.path(), &[("ALIBABA_CLOUD_ENDPOINT", &endpoint)]);
    let config = Config::from_lookup(Protocol::AlibabaRpc, lookup).expect("profile");
    let client = alibaba_vpc::Client::new(config).expect("client");

    client
        .delete_physical_connection(delete_input())
        .await
        .expect("success");

    let requests = server.requests();
    assert_eq!(requests[0].auth, Ok(()), "the server's ACS3 check passed");
    assert_eq!(
        requests[0].header("x-acs-security-token"),
        Some("cli-sts-token")
    );
}

/// Issues `sts-token-<n>` for 15 minutes of real time, counting calls.
#[derive(Debug, Default)]
struct Sts {
    issued: AtomicU64,
}

impl ProvideCredentials for Sts {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let credentials = Credentials::AccessKey {
            id: ALIBABA_ID.into(),
            secret: Secret::new(ALIBABA_SECRET),
            security_token: Some(Secret::new(format!("sts-token-{n}"))),
        };
        let expires = SystemTime::now() + Duration::from_secs(15 * 60);
        Box::pin(async move { Ok(ProvidedCredentials::expiring(credentials, expires)) })
    }
}

#[tokio::test]
async fn an_sts_provider_is_refreshed_before_expiry_and_its_token_is_sent() {
    let server = TestServer::start(
        Auth::acs3(ALIBABA_ID, ALIBABA_SECRET),
        vec![support::alibaba::ok("R-sts")],
    )
    .await;
    let sts = Arc::new(Sts::default());
    let ahead = Arc::new(AtomicU64::new(0));
    let clock: Clock = {
        let ahead = ahead.clone();
        Arc::new(move || SystemTime::now() + Duration::from_secs(ahead.load(Ordering::SeqCst)))
    };
    let credentials = SharedCredentials::new(sts.clone()).clock(clock);
    let config = Config::with_credentials(credentials)
        .endpoint(server.endpoint())
        .retry(fast_retry(1));
    let client = alibaba_vpc::Client::new(config).expect("client");
    let call = || async {
        client
            .delete_physical_connection(delete_input())
            .await
            .expect("success");
    };

    call().await;
    call().await;
    ahead.store(13 * 60, Ordering::SeqCst); // 2 minutes left: inside the 3-minute margin
    call().await;

    let tokens: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("x-acs-security-token").map(str::to_string))
        .collect();
    let token = |n: u8| Some(format!("sts-token-{n}"));
    assert_eq!(tokens, [token(1), token(1), token(2)]);
    assert_eq!(
        sts.issued.load(Ordering::SeqCst),
        2,
        "cached between refreshes"
    );
    assert!(server.requests().iter().all(|r| r.auth == Ok(())));
}

/// A provider whose token service is down.
#[derive(Debug)]
struct Down;

impl ProvideCredentials for Down {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let error = CredentialsError::Provider("token service unavailable".into());
        Box::pin(std::future::ready(Err(error)))
    }
}

#[tokio::test]
async fn a_failing_provider_ends_the_call_before_anything_is_sent() {
    let server = TestServer::start(
        Auth::acs3(ALIBABA_ID, ALIBABA_SECRET),
        vec![support::alibaba::ok("R-never")],
    )
    .await;
    let config = Config::with_provider(Down)
        .endpoint(server.endpoint())
        .retry(fast_retry(3));
    let client = alibaba_vpc::Client::new(config).expect("client");

    let err = client
        .delete_physical_connection(delete_input())
        .await
        .unwrap_err();

    assert!(
        matches!(&err, SdkError::Credentials(CredentialsError::Provider(_))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the credentials provider failed: token service unavailable"
    );
    assert!(server.requests().is_empty());
}
