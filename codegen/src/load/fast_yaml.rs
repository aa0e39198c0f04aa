//! A fast path for reading spec files: a serde deserializer driven straight by
//! node events, which come from our own scanner of the YAML subset spec files
//! are written in ([`subset`]), or, for a file outside it, from granit-parser
//! (the parser serde-saphyr itself uses, same version).
//!
//! Why: serde-saphyr pays for features spec files never use (anchors and
//! alias replay, merge keys, tags, comments, key fingerprints, budgets per
//! event); reading the parser's events ourselves costs about a third of it,
//! and scanning the subset ourselves a third of that again. Both producers
//! give the same events, checked by `load::fast_path_check` on every file the
//! tests know.
//!
//! When it gives up: this path produces a value only where it is sure that
//! serde-saphyr would produce the same one, `Spanned` locations included
//! (it speaks serde-saphyr's private `Spanned` protocol). Anything else
//! returns `None` and the caller parses the file with serde-saphyr, so every
//! error message, explanation and limit stays serde-saphyr's. It gives up on:
//! any parser error; anchors, aliases, tags, directives other than none, more
//! than one document; a key that is not a plain word (so no merge key `<<`,
//! no number, bool or null key) or that repeats in its mapping; nesting deeper
//! than [`MAX_FAST_DEPTH`] or more than [`MAX_FAST_NODES`] nodes; a plain
//! scalar whose type it does not resolve exactly as serde-saphyr does (a float,
//! `yes`, `0x10`, `+1`, `.inf`, a leading zero…); a null where a string, list or
//! mapping is wanted; and any error the model's `Deserialize` impls report.

use std::borrow::Cow;

mod subset;

use granit_parser::{Event, Parser, ScalarStyle, Span};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// Deepest nesting the fast path reads; serde-saphyr's budget allows
/// [`super::MAX_DEPTH`], so nothing it would refuse for depth gets here.
const MAX_FAST_DEPTH: usize = 20;

/// Most nodes the fast path reads, well under serde-saphyr's budget (250 000).
const MAX_FAST_NODES: usize = 100_000;

/// Most keys in one mapping; keeps the duplicate-key check linear in practice.
const MAX_FAST_KEYS: usize = 256;

/// The newtype name serde-saphyr's `Spanned<T>` asks its deserializer for.
const SPANNED_NEWTYPE: &str = "__yaml_spanned";

/// The first key of serde-saphyr's synthetic `Spanned` map, which marks it as one.
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// Parses `text` as `T` when the fast path is sure of the result; `None` means
/// "ask serde-saphyr".
pub(super) fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    read(subset::events(text).or_else(|| collect_events(text))?)
}

/// The events of `text` as [`subset`] scans them, `None` outside its subset.
pub(super) fn subset_events(text: &str) -> Option<Vec<Ev<'_>>> {
    subset::events(text)
}

/// Deserializes `T` from a document's events, `None` when they are not exactly one `T`.
pub(super) fn read<T: DeserializeOwned>(events: Vec<Ev<'_>>) -> Option<T> {
    let mut cursor = Cursor { events, pos: 0 };
    let value = T::deserialize(&mut cursor).ok()?;
    (cursor.pos == cursor.events.len()).then_some(value)
}

/// A source location as serde-saphyr's `Location` holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Loc {
    line: u32,
    column: u32,
    offset: u32,
    len: u32,
    byte_offset: u32,
    byte_len: u32,
}

/// Byte-info fields of a span that has none (serde-saphyr's sentinel).
const NO_BYTE_INFO: u32 = u32::MAX;

impl Loc {
    /// serde-saphyr's `location_from_span`; `None` when a number does not fit
    /// (serde-saphyr would saturate it).
    fn of(span: &Span) -> Option<Loc> {
        let bytes = match (span.start.byte_offset(), span.end.byte_offset()) {
            (Some(start), Some(end)) => Some((start, end)),
            _ => None,
        };
        let start = (span.start.line(), span.start.col(), span.start.index());
        Loc::new(start, span.end.index(), bytes)
    }

    /// A location from its start `(line, column from 0, char index)`, its end's
    /// char index and its byte range; `None` when a number does not fit.
    fn new(
        (line, col, index): (usize, usize, usize),
        end_index: usize,
        bytes: Option<(usize, usize)>,
    ) -> Option<Loc> {
        let small = |n: usize| u32::try_from(n).ok().filter(|n| *n < u32::MAX - 1);
        let (byte_offset, byte_len) = match bytes {
            Some((start, end)) => (small(start)?, small(end.saturating_sub(start))?),
            None => (NO_BYTE_INFO, NO_BYTE_INFO),
        };
        Some(Loc {
            line: small(line)?,
            column: small(col.checked_add(1)?)?,
            offset: small(index)?,
            len: small(end_index.checked_sub(index)?)?,
            byte_offset,
            byte_len,
        })
    }
}

