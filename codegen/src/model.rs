//! The spec as written: serde types that mirror the YAML files one to one.
//!
//! Nothing here is trusted yet. Names that later checks must point back at
//! are wrapped in [`Spanned`] so a diagnostic can name file, line and column.
//! Every struct denies unknown keys, so a typo in a key is an error, never a
//! silently ignored line. [`crate::validate`] turns this into the IR. The
//! JSON Schema that editors use to check spec files is derived from these
//! types ([`crate::schema`]), so the two cannot drift apart.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// `spec/<service>/service.yaml`: settings shared by every action of a service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Name of the generated crate, e.g. `zenlayer-sdn`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Human title used in the crate docs and the manifest's description (one line).
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// What the service is, in our own words.
    pub description: Text,
    /// Wire protocol: `zenlayer-json` or `alibaba-rpc`.
    #[schemars(with = "String")]
    pub protocol: Spanned<String>,
    /// API version sent with every request.
    pub api_version: String,
    /// Default endpoint (base URL).
    pub endpoint: String,
    /// Region → host map, for services whose endpoint depends on the region.
    #[serde(default)]
    pub regional_endpoints: Vec<RegionalEndpoint>,
    /// Root of the vendor's reference pages.
    #[schemars(with = "Option<String>")]
    pub docs_url: Option<Spanned<String>>,
    /// Wire name of the request-id field in responses.
    #[schemars(with = "String")]
    pub request_id_field: Spanned<String>,
    /// A documented error body, kept to prove the runtime parses it.
    pub error_example: Option<Example>,
    /// Semantic version of the generated crate, e.g. `0.1.0`. Without it the
    /// crate is `0.0.0` and `publish = false` (fixtures, synthetic specs).
    #[schemars(with = "Option<String>")]
    pub version: Option<Spanned<String>>,
    /// Release notes of the generated crate, newest first; the first entry is
    /// `version`. Rendered into the crate's `CHANGELOG.md`.
    #[serde(default)]
    pub changelog: Vec<ChangelogEntry>,
    /// Error codes any action can return (authentication, throttling,
    /// parameter checks), rows as in an action's table. Every action's error
    /// kind tells them apart as `Common(CommonErrorKind::…)`; an action that
    /// lists one of these codes itself documents it there too.
    #[serde(default)]
    pub errors: Vec<ErrorRow>,
}

/// One release of the generated crate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangelogEntry {
    /// The release's semantic version.
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    /// What changed for users, in Markdown.
    pub changes: String,
}

/// One entry of a region → endpoint table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionalEndpoint {
    /// Region id, e.g. `cn-shanghai`.
    pub region: String,
    /// Host name serving that region.
    pub host: String,
}

/// `spec/<service>/types.yaml`: structures, enums and resources shared by actions.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypesFile {
    /// Named structures (objects).
    #[serde(default)]
    pub structures: Vec<Structure>,
    /// Named string enums.
    #[serde(default)]
    pub enums: Vec<Enum>,
    /// Resources whose lifecycle the async notes and preconditions talk about.
    #[serde(default)]
    pub resources: Vec<Resource>,
}

/// A named structure with fields.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    /// Type name as the vendor writes it (UpperCamel).
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What the structure holds.
    pub description: Text,
    /// Fields, in documentation order.
    pub fields: Vec<Field>,
}

/// A string enum; unknown values are kept at run time.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    /// Type name.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What the values mean as a whole.
    pub description: Text,
    /// Where sources disagree about the values, say so here.
    pub note: Option<String>,
    /// Known values.
    pub values: Vec<EnumValue>,
}

/// One known value of an enum.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// Wire value.
    #[schemars(with = "String")]
    pub value: Spanned<String>,
    /// Other spellings the service is known to send for the same value.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Vec<Spanned<String>>,
    /// Meaning of the value.
    pub description: Option<Text>,
}

/// A resource with a lifecycle (a private connect, a port, a circuit).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Resource name, e.g. `PrivateConnect`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Enum holding the resource's states.
    #[schemars(with = "String")]
    pub status_enum: Spanned<String>,
    /// Wire name of the status field in the read action's records.
    #[schemars(with = "String")]
    pub status_field: Spanned<String>,
    /// Wire name of the identifier in the read action's records.
    #[schemars(with = "String")]
    pub id_field: Spanned<String>,
    /// How to look resources up by id.
    pub read: ReadLookup,
    /// Named waits for a state, used by actions' async notes.
    #[serde(default)]
    pub waiters: Vec<Waiter>,
}

