//! The intermediate representation: the spec after validation.
//!
//! Every reference is resolved, every Rust name is computed once (and is a
//! valid identifier), and every list is in a fixed order. References the
//! emitters follow (a resource's record and read action, a paging's record
//! type, an async note's resource and read action, the structures and enums
//! of field types) are [`Handle`]s into the
//! service's vectors, so the emitter never searches by name; one that leads
//! nowhere is its internal error, not a skipped item.

use crate::model::Text;

mod handle;

pub use handle::{ActionId, EnumId, Handle, ResourceId, StructId};

/// One vendor service, ready to emit as one crate.
#[derive(Debug)]
pub struct Service {
    /// Spec directory name, e.g. `zenlayer-sdn`.
    pub dir: String,
    /// Crate (package) name.
    pub crate_name: String,
    /// Human title.
    pub title: String,
    /// What the service is.
    pub description: Text,
    /// Wire protocol.
    pub protocol: Protocol,
    /// API version sent with every request.
    pub api_version: String,
    /// Default endpoint.
    pub endpoint: String,
    /// Region → host table, sorted by region.
    pub regional_endpoints: Vec<(String, String)>,
    /// Root of the vendor docs.
    pub docs_url: Option<String>,
    /// Wire name of the request id in responses.
    pub request_id_field: String,
    /// A documented error body.
    pub error_example: Option<Example>,
    /// Version of the generated crate; `None`: `0.0.0`, not publishable.
    pub version: Option<String>,
    /// Releases, newest first: (version, Markdown changes).
    pub changelog: Vec<(String, String)>,
    /// Service-wide error codes, in `service.yaml` order.
    pub common_errors: Vec<ErrorVariant>,
    /// Structures, sorted by name.
    pub structs: Vec<Struct>,
    /// Enums, sorted by name.
    pub enums: Vec<Enum>,
    /// Resources with a lifecycle, sorted by name.
    pub resources: Vec<Resource>,
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
}

impl Service {
    /// The actions' groups (Cargo features), sorted, each once.
    pub fn groups(&self) -> std::collections::BTreeSet<&str> {
        self.actions
            .iter()
            .filter_map(|a| a.group.as_deref())
            .collect()
    }
}

/// How requests go on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// JSON POST with `X-ZC-Action`, ZC2-HMAC-SHA256.
    ZenlayerJson,
    /// RPC query parameters, ACS3-HMAC-SHA256.
    AlibabaRpc,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// UTF-8 text.
    String,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// Floating point.
    Float,
    /// true / false.
    Boolean,
    /// Ordered list.
    List(Box<Type>),
    /// String-keyed map.
    Map(Box<Type>),
    /// A named structure.
    Struct(StructId),
    /// A named enum.
    Enum(EnumId),
}

/// A parameter or structure field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust field name (snake_case, keyword-safe).
    pub rust: String,
    /// Resolved type.
    pub ty: Type,
    /// Must be supplied by the caller.
    pub required: bool,
    /// What it means.
    pub description: Text,
    /// Checked limits.
    pub constraints: Constraints,
    /// Documented server-side default.
    pub default: Option<serde_json::Value>,
    /// Unit of measure.
    pub unit: Option<String>,
    /// Documented example value.
    pub example: Option<serde_json::Value>,
    /// A client token that makes retries safe.
    pub idempotency_token: bool,
    /// Sources disagree on the JSON type; said in the field's docs (every
    /// response value is read from a number, boolean or text alike).
    pub lenient: bool,
    /// How an RPC parameter's value becomes parameters.
    pub encoding: Encoding,
    /// Where an RPC parameter travels.
    pub location: Location,
}

/// How an RPC parameter's value becomes parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Dotted names, 1-based indices (the protocol's default).
    Flat,
    /// One parameter holding the value's JSON text.
    Json,
    /// One parameter holding a list's items joined by `,`.
    CommaSeparated,
}

/// Where an RPC parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// An `application/x-www-form-urlencoded` body.
    Form,
}

