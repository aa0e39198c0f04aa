//! The vendors' published signature algorithms, shared with the emulator.
//!
//! The test server and `truebind-emulator` check requests with one
//! implementation (`truebind_emulator::signature`), written from the
//! reference rather than taken from `truebind_runtime::sign`: a request the
//! runtime signed wrongly would verify against the runtime's own code.
//! `emulator/tests/vectors.rs` pins them to the vendors' published vectors.

pub use truebind_emulator::signature::{
    acs3_signature, decode_query, rpc_v1_signature, sha256_hex, zc2_authorization,
};
