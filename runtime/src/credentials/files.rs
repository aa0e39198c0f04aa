//! Reading a credentials file: bounded, and reported by position only.
//!
//! A file holding secrets is never quoted back: a parse error says where
//! (line, column) and what kind of problem, not the text found there.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde_json::Map;

use crate::decode::Json;

/// Largest credentials file read; real ones are a few hundred bytes.
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The file's text, or why it could not be had (`no such file`, …).
pub(crate) fn read(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => format!("cannot read it: {e}"),
    })?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".into())
}

/// `text` as a JSON document; an error names only its line and column.
pub(crate) fn json(text: &str) -> Result<Json, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("malformed JSON at line {}, column {}", e.line(), e.column()))
}

/// One JSON object of a credentials file, read member by member the way the
/// vendors' tools write them: an absent member is empty (`""`, `0`, `[]`); a
/// member of another type is an error that names the member, never its value.
pub(crate) struct Members<'a> {
    /// Where the object is, for errors: `the top level`, `profile "default"`, ….
    at: String,
    members: &'a Map<String, Json>,
}

impl<'a> Members<'a> {
    /// `value` as an object found `at`, else a layout error.
    pub(crate) fn of(value: &'a Json, at: impl Into<String>) -> Result<Self, String> {
        let at = at.into();
        match value.as_object() {
            Some(members) => Ok(Self { at, members }),
            None => Err(format!("not the expected layout: {at} is not an object")),
        }
    }

    /// The member `key`, or why it is not a `kind` as `read` wants it.
    fn read<T>(
        &self,
        key: &str,
        kind: &str,
        read: impl FnOnce(&'a Json) -> Option<T>,
    ) -> Result<Option<T>, String> {
        let Some(value) = self.members.get(key) else {
            return Ok(None);
        };
        read(value).map(Some).ok_or_else(|| {
            format!(
                "not the expected layout: `{key}` of {} is not {kind}",
                self.at
            )
        })
    }

    /// The string member `key`; `""` when absent.
    pub(crate) fn string(&self, key: &str) -> Result<String, String> {
        let value = self.read(key, "a string", Json::as_str)?;
        Ok(value.unwrap_or_default().to_string())
    }

    /// The unsigned integer member `key`; `0` when absent.
    pub(crate) fn unsigned(&self, key: &str) -> Result<u64, String> {
        Ok(self
            .read(key, "an unsigned integer", Json::as_u64)?
            .unwrap_or(0))
    }

    /// The array member `key`; empty when absent.
    pub(crate) fn array(&self, key: &str) -> Result<&'a [Json], String> {
        let value = self.read(key, "an array", |v| v.as_array().map(Vec::as_slice))?;
        Ok(value.unwrap_or(&[]))
    }

    /// Every member, by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.members.iter()
    }
}

/// The sections of an INI file: name → key → value.
pub(crate) type Sections = HashMap<String, HashMap<String, String>>;

/// `text` as INI, as the vendors' files use it: `[section]` headers,
/// `key = value` (or `key: value`) lines, `#` and `;` comment lines; a value
/// in matching quotes loses them, anything else is kept as written (a secret
/// may hold `\` or `#`). Keys before the first section are ignored, and a
/// repeated section adds to the first. A line that is none of these is an
/// error naming its number, never its text.
pub(crate) fn ini(text: &str) -> Result<Sections, String> {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let malformed = |what: &str| format!("malformed INI at line {}: {what}", index + 1);
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| malformed("a section header without `]`"))?;
            let name = name.trim().to_string();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let split = line
            .find(['=', ':'])
            .ok_or_else(|| malformed("neither `[section]` nor `key = value`"))?;
        let (key, value) = (line[..split].trim(), unquote(line[split + 1..].trim()));
        if key.is_empty() {
            return Err(malformed("a value without a key"));
        }
        if let Some(section) = current.as_ref().and_then(|name| sections.get_mut(name)) {
            section.insert(key.to_string(), value.to_string());
        }
    }
    Ok(sections)
}

/// `value` without one pair of matching surrounding quotes.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}
