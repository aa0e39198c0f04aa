//! Runs the `private_connect_lifecycle` binary itself, to check what only
//! the binary does: reading the process environment, where messages go, and
//! the exit status (0 ok, 2 configuration, 1 a call failed).
//!
//! The lifecycle logic is covered in depth by `tests/tests/e2e_example.rs`;
//! here a tiny local HTTP server on 127.0.0.1 refuses the create, so no test
//! ever reaches a real account.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::thread;

/// Runs the binary with exactly `vars` as its environment.
fn run_binary(vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_private_connect_lifecycle"))
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .expect("run the example binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Serves one request on 127.0.0.1 with `status` and a Zenlayer error body;
/// returns the endpoint and a handle yielding the request head it received.
fn refuse_once(status: u16, code: &str) -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let endpoint = format!(
        "http://127.0.0.1:{}/api/v2/sdn",
        listener.local_addr().unwrap().port()
    );
    let body = format!(
        r#"{{"requestId":"T-BIN-1","code":"{code}","message":"A port named in an endpoint does not exist."}}"#
    );
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("the binary connects");
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("request head");
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("numeric content-length");
            }
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body).expect("request body");
        let response = format!(
            "HTTP/1.1 {status} Refused\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let mut stream = reader.into_inner();
        stream.write_all(response.as_bytes()).expect("answer");
        head
    });
    (endpoint, handle)
}

#[test]
fn missing_configuration_exits_2_and_names_every_variable() {
    let out = run_binary(&[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for name in [
        "ZENLAYER_ACCESS_KEY_ID",
        "ZENLAYER_ACCESS_KEY_SECRET",
        "PORT_A_ID (required: id of the first Zenlayer port (end A))",
        "PORT_Z_ID (required: id of the second Zenlayer port (end Z))",
        "examples/src/bin/private_connect_lifecycle.rs",
    ] {
        assert!(stderr.contains(name), "{name} not in {stderr}");
    }
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn invalid_wait_settings_exit_2_before_anything_is_sent() {
    let out = run_binary(&[
        ("ZENLAYER_ACCESS_KEY_ID", "AKIDBIN"),
        ("ZENLAYER_ACCESS_KEY_SECRET", "secret"),
        // Nothing listens here: any call would fail with status 1, not 2.
        ("ZENLAYER_ENDPOINT", "http://127.0.0.1:9/api/v2/sdn"),
        ("PORT_A_ID", "port-a"),
        ("PORT_Z_ID", "port-z"),
        ("WAIT_MINUTES", "0"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("WAIT_MINUTES must be between 1 and 1440, got \"0\""),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn a_refused_create_exits_1_with_the_service_error() {
    let (endpoint, server) = refuse_once(404, "INVALID_PORT_NOT_FOUND");
    let out = run_binary(&[
        ("ZENLAYER_ACCESS_KEY_ID", "AKIDBIN"),
        ("ZENLAYER_ACCESS_KEY_SECRET", "secret"),
        ("ZENLAYER_ENDPOINT", &endpoint),
        ("PORT_A_ID", "port-a"),
        ("PORT_Z_ID", "port-z"),
        ("WAIT_MINUTES", "1"),
    ]);
    let head = server.join().expect("server thread").to_ascii_lowercase();
    assert!(head.contains("x-zc-action: createprivateconnect"), "{head}");

    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout,
        "creating private connect \"truebind-example\" between ports port-a and port-z\n"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: CreatePrivateConnect failed, nothing was created: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("INVALID_PORT_NOT_FOUND (HTTP 404)") && stderr.contains("T-BIN-1"),
        "{stderr}"
    );
}
