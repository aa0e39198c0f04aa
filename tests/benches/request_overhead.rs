//! Per-request overhead of the generated clients, without the network.
//!
//! One iteration is everything the client does for a call besides I/O:
//! build the input with `new` and field assignments, check the documented limits, encode
//! the wire form, stamp and sign the request, and parse a documented success
//! response. Beside each call, its floor: the bare SHA-256 and HMAC work that
//! signing that call needs anyway, over the exact bytes the signer hashes
//! (computed once, outside the timed loop, with the runtime's own signing
//! functions and checked against the request the call builds).
//! The last two benchmarks time each call again in chunks that alternate
//! with its floor, and print the ratio of the two totals: a figure that a
//! change of the machine's speed between the benchmarks does not move.
//! Run: `cargo bench -p truebind-tests --bench request_overhead`.

use std::hint::black_box;

use alibaba_vpc::operation::delete_physical_connection::DeletePhysicalConnectionInput;
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use truebind_runtime::encode::Writer;
use truebind_runtime::protocol;
use truebind_runtime::request::{self, Stamp, Target};
use truebind_runtime::sign::{acs3, zc2};
use truebind_runtime::wire::{self, RawResponse};
use truebind_runtime::{Action, AlibabaSignature, Credentials, Validate};
use zenlayer_sdn::operation::create_private_connect::CreatePrivateConnectInput;

const ZENLAYER_RESPONSE: &str = r#"{"requestId":"T05992D0C-7E8B-4047-B0C0-780F2CD549D3","response":{"requestId":"T98044459-95B2-477E-9A2F-00253A70CC6E","privateConnectId":"pc-123"}}"#;
const ALIBABA_RESPONSE: &str = r#"{"RequestId":"0ED8D006-F706-4D23-88ED-E11ED28DCAC0"}"#;
const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
const ACCESS_KEY_SECRET: &str = "SECRETEXAMPLE";

/// Where action `I` of a service with `api_version` is sent.
fn target<'a, I: Action>(url: &'a reqwest::Url, api_version: &'static str) -> Target<'a> {
    Target {
        url,
        action: I::ACTION,
        api_version,
        user_agent: "bench",
    }
}

fn zenlayer_target(url: &reqwest::Url) -> Target<'_> {
    target::<CreatePrivateConnectInput>(url, zenlayer_sdn::SERVICE.api_version)
}

fn alibaba_target(url: &reqwest::Url) -> Target<'_> {
    target::<DeletePhysicalConnectionInput>(url, alibaba_vpc::SERVICE.api_version)
}

fn zenlayer_input() -> CreatePrivateConnectInput {
    use zenlayer_sdn::types::CreateEndpointParam;
    let endpoint = |port: &str, vlan: i32| {
        let mut e = CreateEndpointParam::new();
        e.port_id = Some(port.to_string());
        e.vlan_id = Some(vlan);
        e
    };
    let mut input = CreatePrivateConnectInput::new(endpoint("port-a", 1001));
    input.endpoint_z = Some(endpoint("port-z", 2001));
    input.private_connect_name = Some("fra-sel-private-line".to_string());
    input.bandwidth_mbps = Some(10);
    input
}

fn alibaba_input() -> DeletePhysicalConnectionInput {
    let mut input = DeletePhysicalConnectionInput::new("cn-shanghai", "pc-119mfjzm7");
    input.client_token = Some("02fb3da4-130e-11e9-8e44-0016e04115b".to_string());
    input
}

#[inline(never)]
fn zenlayer_call(url: &reqwest::Url, credentials: &Credentials) -> usize {
    let input = zenlayer_input();
    input.validate().expect("valid input");
    let body = Writer::json(&input);
    let signed =
        protocol::zenlayer::request(&zenlayer_target(url), body, credentials, &Stamp::now());
    let response = RawResponse::json(200, ZENLAYER_RESPONSE);
    let output =
        wire::parse_response::<CreatePrivateConnectInput>(&zenlayer_sdn::SERVICE, &response)
            .expect("parses");
    signed.headers.len() + output.private_connect_id.map_or(0, |id| id.len())
}

