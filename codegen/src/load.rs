//! Reading a service's spec files into [`crate::model`] types.
//!
//! A service lives in `spec/<service>/`: `service.yaml`, an optional
//! `types.yaml`, and one `actions/<Action>.yaml` per action. Files are read in
//! sorted order so results never depend on directory enumeration order. Every
//! file is read even when an earlier one fails, so one run reports every
//! syntax problem.
//!
//! What counts as a spec file, and what is reported:
//!
//! - `actions/` may hold only `<Action>.yaml` files. Anything else in it (a
//!   `.yml` or `.json` file, a file without extension, a subdirectory) is an
//!   error, because an action file the generator skips silently is an action
//!   that silently has no binding. Hidden entries (a leading `.`, such as
//!   editor swap files or `.gitkeep`) are ignored.
//! - Next to `service.yaml`, a YAML file that is neither `service.yaml` nor
//!   `types.yaml` (`types.yml`, `type.yaml`, `Service.yaml`) is an error with a
//!   did-you-mean; other files (a `README.md`) are ignored.
//! - A directory of the spec root is a service when it holds `service.yaml`;
//!   one that holds other YAML files or an `actions/` directory but no
//!   `service.yaml` is reported; anything else (e.g. `spec/schema/`) is not a
//!   service and is skipped.
//! - Each file must be UTF-8, non-empty, at most [`MAX_FILE_BYTES`] long, a
//!   single YAML document, and nested at most [`MAX_DEPTH`] levels deep.
//!
//! [`load_service`] reads from disk; [`load_service_from_sources`] does the
//! same from texts in memory (the fuzz tests use it to skip the disk).

mod fast_yaml;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, SpecErrors, suggestion};
use crate::files;
use crate::model::{ActionFile, ServiceFile, TypesFile};

/// Largest spec file we accept; real ones are a few KiB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Deepest nesting of YAML collections we accept; real spec files need about 8.
pub const MAX_DEPTH: usize = 32;

/// The parsed files of one service, with their paths.
#[derive(Debug)]
pub struct LoadedService {
    /// The service directory.
    pub dir: PathBuf,
    /// `service.yaml`.
    pub service: (PathBuf, ServiceFile),
    /// `types.yaml` (empty when absent).
    pub types: (PathBuf, TypesFile),
    /// `actions/*.yaml`, sorted by file name.
    pub actions: Vec<(PathBuf, ActionFile)>,
    /// Texts of every file, for quoting in later diagnostics.
    pub sources: Vec<(PathBuf, String)>,
}

const SERVICE_FILE: &str = "service.yaml";
const TYPES_FILE: &str = "types.yaml";
const ACTIONS_DIR: &str = "actions";

