//! Spec problems, reported the way a maintainer can act on them.
//!
//! Each [`Diagnostic`] names the file, line and column, says what is wrong and,
//! where we know, what would fix it. [`SpecErrors`] gathers every problem of
//! a run (not only the first) and renders them with miette: the offending line
//! is shown with a marker under it. Rendering uses no colour, so output is the
//! same on every terminal and snapshot-testable.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde_saphyr::{Location, Spanned};

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File the problem is in.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at a YAML location.
    pub fn at(file: &Path, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: location.line(),
            column: location.column(),
            message: message.into(),
            help: None,
        }
    }

    /// A problem at the value of a spanned YAML node.
    pub fn on<T>(file: &Path, node: &Spanned<T>, message: impl Into<String>) -> Self {
        Diagnostic::at(file, node.referenced, message)
    }

    /// A problem about a whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a suggested fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean `x`?" when a candidate is close to `wanted`; otherwise
    /// `fallback`, followed by the candidates when there are only a few.
    pub fn suggest<'a>(
        self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
        fallback: &str,
    ) -> Self {
        let candidates: Vec<&str> = candidates.into_iter().collect();
        if let Some(close) = suggestion(wanted, candidates.iter().copied()) {
            return self.help(close);
        }
        match candidates.len() {
            0 => self.help(fallback),
            1..=8 => {
                let mut sorted = candidates;
                sorted.sort_unstable();
                sorted.dedup();
                let list: Vec<String> = sorted.iter().map(|c| format!("`{c}`")).collect();
                self.help(format!("{fallback}; known here: {}", list.join(", ")))
            }
            _ => self.help(fallback),
        }
    }

    /// Adds "did you mean `x`?" when a candidate is close to `wanted`; otherwise
    /// `fallback` alone (for candidates too many or too obvious to list).
    pub fn suggest_or<'a>(
        self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
        fallback: &str,
    ) -> Self {
        let help = suggestion(wanted, candidates).unwrap_or_else(|| fallback.to_owned());
        self.help(help)
    }
}

/// All problems found in a spec, with the file texts needed to show them.
#[derive(Debug, Default)]
pub struct SpecErrors {
    /// Problems in file order, then line order.
    pub diagnostics: Vec<Diagnostic>,
    sources: Vec<(PathBuf, String)>,
}

impl SpecErrors {
    /// Remembers a file's text so its problems can quote the offending line.
    pub fn add_source(&mut self, file: &Path, text: &str) {
        // Quoted lines must not carry the control characters a diagnostic is about.
        self.sources
            .push((file.to_path_buf(), crate::chars::printable(text)));
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// True when no problem was found.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// True when a problem about `file` was already recorded.
    pub fn mentions(&self, file: &Path) -> bool {
        self.diagnostics.iter().any(|d| d.file == file)
    }

    /// Moves the problems and sources of `other` into `self`.
    pub fn extend(&mut self, other: SpecErrors) {
        self.diagnostics.extend(other.diagnostics);
        self.sources.extend(other.sources);
    }

    /// Sorts problems by file, line and column so output is stable.
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }

    fn source_of(&self, file: &Path) -> Option<&str> {
        self.sources
            .iter()
            .find(|(path, _)| path == file)
            .map(|(_, text)| text.as_str())
    }

    fn render_one(&self, diagnostic: &Diagnostic, out: &mut String) -> fmt::Result {
        let name = diagnostic.file.display().to_string();
        let header = if diagnostic.line == 0 {
            format!("{name}: {}", diagnostic.message)
        } else {
            format!(
                "{name}:{}:{}: {}",
                diagnostic.line, diagnostic.column, diagnostic.message
            )
        };
        let mut report = miette::MietteDiagnostic::new(header);
        if let Some(help) = &diagnostic.help {
            report = report.with_help(help.clone());
        }
        let text = self.source_of(&diagnostic.file);
        let report = match text.and_then(|t| byte_offset(t, diagnostic.line, diagnostic.column)) {
            Some(offset) => {
                let report = report.with_label(LabeledSpan::at_offset(offset, "here"));
                miette::Report::new(report)
                    .with_source_code(NamedSource::new(name, text.unwrap_or("").to_string()))
            }
            None => miette::Report::new(report),
        };
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(out, report.as_ref())
    }
}

/// Byte offset of a 1-based line and character column.
fn byte_offset(text: &str, line: u64, column: u64) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start: usize = text
        .split_inclusive('\n')
        .take(usize::try_from(line - 1).ok()?)
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let skip = usize::try_from(column.saturating_sub(1)).ok()?;
    let within: usize = rest
        .chars()
        .take_while(|c| *c != '\n')
        .take(skip)
        .map(char::len_utf8)
        .sum();
    Some(start + within)
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            self.render_one(diagnostic, &mut out)?;
        }
        let count = self.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        let out = crate::chars::printable(&out);
        write!(f, "{out}{count} spec {noun} found; nothing was generated.")
    }
}

impl std::error::Error for SpecErrors {}

/// "did you mean `x`?" for the candidate closest to `wanted`, if it is close
/// enough to be a likely typo: the one way every check phrases a suggestion.
pub fn suggestion<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(wanted, candidates).map(|close| format!("did you mean `{close}`?"))
}

/// The closest candidate to `wanted`, if it is close enough to be a likely typo.
fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}
