//! Alibaba Cloud `ACS3-HMAC-SHA256` request signing (the "V3" signature).
//!
//! This is the default scheme of the current official SDKs. It signs the
//! method, path, query, a chosen set of headers and the payload hash:
//!
//! ```text
//! CanonicalRequest = Method + "\n" + CanonicalURI + "\n" + CanonicalQueryString + "\n"
//!                  + CanonicalHeaders + "\n" + SignedHeaders + "\n" + HashedRequestPayload
//! StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
//! Signature        = hex(hmac_sha256(AccessKeySecret, StringToSign))
//! Authorization    = "ACS3-HMAC-SHA256 Credential=" + id + ",SignedHeaders=" + signed
//!                  + ",Signature=" + sig
//! ```
//!
//! Signed headers are `host`, `content-type` and every `x-acs-*` header, as
//! in the official Go runtime and the documented example. Unlike the
//! [`rpc_v1`](super::rpc_v1) scheme the key is the raw secret (no `&`).

use std::borrow::Cow;

use smallvec::SmallVec;

use super::encode::{canonical_query, canonical_query_after};
use sha2::{Digest, Sha256};

use super::{Hex, ascii_lowercase, hmac_sha256_hex, hmac_sha256_of_parts, sha256_hex, trimmed};

/// The algorithm name: first line of the StringToSign and first word of
/// `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-case hex SHA-256 of an empty body, the `x-acs-content-sha256` value
/// of every RPC-style request that carries its parameters in the query.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Everything that enters an `ACS3-HMAC-SHA256` signature. Its `Debug`
/// hides the secret and the security token.
#[derive(Clone, Copy)]
pub struct Acs3Input<'a, N: AsRef<str> = String, V: AsRef<str> = String, Q: AsRef<str> = String> {
    /// HTTP method, used verbatim (e.g. `POST`).
    pub method: &'a str,
    /// The already-encoded request path, used verbatim except that an empty
    /// path is signed as `/` (as the official runtime does); `/` for
    /// RPC-style APIs.
    pub canonical_uri: &'a str,
    /// Query parameters, unencoded; order does not matter. Names are any
    /// string type, so constant names need not be allocated.
    pub query: &'a [(Q, String)],
    /// Request headers as they will be sent. Names may use any case and one
    /// name may appear several times; headers other than `host`,
    /// `content-type` and `x-acs-*` are ignored. Names are any string type,
    /// so a caller's static names need not be allocated; values likewise.
    pub headers: &'a [(N, V)],
    /// Lower-case hex SHA-256 of the body; also sent as
    /// `x-acs-content-sha256` (see [`EMPTY_PAYLOAD_SHA256`]).
    pub payload_hash: &'a str,
    /// AccessKeyId; appears in `Authorization` as `Credential=`.
    pub access_key_id: &'a str,
    /// AccessKeySecret; used raw as the HMAC key.
    pub access_key_secret: &'a str,
}

/// The signature and its intermediate values. Its `Debug` shows only the
/// hashes and names: the canonical request holds the security token, and
/// the signature is a credential until the request expires.
#[derive(Clone, PartialEq, Eq)]
pub struct Acs3Signature {
    /// The CanonicalQueryString (also the exact query to send).
    pub canonical_query: String,
    /// The full CanonicalRequest.
    pub canonical_request: String,
    /// Lower-case hex SHA-256 of the CanonicalRequest.
    pub canonical_request_hash: String,
    /// Sorted lower-case signed header names joined with `;`.
    pub signed_headers: String,
    /// Lower-case hex HMAC-SHA256 signature.
    pub signature: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
}

impl<N: AsRef<str>, V: AsRef<str>, Q: AsRef<str>> std::fmt::Debug for Acs3Input<'_, N, V, Q> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acs3Input")
            .field("method", &self.method)
            .field("canonical_uri", &self.canonical_uri)
            .field("headers", &crate::request::redact_headers(self.headers))
            .field("payload_hash", &self.payload_hash)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"***")
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Acs3Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acs3Signature")
            .field("canonical_request_hash", &self.canonical_request_hash)
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

/// Whether a lower-cased header name takes part in the signature.
pub fn is_signed_header(lower_name: &str) -> bool {
    lower_name == "host" || lower_name == "content-type" || lower_name.starts_with("x-acs-")
}

