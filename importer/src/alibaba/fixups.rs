//! Named corrections of known defects in Alibaba's metadata.
//!
//! Each fixup has a name and a reason, and the import log counts where it
//! applied. A full import (every action) in which a fixup applied nowhere
//! fails: the vendor fixed the defect and the fixup must go, just as a stale
//! example fixup fails in the generator.

use std::collections::BTreeMap;

/// A known defect and what the importer does about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fixup {
    /// Kebab-case name, printed in the import log.
    pub name: &'static str,
    /// Why the metadata needs it.
    pub reason: &'static str,
}

/// A parameter listed twice in one action.
pub const DUPLICATE_PARAMETER: Fixup = Fixup {
    name: "duplicate-parameter",
    reason: "some actions list ClientToken or RegionId twice; the copies are merged into one \
             parameter, required if either copy says so",
};

/// `required: false` with `docRequired: true`.
pub const DOC_REQUIRED_NOT_ENFORCED: Fixup = Fixup {
    name: "doc-required-not-enforced",
    reason: "the docs page marks the parameter required while the gateway's `required` flag says \
             optional; it stays optional (a `new()` argument the server does not need would break \
             callers when corrected) and its docs say so; curation may make it required",
};

/// Lower-case wire names that the server really expects.
pub const LOWERCASE_WIRE_NAME: Fixup = Fixup {
    name: "lowercase-wire-name",
    reason: "a few wire names are lower-case (`bandwidth`, `tags`) and the server expects exactly \
             that spelling; they are kept verbatim, never capitalised",
};

/// An en_us title written only in Chinese.
pub const CHINESE_TITLE_IN_EN: Fixup = Fixup {
    name: "chinese-title-in-en",
    reason: "some en_us fields carry only a Chinese title; titles are vendor prose that the importer \
             never writes, so nothing reaches the spec, and the count shows when the vendor fixes it",
};

/// `enum: []`.
pub const EMPTY_ENUM: Fixup = Fixup {
    name: "empty-enum",
    reason: "an empty `enum` list restricts nothing; the field keeps its plain type",
};

/// An example, default or limit that does not parse as the field's type.
pub const VALUE_NOT_OF_TYPE: Fixup = Fixup {
    name: "value-not-of-type",
    reason: "an example, default or limit is not a value of the field's type (e.g. text in an \
             integer field); it is left out, since the spec checks values against types",
};

/// Two spellings of one error code.
pub const ERROR_CODE_SPELLING: Fixup = Fixup {
    name: "error-code-spelling",
    reason: "one table lists a code in two spellings that differ only in case or punctuation \
             (`IllegalParam.ipVersion`, `IllegalParam.IpVersion`), which cannot both become error \
             kinds; the first spelling is kept and its docs name the other",
};

/// No usable `systemTags.operationType`.
pub const KIND_FROM_OPERATION_TYPE: Fixup = Fixup {
    name: "kind-from-operation-type",
    reason: "`systemTags.operationType` is missing or `none`; the coarse `operationType` decides, \
             and anything but `read` counts as a write (never retried on 5xx)",
};

/// An example with whitespace around it.
pub const EXAMPLE_WHITESPACE: Fixup = Fixup {
    name: "example-whitespace",
    reason: "some examples end in tabs or spaces pasted from the docs page (`cn-hangzhou\\t`); \
             no value of theirs has them, so they are trimmed",
};

/// Every fixup the importer knows.
pub const ALL: [Fixup; 9] = [
    DUPLICATE_PARAMETER,
    DOC_REQUIRED_NOT_ENFORCED,
    LOWERCASE_WIRE_NAME,
    CHINESE_TITLE_IN_EN,
    EMPTY_ENUM,
    VALUE_NOT_OF_TYPE,
    ERROR_CODE_SPELLING,
    KIND_FROM_OPERATION_TYPE,
    EXAMPLE_WHITESPACE,
];

/// Where each fixup applied (`Action.Field` places), in order.
#[derive(Debug, Default)]
pub struct Log {
    applied: BTreeMap<&'static str, Vec<String>>,
}

impl Log {
    /// Records that `fixup` applied at `place`.
    pub fn note(&mut self, fixup: Fixup, place: impl Into<String>) {
        self.applied
            .entry(fixup.name)
            .or_default()
            .push(place.into());
    }

    /// Places where `fixup` applied.
    pub fn places(&self, fixup: Fixup) -> &[String] {
        self.applied.get(fixup.name).map_or(&[], Vec::as_slice)
    }

    /// Fixups that applied nowhere.
    pub fn unused(&self) -> Vec<Fixup> {
        ALL.into_iter()
            .filter(|f| self.places(*f).is_empty())
            .collect()
    }

    /// One line per fixup that applied: name, count, first places.
    pub fn summary(&self) -> Vec<String> {
        ALL.into_iter()
            .filter_map(|f| {
                let places = self.places(f);
                (!places.is_empty()).then(|| {
                    let shown: Vec<&str> = places.iter().take(3).map(String::as_str).collect();
                    let more = places.len().saturating_sub(shown.len());
                    let tail = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    format!(
                        "fixup {} applied {}×: {}{tail}",
                        f.name,
                        places.len(),
                        shown.join(", ")
                    )
                })
            })
            .collect()
    }
}
