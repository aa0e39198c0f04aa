//! Scripted read services for waiter and paginator tests, served by
//! `truebind-emulator`: this module only translates.
//!
//! A waiter is only proven by a service whose resources *change* between
//! polls, and a paginator only by one that really slices its listing. The
//! emulator is that service, with the one state machine of the project; a
//! [`Sim`] describes a test's service in the terms the tests were written in
//! and starts an emulator doing exactly that:
//!
//! - each resource has a list of steps, an emulator history
//!   ([`truebind_emulator::Seed::history`]): the n-th time a request names
//!   (or lists) it, it is in step n (the last step repeats), [`ABSENT`]
//!   meaning it is not listed at that poll; it gets a name (`name of <id>`)
//!   unless its fields give one;
//! - the emulator filters by the ids a request names, pages with the spec's
//!   defaults and limits and answers the total, and refuses what the vendor
//!   refuses (too many ids, page size out of range);
//! - a fault is an emulator fault on the n-th call ([`Fault::after`]), which
//!   advances no state;
//! - the misbehaviours are emulator [`Quirk`]s.
//!
//! [`Polled`] reads the calls back in the vendor's terms (ids, page number
//! and size, dotted RPC parameter names).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use truebind_emulator::{Call, Emulator, Fault, FaultKind, Quirk, Seed, Vendor};
use truebind_runtime::{Config, Credentials};

use super::RecordingSleep;

/// Marks a poll at which the resource is not listed.
pub const ABSENT: &str = "<absent>";

/// `steps` as an emulator history: [`ABSENT`] is `None`.
pub fn history<'a>(steps: &[&'a str]) -> Vec<Option<&'a str>> {
    steps
        .iter()
        .map(|s| Some(*s).filter(|s| *s != ABSENT))
        .collect()
}

/// Which read action is simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Zenlayer `DescribePrivateConnects`.
    PrivateConnects,
    /// Zenlayer `DescribePorts`.
    Ports,
    /// Alibaba `DescribePhysicalConnections`.
    PhysicalConnections,
}

impl Flavor {
    /// The action's name.
    pub fn action(self) -> &'static str {
        match self {
            Flavor::PrivateConnects => "DescribePrivateConnects",
            Flavor::Ports => "DescribePorts",
            Flavor::PhysicalConnections => "DescribePhysicalConnections",
        }
    }

    /// The spec's resource the action reads.
    fn resource(self) -> &'static str {
        match self {
            Flavor::PrivateConnects => "PrivateConnect",
            Flavor::Ports => "Port",
            Flavor::PhysicalConnections => "PhysicalConnection",
        }
    }

    fn name_field(self) -> &'static str {
        match self {
            Flavor::PrivateConnects => "privateConnectName",
            Flavor::Ports => "portName",
            Flavor::PhysicalConnections => "Name",
        }
    }
}

/// The service a test wants; see the module docs.
#[derive(Debug)]
pub struct Sim {
    flavor: Flavor,
    seeds: Vec<Seed>,
    quirks: Vec<Quirk>,
    faults: Vec<Fault>,
}

impl Sim {
    /// An empty service for `flavor`.
    pub fn new(flavor: Flavor) -> Self {
        Sim {
            flavor,
            seeds: Vec::new(),
            quirks: Vec::new(),
            faults: Vec::new(),
        }
    }

    /// Adds a resource going through `steps` on successive polls
    /// ([`ABSENT`] = not listed); the last step repeats.
    pub fn resource(self, id: &str, steps: &[&str]) -> Self {
        self.resource_with(id, steps, json!({}))
    }

    /// Like [`Sim::resource`], with extra record fields (a JSON object).
    pub fn resource_with(mut self, id: &str, steps: &[&str], fields: Value) -> Self {
        let Value::Object(mut fields) = fields else {
            panic!("extra fields must be a JSON object")
        };
        fields
            .entry(self.flavor.name_field())
            .or_insert_with(|| json!(format!("name of {id}")));
        let seed = Seed::history(self.flavor.resource(), id, &history(steps))
            .fields(Value::Object(fields));
        self.seeds.push(seed);
        self
    }

    /// Adds `ids`, each with the same `steps`.
    pub fn resources<S: AsRef<str>>(mut self, ids: &[S], steps: &[&str]) -> Self {
        for id in ids {
            self = self.resource(id.as_ref(), steps);
        }
        self
    }

    /// Switches an emulator misbehaviour on.
    pub fn quirk(mut self, quirk: Quirk) -> Self {
        self.quirks.push(quirk);
        self
    }

    /// Answers every request only after `delay`.
    pub fn answer_after(self, delay: Duration) -> Self {
        self.quirk(Quirk::Slow(delay))
    }

    /// Answers the `index`-th request (0-based) with `kind` instead.
    pub fn fault(mut self, index: u32, kind: FaultKind) -> Self {
        let fault = Fault::new(kind).on(self.flavor.action()).after(index);
        self.faults.push(fault);
        self
    }

    /// Starts an emulator of this service expecting the key pair
    /// `id`/`secret`.
    async fn start(self, id: &str, secret: &str) -> SimServer {
        let emulator = emulator(id, secret).await;
        for seed in self.seeds {
            emulator.seed(seed).expect("the spec has the resource");
        }
        for quirk in self.quirks {
            emulator.quirk(quirk);
        }
        for fault in self.faults {
            emulator.inject(fault);
        }
        SimServer { emulator }
    }

