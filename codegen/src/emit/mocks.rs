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
    let prelude = test_util_prelude();
    let built = constructed(service)?.into_iter().map(|c| {
        let segments = c.path.iter().map(|segment| ident(segment));
        constructors(&quote!(crate #(::#segments)*), &c.name, c.fields, c.output)
    });
    Ok(quote! {
        #prelude
        #(#built)*
    })
}

/// A type `test_util.rs` gives `for_test` and setters.
pub(super) struct Constructed<'a> {
    /// Where the type is, after `crate::`.
    pub(super) path: Vec<String>,
    /// Its name.
    pub(super) name: String,
    /// Its fields.
    pub(super) fields: &'a [ir::Field],
    /// Whether it is an output, which also gets an empty `meta`.
    pub(super) output: bool,
}

impl<'a> Constructed<'a> {
    /// The output of `action`, at `path` under `name`.
    fn output(path: Vec<String>, name: String, action: &'a ir::Action) -> Self {
        let fields = &action.output;
        Self {
            path,
            name,
            fields,
            output: true,
        }
    }
}

/// The types `test_util.rs` builds, in file order (both its writers take them from
/// here): the shared acknowledgement if any action answers only a request id, every
/// other action's output, then the structures no request names.
pub(super) fn constructed(service: &ir::Service) -> Result<Vec<Constructed<'_>>, super::EmitError> {
    let (shared, own): (Vec<_>, Vec<_>) = service
        .actions
        .iter()
        .partition(|a| answers_only_request_id(service, a));
    let mut built = Vec::new();
    if let Some(a) = shared.first() {
        let path = vec!["operation".into(), ACKNOWLEDGEMENT.into()];
        built.push(Constructed::output(path, ACKNOWLEDGEMENT.into(), a));
    }
    for a in own {
        let name = names::output_type(&a.name);
        let path = vec!["operation".into(), a.snake.clone(), name.clone()];
        built.push(Constructed::output(path, name, a));
    }
    let in_requests = reachable_types(service, |a| &a.input)?;
    let structs = service
        .structs
        .iter()
        .filter(|s| !in_requests.contains(&s.name));
    built.extend(structs.map(|s| Constructed {
        path: vec!["types".into(), s.name.clone()],
        name: s.name.clone(),
        fields: &s.fields,
        output: false,
    }));
    Ok(built)
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
