//! Decoding straight from a response's JSON text, without first building a
//! [`serde_json::Value`] of the whole answer.
//!
//! An object is split once into its members, each kept as the exact text of
//! its value, borrowed from the body, by a scanner that checks JSON syntax as
//! strictly as serde_json (a test compares the two on thousands of mutated
//! documents). A field is read from its text when it is taken, so the keys a
//! structure does not know are never allocated and a structure never exists
//! as a `Value` (the profile of a Zenlayer call showed building and tearing
//! down that tree as an eighth of its cost). Only what a
//! [`Decode`](super::Decode) impl needs as a `Value` — a number, a raw JSON
//! field, a rejected value for its warning — is parsed into one, from that
//! value's text alone, by serde_json.
//!
//! Reading a value's text can fail where checking its syntax did not (a lone
//! surrogate escape, a number out of `f64` range, nesting past serde_json's
//! limit). The decoder then marks itself failed and the caller decodes the
//! answer the old way, from the body parsed into a `Value`, which fails the
//! same way: every answer gives the output, warnings and errors it gave when
//! every answer was parsed into a `Value` first, except that values the
//! decoder never reads (unknown fields) are checked for syntax only.

use std::borrow::Cow;

use smallvec::SmallVec;

/// The members of one JSON object: key, and the text of its value until it
/// is taken. The first four are held inline: an envelope or a small output
/// costs no allocation (and a larger one its allocation, as a `Vec` would).
pub(super) type Members<'a> = SmallVec<[(Cow<'a, str>, Option<&'a str>); 4]>;

/// Objects with more members than this are sorted by key and searched by
/// halves; smaller ones are searched in wire order.
const SEARCHED_IN_ORDER: usize = 16;

/// The members of the object whose exact JSON text is `text`, or `None`
/// when `text` is not one JSON object (checked as strictly as serde_json
/// checks syntax). Larger objects are sorted by key, stably, so among
/// repeated keys the last sent stays last.
pub(super) fn members(text: &str) -> Option<Members<'_>> {
    let mut members = Members::new();
    for_each_member(text, |key, value| members.push((key, Some(value))))?;
    if members.len() > SEARCHED_IN_ORDER {
        members.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Some(members)
}

/// Calls `each` with the key and exact text of every member of the object
/// whose exact JSON text is `text`, in wire order; `None` when `text` is
/// not one JSON object (checked as strictly as serde_json checks syntax).
pub(super) fn for_each_member<'a>(
    text: &'a str,
    mut each: impl FnMut(Cow<'a, str>, &'a str),
) -> Option<()> {
    let mut scan = Scan::new(text);
    scan.expect(b'{')?;
    if !scan.eat(b'}') {
        loop {
            let key = scan.key()?;
            scan.expect(b':')?;
            each(key, scan.value()?);
            if scan.eat(b'}') {
                break;
            }
            scan.expect(b',')?;
        }
    }
    scan.end()
}

/// Where the members named `name` are (a run of them when sorted).
fn named(members: &[(Cow<'_, str>, Option<&str>)], name: &str) -> std::ops::Range<usize> {
    if members.len() > SEARCHED_IN_ORDER {
        let start = members.partition_point(|(key, _)| key.as_ref() < name);
        let same = members[start..].partition_point(|(key, _)| key.as_ref() == name);
        return start..start + same;
    }
    match members.iter().rposition(|(key, _)| key == name) {
        Some(last) => last..last + 1,
        None => 0..0,
    }
}

/// Takes the text of member `name`: the last one sent, as a parsed
/// object's last duplicate wins; every member of that name is taken.
pub(super) fn take<'a>(members: &mut Members<'a>, name: &str) -> Option<&'a str> {
    if members.len() <= SEARCHED_IN_ORDER {
        // One pass: each member of that name is taken, and the last one kept.
        let named = members.iter_mut().filter(|(key, _)| key == name);
        return named.fold(None, |_, (_, text)| text.take());
    }
    let range = named(members, name);
    let last = members.get(range.clone())?.last()?.1;
    members[range].iter_mut().for_each(|(_, text)| *text = None);
    last
}

/// The text of member `name` (the last one sent), leaving it in place.
pub(super) fn peek<'a>(members: &Members<'a>, name: &str) -> Option<&'a str> {
    members.get(named(members, name))?.last()?.1
}

/// The texts of the items of the JSON list `text`, or `None` when it is not one.
pub(super) fn items(text: &str) -> Option<Vec<&str>> {
    let mut scan = Scan::new(text);
    scan.expect(b'[')?;
    let mut items = Vec::new();
    if !scan.eat(b']') {
        loop {
            items.push(scan.value()?);
            if scan.eat(b']') {
                break;
            }
            scan.expect(b',')?;
        }
    }
    scan.end()?;
    Some(items)
}

