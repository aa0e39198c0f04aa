//! Scripted state machines behind the list/read actions, for waiter and
//! paginator tests.
//!
//! A waiter is only proven by a service whose resources *change* between
//! polls, and a paginator only by one that really slices its listing. [`Sim`]
//! is that service for the three read actions the generated waiters poll
//! (`DescribePrivateConnects`, `DescribePorts`, `DescribePhysicalConnections`):
//!
//! - each resource has a list of [`Step`]s; the n-th time a request names
//!   (or lists) the resource it is in step n (the last step repeats), and
//!   [`ABSENT`] means it is not listed at that poll;
//! - a request that names ids (Zenlayer body `privateConnectIds`/`portIds`,
//!   Alibaba `Filter.N.Key=PhysicalConnectionId` with `Filter.N.Value.M`)
//!   gets only those resources, so batching is real; one that names none
//!   gets every resource;
//! - the matching records are paged with the request's page number and page
//!   size (documented defaults when absent) and wrapped in the vendor's
//!   success envelope with the total count;
//! - limits the real service enforces (100 ids, 5 filter values, page size)
//!   are answered with the vendor's parameter error, so a client breaking
//!   them fails the test;
//! - a *fault* replaces the answer to the n-th request (0-based) without
//!   advancing any state: a failed read observes nothing;
//! - misbehaviours a client must survive can be switched on: ignoring the
//!   page number, wrapping page numbers past the end round to page 1,
//!   claiming a wrong total, answering slowly.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use std::sync::Arc;

use truebind_runtime::Credentials;

use super::{Auth, Recorded, RecordingSleep, Reply, TestServer};

/// Values one Alibaba filter takes at most (alibaba-vpc.md §6.2, `Filter`),
/// so also the ids one `DescribePhysicalConnections` request can name.
const ALIBABA_MAX_FILTER_VALUES: usize = 5;

/// Marks a poll at which the resource is not listed.
pub const ABSENT: &str = "<absent>";

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

    fn id_field(self) -> &'static str {
        match self {
            Flavor::PrivateConnects => "privateConnectId",
            Flavor::Ports => "portId",
            Flavor::PhysicalConnections => "PhysicalConnectionId",
        }
    }

    fn status_field(self) -> &'static str {
        match self {
            Flavor::PrivateConnects => "privateConnectStatus",
            Flavor::Ports => "portStatus",
            Flavor::PhysicalConnections => "Status",
        }
    }

    fn name_field(self) -> &'static str {
        match self {
            Flavor::PrivateConnects => "privateConnectName",
            Flavor::Ports => "portName",
            Flavor::PhysicalConnections => "Name",
        }
    }

    /// Page size the service uses when the request sets none.
    pub fn default_page_size(self) -> usize {
        match self {
            Flavor::PrivateConnects | Flavor::Ports => 20,
            Flavor::PhysicalConnections => 10,
        }
    }

    fn max_page_size(self) -> usize {
        match self {
            Flavor::PrivateConnects | Flavor::Ports => 1000,
            Flavor::PhysicalConnections => 50,
        }
    }

    fn max_ids(self) -> usize {
        match self {
            Flavor::PrivateConnects | Flavor::Ports => 100,
            Flavor::PhysicalConnections => ALIBABA_MAX_FILTER_VALUES,
        }
    }

    fn zenlayer(self) -> bool {
        self != Flavor::PhysicalConnections
    }
}

/// One simulated resource.
#[derive(Clone, Debug)]
struct Resource {
    id: String,
    steps: Vec<String>,
    fields: Map<String, Value>,
}

/// The simulated service; see the module docs.
#[derive(Debug)]
pub struct Sim {
    flavor: Flavor,
    resources: Vec<Resource>,
    polls: HashMap<String, usize>,
    report_total: bool,
    total_as_string: bool,
    page_cap: Option<usize>,
    paging: Paging,
    claimed_total: Option<usize>,
    answer_after: Option<Duration>,
    faults: HashMap<usize, Reply>,
    answered: usize,
}

/// How the simulation picks the page it serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paging {
    /// The page asked for.
    Honest,
    /// Always page 1.
    IgnorePageNumber,
    /// Page numbers past the last page start again from page 1.
    WrapAround,
}

impl Sim {
    /// An empty service for `flavor`.
    pub fn new(flavor: Flavor) -> Self {
        Sim {
            flavor,
            resources: Vec::new(),
            polls: HashMap::new(),
            report_total: true,
            total_as_string: false,
            page_cap: None,
            paging: Paging::Honest,
            claimed_total: None,
            answer_after: None,
            faults: HashMap::new(),
            answered: 0,
        }
    }

    /// Adds a resource going through `steps` on successive polls
    /// ([`ABSENT`] = not listed); the last step repeats.
    pub fn resource(self, id: &str, steps: &[&str]) -> Self {
        self.resource_with(id, steps, json!({}))
    }

