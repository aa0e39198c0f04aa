//! End-to-end tests of the generated paginators (`*_pages`, and `.items()` on them)
//! against `truebind-emulator`, which really slices a listing of N records by
//! the page number and page size each request carries ([`support::sim::Sim`]),
//! and misbehaves on demand (emulator quirks).
//!
//! `truebind_runtime::paginate` has unit tests of its stop rules; these prove
//! the page streams and the generated glue over real HTTP: the page number goes
//! in the field the vendor documents (Zenlayer `pageNum` in the JSON body,
//! Alibaba `PageNumber` in the query) and increments from 1, the caller's page
//! size and filters are kept on every page, the records are found where each
//! vendor puts them (`dataSet`,
//! `PhysicalConnectionSet.PhysicalConnectionType`), the stream stops on the
//! reported total, a short page or an empty page (with the documented default
//! page sizes, 20 and 10, when the caller sets none), and an error ends the
//! stream after being yielded once. A server whose pages never end (it
//! ignores the page number, or its total is never reached) and a listing
//! longer than `max_pages` end the stream with a typed `Runaway`.

mod support;

use std::sync::Arc;
use truebind_runtime::ErrorMeta;

use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use support::RecordingSleep;
use support::sim::SimServer;
use support::sim::{Flavor, Sim, page_params};
use truebind_emulator::{FaultKind, Quirk};
use truebind_runtime::SdkError;
use truebind_runtime::paginate::{PageError, Runaway};
use zenlayer_sdn::operation::describe_ports::DescribePortsInput;
use zenlayer_sdn::operation::describe_private_connects::{
    DescribePrivateConnectsError, DescribePrivateConnectsInput, DescribePrivateConnectsOutput,
};

use alibaba_vpc::operation::describe_physical_connections::{
    DescribePhysicalConnectionsInput, DescribePhysicalConnectionsOutput,
};
use alibaba_vpc::types::Filter;

const ZL_KEY_ID: &str = "AKIDPAGES";
const ZL_SECRET: &str = "zenlayer-pages-secret";
const ALI_KEY_ID: &str = "LTAIpagesKeyId";
const ALI_SECRET: &str = "alibaba-pages-secret";
const REGION: &str = "cn-hangzhou";

async fn zenlayer(sim: Sim) -> (SimServer, zenlayer_sdn::Client, Arc<RecordingSleep>) {
    sim.serve_zenlayer(ZL_KEY_ID, ZL_SECRET).await
}

async fn alibaba(sim: Sim) -> (SimServer, alibaba_vpc::Client) {
    let (server, client, _) = sim.serve_alibaba(ALI_KEY_ID, ALI_SECRET).await;
    (server, client)
}

/// `n` ids `<prefix>000`, `<prefix>001`, … in listing order.
fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:03}")).collect()
}

fn private_connects(n: usize) -> Sim {
    Sim::new(Flavor::PrivateConnects).resources(&ids("pc-", n), &["RUNNING"])
}

fn physical_connections(n: usize) -> Sim {
    Sim::new(Flavor::PhysicalConnections).resources(&ids("pc-bp", n), &["Enabled"])
}

/// `(page number, page size)` of every request, as sent.
fn paging(server: &SimServer) -> Vec<(Option<usize>, Option<usize>)> {
    server
        .requests()
        .iter()
        .map(|r| page_params(r).expect("readable paging parameters"))
        .collect()
}

fn page_numbers(server: &SimServer) -> Vec<usize> {
    paging(server)
        .into_iter()
        .map(|(page, _)| page.expect("every page request carries its number"))
        .collect()
}

fn all_inputs() -> DescribePrivateConnectsInput {
    DescribePrivateConnectsInput::new()
}

/// Every page of the unfiltered listing.
async fn zenlayer_pages(client: &zenlayer_sdn::Client) -> Vec<DescribePrivateConnectsOutput> {
    client
        .describe_private_connects_pages(all_inputs())
        .try_collect()
        .await
        .expect("every page")
}

