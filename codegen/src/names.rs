//! Rust names for vendor names.
//!
//! Wire names stay exactly as the vendor writes them (serde renames carry
//! them); Rust names are derived with heck and made safe: keywords become raw
//! identifiers (`type` → `r#type`), names that cannot be raw get a trailing
//! underscore, and names starting with a digit get a prefix. An ASCII name
//! (every vendor name so far) is split into words by `ascii_words`, heck's
//! rule restated for bytes: heck writes each character through a formatter,
//! about 1,600 instructions a word, and a run converts thousands of names.
//!
//! The names the generator derives from those (an action's `…Input`, a
//! waiter's `wait_until_…`) are built here too: validation checks them for
//! collisions and the emitters use them, so the two cannot drift apart.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Whether `name` is a kebab-case crate name: a lower-case letter, then lower-case
/// letters, digits and single inner `-`. Spec directory names must be one too, as
/// they are written into generated file headers and manifests.
pub fn is_kebab(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Cargo features every generated crate has besides its groups (the TLS
/// stacks, `http2`, `serde`, `default`): no action group may take one of these names.
pub const RESERVED_FEATURES: [&str; 6] = [
    "default",
    "http2",
    "native-tls",
    "rustls-aws-lc",
    "rustls-ring",
    "serde",
];

/// heck's `to_snake_case` of `wire`, the same string (a test compares them).
pub(crate) fn snake_case(wire: &str) -> String {
    if !wire.is_ascii() {
        return wire.to_snake_case();
    }
    let mut out = String::with_capacity(wire.len() + 4);
    ascii_words(wire, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    });
    out
}

/// heck's `to_upper_camel_case` of `wire`, the same string (a test compares them).
fn upper_camel_case(wire: &str) -> String {
    if !wire.is_ascii() {
        return wire.to_upper_camel_case();
    }
    let mut out = String::with_capacity(wire.len());
    ascii_words(wire, |word| {
        let (first, rest) = word.as_bytes().split_at(1);
        out.push(char::from(first[0].to_ascii_uppercase()));
        out.extend(rest.iter().map(|b| char::from(b.to_ascii_lowercase())));
    });
    out
}

/// Calls `word` with each word of the ASCII string `s`, by heck's rule: words are runs of
/// letters and digits, and a run breaks before an upper-case letter that follows a
/// lower-case one (digits between them keep the case before), and before the last of
/// several upper-case letters when a lower-case one follows (`HTTPServer`: `HTTP`,
/// `Server`). Every word is non-empty.
fn ascii_words(s: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Lower,
        Upper,
    }
    for run in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = run.as_bytes();
        let (mut start, mut case) = (0, Case::None);
        for (i, pair) in bytes.windows(2).enumerate() {
            let (c, next) = (pair[0], pair[1]);
            let with_c = if c.is_ascii_lowercase() {
                Case::Lower
            } else if c.is_ascii_uppercase() {
                Case::Upper
            } else {
                case
            };
            if with_c == Case::Lower && next.is_ascii_uppercase() {
                word(&run[start..=i]);
                (start, case) = (i + 1, Case::None);
            } else if case == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&run[start..i]);
                (start, case) = (i, Case::None);
            } else {
                case = with_c;
            }
        }
        if start < run.len() {
            word(&run[start..]);
        }
    }
}

/// snake_case field or method name, keyword-safe.
pub fn snake(wire: &str) -> String {
    let name = snake_case(wire);
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name
    };
    keyword_safe(name)
}

/// UpperCamel type or variant name, keyword-safe.
pub fn camel(wire: &str) -> String {
    let name = upper_camel_case(wire);
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name.is_empty() {
        "Empty".to_string()
    } else {
        name
    };
    keyword_safe(name)
}

/// The words syn refuses as an identifier (its `accept_as_ident`): Rust's keywords,
/// reserved words and `_`.
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` is a Rust identifier as it stands (`r#type` included), as syn parses one:
/// a plain ASCII name that is not a keyword without running syn's tokenizer (once per name
/// it was a twentieth of a generation's instructions), anything else by syn.
pub fn is_ident(name: &str) -> bool {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (plain && !KEYWORDS.contains(&name)) || syn::parse_str::<syn::Ident>(name).is_ok()
}

/// `name`, made a raw identifier (`r#type`) or suffixed (`self_`) when it is not one as is.
fn keyword_safe(name: String) -> String {
    if is_ident(&name) {
        return name;
    }
    let raw = format!("r#{name}");
    if syn::parse_str::<syn::Ident>(&raw).is_ok() {
        raw
    } else {
        format!("{name}_")
    }
}

/// The name without a raw-identifier prefix, for use inside other names.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// An identifier token for a derived name; `r#type`-style names become raw identifiers.
pub fn ident(name: &str) -> syn::Ident {
    let span = proc_macro2::Span::call_site();
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, span),
        None => syn::Ident::new(name, span),
    }
}

