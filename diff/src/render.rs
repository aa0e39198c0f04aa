//! The report as text (grouped by crate and action), JSON (a list of changes), a Markdown
//! entry per crate for its `CHANGELOG.md`, and the one line `cargo xtask codegen` ends with.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::Report;
use crate::change::{Bump, Change, Level, Severity};

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people, grouped by crate and action.
    Text,
    /// A JSON list of changes.
    Json,
    /// A CHANGELOG entry per crate.
    Markdown,
}

impl Format {
    /// The format named `name` on the command line.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// `report` in `format`, ending with a newline.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
        Format::Markdown => markdown(report),
    }
}

/// The changes as a JSON list (each with `id`, `crate`, `action`, `field`, `level`,
/// `severity`, `side`, `bump`, `message`, `detail`, and `acknowledged` when accepted).
pub fn json(report: &Report) -> String {
    let mut out =
        serde_json::to_string_pretty(&report.changes).unwrap_or_else(|e| format!("\"{e}\""));
    out.push('\n');
    out
}

/// Changes grouped by crate, then action (crate-wide ones first), then the suggested
/// versions, stale acknowledgements and the totals.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut crate_name = None;
    let mut action = None;
    for c in &report.changes {
        if crate_name != Some(&c.crate_name) {
            crate_name = Some(&c.crate_name);
            action = None;
            let _ = writeln!(out, "{}", c.crate_name);
            if c.action.is_none() {
                let _ = writeln!(out, "  (crate)");
            }
        }
        if c.action.is_some() && action != Some(&c.action) {
            action = Some(&c.action);
            let _ = writeln!(out, "  {}", c.action.as_deref().unwrap_or_default());
        }
        let field = c
            .field
            .as_deref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        let side = match c.side {
            crate::Side::None => String::new(),
            side => format!(" ({} side)", side.as_str()),
        };
        let accepted = c
            .acknowledged
            .as_deref()
            .map(|r| format!(" [accepted: {r}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {:<8} {:<4} {}{field}{side}: {}{accepted}",
            c.severity.as_str(),
            c.level.as_str(),
            c.id.as_str(),
            c.message
        );
    }
    for b in &report.crates {
        let _ = writeln!(
            out,
            "{}: {} bump{}",
            b.crate_name,
            b.bump.as_str(),
            match (&b.old_version, &b.suggested) {
                (Some(old), Some(new)) if b.bump > Bump::None => format!(", {old} → {new}"),
                (None, _) => " (unpublished: no version)".into(),
                _ => String::new(),
            }
        );
    }
    for a in &report.stale_acks {
        let _ = writeln!(
            out,
            "stale acknowledgement in {}: {} {} {}: no such change any more (reason was: {})",
            a.crate_name,
            a.id.as_str(),
            a.action.as_deref().unwrap_or("-"),
            a.field.as_deref().unwrap_or("-"),
            a.reason
        );
    }
    let count = |s| report.changes.iter().filter(|c| c.severity == s).count();
    let accepted = report
        .changes
        .iter()
        .filter(|c| c.acknowledged.is_some())
        .count();
    let _ = writeln!(
        out,
        "{} changes: {} breaking, {} warnings, {} info; {accepted} accepted",
        report.changes.len(),
        count(Severity::Breaking),
        count(Severity::Warning),
        count(Severity::Info)
    );
    out
}

/// One `CHANGELOG.md` entry per crate with changes: its suggested version, then the API
/// changes by kind and the wire changes worth a warning.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let mut by_crate: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in &report.changes {
        by_crate.entry(&c.crate_name).or_default().push(c);
    }
    for (name, changes) in by_crate {
        let version = report
            .crates
            .iter()
            .find(|b| b.crate_name == name)
            .and_then(|b| b.suggested.clone())
            .unwrap_or_else(|| "unreleased".into());
        let _ = writeln!(out, "## {name} {version}\n");
        for (i, title) in SECTIONS.iter().enumerate() {
            let lines: Vec<String> = changes
                .iter()
                .filter(|c| section(c) == Some(i))
                .map(|c| bullet(c))
                .collect();
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {title}\n");
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
            out.push('\n');
        }
    }
    if out.is_empty() {
        out.push_str("No changes.\n");
    }
    out
}

/// The headings of a CHANGELOG entry, in order.
const SECTIONS: [&str; 5] = ["Breaking", "Added", "Changed", "Documentation", "Wire"];

/// The index in [`SECTIONS`] a change is listed under, if any: API changes by bump (an
/// addition that changes behaviour is "Changed"), and wire changes worth a warning.
fn section(c: &Change) -> Option<usize> {
    match (c.level, c.bump) {
        (Level::Api, Bump::Major) => Some(0),
        (Level::Api, _) if c.id == crate::ChangeId::DocsChanged => Some(3),
        (Level::Api, Bump::Minor) if c.severity == Severity::Info => Some(1),
        (Level::Api, Bump::Minor | Bump::Patch) => Some(2),
        (Level::Wire, _) if c.severity >= Severity::Warning => Some(4),
        _ => None,
    }
}

fn bullet(c: &Change) -> String {
    let place = match (&c.action, &c.field) {
        (Some(a), Some(f)) => format!("`{a}` {f}: "),
        (Some(a), None) => format!("`{a}`: "),
        (None, Some(f)) => format!("{f}: "),
        (None, None) => String::new(),
    };
    format!(
        "- {place}{} (`{}`)",
        c.message.replace('\n', " "),
        c.id.as_str()
    )
}

/// One line for the end of `cargo xtask codegen`, e.g. "2 actions added, 1 breaking change:
/// …; run cargo xtask diff for details". A change found at both levels counts once.
pub fn summary_line(report: &Report) -> String {
    let mut findings: BTreeMap<_, (Severity, &Change)> = BTreeMap::new();
    for c in &report.changes {
        let key = (&c.crate_name, &c.action, &c.field, c.id);
        let worst = findings.entry(key).or_insert((c.severity, c));
        if c.severity > worst.0 {
            *worst = (c.severity, c);
        }
    }
    if findings.is_empty() {
        return "no API changes".into();
    }
    let count = |id| findings.keys().filter(|k| k.3 == id).count();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    for (id, what) in [
        (crate::ChangeId::ActionAdded, "added"),
        (crate::ChangeId::ActionRemoved, "removed"),
    ] {
        let n = count(id);
        if n > 0 {
            parts.push(format!("{} {what}", plural(n, "action")));
        }
    }
    let breaking: Vec<&Change> = findings
        .values()
        .filter(|(s, _)| *s == Severity::Breaking)
        .map(|(_, c)| *c)
        .collect();
    let others = findings.len() - breaking.len();
    let mut line = parts.join(", ");
    if !breaking.is_empty() {
        let first = breaking[0];
        let at = first
            .action
            .as_deref()
            .map(|a| format!(" {a}"))
            .unwrap_or_default();
        let more = if breaking.len() > 1 { ", …" } else { "" };
        let _ = write!(
            line,
            "{}{}: {}{at}: {}{more}",
            if line.is_empty() { "" } else { ", " },
            plural(breaking.len(), "breaking change"),
            first.crate_name,
            first.message
        );
    }
    if others > 0 {
        let sep = if line.is_empty() { "" } else { "; " };
        let _ = write!(line, "{sep}{} in all", plural(findings.len(), "change"));
    }
    format!("{line}; run cargo xtask diff for details")
}
