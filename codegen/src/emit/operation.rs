//! `src/operation/<action>.rs`: input, output and error of one action.
//!
//! Required parameters are arguments of `new(…)`, so forgetting one is a
//! compile error; optional ones are public fields, `None` until set. The documented limits
//! are checked before anything is sent, naming every broken rule. The error is the runtime's
//! `ActionError` over a per-action kind enum: one variant per documented code
//! plus `Unhandled`. Codes the whole service can return (`service.yaml`
//! `errors`) are one shared `CommonErrorKind` in `operation/mod.rs`, reached
//! from every action's kind as `Common(…)`: one variant per action instead of
//! one per code and action, and one type to match them across actions.
//!
//! An action that answers nothing but its request id (180 of Alibaba VPC's
//! 394) has no output struct of its own: its output name is an alias of the
//! service's one [`ACKNOWLEDGEMENT`] struct, so rustc checks one type and its
//! derives instead of one per action. The alias keeps every path users write;
//! should the vendor document a field later, the alias becomes a struct with
//! the same `request_id` and `meta`.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::request_impls;
use super::{docs, ident};
use crate::ir;
use crate::names;

/// `src/operation/mod.rs`: one public module per action.
pub fn operation_index(service: &ir::Service) -> TokenStream {
    let modules = service.actions.iter().map(|a| {
        let module = ident(&a.snake);
        let doc = docs::doc_attrs(&format!("`{}`: {}", a.name, docs::text(&a.summary)));
        let cfg = super::gates::action_cfg(a);
        quote!(#doc #cfg #[rustfmt::skip] pub mod #module;)
    });
    let shared = shared_items(service);
    quote! {
        //! One module per action: its input, output and error types.
        #(#modules)*
        #shared
    }
}

/// The items of `operation/mod.rs` after the modules: `CommonErrorKind` and the shared
/// `Acknowledgement` output, where the service has them.
pub(super) fn shared_items(service: &ir::Service) -> TokenStream {
    let common = common_kind(service);
    let acknowledgement = acknowledgement(service);
    quote!(#common #acknowledgement)
}

/// The name of the shared output of actions that answer only their request id.
pub(super) const ACKNOWLEDGEMENT: &str = "Acknowledgement";

/// Whether `action`'s answer is nothing but its request id, so its output is
/// the shared [`ACKNOWLEDGEMENT`].
pub(super) fn answers_only_request_id(service: &ir::Service, action: &ir::Action) -> bool {
    matches!(action.output.as_slice(), [f] if f.wire == service.request_id_field)
}

/// The shared output struct, with the request id field of the first action
/// that answers only that (the field is the same in all of them).
fn acknowledgement(service: &ir::Service) -> Option<TokenStream> {
    let first = service
        .actions
        .iter()
        .find(|a| answers_only_request_id(service, a))?;
    let name = ident(ACKNOWLEDGEMENT);
    let doc = "The response of every action that answers nothing but its request id (its \
               output type is an alias of this one). `request_id` is `None` if the service left \
               it out.";
    Some(output_struct(service, &name, doc, &first.output))
}

/// `CommonErrorKind`, the service-wide codes; each action's kind looks its own
/// codes up first, then these (`rt::ErrorKind::from_code`).
fn common_kind(service: &ir::Service) -> Option<TokenStream> {
    if service.common_errors.is_empty() {
        return None;
    }
    let variants = kind_variants(&service.common_errors);
    let codes = common_codes(&service.common_errors);
    Some(quote! {
        /// Error codes every action of the service can return (authentication, throttling,
        /// parameter checks); each action's error kind has them as its `Common` variant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonErrorKind {
            #(#variants)*
        }

        impl CommonErrorKind {
            /// Each service-wide code with its kind.
            pub const CODES: &'static [(&'static str, Self)] = &[#(#codes),*];

            /// The kind of a service-wide code, `None` for any other.
            pub fn from_code(code: &str) -> Option<Self> {
                rt::kind_in(Self::CODES, code)
            }

            /// These kinds as an action's kind holds them, in its `Common` variant `wrap`
            /// (its `rt::ErrorKind::COMMON`).
            #[doc(hidden)]
            pub const fn of<K>(wrap: fn(Self) -> K) -> rt::Common<K, Self> {
                rt::Common { codes: Self::CODES, wrap }
            }
        }
    })
}

