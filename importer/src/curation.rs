//! Hand-curated content that survives re-import.
//!
//! Curation lives beside the imported facts, in `<service>/curation/`:
//! `service.yaml`, `types.yaml` and `actions/<Action>.yaml`. The importer only
//! reads these files; it writes the generator's files (`service.yaml`,
//! `types.yaml`, `actions/`) as facts overlaid with curation, so `import` can
//! run again at any time. Every curated entry names the fact it amends (a
//! wire name, a structure, an error code); one that no longer matches a fact
//! fails the import, so curation expires instead of silently drifting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::spec::{ActionFile, Constraints, ErrorRow, Field, Release, Structure, Text};

/// Name of the curation directory inside a service directory.
pub const DIR: &str = "curation";

/// `curation/service.yaml`: service settings the metadata does not have.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCuration {
    /// Title.
    pub title: Option<String>,
    /// Our description of the service.
    pub description: Option<Text>,
    /// Default endpoint, when the metadata's choice is not the right one.
    pub endpoint: Option<String>,
    /// Vendor docs root.
    pub docs_url: Option<String>,
    /// A documented error body.
    pub error_example: Option<Value>,
    /// API version, for sources that do not state one (Zenlayer's pages).
    pub api_version: Option<String>,
    /// The generated crate's version.
    pub version: Option<String>,
    /// Release notes, newest first (the generator checks them).
    #[serde(default)]
    pub changelog: Vec<Value>,
    /// Service-wide error rows (the generator checks them).
    #[serde(default)]
    pub errors: Vec<Value>,
}

impl ServiceCuration {
    /// The release facts to write into `service.yaml`, taken out of the curation.
    pub fn release(&mut self) -> Release {
        Release {
            version: self.version.take(),
            changelog: std::mem::take(&mut self.changelog),
            errors: std::mem::take(&mut self.errors),
        }
    }
}

/// `curation/types.yaml`: descriptions and overrides of imported structures, plus
/// enums and resources that only a maintainer can write.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypesCuration {
    /// Amendments by structure name.
    #[serde(default)]
    pub structures: BTreeMap<String, StructureCuration>,
    /// Extra enums (e.g. a status enum the metadata only has in prose).
    #[serde(default)]
    pub enums: Vec<Value>,
    /// Resources, their read lookups and waiters.
    #[serde(default)]
    pub resources: Vec<Value>,
    /// Our names for imported types, by imported name (applied before `structures`):
    /// the importer names a nested type after its wire name, or after the action when
    /// that name is taken, which is not always the name users should see.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Structures the metadata lacks (from another vendor source, said in their
    /// description); one the metadata gains is reported stale.
    #[serde(default)]
    pub added_structures: Vec<Structure>,
}

/// Amendments of one imported structure.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureCuration {
    /// Our description.
    pub description: Option<Text>,
    /// Amendments by wire name.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldCuration>,
    /// Fields the metadata lacks (another vendor source has them); one the metadata
    /// gains is reported stale.
    #[serde(default)]
    pub added_fields: Vec<Field>,
}

/// `curation/actions/<Action>.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionCuration {
    /// Our summary.
    pub summary: Option<Text>,
    /// Our description.
    pub description: Option<Text>,
    /// A better vendor page.
    pub docs_url: Option<String>,
    /// `read` or `write`, when the metadata's operation type misclassifies the action
    /// (a `read` is retried on 5xx answers, so a state change must not be one).
    pub kind: Option<String>,
    /// Another Cargo feature than the metadata directory's (kebab-case).
    pub group: Option<String>,
    /// Amendments of parameters, by wire name.
    #[serde(default)]
    pub input: BTreeMap<String, FieldCuration>,
    /// Amendments of response fields, by wire name.
    #[serde(default)]
    pub output: BTreeMap<String, FieldCuration>,
    /// Our descriptions of error rows.
    #[serde(default)]
    pub errors: Vec<ErrorCuration>,
    /// Async note (needs a curated waiter).
    #[serde(rename = "async")]
    pub async_note: Option<Value>,
    /// Paging.
    pub paging: Option<Value>,
    /// Preconditions.
    #[serde(default)]
    pub preconditions: Vec<Value>,
    /// Examples with their fixups.
    #[serde(default)]
    pub examples: Vec<Value>,
}

