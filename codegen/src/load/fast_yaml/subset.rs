//! Our own scanner for the YAML that spec files are written in, producing the
//! node events granit-parser would report for them, spans included.
//!
//! Why: granit-parser is a complete YAML 1.2 scanner and parser (token queue,
//! simple-key bookkeeping, every indicator); at 100 actions it was four fifths
//! of the whole loading cost. Spec files use a small, regular part of YAML, and
//! reading only that part takes one pass over the bytes with no token queue.
//!
//! The subset: block mappings whose keys are plain and on one line; block
//! sequences (indented, or at their key's column); single-line flow mappings
//! and sequences; plain, single- and double-quoted scalars on one line;
//! literal and folded block scalars whose lines are all at one indentation
//! (literal ones may indent further); comments and blank lines. Anything else
//! (tabs, carriage returns, control characters, a byte-order mark,
//! multi-line plain or quoted scalars, anchors, tags, directives, document
//! markers, explicit keys, empty entries, trailing commas, block scalars with
//! an indentation indicator, leading blank or whitespace-only lines, ...)
//! returns `None` and the caller asks granit-parser, then serde-saphyr.
//! `load::fast_path_check` compares the events with granit-parser's on every
//! file the tests know, so a difference is a test failure, not a wrong spec.
//!
//! Bounds: one pass, plus rescans of a line at most twice (is this entry a
//! key?); recursion is one frame per open collection, and [`Events`] refuses
//! more than its depth limit before the next frame is entered.

use std::borrow::Cow;

use super::{Ev, Events, Loc};

/// The byte that stands for the end of the text (a NUL is outside the subset).
const END: u8 = 0;

/// Longest plain key read; YAML limits implicit keys to 1024 characters.
const MAX_KEY_BYTES: usize = 512;

/// The events of `text`, or `None` when it is not all in the subset.
pub(super) fn events(text: &str) -> Option<Vec<Ev<'_>>> {
    if !in_subset_alphabet(text) {
        return None;
    }
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        ascii: text.is_ascii(),
        pos: 0,
        line: 1,
        line_start: 0,
        counted: (0, 0),
        line_start_char: (0, 0),
        next: None,
        // Spec files hold about one event every seven bytes.
        out: Events::with_capacity(text.len() / 5),
    };
    scanner.document()?;
    scanner.out.finish()
}

/// No tab, carriage return, control character, byte-order mark or Unicode
/// line break: the places where YAML's reading of a character is subtle.
fn in_subset_alphabet(text: &str) -> bool {
    // Checked a chunk at a time without stopping early, which compiles to vector code.
    let control = |bad: bool, b: &u8| bad | ((*b < 0x20) & (*b != b'\n')) | (*b == 0x7f);
    if text
        .as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, control))
    {
        return false;
    }
    text.is_ascii()
        || !text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
            )
        })
}

/// Where a node starts: line (from 1), column (from 0) and char index.
type Mark = (usize, usize, usize);

/// The scan state: the position, the line it is on, and the events so far.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Char indices are byte indices.
    ascii: bool,
    pos: usize,
    /// The line of `pos`, from 1, and the byte where it starts.
    line: usize,
    line_start: usize,
    /// A (byte, char index) pair the char count last reached.
    counted: (usize, usize),
    /// The (byte, char index) of the start of the line last counted from.
    line_start_char: (usize, usize),
    /// The indentation of the content line at `pos`, `None` at the end of the text.
    next: Option<usize>,
    out: Events<'a>,
}

