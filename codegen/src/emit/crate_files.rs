//! Crate-level files: `Cargo.toml`, `src/lib.rs` and `src/client.rs`.
//!
//! The client is a thin typed shell over `truebind_runtime::Client`: one
//! one-line async method per action, carrying the action's full docs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitError, docs, examples, ident};
use crate::ir;
use crate::names;

/// `Cargo.toml` of the generated crate (explicit versions, so it also builds outside this workspace).
///
/// Every value that comes from the spec or the file system is written by the
/// `toml` crate's string encoder, so no title can end a string and add a key
/// (a `build = …` line would run code at build time).
pub fn manifest(service: &ir::Service, source: &str, runtime_path: &str) -> String {
    let string = |s: &str| toml::Value::String(s.to_string()).to_string();
    // A spec without a `version` is not a release (fixtures, synthetic specs): never published.
    let (version, publish) = match &service.version {
        Some(v) => (v.as_str(), ""),
        None => ("0.0.0", "publish = false\n"),
    };
    let (default, groups) = group_features(service);
    format!(
        r#"[package]
name = {name}
version = {version}
description = {description}
edition = "2024"
rust-version = "1.89"
license = "MIT OR Apache-2.0"
{publish}
[features]
# The TLS stack: ring builds fastest; aws-lc-rs is a C build; native-tls is the system library.
default = {default}
rustls-ring = ["truebind-runtime/rustls-ring"]
rustls-aws-lc = ["truebind-runtime/rustls-aws-lc"]
native-tls = ["truebind-runtime/native-tls"]
# HTTP/2 when the server offers it; off by default: the endpoints speak HTTP/1.1 and h2 costs build time.
http2 = ["truebind-runtime/http2"]
# Serialize and Deserialize (wire names) on outputs and shared types; off by default: derives cost compile time.
serde = ["dep:serde"]
{groups}
# Client::from_mock (rule-answered calls, no network) and for_test() constructors for unit tests.
test-util = ["truebind-runtime/test-util"]

[dependencies]
truebind-runtime = {{ version = "0.3.0", path = {runtime_path}, default-features = false }}
serde = {{ version = "1", features = ["derive"], optional = true }}

[dev-dependencies]
futures-util = "0.3"
serde_json = "1"
"#,
        name = string(&service.crate_name),
        version = string(version),
        description = string(&format!(
            "Typed Rust client for {}, generated from the spec in {source}/.",
            service.title
        )),
        runtime_path = string(runtime_path),
        default = toml::Value::Array(default.into_iter().map(toml::Value::String).collect()),
    )
}

/// The `default` features (a TLS stack and every group) and the groups' own
/// `[features]` lines, each value through the `toml` encoder. A group turns on
/// the groups its asynchronous actions' waiters read through, so each of its
/// actions' docs can point to a waiter that is there.
fn group_features(service: &ir::Service) -> (Vec<String>, String) {
    let groups = service.groups();
    let mut default = vec!["rustls-ring".to_string()];
    default.extend(groups.iter().map(|g| g.to_string()));
    if groups.is_empty() {
        return (default, String::new());
    }
    let mut lines = String::from(
        "# One feature per group of actions, all on by default: an action, and what only\n\
         # actions of its group use, compile only with its group's feature.\n",
    );
    for g in groups {
        let needs: std::collections::BTreeSet<&str> = service
            .actions
            .iter()
            .filter(|a| a.group.as_deref() == Some(g))
            .filter_map(|a| a.async_note.as_ref())
            .filter_map(|note| service.action_of(&note.read_action))
            .filter_map(|read| read.group.as_deref())
            .filter(|&other| other != g)
            .collect();
        let needs = toml::Value::Array(
            needs
                .into_iter()
                .map(|n| toml::Value::String(n.to_string()))
                .collect(),
        );
        lines.push_str(&format!(
            "{} = {needs}\n",
            toml::Value::String(g.to_string())
        ));
    }
    (default, lines)
}

/// `src/lib.rs`: crate docs, modules, re-exports and the service constants.
///
/// The crate re-exports the runtime's whole prelude (everything a user names:
/// configuration, options, errors, waits, pages), so its users need no direct
/// dependency on the runtime; `OperationError`, the former name of
/// `ErrorMeta`, stays as a hidden alias so code written against it compiles.
pub fn lib(service: &ir::Service) -> TokenStream {
    let crate_doc = docs::inner_doc_attrs(&crate_docs(service));
    let items = lib_items(service);
    quote! {
        #crate_doc
        #items
    }
}