/// Amendments of one field; every key given replaces the imported value.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCuration {
    /// A named type instead of the imported one (e.g. a status enum).
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// Required or not, when the metadata's flag is wrong.
    pub required: Option<bool>,
    /// Our description.
    pub description: Option<Text>,
    /// Limits the metadata lacks (added to the imported ones).
    pub constraints: Option<Constraints>,
    /// Default.
    pub default: Option<Value>,
    /// Unit.
    pub unit: Option<String>,
    /// Example.
    pub example: Option<Value>,
    /// Client token.
    pub idempotency_token: Option<bool>,
    /// Accept numbers sent as strings.
    pub lenient: Option<bool>,
}

/// Our description of an error row: by code, and by message when one code has several rows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCuration {
    /// Error code.
    pub code: String,
    /// Message, to pick one of several rows with this code.
    pub message: Option<String>,
    /// Our description.
    pub description: Text,
}

/// Curation files larger than this are refused, as the generator refuses large spec files.
pub const MAX_BYTES: u64 = 1 << 20;

/// Reads a curation file; a missing file is empty curation.
pub fn read<T: Default + for<'de> Deserialize<'de>>(path: &Path) -> Result<T, crate::Error> {
    match crate::read_bounded(path, MAX_BYTES, "a curation file")? {
        Some(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                crate::Error::Input(format!("{}: a curation file must be UTF-8", path.display()))
            })?;
            serde_saphyr::from_str(&text)
                .map_err(|e| crate::Error::Input(format!("{}: {e}", path.display())))
        }
        None => Ok(T::default()),
    }
}

/// `curation/actions/<action>.yaml` of the service directory `dir`.
pub fn action_path(dir: &Path, action: &str) -> std::path::PathBuf {
    dir.join(DIR).join("actions").join(format!("{action}.yaml"))
}

/// Overlays `c` on an imported action; stale entries are returned as messages.
pub fn apply_action(action: &mut ActionFile, c: ActionCuration) -> Vec<String> {
    let name = action.name.clone();
    let mut stale = Vec::new();
    if let Some(summary) = c.summary {
        action.summary = summary;
    }
    if c.description.is_some() {
        action.description = c.description;
    }
    if let Some(url) = c.docs_url {
        action.docs_url = url;
    }
    if let Some(kind) = c.kind {
        action.kind = kind;
    }
    if c.group.is_some() {
        action.group = c.group;
    }
    stale.extend(apply_fields(&name, "input", &mut action.input, c.input));
    stale.extend(apply_fields(&name, "output", &mut action.output, c.output));
    stale.extend(apply_errors(&name, &mut action.errors, c.errors));
    action.async_note = c.async_note;
    if c.paging.is_some() {
        action.paging = c.paging;
    }
    action.preconditions = c.preconditions;
    action.examples = c.examples;
    stale
}

/// Overlays structure curation; names no structure has are returned as stale.
pub fn apply_structures(
    structures: &mut [Structure],
    c: BTreeMap<String, StructureCuration>,
) -> Vec<String> {
    let mut stale = Vec::new();
    for (name, sc) in c {
        let Some(s) = structures.iter_mut().find(|s| s.name == name) else {
            stale.push(format!(
                "curation/types.yaml: structure `{name}` is no longer imported"
            ));
            continue;
        };
        if let Some(d) = sc.description {
            s.description = d;
        }
        stale.extend(apply_fields("types.yaml", &name, &mut s.fields, sc.fields));
        for added in sc.added_fields {
            if s.fields.iter().any(|f| f.name == added.name) {
                stale.push(format!(
                    "curation/types.yaml: added field `{name}.{}` is in the metadata now; drop it",
                    added.name
                ));
            } else {
                s.fields.push(added);
            }
        }
    }
    stale
}

/// Adds curated structures the metadata lacks; one it has now is returned as stale.
pub fn add_structures(structures: &mut Vec<Structure>, added: Vec<Structure>) -> Vec<String> {
    let mut stale = Vec::new();
    for s in added {
        if structures.iter().any(|t| t.name == s.name) {
            stale.push(format!(
                "curation/types.yaml: added structure `{}` is imported now; drop it",
                s.name
            ));
        } else {
            structures.push(s);
        }
    }
    stale
}

