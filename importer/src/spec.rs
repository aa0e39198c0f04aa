//! The spec files the importer writes, as serializable types.
//!
//! These mirror `truebind_codegen::model` key for key (the generator's loader
//! is the judge: the tests load every imported file with it), but hold plain
//! values instead of spanned ones, and leave out keys at their defaults so
//! the written YAML stays short. Blocks that only curation supplies (async
//! notes, paging, preconditions, examples, resources) are carried as JSON
//! values: the importer copies them and the generator checks them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Prose: English, optionally with Chinese.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    /// English only.
    Plain(String),
    /// English and Chinese.
    Localized {
        /// English.
        en: String,
        /// Chinese.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zh: Option<String>,
    },
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Plain(s)
    }
}

/// `service.yaml`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ServiceFile {
    /// Crate name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Our description.
    pub description: Text,
    /// Wire protocol.
    pub protocol: String,
    /// API version.
    pub api_version: String,
    /// Default endpoint.
    pub endpoint: String,
    /// Region → host.
    pub regional_endpoints: Vec<RegionalEndpoint>,
    /// Vendor docs root.
    pub docs_url: String,
    /// Request-id field.
    pub request_id_field: String,
    /// Curated error example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_example: Option<Value>,
    /// Curated release facts (no source has them).
    #[serde(flatten)]
    pub release: Release,
}

/// What only a maintainer knows of a service: its crate's releases and the service-wide
/// error rows, copied from `curation/service.yaml` so that an import keeps them.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct Release {
    /// The generated crate's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Release notes, newest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changelog: Vec<Value>,
    /// Service-wide error rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Value>,
}

/// One region's host.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RegionalEndpoint {
    /// Region id.
    pub region: String,
    /// Host.
    pub host: String,
}

/// `types.yaml`.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct TypesFile {
    /// Named structures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub structures: Vec<Structure>,
    /// Named enums.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<Value>,
    /// Curated resources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Value>,
}

/// A named structure (also read from curation, for one the metadata lacks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    /// Type name.
    pub name: String,
    /// Our description.
    pub description: Text,
    /// Fields.
    pub fields: Vec<Field>,
}

/// A string enum built from a metadata `enum`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Enum {
    /// Type name.
    pub name: String,
    /// Our description.
    pub description: Text,
    /// Values.
    pub values: Vec<EnumValue>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EnumValue {
    /// Wire value.
    pub value: String,
}

/// `actions/<Action>.yaml`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ActionFile {
    /// Wire name.
    pub name: String,
    /// One line.
    pub summary: Text,
    /// Longer text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Vendor page.
    pub docs_url: String,
    /// `read` or `write`.
    pub kind: String,
    /// Cargo feature that compiles the action (its metadata directory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Parameters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub input: Vec<Field>,
    /// Response fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<Field>,
    /// Curated async note.
    #[serde(rename = "async", skip_serializing_if = "Option::is_none")]
    pub async_note: Option<Value>,
    /// Curated paging.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paging: Option<Value>,
    /// Curated preconditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preconditions: Vec<Value>,
    /// Error table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorRow>,
    /// Curated examples.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
    /// Deprecation note, when the source marks the action deprecated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
}

/// A parameter or structure field (also read from curation, for one the metadata lacks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Spec type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Must be supplied.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Our description.
    pub description: Text,
    /// Limits.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Server-side default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Client token.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_token: bool,
    /// Accept numbers and booleans sent as strings.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lenient: bool,
    /// A parameter sent as one value: `json` or `comma-separated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Where a parameter goes: `form` (the body) rather than the query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Documented limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Smallest number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Shortest string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Longest string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// ASCII only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ascii: bool,
    /// Fewest items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// Unique item field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_by: Option<String>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// Sets every limit `other` names, keeping the others.
    pub fn overlay(&mut self, other: &Constraints) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f.clone_from(&other.$f); } )* };
        }
        take!(
            min, max, min_length, max_length, pattern, min_items, max_items, unique_by
        );
        self.ascii |= other.ascii;
    }
}

/// One error row.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ErrorRow {
    /// HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Vendor status (a status column that is not HTTP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_status: Option<u32>,
    /// Code.
    pub code: String,
    /// Message the server sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Our description.
    pub description: Text,
}

fn is_false(b: &bool) -> bool {
    !*b
}
