//! A deterministic synthetic spec of N actions, for benchmarks.
//!
//! Proportions follow the real specs: per action about seven parameters (two
//! required, one structure, one enum, one list, one constrained string and
//! number), four output fields, a four-row error table (one code listed
//! twice, one vendor-numbered); every fifth action is a paged list action,
//! every third an asynchronous write with a waiter; one shared structure and
//! enum per ten actions. No randomness: the same N always gives the same
//! files.
//!
//! The content is a [`Model`] first, rendered here as truebind's YAML spec and by
//! `bench::openapi` as an OpenAPI document for the peer generator, so both
//! generators are fed the same parameters, limits, responses and shared types.

use std::fmt::Write as _;
use std::path::Path;

/// A field's type in the synthetic model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A string.
    String,
    /// A 32-bit integer.
    Integer,
    /// A double.
    Float,
    /// A boolean.
    Boolean,
    /// Shared enum `State{k}`.
    State(usize),
    /// Shared structure `Shape{k}`.
    Shape(usize),
    /// A list of strings.
    Strings,
    /// A list of `Shape{k}`.
    Shapes(usize),
}

/// Documented limits of a field (all optional).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Longest string, in characters.
    pub max_length: Option<u32>,
    /// The string is ASCII only.
    pub ascii: bool,
    /// Smallest number.
    pub min: Option<i64>,
    /// Largest number.
    pub max: Option<i64>,
    /// Longest list.
    pub max_items: Option<u32>,
}

/// One parameter, output or structure field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Wire name.
    pub name: &'static str,
    /// Type.
    pub ty: Ty,
    /// Whether the caller must give it.
    pub required: bool,
    /// Documentation.
    pub description: &'static str,
    /// Documented limits.
    pub limits: Limits,
    /// Documented default (integers only).
    pub default: Option<i64>,
    /// Documented unit.
    pub unit: Option<&'static str>,
    /// The client fills it with a fresh token when the caller leaves it out.
    pub idempotency_token: bool,
}

/// One row of an action's error table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorRow {
    /// The status it arrives with.
    pub status: Status,
    /// Error code.
    pub code: String,
    /// Documented message, when the code is listed once per message.
    pub message: Option<&'static str>,
    /// Documentation.
    pub description: &'static str,
}

/// How an error's status is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// An HTTP status.
    Http(u16),
    /// The vendor's own status number, in the response body.
    Vendor(u32),
}

/// One synthetic action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// `Action{i:05}`.
    pub name: String,
    /// Index, from 0.
    pub index: usize,
    /// A paged list (read) action, else a write.
    pub list: bool,
    /// Parameters, sent as a JSON object.
    pub input: Vec<Field>,
    /// Fields of the success response.
    pub output: Vec<Field>,
    /// Documented errors.
    pub errors: Vec<ErrorRow>,
    /// The resource whose waiter follows this (asynchronous) write.
    pub waiter: Option<usize>,
}

/// The whole synthetic service.
pub struct Model {
    /// Number of shared `Shape{k}` structures and `State{k}` enums.
    pub shared: usize,
    /// Number of resources (one per list action).
    pub resources: usize,
    /// The actions.
    pub actions: Vec<Action>,
}

/// The values of every `State{k}` enum.
pub const STATES: [&str; 5] = ["CREATING", "RUNNING", "UPDATING", "DELETING", "FAILED"];

impl Model {
    /// The model of `actions` actions.
    pub fn new(actions: usize) -> Self {
        let shared = actions.div_ceil(10).max(1);
        let resources = actions.div_ceil(5);
        Self {
            shared,
            resources,
            actions: (0..actions).map(|i| action(i, shared, resources)).collect(),
        }
    }
}

/// The fields of shared structure `Shape{k}`.
pub fn shape_fields(k: usize) -> Vec<Field> {
    vec![
        field("shapeId", Ty::String, "Id.").required(),
        field("label", Ty::String, "Label.").max_length(64),
        field("size", Ty::Integer, "Size.").range(Some(1), Some(100)),
        field("ratio", Ty::Float, "Ratio."),
        field("enabled", Ty::Boolean, "Flag."),
        field("state", Ty::State(k), "State."),
    ]
}

fn field(name: &'static str, ty: Ty, description: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        description,
        limits: Limits::default(),
        default: None,
        unit: None,
        idempotency_token: false,
    }
}