/// How many records each page holds.
fn zenlayer_counts(pages: &[DescribePrivateConnectsOutput]) -> Vec<usize> {
    pages
        .iter()
        .map(|p| p.data_set.as_ref().map_or(0, Vec::len))
        .collect()
}

// ---------------------------------------------------------------- Zenlayer

#[tokio::test]
async fn zenlayer_pages_stop_once_the_reported_total_is_reached() {
    let (server, client, _) = zenlayer(private_connects(40)).await;

    let pages = zenlayer_pages(&client).await;

    assert_eq!(
        zenlayer_counts(&pages),
        vec![20, 20],
        "the default page size is 20"
    );
    assert!(pages.iter().all(|p| p.total_count == Some(40)));
    // Two full pages reach the total: no third request for an empty page.
    assert_eq!(page_numbers(&server), vec![1, 2]);
    for r in server.requests() {
        assert_eq!(r.action(), Some("DescribePrivateConnects"));
    }
}

#[tokio::test]
async fn zenlayer_pages_stop_on_a_short_page_without_a_total() {
    let (server, client, _) = zenlayer(private_connects(45).quirk(Quirk::NoTotal)).await;

    let pages = zenlayer_pages(&client).await;

    assert_eq!(zenlayer_counts(&pages), vec![20, 20, 5]);
    assert!(pages.iter().all(|p| p.total_count.is_none()));
    assert_eq!(page_numbers(&server), vec![1, 2, 3]);
}

#[tokio::test]
async fn zenlayer_pages_stop_on_an_empty_page_without_a_total() {
    let (server, client, _) = zenlayer(private_connects(40).quirk(Quirk::NoTotal)).await;

    let pages = zenlayer_pages(&client).await;

    assert_eq!(zenlayer_counts(&pages), vec![20, 20, 0]);
    assert_eq!(page_numbers(&server), vec![1, 2, 3]);
}

#[tokio::test]
async fn zenlayer_empty_listing_is_one_empty_page_and_no_items() {
    let (server, client, _) = zenlayer(private_connects(0)).await;

    let pages: Vec<_> = client
        .describe_private_connects_pages(all_inputs())
        .try_collect()
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].total_count, Some(0));

    let items: Vec<_> = client
        .describe_private_connects_pages(all_inputs())
        .items()
        .try_collect()
        .await
        .expect("no items");
    assert!(items.is_empty());
    assert_eq!(page_numbers(&server), vec![1, 1]);
}

#[tokio::test]
async fn zenlayer_items_yield_every_record_in_order_with_the_callers_page_size_and_filter() {
    let (server, client, _) = zenlayer(private_connects(45)).await;
    let mut input = DescribePrivateConnectsInput::new();
    input.private_connect_name = Some("name of".to_string());
    input.page_size = Some(7);

    let items: Vec<_> = client
        .describe_private_connects_pages(input)
        .items()
        .try_collect()
        .await
        .expect("every record");

    let got: Vec<String> = items
        .iter()
        .map(|pc| pc.private_connect_id.clone().unwrap())
        .collect();
    assert_eq!(got, ids("pc-", 45));
    // 45 records, 7 a page: 6 full pages and a short one.
    let expected: Vec<(Option<usize>, Option<usize>)> =
        (1..=7).map(|page| (Some(page), Some(7))).collect();
    assert_eq!(paging(&server), expected);
    for r in server.requests() {
        assert_eq!(r.json()["privateConnectName"], json!("name of"));
    }
}

#[tokio::test]
async fn zenlayer_ports_items_cover_every_page() {
    let sim = Sim::new(Flavor::Ports).resources(&ids("port-", 25), &["RUNNING"]);
    let (server, client, _) = zenlayer(sim).await;

    let items: Vec<_> = client
        .describe_ports_pages(DescribePortsInput::new())
        .items()
        .try_collect()
        .await
        .expect("every port");

    let got: Vec<String> = items.iter().map(|p| p.port_id.clone().unwrap()).collect();
    assert_eq!(got, ids("port-", 25));
    assert_eq!(
        items[24].port_status,
        Some(zenlayer_sdn::types::PortStatus::Running)
    );
    assert_eq!(page_numbers(&server), vec![1, 2]);
    for r in server.requests() {
        assert_eq!(r.action(), Some("DescribePorts"));
    }
}