/// Lists service directories under `spec_root`, sorted.
///
/// A directory is listed when it holds `service.yaml`, and also when it looks
/// like a service without one (it holds a YAML file or an `actions/`
/// directory), so that [`load_service`] reports the missing file instead of
/// the service silently disappearing. Other directories are not services.
pub fn service_dirs(spec_root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(spec_root)? {
        let path = entry?.path();
        if !path.is_dir() || is_hidden(&path) {
            continue;
        }
        if path.join(SERVICE_FILE).is_file() || looks_like_service(&path) {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

fn looks_like_service(dir: &Path) -> bool {
    if dir.join(ACTIONS_DIR).is_dir() {
        return true;
    }
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| is_yaml_name(&e.path()))
    })
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

fn is_yaml_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Reads and parses every file of the service in `dir`.
///
/// The directory holding `dir` is the spec root: a symbolic link may point
/// anywhere inside it, and one that leads outside is refused unread, so no
/// file outside the spec tree is ever read or quoted. Only regular files are
/// read (a FIFO or a device is refused without being opened for long), and
/// never more than [`MAX_FILE_BYTES`] of them.
pub fn load_service(dir: &Path) -> Result<LoadedService, SpecErrors> {
    let mut errors = SpecErrors::default();
    let files = match Tree::around(dir) {
        Ok(tree) => match tree.entry(dir) {
            Entry::Dir(real) => read_service_files(&tree, dir, &real, &mut errors),
            Entry::Refused(d) => {
                errors.push(d);
                Vec::new()
            }
            _ => {
                errors.push(
                    Diagnostic::file(dir, "this is not a directory")
                        .help("a service is a directory holding `service.yaml`"),
                );
                Vec::new()
            }
        },
        Err(d) => {
            errors.push(d);
            Vec::new()
        }
    };
    load(dir, files, errors)
}

/// The spec tree a service is read from, and what its entries are.
struct Tree {
    /// The spec root, with every symbolic link resolved.
    root: PathBuf,
}

/// One entry of the spec tree, judged without trusting it.
enum Entry {
    /// A regular file; read it from this path (links resolved).
    File(PathBuf),
    /// A directory; list it at this path (links resolved).
    Dir(PathBuf),
    /// A FIFO, socket or device, in words.
    Special(&'static str),
    /// A link that leads outside the tree or nowhere.
    Refused(Diagnostic),
}

impl Tree {
    /// The tree whose root is the directory holding the service directory `dir`.
    fn around(dir: &Path) -> Result<Tree, Diagnostic> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::canonicalize(parent)
            .map(|root| Tree { root })
            .map_err(|e| Diagnostic::file(dir, format!("cannot read the spec directory: {e}")))
    }

    fn entry(&self, path: &Path) -> Entry {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) => return Entry::Refused(unreadable(path, &e)),
        };
        if !meta.file_type().is_symlink() {
            return Self::kind(path.to_path_buf(), meta.file_type());
        }
        let target = match std::fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) => return Entry::Refused(unreadable(path, &e)),
        };
        if !target.starts_with(&self.root) {
            return Entry::Refused(
                Diagnostic::file(path, "this is a symbolic link that leads outside the spec directory; it was not read")
                    .help("copy the file into the spec directory, or link only to files inside it"),
            );
        }
        match std::fs::metadata(&target) {
            Ok(meta) => Self::kind(target, meta.file_type()),
            Err(e) => Entry::Refused(unreadable(path, &e)),
        }
    }

    fn kind(path: PathBuf, kind: std::fs::FileType) -> Entry {
        if kind.is_dir() {
            Entry::Dir(path)
        } else if kind.is_file() {
            Entry::File(path)
        } else {
            Entry::Special(files::describe(kind))
        }
    }
}

fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("cannot read this entry: {e}"))
        .help("make sure it exists and is readable; a link must lead to an existing file inside the spec directory")
}

fn special(path: &Path, kind: &str) -> Diagnostic {
    Diagnostic::file(
        path,
        format!("this is a {kind}, not a regular file; it was not read"),
    )
    .help("spec files must be plain files; replace it with the YAML text")
}

/// Reads the files [`load_service_from_sources`] looks at; paths are relative to `dir`.
fn read_service_files(
    tree: &Tree,
    dir: &Path,
    real: &Path,
    errors: &mut SpecErrors,
) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let entries = match sorted_entries(dir, real) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Diagnostic::file(
                dir,
                format!("cannot read the service directory: {e}"),
            ));
            return files;
        }
    };
    for path in entries {
        let Some(name) = path.file_name().map(PathBuf::from) else {
            continue;
        };
        if is_hidden(&path) {
            continue;
        }
        let interesting = name == Path::new(ACTIONS_DIR) || is_yaml_name(&path);
        match tree.entry(&path) {
            Entry::Dir(real) if name == Path::new(ACTIONS_DIR) => {
                files.extend(read_actions_dir(tree, dir, &path, &real, errors));
            }
            // Only YAML files matter at this level; `load_service_from_sources` judges their names.
            Entry::File(real) if is_yaml_name(&path) => {
                if let Some(bytes) = read_bytes(&path, &real, errors) {
                    files.push((name, bytes));
                }
            }
            Entry::Special(kind) if interesting => errors.push(special(&path, kind)),
            Entry::Refused(d) if interesting => errors.push(d),
            _ => {}
        }
    }
    files
}

