//! Fixed pieces of a file the text writers take from the token emitters, printed by
//! prettyplease, so their code and prose exist once (in the token emitter) and cost a
//! parse of a few items per file.

use std::path::Path;

use proc_macro2::TokenStream;

use crate::emit::{inline, parse};

/// Items' tokens as prettyplease prints them; in a library file (`library`), with the
/// `#[inline]` of every function, as the token path's files get it.
pub(super) fn printed(tokens: TokenStream, library: bool) -> Option<String> {
    let mut file = parse(Path::new("piece"), tokens).ok()?;
    if library {
        inline::mark_functions_inline(&mut file);
    }
    Some(prettyplease::unparse(&file))
}

/// Items of `impl crate::Client` as prettyplease prints them inside that block (indented,
/// without the block's own lines), for a writer that lays out the rest of the block.
pub(super) fn printed_in_client(items: TokenStream) -> Option<String> {
    let printed = printed(quote::quote!(impl crate::Client { #items }), true)?;
    Some(
        printed
            .strip_prefix("impl crate::Client {\n")?
            .strip_suffix("}\n")?
            .to_string(),
    )
}