    /// Like [`Sim::resource`], with extra record fields (a JSON object).
    pub fn resource_with(mut self, id: &str, steps: &[&str], fields: Value) -> Self {
        assert!(!steps.is_empty(), "a resource needs at least one step");
        let Value::Object(fields) = fields else {
            panic!("extra fields must be a JSON object")
        };
        self.resources.push(Resource {
            id: id.to_string(),
            steps: steps.iter().map(|s| s.to_string()).collect(),
            fields,
        });
        self
    }

    /// Adds `ids`, each with the same `steps`.
    pub fn resources<S: AsRef<str>>(mut self, ids: &[S], steps: &[&str]) -> Self {
        for id in ids {
            self = self.resource(id.as_ref(), steps);
        }
        self
    }

    /// Leaves the total count out of every answer.
    pub fn without_total(mut self) -> Self {
        self.report_total = false;
        self
    }

    /// Sends the total count as a JSON string (Alibaba's lenient numbers).
    pub fn total_as_string(mut self) -> Self {
        self.total_as_string = true;
        self
    }

    /// Silently serves at most `cap` records per page, whatever page size
    /// the request asks for (as services with an undocumented lower limit do).
    pub fn cap_page_size(mut self, cap: usize) -> Self {
        self.page_cap = Some(cap);
        self
    }

    /// Serves page 1 whatever page number the request asks for.
    pub fn ignore_page_number(mut self) -> Self {
        self.paging = Paging::IgnorePageNumber;
        self
    }

    /// Serves page numbers past the last page from page 1 again.
    pub fn wrap_pages_around(mut self) -> Self {
        self.paging = Paging::WrapAround;
        self
    }

    /// Reports `total` as the total count, whatever the real one is.
    pub fn claim_total(mut self, total: usize) -> Self {
        self.claimed_total = Some(total);
        self
    }

    /// Sends every answer only after `delay`.
    pub fn answer_after(mut self, delay: Duration) -> Self {
        self.answer_after = Some(delay);
        self
    }

    /// Answers the `index`-th request (0-based) with `reply` instead.
    pub fn fault(mut self, index: usize, reply: Reply) -> Self {
        self.faults.insert(index, reply);
        self
    }

    /// The responder to hand to [`super::TestServer::start_with`].
    pub fn into_responder(mut self) -> impl FnMut(&Recorded) -> Reply + Send + 'static {
        move |request| self.answer(request)
    }

    /// Serves this simulation from a Zenlayer server expecting the key pair
    /// `id`/`secret`, with a client of it ([`super::zenlayer_client`]).
    pub async fn serve_zenlayer(
        self,
        id: &str,
        secret: &str,
    ) -> (TestServer, zenlayer_sdn::Client, Arc<RecordingSleep>) {
        let server =
            TestServer::start_with(Auth::zenlayer(id, secret), self.into_responder()).await;
        let (client, sleep) =
            super::zenlayer_client(&server, Credentials::access_key(id, secret), |c| c);
        (server, client, sleep)
    }

    /// Serves this simulation from an Alibaba (ACS3) server expecting the key
    /// pair `id`/`secret`, with a client of it ([`super::alibaba_client`]).
    pub async fn serve_alibaba(
        self,
        id: &str,
        secret: &str,
    ) -> (TestServer, alibaba_vpc::Client, Arc<RecordingSleep>) {
        let server = TestServer::start_with(Auth::acs3(id, secret), self.into_responder()).await;
        let (client, sleep) =
            super::alibaba_client(&server, Credentials::access_key(id, secret), |c| c);
        (server, client, sleep)
    }

    fn answer(&mut self, request: &Recorded) -> Reply {
        let reply = self.reply(request);
        match self.answer_after {
            Some(delay) => reply.delayed(delay),
            None => reply,
        }
    }

    fn reply(&mut self, request: &Recorded) -> Reply {
        let index = self.answered;
        self.answered += 1;
        let request_id = format!("SIM-{index:04}");
        if let Some(reply) = self.faults.get(&index) {
            return reply.clone();
        }
        let flavor = self.flavor;
        if request.action() != Some(flavor.action()) {
            return self.invalid(
                &request_id,
                format!("this simulation answers only {}", flavor.action()),
            );
        }
        let requested = match requested_ids(request) {
            Ok(ids) => ids,
            Err(problem) => return self.invalid(&request_id, problem),
        };
        if requested
            .as_ref()
            .is_some_and(|ids| ids.len() > flavor.max_ids())
        {
            return self.invalid(
                &request_id,
                format!("more than {} ids in one request", flavor.max_ids()),
            );
        }
        let (page, size) = match page_params(request) {
            Ok(params) => params,
            Err(problem) => return self.invalid(&request_id, problem),
        };
        let page = page.unwrap_or(1);
        let size = size.unwrap_or(flavor.default_page_size());
        if page == 0 || size == 0 || size > flavor.max_page_size() {
            return self.invalid(
                &request_id,
                format!("page {page} of size {size} is out of range"),
            );
        }
        let size = self.page_cap.map_or(size, |cap| size.min(cap));

        let mut matched = Vec::new();
        for resource in &self.resources {
            let wanted = requested
                .as_ref()
                .is_none_or(|ids| ids.contains(&resource.id));
            if !wanted {
                continue;
            }
            let poll = self.polls.entry(resource.id.clone()).or_insert(0);
            let step = &resource.steps[(*poll).min(resource.steps.len() - 1)];
            *poll += 1;
            if step == ABSENT {
                continue;
            }
            let mut record = resource.fields.clone();
            record.insert(flavor.id_field().into(), json!(resource.id));
            record
                .entry(flavor.name_field())
                .or_insert_with(|| json!(format!("name of {}", resource.id)));
            record.insert(flavor.status_field().into(), json!(step));
            matched.push(Value::Object(record));
        }
        let total = matched.len();
        let page = match self.paging {
            Paging::Honest => page,
            Paging::IgnorePageNumber => 1,
            Paging::WrapAround => (page - 1) % total.div_ceil(size).max(1) + 1,
        };
        let total = self.claimed_total.unwrap_or(total);
        let records: Vec<Value> = matched
            .into_iter()
            .skip((page - 1).saturating_mul(size))
            .take(size)
            .collect();
        self.envelope(&request_id, page, size, records, total)
    }

    /// The vendor's success envelope around one page of `records`.
    fn envelope(
        &self,
        request_id: &str,
        page: usize,
        size: usize,
        records: Vec<Value>,
        total: usize,
    ) -> Reply {
        let total = if self.total_as_string {
            json!(total.to_string())
        } else {
            json!(total)
        };
        if self.flavor.zenlayer() {
            let mut fields = json!({"dataSet": records});
            if self.report_total {
                fields["totalCount"] = total;
            }
            super::zenlayer::ok(request_id, fields)
        } else {
            let mut body = json!({
                "RequestId": request_id,
                "PageNumber": page,
                "PageSize": size,
                "PhysicalConnectionSet": {"PhysicalConnectionType": records},
            });
            if self.report_total {
                body["TotalCount"] = total;
            }
            Reply::json(200, body)
        }
    }

    /// The vendor's invalid-parameter answer.
    fn invalid(&self, request_id: &str, message: String) -> Reply {
        let zenlayer = self.flavor.zenlayer();
        let code = if zenlayer {
            "INVALID_PARAMETER"
        } else {
            "InvalidParameter"
        };
        super::error_reply(zenlayer, 400, code, &message, request_id)
    }
}