#[tokio::test]
async fn zenlayer_error_on_page_two_is_yielded_once_and_ends_the_stream() {
    let denied = FaultKind::Error {
        status: 403,
        code: "OPERATION_DENIED".into(),
    };

    // Pages.
    let (server, client, _) = zenlayer(private_connects(60).fault(1, denied.clone())).await;
    let pages: Vec<_> = client
        .describe_private_connects_pages(all_inputs())
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "page 1, then the error, then nothing");
    assert_eq!(
        pages[0].as_ref().unwrap().data_set.as_ref().unwrap().len(),
        20
    );
    match &pages[1] {
        Err(PageError::Call(SdkError::Service(e))) => assert_eq!(e.code(), "OPERATION_DENIED"),
        other => panic!("expected the service error, got {other:?}"),
    }
    assert_eq!(page_numbers(&server), vec![1, 2], "no page 3 is asked for");
    drop(server);

    // Items: the 20 records of page 1, then the error, then nothing.
    let (server, client, _) = zenlayer(private_connects(60).fault(1, denied)).await;
    let items: Vec<_> = client
        .describe_private_connects_pages(all_inputs())
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 21);
    assert!(items[..20].iter().all(Result::is_ok));
    assert!(
        matches!(&items[20], Err(PageError::Call(SdkError::Service(e))) if e.code() == "OPERATION_DENIED")
    );
    assert_eq!(page_numbers(&server), vec![1, 2]);
}

#[tokio::test]
async fn zenlayer_transient_503_on_a_page_is_retried_and_paging_goes_on() {
    let unavailable = FaultKind::Error {
        status: 503,
        code: "SERVICE_UNAVAILABLE".into(),
    };
    let (server, client, sleep) = zenlayer(private_connects(50).fault(1, unavailable)).await;

    let items: Vec<_> = client
        .describe_private_connects_pages(all_inputs())
        .items()
        .try_collect()
        .await
        .expect("the retry hides the 503");

    assert_eq!(items.len(), 50);
    // Page 2 is asked for twice (the 503, then its retry), with the same number.
    assert_eq!(page_numbers(&server), vec![1, 2, 2, 3]);
    assert_eq!(sleep.waits().len(), 1, "one retry backoff");
}

#[tokio::test]
async fn zenlayer_service_capping_the_page_size_does_not_truncate_the_listing() {
    // The caller asks for 1000 a page (the documented maximum); the service
    // serves 100 and reports the true total.
    let (server, client, _) = zenlayer(private_connects(250).quirk(Quirk::PageSizeCap(100))).await;
    let mut input = DescribePrivateConnectsInput::new();
    input.page_size = Some(1000);

    let items: Vec<_> = client
        .describe_private_connects_pages(input)
        .items()
        .try_collect()
        .await
        .expect("every record");

    assert_eq!(items.len(), 250);
    assert_eq!(page_numbers(&server), vec![1, 2, 3]);
}

// ----------------------------------------------------------------- Alibaba

fn region_only() -> DescribePhysicalConnectionsInput {
    DescribePhysicalConnectionsInput::new(REGION)
}

/// Every page of the region's listing.
async fn alibaba_pages(client: &alibaba_vpc::Client) -> Vec<DescribePhysicalConnectionsOutput> {
    client
        .describe_physical_connections_pages(region_only())
        .try_collect()
        .await
        .expect("every page")
}

/// How many records each page holds.
fn alibaba_counts(pages: &[DescribePhysicalConnectionsOutput]) -> Vec<usize> {
    pages
        .iter()
        .map(|page| {
            page.physical_connection_set
                .as_ref()
                .and_then(|s| s.physical_connection_type.as_ref())
                .map_or(0, Vec::len)
        })
        .collect()
}

