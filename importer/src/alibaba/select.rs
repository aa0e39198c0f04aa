//! Which actions an import covers: `--action`, `--directory`, or all, plus
//! every action the service directory already holds from an earlier import
//! (so `types.yaml`, which the import rewrites, keeps their structures).

use std::collections::BTreeSet;
use std::path::Path;

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

/// Names of action files in `dir/actions` that carry the importer's header.
fn previously_imported(dir: &Path) -> Result<Vec<String>, Error> {
    let actions = dir.join("actions");
    let entries = match std::fs::read_dir(&actions) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Io(actions, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::Io(actions.clone(), e))?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned);
        let is_yaml = path.extension().is_some_and(|e| e == "yaml");
        if let Some(stem) = stem.filter(|_| is_yaml)
            && write::is_ours(&path).map_err(|e| Error::Io(path.clone(), e))?
        {
            names.push(stem);
        }
    }
    Ok(names)
}

/// Curation files of actions the metadata no longer has (checked on a full import).
pub fn orphan_curation(dir: &Path, metadata: &Metadata) -> Result<Vec<String>, Error> {
    let cur = dir.join(crate::curation::DIR).join("actions");
    let entries = match std::fs::read_dir(&cur) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Io(cur, e)),
    };
    let mut stale = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::Io(cur.clone(), e))?.path();
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            && !metadata.apis.contains_key(stem)
        {
            stale.push(format!(
                "{}: the metadata has no action {stem}",
                path.display()
            ));
        }
    }
    Ok(stale)
}