/// Checked limits, with spans stripped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Smallest number.
    pub min: Option<i64>,
    /// Largest number.
    pub max: Option<i64>,
    /// Shortest string in characters.
    pub min_length: Option<u64>,
    /// Longest string in characters.
    pub max_length: Option<u64>,
    /// Whole-string regular expression.
    pub pattern: Option<String>,
    /// ASCII only.
    pub ascii: bool,
    /// Fewest items.
    pub min_items: Option<u64>,
    /// Most items.
    pub max_items: Option<u64>,
    /// The item field whose values must be unique.
    pub unique_by: Option<UniqueKey>,
}

/// A field of a list's items whose values must not repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKey {
    /// Wire name of the item field.
    pub wire: String,
    /// Rust name of the item field.
    pub rust: String,
}

impl Constraints {
    /// True when nothing needs checking.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A named structure.
#[derive(Debug)]
pub struct Struct {
    /// Rust and vendor name.
    pub name: String,
    /// What it holds.
    pub description: Text,
    /// Fields in documentation order.
    pub fields: Vec<Field>,
}

/// An open string enum.
#[derive(Debug)]
pub struct Enum {
    /// Rust and vendor name.
    pub name: String,
    /// What the values mean.
    pub description: Text,
    /// Disagreement between sources, if any.
    pub note: Option<String>,
    /// Known values in documentation order.
    pub values: Vec<EnumValue>,
}

/// One known enum value.
#[derive(Debug)]
pub struct EnumValue {
    /// Canonical wire value (what we send).
    pub wire: String,
    /// Other spellings accepted when parsing.
    pub aliases: Vec<String>,
    /// Rust variant name.
    pub variant: String,
    /// Meaning.
    pub description: Option<Text>,
}

/// A resource with a lifecycle.
#[derive(Debug)]
pub struct Resource {
    /// Name, e.g. `PrivateConnect`.
    pub name: String,
    /// Record structure returned by the read action.
    pub record: StructId,
    /// Rust name of the record's status field.
    pub status_field: String,
    /// Rust name of the record's id field.
    pub id_field: String,
    /// How to look the resource up.
    pub read: ReadLookup,
    /// Named waits.
    pub waiters: Vec<Waiter>,
}

/// Looking resources up by id.
#[derive(Debug)]
pub struct ReadLookup {
    /// The read action's name.
    pub action: ActionId,
    /// Request template; `$ids` stands for the ids.
    pub request: serde_json::Value,
    /// Most ids per request.
    pub max_ids: u64,
}

/// Waiting until resources reach a state; states are canonical wire values.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// UpperCamel name.
    pub name: String,
    /// snake_case name.
    pub snake: String,
    /// Keep polling.
    pub in_progress: Vec<String>,
    /// Done.
    pub success: Vec<String>,
    /// Failed.
    pub failure: Vec<String>,
    /// A resource no longer listed means success.
    pub absent_means_success: bool,
    /// The record field a success state must show the caller's value in.
    pub until: Option<UntilField>,
    /// Seconds before a success state counts when no in-progress state was seen.
    pub settle_seconds: Option<u64>,
}

/// A record field a waiter compares with a value the caller passes.
#[derive(Debug, Clone)]
pub struct UntilField {
    /// Wire name.
    pub wire: String,
    /// Rust field name in the record structure.
    pub rust: String,
    /// Its type (a string, integer, long, boolean or enum).
    pub ty: Type,
    /// The field is a plain `T` in the record (else an `Option`).
    pub required: bool,
}

/// One field on a path through nested outputs.
#[derive(Debug, Clone)]
pub struct PathStep {
    /// Rust field name.
    pub rust: String,
    /// The field is an `Option` in Rust.
    pub optional: bool,
}

/// Paging of a list action, resolved to Rust names.
#[derive(Debug)]
pub struct Paging {
    /// Where the position of the next page comes from.
    pub mode: PagingMode,
    /// The page size's integer type.
    pub page_size_width: Width,
    /// Documented maximum page size, if any.
    pub max_page_size: Option<i64>,
    /// Input field with the page size.
    pub page_size: String,
    /// Documented default page size, if any.
    pub default_page_size: Option<i64>,
    /// Output path to the records, one step per field.
    pub items: Vec<PathStep>,
    /// Record type name (a structure).
    pub item_type: StructId,
}

/// The Rust integer type of a paging field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// An `integer`: `i32`.
    I32,
    /// A `long`: `i64`.
    I64,
}