#[tokio::test]
async fn alibaba_pages_follow_page_number_and_stop_on_the_total() {
    let (server, client) = alibaba(physical_connections(30)).await;

    let pages = alibaba_pages(&client).await;

    assert_eq!(
        alibaba_counts(&pages),
        vec![10, 10, 10],
        "the default page size is 10"
    );
    assert_eq!(
        pages.iter().map(|p| p.page_number).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3)]
    );
    assert!(pages.iter().all(|p| p.total_count == Some(30)));
    // PageNumber is a query parameter, counting from 1; no empty 4th page.
    assert_eq!(page_numbers(&server), vec![1, 2, 3]);
    for r in server.requests() {
        assert_eq!(r.action(), Some("DescribePhysicalConnections"));
        assert_eq!(r.param("RegionId"), Some(REGION));
    }
}

#[tokio::test]
async fn alibaba_total_sent_as_a_string_still_ends_paging() {
    let (server, client) = alibaba(physical_connections(20).quirk(Quirk::TotalAsText)).await;

    let pages: Vec<_> = client
        .describe_physical_connections_pages(region_only())
        .try_collect()
        .await
        .expect("a string total parses");

    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].total_count, Some(20));
    assert_eq!(page_numbers(&server), vec![1, 2]);
}

#[tokio::test]
async fn alibaba_pages_stop_on_a_short_page_and_on_an_empty_page_without_a_total() {
    let (server, client) = alibaba(physical_connections(25).quirk(Quirk::NoTotal)).await;
    let pages = alibaba_pages(&client).await;
    assert_eq!(alibaba_counts(&pages), vec![10, 10, 5]);
    assert_eq!(page_numbers(&server), vec![1, 2, 3]);
    drop(server);

    let (server, client) = alibaba(physical_connections(20).quirk(Quirk::NoTotal)).await;
    let pages = alibaba_pages(&client).await;
    assert_eq!(alibaba_counts(&pages), vec![10, 10, 0]);
    assert_eq!(page_numbers(&server), vec![1, 2, 3]);
}

#[tokio::test]
async fn alibaba_items_yield_every_record_in_order_with_page_size_50_and_the_filter() {
    let (server, client) = alibaba(physical_connections(120)).await;
    let mut status = Filter::new("Status");
    status.value = Some(vec!["Enabled".into()]);
    let mut input = DescribePhysicalConnectionsInput::new(REGION);
    input.page_size = Some(50);
    input.filter = Some(vec![status]);

    let items: Vec<_> = client
        .describe_physical_connections_pages(input)
        .items()
        .try_collect()
        .await
        .expect("every record");

    let got: Vec<String> = items
        .iter()
        .map(|pc| pc.physical_connection_id.clone().unwrap())
        .collect();
    assert_eq!(got, ids("pc-bp", 120));
    assert_eq!(
        paging(&server),
        vec![
            (Some(1), Some(50)),
            (Some(2), Some(50)),
            (Some(3), Some(50))
        ]
    );
    for r in server.requests() {
        assert_eq!(r.param("Filter.1.Key"), Some("Status"));
        assert_eq!(r.param("Filter.1.Value.1"), Some("Enabled"));
    }
}

#[tokio::test]
async fn alibaba_error_on_page_two_is_yielded_once_and_ends_the_stream() {
    let forbidden = FaultKind::Error {
        status: 403,
        code: "Forbidden.RAM".into(),
    };
    let (server, client) = alibaba(physical_connections(35).fault(1, forbidden)).await;

    let items: Vec<_> = client
        .describe_physical_connections_pages(region_only())
        .items()
        .collect()
        .await;

    assert_eq!(items.len(), 11, "page 1's 10 records, then the error");
    assert!(items[..10].iter().all(Result::is_ok));
    match &items[10] {
        Err(PageError::Call(SdkError::Service(e))) => assert_eq!(e.code(), "Forbidden.RAM"),
        other => panic!("expected the service error, got {other:?}"),
    }
    assert_eq!(page_numbers(&server), vec![1, 2], "no page 3 is asked for");
}

