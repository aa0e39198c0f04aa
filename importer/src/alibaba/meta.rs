//! Typed view of Alibaba's OpenAPI metadata (`api-docs.json`).
//!
//! Only the keys the importer reads are declared; unknown keys are ignored
//! on purpose, because the vendor adds keys without notice and a new key must
//! not stop an import. Numbers the vendor writes as strings (`minimum`,
//! `default`, `example`) stay strings here; [`super::convert`] interprets
//! them against the field's type.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole metadata file of one product version.
#[derive(Debug, Deserialize)]
pub struct Metadata {
    /// Product and version.
    pub info: Info,
    /// Groups of actions, as the vendor's docs tree shows them.
    #[serde(default)]
    pub directories: Vec<Directory>,
    /// Every action by name, sorted.
    pub apis: BTreeMap<String, Api>,
    /// Host per region.
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
}

/// Only the summaries of a metadata file (read from the zh_cn file, for the terminal).
#[derive(Debug, Deserialize)]
pub struct Summaries {
    /// Actions by name.
    pub apis: BTreeMap<String, SummaryOnly>,
}

/// An action's summary and nothing else.
#[derive(Debug, Deserialize)]
pub struct SummaryOnly {
    /// Vendor summary.
    #[serde(default)]
    pub summary: Option<String>,
}

/// Product and API version.
#[derive(Debug, Deserialize)]
pub struct Info {
    /// `RPC` or `ROA`.
    pub style: String,
    /// Product code, e.g. `Vpc`.
    pub product: String,
    /// API version, e.g. `2016-04-28`.
    pub version: String,
}

/// A node of the docs tree: a titled directory of actions and directories.
#[derive(Debug, Deserialize)]
pub struct Directory {
    /// Title of the directory (vendor words: used for selection only).
    pub title: String,
    /// Action names and nested directories.
    #[serde(default)]
    pub children: Vec<Child>,
}

/// One entry of a directory.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Child {
    /// An action name.
    Action(String),
    /// A nested directory.
    Directory(Directory),
}

/// One region's host.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// Region id.
    pub region_id: String,
    /// Host name.
    pub endpoint: String,
}

/// One action.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Api {
    /// One-line vendor summary (printed, never written).
    #[serde(default)]
    pub summary: Option<String>,
    /// Request parameters in documentation order.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Response schemas by HTTP status.
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    /// Error rows by HTTP status.
    #[serde(default)]
    pub error_codes: BTreeMap<String, Vec<ErrorCode>>,
    /// Coarse read/write classification.
    #[serde(default)]
    pub operation_type: Option<String>,
    /// Fine classification (`get`, `list`, `create`, `update`, `delete`).
    #[serde(default)]
    pub system_tags: SystemTags,
    /// Whether the action returns before its work is done.
    #[serde(default)]
    pub static_info: StaticInfo,
    /// The vendor no longer recommends the action.
    #[serde(default)]
    pub deprecated: bool,
}

/// `systemTags` of an action.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemTags {
    /// `get`, `list`, `create`, `update`, `delete` or `none`.
    #[serde(default)]
    pub operation_type: Option<String>,
}

/// `staticInfo` of an action.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaticInfo {
    /// `synchronous` or `asynchronous`.
    #[serde(default)]
    pub return_type: Option<String>,
}

/// One request parameter.
#[derive(Debug, Deserialize)]
pub struct Parameter {
    /// Wire name.
    pub name: String,
    /// `query` or `formData`.
    #[serde(rename = "in")]
    pub location: String,
    /// How lists and objects are flattened: `repeatList`, `flat`, `json`, `simple`.
    #[serde(default)]
    pub style: Option<String>,
    /// Type and limits.
    pub schema: Schema,
}

/// A response.
#[derive(Debug, Deserialize)]
pub struct Response {
    /// Body schema.
    #[serde(default)]
    pub schema: Option<Schema>,
}

/// One error row.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCode {
    /// Code as the server sends it.
    pub error_code: String,
    /// Message as the server sends it.
    #[serde(default)]
    pub error_message: Option<String>,
}

/// Type and limits of a value.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `string`, `integer`, `number`, `boolean`, `array` or `object`.
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
    /// `int32`, `int64`, `double`, `iso8601`.
    #[serde(default)]
    pub format: Option<String>,
    /// Enforced by the API gateway.
    #[serde(default)]
    pub required: Option<bool>,
    /// Shown as required on the docs page.
    #[serde(default)]
    pub doc_required: Option<bool>,
    /// Title (vendor words: printed, never written).
    #[serde(default)]
    pub title: Option<String>,
    /// Example, as a string.
    #[serde(default)]
    pub example: Option<String>,
    /// Server-side default, as a string.
    #[serde(default)]
    pub default: Option<String>,
    /// Smallest number, as a string.
    #[serde(default)]
    pub minimum: Option<String>,
    /// Largest number, as a string.
    #[serde(default)]
    pub maximum: Option<String>,
    /// Shortest string.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Longest string.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Fewest list items.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Most list items.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Allowed values.
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<String>>,
    /// The field is no longer recommended.
    #[serde(default)]
    pub deprecated: bool,
    /// Item type of an array.
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// Fields of an object, in documentation order.
    #[serde(default, deserialize_with = "in_order")]
    pub properties: Vec<(String, Schema)>,
}

/// Reads a JSON object as a list of entries in file order (a map would sort them).
fn in_order<'de, D>(deserializer: D) -> Result<Vec<(String, Schema)>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<(String, Schema)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of schemas")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry::<String, Schema>()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    deserializer.deserialize_map(Entries)
}