/// The module of one action.
pub fn operation_module(service: &ir::Service, action: &ir::Action) -> TokenStream {
    let module_doc = format!(
        "`{}` (called with [`Client::{}`](crate::Client::{}), which documents behaviour, errors and an example): {}",
        action.name,
        names::bare(&action.snake),
        names::bare(&action.snake),
        docs::text(&action.summary),
    );
    let module_doc = docs::inner_doc_attrs(&module_doc);
    let input = input(action);
    let output = output(service, action);
    let error = error(service, action);
    quote! {
        #module_doc
        #input
        #output
        #error
    }
}

fn input(action: &ir::Action) -> TokenStream {
    let input = ident(&names::input_type(&action.name));
    let action_name = &action.name;
    let doc = docs::doc_attrs(&input_doc(action));
    let fields = super::field_decls(&action.input, None);
    let request_side = request_impls(&input, &action.input);
    // `Write` is the trait's default: only reads say what they are.
    let kind = (action.kind == ir::ActionKind::Read).then(|| {
        quote!(
            const KIND: rt::ActionKind = rt::ActionKind::Read;
        )
    });
    let output = ident(&names::output_type(&action.name));
    let error = ident(&names::error_type(&action.name));
    quote! {
        #doc
        #[derive(Clone)]
        #[non_exhaustive]
        pub struct #input { #(#fields)* }

        #request_side

        impl rt::Action for #input {
            const ACTION: &'static str = #action_name;
            #kind
            type Output = #output;
            type Error = #error;
        }
    }
}

/// The output: every field optional, plus `meta` (envelope request id and
/// decode warnings), which `serde` skips: it describes one answer, and an
/// output read back from JSON gets an empty one. On Zenlayer the docs of the spec's request id field say
/// that it is the inner one and where the envelope's is.
fn output(service: &ir::Service, action: &ir::Action) -> TokenStream {
    let output = ident(&names::output_type(&action.name));
    if answers_only_request_id(service, action) {
        let shared = ident(ACKNOWLEDGEMENT);
        let doc = docs::doc_attrs(&alias_doc(action));
        return quote!(#doc pub type #output = super::#shared;);
    }
    output_struct(service, &output, &output_doc(action), &action.output)
}

/// The docs of an action's input struct (also written by `text.rs`).
pub(super) fn input_doc(action: &ir::Action) -> String {
    let input = names::input_type(&action.name);
    format!(
        "Parameters of `{}`: [`new`]({input}::new) takes the required ones; set the others on the public fields. \
         The client checks the documented limits before sending (or call [`validate`](rt::Validate::validate)).",
        action.name
    )
}

/// The docs of an output that is the shared acknowledgement (also written by `text.rs`).
pub(super) fn alias_doc(action: &ir::Action) -> String {
    format!(
        "Response of `{}`: nothing but its request id, so it is the service's shared \
         [`{ACKNOWLEDGEMENT}`](super::{ACKNOWLEDGEMENT}).",
        action.name
    )
}

/// The docs of an action's error alias (also written by `text.rs`).
pub(super) fn error_doc(action: &ir::Action) -> String {
    format!(
        "Errors of `{}`: [`kind`](rt::ActionError::kind) says which documented code it is; \
         code, message, HTTP status and request id are read with [`ErrorMeta`](crate::ErrorMeta).",
        action.name
    )
}

/// The docs of an action's error-kind enum (also written by `text.rs`).
pub(super) fn error_kind_doc(action: &ir::Action) -> String {
    format!(
        "The documented error codes of `{}`, and `Unhandled` for any other code.",
        action.name
    )
}

/// The docs of an action's own output struct (also written by `text.rs`).
pub(super) fn output_doc(action: &ir::Action) -> String {
    format!(
        "Response of `{}`. Fields the service leaves out are `None`, and so are values that \
         cannot be read even as text or number (listed in `meta.warnings`); a required field of a \
         structure that is missing or unreadable is left empty (`\"\"`, `0`, `false`, no items) \
         and listed too.",
        action.name
    )
}

/// An output struct named `output` with `fields`, `meta`, and its `DecodeObject` impl.
fn output_struct(
    service: &ir::Service,
    output: &syn::Ident,
    doc: &str,
    fields: &[ir::Field],
) -> TokenStream {
    let doc = docs::doc_attrs(doc);
    let case = super::SerdeCase::for_fields(fields);
    let serde = case.derive();
    let fields_tokens = fields.iter().map(|f| {
        let mut text = docs::field(f);
        if f.wire == service.request_id_field && service.protocol == ir::Protocol::ZenlayerJson {
            text.push_str(
                " This is the id inside `response`; the envelope's, which can differ, is \
                 [`meta.envelope_request_id`](rt::ResponseMeta::envelope_request_id).",
            );
        }
        let doc = docs::doc_attrs(&text);
        let rename = case.rename(f);
        let name = ident(&f.rust);
        let ty = super::rust_type(&f.ty);
        quote!(#doc #rename pub #name: Option<#ty>,)
    });
    let decode = super::decode_impl(output, fields, true);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #serde
        #[non_exhaustive]
        pub struct #output {
            #(#fields_tokens)*
            /// The answer's request id as a whole and the values that could not be read (not serialized).
            #[cfg_attr(feature = "serde", serde(skip))]
            pub meta: rt::ResponseMeta,
        }
        #decode
    }
}