/// Builds `(CanonicalHeaders, SignedHeaders)`.
///
/// Only signed headers ([`is_signed_header`]) are kept. Names are
/// lower-cased and values trimmed; values that share a lower-cased name are
/// sorted and joined with `,`. Each header line ends in `\n`.
pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> (String, String) {
    let signed = Signed::of(None, headers);
    let mut text = String::with_capacity(signed.text_len());
    let names = signed.write(&mut text);
    let names = text.split_off(names.start);
    // The `\n` between the two parts belongs to neither.
    text.pop();
    (text, names)
}

/// The signed headers of a request, sorted, names lower-cased and values
/// trimmed: what CanonicalHeaders and SignedHeaders are written from.
struct Signed<'a> {
    // Sorting (name, value) pairs orders the names and, within one name, its
    // values. Names already in lower case (all the ones we send) are borrowed.
    // Inline for the headers a request sends: no allocation.
    headers: SmallVec<[(Cow<'a, str>, &'a str); 12]>,
}

impl<'a> Signed<'a> {
    /// The signed ones of `headers`, and `host` (if given) signed as a
    /// `host` header among them would be (see [`after_and_authorization`]).
    fn of<N: AsRef<str>, V: AsRef<str>>(host: Option<&'a str>, sent: &'a [(N, V)]) -> Self {
        let mut headers: SmallVec<[_; 12]> = SmallVec::new();
        if let Some(host) = host {
            headers.push((Cow::Borrowed("host"), trimmed(host)));
        }
        // A loop of pushes: an `extend` from the filtered chain took about
        // 925 instructions for a request's six headers, this about 650.
        for (name, value) in sent {
            let name = ascii_lowercase(trimmed(name.as_ref()));
            if is_signed_header(&name) {
                headers.push((name, trimmed(value.as_ref())));
            }
        }
        // The protocols push their headers in this order: a check costs a
        // comparison per header, and then there is no sort.
        if !headers.is_sorted() {
            headers.sort_unstable();
        }
        Signed { headers }
    }

