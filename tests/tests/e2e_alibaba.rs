//! End-to-end tests of the generated `alibaba-vpc` client against a local
//! server ([`support::TestServer`]) that verifies ACS3-HMAC-SHA256 and the
//! legacy HMAC-SHA1 RPC signature with its own implementations and checks
//! each request against the published API facts (alibaba-vpc.md §1–4).
//!
//! They exist to prove over real HTTP that `alibaba_vpc::Client` sends
//! `DeletePhysicalConnection` the way Alibaba's gateway expects (parameters
//! in the query, `x-acs-*` headers, a signature the vendor algorithm
//! accepts), maps every documented error code to its typed variant, and
//! retries safely: the auto-filled `ClientToken` stays the same on every
//! attempt while the nonce and signature change, throttling codes are
//! retried and `x-acs-retry-after` sets the wait. The pure endpoint
//! resolution is pinned here too, since it decides where real traffic goes.

mod support;

use std::sync::Arc;
use std::time::Duration;
use truebind_runtime::ErrorMeta;

use alibaba_vpc::operation::CommonErrorKind;
use alibaba_vpc::operation::delete_physical_connection::{
    DeletePhysicalConnectionErrorKind, DeletePhysicalConnectionInput,
};
use support::alibaba::{error, ok};
use support::{
    ALIBABA_SIGNATURE_ERROR, Auth, EMPTY_SHA256, RecordingSleep, Reply, TestServer, alibaba_client,
    fast_retry, is_uuid_v4,
};
use truebind_runtime::{AlibabaSignature, Config, Credentials, SdkError, Secret};

const KEY_ID: &str = "LTAIe2eTestKeyId";
const KEY_SECRET: &str = "alibaba-e2e-secret";

/// A client of `server` signing with `secret`, its configuration changed by `adjust`.
fn client_with(
    server: &TestServer,
    secret: &str,
    adjust: impl FnOnce(Config) -> Config,
) -> (alibaba_vpc::Client, Arc<RecordingSleep>) {
    alibaba_client(server, Credentials::access_key(KEY_ID, secret), adjust)
}

fn client(server: &TestServer) -> (alibaba_vpc::Client, Arc<RecordingSleep>) {
    client_with(server, KEY_SECRET, |c| c)
}

fn input() -> DeletePhysicalConnectionInput {
    DeletePhysicalConnectionInput::new("cn-shanghai", "pc-119mfjzm7e2e")
}

// The server verifies with `truebind_emulator::signature` (support/sign.rs), whose
// published-vector tests are `emulator/tests/vectors.rs`.

#[tokio::test]
async fn delete_physical_connection_success_sends_the_documented_request() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![ok("D8A1E2F3-0000-4000-8000-0000000000AA")],
    )
    .await;
    let (client, sleep) = client(&server);

    let output = client
        .delete_physical_connection(input())
        .await
        .expect("success");

    assert_eq!(
        output.request_id.as_deref(),
        Some("D8A1E2F3-0000-4000-8000-0000000000AA")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.auth, Ok(()), "the server's own ACS3 check passed");
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/");
    assert!(sent.body.is_empty());
    assert_eq!(
        sent.header("content-length"),
        Some("0"),
        "the empty POST announces its length, as the official SDKs do"
    );
    let lengths = sent.headers.iter().filter(|(n, _)| n == "content-length");
    assert_eq!(lengths.count(), 1, "one Content-Length");
    assert_eq!(sent.param("RegionId"), Some("cn-shanghai"));
    assert_eq!(sent.param("PhysicalConnectionId"), Some("pc-119mfjzm7e2e"));
    let token = sent
        .param("ClientToken")
        .expect("a ClientToken was filled in");
    assert!(is_uuid_v4(token), "ClientToken {token:?} is a UUID v4");
    assert_eq!(
        sent.query.len(),
        3,
        "only the action's parameters: {:?}",
        sent.query
    );
    assert_eq!(
        sent.header("x-acs-action"),
        Some("DeletePhysicalConnection")
    );
    assert_eq!(sent.header("x-acs-version"), Some("2016-04-28"));
    assert_eq!(sent.header("x-acs-content-sha256"), Some(EMPTY_SHA256));
    assert_eq!(sent.header("accept"), Some("application/json"));
    let authorization = sent.header("authorization").unwrap();
    assert!(
        authorization.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={KEY_ID},SignedHeaders=host;x-acs-action;"
        )),
        "{authorization}"
    );
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn caller_client_token_is_sent_unchanged() {
    let server = TestServer::start(Auth::acs3(KEY_ID, KEY_SECRET), vec![ok("R-1")]).await;
    let (client, _) = client(&server);
    let token = "02fb3da4-130e-11e9-8e44-0016e04115b";
    let mut input = DeletePhysicalConnectionInput::new("cn-shanghai", "pc-1");
    input.client_token = Some(token.to_string());

    client
        .delete_physical_connection(input)
        .await
        .expect("success");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].param("ClientToken"), Some(token));
}

