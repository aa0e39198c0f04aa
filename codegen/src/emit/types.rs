//! `src/types.rs` of a generated crate: shared structures and open enums.
//!
//! Structures are `#[non_exhaustive]` (new vendor fields are not a breaking
//! change); those sent in requests are built with `new(required…)`, their
//! optional fields set directly, and encoded, those in responses are decoded. Enums keep
//! values this crate does not know in `Unknown(String)`, so a new server-side
//! state never breaks parsing (smithy-rs backwards-compat rules).
//!
//! With the crate's `serde` feature, structures serialize under their wire
//! names (one `rename_all` per structure, a `rename` only for a field it
//! misses) and enums as their wire string, reading any string back, so a value
//! can be logged or stored as JSON. The derives are behind the feature because
//! they cost compile time (BENCHMARKS.md).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir;

/// The whole `types` module.
pub fn types_module(service: &ir::Service) -> Result<TokenStream, super::EmitError> {
    let in_requests = reachable_types(service, |a| &a.input)?;
    let in_responses = reachable_types(service, |a| &a.output)?;
    let gates = super::gates::TypeGates::new(service)?;
    // Every structure's field types lead to their items, used by an action or not.
    let mut named = BTreeSet::new();
    let mut structs = Vec::with_capacity(service.structs.len());
    for s in &service.structs {
        let owner = format!("structure `{}`", s.name);
        super::named_types(service, &s.fields, &owner, &mut named)?;
        let items = structure(
            s,
            in_requests.contains(&s.name),
            in_responses.contains(&s.name),
        );
        structs.push(super::gates::gated(gates.cfg(&s.name).as_ref(), items));
    }
    let enums = service.enums.iter().map(|e| {
        let items = open_enum(e, required_somewhere(service, &e.name));
        super::gates::gated(gates.cfg(&e.name).as_ref(), items)
    });
    let records = super::lifecycle::record_impls(service, &gates)?;
    Ok(quote! {
        //! Structures and enums shared by several actions.
        #(#structs)*
        #(#records)*
        #(#enums)*
    })
}

/// Whether some structure has a required field of type `name`: a response
/// lacking it needs the type's empty value (`rt::Empty`).
pub(super) fn required_somewhere(service: &ir::Service, name: &str) -> bool {
    let named = |ty: &ir::Type| matches!(ty, ir::Type::Enum(n) if n == name);
    service
        .structs
        .iter()
        .flat_map(|s| &s.fields)
        .any(|f| f.required && named(&f.ty))
}

/// Names of the structures and enums that values of the actions' `side`
/// (inputs or outputs) can contain, directly or nested.
pub(super) fn reachable_types<'a>(
    service: &'a ir::Service,
    side: impl Fn(&'a ir::Action) -> &'a [ir::Field],
) -> Result<BTreeSet<String>, super::EmitError> {
    let mut found = BTreeSet::new();
    for a in &service.actions {
        super::named_types(
            service,
            side(a),
            &format!("action `{}`", a.name),
            &mut found,
        )?;
    }
    Ok(found)
}

