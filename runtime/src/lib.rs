//! Hand-written runtime shared by every generated client crate.
//!
//! Generated code stays small because everything that does not depend on a
//! particular action lives here: request signing, the two wire protocols
//! (Zenlayer JSON and Alibaba RPC), validation helpers and error types.
#![deny(missing_docs)]

pub mod sign;
