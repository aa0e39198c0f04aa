//! Signing test vectors.
//!
//! Every expected value below is copied from a published source (official
//! documentation or an official SDK's unit test) or, where marked
//! "regression", from the project reference notes
//! (`/work/shared/reference/zenlayer-sdn.md` §2.1 and
//! `/work/shared/reference/alibaba-vpc.md` §2.3), which record values produced
//! by independent signers. None of them is produced by this crate.

use truebind_runtime::encode::RpcParams;
use truebind_runtime::sign::{acs3, encode, rpc_v1, sha256_hex, zc2};
use truebind_runtime::{AlibabaSignature, Credentials, protocol, request};

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------
// Zenlayer ZC2-HMAC-SHA256
// ---------------------------------------------------------------------------

/// Official Zenlayer doc example (DescribeInstances, bmc).
/// Source: https://docs.console.zenlayer.com/api-reference/api-introduction/instruction/sign
/// (signature and Authorization); intermediate hashes from the Chinese
/// edition of the same page ("签名方法 v2").
#[test]
fn zc2_official_doc_example() {
    let sig = zc2::sign(&zc2::Zc2Input {
        access_key_id: "0D9UtpyKYcHxms5v",
        access_key_password: "Gu5t9xGARNpq86cd98joQYCN3",
        content_type: "application/json; charset=utf-8",
        host: "console.zenlayer.com",
        timestamp: "1673361177",
        body: br#"{"pageSize":10,"pageNum":1,"zoneId":"HKG-A"}"#,
    });
    assert_eq!(
        sig.payload_hash,
        "5f714687ba91c606d503467766151206392474accd137ffea6dce2420b67c29a"
    );
    assert_eq!(
        sig.canonical_request_hash,
        "29396f9dfa0f03820b931e8aa06e20cda197e73285ebd76aceb83f7dede493ee"
    );
    assert_eq!(
        sig.signature,
        "efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f"
    );
    assert_eq!(
        sig.authorization,
        "ZC2-HMAC-SHA256 Credential=0D9UtpyKYcHxms5v, SignedHeaders=content-type;host, \
         Signature=efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f"
    );
    // Layout from the documented algorithm (reference §2, steps 2-5): URI `/`,
    // empty query, blank line after the headers.
    assert_eq!(
        sig.canonical_request,
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:console.zenlayer.com\n\n\
         content-type;host\n5f714687ba91c606d503467766151206392474accd137ffea6dce2420b67c29a"
    );
    assert_eq!(
        sig.string_to_sign,
        "ZC2-HMAC-SHA256\n1673361177\n\
         29396f9dfa0f03820b931e8aa06e20cda197e73285ebd76aceb83f7dede493ee"
    );
    assert_eq!(zc2::ALGORITHM, "ZC2-HMAC-SHA256");
}

fn zc2_sdn(body: &[u8]) -> zc2::Zc2Signature {
    zc2::sign(&zc2::Zc2Input {
        access_key_id: "AKIDEXAMPLE",
        access_key_password: "SECRETEXAMPLE",
        content_type: "application/json",
        host: "console.zenlayer.com",
        timestamp: "1700000000",
        body,
    })
}

/// Zenlayer SDN regression vector 1 (body `{}`), produced with the official
/// Python SDK signer. Source: reference zenlayer-sdn.md §2.1.
#[test]
fn zc2_sdn_regression_empty_body() {
    let sig = zc2_sdn(b"{}");
    assert_eq!(
        sig.payload_hash,
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    );
    assert_eq!(
        sig.canonical_request_hash,
        "2eb6d40a6d77fe762274e366f8d05626427e80b1c9e1a816d9c08676d12257a4"
    );
    assert_eq!(
        sig.signature,
        "6ffc6030824189b11854c0993d65b36666d199483c552d34854201f4abd57428"
    );
    assert_eq!(
        sig.authorization,
        "ZC2-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=content-type;host, \
         Signature=6ffc6030824189b11854c0993d65b36666d199483c552d34854201f4abd57428"
    );
}