fn read_actions_dir(
    tree: &Tree,
    dir: &Path,
    actions: &Path,
    real: &Path,
    errors: &mut SpecErrors,
) -> Vec<(PathBuf, Vec<u8>)> {
    let entries = match sorted_entries(actions, real) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Diagnostic::file(
                actions,
                format!("cannot read the actions directory: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for path in entries {
        if is_hidden(&path) {
            continue;
        }
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
        match tree.entry(&path) {
            Entry::Dir(_) => errors.push(
                Diagnostic::file(&path, "a directory inside `actions/` is not read")
                    .help("put every action file directly in `actions/`, one `<Action>.yaml` each"),
            ),
            Entry::Special(kind) => errors.push(special(&path, kind)),
            Entry::Refused(d) => errors.push(d),
            Entry::File(real) if path.extension().is_some_and(|e| e == "yaml") => {
                if let Some(bytes) = read_bytes(&path, &real, errors) {
                    files.push((relative, bytes));
                }
            }
            // Judged (and reported) by `load_service_from_sources`; the content is not needed.
            Entry::File(_) => files.push((relative, Vec::new())),
        }
    }
    files
}

/// The entries of the directory `shown` (read at `real`, its resolved path), as `shown/<name>`, sorted.
fn sorted_entries(shown: &Path, real: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(real)? {
        paths.push(shown.join(entry?.file_name()));
    }
    paths.sort();
    Ok(paths)
}

/// Reads the regular file at `real` (shown as `path`), at most [`MAX_FILE_BYTES`] of it.
fn read_bytes(path: &Path, real: &Path, errors: &mut SpecErrors) -> Option<Vec<u8>> {
    let read = files::open_regular(real)
        .map_err(|e| e.to_string())
        .and_then(|file| {
            let bytes = files::read_at_most(&file, MAX_FILE_BYTES).map_err(|e| e.to_string())?;
            // The size is asked only for the message: one `stat` less per file read.
            Ok(bytes.ok_or_else(|| file.metadata().map_or(0, |m| m.len())))
        });
    match read {
        Ok(Ok(bytes)) => Some(bytes),
        // A file that grew after its size was taken is still too large.
        Ok(Err(len)) => {
            errors.push(too_large(path, len.max(MAX_FILE_BYTES + 1)));
            None
        }
        Err(e) => {
            errors.push(
                Diagnostic::file(path, format!("cannot read the file: {e}"))
                    .help("spec files must be readable regular files"),
            );
            None
        }
    }
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::file(
        path,
        format!("the file has {len} bytes; spec files may have at most {MAX_FILE_BYTES}"),
    )
    .help("split it: one file per action, shared types in types.yaml")
}

/// What a file of a service directory is.
enum Role {
    Service,
    Types,
    Action,
}

/// A parsed spec file, by role.
enum Parsed {
    Service(Box<ServiceFile>),
    Types(Box<TypesFile>),
    Action(Box<ActionFile>),
}

/// Parses the files of the service in `dir` from memory.
///
/// `files` holds `(path relative to dir, contents)`: `service.yaml`,
/// `types.yaml` (optional) and `actions/<Action>.yaml`. The order of `files`
/// does not matter. Other paths are judged as described in the module docs.
/// Paths in the result and in diagnostics are `dir` joined with the relative path.
pub fn load_service_from_sources(
    dir: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
) -> Result<LoadedService, SpecErrors> {
    load(dir, files, SpecErrors::default())
}

/// Parses `files`, adding to `errors` (which may already hold problems met while reading).
fn load(
    dir: &Path,
    mut files: Vec<(PathBuf, Vec<u8>)>,
    mut errors: SpecErrors,
) -> Result<LoadedService, SpecErrors> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut readable = Vec::new();
    let mut saw_action_file = false;
    for (relative, bytes) in files {
        let path = dir.join(&relative);
        let Some(role) = role(&relative, &path, &mut errors) else {
            continue;
        };
        if matches!(role, Role::Action) {
            saw_action_file = true;
        }
        if let Some(text) = text_of(&path, bytes, &mut errors) {
            readable.push((path, role, text));
        }
    }
    // Parsing is most of the loading time; files are independent, so it runs on every core.
    let parsed = crate::parallel::map(&readable, |(path, role, text)| {
        let mut problems = SpecErrors::default();
        crate::chars::check(path, text, &mut problems);
        let file = match role {
            Role::Service => parse(path, text, &mut problems).map(Parsed::Service),
            Role::Types => parse(path, text, &mut problems).map(Parsed::Types),
            Role::Action => parse(path, text, &mut problems).map(Parsed::Action),
        };
        (file, problems)
    });
    let mut sources = Vec::new();
    let mut service = None;
    let mut types = None;
    let mut actions = Vec::new();
    for ((path, _, text), (file, problems)) in readable.into_iter().zip(parsed) {
        errors.extend(problems);
        match file {
            Some(Parsed::Service(s)) => service = Some(*s),
            Some(Parsed::Types(t)) => types = Some(*t),
            Some(Parsed::Action(a)) => actions.push((path.clone(), *a)),
            None => {}
        }
        sources.push((path, text));
    }
    let service_path = dir.join(SERVICE_FILE);
    let types_path = dir.join(TYPES_FILE);
    if !sources.iter().any(|(p, _)| p == &service_path) && !errors.mentions(&service_path) {
        errors.push(
            Diagnostic::file(dir, "this service directory has no `service.yaml`").help(
                "add `service.yaml` (copy one from another service), or remove the directory",
            ),
        );
    }
    let actions_dir = dir.join(ACTIONS_DIR);
    if !saw_action_file
        && !errors
            .diagnostics
            .iter()
            .any(|d| d.file.starts_with(&actions_dir))
    {
        errors.push(
            Diagnostic::file(&actions_dir, "the service has no actions")
                .help("add one `actions/<Action>.yaml` file per action (the directory is `actions`, plural)"),
        );
    }
    let has_types_file = sources.iter().any(|(p, _)| p == &types_path);
    let types = match types {
        Some(types) => Some(types),
        None if !has_types_file && !errors.mentions(&types_path) => Some(TypesFile::default()),
        None => None,
    };
    match (service, types) {
        (Some(service), Some(types)) if errors.is_empty() => Ok(LoadedService {
            dir: dir.to_path_buf(),
            service: (service_path, service),
            types: (types_path, types),
            actions,
            sources,
        }),
        _ => {
            // Only a failed load quotes its files (a printable copy of each).
            for (path, text) in &sources {
                errors.add_source(path, text);
            }
            errors.sort();
            Err(errors)
        }
    }
}