/// The curated name of imported type `name` (itself when not renamed).
fn renamed<'a>(name: &'a str, rename: &'a BTreeMap<String, String>) -> &'a str {
    rename.get(name).map_or(name, String::as_str)
}

/// `ty` with every type name in it renamed (`list<A>` → `list<B>`).
pub fn rename_type(ty: &str, rename: &BTreeMap<String, String>) -> String {
    for wrapper in ["list<", "map<"] {
        if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix('>')) {
            return format!("{wrapper}{}>", rename_type(inner, rename));
        }
    }
    renamed(ty, rename).to_owned()
}

/// Renames the types `fields` refer to.
pub fn rename_field_types(fields: &mut [Field], rename: &BTreeMap<String, String>) {
    for f in fields {
        f.ty = rename_type(&f.ty, rename);
    }
}

/// Applies `rename` to imported structures and enums (their names and every
/// reference between them); a name no type has, or a new name that another
/// type keeps, is returned as stale.
pub fn rename_types(
    structures: &mut [Structure],
    enums: &mut [Value],
    rename: &BTreeMap<String, String>,
) -> Vec<String> {
    let enum_name = |e: &Value| e.get("name").and_then(Value::as_str).map(str::to_owned);
    let before: Vec<String> = structures
        .iter()
        .map(|s| s.name.clone())
        .chain(enums.iter().filter_map(enum_name))
        .collect();
    let mut stale: Vec<String> = rename
        .keys()
        .filter(|old| !before.contains(old))
        .map(|old| {
            format!("curation/types.yaml: rename of `{old}`: no imported type has that name")
        })
        .collect();
    let mut after: Vec<&str> = before.iter().map(|n| renamed(n, rename)).collect();
    after.sort_unstable();
    for pair in after.windows(2).filter(|p| p[0] == p[1]) {
        stale.push(format!(
            "curation/types.yaml: after renaming, two types are called `{}`",
            pair[0]
        ));
    }
    for s in structures.iter_mut() {
        s.name = renamed(&s.name, rename).to_owned();
        rename_field_types(&mut s.fields, rename);
    }
    for e in enums.iter_mut() {
        if let Some(name) = enum_name(e) {
            e["name"] = Value::from(renamed(&name, rename));
        }
    }
    stale
}

fn apply_fields(
    owner: &str,
    side: &str,
    fields: &mut [Field],
    c: BTreeMap<String, FieldCuration>,
) -> Vec<String> {
    let mut stale = Vec::new();
    for (wire, fc) in c {
        match fields.iter_mut().find(|f| f.name == wire) {
            Some(f) => apply_field(f, fc),
            None => stale.push(format!(
                "{owner}: {side} field `{wire}` is no longer imported"
            )),
        }
    }
    stale
}

fn apply_field(f: &mut Field, c: FieldCuration) {
    if let Some(ty) = c.ty {
        f.ty = ty;
    }
    if let Some(r) = c.required {
        f.required = r;
    }
    if let Some(d) = c.description {
        f.description = d;
    }
    if let Some(limits) = c.constraints {
        f.constraints.overlay(&limits);
    }
    f.default = c.default.or(f.default.take());
    f.unit = c.unit.or(f.unit.take());
    f.example = c.example.or(f.example.take());
    f.idempotency_token = c.idempotency_token.unwrap_or(f.idempotency_token);
    f.lenient = c.lenient.unwrap_or(f.lenient);
}

fn apply_errors(action: &str, rows: &mut [ErrorRow], c: Vec<ErrorCuration>) -> Vec<String> {
    let mut stale = Vec::new();
    for ec in c {
        let mut matched = false;
        for row in rows.iter_mut().filter(|r| {
            r.code == ec.code
                && ec
                    .message
                    .as_ref()
                    .is_none_or(|m| r.message.as_ref() == Some(m))
        }) {
            row.description = ec.description.clone();
            matched = true;
        }
        if !matched {
            stale.push(format!(
                "{action}: error `{}` is no longer in the imported error table",
                ec.code
            ));
        }
    }
    stale
}
