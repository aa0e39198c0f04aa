//! `src/test_util.rs` (feature `test-util`): what a user's unit tests need to
//! fake this service without a server.
//!
//! Outputs and response-only structures are `#[non_exhaustive]` without a
//! constructor, so code outside the crate cannot build one; a test gets
//! `for_test(required…)` (every optional field `None`) and a chaining setter
//! per optional field. `Client::from_mock` builds a client whose calls the
//! runtime's `mock` rules answer; errors of a kind come from the runtime's
//! generic `ActionError::for_test`, so no per-action error code is generated.

use proc_macro2::TokenStream;
use quote::quote;

use super::operation::{ACKNOWLEDGEMENT, answers_only_request_id};
use super::types::{field_init, reachable_types};
use super::{constructor_param, docs, ident, required_params};
use crate::ir;
use crate::names;

/// The module: the mock client constructor, the runtime's mock types, test constructors.
pub fn test_util_module(service: &ir::Service) -> Result<TokenStream, super::EmitError> {
    let (shared, own): (Vec<_>, Vec<_>) = service
        .actions
        .iter()
        .partition(|a| answers_only_request_id(service, a));
    let acknowledgement = shared.first().map(|a| {
        let name = ident(ACKNOWLEDGEMENT);
        constructors(
            &quote!(crate::operation::#name),
            ACKNOWLEDGEMENT,
            &a.output,
            true,
        )
    });
    let outputs = own.iter().map(|a| {
        let module = ident(&a.snake);
        let output = ident(&names::output_type(&a.name));
        let path = quote!(crate::operation::#module::#output);
        constructors(&path, &names::output_type(&a.name), &a.output, true)
    });
    let in_requests = reachable_types(service, |a| &a.input)?;
    let structs = service
        .structs
        .iter()
        .filter(|s| !in_requests.contains(&s.name))
        .map(|s| {
            let name = ident(&s.name);
            constructors(&quote!(crate::types::#name), &s.name, &s.fields, false)
        });
    let prelude = test_util_prelude();
    Ok(quote! {
        #prelude
        #acknowledgement
        #(#outputs)*
        #(#structs)*
    })
}

/// The module's docs, the runtime's mock types and `Client::from_mock`.
pub(super) fn test_util_prelude() -> TokenStream {
    quote! {
        //! Unit-test helpers (feature `test-util`): [`Client::from_mock`](crate::Client::from_mock)
        //! answers calls with [`Mock`] rules instead of HTTP, `for_test()` builds any output or
        //! response structure, and `ActionError::for_test(kind)` any action's error.
        pub use rt::mock::{rule, Call, Mock, Rule, RuleMode, MOCK_REQUEST_ID};

        impl crate::Client {
            /// A client whose calls `mock`'s rules answer, without a network: input checks,
            /// signing, hooks, retries, waiters and paginators run as usual, sleeps are virtual.
            pub fn from_mock(mock: &Mock) -> Self {
                Self { inner: mock.client(&crate::SERVICE) }
            }
        }
    }
}

/// `for_test(required…)` and a setter per optional field of one type; an output also gets an empty `meta`.
fn constructors(path: &TokenStream, name: &str, fields: &[ir::Field], output: bool) -> TokenStream {
    let params = required_params(fields);
    let inits = fields.iter().map(field_init);
    let meta = output.then(|| quote!(meta: rt::ResponseMeta::default(),));
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let field = ident(&f.rust);
        let (ty, value) = constructor_param(f);
        let doc = docs::doc_attrs(&setter_doc(f));
        quote! {
            #doc
            pub fn #field(mut self, #field: #ty) -> Self {
                self.#field = Some(#value);
                self
            }
        }
    });
    let doc = docs::doc_attrs(&for_test_doc(name, output));
    quote! {
        impl #path {
            #doc
            pub fn for_test(#(#params),*) -> Self {
                Self { #(#inits,)* #meta }
            }
            #(#setters)*
        }
    }
}

/// The doc of a type's `for_test` constructor.
pub(super) fn for_test_doc(name: &str, output: bool) -> String {
    format!(
        "A `{name}` as a test builds it: the required fields given, the optional ones `None` \
         until set with the setters{}.",
        if output { ", `meta` empty" } else { "" }
    )
}

/// The doc of the setter of an optional field.
pub(super) fn setter_doc(f: &ir::Field) -> String {
    format!("Sets `{}` (wire name `{}`).", names::bare(&f.rust), f.wire)
}
