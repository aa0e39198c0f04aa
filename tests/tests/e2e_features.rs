//! End-to-end tests of what whole services need, through the kitchen-sink
//! fixture crate over real HTTP: token paging (`ListGadgets` sends each
//! page's `NextToken` back for the next and stops at the page without one),
//! its runaway guards, a waiter reading through a token-paged action, and
//! parameter placements (`ConfigureGadgets`: comma-joined and JSON-text
//! parameters, form-body ones) signed so that an independent implementation
//! of both Alibaba schemes ([`support::sign`]) verifies them.
//!
//! The fixture is a made-up service, so the vendor stand-in
//! ([`support::TestServer`]), which holds requests to the real VPC API's
//! facts, would refuse its actions; [`Fixture`] is a bare local server that
//! answers from each request's parameters and records them.

mod support;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use kitchen_sink::operation::apply_gadget_loa::ApplyGadgetLoaInput;
use kitchen_sink::operation::configure_gadgets::ConfigureGadgetsInput;
use kitchen_sink::operation::list_gadgets::ListGadgetsInput;
use kitchen_sink::types::{Gadget, GadgetStatus};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tokio::net::TcpListener;
use truebind_runtime::paginate::{PageError, Runaway};
use truebind_runtime::protocol::alibaba::FORM_CONTENT_TYPE;
use truebind_runtime::{AlibabaSignature, Config, Credentials, WaitConfig};

const KEY_ID: &str = "LTAIfixture";
const SECRET: &str = "fixture-secret";

/// One request as the fixture server saw it: path, decoded query, headers and body.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Answer = Arc<dyn Fn(&Seen) -> Value + Send + Sync>;

