//! Alibaba Cloud's percent-encoding (RFC 3986, "unreserved" characters kept).
//!
//! Both Alibaba signature schemes encode query names and values this way
//! before signing, and the legacy RPC scheme encodes the whole canonicalized
//! query string a second time. The official SDKs get there by
//! form-URL-encoding and then patching `+` → `%20`, `*` → `%2A` and
//! `%7E` → `~`; encoding directly with the RFC 3986 unreserved set gives the
//! same result without the patch-up step.

use std::borrow::Cow;

use smallvec::SmallVec;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte except RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`).
///
/// `percent-encoding` always escapes non-ASCII bytes and always writes
/// upper-case hex, which is what Alibaba requires.
pub const ALIBABA_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `s` as UTF-8: unreserved characters are kept, every other
/// byte becomes `%XY` with upper-case hex, and a space becomes `%20`
/// (never `+`).
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, ALIBABA_ENCODE_SET).to_string()
}

/// The canonical query both Alibaba schemes sign (and send): every name and
/// value percent-encoded, pairs sorted by encoded name then value (so the result
/// never depends on input order), joined `name=value` with `&`. An empty value
/// keeps its `=`.
pub fn canonical_query(params: &[(String, String)]) -> String {
    canonical_query_after(&[], params)
}

/// The concatenated `prefix` followed by [`canonical_query`]`(params)`, in
/// one allocation: a request URL is its base, `?` and the query.
pub(crate) fn canonical_query_after(prefix: &[&str], params: &[(String, String)]) -> String {
    // Inline for the parameters of most calls: no allocation.
    let mut encoded: SmallVec<[(Cow<'_, str>, Cow<'_, str>); 16]> = params
        .iter()
        .map(|(name, value)| (encoded(name), encoded(value)))
        .collect();
    encoded.sort_unstable();
    let prefix_len: usize = prefix.iter().map(|part| part.len()).sum();
    let pairs_len: usize = (encoded.iter())
        .map(|(name, value)| name.len() + value.len() + 2)
        .sum();
    let mut query = String::with_capacity(prefix_len + pairs_len);
    prefix.iter().for_each(|part| query.push_str(part));
    for (i, (name, value)) in encoded.iter().enumerate() {
        if i > 0 {
            query.push('&');
        }
        query.push_str(name);
        query.push('=');
        query.push_str(value);
    }
    query
}

/// [`percent_encode`], borrowed when `s` is made only of unreserved
/// characters (most names and values are): one tight look at the bytes.
fn encoded(s: &str) -> Cow<'_, str> {
    const UNRESERVED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
            b += 1;
        }
        table
    };
    if s.as_bytes().iter().all(|&b| UNRESERVED[usize::from(b)]) {
        Cow::Borrowed(s)
    } else {
        Cow::from(utf8_percent_encode(s, ALIBABA_ENCODE_SET))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_borrowing_encoder_encodes_as_the_reference_does() {
        let mut texts: Vec<String> = [
            "",
            "RegionId",
            "cn-shanghai",
            "a b",
            "a+b",
            "*",
            "~",
            "%",
            "%7E",
            "é",
            "漢字",
            "🎉",
            "Tag.1.Key",
            "x_y-z.0~9",
            "a/b?c=d&e",
            "\"quoted\"",
            "tab\t",
            "\u{7f}",
        ]
        .map(String::from)
        .to_vec();
        texts.extend((0..=127u8).map(|b| format!("a{}z", char::from(b))));
        for text in &texts {
            let fast = encoded(text);
            assert_eq!(fast, percent_encode(text), "{text:?}");
            if fast == text.as_str() {
                let borrowed = matches!(fast, Cow::Borrowed(b) if b.as_ptr() == text.as_ptr());
                assert!(borrowed, "{text:?} is not copied");
            }
        }
    }
}
