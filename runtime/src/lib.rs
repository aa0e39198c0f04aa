//! Hand-written runtime shared by every generated client crate.
//!
//! Generated code stays small because everything that does not depend on a
//! particular action lives here. The crate has three faces:
//!
//! * **What users name** ([`prelude`]): configuration ([`config`],
//!   [`credentials`]), per-call options ([`options`]), retries ([`retry`]),
//!   errors ([`error`]), waiters ([`waiter`]) and paginators ([`paginate`]).
//!   Every generated crate re-exports the prelude whole, so a user depends on
//!   the generated crate alone and never on this one.
//! * **What generated tests use** ([`testing`]): the request a protocol
//!   sends for an input, an answer parsed as a call would, the protocol's
//!   error body; and, with the `test-util` feature, mocked clients (`mock`).
//! * **What only generated code and this project's own tests use**: the field
//!   walk and codec, the action contract, each vendor protocol's request
//!   shape, signing and envelopes. They are `#[doc(hidden)]`, in the one
//!   block at the end of this file: they change with the generator, and
//!   naming them is not part of the supported API.
#![deny(missing_docs)]

pub mod config;
pub mod credentials;
pub mod error;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod options;
pub mod paginate;
pub mod retry;
pub mod testing;
pub mod waiter;

mod action;
mod client;
mod params;
mod path;
mod tls;
mod validate;

/// Everything a user of a generated crate names, re-exported whole by each
/// generated crate (`pub use truebind_runtime::prelude::*`).
pub mod prelude {
    pub use crate::action::{ActionError, ErrorKind, ErrorMeta};
    pub use crate::client::{Call, http_client_builder};
    pub use crate::config::{
        AlibabaSignature, Config, ConfigError, Credentials, Secret, Sleep, TokioSleep,
    };
    pub use crate::credentials::{
        Chain, CredentialsError, Env, ProvideCredentials, ProvideFuture, ProvidedCredentials,
        SharedCredentials,
    };
    pub use crate::decode::{DecodeWarning, Json, ResponseMeta};
    pub use crate::error::{InvalidResponse, Redirect, SdkError, ServiceError, TooLarge};
    pub use crate::options::{Answered, CallOptions, HeaderRefused, Hook, Outgoing};
    pub use crate::paginate::{Items, PageError, Pages, Runaway};
    pub use crate::protocol::Protocol;
    pub use crate::retry::RetryPolicy;
    pub use crate::validate::{Problems, Validate, ValidationError};
    pub use crate::waiter::{Finished, Record, Wait, WaitConfig, WaiterError};
    pub use crate::wire::ServiceInfo;

    /// The `Stream` trait returned by paginators (from `futures-core`).
    pub use futures_util::Stream;
    /// The HTTP client crate, for building a [`Config::http_client`](Config#structfield.http_client).
    pub use reqwest;
}

pub use client::Client;
pub use prelude::*;

// The generator's contract and the project's own tests: hidden, see the crate docs.
#[doc(hidden)]
pub mod decode;
#[doc(hidden)]
pub mod encode;
#[doc(hidden)]
pub mod protocol;
#[doc(hidden)]
pub mod request;
#[doc(hidden)]
pub mod sign;
#[doc(hidden)]
pub mod wire;
#[doc(hidden)]
pub use action::{
    Action, ActionKind, Common, CommonKinds, Commons, Documented, debug_kind, documented, kind_in,
};
#[doc(hidden)]
pub use client::resolve_endpoint;
#[doc(hidden)]
pub use decode::{Decode, DecodeError, DecodeObject, Decoder, Empty, Fields, Rejected};
#[doc(hidden)]
pub use encode::{Encode, Writer};
#[doc(hidden)]
pub use params::{ParamVisitor, Params, debug_params};
#[doc(hidden)]
pub use validate::{Checkable, Rules};
#[doc(hidden)]
pub use wire::RawResponse;