/// Decides what a file is; `None` (after reporting, where it is a mistake) when it is not read.
fn role(relative: &Path, path: &Path, errors: &mut SpecErrors) -> Option<Role> {
    let mut parts = relative.components();
    let first = parts.next()?.as_os_str().to_str().unwrap_or("");
    let second = parts.next().map(|c| c.as_os_str().to_string_lossy());
    let nested = parts.next().is_some();
    if first.starts_with('.') {
        return None;
    }
    match (first, second) {
        (SERVICE_FILE, None) => Some(Role::Service),
        (TYPES_FILE, None) => Some(Role::Types),
        (ACTIONS_DIR, Some(name)) if name.starts_with('.') => None,
        (ACTIONS_DIR, Some(name)) => {
            let path_ext = Path::new(name.as_ref()).extension();
            if !nested && path_ext.is_some_and(|e| e == "yaml") {
                return Some(Role::Action);
            }
            let stem = Path::new(name.as_ref())
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let help = if nested {
                "put every action file directly in `actions/`, one `<Action>.yaml` each".to_string()
            } else {
                format!(
                    "action files must end in `.yaml`: rename it to `{stem}.yaml`, or move it out of `actions/`"
                )
            };
            errors.push(
                Diagnostic::file(path, "this file in `actions/` is not read as an action")
                    .help(help),
            );
            None
        }
        (_, None) if is_yaml_name(relative) => {
            let mut d = Diagnostic::file(
                path,
                format!("`{first}` is not a spec file name, so the file is not read"),
            );
            let lower = first.to_ascii_lowercase();
            d = d.suggest_or(
                &lower,
                [SERVICE_FILE, TYPES_FILE],
                "a service directory holds `service.yaml`, `types.yaml` and `actions/<Action>.yaml`",
            );
            errors.push(d);
            None
        }
        _ => None,
    }
}

fn text_of(path: &Path, bytes: Vec<u8>, errors: &mut SpecErrors) -> Option<String> {
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_FILE_BYTES {
        errors.push(too_large(path, len));
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = &e.as_bytes()[..at];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            errors.push(
                Diagnostic::file(
                    path,
                    format!(
                        "the file is not UTF-8: invalid byte 0x{:02X} at offset {at} (line {line})",
                        e.as_bytes()[at]
                    ),
                )
                .help("save the file as UTF-8"),
            );
            return None;
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let meaningful = text
        .lines()
        .map(str::trim)
        .any(|l| !l.is_empty() && !l.starts_with('#') && l != "---" && l != "...");
    if !meaningful {
        errors.push(
            Diagnostic::file(path, "the file is empty")
                .help("write the spec in it, or delete the file"),
        );
        return None;
    }
    Some(text)
}

pub(crate) fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_documents: 1,
        },
        reject_unsupported_tags: true,
        with_snippet: false,
    }
}