/// One node event of the document, already checked.
#[derive(Debug, PartialEq)]
pub(super) enum Ev<'a> {
    Scalar {
        value: Cow<'a, str>,
        plain: bool,
        loc: Loc,
    },
    SeqStart(Loc),
    SeqEnd,
    MapStart(Loc),
    MapEnd,
}

/// An open collection while events are collected.
enum Frame<'a> {
    Seq,
    /// A mapping: its keys so far, and whether the next node is a key.
    Map {
        keys: Vec<Cow<'a, str>>,
        next_is_key: bool,
    },
}

/// The checked node events of one document, as a parser reports them; every
/// method returns `None` where the document leaves the fast path.
#[derive(Default)]
pub(super) struct Events<'a> {
    events: Vec<Ev<'a>>,
    stack: Vec<Frame<'a>>,
    nodes: usize,
    root_done: bool,
}

impl<'a> Events<'a> {
    /// Room for `events` events (at most twice the node limit).
    pub(super) fn with_capacity(events: usize) -> Events<'a> {
        Events {
            events: Vec::with_capacity(events.min(2 * MAX_FAST_NODES)),
            ..Events::default()
        }
    }

    /// Counts a node and checks it against its collection (one root, unique word keys).
    fn node(&mut self, key: Option<&Cow<'a, str>>) -> Option<()> {
        if self.root_done && self.stack.is_empty() {
            return None;
        }
        self.nodes += 1;
        if self.nodes > MAX_FAST_NODES {
            return None;
        }
        enter_node(&mut self.stack, key)
    }

    /// A scalar node.
    pub(super) fn scalar(&mut self, value: Cow<'a, str>, plain: bool, loc: Loc) -> Option<()> {
        self.node(Some(&value))?;
        self.events.push(Ev::Scalar { value, plain, loc });
        self.root_done |= self.stack.is_empty();
        Some(())
    }

    /// The start of a mapping (`is_map`) or a sequence.
    pub(super) fn start(&mut self, is_map: bool, loc: Loc) -> Option<()> {
        self.node(None)?;
        if is_map {
            self.events.push(Ev::MapStart(loc));
            self.stack.push(Frame::Map {
                keys: Vec::with_capacity(8),
                next_is_key: true,
            });
        } else {
            self.events.push(Ev::SeqStart(loc));
            self.stack.push(Frame::Seq);
        }
        (self.stack.len() <= MAX_FAST_DEPTH).then_some(())
    }

    /// The end of the innermost collection, a mapping when `is_map`.
    pub(super) fn end(&mut self, is_map: bool) -> Option<()> {
        let was_map = matches!(self.stack.pop()?, Frame::Map { .. });
        if was_map != is_map {
            return None;
        }
        self.events
            .push(if is_map { Ev::MapEnd } else { Ev::SeqEnd });
        self.root_done |= self.stack.is_empty();
        Some(())
    }

    /// The events of a complete document.
    pub(super) fn finish(self) -> Option<Vec<Ev<'a>>> {
        (self.root_done && self.stack.is_empty()).then_some(self.events)
    }
}

/// The document's node events as granit-parser reports them, or `None` when
/// anything is outside the fast path.
pub(super) fn collect_events(text: &str) -> Option<Vec<Ev<'_>>> {
    let mut options = granit_parser::Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut events = Events::default();
    let mut documents = 0usize;
    for item in parser.by_ref() {
        let (event, span) = item.ok()?;
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(_, None) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::Scalar(value, style, 0, None) => {
                let plain = matches!(style, ScalarStyle::Plain);
                events.scalar(value, plain, Loc::of(&span)?)?;
            }
            Event::SequenceStart(_, 0, None) => events.start(false, Loc::of(&span)?)?,
            Event::MappingStart(_, 0, None) => events.start(true, Loc::of(&span)?)?,
            Event::SequenceEnd => events.end(false)?,
            Event::MappingEnd => events.end(true)?,
            _ => return None,
        }
    }
    if documents != 1 {
        return None;
    }
    events.finish()
}

