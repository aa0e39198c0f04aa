//! The credential chains against profile files in temporary home
//! directories: formats, precedence, the error that lists every place, the
//! refresh of expiring credentials, and that no output shows a secret.
//!
//! Variables are injected (`Config::from_lookup`, `Env::from_fn`), so no test
//! reads or changes the process environment or the real home directory.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use futures_executor::block_on;
use truebind_runtime::credentials::{Chain, Clock, ProvideFuture, Source};
use truebind_runtime::{
    Config, ConfigError, Credentials, CredentialsError, Env, Protocol, ProvideCredentials,
    ProvidedCredentials, Secret, SharedCredentials,
};

/// Secrets the files below hold; no output may contain any of them.
const SECRETS: &[&str] = &[
    "zl-secret-default",
    "zl-token-prod",
    "ini-secret-default",
    "ini-secret-sts",
    "ini-token-sts",
    "cli-secret-ak",
    "cli-secret-sts",
    "cli-token-sts",
    "env-secret",
];

fn write(home: &Path, relative: &str, text: &str) {
    let path = home.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A home directory with every vendor file this suite reads.
fn home_with_all_files() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".zenlayer/credentials.json",
        r#"{
  "default": {"access_key_id": "zl-id-default", "access_key_secret": "zl-secret-default"},
  "prod": {"token": "zl-token-prod"}
}"#,
    );
    write(
        home.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = ini-id-default\n\
         access_key_secret = ini-secret-default\n\n\
         [sts]\ntype = sts\naccess_key_id = ini-id-sts\naccess_key_secret = ini-secret-sts\n\
         security_token = ini-token-sts\n\n\
         [role]\ntype = ecs_ram_role\nrole_name = r\n",
    );
    home
}

fn write_cli_config(home: &Path) {
    write(
        home,
        ".aliyun/config.json",
        r#"{
  "current": "ak",
  "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": "cli-id-ak", "access_key_secret": "cli-secret-ak", "region_id": "cn-hangzhou"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "cli-id-sts", "access_key_secret": "cli-secret-sts",
     "sts_token": "cli-token-sts", "sts_expiration": 4102444800},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y"}
  ]
}"#,
    );
}

/// Variables: `HOME` (and `USERPROFILE`) = `home`, plus `pairs`.
fn vars(home: &Path, pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let home = home.display().to_string();
    let homes = [("HOME", home.as_str()), ("USERPROFILE", home.as_str())];
    let env = Env::from_pairs(pairs.iter().chain(&homes).copied());
    move |name| env.var(name)
}

fn resolved(protocol: Protocol, lookup: impl Fn(&str) -> Option<String>) -> Credentials {
    let config = Config::from_lookup(protocol, lookup).expect("credentials");
    block_on(config.credentials.get()).expect("cached")
}

fn pair(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials::AccessKey {
        id: id.into(),
        secret: Secret::new(secret),
        security_token: token.map(Secret::new),
    }
}

fn chain_error(protocol: Protocol, lookup: impl Fn(&str) -> Option<String>) -> String {
    match Config::from_lookup(protocol, lookup) {
        Err(ConfigError::Credentials(e)) => e.to_string(),
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

fn assert_no_secret(shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} shown in {shown}");
    }
}

#[test]
fn zenlayer_profile_file_default_and_selected_by_zenlayer_profile() {
    let home = home_with_all_files();
    let got = resolved(Protocol::ZenlayerJson, vars(home.path(), &[]));
    assert_eq!(
        got,
        Credentials::access_key("zl-id-default", "zl-secret-default")
    );
    let got = resolved(
        Protocol::ZenlayerJson,
        vars(home.path(), &[("ZENLAYER_PROFILE", "prod")]),
    );
    assert_eq!(got, Credentials::Bearer(Secret::new("zl-token-prod")));
}

#[test]
fn zenlayer_current_profile_of_the_cli_config_is_used() {
    let home = home_with_all_files();
    write(
        home.path(),
        ".zenlayer/config.json",
        r#"{"current_profile": "prod", "profiles": {"prod": {"output": "json"}}}"#,
    );
    let got = resolved(Protocol::ZenlayerJson, vars(home.path(), &[]));
    assert_eq!(got, Credentials::Bearer(Secret::new("zl-token-prod")));
    // ZENLAYER_PROFILE still wins over the file's choice.
    let got = resolved(
        Protocol::ZenlayerJson,
        vars(home.path(), &[("ZENLAYER_PROFILE", "default")]),
    );
    assert_eq!(
        got,
        Credentials::access_key("zl-id-default", "zl-secret-default")
    );
}

