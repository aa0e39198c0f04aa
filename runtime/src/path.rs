//! Wire paths that name a nested value in error messages, e.g.
//! `endpointA.vlanId` or `dataSet[2].vlanId`: field names joined with dots,
//! list indices in brackets. Validation ([`crate::validate`]) and decoding
//! ([`crate::decode`]) both report them. (The flattened query names of
//! [`crate::encode`], `Tag.1.Key`, are a wire format of their own.)

use std::fmt;

use smallvec::SmallVec;

/// Appends `segment` (a field name, a map key or `[index]`) to `path`, with
/// a dot between two names.
pub(crate) fn push(path: &mut String, segment: &str) {
    if needs_dot(path.is_empty(), segment) {
        path.push('.');
    }
    path.push_str(segment);
}

/// Whether `segment` follows a path (empty or not) after a dot: only a
/// name after a name does.
fn needs_dot(path_is_empty: bool, segment: &str) -> bool {
    !path_is_empty && !segment.is_empty() && !segment.starts_with('[')
}

/// The path of the value being walked, built as [`push`] builds one.
///
/// Validation walks every nested field of every request, and a valid request
/// never shows a path: the text is held inline up to 64 bytes (deeper paths
/// spill to the heap), so the walk allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct Walked(SmallVec<[u8; 64]>);

impl Walked {
    /// Appends `segment` as [`push`] does.
    pub(crate) fn push(&mut self, segment: &str) {
        if needs_dot(self.0.is_empty(), segment) {
            self.0.push(b'.');
        }
        self.0.extend_from_slice(segment.as_bytes());
    }

    /// The length in bytes: where to [`truncate`](Self::truncate) back to.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Drops what was appended since the path was `len` bytes long.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// The path as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only whole `str`s are appended, and only cut back to an earlier length.
        std::str::from_utf8(&self.0).expect("a path is joined from whole strings")
    }
}

impl fmt::Write for Walked {
    /// Appends `s` as it is (an index's brackets and digits).
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walked_path_is_the_pushed_string() {
        let segments = ["", "endpointA", "[2]", "vlanId", "", "[0]", "[1]", "é", "x"];
        let mut walked = Walked::default();
        let mut path = String::new();
        for segment in segments.iter().cycle().take(40) {
            walked.push(segment);
            push(&mut path, segment);
            assert_eq!(walked.as_str(), path);
        }
        let len = walked.len();
        walked.push("tail");
        walked.truncate(len);
        assert_eq!(walked.as_str(), path);
    }
}
