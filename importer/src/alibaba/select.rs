//! Which actions an import covers: `--action`, `--directory`, or all, plus
//! every action the service directory already holds from an earlier import
//! (so `types.yaml`, which the import rewrites, keeps their structures).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Options;
use super::meta::{Child, Directory, Metadata};
use crate::Error;
use crate::write;

/// Sorted action names to import.
pub fn actions(metadata: &Metadata, options: &Options, dir: &Path) -> Result<Vec<String>, Error> {
    if options.actions.is_empty() && options.directories.is_empty() {
        return Ok(metadata.apis.keys().cloned().collect());
    }
    let mut names = BTreeSet::new();
    let mut problems = Vec::new();
    for a in &options.actions {
        if metadata.apis.contains_key(a) {
            names.insert(a.clone());
        } else {
            problems.push(format!("--action {a}: no such action in the metadata"));
        }
    }
    for title in &options.directories {
        let mut found = false;
        for d in &metadata.directories {
            found |= collect(d, title, false, &mut names);
        }
        if !found {
            problems.push(format!(
                "--directory {title:?}: no directory has this title"
            ));
        }
    }
    for name in previously_imported(dir)? {
        if metadata.apis.contains_key(&name) {
            names.insert(name);
        } else {
            problems.push(format!(
                "{}: {name} was imported before but is no longer in the metadata; delete its file",
                dir.join("actions").display()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Selection(problems));
    }
    Ok(names.into_iter().collect())
}

/// Adds the actions under the directory titled `title` (at any depth); true if it exists.
fn collect(d: &Directory, title: &str, inside: bool, names: &mut BTreeSet<String>) -> bool {
    let inside = inside || d.title == title;
    let mut found = inside;
    for child in &d.children {
        match child {
            Child::Action(a) if inside => {
                names.insert(a.clone());
            }
            Child::Action(_) => {}
            Child::Directory(sub) => found |= collect(sub, title, inside, names),
        }
    }
    found
}

/// Paths in `dir`, sorted, hidden files aside; none when `dir` does not exist.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |e| Error::Io(dir.to_path_buf(), e);
    let list = match std::fs::read_dir(dir) {
        Ok(list) => list,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut paths = Vec::new();
    for entry in list {
        let path = entry.map_err(io)?.path();
        if !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// The action name of `<Action>.yaml`.
fn action_stem(path: &Path) -> Option<&str> {
    let is_yaml = path.extension().is_some_and(|e| e == "yaml");
    path.file_stem()
        .and_then(|s| s.to_str())
        .filter(|_| is_yaml)
}

/// Names of action files in `dir/actions` that carry the importer's header.
fn previously_imported(dir: &Path) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for path in entries(&dir.join("actions"))? {
        if let Some(stem) = action_stem(&path)
            && write::is_ours(&path).map_err(|e| Error::Io(path.clone(), e))?
        {
            names.push(stem.to_owned());
        }
    }
    Ok(names)
}

/// Curation files of actions the metadata no longer has, and files that are not
/// `<Action>.yaml` (which would otherwise be ignored); checked on a full import.
pub fn orphan_curation(dir: &Path, metadata: &Metadata) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    for path in entries(&dir.join(crate::curation::DIR).join("actions"))? {
        match action_stem(&path) {
            Some(stem) if metadata.apis.contains_key(stem) => {}
            Some(stem) => stale.push(format!(
                "{}: the metadata has no action {stem}",
                path.display()
            )),
            None => stale.push(format!(
                "{}: not an <Action>.yaml curation file",
                path.display()
            )),
        }
    }
    Ok(stale)
}