/// Checks a node against the collection it sits in: a mapping's keys must be
/// unique plain words. `key` is the node's text when it is a scalar.
fn enter_node<'a>(stack: &mut [Frame<'a>], key: Option<&Cow<'a, str>>) -> Option<()> {
    let Some(Frame::Map { keys, next_is_key }) = stack.last_mut() else {
        return Some(());
    };
    let is_key = *next_is_key;
    *next_is_key = !is_key;
    if !is_key {
        return Some(());
    }
    let key = key?;
    if !is_word(key) || keys.len() >= MAX_FAST_KEYS || keys.iter().any(|k| k == key) {
        return None;
    }
    keys.push(key.clone());
    Some(())
}

/// YAML 1.1's bool and null words (any case), and the float words, to be safe.
const NOT_STRINGS: [&str; 14] = [
    "y", "yes", "n", "no", "on", "off", "true", "false", "null", "inf", "infinity", "nan", "", "~",
];

/// Plain text that serde-saphyr reads as a string whatever is asked of it: it
/// starts with a letter or `_` and is none of YAML 1.1's bool or null words
/// (nor the float words, to be safe).
fn is_word(text: &str) -> bool {
    text.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && !NOT_STRINGS.iter().any(|w| text.eq_ignore_ascii_case(w))
}

/// Plain text that serde-saphyr's typeless read takes for a string: a word, or
/// text that is neither a bool or null word, nor possibly an integer (any
/// radix, underscores), nor a float Rust or YAML would parse.
fn is_text(text: &str) -> bool {
    if is_word(text) {
        return true;
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let prefixed = ["0x", "0X", "0o", "0O", "0b", "0B"]
        .iter()
        .find_map(|p| unsigned.strip_prefix(p));
    let maybe_int = match prefixed {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_'),
        None => unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'_'),
    };
    let padded = |b: Option<&u8>| b.is_none_or(|b| b" \t\r\n".contains(b));
    let bytes = text.as_bytes();
    !padded(bytes.first())
        && !padded(bytes.last())
        && !NOT_STRINGS.iter().any(|w| text.eq_ignore_ascii_case(w))
        && !maybe_int
        && !unsigned.starts_with('.')
        && text.parse::<f64>().is_err()
}

/// serde-saphyr's null spellings for a plain scalar.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain decimal integer as serde-saphyr reads it (no sign, no leading zero).
fn unsigned(text: &str) -> Option<u64> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = text.len() > 1 && text.starts_with('0');
    if digits_only && !leading_zero {
        text.parse().ok()
    } else {
        None
    }
}

/// A plain decimal integer, `-` allowed (but not `-0`).
fn signed(text: &str) -> Option<i64> {
    match text.strip_prefix('-') {
        Some(rest) if rest != "0" => unsigned(rest).and_then(|n| 0i64.checked_sub_unsigned(n)),
        Some(_) => None,
        None => unsigned(text).and_then(|n| i64::try_from(n).ok()),
    }
}

/// A plain decimal fraction (`-12.5`, `0.25`: no exponent, no leading zero,
/// digits on both sides of the point), which serde-saphyr's typeless read
/// hands to Rust's `f64` parser exactly like this.
fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = text.strip_prefix('-').unwrap_or(text).split_once('.')?;
    let digits = !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit());
    if unsigned(whole).is_none() || !digits {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Why the fast path stopped; never shown (the file is parsed again).
#[derive(Debug)]
pub(super) struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("outside the fast path")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        GiveUp
    }
}

/// The checked events and the position of the next one.
struct Cursor<'a> {
    events: Vec<Ev<'a>>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Result<&Ev<'a>, GiveUp> {
        self.events.get(self.pos).ok_or(GiveUp)
    }

    /// The location of the next node.
    fn peek_loc(&self) -> Result<Loc, GiveUp> {
        match self.peek()? {
            Ev::Scalar { loc, .. } | Ev::SeqStart(loc) | Ev::MapStart(loc) => Ok(*loc),
            Ev::SeqEnd | Ev::MapEnd => Err(GiveUp),
        }
    }

    /// Takes the next scalar: (text, plain).
    fn scalar(&mut self) -> Result<(Cow<'a, str>, bool), GiveUp> {
        let Some(Ev::Scalar { value, plain, .. }) = self.events.get_mut(self.pos) else {
            return Err(GiveUp);
        };
        let taken = (std::mem::take(value), *plain);
        self.pos += 1;
        Ok(taken)
    }

    /// Takes the next plain scalar, for bools and numbers.
    fn plain(&mut self) -> Result<Cow<'a, str>, GiveUp> {
        match self.scalar()? {
            (text, true) => Ok(text),
            _ => Err(GiveUp),
        }
    }

    /// Reads the collection that starts next (`is_start` says it does) with
    /// `read`, which must take every entry and the end.
    fn collection<T>(
        &mut self,
        is_start: fn(&Ev<'a>) -> bool,
        read: impl FnOnce(&mut Items<'_, 'a>) -> Result<T, GiveUp>,
    ) -> Result<T, GiveUp> {
        if !is_start(self.peek()?) {
            return Err(GiveUp);
        }
        self.pos += 1;
        let mut items = Items {
            cursor: self,
            done: false,
        };
        let value = read(&mut items)?;
        if items.done { Ok(value) } else { Err(GiveUp) }
    }

    fn next_is_null(&self) -> bool {
        matches!(self.events.get(self.pos), Some(Ev::Scalar { value, plain: true, .. }) if is_null(value))
    }
}

