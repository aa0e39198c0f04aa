//! Everything a user names is reachable through the generated crate alone.
//!
//! This crate does not depend on `truebind-runtime`, so this file compiles
//! only while the generated crate re-exports each item below: the names a
//! user writes to configure a client, pass options, implement a hook, a
//! sleeper or a credentials provider, match errors, wait and page.

use std::marker::PhantomData;

use zenlayer_sdn::operation::CommonErrorKind;
use zenlayer_sdn::operation::describe_ports::{
    DescribePortsError, DescribePortsErrorKind, DescribePortsInput,
};
use zenlayer_sdn::types::PortInfo as Port;
use zenlayer_sdn::{
    ActionError, AlibabaSignature, Answered, CallOptions, Chain, Config, ConfigError, Credentials,
    CredentialsError, DecodeWarning, Env, ErrorKind, ErrorMeta, Finished, HeaderRefused, Hook,
    InvalidResponse, Items, Json, Outgoing, PageError, Pages, Problems, Protocol,
    ProvideCredentials, ProvideFuture, ProvidedCredentials, Record, Redirect, ResponseMeta,
    RetryPolicy, Runaway, SdkError, Secret, ServiceError, ServiceInfo, SharedCredentials, Sleep,
    Stream, TokioSleep, TooLarge, Validate, ValidationError, Wait, WaitConfig, WaiterError,
    http_client_builder, reqwest,
};

/// Every generic or borrowed type a user names, in one value.
#[allow(dead_code)]
struct Named<'a> {
    config: PhantomData<(
        Config,
        ConfigError,
        Credentials,
        Secret,
        AlibabaSignature,
        TokioSleep,
    )>,
    credentials: PhantomData<(
        Chain,
        CredentialsError,
        Env,
        ProvidedCredentials,
        SharedCredentials,
    )>,
    provide: PhantomData<ProvideFuture<'a>>,
    options: PhantomData<(
        CallOptions,
        RetryPolicy,
        HeaderRefused,
        Answered<'a>,
        Outgoing<'a>,
    )>,
    errors: PhantomData<(SdkError<DescribePortsError>, ServiceError, InvalidResponse)>,
    refused: PhantomData<(Redirect, TooLarge, ValidationError, Problems)>,
    kinds: PhantomData<(
        ActionError<DescribePortsErrorKind>,
        CommonErrorKind,
        DecodeWarning,
    )>,
    meta: PhantomData<(ResponseMeta, Json)>,
    waits: PhantomData<(
        WaitConfig,
        Finished<Port>,
        WaiterError<Port, DescribePortsError>,
    )>,
    wait: PhantomData<Wait<Port, DescribePortsError>>,
    pages: PhantomData<(Pages<DescribePortsInput>, Items<DescribePortsInput>)>,
    page_errors: PhantomData<(
        PageError<DescribePortsError>,
        Runaway,
        ServiceInfo,
        Protocol,
    )>,
}

/// A user's hook: implemented through the generated crate's names.
struct Quiet;

impl Hook for Quiet {
    fn after_answer(&self, answer: &Answered<'_>) {
        let _ = answer.attempt;
    }
}

/// Every trait a user implements or bounds on.
fn bounds<E, K, R, V, H, S, P, T>()
where
    E: ErrorMeta,
    K: ErrorKind,
    R: Record,
    V: Validate,
    H: Hook,
    S: Sleep,
    P: ProvideCredentials,
    T: Stream,
{
}

#[test]
fn a_user_needs_only_the_generated_crate() {
    bounds::<
        DescribePortsError,
        DescribePortsErrorKind,
        Port,
        DescribePortsInput,
        Quiet,
        TokioSleep,
        Chain,
        Items<DescribePortsInput>,
    >();
    let _: Option<Named<'_>> = None;
    assert_eq!(zenlayer_sdn::SERVICE.protocol, Protocol::ZenlayerJson);
    assert_eq!(format!("{:?}", Secret::new("key")), "***");
    assert_eq!(RetryPolicy::none().max_attempts, 1);
    let builder: reqwest::ClientBuilder = http_client_builder();
    assert!(builder.build().is_ok());
}