impl<'a> Scanner<'a> {
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(END)
    }

    fn here(&self) -> u8 {
        self.at(self.pos)
    }

    /// The text from `pos` on.
    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// How many spaces start at byte `at`.
    fn spaces_at(&self, at: usize) -> usize {
        let rest = self.bytes.get(at..).unwrap_or_default();
        rest.iter().take_while(|b| **b == b' ').count()
    }

    fn skip_spaces(&mut self) {
        while self.here() == b' ' {
            self.pos += 1;
        }
    }

    /// The char index of byte `pos` (a char boundary), counted from the last one.
    fn char_index(&mut self, pos: usize) -> Option<usize> {
        if self.ascii {
            return Some(pos);
        }
        let (byte, index) = self.counted;
        let count = |a: usize, b: usize| {
            self.bytes
                .get(a..b)
                .map(|s| s.iter().filter(|b| (**b & 0xc0) != 0x80).count())
        };
        let index = if pos >= byte {
            index + count(byte, pos)?
        } else {
            index.checked_sub(count(pos, byte)?)?
        };
        self.counted = (pos, index);
        Some(index)
    }

    /// Where the node at byte `pos` of the current line starts.
    fn mark(&mut self, pos: usize) -> Option<Mark> {
        if self.ascii {
            return Some((self.line, pos.checked_sub(self.line_start)?, pos));
        }
        if self.line_start_char.0 != self.line_start {
            let start = self.char_index(self.line_start)?;
            self.line_start_char = (self.line_start, start);
        }
        let index = self.char_index(pos)?;
        Some((self.line, index.checked_sub(self.line_start_char.1)?, index))
    }

    /// The location of `start..end`, both on the current line.
    fn loc(&mut self, start: usize, end: usize) -> Option<Loc> {
        let mark = self.mark(start)?;
        let end_index = self.char_index(end)?;
        Loc::new(mark, end_index, Some((start, end)))
    }

    /// Moves past the line break at `pos`.
    fn new_line(&mut self) {
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    /// Ends the current line: spaces, then a comment after a space, then the
    /// line break or the end of the text.
    fn finish_line(&mut self) -> Option<()> {
        self.skip_spaces();
        let after_space = self.pos == self.line_start || self.at(self.pos - 1) == b' ';
        if self.here() == b'#' && after_space {
            while !matches!(self.here(), b'\n' | END) {
                self.pos += 1;
            }
        }
        match self.here() {
            b'\n' => self.new_line(),
            END if self.pos >= self.bytes.len() => {}
            _ => return None,
        }
        Some(())
    }

    /// From a line start, skips blank and comment lines; stops at the first
    /// content character of the next content line and records its indentation.
    fn next_content(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            match self.here() {
                b'\n' => self.new_line(),
                b'#' => {
                    while !matches!(self.here(), b'\n' | END) {
                        self.pos += 1;
                    }
                }
                END if self.pos >= self.bytes.len() => {
                    self.next = None;
                    return Some(());
                }
                _ => break,
            }
        }
        let indent = self.pos - self.line_start;
        let marker = self.bytes.get(self.pos..self.pos + 3);
        if indent == 0 && matches!(marker, Some(b"---" | b"...")) {
            return None;
        }
        self.next = Some(indent);
        Some(())
    }

    /// A block sequence entry starts here: `-` then a space, a line break or the end.
    fn at_dash_entry(&self) -> bool {
        self.here() == b'-' && matches!(self.at(self.pos + 1), b' ' | b'\n' | END)
    }

    /// The rest of the line holds `key:` followed by a space, a line break or the end.
    fn at_key(&self) -> bool {
        let mut i = self.pos;
        loop {
            match self.at(i) {
                b'\n' | END => return false,
                b':' if matches!(self.at(i + 1), b' ' | b'\n' | END) => return true,
                b' ' if self.at(i + 1) == b'#' => return false,
                _ => i += 1,
            }
        }
    }

    /// The whole document: one block mapping or sequence.
    fn document(&mut self) -> Option<()> {
        self.next_content()?;
        let indent = self.next?;
        if self.at_dash_entry() {
            self.block_sequence(indent, false)?;
        } else if self.at_key() && plain_may_start(self.here(), self.at(self.pos + 1)) {
            self.block_mapping(indent)?;
        } else {
            return None;
        }
        self.next.is_none().then_some(())
    }

    /// A block node on the lines below its key or dash, at indentation `indent`.
    fn nested_block(&mut self, indent: usize) -> Option<()> {
        if self.at_dash_entry() {
            self.block_sequence(indent, false)
        } else {
            self.block_mapping(indent)
        }
    }

    /// A block mapping whose keys are at column `col`; its first key is at `pos`.
    fn block_mapping(&mut self, col: usize) -> Option<()> {
        let start = self.loc(self.pos, self.pos)?;
        self.out.start(true, start)?;
        loop {
            let (key, start, end) = self.plain_key()?;
            let loc = self.loc(start, end)?;
            self.out.scalar(Cow::Borrowed(key), true, loc)?;
            self.pos += 1;
            self.mapping_value(col)?;
            match self.next {
                Some(indent) if indent == col && !self.at_dash_entry() => {}
                Some(indent) if indent >= col => return None,
                _ => break,
            }
        }
        self.out.end(true)
    }

    /// A plain key at `pos`, up to its `:` (which is left at `pos`).
    fn plain_key(&mut self) -> Option<(&'a str, usize, usize)> {
        let start = self.pos;
        if !(self.here().is_ascii_alphabetic() || self.here() == b'_') {
            return None;
        }
        loop {
            match self.here() {
                b':' if matches!(self.at(self.pos + 1), b' ' | b'\n' | END) => break,
                b'\n' | END => return None,
                b' ' if matches!(self.at(self.pos + 1), b'#' | b':') => return None,
                _ => self.pos += 1,
            }
            if self.pos - start > MAX_KEY_BYTES {
                return None;
            }
        }
        Some((self.text.get(start..self.pos)?, start, self.pos))
    }

    /// The value after a key's `:` (at `pos - 1`) of a mapping at column `col`.
    fn mapping_value(&mut self, col: usize) -> Option<()> {
        let colon = self.pos - 1;
        self.skip_spaces();
        match self.here() {
            b'\n' | b'#' | END => {
                let null = self.loc(colon, colon)?;
                self.finish_line()?;
                self.next_content()?;
                match self.next {
                    Some(indent) if indent > col => self.nested_block(indent),
                    Some(indent) if indent == col && self.at_dash_entry() => {
                        self.block_sequence(indent, true)
                    }
                    _ => self.out.scalar(Cow::Borrowed("~"), true, null),
                }
            }
            b'|' | b'>' => self.block_scalar(col),
            _ => self.inline_value(),
        }
    }

    /// A node that starts and ends on this line (flow, quoted or plain), then
    /// the rest of the line.
    fn inline_value(&mut self) -> Option<()> {
        match self.here() {
            b'[' | b'{' => self.flow_node()?,
            b'"' | b'\'' => self.quoted()?,
            _ => {
                let (text, start, end) = self.plain(false)?;
                let loc = self.loc(start, end)?;
                self.out.scalar(Cow::Borrowed(text), true, loc)?;
            }
        }
        self.finish_line()?;
        self.next_content()
    }

    /// A block sequence whose dashes are at column `col`, the first one at
    /// `pos`; `at_key_column` when it sits at its key's column (its start is
    /// then reported where its first entry starts, as granit-parser does).
    fn block_sequence(&mut self, col: usize, at_key_column: bool) -> Option<()> {
        let mut first = true;
        loop {
            let dash = self.pos;
            self.pos += 1;
            self.skip_spaces();
            if first {
                let at = if at_key_column {
                    if matches!(self.here(), b'\n' | b'#' | END) {
                        return None;
                    }
                    self.pos
                } else {
                    dash
                };
                let start = self.loc(at, at)?;
                self.out.start(false, start)?;
                first = false;
            }
            self.sequence_entry(col)?;
            match self.next {
                Some(indent) if indent == col && self.at_dash_entry() => {}
                Some(indent) if indent > col => return None,
                _ => break,
            }
        }
        self.out.end(false)
    }

    /// One sequence entry, after its dash (at column `dash_col`) and spaces.
    fn sequence_entry(&mut self, dash_col: usize) -> Option<()> {
        let col = self.pos - self.line_start;
        match self.here() {
            b'\n' | b'#' | END => {
                self.finish_line()?;
                self.next_content()?;
                match self.next {
                    Some(indent) if indent > dash_col => self.nested_block(indent),
                    _ => None,
                }
            }
            b'-' if self.at_dash_entry() => self.block_sequence(col, false),
            b'|' | b'>' => None,
            b'"' | b'\'' | b'[' | b'{' => self.inline_value(),
            _ if self.at_key() => self.block_mapping(col),
            _ => self.inline_value(),
        }
    }

    /// A plain scalar, in flow context when `flow`; `pos` is left where it
    /// stops (a line break, a comment, or in flow a `,`, a closing bracket or
    /// the `: ` after a key).
    fn plain(&mut self, flow: bool) -> Option<(&'a str, usize, usize)> {
        let start = self.pos;
        if !plain_may_start(self.here(), self.at(self.pos + 1)) {
            return None;
        }
        let special = if flow { &FLOW_SPECIAL } else { &BLOCK_SPECIAL };
        let mut end = start;
        loop {
            let rest = self.rest();
            let ordinary = rest.iter().position(|b| special[usize::from(*b)]);
            let run = ordinary.unwrap_or(rest.len());
            if run > 0 {
                self.pos += run;
                end = self.pos;
            }
            if plain_stops(self.here(), self.at(self.pos + 1), flow)? {
                break;
            }
            if self.here() != b' ' {
                end = self.pos + 1;
            }
            self.pos += 1;
        }
        Some((self.text.get(start..end)?, start, end))
    }

    /// A single- or double-quoted scalar on one line.
    fn quoted(&mut self) -> Option<()> {
        let start = self.pos;
        let value = if self.here() == b'\'' {
            self.single_quoted()?
        } else {
            self.double_quoted()?
        };
        let loc = self.loc(start, self.pos)?;
        self.out.scalar(value, false, loc)
    }

    /// The value of a quoted scalar whose closing quote is at `pos`: the text
    /// since `from`, after what `owned` holds (set when an escape was read).
    fn close_quote(&mut self, owned: Option<String>, from: usize) -> Option<Cow<'a, str>> {
        let tail = self.text.get(from..self.pos)?;
        self.pos += 1;
        Some(match owned {
            Some(mut text) => {
                text.push_str(tail);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(tail),
        })
    }

    fn single_quoted(&mut self) -> Option<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut from = start;
        loop {
            match self.here() {
                b'\'' if self.at(self.pos + 1) == b'\'' => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.text.get(from..=self.pos)?);
                    self.pos += 2;
                    from = self.pos;
                }
                b'\'' => break,
                b'\n' | END => return None,
                _ => self.pos += 1,
            }
        }
        self.close_quote(owned, from)
    }

    fn double_quoted(&mut self) -> Option<Cow<'a, str>> {
        self.pos += 1;
        let mut owned: Option<String> = None;
        let mut from = self.pos;
        loop {
            match self.here() {
                b'"' => break,
                b'\\' => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.text.get(from..self.pos)?);
                    self.pos += 1;
                    self.pos += escape(self.bytes.get(self.pos..)?, text)?;
                    from = self.pos;
                }
                b'\n' | END => return None,
                _ => self.pos += 1,
            }
        }
        self.close_quote(owned, from)
    }

    /// A flow mapping or sequence at `pos`, all on this line.
    fn flow_node(&mut self) -> Option<()> {
        let is_map = self.here() == b'{';
        let close = if is_map { b'}' } else { b']' };
        let start = self.loc(self.pos, self.pos + 1)?;
        self.out.start(is_map, start)?;
        self.pos += 1;
        self.skip_spaces();
        if self.here() == close {
            self.pos += 1;
            return self.out.end(is_map);
        }
        loop {
            if is_map {
                let (key, start, end) = self.plain(true)?;
                if self.here() != b':' || end - start > MAX_KEY_BYTES {
                    return None;
                }
                let loc = self.loc(start, end)?;
                self.out.scalar(Cow::Borrowed(key), true, loc)?;
                self.pos += 1;
                self.skip_spaces();
            }
            self.flow_entry()?;
            self.skip_spaces();
            match self.here() {
                b',' => {
                    self.pos += 1;
                    self.skip_spaces();
                    if matches!(self.here(), b']' | b'}') {
                        return None;
                    }
                }
                c if c == close => break,
                _ => return None,
            }
        }
        self.pos += 1;
        self.out.end(is_map)
    }

    /// A value inside a flow collection: a nested one, a quoted or a plain scalar.
    fn flow_entry(&mut self) -> Option<()> {
        match self.here() {
            b'[' | b'{' => self.flow_node(),
            b'"' | b'\'' => self.quoted(),
            _ => {
                let (text, start, end) = self.plain(true)?;
                if self.here() == b':' {
                    return None;
                }
                let loc = self.loc(start, end)?;
                self.out.scalar(Cow::Borrowed(text), true, loc)
            }
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar at `pos`, the value of a
    /// key at column `col`.
    fn block_scalar(&mut self, col: usize) -> Option<()> {
        let literal = self.here() == b'|';
        self.pos += 1;
        let chomp = self.here();
        if matches!(chomp, b'-' | b'+') {
            self.pos += 1;
        }
        self.skip_spaces();
        if self.here() != b'\n' {
            return None;
        }
        self.new_line();
        let indent = self.spaces_at(self.pos);
        if indent <= col || matches!(self.at(self.pos + indent), b'\n' | END) {
            return None;
        }
        self.pos += indent;
        let start_byte = self.pos;
        let start = self.mark(self.pos)?;
        let lines = self.block_lines(indent, literal)?;
        let mut value = lines.text;
        match chomp {
            b'-' => {}
            // Kept, where the text ends without a line break: left to granit-parser.
            b'+' if lines.breaks == 0 => return None,
            b'+' => value.extend(std::iter::repeat_n('\n', lines.breaks)),
            // Clipped: one line break, even where the text ends without one.
            _ => value.push('\n'),
        }
        let end_index = self.char_index(self.pos)?;
        let loc = Loc::new(start, end_index, Some((start_byte, self.pos)))?;
        self.out.scalar(Cow::Owned(value), false, loc)?;
        if self.pos < self.bytes.len() {
            // Back to the start of the line that ended the scalar, which may be a comment.
            self.pos = self.line_start;
        }
        self.next_content()
    }

    /// The content lines of a block scalar indented by `indent`, from `pos`
    /// (its first content character) to the first character of the line that
    /// ends it (or the end of the text), where `pos` is left.
    fn block_lines(&mut self, indent: usize, literal: bool) -> Option<BlockText> {
        let mut text = String::new();
        let mut breaks = 0usize;
        let mut first = true;
        loop {
            let line_end = self
                .rest()
                .iter()
                .position(|b| *b == b'\n')
                .map_or(self.bytes.len(), |n| self.pos + n);
            let line = self.text.get(self.pos..line_end)?;
            if !literal && (line.starts_with(' ') || line.ends_with(' ')) {
                return None;
            }
            if !first {
                match (literal, breaks) {
                    (false, 1) => text.push(' '),
                    (false, n) => text.extend(std::iter::repeat_n('\n', n.saturating_sub(1))),
                    (true, n) => text.extend(std::iter::repeat_n('\n', n)),
                }
            }
            text.push_str(line);
            first = false;
            breaks = 0;
            self.pos = line_end;
            loop {
                if self.here() != b'\n' {
                    return Some(BlockText { text, breaks });
                }
                breaks += 1;
                self.new_line();
                let spaces = self.spaces_at(self.pos);
                match self.at(self.pos + spaces) {
                    b'\n' if spaces == 0 => {}
                    b'\n' => return None,
                    END if spaces == 0 => return Some(BlockText { text, breaks }),
                    END => return None,
                    _ if spaces < indent => {
                        self.pos += spaces;
                        return Some(BlockText { text, breaks });
                    }
                    _ => {
                        self.pos += indent;
                        break;
                    }
                }
            }
        }
    }
}

/// A block scalar's lines joined, and the line breaks after the last one.
struct BlockText {
    text: String,
    breaks: usize,
}

/// Bytes [`plain_stops`] must look at in a block context: the others never end
/// a plain scalar and are never a trailing space.
const BLOCK_SPECIAL: [bool; 256] = special_bytes(b"\n :\0");

/// Bytes [`plain_stops`] must look at in a flow context.
const FLOW_SPECIAL: [bool; 256] = special_bytes(b"\n :\0,[]{}");

const fn special_bytes(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Whether a plain scalar stops at `here` (followed by `next`); `None` where
/// what follows is outside the subset (a value indicator or a bracket inside
/// the scalar, a flow collection continued on the next line).
fn plain_stops(here: u8, next: u8, flow: bool) -> Option<bool> {
    let flow_indicator = |b: u8| matches!(b, b',' | b'[' | b']' | b'{' | b'}');
    match (here, flow) {
        (b'\n' | END, false) => Some(true),
        (b' ', false) => Some(next == b'#'),
        (b':', false) if matches!(next, b' ' | b'\n' | END) => None,
        (b',' | b']' | b'}', true) => Some(true),
        (b':', true) if next == b' ' => Some(true),
        (b':', true) if flow_indicator(next) => None,
        (b'[' | b'{' | b'\n' | END, true) => None,
        (b' ', true) if next == b'#' => None,
        _ => Some(false),
    }
}

/// A plain scalar may start with `first` (followed by `second`): not an
/// indicator, except `-`, `?` and `:` before a character that may continue
/// a plain scalar in any context.
fn plain_may_start(first: u8, second: u8) -> bool {
    match first {
        b'-' | b'?' | b':' => !matches!(
            second,
            b' ' | b'\n' | END | b',' | b'[' | b']' | b'{' | b'}'
        ),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' => false,
        b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' | END => false,
        _ => true,
    }
}

/// Reads the escape after a `\` in a double-quoted scalar from `rest` into
/// `text`; the bytes it took, `None` for an escape outside the subset.
fn escape(rest: &[u8], text: &mut String) -> Option<usize> {
    let simple = match rest.first()? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex_escape(rest, 2, text),
        b'u' => return hex_escape(rest, 4, text),
        b'U' => return hex_escape(rest, 8, text),
        _ => return None,
    };
    text.push(simple);
    Some(1)
}

/// `\x`, `\u` or `\U` and `digits` hex digits: the character they name.
fn hex_escape(rest: &[u8], digits: usize, text: &mut String) -> Option<usize> {
    let hex = rest.get(1..=digits)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    text.push(char::from_u32(code)?);
    Some(1 + digits)
}

#[cfg(test)]
mod tests {
    use super::events;
    use crate::load::fast_path_check;
    use crate::load::fast_yaml::collect_events;

    /// Whether the scanner read `text`; where it did, granit-parser must give
    /// the same events, and the model must be serde-saphyr's.
    fn scanned(text: &str) -> bool {
        let ours = events(text);
        if let Some(ours) = &ours {
            assert_eq!(Some(ours), collect_events(text).as_ref(), "{text:?}");
        }
        if let Err(e) = fast_path_check(text) {
            panic!("{text:?}: {e}");
        }
        ours.is_some()
    }

    /// Documents in the subset: read, with granit-parser's events.
    const SCANNED: &[&str] = &[
        "a: b",
        "a: b\n",
        "a: b\n\n\n",
        "# c\na: b # c\n  # c\nc: d\n",
        "a:\nb:\n",
        "a: # c\nb: 1\n",
        "a:   #c\n  - x\n",
        "  a: b\n  c: d\n",
        "a:\n\n  b: c\n",
        "a: é\nb: 中文 x\nc: 'é''x'\nd: [é, ü]\ne: {f: \"ü\"}\n",
        "a: \"\\u4e2d\"\nb: ü\n",
        "a: 'b: c'\nb: b:c\nc: http://x/y?z=1#f\n",
        "a: '# x'\nb: \"x # y\"\nc: x#y\nd: x #y\n",
        "a: ~\nb: null\nc: Null\nd: NULL\ne: true\nf: True\ng: yes\nh: no\n",
        "a: 0x10\nb: 1e3\nc: .inf\nd: -.inf\ne: .nan\nf: 0o17\ng: +1\nh: 007\n",
        "a: 1_000\nb: -0\nc: 0\nd: 3.14\ne: '1.5e3'\nf: 12:30\ng: -1\nh: -x\n",
        "a: ?x\nb: :x\nc: --x\n",
        "- -1\n- ?x\n- :x\n- {a: -1}\n- [?x, :y]\n",
        "a: []\nb: {}\nc: [ ]\nd: { }\n",
        "a: |-\n  x\n",
        "a: |+\n  x\n\n\n",
        "a: |+\n  x\n\n\nb: c\n",
        "a: >\n  x\n\n  y\n",
        "a: >\n  x\n\n\n  y\n  z\n",
        "a: |\n  x\n   y\n\n  z\n",
        "a: |\n  # not a comment\n  - nor an entry\n",
        "a:\n  b: |\n    x\n  c: y\n",
        "a:\n  b: >-\n    x\n # c\n  c: 1\n",
        "a: |\n  y\n# top\nf: x\n",
        "a: >-\n  é ü\n  中\nb: c\n",
        "- a\n- b\n",
        "a:\n- b\n- c\nd: e\n",
        "a:\n  - b\n  - c\n",
        "- - a\n  - b\n- c\n",
        "- a: 1\n  b: 2\n- c: 3\n",
        "-   a: 1\n    b: 2\n",
        "a:\n-   b: 1\n    c: 2\n",
        "a:\n- - b\n  - c\n",
        "- a:\n  - b\n",
        "a:\n  -\n    b: 1\n",
        "a:\n- [b, c]\n- {d: e}\n- 'x'\n- \"y\"\n",
        "a: [a, [b, [c]], {d: [e]}]\n",
        "a: { b: c , d: e }\n",
        "a: {b : c}\n",
        "a: {b: 'c', d: \"e\"} # x\n",
        "a b: c\na.b: c\na-b: c\n_a: b\n",
        "a: \"\\t\\n\\\\\\\"\\/\\x41\\u00e9\\U0001F600\\0\\a\\b\\v\\f\\r\\e\\ \\N\\_\\L\\P\"\n",
        "a: 'it''s'\nb: ''''\nc: ''\nd: \"\"\n",
        "a: |\n  x",
        "a: >-\n  x",
        "a:b: c\na[b: c\na]b: c\na,b: c\na\"b: c\na'b: c\n",
        "a: b[c]\nb: b, c\nc: b{c}\nd: b]\ne: b}\n",
        "a: b   \nc: [ a , b ]\nd: { a: b   }\n",
        "a: b\nc:",
        "a: 1\n   \nb: 2\n   ",
        "- a:\n  - x\n  b: 1\n",
        "-\n  - x\n",
        "- - - x\n    - y\n  - z\n",
        "a: \"\\xe9\\x85\\u2028\"\n",
        "-  a: 1\n   b: 2\n",
        "a: >\n  x\n\n",
    ];

    /// Documents outside the subset (some of them valid YAML, some not).
    const REFUSED: &[&str] = &[
        "",
        "\n\n",
        "# only a comment\n",
        "a:\tb\n",
        "a: b\t\n",
        "\ta: b\n",
        "a: b\r\n",
        "\u{feff}a: b\n",
        "a: b\u{85}c\n",
        "a: b\u{2028}c\n",
        "a: \0\n",
        "a: \u{1}\n",
        "é: x\n",
        "a: b: c\n",
        "- a: b: c\n",
        "a: x:\n",
        "a: 1\na: 2\n",
        "a: {b: 1, b: 2}\n",
        "yes: a\n",
        "1: a\n",
        "\"a\": b\n",
        "a : b\n",
        "? a\n: b\n",
        "a: &x b\n",
        "a: *x\n",
        "a: !!str b\n",
        "a: !t b\n",
        "---\na: b\n",
        "a: b\n...\n",
        "a: b\n---\nc: d\n",
        "%YAML 1.2\n---\na: b\n",
        "a\n",
        "'a'\n",
        "[a]\n",
        "{a: b}\n",
        "a: 1\n b: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n  - b\n  c: d\n",
        "a: 1\n- b\n",
        "a: - b\n",
        "a: -\n",
        "a: ?\n",
        "a: {b: }\n",
        "a: {b}\n",
        "a: [b, , c]\n",
        "a: {b: c,}\n",
        "a: [b,]\n",
        "a: {b: c} x\n",
        "a: [b\n, c]\n",
        "a: [b: c]\n",
        "a: {\"b\": c}\n",
        "a: {b:c}\n",
        "-\n- b\n",
        "a:\n-\n  b: 1\n",
        "a:\n- # c\n  b: 1\n",
        "- |\n  x\n",
        "a: |2\n  x\n",
        "a: |\n\n  x\n",
        "a: |\n  x\n  \n",
        "a: |\n  x\n   \n",
        "a: >-\n  x  \n",
        "a: >\n  x\n   y\n",
        "a: |\nb: c\n",
        "a: > # c\n  x\n",
        "a: |\n  x\n  ",
        "a: |+\n  x",
        "- a: 1\n   b: 2\n",
        "a:\n  - x\n - y\n",
        "a: |\n    x\n  y\n",
        "a:#c\n",
        "a: 'multi\n  line'\n",
        "a: \"multi\n  line\"\n",
        "a: \"x\n",
        "a: 'x\n",
        "a: \"\\q\"\n",
        "a: \"\\ud800\"\n",
        "a: \"\\x4\"\n",
        "a: \"x\\\n  y\"\n",
        "a: \"x\"y\n",
        "a: \"x\"#c\n",
        "a: x\n  y\n",
        "a:\n  x\n",
        "a: x\n\n  y\n",
        "- a\n  b\n",
        "a: `x`\n",
        "a: @x\n",
        "a: %x\n",
        "a: |x\n",
    ];

    #[test]
    fn reads_the_subset_exactly_as_granit_parser_does() {
        let refused: Vec<_> = SCANNED.iter().filter(|text| !scanned(text)).collect();
        assert!(refused.is_empty(), "the scanner refused {refused:#?}");
    }

    #[test]
    fn gives_up_outside_the_subset() {
        for text in REFUSED {
            assert!(!scanned(text), "the scanner read {text:?}");
        }
    }

    /// Valid YAML the scanner leaves alone is still read fast: by granit-parser's events.
    #[test]
    fn files_outside_the_subset_fall_back_to_granit_parser() {
        let text = "name: Ping\nsummary: Pings\n  the service.\nkind: read\n";
        assert!(!scanned(text));
        let action = crate::load::fast_yaml::parse::<crate::model::ActionFile>(text);
        assert!(format!("{:?}", action.map(|a| a.summary)).contains("\"Pings the service.\""));
    }

    #[test]
    fn refuses_nesting_past_the_fast_depth_without_recursing_further() {
        let block = |levels: usize| {
            (0..levels)
                .map(|level| format!("{}k{level}:\n", "  ".repeat(level)))
                .collect::<String>()
                + &format!("{}end: x\n", "  ".repeat(levels))
        };
        assert!(scanned(&block(super::super::MAX_FAST_DEPTH - 1)));
        assert!(!scanned(&block(super::super::MAX_FAST_DEPTH)));
        assert!(!scanned(&block(10_000)));
        let flow = |levels: usize| format!("a: {}x{}\n", "[".repeat(levels), "]".repeat(levels));
        assert!(scanned(&flow(super::super::MAX_FAST_DEPTH - 1)));
        assert!(!scanned(&flow(super::super::MAX_FAST_DEPTH)));
        assert!(events(&flow(100_000)).is_none());
        let dashes = format!("{}x\n", "- ".repeat(100_000));
        assert!(events(&dashes).is_none());
        let long_key = format!("a: {{{}: b}}\n", "k".repeat(super::MAX_KEY_BYTES + 1));
        assert!(!scanned(&long_key));
    }

    #[test]
    fn long_lines_and_wide_characters_keep_their_columns() {
        let long = format!(
            "a: {}\nb: {}é\nc: [{}]\n",
            "x".repeat(100_000),
            "é".repeat(50_000),
            "y, ".repeat(20_000) + "z"
        );
        assert!(scanned(&long));
        let wide = "a: ü\nb:\n  - {c: 中, d: [é, 'ü''x', \"\\u00e9\"]}\n  - e: 中文 x\n    f: |\n      ü\n      中\n    g: é\n";
        assert!(scanned(wide));
    }

    /// Every prefix (by lines) of a few real spec files (flow, block scalars, wide characters): truncated files are
    /// read as granit-parser reads them, or left to it.
    #[test]
    fn agrees_on_every_truncation_of_real_spec_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let files = [
            "alibaba-vpc/service.yaml",
            "alibaba-vpc/actions/AllocateEipAddress.yaml",
            "zenlayer-sdn/actions/CreatePrivateConnect.yaml",
        ];
        for file in files {
            let text = std::fs::read_to_string(root.join(file)).expect("a spec file");
            let mut prefix = String::new();
            for line in text.split_inclusive('\n') {
                prefix.push_str(line);
                for cut in [prefix.as_str(), prefix.trim_end_matches('\n')] {
                    if let Some(ours) = events(cut) {
                        assert_eq!(Some(ours), collect_events(cut), "{file}: {cut:?}");
                    }
                }
            }
        }
    }

    /// Inline values, most of them in the subset.
    const VALUES: &[&str] = &[
        "x",
        "x y",
        "x: y",
        "x:y",
        "x #c",
        "x#c",
        "'x'",
        "'x''y'",
        "\"x\\ny\"",
        "\"\\u00e9\"",
        "[]",
        "{}",
        "[x, y]",
        "[x, [y]]",
        "{k: v}",
        "{k: v, j: [1]}",
        "[x,]",
        "{k}",
        "~",
        "-1",
        "- x",
        "&a x",
        "*a",
        "!t x",
        "\u{e9}\u{4e2d}",
        "x   ",
        "'x",
        "\"x\\q\"",
        "# c",
        "{k: v} # c",
        "[x] y",
        "?x",
        ":x",
        "x,y",
        "{k: 'v', j: \"w\"}",
        "\"a\"#c",
        "",
        "1.5",
        "0x10",
        "true",
        "yes",
        "null",
    ];
    /// Keys, most of them words.
    const KEYS: &[&str] = &[
        "a", "b", "c", "d", "name", "a b", "a:b", "yes", "k\u{e9}", "\"q\"", "1", "a",
    ];
    /// Lines inserted anywhere.
    const LINES: &[&str] = &[
        "", "# c", "  # c", "x", "  x", "---", "...", "-", "  - y", "   ", "k: v",
    ];

    /// A small xorshift generator, so the documents are the same on every run.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n as u64).unwrap_or(0)
        }

        fn pick<'p>(&mut self, from: &[&'p str]) -> &'p str {
            from[self.below(from.len())]
        }
    }

    /// The lines of a random block node at `indent`, `depth` levels down.
    fn random_block(random: &mut Random, indent: usize, depth: usize, out: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        let is_seq = random.below(3) == 0;
        for entry in 0..1 + random.below(4) {
            let lead = if is_seq {
                format!("{pad}- ")
            } else if random.below(4) == 0 {
                format!("{pad}{}:", random.pick(KEYS))
            } else {
                format!("{pad}k{entry}:")
            };
            match random.below(if depth > 3 { 2 } else { 5 }) {
                0 | 1 => out.push(format!("{lead} {}", random.pick(VALUES))),
                2 => {
                    out.push(lead.clone());
                    let deeper = if !is_seq && random.below(2) == 0 {
                        indent
                    } else {
                        indent + 2
                    };
                    if deeper == indent {
                        out.push(format!("{pad}- {}", random.pick(VALUES)));
                    } else {
                        random_block(random, deeper, depth + 1, out);
                    }
                }
                3 => {
                    out.push(format!(
                        "{lead} {}",
                        random.pick(&["|", "|-", "|+", ">", ">-", ">+"])
                    ));
                    for _ in 0..1 + random.below(3) {
                        let line = random.pick(&["x", "x y", "", " z", "# c"]);
                        out.push(if line.is_empty() {
                            String::new()
                        } else {
                            format!("{pad}  {line}")
                        });
                    }
                }
                _ if is_seq => {
                    let key = random.pick(KEYS);
                    out.push(format!("{lead}{key}: {}", random.pick(VALUES)));
                    out.push(format!("{pad}  z: {}", random.pick(VALUES)));
                }
                _ => {
                    out.push(lead);
                    random_block(random, indent + 2, depth + 1, out);
                }
            }
        }
    }

    /// A random document, mostly in the subset, sometimes broken a little.
    fn random_document(random: &mut Random) -> String {
        let mut lines = Vec::new();
        random_block(random, 0, 0, &mut lines);
        let at = random.below(lines.len() + 1);
        match random.below(6) {
            0 => lines.insert(at, random.pick(LINES).to_string()),
            1 if at < lines.len() => lines[at].insert(0, ' '),
            2 if at < lines.len() => {
                let line = &mut lines[at];
                let cut = (0..=line.len())
                    .filter(|i| line.is_char_boundary(*i))
                    .nth(random.below(4));
                line.truncate(cut.unwrap_or(0));
            }
            _ => {}
        }
        let mut text = lines.join("\n");
        if random.below(4) != 0 {
            text.push('\n');
        }
        text
    }

    /// Random documents: wherever the scanner reads one, granit-parser reads
    /// the same events. `SUBSET_CASES` sets how many (default 3000).
    #[test]
    fn agrees_with_granit_parser_on_random_documents() {
        let cases = std::env::var("SUBSET_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(3000);
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let mut read = 0;
        for _ in 0..cases {
            let text = random_document(&mut random);
            if let Some(ours) = events(&text) {
                read += 1;
                assert_eq!(Some(ours), collect_events(&text), "{text:?}");
            }
        }
        assert!(
            read * 10 > cases,
            "only {read} of {cases} documents were in the subset"
        );
    }
}
