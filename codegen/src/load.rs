//! Reading a service's spec files from disk into [`crate::model`] types.
//!
//! A service lives in `spec/<service>/`: `service.yaml`, an optional
//! `types.yaml`, and one `actions/<Action>.yaml` per action. Files are read in
//! sorted order so results never depend on directory enumeration order. Every
//! file is read even when an earlier one fails, so one run reports every
//! syntax problem.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::model::{ActionFile, ServiceFile, TypesFile};

/// Largest spec file we accept; real ones are a few KiB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

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

/// Lists service directories under `spec_root` (those holding a `service.yaml`), sorted.
pub fn service_dirs(spec_root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(spec_root)? {
        let path = entry?.path();
        if path.join("service.yaml").is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Reads and parses every file of the service in `dir`.
pub fn load_service(dir: &Path) -> Result<LoadedService, SpecErrors> {
    let mut errors = SpecErrors::default();
    let mut sources = Vec::new();
    let service_path = dir.join("service.yaml");
    let service = parse_file::<ServiceFile>(&service_path, &mut errors, &mut sources);
    let types_path = dir.join("types.yaml");
    let types = if types_path.exists() {
        parse_file::<TypesFile>(&types_path, &mut errors, &mut sources)
    } else {
        Some(TypesFile::default())
    };
    let mut actions = Vec::new();
    for path in action_files(&dir.join("actions"), &mut errors) {
        if let Some(action) = parse_file::<ActionFile>(&path, &mut errors, &mut sources) {
            actions.push((path, action));
        }
    }
    match (service, types) {
        (Some(service), Some(types)) if errors.is_empty() => Ok(LoadedService {
            dir: dir.to_path_buf(),
            service: (service_path, service),
            types: (types_path, types),
            actions,
            sources,
        }),
        _ => Err(errors),
    }
}

fn action_files(dir: &Path, errors: &mut SpecErrors) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(
                Diagnostic::file(dir, format!("cannot read the actions directory: {e}"))
                    .help("create it and put one <Action>.yaml file per action in it"),
            );
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

fn parse_file<T: DeserializeOwned>(
    path: &Path,
    errors: &mut SpecErrors,
    sources: &mut Vec<(PathBuf, String)>,
) -> Option<T> {
    let text = read_text(path).map_err(|d| errors.push(d)).ok()?;
    errors.add_source(path, &text);
    sources.push((path.to_path_buf(), text.clone()));
    match serde_saphyr::from_str::<T>(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(parse_diagnostic(path, &e));
            None
        }
    }
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read the file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            path,
            format!(
                "the file has {} bytes; spec files may have at most {MAX_FILE_BYTES}",
                meta.len()
            ),
        )
        .help("split it: one file per action, shared types in types.yaml"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::file(
            path,
            format!(
                "the file is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .help("save the file as UTF-8")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::file(path, "the file is empty")
            .help("write the spec in it, or delete the file"));
    }
    Ok(text)
}

fn parse_diagnostic(path: &Path, error: &serde_saphyr::Error) -> Diagnostic {
    let message = first_line(&error.to_string());
    let diagnostic = match error.location() {
        Some(location) => Diagnostic::at(path, location, message),
        None => Diagnostic::file(path, message),
    };
    diagnostic.help("fix the YAML at this position; keys and types are listed in ARCHITECTURE.md")
}

/// serde-saphyr's message repeats the location and carries its own snippet;
/// we render our own, so keep only what is wrong.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, what)) => what.to_string(),
        None => line.to_string(),
    }
}