fn visit_text<'de, V: Visitor<'de>>(text: Cow<'_, str>, visitor: V) -> Result<V::Value, GiveUp> {
    match text {
        Cow::Borrowed(s) => visitor.visit_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

/// Deserializer methods that read as another one does.
macro_rules! forward_to {
    ($target:ident: $($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
            self.$target(visitor)
        }
    )*};
}

/// Deserializer methods the fast path never serves.
macro_rules! refuse {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, GiveUp> {
            Err(GiveUp)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Cursor<'_> {
    type Error = GiveUp;

    /// serde-saphyr's typeless read: null, `true`/`false`, decimal integers and
    /// words for plain scalars, the text for quoted and block ones.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.peek()? {
            Ev::MapStart(_) => return self.deserialize_map(visitor),
            Ev::SeqStart(_) => return self.deserialize_seq(visitor),
            Ev::SeqEnd | Ev::MapEnd => return Err(GiveUp),
            Ev::Scalar { .. } => {}
        }
        let (text, plain) = self.scalar()?;
        if !plain {
            return visit_text(text, visitor);
        }
        match text.as_ref() {
            t if is_null(t) => visitor.visit_unit(),
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            t if is_text(t) => visit_text(text, visitor),
            t => match (unsigned(t), signed(t)) {
                (Some(n), _) => visitor.visit_u64(n),
                (None, Some(n)) if t.starts_with('-') => visitor.visit_i64(n),
                _ => visitor.visit_f64(decimal(t).ok_or(GiveUp)?),
            },
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.plain()?.as_ref() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_i64(signed(&self.plain()?).ok_or(GiveUp)?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_u64(unsigned(&self.plain()?).ok_or(GiveUp)?)
    }

    /// A plain null is not a string (serde-saphyr's error); any other scalar is its text.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.next_is_null() {
            return Err(GiveUp);
        }
        let (text, _) = self.scalar()?;
        visit_text(text, visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.next_is_null() {
            self.pos += 1;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    /// serde-saphyr's `Spanned<T>` protocol; no other newtype is in the model.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        if name != SPANNED_NEWTYPE {
            return Err(GiveUp);
        }
        let loc = self.peek_loc()?;
        visitor.visit_newtype_struct(SpannedNode { cursor: self, loc })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.collection(
            |ev| matches!(ev, Ev::SeqStart(_)),
            |items| visitor.visit_seq(items),
        )
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.collection(
            |ev| matches!(ev, Ev::MapStart(_)),
            |items| visitor.visit_map(items),
        )
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_any(visitor)
    }

    forward_to! { deserialize_i64: deserialize_i8 deserialize_i16 deserialize_i32 }
    forward_to! { deserialize_u64: deserialize_u8 deserialize_u16 deserialize_u32 }
    // Floats where a type asks for one, chars, bytes, unit, tuples and enums: the
    // model has none, so nothing says they would match serde-saphyr.
    refuse! {
        deserialize_i128 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_unit
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
}

/// The entries of a sequence or mapping being read; `done` once its end is taken.
struct Items<'c, 'a> {
    cursor: &'c mut Cursor<'a>,
    done: bool,
}

impl Items<'_, '_> {
    /// Takes the collection's end if it is next; true when it was.
    fn at_end(&mut self) -> Result<bool, GiveUp> {
        if self.done {
            return Ok(true);
        }
        if matches!(self.cursor.peek()?, Ev::SeqEnd | Ev::MapEnd) {
            self.cursor.pos += 1;
            self.done = true;
        }
        Ok(self.done)
    }

    /// Reads the next item (a sequence's element, a mapping's key), or `None` at the end.
    fn next_item<'de, T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        if self.at_end()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.cursor).map(Some)
    }
}

impl<'de> de::SeqAccess<'de> for &mut Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        self.next_item(seed)
    }
}