    /// Serves this service to a Zenlayer client signing with `id`/`secret`
    /// ([`super::endpoint_config`]).
    pub async fn serve_zenlayer(
        self,
        id: &str,
        secret: &str,
    ) -> (SimServer, zenlayer_sdn::Client, Arc<RecordingSleep>) {
        let server = self.start(id, secret).await;
        let (config, sleep) = client_config(server.emulator.addr(), id, secret);
        let client = zenlayer_sdn::Client::new(config).expect("client");
        (server, client, sleep)
    }

    /// Serves this service to an Alibaba client signing with `id`/`secret`.
    pub async fn serve_alibaba(
        self,
        id: &str,
        secret: &str,
    ) -> (SimServer, alibaba_vpc::Client, Arc<RecordingSleep>) {
        let server = self.start(id, secret).await;
        let (config, sleep) = client_config(server.emulator.addr(), id, secret);
        let client = alibaba_vpc::Client::new(config).expect("client");
        (server, client, sleep)
    }
}

/// An emulator of the project's spec expecting the key pair `id`/`secret`.
pub async fn emulator(id: &str, secret: &str) -> Emulator {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let config = truebind_emulator::Config::new(spec).access_key(id, secret);
    Emulator::start(config).await.expect("the emulator starts")
}

fn client_config(
    addr: std::net::SocketAddr,
    id: &str,
    secret: &str,
) -> (Config, Arc<RecordingSleep>) {
    super::endpoint_config(
        format!("http://{addr}"),
        Credentials::access_key(id, secret),
    )
}

/// A running [`Sim`].
pub struct SimServer {
    emulator: Emulator,
}

impl SimServer {
    /// The calls received, in order.
    pub fn requests(&self) -> Vec<Polled> {
        self.emulator.calls().into_iter().map(Polled).collect()
    }
}

/// One call the emulator received, read in the vendor's terms.
#[derive(Debug)]
pub struct Polled(pub Call);

impl Polled {
    /// The action it named.
    pub fn action(&self) -> Option<&str> {
        Some(self.0.action.as_str())
    }

    /// Its parameters as a JSON object (the Zenlayer body).
    pub fn json(&self) -> &Value {
        &self.0.params
    }

    /// An Alibaba parameter by its flattened name (`Filter.1.Value.2`), as
    /// a string.
    pub fn param(&self, name: &str) -> Option<&str> {
        let mut value = &self.0.params;
        for part in name.split('.') {
            value = match part.parse::<usize>() {
                Ok(n) => value.as_array()?.get(n.checked_sub(1)?)?,
                Err(_) => value.as_object()?.get(part)?,
            };
        }
        value.as_str()
    }
}

/// The ids a read request names, in the order sent: Zenlayer
/// `privateConnectIds` / `portIds`, Alibaba the values of the
/// `PhysicalConnectionId` filter. `None` when it names none.
pub fn requested_ids(request: &Polled) -> Result<Option<Vec<String>>, String> {
    let params = request.json();
    let found = match request.action() {
        Some("DescribePrivateConnects") => params.get("privateConnectIds"),
        Some("DescribePorts") => params.get("portIds"),
        Some("DescribePhysicalConnections") => filter_ids(params)?,
        other => return Err(format!("no id filter known for {other:?}")),
    };
    let Some(found) = found else { return Ok(None) };
    let items = found
        .as_array()
        .ok_or_else(|| format!("the ids are not an array: {found}"))?;
    items
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("a non-string id {v}"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The values of the one `PhysicalConnectionId` filter, if any.
fn filter_ids(params: &Value) -> Result<Option<&Value>, String> {
    let filters = params.get("Filter").and_then(Value::as_array);
    let mut matching = filters
        .into_iter()
        .flatten()
        .filter(|f| f.get("Key") == Some(&json!("PhysicalConnectionId")));
    let first = matching.next();
    if matching.next().is_some() {
        return Err("two PhysicalConnectionId filters".into());
    }
    Ok(first.and_then(|f| f.get("Value")))
}

/// `(page number, page size)` of a list request, as sent (`None` when
/// absent): Zenlayer `pageNum`/`pageSize`, Alibaba `PageNumber`/`PageSize`.
pub fn page_params(request: &Polled) -> Result<(Option<usize>, Option<usize>), String> {
    let (number, size) = match request.0.vendor {
        Vendor::Zenlayer => ("pageNum", "pageSize"),
        Vendor::Alibaba => ("PageNumber", "PageSize"),
    };
    let params = request.json().as_object().cloned().unwrap_or_default();
    Ok((read_count(&params, number)?, read_count(&params, size)?))
}

/// A non-negative integer parameter, sent as a number or as digits.
fn read_count(params: &Map<String, Value>, key: &str) -> Result<Option<usize>, String> {
    let Some(value) = params.get(key) else {
        return Ok(None);
    };
    let parsed = match value {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    parsed
        .map(Some)
        .ok_or_else(|| format!("{key} is not a non-negative integer: {value}"))
}