/// The ids a read request names, in the order sent: Zenlayer
/// `privateConnectIds` / `portIds` in the body, Alibaba the values of the
/// `PhysicalConnectionId` filter. `None` when it names none.
pub fn requested_ids(request: &Recorded) -> Result<Option<Vec<String>>, String> {
    match request.action() {
        Some("DescribePrivateConnects") => body_ids(request, "privateConnectIds"),
        Some("DescribePorts") => body_ids(request, "portIds"),
        Some("DescribePhysicalConnections") => filter_ids(request),
        other => Err(format!("no id filter known for {other:?}")),
    }
}

fn body_ids(request: &Recorded, key: &str) -> Result<Option<Vec<String>>, String> {
    match request.json().get(key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{key} holds a non-string {v}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!("{key} is not an array: {other}")),
    }
}

fn filter_ids(request: &Recorded) -> Result<Option<Vec<String>>, String> {
    let mut found = None;
    for (name, value) in &request.query {
        let Some(rest) = name.strip_prefix("Filter.") else {
            continue;
        };
        let Some((n, "Key")) = rest.split_once('.') else {
            continue;
        };
        if value == "PhysicalConnectionId" {
            if found.is_some() {
                return Err("two PhysicalConnectionId filters".into());
            }
            found = Some(n.to_string());
        }
    }
    let Some(n) = found else { return Ok(None) };
    let prefix = format!("Filter.{n}.Value.");
    let mut values: Vec<(usize, String)> = Vec::new();
    for (name, value) in &request.query {
        if let Some(m) = name.strip_prefix(&prefix) {
            let m: usize = m
                .parse()
                .map_err(|_| format!("{name} is not a numbered filter value"))?;
            values.push((m, value.clone()));
        }
    }
    values.sort();
    if values.iter().enumerate().any(|(i, (m, _))| *m != i + 1) {
        return Err(format!("filter values are not numbered 1..n: {values:?}"));
    }
    if values.len() > ALIBABA_MAX_FILTER_VALUES {
        return Err(format!(
            "{} values in one filter (at most {ALIBABA_MAX_FILTER_VALUES})",
            values.len()
        ));
    }
    Ok(Some(values.into_iter().map(|(_, v)| v).collect()))
}

/// `(page number, page size)` of a list request, as sent (`None` when absent):
/// Zenlayer `pageNum`/`pageSize` in the body, Alibaba `PageNumber`/`PageSize`
/// in the query.
pub fn page_params(request: &Recorded) -> Result<(Option<usize>, Option<usize>), String> {
    if request.header("x-zc-action").is_some() {
        let body = request.json();
        let read = |key: &str| match body.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n as usize))
                .ok_or_else(|| format!("{key} is not a non-negative integer: {v}")),
        };
        Ok((read("pageNum")?, read("pageSize")?))
    } else {
        let read = |key: &str| match request.param(key) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("{key} is not a non-negative integer: {v:?}")),
        };
        Ok((read("PageNumber")?, read("PageSize")?))
    }
}