#[test]
fn environment_beats_the_profile_files() {
    let home = home_with_all_files();
    write_cli_config(home.path());
    let got = resolved(
        Protocol::ZenlayerJson,
        vars(
            home.path(),
            &[
                ("ZENLAYER_ACCESS_KEY_ID", "env-id"),
                ("ZENLAYER_ACCESS_KEY_SECRET", "env-secret"),
            ],
        ),
    );
    assert_eq!(got, Credentials::access_key("env-id", "env-secret"));
    let got = resolved(
        Protocol::AlibabaRpc,
        vars(
            home.path(),
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ],
        ),
    );
    assert_eq!(got, pair("env-id", "env-secret", None));
}

#[test]
fn alibaba_shared_file_profiles_by_alibaba_cloud_profile() {
    let home = home_with_all_files();
    let got = resolved(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert_eq!(got, pair("ini-id-default", "ini-secret-default", None));
    let got = resolved(
        Protocol::AlibabaRpc,
        vars(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")]),
    );
    assert_eq!(
        got,
        pair("ini-id-sts", "ini-secret-sts", Some("ini-token-sts"))
    );
}

#[test]
fn alibaba_cli_config_comes_before_the_shared_file_in_ak_and_sts_token_modes() {
    let home = home_with_all_files();
    write_cli_config(home.path());
    let got = resolved(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert_eq!(got, pair("cli-id-ak", "cli-secret-ak", None));

    let config = Config::from_lookup(
        Protocol::AlibabaRpc,
        vars(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")]),
    )
    .unwrap();
    let chain = Chain::default_for(
        Protocol::AlibabaRpc,
        Env::from_fn(vars(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")])),
    );
    let provided = chain.resolve().unwrap();
    assert_eq!(
        provided.credentials,
        pair("cli-id-sts", "cli-secret-sts", Some("cli-token-sts"))
    );
    let expires = SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800);
    assert_eq!(provided.expires_at, Some(expires));
    assert_eq!(
        block_on(config.credentials.get()).unwrap(),
        provided.credentials
    );
}

#[test]
fn file_variables_override_paths_and_the_cli_config_can_be_disabled() {
    let home = home_with_all_files();
    write_cli_config(home.path());
    let elsewhere = tempfile::tempdir().unwrap();
    write(
        elsewhere.path(),
        "creds.ini",
        "[default]\ntype = access_key\naccess_key_id = moved\naccess_key_secret = moved-secret\n",
    );
    let moved = elsewhere.path().join("creds.ini").display().to_string();
    let got = resolved(
        Protocol::AlibabaRpc,
        vars(
            home.path(),
            &[
                ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE"),
                ("ALIBABA_CLOUD_CREDENTIALS_FILE", &moved),
            ],
        ),
    );
    assert_eq!(got, pair("moved", "moved-secret", None));
}

#[test]
fn the_chain_error_lists_every_place_and_why() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path().display();
    let shown = chain_error(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert_eq!(
        shown,
        format!(
            "no credentials found; looked in: \
             environment (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET): not set; \
             {h}/.aliyun/config.json: no such file; \
             {h}/.alibabacloud/credentials, profile \"default\" (the default): no such file"
        )
    );
    let home = home_with_all_files();
    write_cli_config(home.path());
    let h = home.path().display();
    let shown = chain_error(
        Protocol::AlibabaRpc,
        vars(home.path(), &[("ALIBABA_CLOUD_PROFILE", "role")]),
    );
    assert!(shown.contains(&format!(
        "{h}/.aliyun/config.json, profile \"role\" (from ALIBABA_CLOUD_PROFILE): \
         mode \"RamRoleArn\" is not supported here"
    )));
    assert!(shown.contains(&format!(
        "{h}/.alibabacloud/credentials, profile \"role\" (from ALIBABA_CLOUD_PROFILE): \
         type \"ecs_ram_role\" is not supported here"
    )));
    let shown = chain_error(
        Protocol::ZenlayerJson,
        vars(home.path(), &[("ZENLAYER_PROFILE", "staging")]),
    );
    assert!(shown.ends_with(&format!(
        "{h}/.zenlayer/credentials.json, profile \"staging\" (from ZENLAYER_PROFILE): \
         no such profile (it has [\"default\", \"prod\"])"
    )));
    assert_no_secret(&shown);
}

#[test]
fn malformed_files_are_located_without_quoting_them() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_secret = ini-secret-default\n[broken\n",
    );
    write(
        home.path(),
        ".aliyun/config.json",
        "{\"profiles\": [\n  {\"name\": \"ak\", \"access_key_secret\": \"cli-secret-ak\",}\n]}",
    );
    write(
        home.path(),
        ".zenlayer/credentials.json",
        "{\"default\": {\"access_key_secret\": 42}}",
    );
    let shown = chain_error(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert!(
        shown.contains("config.json: malformed JSON at line 2, column "),
        "{shown}"
    );
    assert!(
        shown.contains("(the default): malformed INI at line 4: a section header without `]`"),
        "{shown}"
    );
    assert_no_secret(&shown);
    let shown = chain_error(Protocol::ZenlayerJson, vars(home.path(), &[]));
    assert!(
        shown.contains(
            "(the default): not the expected layout: `access_key_secret` of profile \"default\" is not a string"
        ),
        "{shown}"
    );
    assert!(!shown.contains("42"), "{shown}");
}

#[test]
fn a_member_of_the_wrong_type_is_named_without_quoting_the_file() {
    let home = tempfile::tempdir().unwrap();
    let config = |profiles: &str| format!("{{\"current\": \"ak\", \"profiles\": {profiles}}}");
    let cases = [
        (
            config("\"cli-secret-ak\""),
            "`profiles` of the top level is not an array",
        ),
        (
            config("[{\"name\": \"ak\"}, \"cli-secret-ak\"]"),
            "profiles[1] is not an object",
        ),
        (
            config(
                "[{\"name\": \"ak\", \"mode\": \"StsToken\", \"access_key_secret\": \"cli-secret-ak\", \"sts_expiration\": \"1700000000\"}]",
            ),
            "`sts_expiration` of profiles[0] is not an unsigned integer",
        ),
    ];
    for (file, expected) in cases {
        write(home.path(), ".aliyun/config.json", &file);
        let shown = chain_error(Protocol::AlibabaRpc, vars(home.path(), &[]));
        assert!(
            shown.contains(&format!("config.json: not the expected layout: {expected}")),
            "{shown}"
        );
        assert_no_secret(&shown);
    }
}

#[test]
fn an_ini_line_without_a_key_is_located() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".alibabacloud/credentials",
        "# comment\n[default]\ntype = access_key\naccess_key_id ini-secret-default\n",
    );
    let shown = chain_error(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert!(
        shown.ends_with("malformed INI at line 4: neither `[section]` nor `key = value`"),
        "{shown}"
    );
    assert_no_secret(&shown);
}

#[test]
fn ini_values_keep_backslashes_and_lose_matching_quotes() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = \"access_key\"\naccess_key_id: 'id'\naccess_key_secret = a\\b=c\n",
    );
    let got = resolved(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert_eq!(got, pair("id", "a\\b=c", None));
}

#[test]
fn oversized_files_and_directories_are_refused_unread() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun/config.json")).unwrap();
    let big = format!("[default]\n# {}\n", "x".repeat(1024 * 1024));
    write(home.path(), ".alibabacloud/credentials", &big);
    let shown = chain_error(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert!(shown.contains("config.json: not a regular file"), "{shown}");
    assert!(shown.ends_with("larger than 1048576 bytes"), "{shown}");
}

#[test]
fn incomplete_profiles_say_what_is_missing() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = sts\naccess_key_id = a\naccess_key_secret = ini-secret-sts\n",
    );
    write(
        home.path(),
        ".zenlayer/credentials.json",
        r#"{"default": {"access_key_id": "only-id"}}"#,
    );
    let shown = chain_error(Protocol::AlibabaRpc, vars(home.path(), &[]));
    assert!(shown.ends_with("type sts needs security_token"), "{shown}");
    let shown = chain_error(Protocol::ZenlayerJson, vars(home.path(), &[]));
    assert!(
        shown.ends_with("neither a token nor both access_key_id and access_key_secret"),
        "{shown}"
    );
}

/// Issues `STS.<n>` tokens valid for 15 minutes of real time, counting calls.
#[derive(Debug, Default)]
struct Sts {
    issued: AtomicU64,
}

impl ProvideCredentials for Sts {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let credentials = pair("STS.id", "sts-secret", Some(&format!("sts-token-{n}")));
        let expires = SystemTime::now() + Duration::from_secs(15 * 60);
        Box::pin(async move { Ok(ProvidedCredentials::expiring(credentials, expires)) })
    }
}

