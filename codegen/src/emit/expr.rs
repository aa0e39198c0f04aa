//! JSON example values → Rust statements that build an action's input.
//!
//! The writer builds a small syntax tree ([`Expr`], [`Stmt`]) once and renders
//! it two ways: as tokens for generated code (waiter lookups, example tests),
//! so no code goes through text that has to be parsed back, and as text for
//! rustdoc examples, which are Markdown. Both renderings come from one tree,
//! so the doc example and the tested code cannot drift.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};
use serde_json::Value;

use super::ident;
use crate::ir;
use crate::names;

/// A Rust expression built from an example value.
#[derive(Debug, Clone)]
enum Expr {
    /// A string literal.
    Str(String),
    /// `inner.to_string()`.
    Owned(Box<Expr>),
    /// An integer literal.
    Int(i64),
    /// An unsigned count literal.
    Count(u64),
    /// A float literal.
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `Type::Variant`.
    Variant(String, String),
    /// `Type::from("wire")`: a value the enum does not know.
    FromWire(String, String),
    /// `vec![…]`.
    List(Vec<Expr>),
    /// `BTreeMap::from([("key".to_string(), value), …])`.
    Map(Vec<(String, Expr)>),
    /// `Type::new(arguments…)`.
    New(String, Vec<Expr>),
    /// A variable (or parameter) by its Rust name.
    Var(String),
    /// `name.clone()`.
    Cloned(String),
}

impl Expr {
    fn text(&self) -> String {
        let list = |items: &[Expr]| items.iter().map(Expr::text).collect::<Vec<_>>().join(", ");
        match self {
            Expr::Str(s) => format!("{s:?}"),
            Expr::Owned(inner) => format!("{}.to_string()", inner.text()),
            Expr::Int(n) => n.to_string(),
            Expr::Count(n) => n.to_string(),
            Expr::Float(x) => format!("{x:?}"),
            Expr::Bool(b) => b.to_string(),
            Expr::Variant(ty, variant) => format!("{ty}::{variant}"),
            Expr::FromWire(ty, wire) => format!("{ty}::from({wire:?})"),
            Expr::List(items) => format!("vec![{}]", list(items)),
            Expr::Map(entries) => {
                let entries: Vec<String> = (entries.iter())
                    .map(|(k, v)| format!("({k:?}.to_string(), {})", v.text()))
                    .collect();
                format!("std::collections::BTreeMap::from([{}])", entries.join(", "))
            }
            Expr::New(ty, args) => format!("{ty}::new({})", list(args)),
            Expr::Var(name) => name.clone(),
            Expr::Cloned(name) => format!("{name}.clone()"),
        }
    }
}

impl Expr {
    /// Whether [`Expr::text`] is what prettyplease prints of the expression's tokens: no
    /// literal whose escapes or float form could differ, no macro or list to lay out.
    fn prints_as_text(&self) -> bool {
        match self {
            Expr::Str(s) => s
                .bytes()
                .all(|b| (b.is_ascii_graphic() || b == b' ') && !matches!(b, b'"' | b'\\' | b'\'')),
            Expr::Owned(inner) => inner.prints_as_text(),
            Expr::New(_, args) => args.iter().all(Expr::prints_as_text),
            Expr::Int(_)
            | Expr::Count(_)
            | Expr::Bool(_)
            | Expr::Variant(..)
            | Expr::Var(_)
            | Expr::Cloned(_) => true,
            Expr::Float(_) | Expr::FromWire(..) | Expr::List(_) | Expr::Map(_) => false,
        }
    }
}

