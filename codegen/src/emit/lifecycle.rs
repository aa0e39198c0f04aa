//! Waiters and paginators: the code that follows asynchronous actions and list results.
//!
//! Both are thin: the polling, backoff and stop rules live once in the
//! runtime (`truebind_runtime::waiter`, `truebind_runtime::paginate`); the
//! generated methods only say which read action to call, how to put ids or
//! a page number into its input, and where the records are in its output.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::expr::ExprWriter;
use super::gates::TypeGates;
use super::{EmitError, constructor_param, docs, ident};
use crate::ir;
use crate::names;

/// `impl Record` for every resource's record type (goes into `types.rs`).
pub fn record_impls(
    service: &ir::Service,
    gates: &TypeGates,
) -> Result<Vec<TokenStream>, EmitError> {
    Ok(records(service)?
        .into_iter()
        .map(|(record, id, status)| {
            let (id, status) = (as_str(id), as_str(status));
            let name = ident(&record.name);
            let cfg = gates.cfg(&record.name);
            quote! {
                #cfg
                impl rt::waiter::Record for #name {
                    fn id(&self) -> Option<&str> { #id }
                    fn status(&self) -> Option<&str> { #status }
                }
            }
        })
        .collect())
}

/// Each record structure of the service's resources once, with its id and status fields.
///
/// Several resources may share a record type; it gets one impl (validation guarantees
/// they agree on its id and status fields).
pub(super) type Record<'s> = (&'s ir::Struct, &'s ir::Field, &'s ir::Field);

/// The [`Record`]s of `service`, in resource order.
pub(super) fn records(service: &ir::Service) -> Result<Vec<Record<'_>>, EmitError> {
    let mut seen = std::collections::BTreeSet::new();
    service
        .resources
        .iter()
        .filter(|r| seen.insert(r.record.as_str()))
        .map(|r| {
            let record = record_of(service, r)?;
            let id = record_field(r, record, &r.id_field)?;
            let status = record_field(r, record, &r.status_field)?;
            Ok((record, id, status))
        })
        .collect()
}

/// The record structure of `resource`.
fn record_of<'s>(
    service: &'s ir::Service,
    resource: &ir::Resource,
) -> Result<&'s ir::Struct, EmitError> {
    service.struct_of(&resource.record).ok_or_else(|| {
        EmitError::internal(
            format!("the `Record` impl of resource `{}`", resource.name),
            format!(
                "its record structure `{}` is not in the IR",
                resource.record
            ),
        )
    })
}

/// The field of `record` whose Rust name is `rust`.
fn record_field<'s>(
    resource: &ir::Resource,
    record: &'s ir::Struct,
    rust: &str,
) -> Result<&'s ir::Field, EmitError> {
    record
        .fields
        .iter()
        .find(|f| f.rust == rust)
        .ok_or_else(|| {
            EmitError::internal(
                format!("the `Record` impl of resource `{}`", resource.name),
                format!("record `{}` has no field `{rust}`", record.name),
            )
        })
}

