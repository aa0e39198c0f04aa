//! Example programs for the generated clients, as a library their binaries
//! and the end-to-end tests share.
//!
//! Each example keeps its logic here, behind a plain `async fn`, and its
//! binary in `src/bin/` only reads the environment and prints. That way the
//! exact code a user runs against a real account is also run by
//! `tests/tests/e2e_example.rs` against a local test server, so an example
//! cannot silently rot when the generator or the runtime changes.
//!
//! * [`private_connect_lifecycle`]: create a Zenlayer private connect between
//!   two ports, print its id and request id, wait until it is running, delete
//!   it and wait until it is in the recycle bin, optionally destroy it, all
//!   with the generated waiters (binary `private_connect_lifecycle`).

pub mod private_connect_lifecycle;

/// The Rust snippets of the README, compiled as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeSnippets;
