//! The test every crate-wide text writer passes: its file is byte for byte what the
//! token path (quote, syn, prettyplease) prints, on every service of the repository's
//! specs, and it writes each of them (so the comparison is never vacuous).

use std::path::Path;

use super::tests::services;
use crate::emit::{HEADER, Job, header_for};
use crate::ir;

/// Asserts `text` gives `job`'s file as the token path prints it, for every service.
pub(super) fn assert_text_is_tokens(job: Job<'_>, text: impl Fn(&ir::Service) -> Option<String>) {
    for service in services() {
        let body = text(&service)
            .unwrap_or_else(|| panic!("{} was left to the token path", service.crate_name));
        assert_body_is_tokens(&job, &service, &body, &service.crate_name);
    }
}

/// Asserts `body` (a text writer's file, without its header) is `job`'s file of
/// `service` as the token path prints it; `what` names the file in the failure.
pub(in crate::emit) fn assert_body_is_tokens(
    job: &Job<'_>,
    service: &ir::Service,
    body: &str,
    what: &str,
) {
    let root = Path::new("out").join(&service.crate_name);
    let tokens = job.emit_tokens(service, &root, "spec").expect("emits");
    let header = header_for(HEADER, "spec");
    assert_eq!(format!("{header}{body}"), tokens.contents, "{what}");
}