/// A clock `offset` seconds ahead of real time.
fn shifted(offset: &Arc<AtomicU64>) -> Clock {
    let offset = offset.clone();
    Arc::new(move || SystemTime::now() + Duration::from_secs(offset.load(Ordering::SeqCst)))
}

fn token(credentials: Credentials) -> String {
    match credentials {
        Credentials::AccessKey {
            security_token: Some(token),
            ..
        } => token.expose().to_string(),
        other => panic!("no token in {other:?}"),
    }
}

#[test]
fn expiring_credentials_are_cached_then_refreshed_inside_the_margin() {
    let sts = Arc::new(Sts::default());
    let offset = Arc::new(AtomicU64::new(0));
    let shared = SharedCredentials::new(sts.clone()).clock(shifted(&offset));
    let copy = shared.clone();
    assert_eq!(token(block_on(shared.get()).unwrap()), "sts-token-1");
    assert_eq!(token(block_on(copy.get()).unwrap()), "sts-token-1");
    assert_eq!(
        sts.issued.load(Ordering::SeqCst),
        1,
        "clones share the cache"
    );
    // 11 minutes on, 4 are left: more than the 3-minute margin.
    offset.store(11 * 60, Ordering::SeqCst);
    assert_eq!(token(block_on(shared.get()).unwrap()), "sts-token-1");
    // 13 minutes on, 2 are left: refreshed.
    offset.store(13 * 60, Ordering::SeqCst);
    assert_eq!(token(block_on(shared.get()).unwrap()), "sts-token-2");
    assert_eq!(sts.issued.load(Ordering::SeqCst), 2);
}

