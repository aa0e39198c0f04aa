//! `cargo xtask drift [--metadata FILE | --pages DIR] [--format text|json|markdown]
//! [--fail-on breaking|any]`: what the vendor changed that the spec does not have yet.
//!
//! The vendor source is imported afresh into a temporary spec root (with the service's
//! curation copied beside it, as a maintainer's import would use it) and diffed against
//! `spec/`, the spec as old side: an "added" change is something the vendor has and the
//! spec lacks. Only the actions the spec has are compared; the vendor's other actions are
//! counted in a note. Acknowledgements come from `spec/`. Notes go to stderr, so `--format
//! json` prints only the list. Each source is one arm of [`Source`]: `--metadata` imports
//! Alibaba's metadata for the spec's actions only; `--pages` imports every Markdown page of
//! the directory (the data-type page included) and leaves out the spec actions no page
//! covers, so a missing excerpt is a note, never a reported removal.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use truebind_diff::{Which, ack, compare, load_spec};
use truebind_importer::alibaba::{self, Options};
use truebind_importer::zenlayer;

use crate::diff::Output;

const USAGE: &str = "usage: cargo xtask drift [--metadata FILE | --pages DIR] [--format text|json|markdown] \
                     [--fail-on breaking|any]";

/// Where the fresh facts come from.
enum Source {
    /// Alibaba OpenAPI metadata (`api-docs.json`).
    Metadata(PathBuf),
    /// A directory of saved Zenlayer documentation pages.
    Pages(PathBuf),
}

/// A fresh import: its spec root, the service directory name, the actions it leaves out
/// of the comparison, and notes for the reader.
struct Fresh {
    root: PathBuf,
    service: String,
    left_out: BTreeSet<String>,
    notes: Vec<String>,
}

/// Runs `drift <args>` from `here`, comparing with the checkout `root`'s `spec/`.
pub fn run(args: &[&str], here: &Path, root: &Path) -> ExitCode {
    let mut output = Output::default();
    let mut source = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next();
        let parsed = match (*flag, value) {
            ("--metadata", Some(v)) => Ok(source.replace(Source::Metadata(here.join(v))).is_none()),
            ("--pages", Some(v)) => Ok(source.replace(Source::Pages(here.join(v))).is_none()),
            ("--metadata" | "--pages", None) => Err(format!("{flag} needs a value")),
            _ => output.take(flag, value).and_then(|ours| {
                if ours {
                    Ok(true)
                } else {
                    Err(format!("unknown option {flag}"))
                }
            }),
        };
        match parsed {
            Ok(true) => {}
            Ok(false) => return usage("give one source: --metadata FILE or --pages DIR"),
            Err(e) => return usage(&e),
        }
    }
    let source = match source.map_or_else(|| default_metadata(root).map(Source::Metadata), Ok) {
        Ok(s) => s,
        Err(e) => return crate::diff::error(&e),
    };
    match drift(&source, root) {
        Ok(report) => output.finish(&report),
        Err(e) => crate::diff::error(&e),
    }
}

fn drift(source: &Source, root: &Path) -> Result<truebind_diff::Report, String> {
    let spec_root = root.join("spec");
    let temp =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let fresh = match source {
        Source::Metadata(file) => import_metadata(file, &spec_root, temp.path())?,
        Source::Pages(dir) => import_pages(dir, &spec_root, temp.path())?,
    };
    for note in &fresh.notes {
        eprintln!("note: {note}");
    }
    let mut spec = load_spec(&spec_root, Which::Old).map_err(|e| e.to_string())?;
    spec.services.retain(|s| s.dir == fresh.service);
    for service in &mut spec.services {
        service
            .actions
            .retain(|a| !fresh.left_out.contains(&a.name));
    }
    let compared: BTreeSet<String> = spec
        .services
        .iter()
        .flat_map(|s| s.actions.iter().map(|a| a.name.clone()))
        .collect();
    let mut new =
        load_spec(&fresh.root, Which::New).map_err(|e| format!("the fresh import: {e}"))?;
    for service in &mut new.services {
        service.actions.retain(|a| compared.contains(&a.name));
    }
    let acks = ack::load(&spec, ack::Kind::Drift).map_err(|e| e.to_string())?;
    Ok(compare(&spec, &new, &acks))
}

/// The current VPC metadata beside the checkout (`shared/vendor/` in the nearest ancestor
/// that has it), or under `$TRUEBIND_VENDOR_DIR`.
fn default_metadata(root: &Path) -> Result<PathBuf, String> {
    let vendor = std::env::var_os("TRUEBIND_VENDOR_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            root.ancestors()
                .map(|dir| dir.join("shared/vendor"))
                .find(|dir| dir.join("alibaba-vpc").is_dir())
        })
        .ok_or("no vendor data found: give --metadata FILE or set TRUEBIND_VENDOR_DIR to the shared/vendor directory")?;
    Ok(vendor.join("alibaba-vpc/api-docs.en_us.json"))
}