impl<'de> de::MapAccess<'de> for &mut Items<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        self.next_item(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        if self.done {
            return Err(GiveUp);
        }
        seed.deserialize(&mut *self.cursor)
    }
}

/// A node read as serde-saphyr's `Spanned<T>`: the map `{marker: true,
/// value: <node>, referenced: <loc>, defined: <loc>}` (no aliases here, so
/// both locations are the node's own).
struct SpannedNode<'c, 'a> {
    cursor: &'c mut Cursor<'a>,
    loc: Loc,
}

impl<'de> de::Deserializer<'de> for SpannedNode<'_, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(SpannedFields {
            cursor: self.cursor,
            loc: self.loc,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The entries of [`SpannedNode`]'s map; `next` counts the keys handed out.
struct SpannedFields<'c, 'a> {
    cursor: &'c mut Cursor<'a>,
    loc: Loc,
    next: u8,
}

impl<'de> de::MapAccess<'de> for SpannedFields<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        let key = match self.next {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        self.next += 1;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        match self.next {
            1 => seed.deserialize(true.into_deserializer()),
            2 => seed.deserialize(&mut *self.cursor),
            3 | 4 => seed.deserialize(LocationFields {
                loc: self.loc,
                next: 0,
            }),
            _ => Err(GiveUp),
        }
    }
}

/// A [`Loc`] as the maps serde-saphyr's `Location` and `Span` deserialize from:
/// `{line, column, span: {offset, len, byte_info: (offset, len)}, source_id}`.
/// `next` counts the keys handed out; past 4 it walks the inner span map.
struct LocationFields {
    loc: Loc,
    next: u8,
}

impl<'de> de::Deserializer<'de> for LocationFields {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Where [`LocationFields`] starts the span's own map.
const SPAN_FIELDS: u8 = 10;

impl<'de> de::MapAccess<'de> for LocationFields {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        let key = match self.next {
            0 => "line",
            1 => "column",
            2 => "span",
            3 => "source_id",
            n if n == SPAN_FIELDS => "offset",
            n if n == SPAN_FIELDS + 1 => "len",
            n if n == SPAN_FIELDS + 2 => "byte_info",
            _ => return Ok(None),
        };
        self.next += 1;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        let loc = self.loc;
        let number = |n: u32| seed_u32(n);
        match self.next {
            1 => seed.deserialize(number(loc.line)),
            2 => seed.deserialize(number(loc.column)),
            3 => seed.deserialize(LocationFields {
                loc,
                next: SPAN_FIELDS,
            }),
            4 => seed.deserialize(number(0)),
            n if n == SPAN_FIELDS + 1 => seed.deserialize(number(loc.offset)),
            n if n == SPAN_FIELDS + 2 => seed.deserialize(number(loc.len)),
            n if n == SPAN_FIELDS + 3 => {
                seed.deserialize(de::value::SeqDeserializer::<_, GiveUp>::new(
                    [loc.byte_offset, loc.byte_len].into_iter(),
                ))
            }
            _ => Err(GiveUp),
        }
    }
}