#[tokio::test]
async fn service_unavailable_is_retried_with_the_same_token_and_a_fresh_nonce() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![
            error(
                503,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
                "R-503",
            ),
            ok("R-after-503"),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    let output = client
        .delete_physical_connection(input())
        .await
        .expect("success after a retry");

    assert_eq!(output.request_id.as_deref(), Some("R-after-503"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (first, second) = (&requests[0], &requests[1]);
    assert!(
        first.auth.is_ok() && second.auth.is_ok(),
        "both attempts verify"
    );
    let token = first.param("ClientToken").unwrap();
    assert!(is_uuid_v4(token));
    assert_eq!(
        second.param("ClientToken"),
        Some(token),
        "same idempotency token"
    );
    assert_ne!(
        first.header("x-acs-signature-nonce"),
        second.header("x-acs-signature-nonce"),
        "a fresh nonce per attempt"
    );
    assert_ne!(
        first.header("authorization"),
        second.header("authorization"),
        "a fresh signature per attempt"
    );
    // x-acs-date has one-second resolution, so two attempts within the same
    // second legitimately share it; the server checked each one is current.
    assert!(first.header("x-acs-date").is_some() && second.header("x-acs-date").is_some());
    assert_eq!(sleep.waits().len(), 1);
}

#[tokio::test]
async fn each_documented_error_becomes_its_typed_variant() {
    use DeletePhysicalConnectionErrorKind as Kind;
    // The table of the current metadata (spec/alibaba-vpc/actions/DeletePhysicalConnection.yaml).
    let cases = [
        (
            400,
            "InvalidPhysicalConnectionId.NotMatched",
            Kind::InvalidPhysicalConnectionIdNotMatched,
        ),
        (400, "Forbidden.VBRExists", Kind::ForbiddenVbrExists),
        (
            400,
            "Forbidden.AssociateToVBR",
            Kind::ForbiddenAssociateToVbr,
        ),
        (
            400,
            "OperationDenied.NeedVpconnOwner",
            Kind::OperationDeniedNeedVpconnOwner,
        ),
        (
            400,
            "OperationDenied.NeedPconnOwner",
            Kind::OperationDeniedNeedPconnOwner,
        ),
        (
            400,
            "Forbidden.NotInAllowDeleteStatus",
            Kind::ForbiddenNotInAllowDeleteStatus,
        ),
        (
            400,
            "ResourceAlreadyAssociated.PconnQos",
            Kind::ResourceAlreadyAssociatedPconnQos,
        ),
        (
            400,
            "ResourceNotFound.PhysicalConnectionId",
            Kind::ResourceNotFoundPhysicalConnectionId,
        ),
        (
            400,
            "OperationDenied.NeedVpconnOwnerOrPconnOwner",
            Kind::OperationDeniedNeedVpconnOwnerOrPconnOwner,
        ),
        (
            400,
            "OperationDenied.ExistVbrInPhysicalConnection",
            Kind::OperationDeniedExistVbrInPhysicalConnection,
        ),
        (
            404,
            "InvalidPhysicalConnectionId.NotFound",
            Kind::InvalidPhysicalConnectionIdNotFound,
        ),
        // A code the table no longer lists (it did in 2024) is kept, as `Unhandled`.
        (400, "Forbidden.NotAllowedInState", Kind::Unhandled),
    ];
    let script = cases
        .iter()
        .map(|(status, code, _)| {
            error(
                *status,
                code,
                &format!("message of {code}"),
                &format!("R-{code}"),
            )
        })
        .collect();
    let server = TestServer::start(Auth::acs3(KEY_ID, KEY_SECRET), script).await;
    let (client, sleep) = client(&server);

    for (status, code, kind) in cases {
        let err = client
            .delete_physical_connection(input())
            .await
            .unwrap_err();
        let SdkError::Service(typed) = &err else {
            panic!("{code}: expected a service error, got {err:?}");
        };
        assert_eq!(typed.kind(), kind, "{code} arrived as {typed:?}");
        assert_eq!(typed.code(), code);
        assert_eq!(typed.message(), format!("message of {code}"));
        assert_eq!(typed.request_id(), Some(format!("R-{code}").as_str()));
        assert_eq!(truebind_runtime::ErrorMeta::meta(typed).status, status);
        let shown = err.to_string();
        assert!(
            shown.contains(code)
                && shown.contains(&format!("HTTP {status}"))
                && !shown.contains('\n'),
            "{shown}"
        );
    }
    assert_eq!(
        server.requests().len(),
        cases.len(),
        "4xx answers are never retried"
    );
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn throttling_user_code_is_retried() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![
            error(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
                "R-thr",
            ),
            ok("R-after-thr"),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    let output = client
        .delete_physical_connection(input())
        .await
        .expect("success after throttling");

    assert_eq!(output.request_id.as_deref(), Some("R-after-thr"));
    assert_eq!(server.requests().len(), 2);
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] >= Duration::from_millis(50) && waits[0] < Duration::from_millis(100));
}

#[tokio::test]
async fn throttling_forever_ends_in_throttled_after_max_attempts() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![error(
            400,
            "Throttling.Api",
            "Request was denied due to api flow control.",
            "R-thr-api",
        )],
    )
    .await;
    let (client, sleep) = client(&server);

    let err = client
        .delete_physical_connection(input())
        .await
        .unwrap_err();

    match &err {
        SdkError::Throttled(e) => {
            assert_eq!(e.code, "Throttling.Api");
            assert_eq!(e.request_id.as_deref(), Some("R-thr-api"));
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 4);
    let waits = sleep.waits();
    assert_eq!(waits.len(), 3);
    assert!(
        waits.windows(2).all(|w| w[1] > w[0]),
        "backoff grows: {waits:?}"
    );
}