impl Field {
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn max_length(mut self, n: u32) -> Self {
        self.limits.max_length = Some(n);
        self
    }
    fn range(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        self.limits.min = min;
        self.limits.max = max;
        self
    }
    fn default(mut self, value: i64) -> Self {
        self.default = Some(value);
        self
    }
}

fn action(i: usize, shared: usize, resources: usize) -> Action {
    let k = i % shared;
    let list = i.is_multiple_of(5);
    let request_id = field("requestId", Ty::String, "Request id.");
    let (input, output) = if list {
        let mut ids = field("ids", Ty::Strings, "Ids.");
        ids.limits.max_items = Some(100);
        let input = vec![
            ids,
            field("nameFilter", Ty::String, "Filter.").max_length(255),
            field("state", Ty::State(k), "State filter."),
            field("pageNum", Ty::Integer, "Page.")
                .range(Some(1), None)
                .default(1),
            field("pageSize", Ty::Integer, "Size.")
                .range(Some(1), Some(100))
                .default(20),
        ];
        let output = vec![
            request_id,
            field("totalCount", Ty::Integer, "Total."),
            field("dataSet", Ty::Shapes(k), "Records."),
        ];
        (input, output)
    } else {
        let mut bandwidth = field("bandwidth", Ty::Integer, "Bandwidth.")
            .range(Some(1), Some(500))
            .default(1);
        bandwidth.unit = Some("Mbps");
        let mut tags = field("tags", Ty::Strings, "Tags.");
        tags.limits.max_items = Some(20);
        let mut token = field("clientToken", Ty::String, "Token.").max_length(64);
        token.limits.ascii = true;
        token.idempotency_token = true;
        let input = vec![
            field("targetId", Ty::String, "Target.").required(),
            field("shape", Ty::Shape(k), "Shape.").required(),
            field("displayName", Ty::String, "Name.").max_length(255),
            bandwidth,
            field("state", Ty::State(k), "State."),
            tags,
            token,
        ];
        let output = vec![
            request_id,
            field("resultId", Ty::String, "Result."),
            field("orderNumber", Ty::String, "Order."),
            field("shape", Ty::Shape(k), "Shape."),
        ];
        (input, output)
    };
    let row = |status, code: &str, message, description| ErrorRow {
        status,
        code: format!("{code}_{i}"),
        message,
        description,
    };
    Action {
        name: format!("Action{i:05}"),
        index: i,
        list,
        input,
        output,
        errors: vec![
            row(Status::Http(404), "NOT_FOUND", None, "Missing."),
            row(Status::Http(400), "BAD_STATE", Some("first"), "Bad."),
            row(Status::Http(400), "BAD_STATE", Some("second"), "Bad."),
            row(Status::Vendor(7105), "VENDOR", None, "Vendor."),
        ],
        waiter: (!list && i.is_multiple_of(3) && resources > 0).then(|| (i / 5) % resources),
    }
}

/// Writes `spec/<name>/…` with `actions` actions under `root`.
pub fn write_spec(root: &Path, name: &str, actions: usize) -> std::io::Result<()> {
    let model = Model::new(actions);
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("actions"))?;
    std::fs::write(dir.join("service.yaml"), service(name))?;
    std::fs::write(dir.join("types.yaml"), types(&model))?;
    for a in &model.actions {
        std::fs::write(
            dir.join("actions").join(format!("{}.yaml", a.name)),
            action_yaml(a),
        )?;
    }
    Ok(())
}

fn service(name: &str) -> String {
    format!(
        "name: {name}\ntitle: Synthetic benchmark service\ndescription: Generated for benchmarks.\n\
         protocol: zenlayer-json\napi_version: \"2026-04-01\"\nendpoint: https://example.invalid/api\n\
         request_id_field: requestId\n"
    )
}

/// A type as the YAML spec spells it.
fn yaml_type(ty: Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Integer => "integer".into(),
        Ty::Float => "float".into(),
        Ty::Boolean => "boolean".into(),
        Ty::State(k) => format!("State{k}"),
        Ty::Shape(k) => format!("Shape{k}"),
        Ty::Strings => "\"list<string>\"".into(),
        Ty::Shapes(k) => format!("\"list<Shape{k}>\""),
    }
}

