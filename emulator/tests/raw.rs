//! Requests no generated client would send (they validate first): the
//! emulator must refuse them as the vendor does, with its codes. Signed here
//! with the emulator's own algorithms, so only the checked fact differs.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use truebind_emulator::signature::{alibaba_encode, rpc_v1_signature, zc2_authorization};
use truebind_emulator::{
    Config, DEFAULT_ACCESS_KEY_ID as ID, DEFAULT_ACCESS_KEY_SECRET as SECRET, Emulator,
    MAX_BODY_BYTES, MAX_CONNECTIONS,
};

fn spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// RPC parameters of one request.
type Params<'a> = &'a [(&'a str, &'a str)];

/// One HTTP/1.1 exchange on a fresh connection: (status, JSON body).
async fn send(
    emulator: &Emulator,
    method: &str,
    target: &str,
    headers: &[(&str, String)],
    body: &str,
) -> (u16, Value) {
    let addr = emulator.addr();
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let json = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .expect("a body");
    (status, serde_json::from_str(json).expect("JSON"))
}

/// Sends a signed Zenlayer request; (status, code or "").
async fn zenlayer(emulator: &Emulator, action: &str, body: Value, timestamp: u64) -> (u16, String) {
    let body = body.to_string();
    let host = emulator.addr().to_string();
    let authorization = zc2_authorization(
        ID,
        SECRET,
        "application/json",
        &host,
        &timestamp.to_string(),
        body.as_bytes(),
    );
    let headers = [
        ("content-type", "application/json".to_string()),
        ("x-zc-action", action.to_string()),
        ("x-zc-version", "2026-04-01".to_string()),
        ("x-zc-timestamp", timestamp.to_string()),
        ("x-zc-signature-method", "ZC2-HMAC-SHA256".to_string()),
        ("authorization", authorization),
    ];
    let (status, json) = send(emulator, "POST", "/api/v2/sdn", &headers, &body).await;
    (
        status,
        json["code"].as_str().unwrap_or_default().to_string(),
    )
}

