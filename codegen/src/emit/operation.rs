//! `src/operation/<action>.rs`: input, output and error of one action.
//!
//! Required parameters are arguments of `new(…)`, so forgetting one is a
//! compile error; optional ones have chained setters. The documented limits
//! are checked before anything is sent, naming every broken rule. The error enum has one variant per documented code plus
//! `Unhandled`, and every variant keeps code, message, status and request id.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::request_impls;
use super::{docs, ident};
use crate::ir;
use crate::names;

/// `src/operation/mod.rs`: one public module per action.
pub fn operation_index(service: &ir::Service) -> TokenStream {
    let modules = service.actions.iter().map(|a| {
        let module = ident(&a.snake);
        let doc = docs::doc_attrs(&format!("`{}`: {}", a.name, docs::text(&a.summary)));
        quote!(#doc #[rustfmt::skip] pub mod #module;)
    });
    quote! {
        //! One module per action: its input, output and error types.
        #(#modules)*
    }
}

/// The module of one action.
pub fn operation_module(service: &ir::Service, action: &ir::Action) -> TokenStream {
    let module_doc = format!(
        "`{}`: {}\n\nCall it with [`Client::{}`](crate::Client::{}), which documents its behaviour, errors and an example.",
        action.name,
        docs::text(&action.summary),
        names::bare(&action.snake),
        names::bare(&action.snake),
    );
    let module_doc = module_doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let input = input(action);
    let output = output(service, action);
    let error = error(action);
    quote! {
        #(#module_doc)*
        #input
        #output
        #error
    }
}

fn input(action: &ir::Action) -> TokenStream {
    let input = format_ident!("{}Input", action.name);
    let action_name = &action.name;
    let doc = docs::doc_attrs(&format!(
        "Parameters of `{}`: [`new`]({input}::new) takes the required ones, setters the others. \
         The client checks the documented limits before sending (or call [`validate`](rt::Validate::validate)).",
        action.name
    ));
    let fields = super::field_decls(&action.input);
    let encode = super::encode_impl(&input, &action.input);
    let request_side = request_impls(&input, &action.input);
    let kind = match action.kind {
        ir::ActionKind::Read => quote!(rt::ActionKind::Read),
        ir::ActionKind::Write => quote!(rt::ActionKind::Write),
    };
    // A required token is the caller's to choose; only optional ones are auto-filled.
    let token = action
        .input
        .iter()
        .find(|f| f.idempotency_token && !f.required)
        .map(|f| {
            let name = ident(&f.rust);
            quote! {
                fn idempotency_token(&mut self) -> Option<&mut Option<String>> { Some(&mut self.#name) }
            }
        });
    let output = format_ident!("{}Output", action.name);
    let error = format_ident!("{}Error", action.name);
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #input { #(#fields)* }

        #request_side
        #encode

        impl rt::Operation for #input {
            const ACTION: &'static str = #action_name;
            const KIND: rt::ActionKind = #kind;
            type Output = #output;
            type Error = #error;
            #token
        }
    }
}

fn output(service: &ir::Service, action: &ir::Action) -> TokenStream {
    let output = format_ident!("{}Output", action.name);
    let doc = docs::doc_attrs(&format!(
        "Response of `{}`. Fields the service leaves out are `None`.",
        action.name
    ));
    let fields = action.output.iter().map(|f| {
        let doc = docs::doc_attrs(&docs::field(f));
        let name = ident(&f.rust);
        let ty = super::rust_type(&f.ty);
        quote!(#doc pub #name: Option<#ty>,)
    });
    let decode = super::decode_impl(&output, &action.output);
    let request_id = action
        .output
        .iter()
        .find(|f| f.wire == service.request_id_field)
        .map(|f| ident(&f.rust));
    let request_id_impl = request_id.map(|field| {
        quote! {
            impl rt::RequestId for #output {
                fn request_id(&self) -> Option<&str> { self.#field.as_deref() }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #output { #(#fields)* }
        #decode
        #request_id_impl
    }
}

fn error(action: &ir::Action) -> TokenStream {
    let error = format_ident!("{}Error", action.name);
    let doc = docs::doc_attrs(&format!(
        "Errors of `{}`: a variant per documented code, and `Unhandled` for any other code. \
         Every variant carries code, message, HTTP status and request id; read them with \
         [`OperationError`](crate::OperationError).",
        action.name
    ));
    let variants: Vec<syn::Ident> = action.errors.iter().map(|v| ident(&v.variant)).collect();
    let variant_defs = action.errors.iter().zip(&variants).map(|(v, name)| {
        let doc = docs::doc_attrs(&docs::error_variant(v));
        quote!(#doc #name(rt::ServiceError),)
    });
    let from_code = action.errors.iter().zip(&variants).map(|(v, name)| {
        let code = &v.code;
        quote!(#code => Self::#name(e),)
    });
    let from_body = if action.errors.is_empty() {
        quote!(Self::Unhandled(e))
    } else {
        quote! {
            match e.code.as_str() {
                #(#from_code)*
                _ => Self::Unhandled(e),
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #error {
            #(#variant_defs)*
            /// A code this action does not document; match on [`code`](crate::OperationError::code) if you must.
            Unhandled(rt::ServiceError),
        }

        impl rt::OperationError for #error {
            fn meta(&self) -> &rt::ServiceError {
                match self {
                    #(Self::#variants(e) |)* Self::Unhandled(e) => e,
                }
            }
        }

        impl From<rt::ServiceError> for #error {
            fn from(e: rt::ServiceError) -> Self {
                #from_body
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(rt::OperationError::meta(self), f)
            }
        }

        impl std::error::Error for #error {}
    }
}