/// A string's value: borrowed when it has no escapes; `None` when `text`
/// is not one JSON string or has an escape that is no character.
pub(super) fn string(text: &str) -> Option<Cow<'_, str>> {
    // Most strings have nothing to unescape: one look for the closing quote.
    if let Some(inner) = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        && plain_len(inner.as_bytes()) == inner.len()
    {
        return Some(Cow::Borrowed(inner));
    }
    let mut scan = Scan::new(text);
    let value = scan.key()?;
    scan.end()?;
    Some(value)
}

/// JSON's whitespace, which may surround a whole answer.
/// Byte by byte: the four are ASCII, so the ends found are character boundaries.
pub(super) fn trim(text: &str) -> &str {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |last| last + 1);
    text.get(start..end).unwrap_or_default()
}

/// A cursor over JSON text that checks the syntax of what it skips.
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        let mut scan = Scan { text, at: 0 };
        scan.space();
        scan
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips `byte` and the whitespace after it, if `byte` is next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
            self.space();
        }
        next
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Whether only whitespace is left (already skipped).
    fn end(&self) -> Option<()> {
        (self.at == self.text.len()).then_some(())
    }

    /// A string's value and the whitespace after it.
    fn key(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at;
        let escaped = self.string()?;
        let quoted = self.text.get(start..self.at)?;
        self.space();
        if escaped {
            serde_json::from_str(quoted).ok().map(Cow::Owned)
        } else {
            let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
            Some(Cow::Borrowed(inner))
        }
    }

    /// Skips a string; says whether it has escapes.
    fn string(&mut self) -> Option<bool> {
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let bytes = self.text.as_bytes();
        let mut escaped = false;
        loop {
            self.skip_plain();
            match *bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    self.at += match *bytes.get(self.at + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
                        b'u' if (bytes.get(self.at + 2..self.at + 6)?.iter())
                            .all(u8::is_ascii_hexdigit) =>
                        {
                            6
                        }
                        _ => return None,
                    };
                }
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
    }

    /// Skips the string bytes that need no look (not a quote, a backslash
    /// or a control character).
    fn skip_plain(&mut self) {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        self.at += plain_len(rest);
    }

    /// Skips one value and the whitespace after it; its exact text.
    /// Iterative, so nesting costs a bit of memory per level (see [`Open`]), not stack.
    fn value(&mut self) -> Option<&'a str> {
        let start = self.at;
        let mut open = Open::default();
        loop {
            match self.peek()? {
                opener @ (b'{' | b'[') => {
                    let closer = if opener == b'{' { b'}' } else { b']' };
                    self.eat(opener);
                    if self.peek() == Some(closer) {
                        self.at += 1;
                    } else {
                        open.push(closer);
                        if closer == b'}' {
                            self.member_key()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                _ => self.number()?,
            }
            // A value ended: close what it ends, or go on after a comma.
            loop {
                let Some(closer) = open.last() else {
                    let text = self.text.get(start..self.at);
                    self.space();
                    return text;
                };
                self.space();
                if self.eat(b',') {
                    if closer == b'}' {
                        self.member_key()?;
                    }
                    break;
                }
                if self.peek()? != closer {
                    return None;
                }
                self.at += 1;
                open.pop();
            }
        }
    }

    /// Skips a member's key and its colon.
    fn member_key(&mut self) -> Option<()> {
        self.string()?;
        self.space();
        self.expect(b':')
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let next = self.text.get(self.at..self.at + word.len())?;
        self.at += word.len();
        (next == word).then_some(())
    }

    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
        }
        Some(())
    }

    /// One or more digits.
    fn digits(&mut self) -> Option<()> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }
}

/// How many bytes at the start of `bytes` a JSON string holds as they are:
/// up to the first quote, backslash or control character. Eight bytes at a
/// time; the lowest flagged byte of a word is exact (a false flag only ever
/// sits above a true one), so the count is exact too. The last partial word
/// is read as a whole one too: the eight bytes that end `bytes` (or, when it
/// is shorter, its first and last four), whose bytes already looked at are
/// plain, so they raise no flag, true or false. Most strings a request or
/// answer holds are under 40 bytes: the tail was a third of the look.
pub(crate) fn plain_len(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        if let Some(first) = first_flag(word_at(word)) {
            return at + first;
        }
        at += 8;
    }
    if at == len {
        return len;
    }
    if let Some(last) = len.checked_sub(8).and_then(|start| bytes.get(start..)) {
        return first_flag(word_at(last)).map_or(len, |first| len - 8 + first);
    }
    if let (Some(low), Some(high)) = (
        bytes.get(..4),
        len.checked_sub(4).and_then(|s| bytes.get(s..)),
    ) {
        let word = u64::from(half_at(low)) | u64::from(half_at(high)) << 32;
        return match first_flag(word) {
            None => len,
            Some(first @ 0..4) => first,
            Some(first) => first + len - 8,
        };
    }
    (bytes.iter())
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .unwrap_or(len)
}