/// The parts of the metadata drift needs before importing: the product and action names.
#[derive(serde::Deserialize)]
struct Outline {
    info: Info,
    apis: BTreeMap<String, serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct Info {
    product: String,
}

/// Metadata files are refused beyond this size (the importer's limit).
const MAX_METADATA_BYTES: u64 = 64 << 20;

fn import_metadata(file: &Path, spec_root: &Path, temp: &Path) -> Result<Fresh, String> {
    let bytes = truebind_importer::read_bounded(file, MAX_METADATA_BYTES, "a metadata file")
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{}: no such file", file.display()))?;
    let outline: Outline = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: not API metadata: {e}", file.display()))?;
    let service = format!("alibaba-{}", outline.info.product.to_ascii_lowercase());
    let ours = spec_root.join(&service);
    let spec_actions = action_files(&ours.join("actions")).map_err(|e| {
        format!(
            "{}: {e}; import the service first with `cargo xtask import alibaba`",
            ours.display()
        )
    })?;
    let wanted: Vec<String> = spec_actions
        .iter()
        .filter(|a| outline.apis.contains_key(*a))
        .cloned()
        .collect();
    let mut notes: Vec<String> = not_in_spec(
        outline.apis.keys(),
        &spec_actions,
        &service,
        "vendor actions",
    )
    .into_iter()
    .collect();
    copy_curation(
        &ours.join("curation"),
        &temp.join(&service).join("curation"),
    )?;
    let options = Options {
        metadata: file.to_path_buf(),
        actions: wanted,
        directories: Vec::new(),
        spec_dir: temp.to_path_buf(),
        service: Some(service.clone()),
        show_vendor_text: false,
    };
    let report =
        alibaba::run(&options).map_err(|e| format!("importing {}: {e}", file.display()))?;
    let mut left_out = BTreeSet::new();
    for (action, reason) in report.unsupported {
        notes.push(format!(
            "{action} is not expressible by the importer yet ({reason}); not compared"
        ));
        left_out.insert(action);
    }
    Ok(Fresh {
        root: temp.to_path_buf(),
        service,
        left_out,
        notes,
    })
}

/// The Zenlayer service directory `--pages` compares (the page importer's default).
const PAGES_SERVICE: &str = "zenlayer-sdn";

fn import_pages(dir: &Path, spec_root: &Path, temp: &Path) -> Result<Fresh, String> {
    let pages = page_files(dir).map_err(|e| format!("--pages {}: {e}", dir.display()))?;
    if pages.is_empty() {
        return Err(format!("--pages {}: no .md page files", dir.display()));
    }
    let service = PAGES_SERVICE.to_owned();
    let ours = spec_root.join(&service);
    let spec_actions = action_files(&ours.join("actions"))
        .map_err(|e| format!("{}: {e}; the spec has no {service} service", ours.display()))?;
    copy_curation(
        &ours.join("curation"),
        &temp.join(&service).join("curation"),
    )?;
    let options = zenlayer::Options {
        pages,
        spec_dir: temp.to_path_buf(),
        service: Some(service.clone()),
    };
    let report =
        zenlayer::run(&options).map_err(|e| format!("importing {}: {e}", dir.display()))?;
    let mut notes = Vec::new();
    let mut left_out = BTreeSet::new();
    for (action, reason) in report.unsupported {
        if spec_actions.contains(&action) {
            notes.push(format!(
                "{action} is not expressible by the importer yet ({reason}); not compared"
            ));
            left_out.insert(action);
        }
    }
    for action in &spec_actions {
        if !report.imported.contains(action) && left_out.insert(action.clone()) {
            notes.push(format!(
                "{action}: no page for it in {}; not compared",
                dir.display()
            ));
        }
    }
    notes.extend(not_in_spec(
        report.imported.iter(),
        &spec_actions,
        &service,
        "actions with pages",
    ));
    Ok(Fresh {
        root: temp.to_path_buf(),
        service,
        left_out,
        notes,
    })
}

/// The note counting the source's actions that `spec/<service>` lacks, if there are any.
fn not_in_spec<'a>(
    actions: impl Iterator<Item = &'a String>,
    spec_actions: &BTreeSet<String>,
    service: &str,
    what: &str,
) -> Option<String> {
    let count = actions.filter(|a| !spec_actions.contains(*a)).count();
    (count > 0).then(|| format!("{count} {what} are not in spec/{service} and were not compared"))
}

/// The regular `.md` files directly in `dir`, sorted (renderings of one page stay together).
fn page_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_file() && path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}

/// Names of the `<Action>.yaml` files in `dir`.
fn action_files(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            names.insert(stem.to_owned());
        }
    }
    Ok(names)
}

/// Copies the regular files of a curation tree (links and anything else are left behind:
/// the importer reads only regular files); nothing when there is no curation.
fn copy_curation(from: &Path, to: &Path) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(from, e)),
    };
    std::fs::create_dir_all(to).map_err(|e| io(to, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io(from, e))?;
        let kind = entry.file_type().map_err(|e| io(&entry.path(), e))?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_curation(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).map_err(|e| io(&target, e))?;
        }
    }
    Ok(())
}

fn usage(message: &str) -> ExitCode {
    crate::diff::usage_error(message, USAGE)
}