impl Width {
    /// The width of an integer field's type (`long` is `I64`, anything else `I32`).
    pub(crate) fn of(ty: &Type) -> Self {
        if *ty == Type::Long {
            Width::I64
        } else {
            Width::I32
        }
    }
}

/// How a list action says which page to send next.
#[derive(Debug)]
pub enum PagingMode {
    /// Page numbers from 1, with a total over all pages.
    Number {
        /// Input field with the page number.
        page_number: String,
        /// The page number's integer type.
        page_number_width: Width,
        /// Output field with the total.
        total: String,
        /// The total's integer type.
        total_width: Width,
    },
    /// A continuation token: each page's output names the next page.
    Token {
        /// Wire name of the token (the input and the output field have it).
        wire: String,
        /// Input field the token is sent in.
        input: String,
        /// Output field (top level) the next token comes back in.
        output: String,
    },
}

/// Whether repeating the action is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// No side effects.
    Read,
    /// Changes state.
    Write,
}

/// One API action.
#[derive(Debug)]
pub struct Action {
    /// Wire name, UpperCamel.
    pub name: String,
    /// snake_case name for the module and client method.
    pub snake: String,
    /// One-line summary.
    pub summary: Text,
    /// Longer explanation.
    pub description: Option<Text>,
    /// Vendor page.
    pub docs_url: Option<String>,
    /// Read or write.
    pub kind: ActionKind,
    /// Cargo feature that compiles the action; `None`: always compiled.
    pub group: Option<String>,
    /// Request parameters.
    pub input: Vec<Field>,
    /// Response fields.
    pub output: Vec<Field>,
    /// How to follow the asynchronous effect.
    pub async_note: Option<AsyncNote>,
    /// Paging through results.
    pub paging: Option<Paging>,
    /// Required resource states.
    pub preconditions: Vec<Precondition>,
    /// Error variants, one per distinct code, in table order; service-wide
    /// codes are not among them.
    pub errors: Vec<ErrorVariant>,
    /// The action's own rows for service-wide codes (they document its
    /// `Common` variant).
    pub common_rows: Vec<ErrorVariant>,
    /// Examples with fixups applied and JSON parsed.
    pub examples: Vec<Example>,
    /// The deprecation note, when the vendor deprecated the action.
    pub deprecated: Option<String>,
}

/// How to follow an asynchronous action.
#[derive(Debug)]
pub struct AsyncNote {
    /// The resource.
    pub resource: ResourceId,
    /// The action that reports its state.
    pub read_action: ActionId,
    /// The waiter to use.
    pub waiter: Waiter,
    /// The input field holding the value the waiter's `until` field must show.
    pub expected: Option<Expected>,
    /// Extra explanation.
    pub description: Option<Text>,
}

/// The input field whose value a waiter waits to see.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Wire name.
    pub wire: String,
    /// Rust field name in the input.
    pub rust: String,
    /// The input is an `integer` and the record field a `long` (`i64::from`).
    pub widen: bool,
}

/// A state requirement.
#[derive(Debug)]
pub struct Precondition {
    /// The resource.
    pub resource: String,
    /// Accepted states.
    pub allowed_states: Vec<String>,
    /// Extra explanation.
    pub description: Option<Text>,
}

/// One error code and every table row documenting it.
#[derive(Debug)]
pub struct ErrorVariant {
    /// Code as sent.
    pub code: String,
    /// Rust variant name.
    pub variant: String,
    /// Rows in table order (one code may be listed with several messages).
    pub rows: Vec<ErrorRow>,
}

/// One documented row.
#[derive(Debug)]
pub struct ErrorRow {
    /// Status column.
    pub status: Status,
    /// Documented message.
    pub message: Option<String>,
    /// Meaning.
    pub description: Text,
}

/// The status column of an error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A real HTTP status.
    Http(u16),
    /// A vendor-internal number printed where the HTTP status belongs.
    Vendor(u32),
    /// No status documented (service-wide codes only).
    Undocumented,
}

/// A documented example after fixups.
#[derive(Debug)]
pub struct Example {
    /// What it shows.
    pub title: String,
    /// Request as JSON (body, or the RPC parameters as an object).
    pub request: Option<serde_json::Value>,
    /// Response body.
    pub response: Option<serde_json::Value>,
    /// HTTP status of the response.
    pub status: u16,
}