/// The name a crate is used by in Rust code (`zenlayer-sdn` → `zenlayer_sdn`).
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// Whether `wire` can name an action: ASCII letters and digits, starting with
/// an upper-case letter. Acronyms may stay upper case (`ApplyPhysicalConnectionLOA`);
/// the Rust names are derived from [`action_type`].
pub fn is_action_name(wire: &str) -> bool {
    wire.starts_with(|c: char| c.is_ascii_uppercase())
        && wire.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The UpperCamel stem of an action's types: its wire name with acronyms
/// written as words (`ApplyPhysicalConnectionLOA` → `ApplyPhysicalConnectionLoa`).
/// A suffix always follows, so no keyword can result (`Self` → `SelfInput`).
pub fn action_type(action: &str) -> String {
    upper_camel_case(action)
}

/// `{Action}Input`: the input type of an action (given its wire name).
pub fn input_type(action: &str) -> String {
    action_type(action) + "Input"
}

/// `{Action}Output`: the output type of an action.
pub fn output_type(action: &str) -> String {
    action_type(action) + "Output"
}

/// `{Action}Error`: the error type of an action.
pub fn error_type(action: &str) -> String {
    action_type(action) + "Error"
}

/// `{Action}ErrorKind`: the enum of an action's documented error codes.
pub fn error_kind_type(action: &str) -> String {
    action_type(action) + "ErrorKind"
}

/// Every type generated for an action: [`input_type`], [`output_type`], [`error_type`]
/// and [`error_kind_type`], from one [`action_type`].
pub fn action_types(action: &str) -> [String; 4] {
    let stem = action_type(action);
    ["Input", "Output", "Error", "ErrorKind"].map(|suffix| stem.clone() + suffix)
}

/// `{action}_pages`: the paginator method of a list action (given its snake name).
pub fn paginator_method(action_snake: &str) -> String {
    format!("{}_pages", bare(action_snake))
}

/// `wait_until_{waiter}`: the client method of a waiter (given its snake name).
pub fn waiter_method(waiter_snake: &str) -> String {
    format!("wait_until_{}", bare(waiter_snake))
}

/// `lookup_{resource}`: the function reading a resource by id (given its name).
pub fn lookup_function(resource: &str) -> String {
    format!("lookup_{}", bare(&snake(resource)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to five characters over an alphabet with each kind of character
    /// heck tells apart (lower, upper, digit, separators), and some longer real names.
    fn case_inputs() -> Vec<String> {
        const ALPHABET: [char; 8] = ['a', 'b', 'C', 'D', '1', '_', ' ', '.'];
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        let real = [
            "ApplyPhysicalConnectionLOA",
            "HTTPServer2Go",
            "vlanId",
            "ALI_CLOUD",
            "100Base-T",
            "Forbidden.VBRExists",
            "IPv6Address",
            "x86_64Arch",
            "--a--B--",
        ];
        all.extend(real.iter().map(|s| s.to_string()));
        all
    }

    #[test]
    fn ascii_case_conversions_agree_with_heck() {
        for input in case_inputs() {
            assert_eq!(
                snake_case(&input),
                input.to_snake_case(),
                "snake of {input:?}"
            );
            let camel = upper_camel_case(&input);
            assert_eq!(camel, input.to_upper_camel_case(), "camel of {input:?}");
        }
    }

    #[test]
    fn non_ascii_names_are_converted_by_heck() {
        assert_eq!(snake_case("ÉtatCourant"), "état_courant");
        assert_eq!(upper_camel_case("état courant"), "ÉtatCourant");
    }

    /// What `keyword_safe` answered before its shortcut: syn decides every name.
    fn by_syn(name: &str) -> String {
        if syn::parse_str::<syn::Ident>(name).is_ok() {
            return name.to_string();
        }
        let raw = format!("r#{name}");
        if syn::parse_str::<syn::Ident>(&raw).is_ok() {
            raw
        } else {
            format!("{name}_")
        }
    }

    #[test]
    fn the_keyword_shortcut_agrees_with_syn() {
        let words = KEYWORDS.iter().copied().chain([
            "gen",
            "union",
            "macro_rules",
            "r#type",
            "a1",
            "_x",
            "__",
            "Ünïcode",
            "x-y",
        ]);
        for word in words {
            assert_eq!(keyword_safe(word.to_string()), by_syn(word), "{word}");
            let syn_says = syn::parse_str::<syn::Ident>(word).is_ok();
            assert_eq!(is_ident(word), syn_says, "{word}");
        }
    }

    #[test]
    fn snake_escapes_keywords_and_keeps_plain_names() {
        assert_eq!(snake("vlanId"), "vlan_id");
        assert_eq!(snake("RegionId"), "region_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("ByPassSp"), "by_pass_sp");
    }

    #[test]
    fn camel_handles_spaces_digits_and_keywords() {
        assert_eq!(camel("Allocation Failed"), "AllocationFailed");
        assert_eq!(camel("ALI_CLOUD"), "AliCloud");
        assert_eq!(camel("100Base-T"), "V100baseT");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("Forbidden.VBRExists"), "ForbiddenVbrExists");
    }

    #[test]
    fn acronyms_in_action_names_become_words_in_rust_names() {
        let action = "ApplyPhysicalConnectionLOA";
        assert!(is_action_name(action));
        assert_eq!(snake(action), "apply_physical_connection_loa");
        assert_eq!(input_type(action), "ApplyPhysicalConnectionLoaInput");
        assert_eq!(
            action_types(action)[3],
            "ApplyPhysicalConnectionLoaErrorKind"
        );
        assert_eq!(input_type("DescribeVSwitches"), "DescribeVSwitchesInput");
        for bad in ["applyLOA", "Apply_LOA", "ApplyLOA!", "", "Ünicode"] {
            assert!(!is_action_name(bad), "{bad}");
        }
    }

    #[test]
    fn generated_names_drop_raw_prefixes() {
        assert_eq!(action_types("Ping")[3], "PingErrorKind");
        assert_eq!(paginator_method("r#type"), "type_pages");
        assert_eq!(waiter_method("r#match"), "wait_until_match");
        assert_eq!(lookup_function("PrivateConnect"), "lookup_private_connect");
    }
}
