//! What the generator emits differently per vendor protocol, in one place.
//!
//! Everything else a protocol decides (request form, signing, envelopes,
//! throttling) is the runtime's (`truebind_runtime::protocol`), and generated
//! code reaches it through the protocol named in `SERVICE`. What is left for
//! the generator is this table: the runtime's name of the protocol, the
//! crate docs' line about it, where a documented response keeps the request
//! id and an error body its code, and how a generated test reads the request an input sends.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir;

/// How a generated test reads the request an input sends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RequestForm {
    /// A JSON body, compared as JSON with the documented request.
    JsonBody,
    /// Flattened RPC parameters, compared with the documented request flattened.
    RpcParams,
}

/// The generator's facts about one protocol.
pub struct Facts {
    /// The runtime's `Protocol` variant.
    pub variant: TokenStream,
    /// The crate docs' description of the protocol.
    pub summary: &'static str,
    /// The key of a documented response holding the output (and its request id), if not the top level.
    pub output_key: Option<&'static str>,
    /// How a generated test reads the request an input sends.
    pub request_form: RequestForm,
    /// The key of the code in an error body.
    pub error_code_key: &'static str,
}

/// The facts of `protocol`.
pub fn facts(protocol: ir::Protocol) -> Facts {
    match protocol {
        ir::Protocol::ZenlayerJson => Facts {
            variant: quote!(rt::Protocol::ZenlayerJson),
            summary: "JSON POST with `X-ZC-Action`, signed with ZC2-HMAC-SHA256",
            output_key: Some("response"),
            request_form: RequestForm::JsonBody,
            error_code_key: "code",
        },
        ir::Protocol::AlibabaRpc => Facts {
            variant: quote!(rt::Protocol::AlibabaRpc),
            summary: "RPC style (parameters in the query), signed with ACS3-HMAC-SHA256",
            output_key: None,
            request_form: RequestForm::RpcParams,
            error_code_key: "Code",
        },
    }
}