/// A local server answering every request with `answer(request)` as JSON.
struct Fixture {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Fixture {
    async fn start(answer: impl Fn(&Seen) -> Value + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer: Answer = Arc::new(answer);
        let (log, task_answer) = (Arc::clone(&seen), Arc::clone(&answer));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, answer) = (Arc::clone(&log), Arc::clone(&task_answer));
                tokio::spawn(async move {
                    let service =
                        service_fn(move |req| reply(req, Arc::clone(&log), Arc::clone(&answer)));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Fixture { addr, seen, task }
    }

    fn client(&self) -> kitchen_sink::Client {
        self.client_signing(AlibabaSignature::default())
    }

    fn client_signing(&self, scheme: AlibabaSignature) -> kitchen_sink::Client {
        let config = Config::new(Credentials::access_key(KEY_ID, SECRET))
            .endpoint(format!("http://{}/", self.addr))
            .alibaba_signature(scheme)
            .sleep(support::RecordingSleep::new());
        kitchen_sink::Client::new(config).expect("client")
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn reply(
    req: Request<hyper::body::Incoming>,
    log: Arc<Mutex<Vec<Seen>>>,
    answer: Answer,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let query = support::sign::decode_query(req.uri().query().unwrap_or(""));
    let path = req.uri().path().to_string();
    let headers = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match req.into_body().collect().await {
        Ok(body) => String::from_utf8_lossy(&body.to_bytes()).into_owned(),
        Err(_) => String::new(),
    };
    let seen = Seen {
        path,
        query,
        headers,
        body,
    };
    let value = answer(&seen);
    log.lock().unwrap().push(seen);
    let response = Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(value.to_string())))
        .expect("a response");
    Ok(response)
}

/// A `ListGadgets` page: the gadgets with these ids and states, and the next token.
fn gadgets(ids: &[(&str, &str)], next: Option<&str>) -> Value {
    let records: Vec<Value> = ids
        .iter()
        .map(|(id, status)| json!({"GadgetId": id, "Status": status}))
        .collect();
    let mut page = json!({"RequestId": "R-1", "Gadgets": records});
    if let Some(next) = next {
        page["NextToken"] = json!(next);
    }
    page
}

fn tokens_sent(server: &Fixture) -> Vec<Option<String>> {
    server
        .seen()
        .iter()
        .map(|s| s.param("NextToken").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn token_paging_sends_each_next_token_back_and_stops_without_one() {
    let server = Fixture::start(|seen| match seen.param("NextToken") {
        None => gadgets(&[("g-1", "Ready"), ("g-2", "Ready")], Some("t-2")),
        Some("t-2") => gadgets(&[("g-3", "Ready"), ("g-4", "Ready")], Some("t-3")),
        _ => gadgets(&[("g-5", "Ready")], Some("")),
    })
    .await;
    let mut input = ListGadgetsInput::new("zz-north-1");
    input.max_results = Some(2);

    let records: Vec<_> = server
        .client()
        .list_gadgets_pages(input)
        .items()
        .try_collect()
        .await
        .expect("every record");

    let ids: Vec<&str> = records.iter().map(|g| g.gadget_id.as_str()).collect();
    assert_eq!(ids, ["g-1", "g-2", "g-3", "g-4", "g-5"]);
    assert_eq!(
        tokens_sent(&server),
        [None, Some("t-2".into()), Some("t-3".into())],
        "no token on the first page, then each page's own"
    );
    for seen in server.seen() {
        assert_eq!(seen.param("MaxResults"), Some("2"), "the page size stays");
        assert_eq!(seen.param("RegionId"), Some("zz-north-1"));
    }
}

#[tokio::test]
async fn a_next_token_that_comes_back_ends_the_listing_with_a_runaway() {
    // The service ignores the token and always names the same next page.
    let server = Fixture::start(|seen| {
        let id = if seen.param("NextToken").is_some() {
            "g-2"
        } else {
            "g-1"
        };
        gadgets(&[(id, "Ready")], Some("again"))
    })
    .await;

    let pages: Vec<_> = server
        .client()
        .list_gadgets_pages(ListGadgetsInput::new("zz-north-1"))
        .collect()
        .await;

    assert_eq!(pages.len(), 3, "two pages, then the runaway: {pages:?}");
    assert!(pages[..2].iter().all(Result::is_ok));
    assert!(matches!(
        &pages[2],
        Err(PageError::Runaway(Runaway::RepeatedToken { page: 2 }))
    ));
    assert_eq!(
        server.seen().len(),
        2,
        "nothing is fetched after the repeat"
    );
}

#[tokio::test]
async fn max_pages_bounds_a_token_listing() {
    let server = Fixture::start(|seen| {
        let n: u32 = seen
            .param("NextToken")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        gadgets(&[(&format!("g-{n}"), "Ready")], Some(&(n + 1).to_string()))
    })
    .await;

    let pages: Vec<_> = server
        .client()
        .list_gadgets_pages(ListGadgetsInput::new("zz-north-1"))
        .max_pages(3)
        .collect()
        .await;

    assert_eq!(pages.len(), 4);
    assert!(matches!(
        &pages[3],
        Err(PageError::Runaway(Runaway::PageLimit { limit: 3 }))
    ));
}

#[tokio::test]
async fn a_waiter_reads_through_a_token_paged_action() {
    // One requested gadget per page, the next page behind a token; g-2 is
    // pending the first time it is read and ready after that.
    let reads_of_g2 = Arc::new(Mutex::new(0));
    let count = Arc::clone(&reads_of_g2);
    let server = Fixture::start(move |seen| {
        let ids: Vec<&str> = (1..=20)
            .map_while(|i| seen.param(&format!("GadgetIds.{i}")))
            .collect();
        let at = usize::from(seen.param("NextToken").is_some());
        let Some(&id) = ids.get(at) else {
            return gadgets(&[], None);
        };
        let state = if id == "g-2" {
            let mut n = count.lock().unwrap();
            *n += 1;
            if *n > 1 { "Ready" } else { "Pending" }
        } else {
            "Ready"
        };
        let next = (at + 1 < ids.len()).then_some("page-2");
        gadgets(&[(id, state)], next)
    })
    .await;

    let done = server
        .client()
        .wait_until_gadget_ready("zz-north-1", ["g-1", "g-2"])
        .config(WaitConfig {
            initial_delay: Duration::ZERO,
            max_wait: Duration::from_secs(30),
            jitter: false,
            ..WaitConfig::default()
        })
        .wait()
        .await
        .expect("both ready");

    assert_eq!(done.len(), 2);
    let seen = server.seen();
    assert_eq!(tokens_sent(&server), [None, Some("page-2".into()), None]);
    assert_eq!(
        seen[0].param("GadgetIds.2"),
        Some("g-2"),
        "one batch of both"
    );
    assert_eq!(seen[0].param("MaxResults"), Some("20"), "max_ids per page");
    assert_eq!(
        seen[2].param("GadgetIds.1"),
        Some("g-2"),
        "then only the pending one"
    );
    assert_eq!(seen[2].param("GadgetIds.2"), None);
    assert!(seen.iter().all(|s| s.body.is_empty()), "all in the query");
}

/// `ConfigureGadgets` with every placement: ids joined by `,`, items and
/// settings as JSON text, settings and the note in the form body.
fn configure() -> ConfigureGadgetsInput {
    let mut input = ConfigureGadgetsInput::new("zz-north-1", vec!["g-1".into(), "g-2".into()]);
    let mut item = Gadget::new("g-1");
    item.status = Some(GadgetStatus::Ready);
    input.items = Some(vec![item]);
    input.settings = Some(BTreeMap::from([(
        "mode".to_string(),
        "a b&c=d".to_string(),
    )]));
    input.note = Some("hello world".into());
    input
}

/// Checks the placements of [`configure`] in what the server saw, and returns
/// every parameter (query and form) but `Signature`.
fn placed_parameters(seen: &Seen) -> Vec<(String, String)> {
    assert_eq!(seen.param("GadgetIds"), Some("g-1,g-2"));
    assert_eq!(seen.param("GadgetIds.1"), None, "not flattened");
    let items: Value = serde_json::from_str(seen.param("Items").expect("Items")).unwrap();
    assert_eq!(items, json!([{"GadgetId": "g-1", "Status": "Ready"}]));
    assert_eq!(
        seen.param("Note"),
        None,
        "form parameters are not in the query"
    );
    assert_eq!(seen.header("content-type"), Some(FORM_CONTENT_TYPE));
    let form = support::sign::decode_query(&seen.body);
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("Note"), Some("hello world"));
    let settings: Value = serde_json::from_str(field("Settings").expect("Settings")).unwrap();
    assert_eq!(settings, json!({"mode": "a b&c=d"}));
    assert_eq!(form.len(), 2, "{form:?}");
    let mut all: Vec<(String, String)> = seen
        .query
        .iter()
        .filter(|(n, _)| n != "Signature")
        .cloned()
        .collect();
    all.extend(form);
    all
}

#[tokio::test]
async fn acs3_signs_the_form_body_and_the_placed_parameters() {
    let server = Fixture::start(|_| json!({"RequestId": "R-5"})).await;

    server
        .client()
        .configure_gadgets(configure())
        .await
        .expect("accepted");

    let seen = &server.seen()[0];
    placed_parameters(seen);
    assert_eq!(
        seen.header("x-acs-content-sha256"),
        Some(support::sign::sha256_hex(seen.body.as_bytes()).as_str()),
        "the body's own hash"
    );
    let authorization = seen.header("authorization").expect("signed");
    let (_, signed) = authorization.split_once("SignedHeaders=").unwrap();
    let (signed, signature) = signed.split_once(",Signature=").unwrap();
    let signed: Vec<&str> = signed.split(';').collect();
    assert!(signed.contains(&"content-type"), "{signed:?}");
    let (_, expected) = support::sign::acs3_signature(
        "POST",
        &seen.path,
        &seen.query,
        &seen.headers,
        &signed,
        &support::sign::sha256_hex(seen.body.as_bytes()),
        SECRET,
    );
    assert_eq!(signature, expected, "an independent ACS3 signer agrees");
}

#[tokio::test]
async fn hmac_sha1_signs_the_form_parameters_with_the_query() {
    let server = Fixture::start(|_| json!({"RequestId": "R-5"})).await;

    server
        .client_signing(AlibabaSignature::RpcHmacSha1)
        .configure_gadgets(configure())
        .await
        .expect("accepted");

    let seen = &server.seen()[0];
    let all = placed_parameters(seen);
    let expected = support::sign::rpc_v1_signature("POST", &all, SECRET);
    assert_eq!(
        seen.param("Signature"),
        Some(expected.as_str()),
        "an independent HMAC-SHA1 signer agrees"
    );
    let query_only: Vec<(String, String)> = seen
        .query
        .iter()
        .filter(|(n, _)| n != "Signature")
        .cloned()
        .collect();
    assert_ne!(
        seen.param("Signature"),
        Some(support::sign::rpc_v1_signature("POST", &query_only, SECRET).as_str()),
        "the form parameters are part of what is signed"
    );
}

#[tokio::test]
async fn an_action_named_with_an_acronym_is_sent_under_its_wire_name() {
    let server = Fixture::start(|_| json!({"RequestId": "R-6"})).await;

    let output = server
        .client()
        .apply_gadget_loa(ApplyGadgetLoaInput::new("zz-north-1", "g-1"))
        .await
        .expect("accepted");

    assert_eq!(output.request_id.as_deref(), Some("R-6"));
    let seen = &server.seen()[0];
    assert_eq!(seen.header("x-acs-action"), Some("ApplyGadgetLOA"));
    assert_eq!(seen.param("GadgetId"), Some("g-1"));
}
