//! Several renderings of one page → one set of facts, and what all of them lack.
//!
//! Each stored rendering keeps something the others lost: the Markdown one
//! keeps the type links but is cut in the input table, a flattened one
//! reaches the error rows but drops rows whose type was a link. Renderings
//! are ranked (current before legacy, Markdown before text, English before
//! Chinese); a fact comes from the best rendering that has it, a
//! disagreement between two renderings is reported, and a section no
//! rendering has whole is named in the report.

use std::collections::BTreeMap;

use super::examples::{self, Example};
use super::page::{Lang, Page, Section};
use super::prose::{self, StateNotes};
use super::tables::{self, Cell, ErrorLine, ParamRow, Rows};

/// A parameter as all renderings together tell it.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Wire name.
    pub name: String,
    /// Required flag, from the best rendering that has one.
    pub required: Option<bool>,
    /// Type cell, from the best rendering that has one.
    pub ty: Option<Cell>,
    /// Description cells of every rendering (English and Chinese), best first.
    pub descriptions: Vec<String>,
}

/// One action's facts from all its renderings.
#[derive(Debug, Clone, Default)]
pub struct Action {
    /// Wire name (the page title).
    pub name: String,
    /// The page URL (English current tree when given).
    pub url: Option<String>,
    /// Request parameters.
    pub input: Vec<Param>,
    /// Response fields.
    pub output: Vec<Param>,
    /// Error rows, every rendering's, once each.
    pub errors: Vec<ErrorLine>,
    /// A rendering says there are no business error codes.
    pub no_errors: bool,
    /// The first example with a request body (else the first example).
    pub example: Example,
    /// States and preconditions the notes name.
    pub notes: StateNotes,
    /// The renderings, best first.
    pub pages: Vec<Page>,
    /// What no rendering has whole, and disagreements between renderings.
    pub remarks: Vec<String>,
}

/// Groups pages by title, best rendering first, and merges each group.
pub fn actions(pages: Vec<Page>) -> Vec<Action> {
    let mut by_name: BTreeMap<String, Vec<Page>> = BTreeMap::new();
    for p in pages {
        by_name.entry(p.title.clone()).or_default().push(p);
    }
    by_name
        .into_iter()
        .map(|(name, mut pages)| {
            pages.sort_by_key(|p| (p.legacy, !p.markdown, p.lang));
            merge(name, pages)
        })
        .collect()
}

fn merge(name: String, pages: Vec<Page>) -> Action {
    let mut a = Action {
        url: pages
            .iter()
            .find(|p| p.lang == Lang::En && !p.legacy)
            .or(pages.first())
            .and_then(|p| p.url.clone()),
        name,
        ..Action::default()
    };
    for p in &pages {
        let file = p
            .path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        for (section, into) in [
            (Section::Input, &mut a.input),
            (Section::Output, &mut a.output),
        ] {
            if let Some(text) = p.section(section) {
                let rows = tables::params(text, p.section_complete(section));
                note_cut(&mut a.remarks, &file, section, rows.cut);
                note_unnamed(&mut a.remarks, &file, section, &rows.unnamed);
                merge_params(into, rows.rows, &file, &mut a.remarks);
            }
        }
        if let Some(text) = p.section(Section::Errors) {
            let rows: Rows<ErrorLine> = tables::errors(text, p.section_complete(Section::Errors));
            note_cut(&mut a.remarks, &file, Section::Errors, rows.cut);
            note_unnamed(&mut a.remarks, &file, Section::Errors, &rows.unnamed);
            a.no_errors |= tables::says_no_errors(text);
            for row in rows.rows {
                if !a.errors.contains(&row) {
                    a.errors.push(row);
                }
            }
        }
        if let Some(text) = p.section(Section::Example) {
            let ex = examples::read(text);
            if a.example.request.is_none() && ex.request.is_some() {
                a.example = ex;
            }
        }
        if let Some(text) = p.section(Section::Description) {
            let notes = prose::state_notes(&tables::plain(text));
            if a.notes.states.is_empty() && a.notes.required_states.is_empty() {
                a.notes = notes;
            }
        }
    }
    for section in [Section::Input, Section::Output, Section::Errors] {
        if !pages.iter().any(|p| p.section_complete(section)) {
            let reached = pages.iter().any(|p| p.section(section).is_some());
            a.remarks.push(format!(
                "the {} is {} in every rendering",
                section.label(),
                if reached { "cut" } else { "not reached" }
            ));
        }
    }
    a.pages = pages;
    a
}