/// A structure. Those that can appear in requests are encoded and get a
/// constructor and checks; those in responses are decoded.
fn structure(s: &ir::Struct, in_requests: bool, in_responses: bool) -> TokenStream {
    let name = ident(&s.name);
    let doc = docs::doc_attrs(&docs::text(&s.description));
    let case = super::SerdeCase::for_fields(&s.fields);
    let serde = case.derive();
    let fields = super::field_decls(&s.fields, Some(case));
    let request_side = in_requests.then(|| request_impls(&name, &s.fields));
    let response_side = in_responses.then(|| super::decode_impl(&name, &s.fields, false));
    // A request structure prints through its `Params` walk (`request_impls`).
    let derives = if in_requests {
        quote!(#[derive(Clone, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    quote! {
        #doc
        #derives
        #serde
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        #request_side
        #response_side
    }
}

/// `new(required…)`, `Params` (encoding and checks) and `Debug` for a type sent in requests
/// (an input or a structure).
///
/// `Debug` prints what `derive(Debug)` would, through the `Params` walk
/// (`rt::debug_params` with the Rust field names in declaration order, the
/// order the walk visits them in): one call instead of one coercion per
/// field, which took a twentieth off the instructions to build the
/// synthetic 100-action crate (BENCHMARKS.md).
pub fn request_impls(name: &syn::Ident, fields: &[ir::Field]) -> TokenStream {
    let params = super::required_params(fields);
    let inits = fields.iter().map(field_init);
    let walk = super::params_impl(name, fields);
    let new_doc = format!(
        " A `{name}` with the required fields set; the optional ones are `None` until you set them."
    );
    // `Default` is left out on purpose: a later required field must not break callers silently.
    let allow_no_default = params
        .is_empty()
        .then(|| quote!(#[allow(clippy::new_without_default)]));
    let type_name = name.to_string();
    let rust_names = fields.iter().map(|f| crate::names::bare(&f.rust));
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow_no_default
            pub fn new(#(#params),*) -> Self { Self { #(#inits),* } }
        }

        #walk

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::debug_params(f, #type_name, &[#(#rust_names),*], self)
            }
        }
    }
}

/// Initializer of a field in `new`: required fields from the arguments, others `None`.
pub(super) fn field_init(f: &ir::Field) -> TokenStream {
    let name = ident(&f.rust);
    if f.required && f.ty == ir::Type::String {
        quote!(#name: #name.into())
    } else if f.required {
        quote!(#name) // shorthand: `name: name` is what clippy warns about
    } else {
        quote!(#name: None)
    }
}

/// An open enum's docs: its description, the sources' disagreement, how unknown values are kept.
pub(super) fn enum_doc(e: &ir::Enum) -> String {
    let mut text = docs::text(&e.description);
    if let Some(note) = &e.note {
        text.push_str(&format!("\n\n**Sources disagree:** {}", docs::prose(note)));
    }
    text.push_str("\n\nValues this crate does not know are kept in `Unknown`, so parsing never fails on them.");
    text
}

/// A variant's docs: its wire value, its other spellings, its description.
pub(super) fn variant_doc(v: &ir::EnumValue) -> String {
    let mut text = docs::code(&v.wire);
    if !v.aliases.is_empty() {
        let aliases: Vec<String> = v.aliases.iter().map(|a| docs::code(a)).collect();
        text.push_str(&format!(" (also sent as {})", aliases.join(", ")));
    }
    if let Some(d) = &v.description {
        text.push_str(&format!(": {}", docs::text(d)));
    }
    text
}

/// An open enum; `empty` adds its `rt::Empty` impl (`Unknown("")`).
fn open_enum(e: &ir::Enum, empty: bool) -> TokenStream {
    let name = ident(&e.name);
    let doc = docs::doc_attrs(&enum_doc(e));
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let doc = docs::doc_attrs(&variant_doc(v));
        quote!(#doc #variant,)
    });
    let to_str = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_str = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let spellings = std::iter::once(&v.wire).chain(&v.aliases);
        quote!(#(#spellings)|* => Self::#variant,)
    });
    let empty_impl = empty.then(|| {
        quote! {
            impl rt::Empty for #name {
                fn empty() -> Self { Self::Unknown(String::new()) }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(into = "String", from = "String"))]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self { Self::from(value.as_str()) }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self { value.as_str().to_owned() }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }

        impl rt::Decode for #name {
            fn decode(value: rt::Json, cx: &mut rt::Decoder) -> Result<Self, rt::Rejected> {
                <String as rt::Decode>::decode(value, cx).map(Self::from)
            }
        }

        #empty_impl

        impl rt::Encode for #name {
            fn encode(&self, w: &mut rt::Writer) { w.string(self.as_str()) }
        }

        impl rt::Checkable for #name {}
    }
}
