//! truebind-emulator: a local stand-in for the vendor APIs, driven by the same
//! spec as the generated clients, so the two cannot drift.
//!
//! Code that uses a generated client can only be tested against something that
//! answers like the vendor. The emulator loads a spec root (through
//! `truebind-codegen`: load, validate, IR) and serves every action of every
//! service in it on one `127.0.0.1` listener: Zenlayer JSON `POST` under
//! `/api/v2/sdn`, Alibaba RPC at `/`. For each request it
//!
//! 1. verifies the signature like the vendor ([`auth`], with the algorithms in
//!    [`signature`]): ZC2-HMAC-SHA256 or a Bearer token, ACS3-HMAC-SHA256 or
//!    HMAC-SHA1 RPC, clock skew, reused nonces, answering the vendor's
//!    authentication codes;
//! 2. applies the faults a test asked for ([`Fault`]: throttling, 5xx, a
//!    vendor error code, delay, a closed connection; per action or global,
//!    from the n-th call) and the misbehaviours switched on ([`Quirk`]);
//! 3. validates the parameters against the spec (`validate`) and answers
//!    the vendor's parameter error codes;
//! 4. runs the action against the resources of the spec (`state`): creates
//!    start in progress and settle after N reads (or a span of virtual time),
//!    deletes follow the spec's waiters, preconditions answer the documented
//!    code, list actions page and filter by ids; a resource seeded with a
//!    scripted history ([`Seed::history`]) shows the given state at each
//!    read instead;
//! 5. records the call ([`Call`]) for assertions.
//!
//! [`Emulator::start`] runs it in-process (seed resources, inject faults, read
//! calls, advance virtual time, stop); the `truebind-emulator` binary serves a
//! spec from the command line.
#![deny(missing_docs)]

pub mod alibaba;
pub mod auth;
mod faults;
mod inspect;
mod server;
pub mod signature;
mod state;
mod validate;
pub mod zenlayer;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use faults::{Fault, FaultKind, Quirk};
pub use inspect::Call;
pub use server::{Emulator, MAX_BODY_BYTES, MAX_CONNECTIONS};
pub use state::{Seed, SeedError};

use truebind_codegen::ir;

/// Access key id the emulator expects when none is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "emulator-access-key-id";
/// Access key secret the emulator expects when none is configured.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "emulator-access-key-secret";
/// Reads a new or changed resource stays in progress when none is configured.
pub const DEFAULT_READS_TO_SETTLE: u32 = 1;

/// Which vendor's conventions a request follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    /// Zenlayer: JSON `POST` under `/api/v2/sdn`.
    Zenlayer,
    /// Alibaba: RPC parameters at `/`.
    Alibaba,
}

impl Vendor {
    fn of(protocol: ir::Protocol) -> Vendor {
        match protocol {
            ir::Protocol::ZenlayerJson => Vendor::Zenlayer,
            ir::Protocol::AlibabaRpc => Vendor::Alibaba,
        }
    }
}

/// When a resource in progress reaches its next state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settle {
    /// After this many reads that name or list it (0: at the next read).
    Reads(u32),
    /// Once this much virtual time has passed ([`Emulator::advance`]).
    After(Duration),
}

/// What the emulator serves and whom it accepts.
#[derive(Clone, Debug)]
pub struct Config {
    spec: PathBuf,
    listen: SocketAddr,
    access_key_id: String,
    access_key_secret: String,
    token: Option<String>,
    settle: Settle,
}

impl Config {
    /// Serves the services under the spec root `spec` (a directory of service
    /// directories, like `spec/`) on `127.0.0.1`, port 0, with the default
    /// key pair, no Bearer token, settling after one read.
    pub fn new(spec: impl AsRef<Path>) -> Config {
        Config {
            spec: spec.as_ref().to_path_buf(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            access_key_id: DEFAULT_ACCESS_KEY_ID.into(),
            access_key_secret: DEFAULT_ACCESS_KEY_SECRET.into(),
            token: None,
            settle: Settle::Reads(DEFAULT_READS_TO_SETTLE),
        }
    }

    /// Listens on `addr` instead.
    pub fn listen(mut self, addr: SocketAddr) -> Config {
        self.listen = addr;
        self
    }

    /// Accepts requests signed with this key pair (both vendors).
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Config {
        self.access_key_id = id.into();
        self.access_key_secret = secret.into();
        self
    }

    /// Also accepts Zenlayer's `Authorization: Bearer <token>`.
    pub fn token(mut self, token: impl Into<String>) -> Config {
        self.token = Some(token.into());
        self
    }

    /// When resources in progress settle.
    pub fn settle(mut self, settle: Settle) -> Config {
        self.settle = settle;
        self
    }

    /// The key pair and token requests must carry.
    fn credentials(&self) -> auth::Expected {
        auth::Expected {
            access_key_id: self.access_key_id.clone(),
            access_key_secret: self.access_key_secret.clone(),
            token: self.token.clone(),
        }
    }
}

/// Why the emulator did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The spec root could not be listed, or a service in it has problems.
    #[error("{0}")]
    Spec(String),
    /// The spec root holds no service.
    #[error("no service found under {0}")]
    NoService(PathBuf),
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// The first value named `name` in `(name, value)` pairs (headers, parameters).
pub(crate) fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Loads and validates every service under `root` into the IR.
pub fn load_services(root: &Path) -> Result<Vec<ir::Service>, StartError> {
    let dirs = truebind_codegen::load::service_dirs(root)
        .map_err(|e| StartError::Spec(format!("cannot list {}: {e}", root.display())))?;
    let mut services = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        match truebind_codegen::load::load_service(&dir)
            .and_then(|loaded| truebind_codegen::validate::validate(&loaded))
        {
            Ok(service) => services.push(service),
            Err(errors) => problems.push(errors.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(StartError::Spec(problems.join("\n")));
    }
    if services.is_empty() {
        return Err(StartError::NoService(root.to_path_buf()));
    }
    Ok(services)
}