impl ToTokens for Expr {
    fn to_tokens(&self, out: &mut TokenStream) {
        let tokens = match self {
            Expr::Str(s) => Literal::string(s).into_token_stream(),
            Expr::Owned(inner) => quote!(#inner.to_string()),
            Expr::Int(n) => Literal::i64_unsuffixed(*n).into_token_stream(),
            Expr::Count(n) => Literal::u64_unsuffixed(*n).into_token_stream(),
            Expr::Float(x) => Literal::f64_unsuffixed(*x).into_token_stream(),
            Expr::Bool(b) => quote!(#b),
            Expr::Variant(ty, variant) => {
                let (ty, variant) = (ident(ty), ident(variant));
                quote!(#ty::#variant)
            }
            Expr::FromWire(ty, wire) => {
                let ty = ident(ty);
                quote!(#ty::from(#wire))
            }
            Expr::List(items) => quote!(vec![#(#items),*]),
            Expr::Map(entries) => {
                let entries = entries.iter().map(|(k, v)| quote!((#k.to_string(), #v)));
                quote!(std::collections::BTreeMap::from([#(#entries),*]))
            }
            Expr::New(ty, args) => {
                let ty = ident(ty);
                quote!(#ty::new(#(#args),*))
            }
            Expr::Var(name) => ident(name).into_token_stream(),
            Expr::Cloned(name) => {
                let name = ident(name);
                quote!(#name.clone())
            }
        };
        out.extend(tokens);
    }
}

/// One statement: `let [mut] var = value;` or `var.field = Some(value);`.
#[derive(Debug, Clone)]
enum Stmt {
    Let {
        mutable: bool,
        var: String,
        value: Expr,
    },
    Set {
        var: String,
        field: String,
        value: Expr,
    },
}

impl Stmt {
    fn text(&self) -> String {
        match self {
            Stmt::Let {
                mutable,
                var,
                value,
            } => {
                let binding = if *mutable { "let mut" } else { "let" };
                format!("{binding} {var} = {};", value.text())
            }
            Stmt::Set { var, field, value } => format!("{var}.{field} = Some({});", value.text()),
        }
    }
}

impl ToTokens for Stmt {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            Stmt::Let {
                mutable,
                var,
                value,
            } => {
                let var = ident(var);
                let binding = mutable.then(|| quote!(mut));
                quote!(let #binding #var = #value;)
            }
            Stmt::Set { var, field, value } => {
                let (var, field) = (ident(var), ident(field));
                quote!(#var.#field = Some(#value);)
            }
        });
    }
}

/// Builds Rust code from example JSON, remembering which types it uses.
pub(crate) struct ExprWriter<'a> {
    service: &'a ir::Service,
    used_types: BTreeSet<String>,
    /// In a read template: the variable standing for `$ids`.
    ids: Option<&'a str>,
    /// In a read template: required top-level parameters left out, taken as arguments.
    pub(crate) arguments: Vec<ir::Field>,
    /// Statements building nested structures, in the order they must run.
    hoisted: Vec<Stmt>,
    /// Variable names in use in the example being written.
    taken: BTreeSet<String>,
}

/// `(field, value)` pairs: optional parameters to set after `new`.
type Assignments = Vec<(String, Expr)>;

/// Rust statements that build an example input in a variable named `input`.
pub(crate) struct InputCode {
    /// Nested structures built first.
    before: Vec<Stmt>,
    /// `XInput::new(required…)`.
    new: Expr,
    /// Optional parameters set on `input`.
    sets: Assignments,
}

impl InputCode {
    /// Sets the optional field `field` of the input to the count `value`.
    pub(crate) fn set_count(&mut self, field: &str, value: u64) {
        self.sets.push((field.to_owned(), Expr::Count(value)));
    }

    fn statements(&self) -> Vec<Stmt> {
        let mut statements = self.before.clone();
        statements.push(Stmt::Let {
            mutable: !self.sets.is_empty(),
            var: "input".to_owned(),
            value: self.new.clone(),
        });
        statements.extend(self.sets.iter().map(|(field, value)| Stmt::Set {
            var: "input".to_owned(),
            field: field.clone(),
            value: value.clone(),
        }));
        statements
    }

    /// The statements as text, one per line (for rustdoc examples).
    pub(crate) fn lines(&self) -> Vec<String> {
        self.statements().iter().map(Stmt::text).collect()
    }

    /// [`InputCode::lines`], when each is what prettyplease prints of its tokens (if it
    /// fits on its line), so a text writer can lay them out.
    pub(crate) fn plain_lines(&self) -> Option<Vec<String>> {
        let statements = self.statements();
        let plain = statements.iter().all(|s| match s {
            Stmt::Let { value, .. } | Stmt::Set { value, .. } => value.prints_as_text(),
        });
        plain.then(|| statements.iter().map(Stmt::text).collect())
    }

    /// The statements as tokens (for generated code).
    pub(crate) fn tokens(&self) -> TokenStream {
        let statements = self.statements();
        quote!(#(#statements)*)
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
                .extend(arguments.map(|f| names::bare(&f.rust).to_string()));
        }
        let (args, sets) = self.fields(&action.input, object, true)?;
        Some(InputCode {
            before: std::mem::take(&mut self.hoisted),
            new: Expr::New(names::input_type(&action.name), args),
            sets,
        })
    }

    /// Constructor arguments and `(field, value)` assignments for an object.
    fn fields(
        &mut self,
        fields: &[ir::Field],
        object: &serde_json::Map<String, Value>,
        top: bool,
    ) -> Option<(Vec<Expr>, Assignments)> {
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
                    args.push(Expr::Cloned(f.rust.clone()));
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
        let base = names::bare(hint);
        let base = if names::is_ident(base) {
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

    /// An expression for `v`; `owned` strings are needed inside containers
    /// and optional fields; `hint` names a variable the value may need.
    fn value(&mut self, ty: &ir::Type, v: &Value, owned: bool, hint: &str) -> Option<Expr> {
        if let (Some(ids), ir::Type::List(_)) = (self.ids, ty)
            && v.as_str() == Some("$ids")
        {
            return Some(Expr::Var(ids.to_string()));
        }
        Some(match ty {
            ir::Type::String => {
                let s = Expr::Str(v.as_str()?.to_string());
                if owned { Expr::Owned(Box::new(s)) } else { s }
            }
            ir::Type::Integer | ir::Type::Long => Expr::Int(v.as_i64()?),
            ir::Type::Float => Expr::Float(v.as_f64()?),
            ir::Type::Boolean => Expr::Bool(v.as_bool()?),
            ir::Type::Enum(name) => self.enum_value(name, v.as_str()?)?,
            ir::Type::List(item) => Expr::List(
                (v.as_array()?.iter())
                    .map(|x| self.value(item, x, true, &format!("{hint}_item")))
                    .collect::<Option<_>>()?,
            ),
            ir::Type::Map(item) => {
                let mut entries = Vec::new();
                for (k, x) in v.as_object()? {
                    let value = self.value(item, x, true, &format!("{hint}_value"))?;
                    entries.push((k.clone(), value));
                }
                Expr::Map(entries)
            }
            ir::Type::Struct(name) => self.struct_value(name, v, hint)?,
        })
    }

    /// A known variant, or `from` the wire value for one the enum does not list.
    fn enum_value(&mut self, id: &ir::EnumId, wire: &str) -> Option<Expr> {
        let e = self.service.enum_of(id)?;
        let name = &e.name;
        self.used_types.insert(name.clone());
        let known =
            (e.values.iter()).find(|x| x.wire == wire || x.aliases.iter().any(|a| a == wire));
        Some(match known {
            Some(known) => Expr::Variant(name.to_string(), known.variant.clone()),
            None => Expr::FromWire(name.to_string(), wire.to_string()),
        })
    }

    /// `Type::new(…)`, or a variable built before the input when optional fields are set.
    fn struct_value(&mut self, id: &ir::StructId, v: &Value, hint: &str) -> Option<Expr> {
        let s = self.service.struct_of(id)?;
        let name = &s.name;
        self.used_types.insert(name.clone());
        let (args, sets) = self.fields(&s.fields, v.as_object()?, false)?;
        let new = Expr::New(name.to_string(), args);
        if sets.is_empty() {
            return Some(new);
        }
        let var = self.fresh(hint);
        self.hoisted.push(Stmt::Let {
            mutable: true,
            var: var.clone(),
            value: new,
        });
        for (field, value) in sets {
            self.hoisted.push(Stmt::Set {
                var: var.clone(),
                field,
                value,
            });
        }
        Some(Expr::Var(var))
    }

    /// `use <krate>::types::{…};` as text, when the example names shared types.
    pub(crate) fn type_imports(&self, krate: &str) -> Option<String> {
        if self.used_types.is_empty() {
            return None;
        }
        let list: Vec<&str> = self.used_types.iter().map(String::as_str).collect();
        Some(format!("use {krate}::types::{{{}}};", list.join(", ")))
    }

    /// `use <krate>::types::{…};` as tokens, when the example names shared types.
    pub(crate) fn type_import_tokens(&self, krate: &TokenStream) -> Option<TokenStream> {
        if self.used_types.is_empty() {
            return None;
        }
        let list = self.used_types.iter().map(|t| ident(t));
        Some(quote!(use #krate::types::{#(#list),*};))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn fixture(name: &str) -> ir::Service {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/spec")
            .join(name);
        let loaded = crate::load::load_service(&dir).expect("loads");
        crate::validate::validate(&loaded).expect("valid")
    }

    /// The rustdoc example shows the code the generated test runs: the text
    /// rendering, parsed, is token for token the token rendering.
    #[test]
    fn the_text_and_the_tokens_of_every_fixture_example_are_the_same_code() {
        let mut seen = 0;
        for service in [fixture("kitchen-sink"), fixture("json-sink")] {
            for action in &service.actions {
                for request in action.examples.iter().filter_map(|e| e.request.as_ref()) {
                    let mut writer = ExprWriter::new(&service);
                    let code = writer.input(action, request).expect("the example builds");
                    let text: TokenStream = code.lines().concat().parse().expect("Rust");
                    assert_eq!(
                        text.to_string(),
                        code.tokens().to_string(),
                        "{}",
                        action.name
                    );
                    seen += 1;
                }
            }
        }
        assert!(seen > 5, "only {seen} examples");
    }

    #[test]
    fn strings_keep_their_escapes_in_both_renderings() {
        let tricky = "quote \" backslash \\ newline \n tab \t unicode é \u{7f}";
        let expr = Expr::Str(tricky.to_string());
        let text: TokenStream = expr.text().parse().expect("Rust");
        for tokens in [text, expr.to_token_stream()] {
            let lit: syn::LitStr = syn::parse2(tokens).expect("a string literal");
            assert_eq!(lit.value(), tricky);
        }
    }
}