/// One documented variant per code.
fn kind_variants(errors: &[ir::ErrorVariant]) -> Vec<TokenStream> {
    errors
        .iter()
        .map(|v| {
            let doc = docs::doc_attrs(&docs::error_variant(v));
            let name = ident(&v.variant);
            quote!(#doc #name,)
        })
        .collect()
}

/// `CommonErrorKind::CODES`' entries: each service-wide code with its variant.
fn common_codes(errors: &[ir::ErrorVariant]) -> impl Iterator<Item = TokenStream> + '_ {
    errors.iter().map(|v| {
        let name = ident(&v.variant);
        let code = &v.code;
        quote!((#code, Self::#name))
    })
}

/// An action kind's `CODES`: one line per documented code, the code, a space and the
/// variant's name (validation refuses codes with a line break). Both writers read it.
pub(super) fn code_table(errors: &[ir::ErrorVariant]) -> String {
    let lines: Vec<String> = errors
        .iter()
        .map(|v| format!("{} {}", v.code, v.variant))
        .collect();
    lines.join("\n")
}

/// An action's error alias and kind enum. `Eq` is a written-out empty impl rather than a
/// derive: the same trait (constants of the kind still match as patterns, which needs only
/// the derived `PartialEq`), without the derive's hidden method body, a fiftieth of the
/// synthetic crate's build (BENCHMARKS.md, "Fifth round"). `Debug` goes through
/// `rt::debug_kind`, the kind's `CODES` (each code with its variant's name, one string;
/// `KINDS` the variants in that order, then `Unhandled`) and `COMMON` (the service-wide
/// kinds and the `Common` variant) instead of a derive: it prints the same text for a
/// fraction of the build (BENCHMARKS.md, "Third round", "Fifth round" and "sixth round").
fn error(service: &ir::Service, action: &ir::Action) -> TokenStream {
    let error = ident(&names::error_type(&action.name));
    let kind = ident(&names::error_kind_type(&action.name));
    let doc = docs::doc_attrs(&error_doc(action));
    let kind_doc = docs::doc_attrs(&error_kind_doc(action));
    let variants = kind_variants(&action.errors);
    let table = code_table(&action.errors);
    let kinds = action.errors.iter().map(|v| ident(&v.variant));
    let (common, common_const) = if service.common_errors.is_empty() {
        (None, None)
    } else {
        let doc = docs::doc_attrs(&docs::common_variant(&action.common_rows));
        (
            Some(quote!(#doc Common(super::CommonErrorKind),)),
            Some(quote! {
                const COMMON: rt::Commons<Self> = Some(&super::CommonErrorKind::of(Self::Common));
            }),
        )
    };
    quote! {
        #doc
        pub type #error = rt::ActionError<#kind>;

        #kind_doc
        #[derive(Clone, Copy, PartialEq)]
        #[non_exhaustive]
        pub enum #kind {
            #(#variants)*
            #common
            /// A code this action does not document; read it with [`code`](crate::ErrorMeta::code).
            Unhandled,
        }

        impl Eq for #kind {}

        impl rt::ErrorKind for #kind {
            const CODES: &'static str = #table;
            const KINDS: &'static [Self] = &[#(Self::#kinds,)* Self::Unhandled];
            #common_const
        }

        impl ::core::fmt::Debug for #kind {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::debug_kind(*self, f)
            }
        }
    }
}
