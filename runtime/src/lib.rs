//! Hand-written runtime shared by every generated client crate.
//!
//! Generated code stays small because everything that does not depend on a
//! particular action lives here: request signing ([`sign`]), the two wire
//! protocols ([`wire`]), where credentials come from ([`credentials`]), validation helpers ([`validate`]), request encoding ([`encode`]) over one field walk ([`params`]), response decoding ([`decode`]), signed request
//! building ([`request`]), retries ([`retry`]), the HTTP client ([`client`]), per-call options and hooks ([`options`]),
//! waiters ([`waiter`]), paginators ([`paginate`]) and error types ([`error`]).
#![deny(missing_docs)]

pub mod client;
pub mod config;
pub mod credentials;
pub mod decode;
pub mod encode;
pub mod error;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod operation;
pub mod options;
pub mod paginate;
pub mod params;
mod path;
pub mod request;
pub mod retry;
pub mod sign;
mod tls;
pub mod validate;
pub mod waiter;
pub mod wire;

pub use client::Client;
pub use config::{AlibabaSignature, Config, ConfigError, Credentials, Secret, Sleep};
pub use credentials::{
    Chain, CredentialsError, Env, ProvideCredentials, ProvidedCredentials, SharedCredentials,
};
pub use decode::{
    Decode, DecodeError, DecodeObject, DecodeWarning, Decoder, Empty, Fields, Json, Rejected,
    ResponseMeta,
};
pub use encode::{Encode, Writer};
pub use error::{InvalidResponse, SdkError, ServiceError};
pub use operation::{ActionError, ActionKind, ErrorKind, Operation, OperationError};
pub use options::{CallOptions, Hook};
pub use params::{ParamVisitor, Params};
pub use retry::RetryPolicy;
pub use validate::{Checkable, Problems, Rules, Validate, ValidationError};
pub use waiter::{Finished, WaitConfig, WaiterError};
pub use wire::{Protocol, RawResponse, ServiceInfo};

/// The HTTP client crate, for building a [`Config::http_client`](Config#structfield.http_client).
pub use reqwest;

/// The `Stream` trait returned by paginators (from `futures-core`).
pub use futures_util::Stream;