    /// How long [`write`](Self::write) makes the text, at most.
    fn text_len(&self) -> usize {
        let each = |(name, value): &(Cow<'_, str>, &str)| 2 * name.len() + value.len() + 3;
        self.headers.iter().map(each).sum::<usize>() + 1
    }

    /// Whether header `i` has the name of the one before it.
    fn repeats(&self, i: usize) -> bool {
        i > 0 && self.headers[i - 1].0 == self.headers[i].0
    }

    /// Writes CanonicalHeaders, the `\n` after them and SignedHeaders at the
    /// end of `text`, and returns where SignedHeaders lies: a request signs
    /// both and keeps only the names (in `Authorization`).
    fn write(&self, text: &mut String) -> std::ops::Range<usize> {
        for (i, (name, value)) in self.headers.iter().enumerate() {
            if self.repeats(i) {
                text.push(',');
            } else {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str(name);
                text.push(':');
            }
            text.push_str(value);
        }
        if !self.headers.is_empty() {
            text.push('\n');
        }
        text.push('\n');
        let names_at = text.len();
        for (i, (name, _)) in self.headers.iter().enumerate() {
            if self.repeats(i) {
                continue;
            }
            if i > 0 {
                text.push(';');
            }
            text.push_str(name);
        }
        names_at..text.len()
    }
}

/// Signs one Alibaba Cloud request with `ACS3-HMAC-SHA256`.
pub fn sign<N: AsRef<str>, V: AsRef<str>, Q: AsRef<str>>(
    input: &Acs3Input<'_, N, V, Q>,
) -> Acs3Signature {
    let query = canonical_query(input.query);
    let signed = Signed::of(None, input.headers);
    let head = head(input);
    let head_len: usize = head.iter().map(|part| part.len()).sum();
    let len = head_len + query.len() + after_query_len(&signed, input.payload_hash);
    let mut canonical_request = String::with_capacity(len);
    head.iter()
        .for_each(|part| canonical_request.push_str(part));
    canonical_request.push_str(&query);
    let names = write_after_query(&signed, input.payload_hash, &mut canonical_request);
    let signed_headers = canonical_request.get(names).unwrap_or_default().to_string();
    let canonical_request_hash = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = [ALGORITHM, "\n", &canonical_request_hash].concat();
    let signature = hmac_sha256_hex(
        input.access_key_secret.as_bytes(),
        string_to_sign.as_bytes(),
    );
    let authorization = authorization_of(input.access_key_id, &signed_headers, &signature);
    Acs3Signature {
        canonical_query: query,
        canonical_request,
        canonical_request_hash,
        signed_headers,
        signature,
        authorization,
    }
}

/// The CanonicalQueryString and `Authorization` value of [`sign`], over the
/// same bytes, without building the other intermediate values: what a
/// request needs.
pub fn query_and_authorization<N: AsRef<str>, V: AsRef<str>, Q: AsRef<str>>(
    input: &Acs3Input<'_, N, V, Q>,
) -> (String, String) {
    after_and_authorization(&[], None, input)
}

/// [`query_and_authorization`], the query written after the concatenated
/// `prefix` in the same `String`: a request's URL in one allocation.
///
/// The rest of the CanonicalRequest is written after the query in that
/// same `String`, hashed with the method and URI before it, and cut off
/// again: the query is hashed where it is sent from, and the request
/// costs no buffer of its own.
///
/// `host`, if given, is signed as a `host` header in `input.headers` would
/// be: a request never sends one (the HTTP client writes it from the URL),
/// so its value is borrowed from the URL instead of copied into a header
/// that is then taken out again.
pub(crate) fn after_and_authorization<N: AsRef<str>, V: AsRef<str>, Q: AsRef<str>>(
    prefix: &[&str],
    host: Option<&str>,
    input: &Acs3Input<'_, N, V, Q>,
) -> (String, String) {
    let signed = Signed::of(host, input.headers);
    let room = after_query_len(&signed, input.payload_hash);
    let mut url = canonical_query_after(prefix, input.query, room);
    let prefix_len: usize = prefix.iter().map(|part| part.len()).sum();
    let query_end = url.len();
    let names = write_after_query(&signed, input.payload_hash, &mut url);
    let mut hash = Sha256::new();
    head(input).iter().for_each(|part| hash.update(part));
    hash.update(url.get(prefix_len..).unwrap_or_default());
    let request_hash = Hex::of(&hash.finalize().into());
    let string_to_sign = [ALGORITHM.as_bytes(), b"\n", request_hash.as_bytes()];
    let key = input.access_key_secret.as_bytes();
    let signature = Hex::of(&hmac_sha256_of_parts(key, &string_to_sign));
    let names = url.get(names).unwrap_or_default();
    let authorization = authorization_of(input.access_key_id, names, signature.as_str());
    url.truncate(query_end);
    (url, authorization)
}

/// What the CanonicalRequest holds before its query: the method and the
/// URI (an empty one signed as `/`), each followed by `\n`.
fn head<'a, N: AsRef<str>, V: AsRef<str>, Q: AsRef<str>>(
    input: &Acs3Input<'a, N, V, Q>,
) -> [&'a str; 4] {
    let uri = if input.canonical_uri.is_empty() {
        "/"
    } else {
        input.canonical_uri
    };
    [input.method, "\n", uri, "\n"]
}

/// How long [`write_after_query`] makes its text, at most.
fn after_query_len(signed: &Signed<'_>, payload_hash: &str) -> usize {
    1 + signed.text_len() + 1 + payload_hash.len()
}

/// Writes what the CanonicalRequest holds after its query at the end of
/// `text`, and returns where its SignedHeaders lie.
fn write_after_query(
    signed: &Signed<'_>,
    payload_hash: &str,
    text: &mut String,
) -> std::ops::Range<usize> {
    text.push('\n');
    let names = signed.write(text);
    text.push('\n');
    text.push_str(payload_hash);
    names
}