/// Sends an HMAC-SHA1 RPC request with `params` and this nonce; (status, Code or "").
async fn alibaba(emulator: &Emulator, params: &[(&str, &str)], nonce: &str) -> (u16, String) {
    let timestamp = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    let mut all: Vec<(String, String)> = [
        ("Version", "2016-04-28"),
        ("Format", "JSON"),
        ("AccessKeyId", ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp.as_str()),
    ]
    .iter()
    .chain(params)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signature = rpc_v1_signature("GET", &all, SECRET);
    all.push(("Signature".into(), signature));
    let query: Vec<String> = all
        .iter()
        .map(|(k, v)| format!("{}={}", alibaba_encode(k), alibaba_encode(v)))
        .collect();
    let (status, json) = send(emulator, "GET", &format!("/?{}", query.join("&")), &[], "").await;
    (
        status,
        json["Code"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn zenlayer_parameters_are_checked_against_the_spec() {
    let emu = Emulator::start(Config::new(spec()))
        .await
        .expect("emulator");
    let t = now();
    let port = json!({"portId": "port-a"});
    let cases = [
        (
            "CreatePrivateConnect",
            json!({"bandwidthMbps": 10}),
            "MISSING_PARAMETER",
        ),
        (
            "CreatePrivateConnect",
            json!({"endpointA": port, "bandwidthMbps": 501}),
            "INVALID_PARAMETER_EXCEED_MAXIMUM",
        ),
        (
            "CreatePrivateConnect",
            json!({"endpointA": port, "bandwidthMbps": 0}),
            "INVALID_PARAMETER_LESS_MINIMUM",
        ),
        (
            "CreatePrivateConnect",
            json!({"endpointA": port, "bandwidthMbps": "ten"}),
            "INVALID_PARAMETER_TYPE",
        ),
        (
            "CreatePrivateConnect",
            json!({"endpointA": port, "privateConnectName": "x".repeat(256)}),
            "INVALID_PARAMETER_EXCEED_LENGTH",
        ),
        (
            "CreatePrivateConnect",
            json!({"endpointA": {"cloudType": "NOT_A_CLOUD"}}),
            "INVALID_PARAMETER_VALUE",
        ),
        (
            "DescribePrivateConnects",
            json!({"privateConnectIds": (0..101).map(|n| n.to_string()).collect::<Vec<_>>()}),
            "INVALID_PARAMETER_EXCEED_LENGTH",
        ),
        ("NoSuchAction", json!({}), "INVALID_ACTION"),
    ];
    for (action, body, code) in cases {
        assert_eq!(
            zenlayer(&emu, action, body.clone(), t).await,
            (400, code.to_string()),
            "{action} {body}"
        );
    }
    assert_eq!(
        zenlayer(&emu, "DescribePorts", json!({}), t).await,
        (200, String::new())
    );
}

#[tokio::test]
async fn stale_timestamps_and_reused_nonces_are_refused() {
    let emu = Emulator::start(Config::new(spec()))
        .await
        .expect("emulator");
    assert_eq!(
        zenlayer(&emu, "DescribePorts", json!({}), now() - 4 * 60)
            .await
            .0,
        200
    );
    assert_eq!(
        zenlayer(&emu, "DescribePorts", json!({}), now() - 6 * 60).await,
        (401, "AUTHFAILURE_SIGNATURE_EXPIRED".to_string())
    );
    let list = [
        ("Action", "DescribePhysicalConnections"),
        ("RegionId", "cn-hangzhou"),
    ];
    assert_eq!(alibaba(&emu, &list, "nonce-1").await, (200, String::new()));
    assert_eq!(
        alibaba(&emu, &list, "nonce-1").await,
        (400, "SignatureNonceUsed".to_string())
    );
}

#[tokio::test]
async fn alibaba_parameters_are_checked_against_the_spec() {
    let emu = Emulator::start(Config::new(spec()))
        .await
        .expect("emulator");
    let cases: [(Params, u16, &str); 4] = [
        (
            &[("Action", "DescribePhysicalConnections")],
            400,
            "MissingParameter",
        ),
        (
            &[
                ("Action", "DescribePhysicalConnections"),
                ("RegionId", "cn-hangzhou"),
                ("PageSize", "many"),
            ],
            400,
            "InvalidParameter",
        ),
        (
            &[
                ("Action", "DescribePhysicalConnections"),
                ("RegionId", "cn-hangzhou"),
                ("Filter.2.Key", "Status"),
            ],
            400,
            "InvalidParameter",
        ),
        (&[("Action", "NoSuchAction")], 404, "InvalidAction.NotFound"),
    ];
    for (n, (params, status, code)) in cases.into_iter().enumerate() {
        assert_eq!(
            alibaba(&emu, params, &format!("n-{n}")).await,
            (status, code.to_string()),
            "{params:?}"
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_unread() {
    let emu = Emulator::start(Config::new(spec()))
        .await
        .expect("emulator");
    let head = format!(
        "POST /api/v2/sdn HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        emu.addr(),
        MAX_BODY_BYTES + 1
    );
    let mut stream = tokio::net::TcpStream::connect(emu.addr())
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    // The server may stop reading once it has refused the body.
    let _ = stream.write_all(&vec![b' '; MAX_BODY_BYTES + 1]).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("INVALID_PARAMETER_EXCEED_LENGTH"),
        "{answer}"
    );
}

#[tokio::test]
async fn connections_beyond_the_limit_are_closed_at_once() {
    let emu = Emulator::start(Config::new(spec()))
        .await
        .expect("emulator");
    let mut open = Vec::new();
    for _ in 0..MAX_CONNECTIONS {
        open.push(
            tokio::net::TcpStream::connect(emu.addr())
                .await
                .expect("connect"),
        );
    }
    let mut extra = tokio::net::TcpStream::connect(emu.addr())
        .await
        .expect("connect");
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(5), extra.read(&mut byte)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "the connection over the limit is closed: {read:?}"
    );
    drop(open);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let answered = tokio::time::timeout(
            Duration::from_secs(1),
            zenlayer(&emu, "DescribePorts", json!({}), now()),
        )
        .await;
        if let Ok((200, _)) = answered {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "served again once connections closed"
        );
    }
}

#[test]
fn the_command_prints_its_address_and_stops_at_the_end_of_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_truebind-emulator"))
        .args([
            "--spec",
            spec().to_str().expect("UTF-8 path"),
            "--reads-to-settle",
            "3",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {line:?}"));
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{addr}"
    );
    std::net::TcpStream::connect(addr).expect("it listens");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"")
        .expect("close stdin");
    assert!(child.wait().expect("exits").success());
}

/// Five times, since a SIGTERM that arrived before the handler was installed
/// killed the emulator in about one start of three.
#[cfg(unix)]
#[test]
fn the_command_stops_on_sigterm() {
    for _ in 0..5 {
        stop_one_start_with_sigterm();
    }
}

/// Starts the emulator and sends SIGTERM the moment its first line is read.
#[cfg(unix)]
fn stop_one_start_with_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_truebind-emulator"))
        .args(["--spec", spec().to_str().expect("UTF-8 path")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    assert!(
        line.starts_with("listening on http://127.0.0.1:"),
        "{line:?}"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    assert!(
        child.wait().expect("exits").success(),
        "SIGTERM is a clean stop"
    );
    drop(child.stdin.take());
}

#[test]
fn the_command_refuses_a_missing_spec() {
    let output = Command::new(env!("CARGO_BIN_EXE_truebind-emulator"))
        .args(["--spec", "/nonexistent/spec"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot list"));
}
