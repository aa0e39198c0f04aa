//! Request signing for the two cloud APIs the generated clients talk to.
//!
//! Signing lives in the runtime, not in generated code, because it is the one
//! part of a request that does not depend on the action being called and that
//! must be byte-exact: a single misplaced newline or wrongly cased hex digit
//! makes the gateway reject every call. Keeping it in one hand-written place
//! lets it be pinned against the providers' published test vectors
//! (`tests/signing_vectors.rs`).
//!
//! Every function here is pure: callers pass in the timestamp, nonce, body
//! and headers they are about to send, so the same inputs always produce the
//! same output and the functions can be tested without a clock or network.
//!
//! * [`zc2`]: Zenlayer Cloud API 2.0 `ZC2-HMAC-SHA256`.
//! * [`acs3`]: Alibaba Cloud `ACS3-HMAC-SHA256` (the "V3" signature).
//! * [`rpc_v1`]: Alibaba Cloud legacy RPC `HMAC-SHA1` signature
//!   (`SignatureVersion=1.0`).
//! * [`encode`]: the RFC 3986 percent-encoding both Alibaba schemes use.

pub mod acs3;
pub mod encode;
pub mod rpc_v1;
pub mod zc2;

use std::borrow::Cow;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `bytes`, as used for payload and
/// canonical-request hashes by both `ZC2-HMAC-SHA256` and `ACS3-HMAC-SHA256`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex_string(&Sha256::digest(bytes).into())
}

/// An HMAC (over any hash) keyed with `key`, fed `msg`.
pub(crate) fn hmac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> M {
    // HMAC is defined for keys of any length (long keys are hashed, short ones
    // zero-padded), and the RustCrypto implementation never returns an error
    // from `new_from_slice`; the `Result` only exists because the trait is
    // shared with fixed-key MACs.
    let mut mac = M::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac
}

/// Raw HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    hmac::<Hmac<Sha256>>(key, msg)
        .finalize()
        .into_bytes()
        .into()
}

/// Lower-case hex HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    hex_string(&hmac_sha256(key, msg))
}

/// Lower-case hex of a 32-byte digest, encoded on the stack and copied into
/// a `String` of exactly its length (`hex::encode` collects `char` by `char`).
fn hex_string(digest: &[u8; 32]) -> String {
    Hex::of(digest).as_str().to_owned()
}

/// The lower-case hex of a 32-byte digest, kept on the stack.
pub(crate) struct Hex([u8; 64]);

impl Hex {
    pub(crate) fn of(digest: &[u8; 32]) -> Self {
        let mut hex = [0u8; 64];
        hex_into(digest, &mut hex);
        Hex(hex)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }

    /// The digits as bytes: what a hash is fed, without [`as_str`](Self::as_str)'s check.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Writes the lower-case hex of `bytes` into `out` (twice as long), one
/// table look per byte for both of its digits.
pub(crate) fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const PAIRS: [[u8; 2]; 256] = {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut pairs = [[0; 2]; 256];
        let mut b = 0;
        while b < 256 {
            pairs[b] = [DIGITS[b >> 4], DIGITS[b & 0xf]];
            b += 1;
        }
        pairs
    };
    for (pair, &byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&PAIRS[usize::from(byte)]);
    }
}

/// SHA-256 of the concatenation of `parts`, without concatenating them.
/// Parts are text or bytes: a digest's hex is fed as its bytes, with no
/// UTF-8 check to make it a `str`.
pub(crate) fn sha256_of_parts<P: AsRef<[u8]>>(parts: &[P]) -> [u8; 32] {
    let mut hash = Sha256::new();
    parts.iter().for_each(|part| hash.update(part));
    hash.finalize().into()
}

/// HMAC-SHA256 under `key` of the concatenation of `parts` (text or
/// bytes, as for [`sha256_of_parts`]), without concatenating them.
pub(crate) fn hmac_sha256_of_parts<P: AsRef<[u8]>>(key: &[u8], parts: &[P]) -> [u8; 32] {
    let mut mac = hmac::<Hmac<Sha256>>(key, &[]);
    parts.iter().for_each(|part| mac.update(part.as_ref()));
    mac.finalize().into_bytes().into()
}

/// `s.trim()`, without its Unicode look when `s` starts and ends with a
/// visible ASCII byte (as every header name and value we send does): no
/// whitespace of any kind is one, so the result is the same.
fn trimmed(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `s` with ASCII letters lower-cased; borrowed, without allocating, when
/// `s` is lower-case already (as the header names and values we send are).
fn ascii_lowercase(s: &str) -> Cow<'_, str> {
    if has_ascii_uppercase(s.as_bytes()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `bytes` hold an ASCII upper-case letter, eight bytes at a time:
/// every header name and value is looked at on each signature. In a word,
/// each byte's low seven bits plus `0x80 - b'A'` (or `0x80 - b'Z' - 1`)
/// reach its top bit exactly when they are at least `A` (above `Z`), with
/// no carry into the next byte; a byte with its own top bit set is no letter.
fn has_ascii_uppercase(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let mut words = bytes.chunks_exact(8);
    let upper_in = |word: u64| {
        let low = word & !HIGHS;
        let from_a = low + ONES * u64::from(0x80 - b'A');
        let past_z = low + ONES * u64::from(0x80 - b'Z' - 1);
        from_a & !past_z & !word & HIGHS != 0
    };
    let found = words
        .by_ref()
        .any(|word| upper_in(u64::from_le_bytes(word.try_into().unwrap_or([0; 8]))));
    found || words.remainder().iter().any(u8::is_ascii_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_are_the_formatter_s() {
        let mut digests = vec![[0u8; 32], [0xff; 32]];
        digests.push(std::array::from_fn(|i| i as u8));
        digests.push(std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0x5a));
        for nibbles in 0..=255u8 {
            digests.push([nibbles; 32]);
        }
        for digest in digests {
            let expected: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(Hex::of(&digest).as_str(), expected);
        }
    }

    #[test]
    fn an_upper_case_letter_is_found_as_a_byte_look_finds_it() {
        let mut texts: Vec<Vec<u8>> = (0..=255u8)
            .flat_map(|b| {
                (0..12).map(move |at| {
                    let mut text = b"x-acs-version".to_vec();
                    text[at] = b;
                    text
                })
            })
            .collect();
        texts.extend([Vec::new(), b"A".to_vec(), b"@[`{".to_vec(), "É".into()]);
        for text in texts {
            let expected = text.iter().any(u8::is_ascii_uppercase);
            assert_eq!(has_ascii_uppercase(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn trimmed_is_str_trim() {
        let cases = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "a b",
            "\u{a0}x\u{a0}",
            "x\u{2003}",
            "\u{3000}",
            "é",
            " é ",
            "application/json",
            "\u{85}a",
            "a\u{1680}",
            "\x0b\x0c",
            "~",
            "\x7f",
        ];
        for case in cases {
            assert_eq!(trimmed(case), case.trim(), "{case:?}");
        }
    }
}
