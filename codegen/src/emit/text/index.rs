//! `src/lib.rs` and `src/operation/mod.rs` as text: the crate's docs and the list of
//! operation modules, one entry per action, are written directly; the few fixed items
//! after them are taken from the token emitters (`crate_files::lib_items`,
//! `operation::shared_items`) and printed, so their code exists once.

use super::tokens::printed;
use super::{Writer, action_cfg};
use crate::emit::{crate_files, docs, operation};
use crate::ir;

/// The body of `src/lib.rs`, or `None` where the token path must decide the layout.
pub(in crate::emit) fn lib(service: &ir::Service) -> Option<String> {
    let mut w = Writer::new(100 * service.actions.len() + 2048, 0);
    w.doc(&crate_files::crate_docs(service), true)?;
    w.out
        .push_str(&printed(crate_files::lib_items(service), true)?);
    Some(w.out)
}

/// The body of `src/operation/mod.rs`, or `None` where the token path must decide.
pub(in crate::emit) fn operation_index(service: &ir::Service) -> Option<String> {
    let mut w = Writer::new(80 * service.actions.len() + 2048, 0);
    w.raw("//! One module per action: its input, output and error types.");
    for a in &service.actions {
        w.doc(&format!("`{}`: {}", a.name, docs::text(&a.summary)), false)?;
        action_cfg(&mut w, a)?;
        w.line("#[rustfmt::skip]")?;
        w.line(&format!("pub mod {};", a.snake))?;
    }
    w.out
        .push_str(&printed(operation::shared_items(service), true)?);
    Some(w.out)
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_text_is_tokens;
    use crate::emit::Job;

    #[test]
    fn the_text_of_lib_rs_is_what_prettyplease_prints_of_its_tokens() {
        assert_text_is_tokens(Job::Lib, super::lib);
    }

    #[test]
    fn the_text_of_the_operation_index_is_what_prettyplease_prints_of_its_tokens() {
        assert_text_is_tokens(Job::OperationIndex, super::operation_index);
    }
}