fn note_cut(remarks: &mut Vec<String>, file: &str, section: Section, cut: usize) {
    if cut > 0 {
        remarks.push(format!(
            "{file}: {cut} row(s) of the {} cut by the excerpt's end",
            section.label()
        ));
    }
}

fn note_unnamed(remarks: &mut Vec<String>, file: &str, section: Section, rows: &[String]) {
    for row in rows {
        remarks.push(format!(
            "{file}: a row of the {} (`{row}`) is not one the importer can read; left out",
            section.label()
        ));
    }
}

/// Adds `rows` of one rendering to the merged parameters.
fn merge_params(into: &mut Vec<Param>, rows: Vec<ParamRow>, file: &str, remarks: &mut Vec<String>) {
    for row in rows {
        let Some(p) = into.iter_mut().find(|p| p.name == row.name) else {
            into.push(Param {
                name: row.name,
                required: row.required,
                ty: row.ty,
                descriptions: vec![row.description],
            });
            continue;
        };
        match (p.required, row.required) {
            (None, r) => p.required = r,
            (Some(a), Some(b)) if a != b => remarks.push(format!(
                "{file}: `{}` is {} here, {} in a better rendering (kept)",
                p.name,
                flag(b),
                flag(a)
            )),
            _ => {}
        }
        match (&p.ty, row.ty) {
            (None, t) => p.ty = t,
            (Some(a), Some(b)) if !same_type(a, &b) => remarks.push(format!(
                "{file}: `{}` has type `{}` here, `{}` in a better rendering (kept)",
                p.name, b.text, a.text
            )),
            _ => {}
        }
        p.descriptions.push(row.description);
    }
}

fn flag(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

fn same_type(a: &Cell, b: &Cell) -> bool {
    let norm = |c: &Cell| c.text.to_lowercase().replace(' ', "");
    norm(a) == norm(b)
}

/// The structures of a data-structure page: each `## Name` heading and its table.
pub fn structures(page: &Page) -> Vec<(String, Vec<ParamRow>, usize)> {
    let mut out = Vec::new();
    let text = format!("\n{}", page.preamble);
    let mut parts = text.split("\n## ").skip(1).peekable();
    while let Some(part) = parts.next() {
        let (heading, body) = part.split_once('\n').unwrap_or((part, ""));
        let name = heading.trim().to_owned();
        if !name.chars().all(|c| c.is_ascii_alphanumeric()) || name.is_empty() {
            continue;
        }
        let complete = page.complete || parts.peek().is_some();
        let rows = tables::params(body, complete);
        out.push((name, rows.rows, rows.cut));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::zenlayer::page;

    fn page(name: &str, text: &str) -> Page {
        page::parse(Path::new(name), text).unwrap()
    }

    #[test]
    fn renderings_merge_and_their_disagreements_are_reported() {
        let md = page(
            "A.en.current.md",
            "<!-- source: https://x/a ; rendering: markdown -->\n# A\n## 2. Input Parameters\n\
             | Parameter Name | Required | Type | Description |\n|---|---|---|---|\n\
             | id | Yes | String | x |\n| size | No | Integer | x |\n",
        );
        let text = page(
            "A.en.legacy.text.md",
            "<!-- source: https://x/cloud-networking/a ; rendering: text -->\nA\n2. Input Parameters\n\
             id\nNo\nString\nx\nname\nNo\nString\nx\n6. Error Codes\n404\nNOT_FOUND\nx\nLast updated",
        );
        let merged = actions(vec![text, md]);
        let a = &merged[0];
        let names: Vec<&str> = a.input.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "size", "name"]);
        assert_eq!(
            a.input[0].required,
            Some(true),
            "the current Markdown rendering wins"
        );
        assert_eq!(a.url.as_deref(), Some("https://x/a"));
        assert_eq!(a.errors.len(), 1);
        assert!(
            a.remarks
                .iter()
                .any(|r| r == "A.en.legacy.text.md: `id` is optional here, required in a better rendering (kept)"),
            "{:#?}",
            a.remarks
        );
    }
}
