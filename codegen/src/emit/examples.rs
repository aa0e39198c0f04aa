//! The vendor's documented examples, turned into Rust.
//!
//! The same statements building an input serve twice: as the compiled rustdoc example
//! on each client method, and in the generated `tests/examples.rs`, which
//! checks that the example request serializes to exactly the documented JSON
//! body (Zenlayer) or query parameters (Alibaba), that the documented response
//! parses, and that every documented error code gets its own error kind.
//! The expected query parameters are flattened here, independently of the
//! runtime's flattener, so the test compares two implementations.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::ident;
use super::protocol::RequestForm;
use crate::ir;
use crate::names;

/// Request id used in synthesized error bodies.
const TEST_REQUEST_ID: &str = "TEST-REQUEST-ID-0001";

/// Builds Rust code from example JSON, remembering which types it uses.
pub(crate) struct ExprWriter<'a> {
    service: &'a ir::Service,
    used_types: BTreeSet<String>,
    /// In a read template: the expression standing for `$ids`.
    ids: Option<&'a str>,
    /// In a read template: required top-level parameters left out, taken as arguments.
    pub(crate) arguments: Vec<ir::Field>,
    /// Statements building nested structures, in the order they must run.
    hoisted: Vec<String>,
    /// Variable names in use in the example being written.
    taken: BTreeSet<String>,
}

/// `(field, value)` pairs: optional parameters to set after `new`.
type Assignments = Vec<(String, String)>;

/// Rust statements that build an example input in a variable named `input`.
pub(crate) struct InputCode {
    /// Nested structures built first.
    before: Vec<String>,
    /// `XInput::new(required…)`.
    new: String,
    /// Optional parameters set on `input`.
    pub(crate) sets: Assignments,
}

impl InputCode {
    /// The statements, one per line.
    pub(crate) fn statements(&self) -> Vec<String> {
        let mut lines = self.before.clone();
        let binding = if self.sets.is_empty() {
            "let"
        } else {
            "let mut"
        };
        lines.push(format!("{binding} input = {};", self.new));
        for (field, value) in &self.sets {
            lines.push(format!("input.{field} = Some({value});"));
        }
        lines
    }
}

impl<'a> ExprWriter<'a> {
    pub(crate) fn new(service: &'a ir::Service) -> Self {
        ExprWriter {
            service,
            used_types: BTreeSet::new(),
            ids: None,
            arguments: Vec::new(),
            hoisted: Vec::new(),
            taken: BTreeSet::new(),
        }
    }

    /// A writer for read templates: `$ids` becomes `ids`, missing required parameters become arguments.
    pub(crate) fn template(service: &'a ir::Service, ids: &'a str) -> Self {
        ExprWriter {
            ids: Some(ids),
            ..ExprWriter::new(service)
        }
    }

    /// Statements that build the example as a variable `input`:
    /// `XInput::new(required…)`, then one assignment per optional parameter
    /// present; nested structures with optional parameters are built first,
    /// in variables of their own.
    pub(crate) fn input(&mut self, action: &ir::Action, request: &Value) -> Option<InputCode> {
        let object = request.as_object()?;
        self.hoisted.clear();
        self.taken = ["input", "output", "client", "batch"]
            .map(String::from)
            .into();
        if self.ids.is_some() {
            // Required parameters the template leaves out become arguments of these names.
            let arguments = action.input.iter().filter(|f| f.required);
            self.taken
                .extend(arguments.map(|f| f.rust.trim_start_matches("r#").to_string()));
        }
        let (args, sets) = self.fields(&action.input, object, true)?;
        Some(InputCode {
            before: std::mem::take(&mut self.hoisted),
            new: format!(
                "{}::new({})",
                names::input_type(&action.name),
                args.join(", ")
            ),
            sets,
        })
    }

    /// Constructor arguments and `(field, value)` assignments for an object.
    fn fields(
        &mut self,
        fields: &[ir::Field],
        object: &serde_json::Map<String, Value>,
        top: bool,
    ) -> Option<(Vec<String>, Assignments)> {
        let mut args = Vec::new();
        let mut sets = Vec::new();
        for f in fields {
            match (object.get(&f.wire), f.required) {
                (Some(v), true) => args.push(self.value(&f.ty, v, false, &f.rust)?),
                (Some(v), false) => {
                    let value = self.value(&f.ty, v, true, &f.rust)?;
                    sets.push((f.rust.clone(), value));
                }
                (None, true) if top && self.ids.is_some() => {
                    args.push(format!("{}.clone()", f.rust));
                    self.arguments.push(f.clone());
                }
                (None, true) => return None,
                (None, false) => {}
            }
        }
        Some((args, sets))
    }

    /// A variable name for a nested value, unused so far in this example.
    fn fresh(&mut self, hint: &str) -> String {
        let base = hint.trim_start_matches("r#");
        let base = if syn::parse_str::<syn::Ident>(base).is_ok() {
            base.to_string()
        } else {
            format!("{base}_value")
        };
        let mut name = base.clone();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.taken.insert(name.clone());
        name
    }

