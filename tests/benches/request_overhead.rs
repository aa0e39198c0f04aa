//! Per-request overhead of the generated clients, without the network.
//!
//! One iteration is everything the client does for a call besides I/O:
//! build the input with its builder, check the documented limits, serialize
//! the wire form, stamp and sign the request, and parse a documented success
//! response. Beside it, the floor: the bare SHA-256 and HMAC work that the
//! signature needs anyway. Run: `cargo bench -p truebind-tests --bench request_overhead`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use truebind_runtime::request::{self, Stamp, Target};
use truebind_runtime::wire::{self, RawResponse};
use truebind_runtime::{AlibabaSignature, Credentials, Validate};

const ZENLAYER_RESPONSE: &str = r#"{"requestId":"T05992D0C-7E8B-4047-B0C0-780F2CD549D3","response":{"requestId":"T98044459-95B2-477E-9A2F-00253A70CC6E","privateConnectId":"pc-123"}}"#;
const ALIBABA_RESPONSE: &str = r#"{"RequestId":"0ED8D006-F706-4D23-88ED-E11ED28DCAC0"}"#;

fn zenlayer_call(url: &reqwest::Url, credentials: &Credentials) -> usize {
    use zenlayer_sdn::operation::create_private_connect::CreatePrivateConnectInput;
    use zenlayer_sdn::types::CreateEndpointParam;
    let input =
        CreatePrivateConnectInput::new(CreateEndpointParam::new().port_id("port-a").vlan_id(1001))
            .endpoint_z(CreateEndpointParam::new().port_id("port-z").vlan_id(2001))
            .private_connect_name("fra-sel-private-line")
            .bandwidth_mbps(10);
    input.validate().expect("valid input");
    let body = wire::zenlayer::body(&input).expect("serializable");
    let target = Target {
        url,
        action: "CreatePrivateConnect",
        api_version: "2026-04-01",
        user_agent: "bench",
    };
    let signed = request::zenlayer(&target, body, credentials, &Stamp::now());
    let response = RawResponse::json(200, ZENLAYER_RESPONSE);
    let output =
        wire::parse_response::<CreatePrivateConnectInput>(&zenlayer_sdn::SERVICE, &response)
            .expect("parses");
    signed.headers.len() + output.private_connect_id.map_or(0, |id| id.len())
}

fn alibaba_call(url: &reqwest::Url, credentials: &Credentials) -> usize {
    use alibaba_vpc::operation::delete_physical_connection::DeletePhysicalConnectionInput;
    let input = DeletePhysicalConnectionInput::new("cn-shanghai", "pc-119mfjzm7")
        .client_token("02fb3da4-130e-11e9-8e44-0016e04115b");
    input.validate().expect("valid input");
    let params = wire::alibaba::query(&input).expect("serializable");
    let target = Target {
        url,
        action: "DeletePhysicalConnection",
        api_version: "2016-04-28",
        user_agent: "bench",
    };
    let signed = request::alibaba(
        &target,
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

/// The cryptographic floor of one signature: hash the payload, hash the canonical request, one HMAC.
fn crypto_floor(payload: &[u8], canonical_request: &[u8]) -> [u8; 32] {
    let payload_hash = Sha256::digest(payload);
    let request_hash = Sha256::digest(canonical_request);
    let mut mac = Hmac::<Sha256>::new_from_slice(b"secret-key").expect("any key length works");
    mac.update(&payload_hash);
    mac.update(&request_hash);
    mac.finalize().into_bytes().into()
}

fn benches(c: &mut Criterion) {
    let credentials = Credentials::access_key("AKIDEXAMPLE", "SECRETEXAMPLE");
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
    let body = br#"{"endpointA":{"portId":"port-a","vlanId":1001},"endpointZ":{"portId":"port-z","vlanId":2001},"privateConnectName":"fra-sel-private-line","bandwidthMbps":10}"#;
    let canonical = vec![b'x'; 180];
    c.bench_function("crypto floor: 2 x SHA-256 + 1 HMAC-SHA256", |b| {
        b.iter(|| black_box(crypto_floor(black_box(body), black_box(&canonical))))
    });
}

criterion_group!(overhead, benches);
criterion_main!(overhead);