/// The `Authorization` value carrying `signature`.
fn authorization_of(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    [
        ALGORITHM,
        " Credential=",
        access_key_id,
        ",SignedHeaders=",
        signed_headers,
        ",Signature=",
        signature,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_and_authorization_alone_are_the_full_signature_s() {
        let query = [
            ("RegionId".to_string(), "cn-shanghai".to_string()),
            ("Name".to_string(), "a b/é*~".to_string()),
        ];
        let headers = [
            ("Host".to_string(), " vpc.aliyuncs.com ".to_string()),
            ("x-acs-action".to_string(), "DescribeVpcs".to_string()),
            ("X-Acs-Meta".to_string(), "b".to_string()),
            ("x-acs-meta".to_string(), "a".to_string()),
            ("accept".to_string(), "application/json".to_string()),
        ];
        for (uri, query) in [("/", &query[..]), ("", &[][..]), ("/path", &query[1..])] {
            let input = Acs3Input {
                method: "POST",
                canonical_uri: uri,
                query,
                headers: &headers,
                payload_hash: EMPTY_PAYLOAD_SHA256,
                access_key_id: "AKID",
                access_key_secret: "secret",
            };
            let full = sign(&input);
            let (canonical_query, authorization) = query_and_authorization(&input);
            assert_eq!(canonical_query, full.canonical_query);
            assert_eq!(authorization, full.authorization);
            let (url, authorization) = after_and_authorization(&["https://h/", "?"], None, &input);
            assert_eq!(url, format!("https://h/?{}", full.canonical_query));
            assert_eq!(authorization, full.authorization);
            let without_host = &headers[1..];
            let apart = Acs3Input {
                headers: without_host,
                ..input
            };
            let (_, authorization) =
                after_and_authorization(&[], Some(" vpc.aliyuncs.com "), &apart);
            assert_eq!(authorization, full.authorization, "host signed apart");
        }
    }

    #[test]
    fn canonical_headers_are_sorted_lines_and_a_name_list() {
        let headers = [
            ("X-Acs-B", "2"),
            ("x-acs-a", " 1 "),
            ("accept", "x"),
            ("x-acs-a", "0"),
        ];
        let (canonical, names) = canonical_headers(&headers);
        assert_eq!(canonical, "x-acs-a:0,1\nx-acs-b:2\n");
        assert_eq!(names, "x-acs-a;x-acs-b");
        let none: [(&str, &str); 1] = [("accept", "x")];
        assert_eq!(canonical_headers(&none), (String::new(), String::new()));
    }

    #[test]
    fn host_given_apart_signs_as_a_sent_host_header_for_any_header_set() {
        let header = |name: &str, value: &str| (name.to_string(), value.to_string());
        let sets = [
            vec![
                header("x-acs-action", "DescribeVpcs"),
                header("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256),
                header("x-acs-date", " 2024-01-01T00:00:00Z"),
                header("x-acs-version", "2016-04-28 "),
                header("accept", "application/json"),
            ],
            vec![
                header("content-type", "application/x-www-form-urlencoded"),
                header("x-acs-action", "A"),
                header("user-agent", "ua"),
            ],
            vec![header("accept", "x")],
            vec![],
            // Out of order, repeated, upper case, untrimmed, or `host` itself.
            vec![header("x-acs-b", "1"), header("x-acs-a", "2")],
            vec![header("x-acs-a", "2"), header("x-acs-a", "1")],
            vec![header("x-acs-a", "1"), header("X-Acs-B", "2")],
            vec![header(" x-acs-a", "1"), header("x-acs-b", "2")],
            vec![header("content-type", "t"), header("host", "h")],
            vec![header("a-host", "t"), header("zz", "h")],
        ];
        let query = [("RegionId".to_string(), "cn-shanghai".to_string())];
        for headers in &sets {
            for (host, uri) in [
                (Some(" vpc.aliyuncs.com "), "/"),
                (None, ""),
                (Some("h"), "/p"),
            ] {
                let input = Acs3Input {
                    method: "POST",
                    canonical_uri: uri,
                    query: &query,
                    headers,
                    payload_hash: EMPTY_PAYLOAD_SHA256,
                    access_key_id: "AKID",
                    access_key_secret: "secret",
                };
                let mut with_host = headers.clone();
                with_host.extend(host.map(|host| header("host", host)));
                let full = sign(&Acs3Input {
                    headers: &with_host,
                    ..input
                });
                let (_, authorization) = after_and_authorization(&[], host, &input);
                assert_eq!(authorization, full.authorization, "{headers:?} {host:?}");
            }
        }
    }
}