/// How to fetch resources by id with the read action.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadLookup {
    /// The read (list) action; it must have `paging`.
    #[schemars(with = "String")]
    pub action: Spanned<String>,
    /// Request parameters; the string `$ids` stands for the list of ids.
    #[schemars(with = "serde_json::Value")]
    pub request: Spanned<serde_json::Value>,
    /// Most ids one request may carry.
    #[schemars(with = "u64")]
    pub max_ids: Spanned<u64>,
}

/// Waiting until resources reach a state.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiter {
    /// UpperCamel name; the client method is `wait_until_<snake_name>`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// States that mean "keep polling".
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub in_progress: Vec<Spanned<String>>,
    /// States that mean done.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub success: Vec<Spanned<String>>,
    /// States that mean the work failed.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub failure: Vec<Spanned<String>>,
    /// What a resource no longer listed means: `success` or `failure`.
    #[schemars(with = "String")]
    pub when_absent: Spanned<String>,
    /// Wire name of a record field that must equal a value the caller passes
    /// (say, the bandwidth just requested) before a success state counts: for
    /// waits after a modification, whose success state is also the state before it.
    #[schemars(with = "Option<String>")]
    pub until_field: Option<Spanned<String>>,
    /// A success state read before any in-progress state of that resource
    /// counts only once this many seconds have passed since the wait began.
    #[schemars(with = "Option<u64>")]
    pub settle_seconds: Option<Spanned<u64>>,
}

/// Paging of a list action: page numbers (`page_number` and `total`) or a
/// continuation token (`next_token`), never both.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// Page-number paging: input field holding the page number (1-based).
    #[schemars(with = "Option<String>")]
    pub page_number: Option<Spanned<String>>,
    /// Input field holding the page size.
    #[schemars(with = "String")]
    pub page_size: Spanned<String>,
    /// Page-number paging: output field holding the total number of records.
    #[schemars(with = "Option<String>")]
    pub total: Option<Spanned<String>>,
    /// Token paging: input field carrying the token of the next page; the
    /// output field of the same wire name (top level) returns it, and an
    /// empty or absent one marks the last page.
    #[schemars(with = "Option<String>")]
    pub next_token: Option<Spanned<String>>,
    /// Output path (dotted wire names) to the list of records.
    #[schemars(with = "String")]
    pub items: Spanned<String>,
}

/// `spec/<service>/actions/<Action>.yaml`: one API action.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionFile {
    /// Action name exactly as sent on the wire.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// One-line summary.
    pub summary: Text,
    /// Longer explanation, in our own words.
    pub description: Option<Text>,
    /// Link to the vendor page this action was derived from.
    #[schemars(with = "Option<String>")]
    pub docs_url: Option<Spanned<String>>,
    /// `read` (no side effect, safe to repeat) or `write`.
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    /// Cargo feature (kebab-case) of the generated crate that compiles the
    /// action and everything only it uses; ungrouped actions are always compiled.
    #[schemars(with = "Option<String>")]
    pub group: Option<Spanned<String>>,
    /// Request parameters.
    #[serde(default)]
    pub input: Vec<Field>,
    /// Response fields.
    #[serde(default)]
    pub output: Vec<Field>,
    /// The action returns before the work is done.
    #[serde(rename = "async")]
    pub async_note: Option<AsyncNote>,
    /// How the action pages through results.
    pub paging: Option<Paging>,
    /// States the resource must be in for the call to be accepted.
    #[serde(default)]
    pub preconditions: Vec<Precondition>,
    /// Documented error table, row by row as the vendor lists it.
    #[serde(default)]
    pub errors: Vec<ErrorRow>,
    /// Documented request/response examples.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// The vendor deprecated the action: why, and what to use instead, in our words.
    /// The client method gets `#[deprecated(note = …)]` with this note.
    #[schemars(with = "Option<String>")]
    pub deprecated: Option<Spanned<String>>,
}