/// The eight bytes `bytes` (exactly eight) as a little-endian word.
fn word_at(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]))
}

/// The four bytes `bytes` (exactly four) as a little-endian word.
fn half_at(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes.try_into().unwrap_or([0; 4]))
}

/// The index of the lowest byte of `word` that is a quote, a backslash or
/// a control character; `None` when there is none.
fn first_flag(word: u64) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let zero = |word: u64| word.wrapping_sub(ONES) & !word;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let flags = (below_space | zero(word ^ (ONES * 0x22)) | zero(word ^ (ONES * 0x5c))) & HIGHS;
    (flags != 0).then(|| (flags.trailing_zeros() / 8) as usize)
}

/// The closers of the containers a skipped value is inside, innermost last:
/// a bit per level for the first 64 levels (no allocation for any answer a
/// service sends), a byte per level beyond.
#[derive(Default)]
struct Open {
    /// Bit `i` set: level `i` is an object, else a list.
    objects: u64,
    depth: usize,
    deeper: Vec<u8>,
}

impl Open {
    fn push(&mut self, closer: u8) {
        match self.depth {
            depth @ 0..64 if closer == b'}' => self.objects |= 1 << depth,
            depth @ 0..64 => self.objects &= !(1 << depth),
            _ => self.deeper.push(closer),
        }
        self.depth += 1;
    }

    fn last(&self) -> Option<u8> {
        match self.depth.checked_sub(1)? {
            top @ 0..64 if self.objects >> top & 1 == 1 => Some(b'}'),
            0..64 => Some(b']'),
            _ => self.deeper.last().copied(),
        }
    }