/// Pending on its first poll, so concurrent callers overlap a refresh.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

/// [`Sts`], but each issue waits one poll first.
#[derive(Debug, Default)]
struct SlowSts(Sts);

impl ProvideCredentials for SlowSts {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            YieldOnce(false).await;
            self.0.provide_credentials().await
        })
    }
}

#[test]
fn concurrent_calls_share_one_refresh() {
    let sts = Arc::new(SlowSts::default());
    let shared = SharedCredentials::new(sts.clone());
    let calls = (0..8).map(|_| shared.get());
    let tokens = block_on(futures_util::future::join_all(calls));
    assert!(
        tokens
            .into_iter()
            .all(|t| token(t.unwrap()) == "sts-token-1")
    );
    assert_eq!(sts.0.issued.load(Ordering::SeqCst), 1);
}

#[test]
fn permanent_credentials_are_fetched_once() {
    let offset = Arc::new(AtomicU64::new(0));
    let shared = SharedCredentials::from(Credentials::access_key("id", "env-secret"))
        .clock(shifted(&offset));
    block_on(shared.get()).unwrap();
    offset.store(10 * 365 * 24 * 3600, Ordering::SeqCst);
    assert_eq!(
        block_on(shared.get()).unwrap(),
        Credentials::access_key("id", "env-secret")
    );
}

#[test]
fn a_custom_chain_reads_only_its_sources() {
    let home = home_with_all_files();
    let env = Env::from_fn(vars(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ],
    ));
    let chain = Chain::new(env, vec![Source::AlibabaSharedFile]);
    let got = block_on(chain.provide_credentials()).unwrap();
    assert_eq!(
        got.credentials,
        pair("ini-id-default", "ini-secret-default", None)
    );
}

#[test]
fn no_debug_or_display_shows_a_secret() {
    let home = home_with_all_files();
    write_cli_config(home.path());
    let lookup = vars(
        home.path(),
        &[
            ("ALIBABA_CLOUD_PROFILE", "sts"),
            ("ZENLAYER_PROFILE", "prod"),
            ("ZENLAYER_ACCESS_KEY_SECRET", "env-secret"),
        ],
    );
    let env = Env::from_fn(lookup);
    let alibaba = Config::from_lookup(Protocol::AlibabaRpc, |n| env.var(n)).unwrap();
    let zenlayer = Config::from_lookup(Protocol::ZenlayerJson, |n| env.var(n)).unwrap();
    let chain = Chain::default_for(Protocol::AlibabaRpc, env.clone());
    let provided = chain.resolve().unwrap();
    let error = CredentialsError::NotFound(Vec::new());
    let shown = [
        format!("{alibaba:?}"),
        format!("{zenlayer:?}"),
        format!("{:?}", alibaba.credentials),
        format!("{chain:?}"),
        format!("{env:?}"),
        format!("{provided:?}"),
        format!("{:?}", block_on(zenlayer.credentials.get()).unwrap()),
        format!("{error} {error:?}"),
    ];
    for text in &shown {
        assert_no_secret(text);
    }
    assert!(
        shown[0].contains("cli-id-sts"),
        "the key id helps: {}",
        shown[0]
    );
}
