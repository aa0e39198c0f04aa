//! `cargo xtask import zenlayer`: Zenlayer's GitBook pages → a spec service directory.
//!
//! Zenlayer publishes no machine-readable metadata; its docs pages are the
//! source. [`run`] reads every given file ([`page`]), merges the renderings
//! of each page ([`merge`]: tables from [`tables`], prose facts from
//! [`prose`], examples from [`examples`]), converts them ([`convert`]),
//! overlays curation exactly as the Alibaba importer does, and writes
//! through [`crate::write`]. What a cut page lacks, what was left out, and
//! what a maintainer should curate (async waiters, preconditions, broken
//! examples) is in the [`Report`], never in a file.

pub mod convert;
pub mod examples;
pub mod merge;
pub mod page;
pub mod prose;
pub mod tables;

use std::path::{Path, PathBuf};

use crate::Error;
use crate::curation::{self, ActionCuration, ServiceCuration, TypesCuration};
use crate::spec::{ServiceFile, Text, TypesFile};
use crate::write::{self, Planned};
use convert::Converter;
use page::Page;

/// Header of every written file.
const SOURCE: &str = "zenlayer";

/// What to import and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// Page files (`--page`): renderings of one page, pages of several actions,
    /// and the data-type page.
    pub pages: Vec<PathBuf>,
    /// Spec root (`--spec-dir`).
    pub spec_dir: PathBuf,
    /// Service directory and crate name (`--service`); default `zenlayer-sdn`.
    pub service: Option<String>,
}

/// What an import did and what a maintainer should look at.
#[derive(Debug, Default)]
pub struct Report {
    /// The service directory.
    pub service_dir: PathBuf,
    /// Actions written.
    pub imported: Vec<String>,
    /// Files whose contents changed.
    pub changed: Vec<PathBuf>,
    /// Per action: what no rendering has whole, disagreements, rows cut.
    pub lacks: Vec<String>,
    /// Facts left out or defaulted, and structures without fields.
    pub dropped: Vec<String>,
    /// Curation to consider: waiters for async actions, preconditions, example fixups.
    pub suggestions: Vec<String>,
    /// Files that are no action page, and a hand-written service.yaml left alone.
    pub notes: Vec<String>,
    /// Actions the spec cannot express, with the reason (not written). None today: every
    /// ASCII UpperCamelCase name, acronyms included, names an action.
    pub unsupported: Vec<(String, String)>,
}

/// Imports per `options`; see the module docs.
pub fn run(options: &Options) -> Result<Report, Error> {
    let service = options
        .service
        .clone()
        .unwrap_or_else(|| "zenlayer-sdn".into());
    let dir = options.spec_dir.join(&service);
    let mut report = Report {
        service_dir: dir.clone(),
        ..Report::default()
    };
    let mut conv = Converter::default();
    let mut action_pages = Vec::new();
    for path in &options.pages {
        let p = page::read(path)?;
        if p.sections.is_empty() && p.preamble.contains("\n## ") {
            define_structures(&mut conv, &p, &mut report);
        } else if p.sections.is_empty() || !truebind_codegen::names::is_action_name(&p.title) {
            report.notes.push(format!(
                "{}: `{}` is not an action page (no numbered sections or not an action name); not imported",
                path.display(),
                p.title
            ));
        } else {
            action_pages.push(p);
        }
    }
    let actions = merge::actions(action_pages);
    let names: Vec<String> = actions.iter().map(|a| a.name.clone()).collect();
    check_covers(&dir, &names)?;
    let mut plan = Vec::new();
    let mut stale = Vec::new();
    for a in &actions {
        let mut file = conv.action(a);
        report_action(a, &mut report);
        let cur: ActionCuration = curation::read(&curation::action_path(&dir, &a.name))?;
        stale.extend(curation::apply_action(&mut file, cur));
        let path = dir.join("actions").join(format!("{}.yaml", a.name));
        plan.push(write::plan(&file, path, SOURCE)?);
        report.imported.push(a.name.clone());
    }
    report.dropped.append(&mut conv.dropped);
    report.dropped.extend(conv.undefined());
    let cur: TypesCuration = curation::read(&dir.join(curation::DIR).join("types.yaml"))?;
    let mut enums = curated_enums(conv.enums, &cur.enums, &mut report)?;
    enums.extend(cur.enums);
    let mut types = TypesFile {
        structures: conv.structures.into_values().collect(),
        enums,
        resources: cur.resources,
    };
    stale.extend(curation::apply_structures(
        &mut types.structures,
        cur.structures,
    ));
    plan.push(write::plan(&types, dir.join("types.yaml"), SOURCE)?);
    service_file(&service, &dir, &mut plan, &mut report)?;
    if !stale.is_empty() {
        return Err(Error::Stale(crate::Source::Pages, stale));
    }
    let foreign = write::foreign(&plan).map_err(|e| Error::Io(dir.clone(), e))?;
    if !foreign.is_empty() {
        return Err(Error::HandWritten(foreign));
    }
    report.changed = write::apply(&plan).map_err(|e| Error::Io(dir.clone(), e))?;
    Ok(report)
}

