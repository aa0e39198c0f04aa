//! The vendor's documented examples, turned into Rust.
//!
//! The same statements building an input serve twice: as the compiled rustdoc example
//! on each client method, and in the generated `tests/examples.rs`, which
//! checks that the example request serializes to exactly the documented JSON
//! body (Zenlayer) or query parameters (Alibaba), that the documented response
//! parses, and that every documented error code gets its own error kind.
//! The expected query parameters are flattened here, independently of the
//! runtime's flattener, so the test compares two implementations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::expr::{ExprWriter, InputCode};
use super::protocol::RequestForm;
use super::{EmitError, ident};
use crate::ir;
use crate::names;

/// Request id used in synthesized error bodies.
const TEST_REQUEST_ID: &str = "TEST-REQUEST-ID-0001";

/// The statements building `request` as an input of `action`; validation
/// checked the example against the input, so a miss is an internal error.
fn example_input(
    writer: &mut ExprWriter<'_>,
    action: &ir::Action,
    title: &str,
    request: &Value,
) -> Result<InputCode, EmitError> {
    writer.input(action, request).ok_or_else(|| {
        EmitError::internal(
            format!("example \"{title}\" of `{}`", action.name),
            "its request does not build the action's input",
        )
    })
}

/// The rustdoc example of a client method, from the first documented request
/// (none when no example has a request, or the action has no output to show).
pub fn doc_example(
    service: &ir::Service,
    action: &ir::Action,
) -> Result<Option<String>, EmitError> {
    let Some((example, request)) =
        (action.examples.iter()).find_map(|e| Some((e, e.request.as_ref()?)))
    else {
        return Ok(None);
    };
    let mut writer = ExprWriter::new(service);
    let code = example_input(&mut writer, action, &example.title, request)?;
    let krate = names::crate_ident(&service.crate_name);
    let module = &action.snake;
    let Some(shown) = action
        .output
        .iter()
        .find(|f| f.wire != service.request_id_field)
        .or_else(|| action.output.first())
        .map(|f| f.rust.clone())
    else {
        return Ok(None);
    };
    let mut lines = vec![
        format!(
            "{}:",
            super::docs::inline(example.title.trim_end_matches('.'))
        ),
        String::new(),
        "```no_run".to_string(),
        format!(
            "# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{"
        ),
        format!(
            "use {krate}::operation::{module}::{};",
            names::input_type(&action.name)
        ),
    ];
    if action.deprecated.is_some() {
        lines.insert(
            3,
            super::docs::allow_deprecated(action).trim_end().to_owned(),
        );
    }
    lines.extend(writer.type_imports(&krate));
    lines.push(String::new());
    lines.extend(code.lines());
    lines.push(format!("let output = client.{module}(input).await?;"));
    lines.push(format!("println!(\"{{:?}}\", output.{shown});"));
    lines.extend(["# Ok(())".to_string(), "# }".to_string(), "```".to_string()]);
    Ok(Some(lines.join("\n")))
}

/// `tests/examples.rs`: wire-form and error-mapping tests from the documented examples.
pub fn tests_file(service: &ir::Service) -> Result<TokenStream, EmitError> {
    let krate = ident(&names::crate_ident(&service.crate_name));
    let modules = (service.actions.iter())
        .map(|a| action_tests(service, a, &krate))
        .collect::<Result<Vec<_>, _>>()?;
    let prelude = tests_prelude(service, &krate);
    Ok(quote! {
        #prelude
        #(#modules)*
    })
}

/// The start of `tests/examples.rs`, before the actions' modules: its docs, the shared
/// imports and helpers, and the test of the service's documented error example.
pub(super) fn tests_prelude(service: &ir::Service, krate: &syn::Ident) -> TokenStream {
    let error_example = service_error_example_test(service, krate);
    // The shared helpers are compiled when any action's tests are.
    let all: Vec<&ir::Action> = service.actions.iter().collect();
    let cfg = super::gates::any_action_cfg(&all);
    let shared = super::gates::gated(
        cfg.as_ref(),
        quote! {
            use truebind_runtime::testing;
            const SERVICE_INFO: truebind_runtime::ServiceInfo = #krate::SERVICE;
        },
    );
    let error_for = super::gates::gated(cfg.as_ref(), error_helper());
    quote! {
        //! Tests generated from the vendor's documented examples and error tables.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #shared
        #error_example
        #error_for
    }
}