/// Everything in `lib.rs` after the crate's docs.
pub(super) fn lib_items(service: &ir::Service) -> TokenStream {
    let name = &service.crate_name;
    let version = &service.api_version;
    let endpoint = &service.endpoint;
    let request_id_field = &service.request_id_field;
    let protocol = super::protocol::facts(service.protocol).variant;
    let regions = service
        .regional_endpoints
        .iter()
        .map(|(r, h)| quote!((#r, #h)));
    quote! {
        #![deny(missing_docs)]
        // prettyplease is the formatter of record for generated code; keep rustfmt out.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        /// The runtime under a short name, for every module of this crate.
        extern crate truebind_runtime as rt;

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        mod paginators;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod waiters;
        #[cfg(feature = "test-util")]
        #[rustfmt::skip]
        pub mod test_util;

        pub use client::Client;
        pub use truebind_runtime::prelude::*;
        #[doc(hidden)]
        pub use truebind_runtime::ErrorMeta as OperationError;

        /// Static facts about the service, used by the runtime to build requests.
        pub const SERVICE: rt::ServiceInfo = rt::ServiceInfo {
            name: #name,
            crate_version: env!("CARGO_PKG_VERSION"),
            protocol: #protocol,
            api_version: #version,
            endpoint: #endpoint,
            regional_endpoints: &[#(#regions),*],
            request_id_field: #request_id_field,
        };
    }
}

pub(super) fn crate_docs(service: &ir::Service) -> String {
    let protocol = super::protocol::facts(service.protocol).summary;
    let mut s = format!(
        "# {}\n\n{}\n\nAPI version {}; {protocol}; default endpoint {}.\n\n",
        docs::inline(&service.title),
        docs::text(&service.description),
        docs::code(&service.api_version),
        docs::code(&service.endpoint)
    );
    let grouped = !service.groups().is_empty();
    if grouped {
        s.push_str(&features_docs(service));
        s.push_str(
            "| Action | Client method | Kind | Asynchronous | Feature |\n|---|---|---|---|---|\n",
        );
    } else {
        s.push_str("| Action | Client method | Kind | Asynchronous |\n|---|---|---|---|\n");
    }
    for a in &service.actions {
        let method = names::bare(&a.snake);
        let kind = match a.kind {
            ir::ActionKind::Read => "read",
            ir::ActionKind::Write => "write",
        };
        let asynchronous = a
            .async_note
            .as_ref()
            .map(|n| format!("yes: follow with `{}`", n.read_action))
            .unwrap_or_else(|| "no".into());
        let feature = match (grouped, &a.group) {
            (false, _) => String::new(),
            (true, Some(group)) => format!(" `{group}` |"),
            (true, None) => " (always) |".to_string(),
        };
        s.push_str(&format!(
            "| `{}` | [`Client::{method}`](crate::Client::{method}) | {kind} | {asynchronous} |{feature}\n",
            a.name
        ));
    }
    s.push_str(&getting_started(service));
    if let Some(url) = &service.docs_url {
        s.push_str(&format!("\nVendor reference: <{url}>\n"));
    }
    s.push_str(
        "\nGenerated by `cargo xtask codegen`; the request/response plumbing lives in `truebind-runtime`.",
    );
    s
}

/// The crate docs' note on the group features (for a crate that has groups).
fn features_docs(service: &ir::Service) -> String {
    let groups: Vec<String> = service.groups().iter().map(|g| format!("`{g}`")).collect();
    format!(
        "Each group of actions is a Cargo feature, all on by default: {}. With \
         `default-features = false`, name the groups you call and a TLS feature (`rustls-ring`, \
         `rustls-aws-lc` or `native-tls`); an action and the types only its group uses compile \
         only with its group's feature.\n\n",
        groups.join(", ")
    )
}

/// Whether `new` of the action's input takes only strings, so an example can
/// build it with placeholders.
fn string_arguments(action: &ir::Action) -> bool {
    action
        .input
        .iter()
        .all(|f| !f.required || f.ty == ir::Type::String)
}

/// The "Getting started" section of the crate docs: a client, a call with
/// its errors, a listing and a wait, as compiled (`no_run`) examples.
fn getting_started(service: &ir::Service) -> String {
    let krate = names::crate_ident(&service.crate_name);
    let mut s = format!(
        "\n# Getting started\n\nA client reads its credentials from the environment (the variables \
         are listed in [`Config::from_env`](crate::Config::from_env)) or takes a [`Config`]:\n\n\
         ```no_run\n\
         # fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {krate}::{{Client, Config, Credentials}};\n\n\
         let client = Client::from_env()?;\n\
         let client = Client::new(Config::new(Credentials::access_key(\"your key id\", \"your key secret\")))?;\n\
         # Ok(())\n# }}\n```\n"
    );
    let listing = |a: &&ir::Action| a.paging.is_some() && string_arguments(a);
    let chosen = service
        .actions
        .iter()
        .find(listing)
        .or_else(|| service.actions.iter().find(|a| string_arguments(a)));
    if let Some(action) = chosen {
        s.push_str(&call_example(action, &krate));
    }
    let waited = service
        .actions
        .iter()
        .filter_map(|a| a.async_note.as_ref())
        // (A waiter comparing a requested value needs the action's input in scope.)
        .filter(|note| note.expected.is_none())
        // (An error here is the one the action's client method reports.)
        .find_map(|note| waiter_call(service, note).ok().flatten());
    if let Some(call) = waited {
        s.push_str(&format!(
            "\nAn asynchronous action returns before its work is done; its waiter polls until it is \
             (each such method's docs name it):\n\n\
             ```no_run\n\
             # async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
             {call}\n# Ok(())\n# }}\n```\n"
        ));
    }
    s
}

/// The waiting code of an asynchronous action's example (see [`docs::waiter_call`]).
fn waiter_call(service: &ir::Service, note: &ir::AsyncNote) -> Result<Option<String>, EmitError> {
    let arguments = super::lifecycle::waiter_arguments(service, &note.resource)?;
    Ok(docs::waiter_call(note, &arguments))
}

/// A call of `action` with placeholder arguments, its errors handled, and,
/// for a list action, its records as a stream.
fn call_example(action: &ir::Action, krate: &str) -> String {
    // The raw form (`r#loop`): the example is compiled, and a keyword needs it.
    let module = &action.snake;
    let input = names::input_type(&action.name);
    let arguments: Vec<String> = action
        .input
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("\"your {}\"", f.wire))
        .collect();
    let new = format!("{input}::new({})", arguments.join(", "));
    let mut s = format!(
        "\nEvery action is an async method; a failure says whether the service refused it \
         (with its documented code), throttled it, or the request did not get through:\n\n\
         ```no_run\n\
         # async fn example(client: &{krate}::Client) {{\n\
         use {krate}::operation::{module}::{input};\n\
         use {krate}::{{ErrorMeta, SdkError}};\n\n\
         match client.{module}({new}).await {{\n    \
         Ok(output) => println!(\"{{output:?}}\"),\n    \
         Err(SdkError::Service(e)) => eprintln!(\"{{:?}}: {{}} (request {{:?}})\", e.kind(), e.message(), e.request_id()),\n    \
         Err(e) => eprintln!(\"{{e}}\"),\n}}\n# }}\n```\n"
    );
    if action.paging.is_some() {
        let pages = names::paginator_method(&action.snake);
        s.push_str(&format!(
            "\nA list action also has a `*_pages` method: a stream of its pages, or with `items()` of \
             its records, polled with a `StreamExt` trait (`futures::StreamExt`, here from \
             `futures-util`). The stream owns a clone of the client, so it can be moved into a task:\n\n\
             ```no_run\n\
             # async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
             use futures_util::StreamExt;\n\
             use {krate}::operation::{module}::{input};\n\n\
             let mut records = client.{pages}({new}).items();\n\
             while let Some(record) = records.next().await {{\n    println!(\"{{:?}}\", record?);\n}}\n\
             # Ok(())\n# }}\n```\n"
        ));
    }
    s
}

/// `src/client.rs`: the client type and one method per action.
pub fn client(service: &ir::Service) -> Result<TokenStream, EmitError> {
    let methods = (service.actions.iter())
        .map(|a| method(service, a))
        .collect::<Result<Vec<_>, _>>()?;
    let imports = service.actions.iter().map(|a| {
        let module = ident(&a.snake);
        let cfg = super::gates::action_cfg(a);
        quote!(#cfg use crate::operation::#module::*;)
    });
    let title = client_title(service);
    let constructors = client_constructors();
    Ok(quote! {
        //! The client: one async method per action.
        #(#imports)*
        #[doc = #title]
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) inner: rt::Client,
        }

        impl Client {
            #constructors
            #(#methods)*
        }
    })
}

/// One client method: a plain `fn` handing back the runtime's call future, not
/// an `async fn`. An `async fn` is a future of its own, which rustc compiles
/// with the crate, and with it the whole generic call path once per action;
/// the plain `fn` is `#[inline]` like every other (`inline.rs`), so that code
/// is generated only where a program awaits the call (−12 % of the instructions
/// to build alibaba-vpc, BENCHMARKS.md). It returns the named `rt::Call`, not
/// `impl Future`: an opaque type per action is one more item for rustc to infer
/// and check, and `rt::Call` is proven `Send` once, in the runtime (−2 % of the
/// instructions to build the 100-action synthetic crate, BENCHMARKS.md).
fn method(service: &ir::Service, action: &ir::Action) -> Result<TokenStream, EmitError> {
    let name = ident(&action.snake);
    let input = ident(&names::input_type(&action.name));
    let doc = docs::doc_attrs(&method_doc(service, action)?);
    let cfg = super::gates::action_cfg(action);
    let deprecated = action
        .deprecated
        .as_deref()
        .map(|note| quote! { #[deprecated(note = #note)] });
    Ok(quote! {
        #doc
        #deprecated
        #cfg
        pub fn #name(
            &self,
            input: #input,
        ) -> rt::Call<'_, #input> {
            self.inner.start(input)
        }
    })
}

/// The docs of an action's client method: behaviour, errors, a waiter and a call example.
pub(super) fn method_doc(service: &ir::Service, action: &ir::Action) -> Result<String, EmitError> {
    let example = examples::doc_example(service, action)?;
    let krate = names::crate_ident(&service.crate_name);
    let waiter = match &action.async_note {
        Some(note) => waiter_call(service, note)?,
        None => None,
    }
    .map(|call| docs::waiter_example(action, &krate, &call));
    Ok(docs::action(
        action,
        !service.common_errors.is_empty(),
        waiter,
        example,
    ))
}

/// The `Client` type's constructors, before its methods.
pub(super) fn client_constructors() -> TokenStream {
    quote! {
        /// A client with the given configuration.
        pub fn new(config: rt::Config) -> Result<Self, rt::ConfigError> {
            Ok(Self { inner: rt::Client::new(&crate::SERVICE, config)? })
        }

        /// A client configured from the environment and the vendor's profile files
        /// (variables, files and their order are in [`Config::from_env`](crate::Config::from_env)).
        pub fn from_env() -> Result<Self, rt::ConfigError> {
            Self::new(rt::Config::from_env(crate::SERVICE.protocol)?)
        }

        /// A clone (sharing connections) whose calls, pages and waits use `options`:
        /// a timeout, a retry policy or hooks for one call or a group of calls.
        pub fn with_options(&self, options: rt::CallOptions) -> Self {
            Self { inner: self.inner.with_options(options) }
        }
    }
}

/// The doc line of the `Client` type.
pub(super) fn client_title(service: &ir::Service) -> String {
    format!(
        "Client for {}. Cheap to clone; clones share connections.",
        docs::inline(&service.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_title_or_path_can_add_a_key_to_the_manifest() {
        let base = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/broken/_base"
        );
        let loaded = crate::load::load_service(std::path::Path::new(base)).expect("loads");
        let mut service = crate::validate::validate(&loaded).expect("valid");
        let title = "Tiny\" \nbuild = \"evil.rs\"\n[package.metadata]\nx = 'y";
        service.title = title.to_string();
        let text = manifest(&service, "spec/a\"b\nc", "../../run\"time");
        let parsed: toml::Table = toml::from_str(&text).expect("the manifest is valid TOML");
        let package = parsed["package"].as_table().expect("[package]");
        assert!(!package.contains_key("build"), "{text}");
        assert!(!package.contains_key("metadata"), "{text}");
        let description = package["description"].as_str().expect("a string");
        assert!(description.contains(title), "{description}");
        assert!(description.contains("spec/a\"b\nc/"), "{description}");
        let runtime = &parsed["dependencies"]["truebind-runtime"]["path"];
        assert_eq!(runtime.as_str(), Some("../../run\"time"));
    }
}