/// The imported enums a curated enum of the same name does not replace (the curated
/// one wins: it has our descriptions); values only the page lists are reported,
/// since the curated enum no longer has them.
fn curated_enums(
    imported: std::collections::BTreeMap<String, crate::spec::Enum>,
    curated: &[serde_json::Value],
    report: &mut Report,
) -> Result<Vec<serde_json::Value>, Error> {
    let mut out = Vec::new();
    for (name, e) in imported {
        let Some(c) = curated.iter().find(|c| c["name"] == name.as_str()) else {
            out.push(serde_json::to_value(e).map_err(|e| Error::Input(e.to_string()))?);
            continue;
        };
        let listed = c["values"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for v in e.values {
            if !listed.iter().any(|l| l["value"] == v.value.as_str()) {
                report.dropped.push(format!(
                    "enum `{name}`: the curated enum replaces the imported one and lacks `{}`",
                    v.value
                ));
            }
        }
    }
    Ok(out)
}

/// Structures and enums of a data-type page; the first rendering that defines one wins.
/// Enums go first and every name is known before any field is typed, so a field's
/// type resolves whatever the order of the sections.
fn define_structures(conv: &mut Converter, p: &Page, report: &mut Report) {
    let before = conv.defined.clone();
    let mut sections: Vec<_> = merge::structures(p)
        .into_iter()
        .filter(|(name, _, _)| !before.contains(name))
        .collect();
    sections.sort_by_key(|(_, rows, _)| !convert::lists_values(rows));
    conv.defined
        .extend(sections.iter().map(|(name, _, _)| name.clone()));
    for (name, rows, cut) in sections {
        if cut > 0 {
            report.lacks.push(format!(
                "{}: structure `{name}`: {cut} row(s) cut by the excerpt's end",
                p.path.display()
            ));
        }
        conv.define(&name, rows);
    }
}

/// `types.yaml` is rewritten whole, so an import must cover every action already imported.
fn check_covers(dir: &Path, names: &[String]) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(dir.join("actions")) else {
        return Ok(());
    };
    let mut missing = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(action) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let ours = write::is_ours(&path).map_err(|e| Error::Io(path.clone(), e))?;
        if ours && !names.iter().any(|n| n == action) {
            missing.push(format!(
                "{action} was imported before: give its page too (types.yaml is rewritten from the pages given)"
            ));
        }
    }
    missing.sort();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Selection(missing))
    }
}

/// Report lines of one action: what its renderings lack and what to curate.
fn report_action(a: &merge::Action, report: &mut Report) {
    let name = &a.name;
    report
        .lacks
        .extend(a.remarks.iter().map(|r| format!("{name}: {r}")));
    if a.errors.is_empty() && !a.no_errors {
        report
            .lacks
            .push(format!("{name}: no error rows recovered"));
    }
    let n = &a.notes;
    if n.asynchronous {
        report.suggestions.push(format!(
            "{name}: asynchronous; states named: {}; reported by {}: suggest a resource waiter \
             (curate `async` in curation/actions/{name}.yaml and the resource in curation/types.yaml)",
            if n.states.is_empty() { "none".into() } else { n.states.join(" → ") },
            n.reported_by.as_deref().unwrap_or("no action named")
        ));
    }
    if !n.required_states.is_empty() {
        report.suggestions.push(format!(
            "{name}: precondition: only in state {} (curate `preconditions`)",
            n.required_states.join(" or ")
        ));
    }
    let ex = &a.example;
    if let Some(other) = ex.action.as_deref().filter(|x| *x != name) {
        report.suggestions.push(format!(
            "{name}: the example's X-ZC-Action is `{other}`, not `{name}`"
        ));
    }
    for (what, body) in [("request", &ex.request), ("response", &ex.response)] {
        if let Some(body) = body
            && serde_json::from_str::<serde_json::Value>(body).is_err()
        {
            report.suggestions.push(format!(
                "{name}: the {what} example is not JSON (curate the example with a fixup)"
            ));
        }
    }
}

/// Plans `service.yaml` unless a hand-written one is there (then it is left alone).
fn service_file(
    service: &str,
    dir: &Path,
    plan: &mut Vec<Planned>,
    report: &mut Report,
) -> Result<(), Error> {
    let path = dir.join("service.yaml");
    if !write::is_ours(&path).map_err(|e| Error::Io(path.clone(), e))? {
        report
            .notes
            .push(format!("{} is hand-written; left as it is", path.display()));
        return Ok(());
    }
    let mut cur: ServiceCuration = curation::read(&dir.join(curation::DIR).join("service.yaml"))?;
    let release = cur.release();
    let file = ServiceFile {
        name: service.to_owned(),
        title: cur
            .title
            .unwrap_or_else(|| "Zenlayer Cloud API 2.0: SDN".into()),
        description: cur.description.unwrap_or_else(|| {
            Text::Plain(
                "Zenlayer SDN API, imported from the vendor's docs pages; not curated yet.".into(),
            )
        }),
        protocol: "zenlayer-json".into(),
        // The pages name no version; the current ones document 2026-04-01 fields.
        api_version: cur.api_version.unwrap_or_else(|| "2026-04-01".into()),
        endpoint: cur
            .endpoint
            .unwrap_or_else(|| "https://console.zenlayer.com/api/v2/sdn".into()),
        regional_endpoints: Vec::new(),
        docs_url: cur.docs_url.unwrap_or_else(|| convert::DOCS_ROOT.into()),
        request_id_field: "requestId".into(),
        error_example: cur.error_example,
        release,
    };
    plan.push(write::plan(&file, path, SOURCE)?);
    Ok(())
}