#[inline(never)]
fn alibaba_call(url: &reqwest::Url, credentials: &Credentials) -> usize {
    let input = alibaba_input();
    input.validate().expect("valid input");
    // As the client encodes it (`Wire::encode`): query and form apart.
    let params = Writer::rpc(&input);
    let signed = protocol::alibaba::request(
        &alibaba_target(url),
        params,
        credentials,
        AlibabaSignature::Acs3HmacSha256,
        &Stamp::now(),
    );
    let response = RawResponse::json(200, ALIBABA_RESPONSE);
    let output =
        wire::parse_response::<DeletePhysicalConnectionInput>(&alibaba_vpc::SERVICE, &response)
            .expect("parses");
    signed.url.len() + output.request_id.map_or(0, |id| id.len())
}

/// The bytes one signature hashes: the payload, the CanonicalRequest, and
/// the StringToSign that the HMAC covers.
struct SignedBytes {
    payload: Vec<u8>,
    canonical_request: String,
    string_to_sign: String,
}

/// The value of header `name` in a signed request.
fn header<'a>(signed: &'a request::SignedRequest, name: &str) -> &'a str {
    signed
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref())
        .expect("header present")
}

/// What the benchmarked Zenlayer call hashes, checked against the request it builds.
fn zenlayer_signed_bytes(url: &reqwest::Url, credentials: &Credentials) -> SignedBytes {
    let body = Writer::json(&zenlayer_input());
    let signed = protocol::zenlayer::request(
        &zenlayer_target(url),
        body.clone(),
        credentials,
        &Stamp::now(),
    );
    let signature = zc2::sign(&zc2::Zc2Input {
        access_key_id: ACCESS_KEY_ID,
        access_key_password: ACCESS_KEY_SECRET,
        content_type: header(&signed, "content-type"),
        host: &request::host_of(url),
        timestamp: header(&signed, "x-zc-timestamp"),
        body: &body,
    });
    assert_eq!(signature.authorization, header(&signed, "authorization"));
    SignedBytes {
        payload: body,
        canonical_request: signature.canonical_request,
        string_to_sign: signature.string_to_sign,
    }
}

/// What the benchmarked Alibaba ACS3 call hashes, checked against the request it builds.
fn alibaba_signed_bytes(url: &reqwest::Url, credentials: &Credentials) -> SignedBytes {
    let params = Writer::query(&alibaba_input());
    let signed = protocol::alibaba::request(
        &alibaba_target(url),
        params.clone(),
        credentials,
        AlibabaSignature::Acs3HmacSha256,
        &Stamp::now(),
    );
    let mut headers = vec![("host".to_string(), request::host_of(url).into_owned())];
    headers.extend(
        (signed.headers.iter())
            .filter(|(name, _)| acs3::is_signed_header(name))
            .map(|(name, value)| (name.to_string(), value.to_string())),
    );
    let signature = acs3::sign(&acs3::Acs3Input {
        method: request::METHOD,
        canonical_uri: url.path(),
        query: &params,
        headers: &headers,
        payload_hash: header(&signed, "x-acs-content-sha256"),
        access_key_id: ACCESS_KEY_ID,
        access_key_secret: ACCESS_KEY_SECRET,
    });
    assert_eq!(signature.authorization, header(&signed, "authorization"));
    SignedBytes {
        payload: signed.body,
        canonical_request: signature.canonical_request,
        string_to_sign: format!("{}\n{}", acs3::ALGORITHM, signature.canonical_request_hash),
    }
}