/// Zenlayer SDN regression vector 2 (body `{"portIds":["port-123"]}`).
/// Source: reference zenlayer-sdn.md §2.1.
#[test]
fn zc2_sdn_regression_port_ids() {
    let sig = zc2_sdn(br#"{"portIds":["port-123"]}"#);
    assert_eq!(
        sig.payload_hash,
        "e3c208b36115217eac5dca458209c05304df8ed70a905d47f9248328eb7765f7"
    );
    assert_eq!(
        sig.canonical_request_hash,
        "79103b43350b5541aae412c2aa63a9bdf044f2ad36b026cf07441f7f0d518629"
    );
    assert_eq!(
        sig.signature,
        "be5746b241114ee372bb7539cda8e01ae97f70c10ee5b33d375b7ac85c7887ae"
    );
}

/// Zenlayer SDN regression vector 3 (body `{"privateConnectId":"pc-123"}`).
/// Source: reference zenlayer-sdn.md §2.1.
#[test]
fn zc2_sdn_regression_private_connect_id() {
    let sig = zc2_sdn(br#"{"privateConnectId":"pc-123"}"#);
    assert_eq!(
        sig.payload_hash,
        "9cd7ba40ce939045a4e52189d85d5bf6d331990ef21fc27c0267ab157a752422"
    );
    assert_eq!(
        sig.canonical_request_hash,
        "17d2f4244fd8cf80bb58738fa1f3ff2463df5e35f3c7723358cda6eb54213424"
    );
    assert_eq!(
        sig.signature,
        "7773428a6b23aadcbc3399bb9afc792601142654fe73b2cf84a96be0f199a892"
    );
}

// ---------------------------------------------------------------------------
// Alibaba legacy RPC HMAC-SHA1
// ---------------------------------------------------------------------------

/// Alibaba HMAC-SHA1 vector 1: official doc example (DescribeDedicatedHosts).
/// Source: https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism;
/// reference alibaba-vpc.md §2.3.
#[test]
fn rpc_v1_vector1_official_doc_describe_dedicated_hosts() {
    let p = params(&[
        ("AccessKeyId", "testid"),
        ("Action", "DescribeDedicatedHosts"),
        ("Format", "JSON"),
        ("RegionId", "cn-beijing"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2023-03-13T08:34:30Z"),
        ("Version", "2014-05-26"),
    ]);
    assert_eq!(
        rpc_v1::string_to_sign("GET", &p),
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON\
         %26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1\
         %26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0\
         %26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26"
    );
    // The doc's key is `testsecret&`: `sign` appends the `&` itself.
    assert_eq!(
        rpc_v1::sign("GET", &p, "testsecret"),
        "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
    );
    // Same vector via the primitive with the doc's literal key.
    assert_eq!(
        rpc_v1::hmac_sha1_base64("testsecret&", &rpc_v1::string_to_sign("GET", &p)),
        "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
    );
}

/// Alibaba HMAC-SHA1 vector 1 with the parameters supplied out of order: the
/// canonicalization must sort them, so the published value still comes out.
#[test]
fn rpc_v1_vector1_input_order_irrelevant() {
    let p = params(&[
        ("Version", "2014-05-26"),
        ("Timestamp", "2023-03-13T08:34:30Z"),
        ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
        ("RegionId", "cn-beijing"),
        ("Action", "DescribeDedicatedHosts"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("Format", "JSON"),
    ]);
    assert_eq!(
        rpc_v1::sign("GET", &p, "testsecret"),
        "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
    );
}

/// Alibaba HMAC-SHA1 vector 2: Go/TS SDK unit test (empty method).
/// Source: aliyun/darabonba-openapi-util golang/service/service_test.go
/// `Test_GetRPCSignature`; darabonba-openapi ts/test/util.spec.ts.
#[test]
fn rpc_v1_vector2_go_sdk_empty_method() {
    let p = params(&[("test", "ok")]);
    assert_eq!(rpc_v1::string_to_sign("", &p), "&%2F&test%3Dok");
    assert_eq!(
        rpc_v1::sign("", &p, "accessKeySecret"),
        "jHx/oHoHNrbVfhncHEvPdHXZwHU="
    );
}

/// Alibaba HMAC-SHA1 vector 3: Python/Java SDK unit test.
/// Source: aliyun/darabonba-openapi-util python/tests/test_client.py and
/// java/.../ClientTest.java `getRPCSignatureTest`.
#[test]
fn rpc_v1_vector3_python_java_sdk() {
    let p = params(&[("query", "test"), ("body", "test")]);
    assert_eq!(encode::canonical_query(&p), "body=test&query=test");
    assert_eq!(
        rpc_v1::string_to_sign("GET", &p),
        "GET&%2F&body%3Dtest%26query%3Dtest"
    );
    assert_eq!(
        rpc_v1::sign("GET", &p, "secret"),
        "XlUyV4sXjOuX5FnjUz9IF9tm5rU="
    );
}

/// Alibaba HMAC-SHA1 vector 4: Java core HMAC primitive, key used as given.
/// Source: aliyun/aliyun-openapi-java-sdk aliyun-java-sdk-core
/// HmacSHA1SignerTest.java @ 4181d7a (`signString("abc~!@#", "sk#$!~~~")`).
#[test]
fn rpc_v1_vector4_java_core_hmac_primitive() {
    assert_eq!(
        rpc_v1::hmac_sha1_base64("sk#$!~~~", "abc~!@#"),
        "7eV3A584uvdgKVk8Ck8r9ukg1gE="
    );
}

fn vpc_delete_params() -> Vec<(String, String)> {
    params(&[
        ("AccessKeyId", "testid"),
        ("Action", "DeletePhysicalConnection"),
        ("ClientToken", "02fb3da4-130e-11e9-8e44-0016e04115b"),
        ("Format", "JSON"),
        ("PhysicalConnectionId", "pc-119mfjzm7"),
        ("RegionId", "cn-shanghai"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2023-03-13T08:34:30Z"),
        ("Version", "2016-04-28"),
    ])
}

/// Alibaba VPC HMAC-SHA1 regression vector: DeletePhysicalConnection, POST.
/// Source: reference alibaba-vpc.md §2.3 (regression, not official).
#[test]
fn rpc_v1_vpc_regression_delete_physical_connection_post() {
    assert_eq!(
        rpc_v1::sign("POST", &vpc_delete_params(), "testsecret"),
        "CGDiduoOu/OhU7Lp1vEs0/anMEM="
    );
}

/// Alibaba VPC HMAC-SHA1 regression vector: DeletePhysicalConnection, GET.
/// Source: reference alibaba-vpc.md §2.3 (regression, not official).
#[test]
fn rpc_v1_vpc_regression_delete_physical_connection_get() {
    assert_eq!(
        rpc_v1::sign("GET", &vpc_delete_params(), "testsecret"),
        "SbmqrT0l6jH8UNUjepL9evCn00s="
    );
}

/// Alibaba VPC HMAC-SHA1 regression vector: DescribePhysicalConnections with a
/// `Allocation Failed` filter value (space → `%20`, `%2520` after the second
/// encoding). Source: reference alibaba-vpc.md §2.3 (regression, not official).
#[test]
fn rpc_v1_vpc_regression_describe_physical_connections_allocation_failed() {
    let p = params(&[
        ("AccessKeyId", "testid"),
        ("Action", "DescribePhysicalConnections"),
        ("Filter.1.Key", "Status"),
        ("Filter.1.Value.1", "Enabled"),
        ("Filter.1.Value.2", "Allocation Failed"),
        ("Format", "JSON"),
        ("PageNumber", "1"),
        ("PageSize", "50"),
        ("RegionId", "cn-hangzhou"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2023-03-13T08:34:30Z"),
        ("Version", "2016-04-28"),
    ]);
    let sts = rpc_v1::string_to_sign("POST", &p);
    assert!(
        sts.contains("Filter.1.Value.2%3DAllocation%2520Failed"),
        "{sts}"
    );
    assert_eq!(
        rpc_v1::sign("POST", &p, "testsecret"),
        "SP7L+5ZrvNssR3wmyG7X2l6bETM="
    );
}

// ---------------------------------------------------------------------------
// Alibaba ACS3-HMAC-SHA256
// ---------------------------------------------------------------------------

fn vector5_query() -> Vec<(String, String)> {
    params(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ])
}

const V5_AUTHORIZATION: &str = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
    SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;\
    x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";

/// ACS3 vector 5: official doc example (RunInstances).
/// Source: https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
#[test]
fn acs3_vector5_official_doc_run_instances() {
    let headers = params(&[
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-content-sha256", acs3::EMPTY_PAYLOAD_SHA256),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-version", "2014-05-26"),
    ]);
    let query = vector5_query();
    let sig = acs3::sign(&acs3::Acs3Input {
        method: "POST",
        canonical_uri: "/",
        query: &query,
        headers: &headers,
        payload_hash: acs3::EMPTY_PAYLOAD_SHA256,
        access_key_id: "YourAccessKeyId",
        access_key_secret: "YourAccessKeySecret",
    });
    assert_eq!(
        sig.canonical_request_hash,
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        sig.signature,
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(
        sig.signed_headers,
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    );
    assert_eq!(sig.authorization, V5_AUTHORIZATION);
    assert!(sig.canonical_request.starts_with(
        "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\n"
    ));
}

/// ACS3 vector 5 again, but with header names in mixed case, headers and
/// query in a different order, padded values and extra unsigned headers
/// (`accept`, `user-agent`, `Authorization`): the canonicalization must
/// still yield the published signature.
#[test]
fn acs3_vector5_unordered_mixed_case_with_unsigned_headers() {
    let headers = params(&[
        (
            "User-Agent",
            "AlibabaCloud (linux; amd64) Rust/1 Core/0.01 TeaDSL/2",
        ),
        ("X-Acs-Version", "2014-05-26"),
        (
            "x-acs-signature-nonce",
            " 3156853299f313e23d1673dc12e1703d ",
        ),
        ("Accept", "application/json"),
        ("X-ACS-DATE", "2023-10-26T10:22:32Z"),
        ("x-acs-content-sha256", acs3::EMPTY_PAYLOAD_SHA256),
        ("Host", "ecs.cn-shanghai.aliyuncs.com"),
        ("Authorization", "ignored"),
        ("x-acs-action", "RunInstances"),
    ]);
    let mut query = vector5_query();
    query.reverse();
    let sig = acs3::sign(&acs3::Acs3Input {
        method: "POST",
        canonical_uri: "/",
        query: &query,
        headers: &headers,
        payload_hash: acs3::EMPTY_PAYLOAD_SHA256,
        access_key_id: "YourAccessKeyId",
        access_key_secret: "YourAccessKeySecret",
    });
    assert_eq!(
        sig.canonical_request_hash,
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(sig.authorization, V5_AUTHORIZATION);
}

/// Shared inputs of the SDK `GetAuthorization` unit tests (vectors 6–8):
/// query `{test: ok, empty: ""}`, payload hash = SM3("test"), AK `acesskey`
/// (sic), secret `secret`.
fn sdk_vector(
    method: &str,
    canonical_uri: &str,
    headers: &[(String, String)],
) -> acs3::Acs3Signature {
    let query = params(&[("test", "ok"), ("empty", "")]);
    acs3::sign(&acs3::Acs3Input {
        method,
        canonical_uri,
        query: &query,
        headers,
        payload_hash: "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
        access_key_id: "acesskey",
        access_key_secret: "secret",
    })
}

/// ACS3 vector 6: Java SDK unit test. The test puts `x-acs-test: http` and
/// `x-acs-TEST: https` in a HashMap; the Java signer ends up with only
/// `x-acs-test:http` (method defaults to GET, path `/`).
/// Source: aliyun/darabonba-openapi-util java/.../ClientTest.java
/// `getAuthorizationTest`.
#[test]
fn acs3_vector6_java_sdk_single_header() {
    let sig = sdk_vector("GET", "/", &params(&[("x-acs-test", "http")]));
    assert!(sig.canonical_request.contains("\nempty=&test=ok\n"));
    assert_eq!(
        sig.authorization,
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,\
         Signature=02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7"
    );
}

/// ACS3 vector 7: Python SDK unit test; method GET, both duplicate headers
/// kept and combined as `x-acs-test:http,https`.
/// Source: aliyun/darabonba-openapi-util python/tests/test_client.py
/// `test_get_authorization`.
#[test]
fn acs3_vector7_python_sdk_duplicate_headers() {
    let sig = sdk_vector(
        "GET",
        "/",
        &params(&[("x-acs-test", "http"), ("x-acs-TEST", "https")]),
    );
    assert!(sig.canonical_request.contains("\nx-acs-test:http,https\n"));
    assert_eq!(
        sig.authorization,
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,\
         Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"
    );
}

/// ACS3 vector 8: Go SDK unit test; method unset (empty string), pathname
/// `""` (signed as `/`), both duplicate headers combined.
/// Source: aliyun/darabonba-openapi-util golang/service/service_test.go
/// `Test_GetAuthorization` (same test in darabonba-openapi
/// golang/utils/client_test.go).
#[test]
fn acs3_vector8_go_sdk_empty_method_and_path() {
    let sig = sdk_vector(
        "",
        "",
        &params(&[("x-acs-test", "http"), ("x-acs-TEST", "https")]),
    );
    assert_eq!(
        sig.authorization,
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,\
         Signature=4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
    );
    // Go map iteration order is random, so the test's expectation must hold
    // whichever duplicate comes first.
    let reversed = sdk_vector(
        "",
        "",
        &params(&[("x-acs-TEST", "https"), ("x-acs-test", "http")]),
    );
    assert_eq!(
        reversed.signature,
        "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
    );
}

/// ACS3 VPC regression vector: DeletePhysicalConnection (date, nonce and
/// credentials from the official vector 5).
/// Source: reference alibaba-vpc.md §2.3 (regression, not official).
#[test]
fn acs3_vpc_regression_delete_physical_connection() {
    let query = params(&[
        ("ClientToken", "02fb3da4-130e-11e9-8e44-0016e04115b"),
        ("PhysicalConnectionId", "pc-119mfjzm7"),
        ("RegionId", "cn-shanghai"),
    ]);
    let headers = params(&[
        ("host", "vpc.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "DeletePhysicalConnection"),
        ("x-acs-content-sha256", acs3::EMPTY_PAYLOAD_SHA256),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-version", "2016-04-28"),
    ]);
    let sig = acs3::sign(&acs3::Acs3Input {
        method: "POST",
        canonical_uri: "/",
        query: &query,
        headers: &headers,
        payload_hash: acs3::EMPTY_PAYLOAD_SHA256,
        access_key_id: "YourAccessKeyId",
        access_key_secret: "YourAccessKeySecret",
    });
    // The reference labels this "StringToSign hash"; it is the hash that goes
    // into the StringToSign, i.e. hex(SHA256(CanonicalRequest)).
    assert_eq!(
        sig.canonical_request_hash,
        "606bf351d985784ad32a29f59fcaad54ca91360c98435d6952d29fcb80dbd35a"
    );
    assert_eq!(
        sig.signature,
        "e40e8470a8eb9215e45f745b6494a2d89e6f8e2025a59e4f7f3e82d3b4147dc7"
    );
}

/// Empty-body SHA-256 constant and the SHA-256("test") primitive.
/// Source: reference alibaba-vpc.md §2.2 and darabonba-openapi-util
/// golang/service/service_test.go `Test_HexEncode`.
#[test]
fn sha256_primitives() {
    assert_eq!(
        acs3::EMPTY_PAYLOAD_SHA256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(sha256_hex(b""), acs3::EMPTY_PAYLOAD_SHA256);
    assert_eq!(
        sha256_hex(b"test"),
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
    assert_eq!(acs3::ALGORITHM, "ACS3-HMAC-SHA256");
}

// ---------------------------------------------------------------------------
// Alibaba percent-encoding
// ---------------------------------------------------------------------------

/// `GetEncodeParam("a/b/c/ test")` = `a%2Fb%2Fc%2F%20test`.
/// Source: darabonba-openapi-util golang/service/service_test.go
/// `Test_GetEncodeParam` (same expectation in the Java, Python, C++ and Swift
/// tests).
#[test]
fn encode_get_encode_param_vector() {
    assert_eq!(encode::percent_encode("a/b/c/ test"), "a%2Fb%2Fc%2F%20test");
}

/// RFC 3986 rules as stated in https://www.alibabacloud.com/help/doc-detail/135037.htm
/// (reference alibaba-vpc.md §2.1 step 2): unreserved kept, `*` and `+`
/// escaped, space → `%20`, UTF-8 bytes with upper-case hex.
#[test]
fn encode_rfc3986_rules() {
    assert_eq!(
        encode::percent_encode("ABCXYZabcxyz0189-_.~"),
        "ABCXYZabcxyz0189-_.~"
    );
    assert_eq!(encode::percent_encode("~"), "~");
    assert_eq!(encode::percent_encode("*"), "%2A");
    assert_eq!(encode::percent_encode("+"), "%2B");
    assert_eq!(encode::percent_encode(" "), "%20");
    assert_eq!(encode::percent_encode("a b+c*d~e"), "a%20b%2Bc%2Ad~e");
    assert_eq!(encode::percent_encode("=&%:/"), "%3D%26%25%3A%2F");
    // Non-ASCII: UTF-8 bytes, upper-case hex.
    assert_eq!(encode::percent_encode("é"), "%C3%A9");
    assert_eq!(encode::percent_encode("中文"), "%E4%B8%AD%E6%96%87");
    assert_eq!(encode::percent_encode(""), "");
}

/// The signing inputs and results are public, so their `Debug` must not
/// print what `SignedRequest`'s hides: the secret, a security token (an
/// ACS3 canonical request holds `x-acs-security-token`) or a signature.
#[test]
fn signing_debug_output_hides_secrets_tokens_and_signatures() {
    let headers = params(&[
        ("host", "vpc.aliyuncs.com"),
        ("x-acs-security-token", "STS-TOKEN-SECRET"),
    ]);
    let acs3_input = acs3::Acs3Input {
        method: "POST",
        canonical_uri: "/",
        query: &params(&[]),
        headers: &headers,
        payload_hash: acs3::EMPTY_PAYLOAD_SHA256,
        access_key_id: "AKID",
        access_key_secret: "ACS3-KEY-SECRET",
    };
    let acs3_sig = acs3::sign(&acs3_input);
    let zc2_input = zc2::Zc2Input {
        access_key_id: "AKID",
        access_key_password: "ZC2-KEY-SECRET",
        content_type: "application/json",
        host: "console.zenlayer.com",
        timestamp: "1673361177",
        body: b"{}",
    };
    let zc2_sig = zc2::sign(&zc2_input);
    let shown = format!("{acs3_input:?} {acs3_sig:?} {zc2_input:?} {zc2_sig:?}");
    for secret in [
        "ACS3-KEY-SECRET",
        "STS-TOKEN-SECRET",
        "ZC2-KEY-SECRET",
        &acs3_sig.signature,
        &zc2_sig.signature,
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("AKID"), "{shown}");
}

// ---------------------------------------------------------------------------
// Alibaba RPC requests with form-body parameters
// ---------------------------------------------------------------------------

/// A `DeletePhysicalConnection` request as `protocol::alibaba::request` builds it at the
/// regression vector's time and nonce, with `RegionId` in the query and the
/// other operation parameters in a form body.
fn delete_with_form(scheme: AlibabaSignature) -> truebind_runtime::request::SignedRequest {
    let url = reqwest::Url::parse("https://vpc.cn-shanghai.aliyuncs.com/").unwrap();
    let target = request::Target {
        url: &url,
        action: "DeletePhysicalConnection",
        api_version: "2016-04-28",
        user_agent: "ua",
    };
    let stamp = request::Stamp {
        time: humantime::parse_rfc3339("2023-03-13T08:34:30Z").unwrap(),
        nonce: 0xedb2b34af0af9a6d14deaf7c1a5315eb,
    };
    let named = |pairs| params(pairs).into_iter().map(|(k, v)| (k.into(), v));
    let split = RpcParams {
        query: named(&[("RegionId", "cn-shanghai")]).collect(),
        form: named(&[
            ("PhysicalConnectionId", "pc-119mfjzm7"),
            ("ClientToken", "02fb3da4-130e-11e9-8e44-0016e04115b"),
        ])
        .collect(),
    };
    let credentials = Credentials::access_key("testid", "testsecret");
    protocol::alibaba::request(&target, split, &credentials, scheme, &stamp)
}

fn header<'a>(signed: &'a truebind_runtime::request::SignedRequest, name: &str) -> Option<&'a str> {
    let mut found = signed.headers.iter().filter(|(n, _)| n == name);
    found.next().map(|(_, v)| v.as_ref())
}

/// HMAC-SHA1 signs the form parameters with the query ones (alibaba-vpc.md
/// §1.3, §2.1 step 1): the same set as the DeletePhysicalConnection POST
/// regression vector, so the same signature, while the form parameters travel
/// only in the body.
#[test]
fn rpc_v1_form_parameters_are_signed_with_the_query_and_sent_in_the_body() {
    let signed = delete_with_form(AlibabaSignature::RpcHmacSha1);
    let query = signed.url.split_once('?').unwrap().1;
    assert!(
        query.contains("Signature=CGDiduoOu%2FOhU7Lp1vEs0%2FanMEM%3D"),
        "{query}"
    );
    assert!(query.contains("RegionId=cn-shanghai"), "{query}");
    assert!(!query.contains("PhysicalConnectionId"), "{query}");
    assert!(!query.contains("ClientToken"), "{query}");
    assert_eq!(
        String::from_utf8(signed.body.clone()).unwrap(),
        "ClientToken=02fb3da4-130e-11e9-8e44-0016e04115b&PhysicalConnectionId=pc-119mfjzm7"
    );
    assert_eq!(
        header(&signed, "content-type"),
        Some(protocol::alibaba::FORM_CONTENT_TYPE)
    );
}

/// ACS3 hashes the exact body bytes into `x-acs-content-sha256` and signs
/// `content-type` with the other headers (alibaba-vpc.md §2.2); the form
/// parameters stay out of the canonical query.
#[test]
fn acs3_signs_the_form_body_hash_and_its_content_type() {
    let signed = delete_with_form(AlibabaSignature::Acs3HmacSha256);
    let body = "ClientToken=02fb3da4-130e-11e9-8e44-0016e04115b&PhysicalConnectionId=pc-119mfjzm7";
    assert_eq!(String::from_utf8(signed.body.clone()).unwrap(), body);
    assert_eq!(
        signed.url,
        "https://vpc.cn-shanghai.aliyuncs.com/?RegionId=cn-shanghai"
    );
    assert_eq!(
        header(&signed, "x-acs-content-sha256"),
        Some(sha256_hex(body.as_bytes()).as_str())
    );
    let authorization = header(&signed, "authorization").unwrap();
    assert!(
        authorization.contains(
            "SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;\
             x-acs-signature-nonce;x-acs-version,"
        ),
        "{authorization}"
    );
    // The same request re-signed from what is sent (host restored, as the server sees it).
    let mut headers: Vec<(String, String)> = (signed.headers.iter())
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    headers.push(("host".into(), "vpc.cn-shanghai.aliyuncs.com".into()));
    let again = acs3::sign(&acs3::Acs3Input {
        method: "POST",
        canonical_uri: "/",
        query: &params(&[("RegionId", "cn-shanghai")]),
        headers: &headers,
        payload_hash: &sha256_hex(body.as_bytes()),
        access_key_id: "testid",
        access_key_secret: "testsecret",
    });
    assert_eq!(authorization, again.authorization);
}