/// `Option<&str>` view of a string or enum field.
fn as_str(f: &ir::Field) -> TokenStream {
    let name = ident(&f.rust);
    match (&f.ty, f.required) {
        (ir::Type::String, false) => quote!(self.#name.as_deref()),
        (ir::Type::String, true) => quote!(Some(self.#name.as_str())),
        (_, false) => quote!(self.#name.as_ref().map(|v| v.as_str())),
        (_, true) => quote!(Some(self.#name.as_str())),
    }
}

/// The records of an output, borrowed mutably along the documented path.
fn records_mut(action: &ir::Action, paging: &ir::Paging) -> Result<TokenStream, EmitError> {
    let mut steps = paging.items.iter();
    let Some(first) = steps.next() else {
        return Err(EmitError::internal(
            format!("the paginator of `{}`", action.name),
            "its path to the records is empty",
        ));
    };
    let first = ident(&first.rust);
    let mut expr = quote!(output.#first.as_mut());
    for step in steps {
        let field = ident(&step.rust);
        expr = if step.optional {
            quote!(#expr.and_then(|v| v.#field.as_mut()))
        } else {
            quote!(#expr.map(|v| &mut v.#field))
        };
    }
    Ok(expr)
}

/// `src/waiters.rs`: the `wait_until_*` methods, lookups and waiter specs of every resource.
pub fn waiters_module(service: &ir::Service) -> Result<TokenStream, EmitError> {
    let mut lookups = Vec::new();
    let mut specs = Vec::new();
    let mut methods = Vec::new();
    let mut reads = Vec::new();
    // A resource without waiters needs no lookup (it would be dead code).
    for resource in service.resources.iter().filter(|r| !r.waiters.is_empty()) {
        let lookup = Lookup::for_resource(service, resource)?;
        // A waiter is compiled with the group of the action it reads through.
        let cfg = super::gates::action_cfg(lookup.read);
        reads.push(lookup.read);
        let function = lookup.function();
        lookups.push(quote!(#cfg #function));
        for waiter in &resource.waiters {
            let (spec, method) = (waiter_spec(resource, waiter), lookup.waiter_method(waiter));
            specs.push(quote!(#cfg #spec));
            methods.push(quote!(#cfg #method));
        }
    }
    let imports_cfg = super::gates::any_action_cfg(&reads);
    let imports = (!methods.is_empty()).then(|| {
        quote!(
            #imports_cfg
            use rt::waiter::{Wait, WaiterSpec};
        )
    });
    Ok(quote! {
        //! Waiters: `wait_until_*` methods that poll a read action until resources reach a state.
        #imports
        impl crate::Client {
            #(#methods)*
        }
        #(#lookups)*
        #(#specs)*
    })
}

pub(super) fn spec_ident(waiter: &ir::Waiter) -> syn::Ident {
    format_ident!("{}", names::bare(&waiter.snake).to_uppercase())
}

pub(super) fn waiter_spec(resource: &ir::Resource, w: &ir::Waiter) -> TokenStream {
    let name = spec_ident(w);
    let title = &w.name;
    let (in_progress, success, failure) = (&w.in_progress, &w.success, &w.failure);
    let absent = w.absent_means_success;
    let max_ids = usize::try_from(resource.read.max_ids).unwrap_or(usize::MAX);
    let settle = match w.settle_seconds {
        Some(secs) => quote!(Some(::core::time::Duration::from_secs(#secs))),
        None => quote!(None),
    };
    quote! {
        static #name: WaiterSpec = WaiterSpec {
            name: #title,
            in_progress: &[#(#in_progress),*],
            success: &[#(#success),*],
            failure: &[#(#failure),*],
            absent_means_success: #absent,
            max_ids: #max_ids,
            settle: #settle,
        };
    }
}

/// How one resource is read by id: shared by all of its waiters.
pub(super) struct Lookup<'a> {
    pub(super) resource: &'a ir::Resource,
    pub(super) read: &'a ir::Action,
    /// The read input's required parameters the template leaves out (waiter arguments).
    pub(super) arguments: Vec<ir::Field>,
    /// `fn lookup_<resource>(…)`.
    pub(super) function: syn::Ident,
    /// Imports the input expression needs.
    imports: Option<TokenStream>,
    /// The read input for one `batch` of ids.
    input: TokenStream,
    /// The same statements as text, when they print as they read ([`InputCode::plain_lines`]).
    input_lines: Option<Vec<String>>,
}

impl<'a> Lookup<'a> {
    /// The lookup of `resource` through its read action.
    pub(super) fn for_resource(
        service: &'a ir::Service,
        resource: &'a ir::Resource,
    ) -> Result<Self, EmitError> {
        let item = || format!("the lookup of resource `{}`", resource.name);
        let read = service.action_of(&resource.read.action).ok_or_else(|| {
            EmitError::internal(
                item(),
                format!(
                    "its read action `{}` is not in the IR",
                    resource.read.action
                ),
            )
        })?;
        let paging = read.paging.as_ref().ok_or_else(|| {
            EmitError::internal(
                item(),
                format!("its read action `{}` has no paging", read.name),
            )
        })?;
        let mut writer = ExprWriter::template(service, "batch");
        let mut code = writer.input(read, &resource.read.request).ok_or_else(|| {
            EmitError::internal(
                item(),
                format!(
                    "its request template does not build an input of `{}`",
                    read.name
                ),
            )
        })?;
        code.set_count(&paging.page_size, resource.read.max_ids);
        let input = code.tokens();
        let input_lines = code.plain_lines();
        let imports = writer.type_import_tokens(&quote!(crate));
        let function = ident(&names::lookup_function(&resource.name));
        Ok(Lookup {
            resource,
            read,
            arguments: writer.arguments,
            function,
            imports,
            input,
            input_lines,
        })
    }

    /// The statements building the read input as text, for a lookup that takes the ids
    /// alone and imports nothing; `None` for any other (its tokens are printed).
    pub(super) fn plain_input_lines(&self) -> Option<&[String]> {
        let plain = self.arguments.is_empty() && self.imports.is_none();
        self.input_lines.as_deref().filter(|_| plain)
    }

    fn params(&self) -> Vec<TokenStream> {
        super::required_params(&self.arguments)
    }

    /// `fn lookup_<resource>(args…) -> impl FnMut(batch) -> Input`: the read input for one batch.
    pub(super) fn function(&self) -> TokenStream {
        let name = &self.function;
        let params = self.params();
        let owned = self.arguments.iter().map(|f| {
            let name = ident(&f.rust);
            let (_, value) = constructor_param(f);
            quote!(let #name = #value;)
        });
        let module = ident(&self.read.snake);
        let input_type = ident(&names::input_type(&self.read.name));
        let (imports, input) = (&self.imports, &self.input);
        let doc = format!(
            " The `{}` input that reads one batch of {}s by id.",
            self.read.name, self.resource.name
        );
        quote! {
            #[doc = #doc]
            fn #name(
                #(#params),*
            ) -> impl FnMut(Vec<String>) -> crate::operation::#module::#input_type + Send + 'static {
                use crate::operation::#module::#input_type;
                #imports
                #(#owned)*
                move |batch| { #input input }
            }
        }
    }

    /// `wait_until_<waiter>(args…, ids)`.
    pub(super) fn waiter_method(&self, w: &ir::Waiter) -> TokenStream {
        let params = self.params();
        let args = self.arguments.iter().map(|f| ident(&f.rust));
        let lookup = &self.function;
        let spec = spec_ident(w);
        let method = ident(&names::waiter_method(&w.snake));
        let doc = docs::doc_attrs(&docs::waiter(self.resource, self.read, w));
        let module = ident(&self.read.snake);
        let error = ident(&names::error_type(&self.read.name));
        let record = ident(self.resource.record.as_str());
        let (expected, goal) = match &w.until {
            Some(until) => {
                let (param, goal) = until_goal(until, &record);
                (Some(quote!(expected: #param,)), Some(goal))
            }
            None => (None, None),
        };
        quote! {
            #doc
            pub fn #method(
                &self,
                #(#params,)*
                ids: impl IntoIterator<Item = impl Into<String>>,
                #expected
            ) -> Wait<crate::types::#record, crate::operation::#module::#error> {
                Wait::read(&#spec, &self.inner, ids, #lookup(#(#args),*)) #goal
            }
        }
    }
}

/// The `expected` parameter's type, and the `.until(…)` call comparing the
/// record's field with it.
fn until_goal(until: &ir::UntilField, record: &syn::Ident) -> (TokenStream, TokenStream) {
    let field = ident(&until.rust);
    let param = match &until.ty {
        ir::Type::String => quote!(impl Into<String>),
        ty => super::rust_type(ty),
    };
    let owned =
        (until.ty == ir::Type::String).then(|| quote!(let expected: String = expected.into();));
    let test = match (&until.ty, until.required) {
        (ir::Type::String, false) => quote!(r.#field.as_deref() == Some(expected.as_str())),
        (ir::Type::Enum(_), false) => quote!(r.#field.as_ref() == Some(&expected)),
        (_, false) => quote!(r.#field == Some(expected)),
        (_, true) => quote!(r.#field == expected),
    };
    let closure = quote!(move |r: &crate::types::#record| #test);
    let goal = match owned {
        Some(owned) => quote!(.until({ #owned #closure })),
        None => quote!(.until(#closure)),
    };
    (param, goal)
}

/// The arguments a waiter of `resource` takes before its ids (the read's
/// required parameters its request template leaves out).
pub fn waiter_arguments(
    service: &ir::Service,
    resource: &ir::ResourceId,
) -> Result<Vec<ir::Field>, EmitError> {
    let found = service.resource_of(resource).ok_or_else(|| {
        EmitError::internal(
            format!("the waiters of resource `{resource}`"),
            "the resource is not in the IR",
        )
    })?;
    Ok(Lookup::for_resource(service, found)?.arguments)
}

/// `src/paginators.rs`: `<action>_pages` for every action with paging, and
/// the `Paged` impl of its input.
pub fn paginators_module(service: &ir::Service) -> Result<TokenStream, EmitError> {
    let paged: Vec<_> = service
        .actions
        .iter()
        .filter_map(|a| Some((a, a.paging.as_ref()?)))
        .collect();
    let methods = paged.iter().map(|(a, paging)| paginator_methods(a, paging));
    let impls = (paged.iter())
        .map(|(a, paging)| paged_impl(a, paging))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        //! Paginators: `<action>_pages` streams for list actions (`.items()` flattens them).
        impl crate::Client {
            #(#methods)*
        }
        #(#impls)*
    })
}

pub(super) fn paginator_methods(action: &ir::Action, paging: &ir::Paging) -> TokenStream {
    let module = ident(&action.snake);
    let input = ident(&names::input_type(&action.name));
    let pages = ident(&names::paginator_method(&action.snake));
    let pages_doc = docs::doc_attrs(&pages_doc(action, paging));
    let cfg = super::gates::action_cfg(action);
    quote! {
        #pages_doc
        #cfg
        pub fn #pages(
            &self,
            input: crate::operation::#module::#input,
        ) -> rt::paginate::Pages<crate::operation::#module::#input> {
            rt::paginate::Pages::new(&self.inner, input)
        }
    }
}

/// The docs of `<action>_pages`: what it sets, when it stops, what ends it early.
pub(super) fn pages_doc(action: &ir::Action, paging: &ir::Paging) -> String {
    let (set, end, runaway) = match &paging.mode {
        ir::PagingMode::Number { total, .. } => (
            "page numbers set for you".to_string(),
            format!("an empty or short page, or once `{total}` records were seen"),
            format!("a page repeating the one before, `{total}` never reached"),
        ),
        ir::PagingMode::Token { wire, .. } => (
            format!("each page's `{wire}` sent back for the next"),
            format!("the page without a `{wire}` (or with an empty one)"),
            format!("a page repeating the one before, a `{wire}` returned twice"),
        ),
    };
    format!(
        "Every page of `{}`, fetched lazily as the stream is polled ({set}).\n\n\
         Stops after the last page: {end}. \
         Pages that would not end ({runaway}, \
         more than [`max_pages`](rt::paginate::Pages::max_pages)) end the stream with \
         [`PageError::Runaway`](rt::paginate::PageError::Runaway). \
         [`items`](rt::paginate::Pages::items) turns it into a stream of records. \
         The stream owns a clone of the client, so it can be moved into `tokio::spawn`; \
         polling it needs a `StreamExt` trait in scope (`futures::StreamExt`).",
        action.name,
    )
}

/// `impl Paged for <Action>Input`: where the page number or token goes and
/// where the records and the total or next token are, each one call of the
/// runtime's `Request` / `Page` naming the fields: the paging logic (numbers
/// narrowed to the field's width, totals widened) is the runtime's, compiled
/// once, instead of four method bodies per list action.
pub(super) fn paged_impl(
    action: &ir::Action,
    paging: &ir::Paging,
) -> Result<TokenStream, EmitError> {
    let module = ident(&action.snake);
    let input = ident(&names::input_type(&action.name));
    let item = ident(paging.item_type.as_str());
    let size = ident(&paging.page_size);
    let default_size = match paging.default_page_size {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let records = records_mut(action, paging)?;
    let (request, page) = match &paging.mode {
        ir::PagingMode::Number {
            page_number, total, ..
        } => {
            let (number, total) = (ident(page_number), ident(total));
            (
                quote!(rt::paginate::Request::number(&mut self.#number, self.#size, #default_size)),
                quote!(rt::paginate::Page::number(#records, output.#total)),
            )
        }
        ir::PagingMode::Token { input, output, .. } => {
            let (input, output) = (ident(input), ident(output));
            (
                quote!(rt::paginate::Request::token(&mut self.#input, self.#size, #default_size)),
                quote!(rt::paginate::Page::token(#records, &output.#output)),
            )
        }
    };
    let cfg = super::gates::action_cfg(action);
    Ok(quote! {
        #cfg
        impl rt::paginate::Paged for crate::operation::#module::#input {
            type Item = crate::types::#item;
            fn request(&mut self) -> rt::paginate::Request<'_> {
                #request
            }
            fn page(output: &mut Self::Output) -> rt::paginate::Page<'_, Self::Item> {
                #page
            }
        }
    })
}