/// Parses one file: by the fast path when it is sure of the value ([`fast_yaml`]),
/// else by serde-saphyr, whose errors are the ones reported.
fn parse<T: DeserializeOwned>(path: &Path, text: &str, errors: &mut SpecErrors) -> Option<T> {
    if let Some(value) = fast_yaml::parse(text) {
        return Some(value);
    }
    match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(parse_diagnostic(path, &e));
            None
        }
    }
}

fn parse_diagnostic(path: &Path, error: &serde_saphyr::Error) -> Diagnostic {
    let (message, help) = explain(&first_line(&error.to_string()));
    let diagnostic = match error.location() {
        Some(location) if location.line() > 0 => Diagnostic::at(path, location, message),
        _ => Diagnostic::file(path, message),
    };
    diagnostic.help(help)
}

/// Recognises one kind of parser message: (what is wrong, what would fix it).
type Matcher = fn(&str) -> Option<(String, String)>;

/// A YAML or shape error in spec words, with what would fix it: the first
/// matcher that recognises the message explains it.
fn explain(message: &str) -> (String, String) {
    let message = message.trim();
    let matchers: [Matcher; 5] = [
        unknown_key,
        missing_key,
        duplicate_key,
        shape_problem,
        value_problem,
    ];
    matchers
        .iter()
        .find_map(|matcher| matcher(message))
        .unwrap_or_else(|| {
            (
                message.to_string(),
                "check the indentation, and look for an unclosed quote, `{` or `[` on this line or above"
                    .to_string(),
            )
        })
}

/// serde's "unknown field": the close or case-insensitive match, or the keys allowed here.
fn unknown_key(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let allowed = expected_names(expected);
    let help = if let Some(h) = suggestion(key, allowed.iter().map(String::as_str)) {
        h
    } else if let Some(h) = allowed.iter().find(|a| a.eq_ignore_ascii_case(key)) {
        format!("did you mean `{h}`? keys are case-sensitive")
    } else if allowed.is_empty() {
        "remove this key".to_string()
    } else {
        let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
        format!(
            "remove it, or use one of the keys allowed here: {}",
            list.join(", ")
        )
    };
    Some((format!("unknown key `{key}`"), help))
}

fn missing_key(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("missing field `")?;
    let (key, _) = rest.split_once('`')?;
    Some((
        format!("the required key `{key}` is missing from this entry"),
        format!("add `{key}: …` to this entry; the keys are listed in ARCHITECTURE.md"),
    ))
}

fn duplicate_key(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("duplicate mapping key: ")?;
    let key = rest.split(", set ").next().unwrap_or(rest);
    Some((
        format!("the key `{key}` appears twice in this mapping"),
        "remove one of them, or merge them".to_string(),
    ))
}

/// Problems with the file's shape: documents, depth, descriptions, tabs.
fn shape_problem(message: &str) -> Option<(String, String)> {
    let has = |needles: [&str; 2]| needles.iter().any(|n| message.contains(n));
    if has(["Documents {", "multiple documents"]) {
        return Some((
            "the file holds more than one YAML document (a second `---`)".to_string(),
            "keep one document per file: remove this `---` and what follows, or move it to its own file"
                .to_string(),
        ));
    }
    if has(["Depth {", "nesting"]) {
        return Some((
            format!("the YAML nests deeper than {MAX_DEPTH} levels"),
            "no spec needs that much nesting; check for unbalanced brackets or runaway indentation"
                .to_string(),
        ));
    }
    if message.contains("untagged enum Text") {
        return Some((
            "this description is neither a string nor `{ en: …, zh: … }`".to_string(),
            "write a string, or a mapping with `en` (and optionally `zh`)".to_string(),
        ));
    }
    has(["found a tab", "tabs"]).then(|| {
        (
            message.to_string(),
            "indent with spaces; YAML does not allow tabs here".to_string(),
        )
    })
}