#[tokio::test]
async fn retry_after_header_in_milliseconds_sets_the_wait() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![
            error(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
                "R-ra",
            )
            .header("x-acs-retry-after", "1500"),
            ok("R-after-ra"),
        ],
    )
    .await;
    let (client, sleep) = client(&server);

    client
        .delete_physical_connection(input())
        .await
        .expect("success after the hinted wait");

    assert_eq!(server.requests().len(), 2);
    assert_eq!(sleep.waits(), vec![Duration::from_millis(1500)]);
}

#[tokio::test]
async fn rpc_hmac_sha1_mode_is_verified_by_the_server() {
    let server = TestServer::start(Auth::rpc_v1(KEY_ID, KEY_SECRET), vec![ok("R-rpc")]).await;
    let (client, _) = client_with(&server, KEY_SECRET, |c| {
        c.alibaba_signature(AlibabaSignature::RpcHmacSha1)
    });

    let output = client
        .delete_physical_connection(input())
        .await
        .expect("success");

    assert_eq!(output.request_id.as_deref(), Some("R-rpc"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.auth, Ok(()), "the server's own HMAC-SHA1 check passed");
    assert_eq!(sent.param("Action"), Some("DeletePhysicalConnection"));
    assert_eq!(sent.param("Version"), Some("2016-04-28"));
    assert_eq!(sent.param("AccessKeyId"), Some(KEY_ID));
    assert_eq!(sent.param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(sent.param("RegionId"), Some("cn-shanghai"));
    assert!(is_uuid_v4(sent.param("ClientToken").unwrap()));
    assert!(sent.param("Signature").is_some());
    assert_eq!(sent.header("authorization"), None);
}

#[tokio::test]
async fn sts_security_token_is_sent_and_signed_in_both_schemes() {
    for scheme in [
        AlibabaSignature::Acs3HmacSha256,
        AlibabaSignature::RpcHmacSha1,
    ] {
        let auth = match scheme {
            AlibabaSignature::Acs3HmacSha256 => Auth::acs3(KEY_ID, KEY_SECRET),
            AlibabaSignature::RpcHmacSha1 => Auth::rpc_v1(KEY_ID, KEY_SECRET),
        };
        let server = TestServer::start(auth, vec![ok("R-sts")]).await;
        let credentials = Credentials::AccessKey {
            id: KEY_ID.into(),
            secret: Secret::new(KEY_SECRET),
            security_token: Some(Secret::new("sts-token-e2e")),
        };
        let (client, _) = alibaba_client(&server, credentials, |c| c.alibaba_signature(scheme));

        client
            .delete_physical_connection(input())
            .await
            .expect("success");

        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let sent = &requests[0];
        assert_eq!(
            sent.auth,
            Ok(()),
            "{scheme:?}: the token is covered by the signature"
        );
        match scheme {
            AlibabaSignature::Acs3HmacSha256 => {
                assert_eq!(sent.header("x-acs-security-token"), Some("sts-token-e2e"));
                assert!(
                    sent.header("authorization")
                        .unwrap()
                        .contains("x-acs-security-token;"),
                    "signed header"
                );
            }
            AlibabaSignature::RpcHmacSha1 => {
                assert_eq!(sent.param("SecurityToken"), Some("sts-token-e2e"));
            }
        }
    }
}

#[tokio::test]
async fn wrong_secret_is_rejected_with_signature_does_not_match() {
    for scheme in [
        AlibabaSignature::Acs3HmacSha256,
        AlibabaSignature::RpcHmacSha1,
    ] {
        let auth = match scheme {
            AlibabaSignature::Acs3HmacSha256 => Auth::acs3(KEY_ID, KEY_SECRET),
            AlibabaSignature::RpcHmacSha1 => Auth::rpc_v1(KEY_ID, KEY_SECRET),
        };
        let server = TestServer::start(auth, vec![ok("R-never")]).await;
        let (client, sleep) =
            client_with(&server, "not-the-secret", |c| c.alibaba_signature(scheme));

        let err = client
            .delete_physical_connection(input())
            .await
            .unwrap_err();

        match &err {
            SdkError::Service(e)
                if e.kind()
                    == DeletePhysicalConnectionErrorKind::Common(
                        CommonErrorKind::SignatureDoesNotMatch,
                    ) =>
            {
                let e = e.meta();
                assert_eq!(e.code, ALIBABA_SIGNATURE_ERROR, "{scheme:?}");
                assert_eq!(e.status, 400);
                assert!(e.request_id.is_some());
            }
            other => panic!("{scheme:?}: expected the signature error, got {other:?}"),
        }
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "{scheme:?}: not retried");
        assert!(
            requests[0].auth.is_err(),
            "{scheme:?}: the verifier refused it"
        );
        assert!(sleep.waits().is_empty());
    }
}

#[tokio::test]
async fn timeout_is_retried_for_a_write_with_a_client_token() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![ok("R-late").delayed(Duration::from_secs(3))],
    )
    .await;
    let (client, sleep) = client_with(&server, KEY_SECRET, |c| {
        c.retry(fast_retry(2))
            .timeouts(Duration::from_secs(2), Duration::from_millis(300))
    });

    let err = client
        .delete_physical_connection(input())
        .await
        .unwrap_err();

    assert!(matches!(err, SdkError::Timeout), "got {err:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the token makes repeating safe");
    assert_eq!(
        requests[0].param("ClientToken"),
        requests[1].param("ClientToken")
    );
    assert_eq!(sleep.waits().len(), 1);
}

