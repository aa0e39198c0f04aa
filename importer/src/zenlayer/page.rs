//! One stored rendering of a vendor page → its title, source and sections.
//!
//! The vendor serves the same page as GitBook Markdown or as flattened text,
//! under current and legacy URLs, in English and Chinese, sometimes cut short.
//! This module only finds the parts every later step needs — which action
//! the page documents, where its numbered sections start, and whether the
//! rendering reaches the end of the page — so tables, prose and examples are
//! read from the right section whatever the rendering.

use std::path::{Path, PathBuf};

use crate::Error;

/// Pages larger than this are refused (a complete vendor page is under 10 KiB).
pub const MAX_PAGE_BYTES: u64 = 1 << 20;

/// Stored excerpts are cut at this many bytes of body (a multi-byte character may end
/// them 1–3 bytes early); a body of another length is a whole rendering.
const CUT_AT: std::ops::RangeInclusive<usize> = 1997..=2000;

/// A numbered section of an action page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// What the action does, prerequisites and notes.
    Description,
    /// The request parameter table.
    Input,
    /// The response parameter table.
    Output,
    /// The request/response example.
    Example,
    /// Links to SDKs.
    Developer,
    /// The error-code table.
    Errors,
}

impl Section {
    /// All sections, in page order.
    pub const ALL: [Section; 6] = [
        Section::Description,
        Section::Input,
        Section::Output,
        Section::Example,
        Section::Developer,
        Section::Errors,
    ];

    /// How the report names the section.
    pub fn label(self) -> &'static str {
        match self {
            Section::Description => "description",
            Section::Input => "input table",
            Section::Output => "output table",
            Section::Example => "example",
            Section::Developer => "developer resources",
            Section::Errors => "error table",
        }
    }

    /// The section a heading text (without `#` and numbering) names, in English or Chinese.
    fn from_heading(text: &str) -> Option<Section> {
        let t = text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| t.starts_with(w));
        if has(&["api description", "接口描述"]) {
            Some(Section::Description)
        } else if has(&[
            "input parameter",
            "request parameter",
            "请求参数",
            "输入参数",
        ]) {
            Some(Section::Input)
        } else if has(&[
            "output parameter",
            "response parameter",
            "响应结果",
            "响应参数",
            "输出参数",
        ]) {
            Some(Section::Output)
        } else if has(&["code example", "代码示例"]) {
            Some(Section::Example)
        } else if has(&["developer resource", "开发者工具", "开发者资源"]) {
            Some(Section::Developer)
        } else if has(&["error code", "错误码"]) {
            Some(Section::Errors)
        } else {
            None
        }
    }
}

/// Language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

/// One rendering of one page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file it was read from.
    pub path: PathBuf,
    /// The page's URL, from the stored-copy comment or the footer, without `.md` or query.
    pub url: Option<String>,
    /// The title: an action name, or `Data Types` for the data-structure page.
    pub title: String,
    /// Language.
    pub lang: Lang,
    /// From the legacy documentation tree.
    pub legacy: bool,
    /// GitBook Markdown (else flattened text).
    pub markdown: bool,
    /// The rendering reaches the end of the page.
    pub complete: bool,
    /// Sections found, in page order, with their text (heading excluded).
    pub sections: Vec<(Section, String)>,
    /// The text before the first section (data-structure pages have only this).
    pub preamble: String,
}

impl Page {
    /// The text of `section`, if this rendering reaches it.
    pub fn section(&self, section: Section) -> Option<&str> {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, t)| t.as_str())
    }

    /// Whether `section` is there and not cut: a later section follows, or the page is complete.
    pub fn section_complete(&self, section: Section) -> bool {
        match self.sections.iter().position(|(s, _)| *s == section) {
            Some(i) => self.complete || i + 1 < self.sections.len(),
            None => false,
        }
    }
}