// ------------------------------------------------- servers that never end

/// Every page of the unfiltered listing, errors included.
async fn zenlayer_results(
    pages: truebind_runtime::paginate::Pages<DescribePrivateConnectsInput>,
) -> Vec<Result<DescribePrivateConnectsOutput, PageError<DescribePrivateConnectsError>>> {
    // A runaway stream would collect for ever: bound it well past any expected length.
    pages.take(100).collect().await
}

/// The runaway a list of page results ends with, after `ok` good pages.
fn runaway_after<T: std::fmt::Debug, E: std::fmt::Debug>(
    results: &[Result<T, PageError<E>>],
    ok: usize,
) -> &Runaway {
    assert_eq!(
        results.len(),
        ok + 1,
        "{ok} pages, then the error: {results:?}"
    );
    assert!(results[..ok].iter().all(Result::is_ok), "{results:?}");
    match &results[ok] {
        Err(PageError::Runaway(why)) => why,
        other => panic!("expected a runaway, got {other:?}"),
    }
}

#[tokio::test]
async fn zenlayer_server_ignoring_the_page_number_ends_at_the_repeated_page() {
    let (server, client, _) = zenlayer(private_connects(45).quirk(Quirk::IgnorePageNumber)).await;

    let results = zenlayer_results(client.describe_private_connects_pages(all_inputs())).await;

    assert_eq!(
        runaway_after(&results, 1),
        &Runaway::RepeatedPage { page: 2 }
    );
    assert_eq!(page_numbers(&server), vec![1, 2]);
    // Items see page 1's records once, then the error.
    let items: Vec<_> = client
        .describe_private_connects_pages(all_inputs())
        .items()
        .take(100)
        .collect()
        .await;
    assert_eq!(items.len(), 21);
    assert!(matches!(
        items[20],
        Err(PageError::Runaway(Runaway::RepeatedPage { page: 2 }))
    ));
}

#[tokio::test]
async fn zenlayer_total_never_reached_ends_past_the_pages_it_implies() {
    // 45 records served 20 a page, page numbers past 3 wrapping round to
    // page 1, and a claimed total of 100: five pages should hold it all.
    let sim = private_connects(45)
        .quirk(Quirk::WrapPages)
        .quirk(Quirk::WrongTotal(100));
    let (server, client, _) = zenlayer(sim).await;

    let results = zenlayer_results(client.describe_private_connects_pages(all_inputs())).await;

    assert_eq!(
        runaway_after(&results, 5),
        &Runaway::PastTotal {
            pages: 5,
            total: 100,
            seen: 85
        }
    );
    assert_eq!(page_numbers(&server), vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn zenlayer_page_limit_ends_a_listing_that_has_more() {
    let (server, client, _) = zenlayer(private_connects(100)).await;

    let pages = client
        .describe_private_connects_pages(all_inputs())
        .max_pages(2);
    let results = zenlayer_results(pages).await;

    assert_eq!(runaway_after(&results, 2), &Runaway::PageLimit { limit: 2 });
    assert_eq!(
        page_numbers(&server),
        vec![1, 2],
        "no page past the limit is asked for"
    );
    // A listing that ends within the limit is complete.
    let pages = client
        .describe_private_connects_pages(all_inputs())
        .max_pages(5);
    assert_eq!(zenlayer_results(pages).await.len(), 5);
}

#[tokio::test]
async fn alibaba_server_ignoring_the_page_number_ends_at_the_repeated_page() {
    let (server, client) = alibaba(physical_connections(35).quirk(Quirk::IgnorePageNumber)).await;

    let items: Vec<_> = client
        .describe_physical_connections_pages(region_only())
        .items()
        .take(1000)
        .collect()
        .await;

    assert_eq!(items.len(), 11, "page 1's 10 records, then the error");
    assert!(matches!(
        items[10],
        Err(PageError::Runaway(Runaway::RepeatedPage { page: 2 }))
    ));
    assert_eq!(page_numbers(&server), vec![1, 2]);
}