/// The cryptographic floor of one signature: hash the payload, hash the
/// CanonicalRequest, HMAC the StringToSign. The hashes are not hex-encoded
/// and the StringToSign is not rebuilt: only the digest work is timed.
fn crypto_floor(bytes: &SignedBytes) -> ([u8; 32], [u8; 32], [u8; 32]) {
    let payload_hash = Sha256::digest(&bytes.payload);
    let request_hash = Sha256::digest(bytes.canonical_request.as_bytes());
    let mut mac =
        Hmac::<Sha256>::new_from_slice(ACCESS_KEY_SECRET.as_bytes()).expect("any key length");
    mac.update(bytes.string_to_sign.as_bytes());
    (
        payload_hash.into(),
        request_hash.into(),
        mac.finalize().into_bytes().into(),
    )
}

/// Iterations of one side timed in a row before the other side's turn.
const CHUNK: u64 = 32;

/// The call and its floor timed in alternating chunks of [`CHUNK`]
/// iterations: criterion times the call this way, and the median over every
/// chunk (warm-up included) of the call chunk's time over the next floor
/// chunk's is printed after. A change of the machine's speed, or another
/// process taking the core for a while, then moves one pair of chunks, not
/// the figure.
fn interleaved<C: Fn() -> usize, F: Fn() -> ([u8; 32], [u8; 32], [u8; 32])>(
    c: &mut Criterion,
    name: &str,
    call: C,
    floor: F,
) {
    let ratios = std::cell::RefCell::new(Vec::new());
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut call_time = std::time::Duration::ZERO;
            let mut done = 0;
            while done < iters {
                let n = CHUNK.min(iters - done);
                let start = std::time::Instant::now();
                (0..n).for_each(|_| {
                    black_box(call());
                });
                let call_chunk = start.elapsed();
                let start = std::time::Instant::now();
                (0..n).for_each(|_| {
                    black_box(floor());
                });
                let floor_chunk = start.elapsed();
                ratios
                    .borrow_mut()
                    .push(call_chunk.as_secs_f64() / floor_chunk.as_secs_f64());
                call_time += call_chunk;
                done += n;
            }
            call_time
        })
    });
    let mut ratios = ratios.into_inner();
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "{name}: call / floor, median of {} interleaved chunk pairs: {median:.2}x",
        ratios.len()
    );
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::access_key(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
    let zenlayer_url = reqwest::Url::parse("https://console.zenlayer.com/api/v2/sdn").expect("url");
    let alibaba_url = reqwest::Url::parse("https://vpc.cn-shanghai.aliyuncs.com/").expect("url");
    c.bench_function(
        "zenlayer CreatePrivateConnect: build+validate+serialize+sign+parse",
        |b| b.iter(|| black_box(zenlayer_call(black_box(&zenlayer_url), &credentials))),
    );
    c.bench_function(
        "alibaba DeletePhysicalConnection: build+validate+serialize+sign+parse",
        |b| b.iter(|| black_box(alibaba_call(black_box(&alibaba_url), &credentials))),
    );
    let zenlayer_bytes = zenlayer_signed_bytes(&zenlayer_url, &credentials);
    c.bench_function(
        "zenlayer floor: SHA-256(body) + SHA-256(CanonicalRequest) + HMAC(StringToSign)",
        |b| b.iter(|| black_box(crypto_floor(black_box(&zenlayer_bytes)))),
    );
    let alibaba_bytes = alibaba_signed_bytes(&alibaba_url, &credentials);
    c.bench_function(
        "alibaba floor: SHA-256(empty) + SHA-256(CanonicalRequest) + HMAC(StringToSign)",
        |b| b.iter(|| black_box(crypto_floor(black_box(&alibaba_bytes)))),
    );
    interleaved(
        c,
        "zenlayer CreatePrivateConnect, interleaved with its floor",
        || zenlayer_call(black_box(&zenlayer_url), &credentials),
        || crypto_floor(black_box(&zenlayer_bytes)),
    );
    interleaved(
        c,
        "alibaba DeletePhysicalConnection, interleaved with its floor",
        || alibaba_call(black_box(&alibaba_url), &credentials),
        || crypto_floor(black_box(&alibaba_bytes)),
    );
}

criterion_group!(overhead, benches);
criterion_main!(overhead);