/// Reads and splits one page file: a regular file of at most [`MAX_PAGE_BYTES`] (a FIFO
/// or a device is refused at once, never waited on or read without end).
pub fn read(path: &Path) -> Result<Page, Error> {
    let bytes = crate::read_bounded(path, MAX_PAGE_BYTES, "a docs page")?.ok_or_else(|| {
        Error::Io(
            path.to_path_buf(),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Input(format!("{}: a docs page must be UTF-8", path.display())))?;
    parse(path, &text)
}

/// Splits the text of one page; `path` only names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Page, Error> {
    let (comment, body) = match text.strip_prefix("<!--") {
        Some(rest) => match rest.split_once("-->") {
            Some((c, b)) => (Some(c), b.trim_start_matches(['\r', '\n'])),
            None => (None, text),
        },
        None => (None, text),
    };
    let markdown = comment.is_none_or(|c| !c.contains("rendering: text"));
    let body_len = body.len();
    let (body, footer) = split_footer(body);
    let ends = footer.is_some() || body.contains("Last updated") || body.contains("最后更新于");
    let url = comment
        .and_then(|c| c.split("source:").nth(1))
        .and_then(|rest| rest.split([' ', ';']).find(|w| !w.is_empty()))
        .or_else(|| footer.and_then(footer_url))
        .filter(|u| u.starts_with("https://"))
        .map(clean_url);
    let lines: Vec<&str> = body.lines().filter(|l| !is_banner(l)).collect();
    let title = lines
        .iter()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty())
        .map(strip_anchor)
        .ok_or_else(|| Error::Input(format!("{}: the page is empty", path.display())))?;
    let (preamble, sections) = split_sections(&lines[1..]);
    let lang = if body.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        Lang::Zh
    } else {
        Lang::En
    };
    Ok(Page {
        path: path.to_path_buf(),
        legacy: url
            .as_deref()
            .is_some_and(|u| u.contains("cloud-networking")),
        url,
        title,
        lang,
        markdown,
        complete: ends || !CUT_AT.contains(&body_len),
        sections,
        preamble,
    })
}

/// The body without the site's "Agent Instructions" footer, and the footer.
fn split_footer(body: &str) -> (&str, Option<&str>) {
    match body.find("# Agent Instructions") {
        Some(at) => {
            let before = body[..at].trim_end();
            let before = before.strip_suffix("---").unwrap_or(before);
            (before, Some(&body[at..]))
        }
        None => (body, None),
    }
}

/// The page URL the footer's `GET <url>.md?ask=` line names.
fn footer_url(footer: &str) -> Option<&str> {
    footer
        .split_whitespace()
        .find(|w| w.starts_with("https://") && w.contains("?ask="))
}

/// A URL without `.md`, query or fragment.
fn clean_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    url.strip_suffix(".md").unwrap_or(url).to_owned()
}

/// The "complete documentation index" banner some renderings start with.
fn is_banner(line: &str) -> bool {
    line.contains("For the complete documentation index")
}

/// A heading without GitBook's inline `<a href="#id-…" id="…"></a>` anchor.
fn strip_anchor(text: &str) -> String {
    match text.find("<a ") {
        Some(at) => text[..at].trim().to_owned(),
        None => text.trim().to_owned(),
    }
}

/// The section a line starts, if it is a heading: `## 2. Input Parameters`, or
/// `2. Input Parameters` alone on a line in a text rendering.
fn heading(line: &str) -> Option<Section> {
    let t = line.trim();
    let marked = t.starts_with('#');
    let t = strip_anchor(t.trim_start_matches('#'));
    let numbered = t
        .split_once('.')
        .filter(|(n, _)| !n.is_empty() && n.trim().chars().all(|c| c.is_ascii_digit()));
    match numbered {
        Some((_, rest)) => Section::from_heading(rest.trim()),
        None if marked => Section::from_heading(&t),
        None => None,
    }
}

type Sections = Vec<(Section, String)>;

fn split_sections(lines: &[&str]) -> (String, Sections) {
    let mut preamble = String::new();
    let mut sections: Sections = Vec::new();
    for line in lines {
        if let Some(s) = heading(line)
            && sections.iter().all(|(seen, _)| *seen != s)
        {
            sections.push((s, String::new()));
            continue;
        }
        let into = match sections.last_mut() {
            Some((_, text)) => text,
            None => &mut preamble,
        };
        into.push_str(line);
        into.push('\n');
    }
    (preamble, sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_body_of_the_excerpt_length_is_cut() {
        let page = |body: &str| parse(Path::new("p.md"), body).unwrap();
        let head = "# A\n## 1. API Description\nx\n## 6. Error Codes\n";
        let long = format!("{head}{}", "y".repeat(2100));
        assert!(page(&long).complete, "longer than an excerpt: a whole page");
        let cut = format!("{head}{}", "y".repeat(2000 - head.len()));
        assert!(!page(&cut).complete);
        assert!(page(&format!("{cut}\nLast updated")).complete);
    }

    #[test]
    fn only_an_https_source_is_the_page_url() {
        let url = |first: &str| {
            parse(Path::new("p.md"), &format!("{first}\n# A\n"))
                .unwrap()
                .url
        };
        assert_eq!(
            url("<!-- source: https://d/x/a.md?fallback=true ; rendering: text -->").as_deref(),
            Some("https://d/x/a")
        );
        assert_eq!(
            url("<!-- source: javascript:alert(1) ; rendering: text -->"),
            None
        );
    }
}