    fn pop(&mut self) {
        if self.depth > 64 {
            self.deeper.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_trim_matches_of_json_whitespace() {
        let cases = [
            "",
            " ",
            " \t\r\n ",
            "{}",
            " {} ",
            "\n{\"a\":1}\t",
            " é ",
            "é",
            "\u{a0}{}\u{a0}",
            "x \u{2003}",
            "\x0b1\x0c",
        ];
        for case in cases {
            assert_eq!(
                trim(case),
                case.trim_matches([' ', '\t', '\n', '\r']),
                "{case:?}"
            );
        }
    }

    #[test]
    fn take_takes_every_member_of_the_name_and_gives_the_last() {
        for count in [3, SEARCHED_IN_ORDER + 3] {
            let mut text = String::from("{");
            for i in 0..count {
                text.push_str(&format!("\"k{i}\":{i},\"d\":\"v{i}\","));
            }
            text.push_str("\"z\":null}");
            let mut members = members(&text).expect("an object");
            let last = format!("\"v{}\"", count - 1);
            assert_eq!(take(&mut members, "d"), Some(last.as_str()), "{count}");
            assert_eq!(take(&mut members, "d"), None, "{count}");
            assert_eq!(take(&mut members, "k1"), Some("1"), "{count}");
            assert_eq!(take(&mut members, "absent"), None, "{count}");
            assert_eq!(take(&mut members, "z"), Some("null"), "{count}");
            let left = members.iter().filter(|(_, text)| text.is_some()).count();
            assert_eq!(left, count - 1, "{count}");
        }
    }

    /// Whether `text` is one JSON value to this scanner.
    fn scans(text: &str) -> bool {
        let mut scan = Scan::new(text);
        scan.value().is_some() && scan.end().is_some()
    }

    /// Whether `text` is one JSON value to serde_json, syntax only (as it
    /// skips a value it does not keep).
    fn serde_scans(text: &str) -> bool {
        serde_json::from_str::<serde_core::de::IgnoredAny>(text).is_ok()
    }

    #[test]
    fn syntax_is_checked_as_serde_json_checks_it() {
        let seeds = [
            r#"{"a":[1,-2.5e+3,0,true,false,null],"b":{"c":"d\"\\\/\b\f\n\r\t\u00e9"}}"#,
            r#" [ {} , [ ] , "" , -0 , 1E5 , {"":{"x":[[]]}} ] "#,
            r#"{"k" : "v" , "n":12.0e-1}"#,
            "\"\\ud800\"",
            "[1,2,]",
        ];
        let mut verdicts = [0; 2];
        let replacements = b"\"\\{}[],: 0-+e.Eua\n\x01tfn";
        for seed in seeds {
            let mut cases = vec![seed.to_string()];
            for at in 0..seed.len() {
                let bytes = seed.as_bytes();
                cases.push(String::from_utf8([&bytes[..at], &bytes[at + 1..]].concat()).unwrap());
                cases.push(seed[..at].to_string());
                for &b in replacements {
                    let mut changed = bytes.to_vec();
                    changed[at] = b;
                    cases.push(String::from_utf8(changed).unwrap());
                    let mut inserted = bytes.to_vec();
                    inserted.insert(at, b);
                    cases.push(String::from_utf8(inserted).unwrap());
                }
            }
            for case in cases {
                let serde = serde_scans(&case);
                assert_eq!(scans(&case), serde, "{case:?}");
                verdicts[usize::from(serde)] += 1;
            }
        }
        assert!(verdicts.iter().all(|&n| n > 100), "{verdicts:?}");
    }

    #[test]
    fn the_plain_run_ends_at_the_first_byte_a_string_cannot_hold_as_it_is() {
        let naive = |bytes: &[u8]| {
            (bytes.iter())
                .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
                .unwrap_or(bytes.len())
        };
        let specials = [b'"', b'\\', 0x00, 0x1f, b'\n'];
        let near = [
            b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xe9, 0xff, 0x21, 0x5d,
        ];
        for len in 0..20 {
            for at in 0..=len {
                for &special in &specials {
                    for &filler in &near {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special;
                        }
                        // A second special byte later must not move the first.
                        if at + 2 < len {
                            bytes[at + 2] = b'"';
                        }
                        assert_eq!(plain_len(&bytes), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn nesting_past_the_bit_stack_is_checked_the_same() {
        for depth in [63, 64, 65, 200] {
            let open: String = (0..depth)
                .map(|i| if i % 2 == 0 { "[" } else { r#"{"k":"# })
                .collect();
            let close: String = (0..depth)
                .rev()
                .map(|i| if i % 2 == 0 { ']' } else { '}' })
                .collect();
            let good = format!("{open}1{close}");
            assert!(scans(&good), "{depth}");
            for at in [0, depth / 2, depth - 1] {
                let mut bad = close.clone().into_bytes();
                bad[at] = if bad[at] == b']' { b'}' } else { b']' };
                let bad = format!("{open}1{}", String::from_utf8(bad).unwrap());
                assert!(!scans(&bad), "{depth} {at}");
            }
        }
    }

    #[test]
    fn members_keep_their_exact_text_and_the_last_duplicate_wins() {
        let mut m = members(r#" {"b" : [1, {"x":2}] , "a\u0041":"v", "b":true} "#).unwrap();
        assert_eq!(peek(&m, "aA"), Some(r#""v""#));
        assert_eq!(take(&mut m, "b"), Some("true"));
        assert_eq!(take(&mut m, "b"), None, "every `b` is taken");
        assert_eq!(take(&mut m, "zz"), None);
        assert!(members("[1]").is_none() && members("{} x").is_none());
        assert!(
            members(r#"{"\ud800":1}"#).is_none(),
            "a key that is no text"
        );
    }

    #[test]
    fn large_objects_are_searched_by_halves_with_the_same_answers() {
        let mut body: Vec<String> = (0..40).map(|i| format!(r#""k{i}":{i}"#)).collect();
        body.push(r#""k7":"last""#.into());
        let object = format!("{{{}}}", body.join(","));
        let mut m = members(&object).unwrap();
        assert_eq!(peek(&m, "k39"), Some("39"));
        assert_eq!(take(&mut m, "k7"), Some(r#""last""#));
        assert_eq!(take(&mut m, "k7"), None);
        assert_eq!(take(&mut m, "k40"), None);
    }

    #[test]
    fn items_and_strings_are_read_from_their_text() {
        assert_eq!(items(r#"[1, "a" ,{} ]"#).unwrap(), ["1", r#""a""#, "{}"]);
        assert_eq!(items("[]").unwrap(), Vec::<&str>::new());
        assert!(items("{}").is_none() && items("[1] 2").is_none());
        assert!(matches!(string(r#""plain""#), Some(Cow::Borrowed("plain"))));
        assert_eq!(string(r#""a\nb""#).as_deref(), Some("a\nb"));
        assert!(
            string(r#""\ud800""#).is_none(),
            "a lone surrogate is no text"
        );
        assert!(string("1").is_none());
    }

    #[test]
    fn a_string_without_escapes_is_read_as_the_scanner_reads_it() {
        fn scanned(text: &str) -> Option<Cow<'_, str>> {
            let mut scan = Scan::new(text);
            let value = scan.key()?;
            scan.end()?;
            Some(value)
        }
        let texts = [
            r#""""#,
            r#""plain""#,
            r#""é ü 漢字 🎉""#,
            r#""a\"b""#,
            r#""tab\there""#,
            "\"raw\ttab\"",
            "\"nl\nend\"",
            r#""quote"inside""#,
            r#"""#,
            r#""unterminated"#,
            r#"  "spaced" "#,
            r#""trailing"x"#,
            r#""\u00e9""#,
            r#""\ud800""#,
            r#""""""#,
        ];
        for text in texts {
            assert_eq!(string(text), scanned(text), "{text:?}");
        }
    }
}
