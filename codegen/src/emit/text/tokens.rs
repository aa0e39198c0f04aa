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
