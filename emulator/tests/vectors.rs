//! The signature algorithms against the vendors' published test vectors
//! (`zenlayer-sdn.md` §2.1, `alibaba-vpc.md` §2.3): the emulator rejects a
//! request exactly when the vendor would only if these hold.

use truebind_emulator::signature::{
    acs3_signature, rpc_v1_signature, sha256_hex, zc2_authorization,
};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn zc2_reproduces_the_official_example_and_the_sdn_vectors() {
    let official = zc2_authorization(
        "0D9UtpyKYcHxms5v",
        "Gu5t9xGARNpq86cd98joQYCN3",
        "application/json; charset=utf-8",
        "console.zenlayer.com",
        "1673361177",
        br#"{"pageSize":10,"pageNum":1,"zoneId":"HKG-A"}"#,
    );
    assert!(
        official.ends_with(
            "Signature=efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f"
        ),
        "{official}"
    );
    for (body, signature) in [
        (
            "{}",
            "6ffc6030824189b11854c0993d65b36666d199483c552d34854201f4abd57428",
        ),
        (
            r#"{"portIds":["port-123"]}"#,
            "be5746b241114ee372bb7539cda8e01ae97f70c10ee5b33d375b7ac85c7887ae",
        ),
        (
            r#"{"privateConnectId":"pc-123"}"#,
            "7773428a6b23aadcbc3399bb9afc792601142654fe73b2cf84a96be0f199a892",
        ),
    ] {
        let got = zc2_authorization(
            "AKIDEXAMPLE",
            "SECRETEXAMPLE",
            "application/json",
            "console.zenlayer.com",
            "1700000000",
            body.as_bytes(),
        );
        assert_eq!(
            got,
            format!(
                "ZC2-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=content-type;host, Signature={signature}"
            )
        );
    }
}

#[test]
fn rpc_v1_reproduces_the_official_vectors() {
    let doc = pairs(&[
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
        rpc_v1_signature("GET", &doc, "testsecret"),
        "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
    );
    assert_eq!(
        rpc_v1_signature("", &pairs(&[("test", "ok")]), "accessKeySecret"),
        "jHx/oHoHNrbVfhncHEvPdHXZwHU="
    );
    assert_eq!(
        rpc_v1_signature(
            "GET",
            &pairs(&[("query", "test"), ("body", "test")]),
            "secret"
        ),
        "XlUyV4sXjOuX5FnjUz9IF9tm5rU="
    );
}

#[test]
fn rpc_v1_reproduces_the_vpc_vectors() {
    let common = [
        ("AccessKeyId", "testid"),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2023-03-13T08:34:30Z"),
        ("Version", "2016-04-28"),
    ];
    let mut delete = pairs(&common);
    delete.extend(pairs(&[
        ("Action", "DeletePhysicalConnection"),
        ("ClientToken", "02fb3da4-130e-11e9-8e44-0016e04115b"),
        ("PhysicalConnectionId", "pc-119mfjzm7"),
        ("RegionId", "cn-shanghai"),
    ]));
    assert_eq!(
        rpc_v1_signature("POST", &delete, "testsecret"),
        "CGDiduoOu/OhU7Lp1vEs0/anMEM="
    );
    assert_eq!(
        rpc_v1_signature("GET", &delete, "testsecret"),
        "SbmqrT0l6jH8UNUjepL9evCn00s="
    );
    let mut describe = pairs(&common);
    describe.extend(pairs(&[
        ("Action", "DescribePhysicalConnections"),
        ("RegionId", "cn-hangzhou"),
        ("Filter.1.Key", "Status"),
        ("Filter.1.Value.1", "Enabled"),
        ("Filter.1.Value.2", "Allocation Failed"),
        ("PageNumber", "1"),
        ("PageSize", "50"),
    ]));
    assert_eq!(
        rpc_v1_signature("POST", &describe, "testsecret"),
        "SP7L+5ZrvNssR3wmyG7X2l6bETM="
    );
}

fn acs3_headers(host: &str, action: &str, version: &str) -> Vec<(String, String)> {
    pairs(&[
        ("host", host),
        ("x-acs-action", action),
        ("x-acs-content-sha256", &sha256_hex(b"")),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-version", version),
    ])
}

const ACS3_SIGNED: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

#[test]
fn acs3_reproduces_the_official_example_and_the_vpc_vector() {
    let query = pairs(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ]);
    let headers = acs3_headers("ecs.cn-shanghai.aliyuncs.com", "RunInstances", "2014-05-26");
    let (hashed, signature) = acs3_signature(
        "POST",
        "/",
        &query,
        &headers,
        ACS3_SIGNED,
        &sha256_hex(b""),
        "YourAccessKeySecret",
    );
    assert_eq!(
        hashed,
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        signature,
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );

    let query = pairs(&[
        ("ClientToken", "02fb3da4-130e-11e9-8e44-0016e04115b"),
        ("PhysicalConnectionId", "pc-119mfjzm7"),
        ("RegionId", "cn-shanghai"),
    ]);
    let headers = acs3_headers(
        "vpc.cn-shanghai.aliyuncs.com",
        "DeletePhysicalConnection",
        "2016-04-28",
    );
    let (hashed, signature) = acs3_signature(
        "POST",
        "/",
        &query,
        &headers,
        ACS3_SIGNED,
        &sha256_hex(b""),
        "YourAccessKeySecret",
    );
    assert_eq!(
        hashed,
        "606bf351d985784ad32a29f59fcaad54ca91360c98435d6952d29fcb80dbd35a"
    );
    assert_eq!(
        signature,
        "e40e8470a8eb9215e45f745b6494a2d89e6f8e2025a59e4f7f3e82d3b4147dc7"
    );
}

#[test]
fn acs3_reproduces_the_java_sdk_vector() {
    let query = pairs(&[("test", "ok"), ("empty", "")]);
    let headers = pairs(&[("x-acs-test", "http")]);
    let (_, signature) = acs3_signature(
        "GET",
        "/",
        &query,
        &headers,
        &["x-acs-test"],
        "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
        "secret",
    );
    assert_eq!(
        signature,
        "02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7"
    );
}