    /// A Rust expression for `v`; `owned` strings are needed inside containers
    /// and optional fields; `hint` names a variable the value may need.
    fn value(&mut self, ty: &ir::Type, v: &Value, owned: bool, hint: &str) -> Option<String> {
        if let (Some(ids), ir::Type::List(_)) = (self.ids, ty)
            && v.as_str() == Some("$ids")
        {
            return Some(ids.to_string());
        }
        Some(match ty {
            ir::Type::String => {
                let s = format!("{:?}", v.as_str()?);
                if owned { format!("{s}.to_string()") } else { s }
            }
            ir::Type::Integer | ir::Type::Long => v.as_i64()?.to_string(),
            ir::Type::Float => format!("{:?}", v.as_f64()?),
            ir::Type::Boolean => v.as_bool()?.to_string(),
            ir::Type::Enum(name) => {
                self.used_types.insert(name.clone());
                let wire = v.as_str()?;
                let e = self.service.enums.iter().find(|e| &e.name == name)?;
                match e
                    .values
                    .iter()
                    .find(|x| x.wire == wire || x.aliases.iter().any(|a| a == wire))
                {
                    Some(known) => format!("{name}::{}", known.variant),
                    None => format!("{name}::from({wire:?})"),
                }
            }
            ir::Type::List(item) => {
                let items: Option<Vec<String>> = v
                    .as_array()?
                    .iter()
                    .map(|x| self.value(item, x, true, &format!("{hint}_item")))
                    .collect();
                format!("vec![{}]", items?.join(", "))
            }
            ir::Type::Map(item) => {
                let mut entries = Vec::new();
                for (k, x) in v.as_object()? {
                    entries.push(format!(
                        "({k:?}.to_string(), {})",
                        self.value(item, x, true, &format!("{hint}_value"))?
                    ));
                }
                format!("std::collections::BTreeMap::from([{}])", entries.join(", "))
            }
            ir::Type::Struct(name) => {
                self.used_types.insert(name.clone());
                let s = self.service.structs.iter().find(|s| &s.name == name)?;
                let (args, sets) = self.fields(&s.fields, v.as_object()?, false)?;
                let new = format!("{name}::new({})", args.join(", "));
                if sets.is_empty() {
                    new
                } else {
                    let var = self.fresh(hint);
                    self.hoisted.push(format!("let mut {var} = {new};"));
                    for (field, value) in sets {
                        self.hoisted.push(format!("{var}.{field} = Some({value});"));
                    }
                    var
                }
            }
        })
    }

    pub(crate) fn type_imports(&self, crate_ident: &str) -> Option<String> {
        if self.used_types.is_empty() {
            return None;
        }
        let list: Vec<&str> = self.used_types.iter().map(String::as_str).collect();
        Some(format!(
            "use {crate_ident}::types::{{{}}};",
            list.join(", ")
        ))
    }
}

/// The rustdoc example of a client method, from the first documented request.
pub fn doc_example(service: &ir::Service, action: &ir::Action) -> Option<String> {
    let example = action.examples.iter().find(|e| e.request.is_some())?;
    let mut writer = ExprWriter::new(service);
    let code = writer.input(action, example.request.as_ref()?)?;
    let krate = names::crate_ident(&service.crate_name);
    let module = &action.snake;
    let shown = action
        .output
        .iter()
        .find(|f| f.wire != service.request_id_field)
        .or_else(|| action.output.first())
        .map(|f| f.rust.clone())?;
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
    lines.extend(code.statements());
    lines.push(format!("let output = client.{module}(input).await?;"));
    lines.push(format!("println!(\"{{:?}}\", output.{shown});"));
    lines.extend(["# Ok(())".to_string(), "# }".to_string(), "```".to_string()]);
    Some(lines.join("\n"))
}

/// `tests/examples.rs`: wire-form and error-mapping tests from the documented examples.
pub fn tests_file(service: &ir::Service) -> TokenStream {
    let krate = ident(&names::crate_ident(&service.crate_name));
    let modules = service
        .actions
        .iter()
        .map(|a| action_tests(service, a, &krate));
    let error_example = service_error_example_test(service, &krate);
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
        #(#modules)*
    }
}

fn action_tests(service: &ir::Service, action: &ir::Action, krate: &syn::Ident) -> TokenStream {
    let module = ident(&action.snake);
    let input = ident(&names::input_type(&action.name));
    let mut writer = ExprWriter::new(service);
    let mut tests = Vec::new();
    for (i, example) in action.examples.iter().enumerate() {
        let n = i + 1;
        if let Some(request) = &example.request
            && let Some(code) = writer.input(action, request)
        {
            tests.push(request_test(service, action, n, &code, request));
        }
        if let Some(response) = &example.response {
            tests.push(response_test(service, action, n, response, example.status));
        }
    }
    tests.push(errors_test(service, krate, action, &input));
    let types = writer.type_imports(&krate.to_string()).map(|u| {
        let item: TokenStream = u.parse().unwrap_or_default();
        quote!(#[allow(unused_imports)] #item)
    });
    let cfg = super::gates::action_cfg(action);
    quote! {
        #cfg
        mod #module {
            use super::*;
            use #krate::operation::#module::*;
            #types
            #(#tests)*
        }
    }
}

fn request_test(
    service: &ir::Service,
    action: &ir::Action,
    n: usize,
    code: &InputCode,
    request: &Value,
) -> TokenStream {
    let name = format_ident!("example_{n}_request_has_the_documented_wire_form");
    let build: TokenStream = code.statements().concat().parse().unwrap_or_default();
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
    quote! {
        #[test]
        fn #name() {
            #build
            truebind_runtime::Validate::validate(&input).expect("the documented example satisfies the documented limits");
            #check
        }
    }
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
