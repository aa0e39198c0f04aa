//! The vendors' official Python SDKs against the emulator: proof that it
//! accepts and checks what the vendors' own code sends, and answers what
//! that code parses.
//!
//! `.ci/run` installs the pinned SDKs (`tests/python/requirements.txt`) in a
//! virtualenv under `target/` and runs this test with `-- --ignored`, naming
//! the venv's interpreter in `TRUEBIND_SDK_PYTHON`. Without that variable
//! the test fails (it never skips silently). The SDKs talk only to the
//! emulator on 127.0.0.1.

use std::path::PathBuf;
use std::process::Command;

use truebind_emulator::{Config, Emulator, Seed, Vendor};

/// The variable naming the Python interpreter that has the official SDKs.
const PYTHON_VAR: &str = "TRUEBIND_SDK_PYTHON";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the official SDKs: run by .ci/run with TRUEBIND_SDK_PYTHON set"]
async fn the_official_python_sdks_are_accepted_checked_and_answered() {
    let python = std::env::var(PYTHON_VAR).unwrap_or_else(|_| {
        panic!("{PYTHON_VAR} is not set: point it at a python with the SDKs of emulator/tests/python/requirements.txt (as .ci/run does)")
    });
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (id, secret) = ("sdk-key-id", "sdk-key-secret");
    let emulator = Emulator::start(Config::new(root.join("../spec")).access_key(id, secret))
        .await
        .expect("emulator starts");
    emulator
        .seed(Seed::new("Port", "port-sdk", "RUNNING"))
        .expect("seed");
    emulator
        .seed(Seed::new("PhysicalConnection", "pc-enabled", "Enabled"))
        .expect("seed");
    emulator
        .seed(Seed::new(
            "PhysicalConnection",
            "pc-terminated",
            "Terminated",
        ))
        .expect("seed");

    let script = root.join("tests/python/official_sdks.py");
    let addr = emulator.addr().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .args([addr.as_str(), id, secret])
            .output()
    })
    .await
    .expect("join")
    .expect("run the SDK script");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the SDK script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok: ")).count(),
        10,
        "{stdout}"
    );

    let calls = emulator.calls();
    let accepted = |vendor: Vendor, action: &str| {
        calls
            .iter()
            .filter(|c| c.vendor == vendor && c.action == action && c.status == 200)
            .count()
    };
    assert_eq!(accepted(Vendor::Zenlayer, "DescribePorts"), 1);
    assert_eq!(accepted(Vendor::Zenlayer, "CreatePrivateConnect"), 1);
    assert_eq!(accepted(Vendor::Alibaba, "DescribePhysicalConnections"), 2);
    let refused: Vec<_> = calls.iter().filter_map(|c| c.code.clone()).collect();
    assert_eq!(
        refused
            .iter()
            .filter(|c| *c == "AUTHFAILURE_SIGNATURE_FAILURE" || *c == "SignatureDoesNotMatch")
            .count(),
        3,
        "{refused:?}"
    );
    let v1 = calls.iter().any(|c| {
        c.vendor == Vendor::Alibaba && c.header("authorization").is_none() && c.status == 200
    });
    let acs3 = calls.iter().any(|c| {
        c.header("authorization")
            .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256"))
            && c.status == 200
    });
    assert!(
        v1 && acs3,
        "both Alibaba signatures were accepted: {calls:?}"
    );
    let created = calls
        .iter()
        .find(|c| c.action == "CreatePrivateConnect")
        .expect("create call");
    assert_eq!(created.params["bandwidthMbps"], 10);
}