#[tokio::test]
async fn html_gateway_error_is_retried_then_reported_with_its_request_id() {
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![
            Reply::raw(
                502,
                Some("text/html"),
                "<html><body>502 Bad Gateway</body></html>",
            )
            .header("x-acs-request-id", "R-gw"),
        ],
    )
    .await;
    let (client, _) = client_with(&server, KEY_SECRET, |c| c.retry(fast_retry(2)));

    let err = client
        .delete_physical_connection(input())
        .await
        .unwrap_err();

    match &err {
        SdkError::InvalidResponse(r) => {
            assert_eq!(r.status, 502);
            assert_eq!(r.request_id.as_deref(), Some("R-gw"));
            assert!(r.reason.contains("text/html"), "{}", r.reason);
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert_eq!(err.request_id(), Some("R-gw"));
    assert_eq!(
        server.requests().len(),
        2,
        "a 5xx on a tokened write is retried"
    );
}

#[tokio::test]
async fn xml_error_body_is_an_invalid_response() {
    // The client asks for JSON; an XML answer is not one it can read.
    let server = TestServer::start(
        Auth::acs3(KEY_ID, KEY_SECRET),
        vec![Reply::raw(
            400,
            Some("text/xml;charset=utf-8"),
            "<Error><RequestId>R-xml</RequestId><Code>Forbidden.NotAllowedInState</Code></Error>",
        )],
    )
    .await;
    let (client, _) = client(&server);

    let err = client
        .delete_physical_connection(input())
        .await
        .unwrap_err();

    match &err {
        SdkError::InvalidResponse(r) => {
            assert_eq!(r.status, 400);
            assert!(r.reason.contains("text/xml"), "{}", r.reason);
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn truncated_and_empty_success_bodies_are_invalid_responses() {
    for (body, reason) in [
        (r#"{"RequestId":"R-cut"#, "not the expected JSON"),
        ("", "the body is empty"),
    ] {
        let server = TestServer::start(
            Auth::acs3(KEY_ID, KEY_SECRET),
            vec![
                Reply::raw(200, Some("application/json"), body).header("x-acs-request-id", "R-hdr"),
            ],
        )
        .await;
        let (client, _) = client(&server);

        let err = client
            .delete_physical_connection(input())
            .await
            .unwrap_err();

        match &err {
            SdkError::InvalidResponse(r) => {
                assert_eq!(r.status, 200);
                assert!(r.reason.contains(reason), "{}", r.reason);
                assert_eq!(r.request_id.as_deref(), Some("R-hdr"));
            }
            other => panic!("expected InvalidResponse, got {other:?}"),
        }
        assert_eq!(
            server.requests().len(),
            1,
            "an unreadable 2xx is not retried"
        );
    }
}

#[test]
fn resolve_endpoint_uses_the_region_table_then_derives_the_host() {
    let config = |region: &str| Config::new(Credentials::access_key("id", "secret")).region(region);

    let listed =
        truebind_runtime::resolve_endpoint(&alibaba_vpc::SERVICE, &config("cn-shanghai")).unwrap();
    assert_eq!(listed.as_str(), "https://vpc.cn-shanghai.aliyuncs.com/");

    // The metadata gives cn-hangzhou its own host (the SDK's table once said the central
    // vpc.aliyuncs.com, the crate's default endpoint).
    let central =
        truebind_runtime::resolve_endpoint(&alibaba_vpc::SERVICE, &config("cn-hangzhou")).unwrap();
    assert_eq!(central.as_str(), "https://vpc.cn-hangzhou.aliyuncs.com/");
    let listed = alibaba_vpc::SERVICE
        .regional_endpoints
        .iter()
        .any(|(region, host)| *region == "cn-hangzhou" && *host == "vpc.cn-hangzhou.aliyuncs.com");
    assert!(listed, "cn-hangzhou is in the table");

    let derived =
        truebind_runtime::resolve_endpoint(&alibaba_vpc::SERVICE, &config("ap-northeast-9"))
            .unwrap();
    assert_eq!(derived.as_str(), "https://vpc.ap-northeast-9.aliyuncs.com/");

    let explicit = truebind_runtime::resolve_endpoint(
        &alibaba_vpc::SERVICE,
        &config("cn-shanghai").endpoint("http://127.0.0.1:9/"),
    )
    .unwrap();
    assert_eq!(
        explicit.as_str(),
        "http://127.0.0.1:9/",
        "an explicit endpoint wins"
    );
}

#[test]
fn a_region_that_is_not_a_region_name_cannot_pick_another_host() {
    // The region is spliced into the host; an application may take it from its own users.
    for region in [
        "x@evil.example#",
        "x.evil.example/",
        "evil.example:443/x?",
        "cn-shanghai.evil",
        "",
    ] {
        let config = Config::new(Credentials::access_key("id", "secret")).region(region);
        match truebind_runtime::resolve_endpoint(&alibaba_vpc::SERVICE, &config) {
            Err(e) => assert!(e.to_string().contains("region"), "{region:?}: {e}"),
            Ok(url) => panic!("region {region:?} accepted: requests go to {url}"),
        }
    }
}

/// Credentials with an STS token, the secret a redirect or an error could leak.
fn sts_credentials() -> Credentials {
    Credentials::AccessKey {
        id: KEY_ID.into(),
        secret: Secret::new(KEY_SECRET),
        security_token: Some(Secret::new("sts-token-never-shown")),
    }
}

#[tokio::test]
async fn a_redirect_is_not_followed_in_either_scheme() {
    // Followed, a 307 would carry x-acs-security-token to the other host, and
    // a 302 would send it the whole signed RPC URL as Referer.
    for (scheme, status) in [
        (AlibabaSignature::Acs3HmacSha256, 307),
        (AlibabaSignature::RpcHmacSha1, 302),
    ] {
        let auth = match scheme {
            AlibabaSignature::Acs3HmacSha256 => Auth::acs3(KEY_ID, KEY_SECRET),
            AlibabaSignature::RpcHmacSha1 => Auth::rpc_v1(KEY_ID, KEY_SECRET),
        };
        let elsewhere = TestServer::start(auth.clone(), vec![ok("R-elsewhere")]).await;
        let redirect = support::Reply::raw(status, None, "")
            .header("location", &elsewhere.endpoint())
            .header("x-acs-request-id", "R-redirect");
        let server = TestServer::start(auth, vec![redirect]).await;
        let (client, sleep) =
            alibaba_client(&server, sts_credentials(), |c| c.alibaba_signature(scheme));

        let err = client
            .delete_physical_connection(input())
            .await
            .unwrap_err();

        match &err {
            SdkError::Redirect(r) => {
                assert_eq!(r.status, status);
                assert_eq!(r.location.as_deref(), Some(elsewhere.endpoint().as_str()));
                assert_eq!(r.request_id.as_deref(), Some("R-redirect"));
            }
            other => panic!("{scheme:?}: expected Redirect, got {other:?}"),
        }
        assert_eq!(err.request_id(), Some("R-redirect"));
        assert!(
            elsewhere.requests().is_empty(),
            "{scheme:?}: nothing reached the other host"
        );
        assert_eq!(server.requests().len(), 1, "a redirect is final");
        assert!(sleep.waits().is_empty());
    }
}

#[tokio::test]
async fn a_transport_error_shows_its_cause_and_no_credentials() {
    let port = support::closed_port();
    let config = Config::new(sts_credentials())
        .endpoint(format!("http://127.0.0.1:{port}"))
        .alibaba_signature(AlibabaSignature::RpcHmacSha1)
        .retry(support::fast_retry(1));
    let client = alibaba_vpc::Client::new(config).unwrap();

    let err = client
        .delete_physical_connection(input())
        .await
        .unwrap_err();

    assert!(matches!(err, SdkError::Transport(_)), "got {err:?}");
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(
        shown.to_lowercase().contains("connection refused"),
        "the root cause is in Display: {shown}"
    );
    for text in [&shown, &debug] {
        for secret in [
            "Signature",
            "SecurityToken",
            "sts-token-never-shown",
            "AccessKeyId",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
}

#[test]
fn signed_request_debug_hides_credentials() {
    let url = reqwest::Url::parse("https://vpc.aliyuncs.com/").unwrap();
    let target = truebind_runtime::request::Target {
        url: &url,
        action: "DeletePhysicalConnection",
        api_version: support::ALIBABA_VERSION,
        user_agent: "ua",
    };
    let stamp = truebind_runtime::request::Stamp::now();
    for scheme in [
        AlibabaSignature::Acs3HmacSha256,
        AlibabaSignature::RpcHmacSha1,
    ] {
        let params = vec![("RegionId".to_string(), "cn-shanghai".to_string())];
        let signed = truebind_runtime::protocol::alibaba::request(
            &target,
            params,
            &sts_credentials(),
            scheme,
            &stamp,
        );
        let shown = format!("{signed:?}");
        assert!(!shown.contains("sts-token-never-shown"), "{shown}");
        let signature = match scheme {
            AlibabaSignature::Acs3HmacSha256 => {
                let authorization = signed.headers.iter().find(|(n, _)| n == "authorization");
                let value = &authorization.unwrap().1;
                value.rsplit("Signature=").next().unwrap().to_string()
            }
            AlibabaSignature::RpcHmacSha1 => {
                let query = signed.url.split_once('?').unwrap().1;
                let pair = query
                    .split('&')
                    .find(|p| p.starts_with("Signature="))
                    .unwrap();
                pair["Signature=".len()..].to_string()
            }
        };
        assert!(
            !shown.contains(&signature),
            "{scheme:?}: signature shown: {shown}"
        );
        assert!(shown.contains("cn-shanghai"), "the rest is shown: {shown}");
    }
    let bearer = truebind_runtime::protocol::zenlayer::request(
        &target,
        b"{}".to_vec(),
        &Credentials::Bearer(Secret::new("zenlayer-token-never-shown")),
        &stamp,
    );
    let shown = format!("{bearer:?}");
    assert!(!shown.contains("zenlayer-token-never-shown"), "{shown}");
    assert!(shown.contains("***"), "{shown}");
}

#[test]
fn an_explicit_endpoint_is_a_host_or_base_url() {
    let resolve = |endpoint: &str| {
        let config = Config::new(Credentials::access_key("id", "secret")).endpoint(endpoint);
        truebind_runtime::resolve_endpoint(&alibaba_vpc::SERVICE, &config)
    };
    assert_eq!(
        resolve("vpc-vpc.cn-shanghai.aliyuncs.com")
            .unwrap()
            .as_str(),
        "https://vpc-vpc.cn-shanghai.aliyuncs.com/",
        "a bare host is HTTPS"
    );
    assert_eq!(
        resolve("http://127.0.0.1:9").unwrap().as_str(),
        "http://127.0.0.1:9/"
    );
    for refused in [
        "http://127.0.0.1:9/api",
        "http://u:p@127.0.0.1:9/",
        "http://127.0.0.1:9/#x",
    ] {
        assert!(
            matches!(
                resolve(refused),
                Err(truebind_runtime::ConfigError::InvalidEndpoint(..))
            ),
            "{refused}"
        );
    }
    // The refusal names the endpoint without what could be a secret.
    for (refused, hidden, kept) in [
        (
            "http://user:hunter2@127.0.0.1:9/",
            "hunter2",
            "***@127.0.0.1:9/",
        ),
        (
            "https://h.example/?AccessKeyId=AKID1&Signature=s",
            "AKID1",
            "https://h.example/?***",
        ),
        ("http://u:pw@[::1/", "pw", "***@[::1/"),
    ] {
        let message = resolve(refused).unwrap_err().to_string();
        assert!(!message.contains(hidden), "{message}");
        assert!(message.contains(kept), "{message}");
    }
}

/// The lifecycle waiters curated with the Express Connect state machine
/// (spec/alibaba-vpc/curation/types.yaml), each against the circuit simulator.
mod lifecycle_waiters {
    use std::future::Future;
    use std::pin::Pin;

    use super::support::sim::{Flavor, Sim};
    use super::*;
    use alibaba_vpc::operation::describe_physical_connections::DescribePhysicalConnectionsError;
    use alibaba_vpc::types::{PhysicalConnectionStatus, PhysicalConnectionType};
    use truebind_runtime::{Finished, WaitConfig, WaiterError};

    type Waited = Result<
        Vec<Finished<PhysicalConnectionType>>,
        WaiterError<PhysicalConnectionType, DescribePhysicalConnectionsError>,
    >;
    type Wait = for<'c> fn(&'c alibaba_vpc::Client) -> Pin<Box<dyn Future<Output = Waited> + 'c>>;

    fn timing() -> WaitConfig {
        WaitConfig {
            initial_delay: Duration::from_secs(1),
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
            jitter: false,
            not_found_checks: 3,
        }
    }

    /// Runs `wait` against one circuit that goes through `states`; returns the result and
    /// how many reads it took.
    async fn run(states: &[&str], wait: Wait) -> (Waited, usize) {
        let sim = Sim::new(Flavor::PhysicalConnections).resource("pc-1", states);
        let (server, client, _) = sim.serve_alibaba(KEY_ID, KEY_SECRET).await;
        let result = wait(&client).await;
        (result, server.requests().len())
    }

    macro_rules! waiter {
        ($method:ident) => {
            |c| Box::pin(c.$method("cn-shanghai", ["pc-1"]).config(timing()).wait())
        };
    }

    #[tokio::test]
    async fn each_lifecycle_call_has_a_waiter_that_reaches_its_state() {
        let cases: [(&str, &[&str], Wait, PhysicalConnectionStatus, usize); 5] = [
            (
                "confirm",
                &["Allocated", "Confirmed"],
                waiter!(wait_until_physical_connection_confirmed),
                PhysicalConnectionStatus::Confirmed,
                2,
            ),
            (
                "cancel",
                &["Confirmed", "Canceled"],
                waiter!(wait_until_physical_connection_canceled),
                PhysicalConnectionStatus::Canceled,
                2,
            ),
            (
                "recover",
                &["Terminated", "Enabled"],
                waiter!(wait_until_physical_connection_recovered),
                PhysicalConnectionStatus::Enabled,
                2,
            ),
            // A Rejected circuit goes back to review: Rejected is the state before the change,
            // never its end.
            (
                "modify a rejected circuit",
                &["Rejected", "Rejected", "Initial"],
                waiter!(wait_until_physical_connection_modified),
                PhysicalConnectionStatus::Initial,
                3,
            ),
            (
                "modify an enabled circuit",
                &["Enabled"],
                waiter!(wait_until_physical_connection_modified),
                PhysicalConnectionStatus::Enabled,
                1,
            ),
        ];
        for (call, states, wait, reached, reads) in cases {
            let (result, polls) = run(states, wait).await;
            let done = result.unwrap_or_else(|e| panic!("{call}: {e}"));
            let record = done[0].record.as_ref().expect("final record");
            assert_eq!(record.status.as_ref(), Some(&reached), "{call}");
            assert_eq!(polls, reads, "{call}");
        }
    }

    #[tokio::test]
    async fn lifecycle_waiters_fail_on_dead_ends_and_refuse_unlisted_states() {
        let (result, _) = run(
            &["Allocated", "Canceled"],
            waiter!(wait_until_physical_connection_confirmed),
        )
        .await;
        assert!(
            matches!(&result, Err(WaiterError::Failed { state, .. }) if state == "Canceled"),
            "{result:?}"
        );
        // Modifying a circuit whose allocation failed (either spelling) is a failure.
        let (result, _) = run(
            &["Rejected", "AllocationFailed"],
            waiter!(wait_until_physical_connection_modified),
        )
        .await;
        assert!(
            matches!(&result, Err(WaiterError::Failed { state, .. }) if state == "Allocation Failed"),
            "{result:?}"
        );
        // Cancelling is refused while Allocating: the waiter does not guess what that means.
        let (result, _) = run(
            &["Allocating"],
            waiter!(wait_until_physical_connection_canceled),
        )
        .await;
        assert!(
            matches!(&result, Err(WaiterError::UnexpectedState { state, .. }) if state == "Allocating"),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn a_gateway_code_is_the_same_common_kind_on_every_action() {
    use alibaba_vpc::operation::describe_physical_connections::{
        DescribePhysicalConnectionsErrorKind, DescribePhysicalConnectionsInput,
    };
    let expired = CommonErrorKind::InvalidTimeStampExpired;
    let answer = || error(400, "InvalidTimeStamp.Expired", "too old", "R-old");
    let server = TestServer::start(Auth::acs3(KEY_ID, KEY_SECRET), vec![answer(), answer()]).await;
    let (client, _) = client(&server);

    let err = client
        .delete_physical_connection(input())
        .await
        .unwrap_err();
    let kind = err.into_service_error().map(|e| e.kind());
    assert_eq!(
        kind,
        Some(DeletePhysicalConnectionErrorKind::Common(expired))
    );

    let err = client
        .describe_physical_connections(DescribePhysicalConnectionsInput::new("cn-shanghai"))
        .await
        .unwrap_err();
    let kind = err.into_service_error().map(|e| e.kind());
    assert_eq!(
        kind,
        Some(DescribePhysicalConnectionsErrorKind::Common(expired))
    );
    assert_eq!(
        CommonErrorKind::from_code("InvalidTimeStamp.Expired"),
        Some(expired)
    );
    assert_eq!(
        CommonErrorKind::from_code("Forbidden.NotAllowedInState"),
        None
    );
}