/// A parameter or a structure field.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name exactly as sent.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// `string`, `integer`, `long`, `float`, `boolean`, `list<T>`, `map<T>` or a type name.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub ty: Spanned<String>,
    /// Whether the caller must supply it.
    #[serde(default)]
    pub required: bool,
    /// What it means.
    pub description: Text,
    /// Documented limits, checked before a request is sent.
    #[serde(default)]
    pub constraints: Constraints,
    /// Server-side default when omitted (documentation only: we never send it).
    pub default: Option<serde_json::Value>,
    /// Unit of a numeric value, e.g. `Mbps`.
    pub unit: Option<String>,
    /// Example value from the docs.
    pub example: Option<serde_json::Value>,
    /// The field is a client token that makes retries safe.
    #[serde(default)]
    pub idempotency_token: bool,
    /// Sources disagree on the JSON type: accept the value as a string too.
    #[serde(default)]
    pub lenient: bool,
    /// `alibaba-rpc` parameters only: `json` (the value as ONE parameter
    /// holding its JSON text) or `comma-separated` (a list's items joined by
    /// `,`) instead of the dotted flattening.
    #[schemars(with = "Option<String>")]
    pub encoding: Option<Spanned<String>>,
    /// `alibaba-rpc` parameters only: `query` (the default) or `form` (in an
    /// `application/x-www-form-urlencoded` body).
    #[schemars(with = "Option<String>")]
    pub location: Option<Spanned<String>>,
}

/// Documented limits on a value.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Smallest allowed number.
    #[schemars(with = "Option<i64>")]
    pub min: Option<Spanned<i64>>,
    /// Largest allowed number.
    #[schemars(with = "Option<i64>")]
    pub max: Option<Spanned<i64>>,
    /// Shortest allowed string, in characters.
    #[schemars(with = "Option<u64>")]
    pub min_length: Option<Spanned<u64>>,
    /// Longest allowed string, in characters.
    #[schemars(with = "Option<u64>")]
    pub max_length: Option<Spanned<u64>>,
    /// Regular expression the whole string must match.
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// Only ASCII characters allowed.
    #[serde(default)]
    pub ascii: bool,
    /// Fewest list items.
    #[schemars(with = "Option<u64>")]
    pub min_items: Option<Spanned<u64>>,
    /// Most list items.
    #[schemars(with = "Option<u64>")]
    pub max_items: Option<Spanned<u64>>,
    /// Field of the list's items whose values must not repeat.
    #[schemars(with = "Option<String>")]
    pub unique_by: Option<Spanned<String>>,
}

/// The action's effect is asynchronous; this says how to follow it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsyncNote {
    /// The waiter (defined on a resource in types.yaml) that follows the effect.
    #[schemars(with = "String")]
    pub waiter: Spanned<String>,
    /// The required input field whose value the waiter's `until_field` must
    /// show (required exactly when the waiter has an `until_field`).
    #[schemars(with = "Option<String>")]
    pub expected: Option<Spanned<String>>,
    /// Extra explanation.
    pub description: Option<Text>,
}

/// A state requirement checked by the service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// Resource the requirement is about.
    #[schemars(with = "String")]
    pub resource: Spanned<String>,
    /// States in which the action is accepted.
    #[schemars(with = "Vec<String>")]
    pub allowed_states: Vec<Spanned<String>>,
    /// Extra explanation.
    pub description: Option<Text>,
}

/// One row of a documented error table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRow {
    /// HTTP status the service answers with.
    pub http_status: Option<u16>,
    /// A vendor number printed in the status column instead of an HTTP status.
    pub vendor_status: Option<u32>,
    /// Error code as sent.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// Message as documented, if the table has a message column.
    pub message: Option<String>,
    /// What the error means, in our own words.
    pub description: Text,
}

/// A documented example, kept as the vendor wrote it plus named fixups.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example does.
    pub title: String,
    /// Request body (JSON) or, for RPC services, the parameters as a JSON object.
    #[schemars(with = "Option<String>")]
    pub request: Option<Spanned<String>>,
    /// Response body as JSON.
    #[schemars(with = "Option<String>")]
    pub response: Option<Spanned<String>>,
    /// HTTP status of the response, when it is not 200.
    pub status: Option<u16>,
    /// Corrections applied to the vendor text before parsing.
    #[serde(default)]
    pub fixups: Vec<Fixup>,
}

/// A named correction of a vendor example: `find` must occur, else the fixup is stale.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fixup {
    /// Short kebab-case name.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Why the vendor text needs it.
    pub reason: String,
    /// Text to find in the request and response.
    pub find: String,
    /// Replacement.
    pub replace: String,
}

/// Prose in English, optionally with a Chinese version.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    /// English only.
    Plain(String),
    /// English and Chinese.
    Localized {
        /// English text.
        en: String,
        /// Chinese text.
        zh: Option<String>,
    },
}

impl Text {
    /// The English text.
    pub fn en(&self) -> &str {
        match self {
            Text::Plain(s) | Text::Localized { en: s, .. } => s,
        }
    }

    /// The Chinese text, if any.
    pub fn zh(&self) -> Option<&str> {
        match self {
            Text::Plain(_) => None,
            Text::Localized { zh, .. } => zh.as_deref(),
        }
    }
}
