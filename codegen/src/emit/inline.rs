//! Every function of a generated library is `#[inline]`, so rustc compiles it
//! only in the crates that call it.
//!
//! A generated crate is mostly small non-generic functions: per action a
//! constructor, a `Params` walk, a `DecodeObject` and an error-code lookup.
//! Without the attribute rustc turns each of them into machine code when it
//! builds the crate, although a program calls a handful; with it, the crate
//! keeps their MIR in its metadata and code is generated only where they are
//! used (an `#[inline]` function is not a root of rustc's lazy code
//! generation). On the whole Alibaba VPC crate this took a quarter of the
//! build's CPU time away (BENCHMARKS.md, "The whole Alibaba VPC crate").
//! `async fn`s are left as they are (`#[inline]` would reach only the
//! function that builds the future, not its body); generated client methods
//! are plain functions returning the runtime's future for that reason.

use syn::visit_mut::{self, VisitMut};

/// Marks every non-`async` function of `file` (free functions and those of
/// `impl` blocks, in nested modules too) `#[inline]`, unless it has an
/// `#[inline…]` attribute already.
pub(super) fn mark_functions_inline(file: &mut syn::File) {
    MarkInline {
        inline: syn::parse_quote!(#[inline]),
    }
    .visit_file_mut(file);
}

/// The visitor, with the attribute parsed once per file and cloned onto each function.
struct MarkInline {
    inline: syn::Attribute,
}

impl VisitMut for MarkInline {
    fn visit_item_fn_mut(&mut self, item: &mut syn::ItemFn) {
        self.mark(&item.sig, &mut item.attrs);
        visit_mut::visit_item_fn_mut(self, item);
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        self.mark(&item.sig, &mut item.attrs);
        visit_mut::visit_impl_item_fn_mut(self, item);
    }
}

impl MarkInline {
    fn mark(&self, sig: &syn::Signature, attrs: &mut Vec<syn::Attribute>) {
        let inline_already = attrs.iter().any(|a| a.path().is_ident("inline"));
        if sig.asyncness.is_none() && !inline_already {
            attrs.push(self.inline.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(source: &str) -> String {
        let mut file: syn::File = syn::parse_str(source).expect("test source parses");
        mark_functions_inline(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn plain_functions_become_inline_and_async_ones_do_not() {
        let out = marked(
            "fn free() {} impl S { pub fn new() -> Self { S } pub async fn call(&self) {} } \
             mod m { impl T for S { fn t(&self) {} } }",
        );
        assert_eq!(out.matches("#[inline]").count(), 3, "{out}");
        assert!(out.contains("#[inline]\n    pub fn new()"), "{out}");
        assert!(!out.contains("#[inline]\n    pub async fn call"), "{out}");
    }

    #[test]
    fn an_inline_attribute_already_there_is_kept_and_not_doubled() {
        let out = marked("#[inline(never)] fn f() {}");
        assert_eq!(out.matches("inline").count(), 1, "{out}");
    }
}