/// A value of the wrong kind, known by a word of serde's or the YAML parser's message.
const VALUE_PROBLEMS: [(&str, &str, &str); 8] = [
    (
        "invalid boolean",
        "this value must be `true` or `false`",
        "write `true` or `false`",
    ),
    (
        "invalid u",
        "this value must be a whole number (0 or more)",
        "write digits only, e.g. `10`",
    ),
    (
        "invalid i",
        "this value must be a whole number",
        "write digits only, e.g. `-1` or `10`",
    ),
    (
        "invalid f",
        "this value must be a number",
        "write a number, e.g. `1.5`",
    ),
    (
        "expected sequence",
        "this value must be a list",
        "write `- item` lines below the key, or `[a, b]`",
    ),
    (
        "expected mapping",
        "this value must be a mapping",
        "write `key: value` lines below the key, or `{ key: value }`",
    ),
    (
        "out of range",
        "this number is out of range",
        "write a smaller number",
    ),
    (
        "mapping values are not allowed",
        "a `key: value` pair is not allowed here",
        "this line is indented deeper than the keys around it, or a value before it needs quotes because it contains `: `",
    ),
];

fn value_problem(message: &str) -> Option<(String, String)> {
    let lower = message.to_ascii_lowercase();
    if let Some((_, what, help)) = VALUE_PROBLEMS.iter().find(|(n, ..)| lower.contains(n)) {
        return Some((format!("{what} (YAML: {message})"), help.to_string()));
    }
    (lower.contains("invalid type") || lower.contains("invalid value")).then(|| {
        (
            message.to_string(),
            format!("write {} here", expected_in_words(message)),
        )
    })
}

/// The key names after "expected one of" / "expected" in serde's unknown-key message.
fn expected_names(text: &str) -> Vec<String> {
    let list = text
        .split_once("expected one of ")
        .or_else(|| text.split_once("expected "))
        .map_or("", |(_, list)| list);
    list.split(',')
        .map(|n| n.trim().trim_matches('`').to_string())
        .filter(|n| !n.is_empty() && !n.contains(' '))
        .collect()
}

/// serde's "expected …" in spec words.
fn expected_in_words(message: &str) -> String {
    let expected = message
        .rsplit_once("expected ")
        .map_or("", |(_, e)| e.trim_end_matches('.'));
    let words = match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "`true` or `false`",
        "a string" => "a string (quote it if it looks like a number or a boolean)",
        "a sequence" => "a list (`- item` lines, or `[a, b]`)",
        "a map" => "a mapping (`key: value` lines, or `{ key: value }`)",
        _ if expected.starts_with("struct ") => {
            "a mapping (`key: value` lines, or `{ key: value }`)"
        }
        _ if expected.is_empty() => "a value of the right type",
        other => return format!("{other} (see ARCHITECTURE.md for the type of each key)"),
    };
    words.to_string()
}

/// serde-saphyr's message repeats the location and carries its own snippet;
/// we render our own, so keep only what is wrong.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let line = match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, what)) => what,
        None => line,
    };
    // "… at line 7, column 15": we show the position ourselves.
    match line.rsplit_once(" at line ") {
        Some((what, position))
            if position
                .chars()
                .all(|c| c.is_ascii_digit() || ", column".contains(c)) =>
        {
            what.to_string()
        }
        _ => line.to_string(),
    }
}

/// Compares the fast path with serde-saphyr on `text`, read as each kind of
/// spec file: `Ok(n)` when they agree wherever the fast path gave a value, `n`
/// counting the kinds our own scanner read (the first tier); `Err` naming
/// the difference otherwise. Wherever the scanner gives events, granit-parser
/// must give the same ones, locations included. For the differential tests;
/// loading never needs it.
#[doc(hidden)]
pub fn fast_path_check(text: &str) -> Result<usize, String> {
    let scanned = fast_yaml::subset_events(text);
    if let Some(events) = &scanned {
        match fast_yaml::collect_events(text) {
            Some(parsed) if parsed == *events => {}
            parsed => {
                return Err(format!(
                    "the scanner read {events:?}\ngranit-parser read {parsed:?}"
                ));
            }
        }
    }
    let read =
        agrees::<ServiceFile>(text)? + agrees::<TypesFile>(text)? + agrees::<ActionFile>(text)?;
    Ok(if scanned.is_some() { read } else { 0 })
}

fn agrees<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> Result<usize, String> {
    let Some(fast) = fast_yaml::parse::<T>(text) else {
        return Ok(0);
    };
    let slow = serde_saphyr::from_str_with_options::<T>(text, options());
    match slow {
        Ok(slow) if format!("{slow:?}") == format!("{fast:?}") => Ok(1),
        slow => Err(format!(
            "{}: the fast path read {fast:?}\nserde-saphyr read {slow:?}",
            std::any::type_name::<T>()
        )),
    }
}