fn seed_u32(n: u32) -> de::value::U32Deserializer<GiveUp> {
    n.into_deserializer()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::load::fast_path_check;

    /// Every `.yaml` file under `dir`, at most eight levels down.
    fn yaml_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() && depth < 8 {
                yaml_files(&path, depth + 1, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn agrees_with_serde_saphyr_on_every_spec_file_in_the_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["spec", "tests/fixtures", "importer/tests/fixtures"] {
            yaml_files(&root.join(dir), 0, &mut files);
        }
        assert!(files.len() > 500, "found only {} files", files.len());
        let mut slow = Vec::new();
        let mut spec_files = 0;
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let read_fast = match fast_path_check(text.strip_prefix('\u{feff}').unwrap_or(&text)) {
                Ok(n) => n > 0,
                Err(e) => panic!("{}: {e}", file.display()),
            };
            if is_valid_spec_file(file) {
                spec_files += 1;
                if !read_fast {
                    slow.push(file.display().to_string());
                }
            }
        }
        // The fast path must actually be taken for the real spec.
        assert!(
            slow.is_empty() && slow.len() * 20 < spec_files,
            "{} of {spec_files} read slowly: {slow:#?}",
            slow.len()
        );
    }

    /// A service, types or action file that is meant to load (not a curation
    /// file, not a fixture of a broken spec).
    fn is_valid_spec_file(path: &Path) -> bool {
        let text = path.to_string_lossy();
        let in_actions = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "actions");
        let named = path
            .file_name()
            .is_some_and(|n| n == "service.yaml" || n == "types.yaml");
        (in_actions || named) && !text.contains("curation") && !text.contains("broken")
    }

    /// A valid action, with `{}` where a case puts its line.
    const ACTION: &str = "name: Ping\nsummary: Pings.\nkind: read\n{}\n";

    /// Documents the fast path must refuse (serde-saphyr reads some of them).
    const REFUSED: &[&str] = &[
        "input:\n  - &f {name: A, type: string, description: d}\n  - *f",
        "docs_url: !!str https://x",
        "group: 'x'\ngroup: y",
        "<<: {deprecated: old}",
        "input:\n  - {name: A, type: string, description: d, constraints: {max: 0x10}}",
        "input:\n  - {name: A, type: string, description: d, constraints: {max: 1e3}}",
        "input:\n  - {name: A, type: string, description: d, default: .inf}",
        "input:\n  - {name: A, type: string, description: d, default: 007}",
        "input:\n  - {name: A, type: string, description: d, default: 1_000}",
        "input:\n  - {name: A, type: string, description: d, default: 0b1_0}",
        "input:\n  - {name: A, type: string, description: d, default: +5}",
        "input:\n  - {name: A, type: string, description: d, default: -0}",
        "input:\n  - {name: A, type: string, description: d, default: 1e999}",
        "input:\n  - {name: A, type: string, description: d, default: 1.}",
        "input:\n  - {name: A, type: string, description: d, default: .5}",
        "input:\n  - {name: A, type: string, description: d, default: 01.5}",
        "input:\n  - {name: A, type: string, description: d, default: -.INF}",
        "input:\n  - {name: A, type: string, description: d, default: Infinity}",
        "input:\n  - {name: A, type: string, description: d, default: 99999999999999999999}",
        "input:\n  - {name: A, type: string, description: d, default: {on: 1}}",
        "input:\n  - {name: A, type: string, description: d, required: True}",
        "group: ~\n---\nname: Other",
        "examples: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "unknown: 1",
        "%YAML 1.1\n---\ngroup: a",
    ];

    #[test]
    fn gives_up_on_what_it_does_not_read_exactly_like_serde_saphyr() {
        for case in REFUSED {
            let text = ACTION.replace("{}", case);
            assert!(
                super::parse::<crate::model::ActionFile>(&text).is_none(),
                "the fast path read {case:?}"
            );
            assert_eq!(fast_path_check(&text), Ok(0), "{case:?}");
        }
    }

    /// Documents the fast path reads, exactly as serde-saphyr does.
    const READ: &[&str] = &[
        "group: \"yes\"",
        "group: yes",
        "group:",
        "docs_url: 079874CD-AEC1-43E6",
        "input:\n  - {name: A, type: string, description: d, example: 3650d}",
        "input:\n  - {name: A, type: string, description: d, default: 1.5, example: -120.247514}",
        "input:\n  - {name: A, type: string, description: d, default: 0.1000000000000000055511151231257827}",
        "input:\n  - {name: A, type: string, description: d, example: 192.XX.XX.123}",
        "input:\n  - {name: A, type: string, description: d, example: 0xZZ}",
        "description: { en: 'a: b', zh: \"\\u4e2d\" }",
        "description: |\n  two\n  lines\n",
        "description: >-\n  folded\n  text\n",
        "docs_url: null",
        "input:\n  - name: A\n    type: integer\n    description: d\n    required: true\n    default: -12\n    example: [1, x, 'y', {k: v}, null, ~, false]\n    constraints: {min: -3, max: 18446744, min_length: 0}",
        "errors:\n  - {http_status: 404, code: NotFound, description: gone, message: ''}",
    ];

    #[test]
    fn reads_plain_quoted_and_block_scalars_like_serde_saphyr() {
        for case in READ {
            let text = ACTION.replace("{}", case);
            assert_eq!(fast_path_check(&text), Ok(1), "{case:?}");
        }
        let huge = format!("description: {}", "word ".repeat(200_000));
        assert_eq!(fast_path_check(&ACTION.replace("{}", &huge)), Ok(1));
    }
}