/// One field as a YAML flow mapping.
fn field_yaml(f: &Field) -> String {
    let mut s = format!("{{ name: {}, type: {}", f.name, yaml_type(f.ty));
    if f.required {
        s.push_str(", required: true");
    }
    let _ = write!(s, ", description: {}", f.description);
    let l = &f.limits;
    let mut limits = Vec::new();
    if let Some(n) = l.max_items {
        limits.push(format!("max_items: {n}"));
    }
    if let Some(n) = l.max_length {
        limits.push(format!("max_length: {n}"));
    }
    if l.ascii {
        limits.push("ascii: true".into());
    }
    if let Some(n) = l.min {
        limits.push(format!("min: {n}"));
    }
    if let Some(n) = l.max {
        limits.push(format!("max: {n}"));
    }
    if !limits.is_empty() {
        let _ = write!(s, ", constraints: {{ {} }}", limits.join(", "));
    }
    if let Some(d) = f.default {
        let _ = write!(s, ", default: {d}");
    }
    if let Some(u) = f.unit {
        let _ = write!(s, ", unit: {u}");
    }
    if f.idempotency_token {
        s.push_str(", idempotency_token: true");
    }
    s.push_str(" }");
    s
}

fn types(model: &Model) -> String {
    let mut s = String::from("structures:\n");
    for k in 0..model.shared {
        let _ = write!(
            s,
            "  - name: Shape{k}\n    description: Shared structure {k}.\n    fields:\n"
        );
        for f in shape_fields(k) {
            let _ = writeln!(s, "      - {}", field_yaml(&f));
        }
    }
    s.push_str("enums:\n");
    for k in 0..model.shared {
        let _ = write!(
            s,
            "  - name: State{k}\n    description: States {k}.\n    values:\n"
        );
        for v in STATES {
            let _ = writeln!(s, "      - {{ value: {v}, description: {v}. }}");
        }
    }
    s.push_str("resources:\n");
    for l in 0..model.resources {
        let k = (l * 5) % model.shared;
        let _ = write!(
            s,
            "  - name: Resource{l}\n    status_enum: State{k}\n    status_field: state\n    id_field: shapeId\n\
             \x20   read: {{ action: Action{idx:05}, request: {{ ids: $ids }}, max_ids: 50 }}\n\
             \x20   waiters:\n      - {{ name: Resource{l}Running, in_progress: [CREATING, UPDATING], \
             success: [RUNNING], failure: [FAILED], when_absent: failure }}\n",
            idx = l * 5
        );
    }
    s
}

fn action_yaml(a: &Action) -> String {
    let i = a.index;
    let mut s = format!(
        "name: {}\nsummary: Synthetic action {i}.\ndescription: Does synthetic thing {i}.\n\
         kind: {}\ninput:\n",
        a.name,
        if a.list { "read" } else { "write" }
    );
    for f in &a.input {
        let _ = writeln!(s, "  - {}", field_yaml(f));
    }
    s.push_str("output:\n");
    for f in &a.output {
        let _ = writeln!(s, "  - {}", field_yaml(f));
    }
    if a.list {
        s.push_str(
            "paging: { page_number: pageNum, page_size: pageSize, total: totalCount, items: dataSet }\n",
        );
    }
    if let Some(r) = a.waiter {
        let _ = writeln!(s, "async: {{ waiter: Resource{r}Running }}");
    }
    s.push_str("errors:\n");
    for e in &a.errors {
        let status = match e.status {
            Status::Http(h) => format!("http_status: {h}"),
            Status::Vendor(v) => format!("vendor_status: {v}"),
        };
        let message = e
            .message
            .map(|m| format!(", message: {m}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  - {{ {status}, code: {}{message}, description: {} }}",
            e.code, e.description
        );
    }
    s
}

#[cfg(test)]
mod tests {
    /// The generator's fast YAML path reads every synthetic file exactly as
    /// serde-saphyr does (and is taken for every one of them).
    #[test]
    fn the_fast_yaml_path_agrees_with_serde_saphyr_on_the_synthetic_specs() {
        let scratch = tempfile::tempdir().expect("a scratch directory");
        for actions in [1, 10, 100, 500] {
            let name = format!("synth-{actions}");
            super::write_spec(scratch.path(), &name, actions).expect("the spec is written");
            let dir = scratch.path().join(&name);
            let mut files = vec![dir.join("service.yaml"), dir.join("types.yaml")];
            for entry in std::fs::read_dir(dir.join("actions")).expect("actions/") {
                files.push(entry.expect("an entry").path());
            }
            for file in files {
                let text = std::fs::read_to_string(&file).expect("a synthetic file");
                match truebind_codegen::load::fast_path_check(&text) {
                    Ok(read) => assert!(read > 0, "{} was read slowly", file.display()),
                    Err(e) => panic!("{}: {e}", file.display()),
                }
            }
        }
    }
}
