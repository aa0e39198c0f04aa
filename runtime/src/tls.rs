//! Which TLS stack the HTTP client uses, chosen by Cargo feature.
//!
//! reqwest's own `rustls` feature pulls in `aws-lc-rs`, a C build that was
//! most of a user's clean build (56 of 70–110 s, BENCHMARKS.md). The default
//! here, `rustls-ring`, builds reqwest with `rustls-no-provider` and makes
//! *ring* the process's rustls provider the first time a client is built —
//! unless the program installed a provider of its own first, which then wins.
//! `rustls-aws-lc` (reqwest's default stack) and `native-tls` (the platform's
//! TLS library) are the alternatives.

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
compile_error!(
    "truebind-runtime needs a TLS stack: enable one of the features `rustls-ring` (default), `rustls-aws-lc` or `native-tls`"
);

/// Makes sure reqwest finds a rustls crypto provider when it builds a client.
pub(crate) fn ensure_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // rustls 0.23.48 deprecates its ring provider because ring has no post-quantum key
        // exchange. It stays the default here for the build time it saves (see the module
        // docs); `rustls-aws-lc` is the feature for post-quantum key exchange. A lint
        // allowance, so a newer rustls in a user's lockfile does not fail `-D warnings`.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        // `Err` means another thread installed one in between: that one stays.
        let _ = provider.install_default();
    }
}

#[cfg(all(test, feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
mod tests {
    /// Without an installed provider, reqwest built with `rustls-no-provider`
    /// panics in `Client::builder().build()`.
    #[test]
    fn a_provider_is_installed_once_and_then_left_alone() {
        super::ensure_provider();
        let first = rustls::crypto::CryptoProvider::get_default().expect("a provider");
        super::ensure_provider();
        let second = rustls::crypto::CryptoProvider::get_default().expect("still installed");
        assert!(std::sync::Arc::ptr_eq(first, second));
    }
}