/// The test module of one action: its examples' tests and its error-table test.
pub(super) fn action_tests(
    service: &ir::Service,
    action: &ir::Action,
    krate: &syn::Ident,
) -> Result<TokenStream, EmitError> {
    let module = ident(&action.snake);
    let input = ident(&names::input_type(&action.name));
    let mut writer = ExprWriter::new(service);
    let mut tests = Vec::new();
    for (i, example) in action.examples.iter().enumerate() {
        let n = i + 1;
        if let Some(request) = &example.request {
            let code = example_input(&mut writer, action, &example.title, request)?;
            tests.push(request_test(service, action, n, &code, request)?);
        }
        if let Some(response) = &example.response {
            tests.push(response_test(service, action, n, response, example.status));
        }
    }
    tests.push(errors_test(service, krate, action, &input));
    let types = writer
        .type_import_tokens(&quote!(#krate))
        .map(|item| quote!(#[allow(unused_imports)] #item));
    let cfg = super::gates::action_cfg(action);
    Ok(quote! {
        #cfg
        mod #module {
            use super::*;
            use #krate::operation::#module::*;
            #types
            #(#tests)*
        }
    })
}

fn request_test(
    service: &ir::Service,
    action: &ir::Action,
    n: usize,
    code: &InputCode,
    request: &Value,
) -> Result<TokenStream, EmitError> {
    let name = format_ident!("example_{n}_request_has_the_documented_wire_form");
    let build = code.tokens();
    let check = match super::protocol::facts(service.protocol).request_form {
        RequestForm::JsonBody => {
            let expected = request.to_string();
            quote! {
                let sent = testing::json_body(&input);
                let documented: serde_json::Value = serde_json::from_str(#expected).unwrap();
                assert_eq!(sent, documented);
            }
        }
        RequestForm::RpcParams => rpc_request_check(action, request),
    };
    Ok(quote! {
        #[test]
        fn #name() {
            #build
            truebind_runtime::Validate::validate(&input).expect("the documented example satisfies the documented limits");
            #check
        }
    })
}

/// The check of an RPC example request: the parameters sent, sorted, equal the
/// documented ones, flattened (or JSON text, or `,`-joined, as each parameter's
/// encoding says). JSON text compares as JSON: both sides are parsed and printed
/// again, so key order and spacing do not matter.
fn rpc_request_check(action: &ir::Action, request: &Value) -> TokenStream {
    let mut pairs = Vec::new();
    let mut json = Vec::new();
    for (name, value) in request.as_object().into_iter().flatten() {
        let encoding = action
            .input
            .iter()
            .find(|f| &f.wire == name)
            .map(|f| f.encoding);
        match encoding {
            Some(ir::Encoding::Json) => {
                json.push(name.clone());
                pairs.push((name.clone(), value.to_string()));
            }
            Some(ir::Encoding::CommaSeparated) => {
                let mut items = Vec::new();
                flatten_example(String::new(), value, &mut items);
                let items: Vec<String> = items.into_iter().map(|(_, v)| v).collect();
                pairs.push((name.clone(), items.join(",")));
            }
            _ => flatten_example(name.clone(), value, &mut pairs),
        }
    }
    pairs.sort();
    if json.is_empty() {
        let pairs = pairs.iter().map(|(k, v)| quote!((#k, #v)));
        return quote! {
            let sent = testing::rpc_params(&input);
            let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(sent, vec![#(#pairs),*]);
        };
    }
    let documented = pairs.iter().map(|(k, v)| {
        if json.contains(k) {
            quote!((#k.to_string(), reprint(#v)))
        } else {
            quote!((#k.to_string(), #v.to_string()))
        }
    });
    quote! {
        let reprint = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap().to_string();
        let mut sent = testing::rpc_params(&input);
        for (name, value) in &mut sent {
            if [#(#json),*].contains(&name.as_str()) {
                *value = reprint(value);
            }
        }
        sent.sort();
        let documented: Vec<(String, String)> = vec![#(#documented),*];
        assert_eq!(sent, documented);
    }
}

/// Dotted, 1-based flattening of RPC parameters, written independently of the runtime.
fn flatten_example(prefix: String, v: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, x)| flatten_example(key(k), x, out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, x)| flatten_example(key(&(i + 1).to_string()), x, out)),
        Value::String(s) => out.push((prefix, s.clone())),
        Value::Null => {}
        other => out.push((prefix, other.to_string())),
    }
}

fn documented_request_id(service: &ir::Service, response: &Value) -> Option<String> {
    let holder = match super::protocol::facts(service.protocol).output_key {
        Some(key) => response.get(key)?,
        None => response,
    };
    holder
        .get(&service.request_id_field)?
        .as_str()
        .map(str::to_string)
}

fn response_test(
    service: &ir::Service,
    action: &ir::Action,
    n: usize,
    response: &Value,
    status: u16,
) -> TokenStream {
    let name = format_ident!("example_{n}_response_parses");
    let input = ident(&names::input_type(&action.name));
    let body = response.to_string();
    let id_field = action
        .output
        .iter()
        .find(|f| f.wire == service.request_id_field)
        .map(|f| ident(&f.rust));
    let check = match (documented_request_id(service, response), id_field) {
        (Some(id), Some(field)) => quote! {
            assert_eq!(output.#field.as_deref(), Some(#id));
        },
        _ => quote!(let _ = output;),
    };
    quote! {
        #[test]
        fn #name() {
            let output = testing::parse_answer::<#input>(&crate::SERVICE_INFO, #status, #body)
                .expect("the documented response parses");
            #check
        }
    }
}

/// `error_for::<I>(status, code, message)`: the error `I` returns for an
/// answer in the service's error envelope, with its request id checked.
fn error_helper() -> TokenStream {
    quote! {
        /// The error `I` returns for an answer in the service's error envelope; its request id must arrive.
        fn error_for<I: truebind_runtime::Action>(
            status: u16,
            code: &str,
            message: &str,
        ) -> truebind_runtime::SdkError<I::Error> {
            let body = testing::error_body(&SERVICE_INFO, #TEST_REQUEST_ID, code, message);
            let Err(err) = testing::parse_answer::<I>(&SERVICE_INFO, status, &body) else {
                panic!("the error answer with {code} parsed as a success");
            };
            assert_eq!(err.request_id(), Some(#TEST_REQUEST_ID));
            err
        }
    }
}

fn errors_test(
    service: &ir::Service,
    krate: &syn::Ident,
    action: &ir::Action,
    input: &syn::Ident,
) -> TokenStream {
    let kind = ident(&names::error_kind_type(&action.name));
    let mut checks = Vec::new();
    for variant in &action.errors {
        for row in &variant.rows {
            let status = match row.status {
                ir::Status::Http(s) => s,
                ir::Status::Vendor(_) | ir::Status::Undocumented => 400,
            };
            let status = proc_macro2::Literal::u16_unsuffixed(status);
            let message = row.message.as_deref().unwrap_or("");
            let v = ident(&variant.variant);
            let code = &variant.code;
            checks.push(quote! {
                let err = error_for::<#input>(#status, #code, #message);
                assert_eq!(err.code(), Some(#code));
                assert_eq!(err.into_service_error().map(|e| e.kind()), Some(#kind::#v));
            });
        }
    }
    // Service-wide codes: the first (each action's lookup is the same code) and
    // those the action also lists itself.
    let common = service
        .common_errors
        .first()
        .into_iter()
        .chain(&action.common_rows)
        .filter_map(|v| service.common_errors.iter().find(|c| c.code == v.code));
    for variant in common {
        let v = ident(&variant.variant);
        let code = &variant.code;
        // A throttling code is the runtime's `Throttled` (retried), never a kind.
        checks.push(quote! {
            match error_for::<#input>(400, #code, "service-wide") {
                truebind_runtime::SdkError::Throttled(e) => assert_eq!(e.code, #code),
                err => assert_eq!(
                    err.into_service_error().map(|e| e.kind()),
                    Some(#kind::Common(#krate::operation::CommonErrorKind::#v))
                ),
            }
        });
    }
    quote! {
        #[test]
        fn documented_error_codes_map_to_their_variants() {
            #(#checks)*
            let err = error_for::<#input>(400, "SOME_UNDOCUMENTED_CODE", "not in the table");
            assert_eq!(err.code(), Some("SOME_UNDOCUMENTED_CODE"));
            assert_eq!(err.into_service_error().map(|e| e.kind()), Some(#kind::Unhandled));
        }
    }
}

fn service_error_example_test(service: &ir::Service, krate: &syn::Ident) -> TokenStream {
    let Some(example) = &service.error_example else {
        return TokenStream::new();
    };
    let Some(body) = &example.response else {
        return TokenStream::new();
    };
    let status = example.status;
    let code = body
        .get(super::protocol::facts(service.protocol).error_code_key)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let text = body.to_string();
    // Through an action that is always compiled, if there is one.
    let Some(action) = (service.actions.iter())
        .find(|a| a.group.is_none())
        .or_else(|| service.actions.first())
    else {
        return TokenStream::new();
    };
    let module = ident(&action.snake);
    let input = ident(&names::input_type(&action.name));
    let cfg = super::gates::action_cfg(action);
    quote! {
        #cfg
        #[test]
        fn documented_error_body_parses_into_a_service_error() {
            let err = testing::parse_answer::<#krate::operation::#module::#input>(&SERVICE_INFO, #status, #text)
                .unwrap_err();
            assert_eq!(err.code(), Some(#code));
            assert!(err.request_id().is_some());
        }
    }
}
