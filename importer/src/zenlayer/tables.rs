//! Tables of a page section → parameter and error rows.
//!
//! The same table reaches us as an HTML `<table>`, a pipe table, or — in
//! flattened text renderings — one cell per line. Columns are found by their
//! header (English or Chinese, typos included) and checked against the
//! values, because some pages swap the Type and Required columns or label a
//! Type column `Required`. A row the cut of an excerpt broke is left out and
//! counted, never guessed.

/// One cell: its text (markup removed) and the first link it holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Plain text; `<br>`/`<p>` become new lines, `<code>` back-ticks.
    pub text: String,
    /// Target of the first link.
    pub link: Option<String>,
}

/// A parameter row.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamRow {
    /// Wire name.
    pub name: String,
    /// Required column, when the table has one and the cell says yes or no.
    pub required: Option<bool>,
    /// Type cell, when the rendering kept it.
    pub ty: Option<Cell>,
    /// Description cell.
    pub description: String,
}

/// An error row.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorLine {
    /// The status column (HTTP or the vendor's own number).
    pub status: u32,
    /// Error code.
    pub code: String,
}

/// Rows read from one section, and how many a cut left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows<T> {
    /// Complete rows.
    pub rows: Vec<T>,
    /// Rows left out because the excerpt ends inside them.
    pub cut: usize,
    /// First cells of rows left out because they are no wire name.
    pub unnamed: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Name,
    Required,
    Type,
    Description,
    Status,
    Code,
    Other,
}

fn role(header: &str) -> Role {
    let h = header.trim().to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if any(&["status", "状态码"]) {
        Role::Status
    } else if any(&["error code", "错误码"]) {
        Role::Code
    } else if any(&["required", "必选", "必填"]) {
        Role::Required
    } else if any(&["name", "名称", "参数名"]) {
        Role::Name
    } else if any(&["type", "类型"]) {
        Role::Type
    } else if any(&["description", "描述", "说明"]) {
        Role::Description
    } else {
        Role::Other
    }
}

/// A raw table: header cells and body rows.
#[derive(Debug, Default)]
struct Grid {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
    cut: usize,
}

/// The first HTML or pipe table of `text`; `None` when there is neither (a text rendering).
fn grid(text: &str, complete: bool) -> Option<Grid> {
    match (text.find("<table"), text.lines().any(is_pipe_row)) {
        (Some(at), _) => Some(html_grid(&text[at..])),
        (None, true) => Some(pipe_grid(text, complete)),
        (None, false) => None,
    }
}

fn html_grid(text: &str) -> Grid {
    let end = text.find("</table>").map_or(text.len(), |e| e);
    let mut grid = Grid::default();
    for chunk in text[..end].split("<tr").skip(1) {
        let Some((row, _)) = chunk.split_once("</tr>") else {
            grid.cut += 1;
            continue;
        };
        let is_header = row.contains("<th");
        let cells: Vec<Cell> = row
            .split("<t")
            .skip(1)
            .filter(|c| c.starts_with('d') || c.starts_with('h'))
            .map(|c| {
                let inner = c.split_once('>').map_or("", |(_, rest)| rest);
                let inner = inner.split("</t").next().unwrap_or(inner);
                cell(inner)
            })
            .collect();
        if is_header {
            grid.header = cells.into_iter().map(|c| c.text).collect();
        } else {
            grid.rows.push(cells);
        }
    }
    grid
}

fn is_pipe_row(line: &str) -> bool {
    line.matches('|').count() >= 2
}

fn is_rule(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '))
}

fn pipe_grid(text: &str, complete: bool) -> Grid {
    let lines: Vec<&str> = text.lines().filter(|l| is_pipe_row(l)).collect();
    let mut grid = Grid::default();
    for (i, line) in lines.iter().enumerate() {
        if is_rule(line) {
            continue;
        }
        let last = i + 1 == lines.len();
        if last && !complete && !line.trim_end().ends_with('|') {
            grid.cut += 1;
            continue;
        }
        let cells = split_pipes(line);
        if grid.header.is_empty() {
            grid.header = cells.into_iter().map(|c| c.text).collect();
        } else {
            grid.rows.push(cells);
        }
    }
    grid
}

/// Cells of a pipe row; `\|` is a pipe inside a cell.
fn split_pipes(line: &str) -> Vec<Cell> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => current.push(chars.next().unwrap_or('|')),
            '|' => cells.push(cell(&std::mem::take(&mut current))),
            _ => current.push(c),
        }
    }
    cells.push(cell(&current));
    cells
}

/// A cell's text and first link from HTML or Markdown inline markup.
pub fn cell(raw: &str) -> Cell {
    let link = raw
        .split_once("href=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(href, _)| href.to_owned())
        .or_else(|| {
            raw.split_once("](")
                .and_then(|(_, rest)| rest.split_once(')'))
                .map(|(href, _)| href.to_owned())
        });
    Cell {
        text: plain(raw),
        link,
    }
}

/// Text without HTML tags, Markdown emphasis, links' targets and escapes.
pub fn plain(raw: &str) -> String {
    let mut s = raw.to_owned();
    for (from, to) in [
        ("<br>", "\n"),
        ("<br/>", "\n"),
        ("<br />", "\n"),
        ("</p>", "\n"),
        ("</li>", "\n"),
        ("<code>", "`"),
        ("</code>", "`"),
    ] {
        s = s.replace(from, to);
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = markdown_links(&out);
    let out = out
        .replace("&lt;", "<")
        .replace("&#x3C;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("**", "");
    unescape(&out)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `[text](target)` → `text`.
fn markdown_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("](") {
        let Some(close) = rest[at..].find(')') else {
            break;
        };
        let before = &rest[..at];
        match before.rfind('[') {
            Some(open) => {
                out.push_str(&before[..open]);
                out.push_str(&before[open + 1..]);
            }
            None => out.push_str(before),
        }
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Markdown backslash escapes (`SELF\_SERVICE`) undone.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `Yes`/`No`/`是`/`否` as a flag.
pub fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "是" | "true" | "required" => Some(true),
        "no" | "否" | "false" | "optional" => Some(false),
        _ => None,
    }
}

/// Whether `text` reads as a type cell: a primitive, `Array of X`, or a type name.
pub fn looks_like_type(text: &str) -> bool {
    let t = text.trim();
    let t = ["Array of ", "Array Of ", "array of "]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    let t = t.strip_suffix("[]").unwrap_or(t);
    t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && t.chars().all(|c| c.is_ascii_alphanumeric())
        && yes_no(t).is_none()
}

/// Whether `text` can be a wire name.
pub fn is_wire_name(text: &str) -> bool {
    let t = text.trim();
    t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && yes_no(t).is_none()
}

/// Parameter rows of a section. `complete`: the section is not cut.
pub fn params(text: &str, complete: bool) -> Rows<ParamRow> {
    match grid(text, complete) {
        Some(g) => params_from_grid(g),
        None => text_params(text, complete),
    }
}

fn params_from_grid(g: Grid) -> Rows<ParamRow> {
    let roles: Vec<Role> = g.header.iter().map(|h| role(h)).collect();
    let at = |r: Role| roles.iter().position(|x| *x == r);
    let name = at(Role::Name).unwrap_or(0);
    let mut out = Rows {
        rows: Vec::new(),
        cut: g.cut,
        unnamed: Vec::new(),
    };
    for cells in g.rows {
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).cloned();
        let Some(wire) = get(Some(name)).filter(|c| is_wire_name(&c.text)) else {
            let first = cells.first().map_or("", |c| c.text.as_str());
            if !first.trim().is_empty() {
                out.unnamed.push(first.to_owned());
            }
            continue;
        };
        let mut required = get(at(Role::Required));
        let mut ty = get(at(Role::Type));
        // Columns swapped in the body, or a Type column headed "Required".
        let swapped = |a: &Option<Cell>, b: &Option<Cell>| {
            a.as_ref()
                .is_some_and(|c| looks_like_type(&c.text) || c.link.is_some())
                && b.as_ref().is_none_or(|c| yes_no(&c.text).is_some())
        };
        if swapped(&required, &ty) {
            std::mem::swap(&mut required, &mut ty);
        }
        let description = get(at(Role::Description))
            .or_else(|| cells.last().cloned().filter(|_| cells.len() > 2))
            .map(|c| c.text)
            .unwrap_or_default();
        out.rows.push(ParamRow {
            name: wire.text.trim().to_owned(),
            required: required.and_then(|c| yes_no(&c.text)),
            ty: ty.filter(|c| !c.text.trim().is_empty() && yes_no(&c.text).is_none()),
            description,
        });
    }
    out
}

/// Header words of flattened tables, alone or glued on one line.
fn is_header_line(line: &str) -> bool {
    let l = line.trim();
    role(l) != Role::Other && !l.contains(' ') && !is_wire_name(l)
        || l.starts_with("Parameter Name")
        || l.starts_with("Paremeter Name")
        || l.starts_with("参数名称")
        || matches!(l, "Required" | "Type" | "Description" | "Name")
}

/// Rows of a flattened rendering: a wire name, then Yes/No and/or a type, then description lines.
fn text_params(text: &str, complete: bool) -> Rows<ParamRow> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !is_header_line(l))
        .collect();
    let starts = |i: usize| {
        is_wire_name(lines[i])
            && lines
                .get(i + 1)
                .is_some_and(|n| yes_no(n).is_some() || looks_like_type(n))
    };
    // A row whose type cell the flattening dropped: a lone lower-case name after a
    // described row, followed by prose.
    let lone_name = |i: usize, rows: &[ParamRow]| {
        let l = lines[i];
        l.starts_with(|c: char| c.is_ascii_lowercase())
            && is_wire_name(l)
            && !matches!(l, "true" | "false" | "null")
            && rows.last().is_some_and(|r| !r.description.is_empty())
            && lines.get(i + 1).is_some_and(|n| !is_wire_name(n))
    };
    let mut rows: Vec<ParamRow> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !starts(i) && !lone_name(i, &rows) {
            if let Some(row) = rows.last_mut() {
                push_line(&mut row.description, lines[i]);
            }
            i += 1;
            continue;
        }
        let mut row = ParamRow {
            name: lines[i].to_owned(),
            required: None,
            ty: None,
            description: String::new(),
        };
        i += 1;
        if let Some(flag) = lines.get(i).and_then(|l| yes_no(l)) {
            row.required = Some(flag);
            i += 1;
        }
        if let Some(ty) = lines.get(i).filter(|l| looks_like_type(l) && !starts(i)) {
            row.ty = Some(cell(ty));
            i += 1;
        }
        rows.push(row);
    }
    let mut cut = 0;
    if !complete && rows.pop().is_some() {
        cut = 1;
    }
    Rows {
        rows,
        cut,
        unnamed: Vec::new(),
    }
}

fn push_line(into: &mut String, line: &str) {
    if !into.is_empty() {
        into.push('\n');
    }
    into.push_str(line);
}

/// Whether `text` is an error code: upper-case letters, digits, `_` and `.`.
fn is_error_code(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 3
        && t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

/// Error rows of the errors section.
pub fn errors(text: &str, complete: bool) -> Rows<ErrorLine> {
    let rows_of = |cells: Vec<String>| -> Option<ErrorLine> {
        let status = cells.iter().find_map(|c| c.trim().parse::<u32>().ok())?;
        let code = cells.iter().find(|c| is_error_code(c))?;
        Some(ErrorLine {
            status,
            code: code.trim().to_owned(),
        })
    };
    if let Some(g) = grid(text, complete) {
        let mut out = Rows {
            rows: Vec::new(),
            cut: g.cut,
            unnamed: Vec::new(),
        };
        for cells in g.rows {
            let texts: Vec<String> = cells.into_iter().map(|c| c.text).collect();
            match rows_of(texts.clone()) {
                Some(row) => out.rows.push(row),
                None if !complete => out.cut += 1,
                None if texts.iter().any(|t| !t.trim().is_empty()) => {
                    out.unnamed.push(texts.join(" | "));
                }
                None => {}
            }
        }
        return out;
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Rows {
        rows: Vec::new(),
        cut: 0,
        unnamed: Vec::new(),
    };
    for (i, line) in lines.iter().enumerate() {
        if line.parse::<u32>().is_ok() {
            match lines.get(i + 1).filter(|c| is_error_code(c)) {
                Some(code) if complete || i + 2 < lines.len() => out.rows.push(ErrorLine {
                    status: line.parse().unwrap_or_default(),
                    code: (*code).to_owned(),
                }),
                _ => out.cut += 1,
            }
        }
    }
    out
}

/// Whether the errors section says the action has no business error codes.
pub fn says_no_errors(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("no error codes") || t.contains("无业务") || t.contains("没有业务")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapped_columns_are_read_by_their_values() {
        let html = "<table><thead><tr><th>Parameter Name</th><th>Type</th><th>Required</th>\
                    <th>Description</th></tr></thead><tbody><tr><td>cloudType</td><td>No</td>\
                    <td>String</td><td>x</td></tr></tbody></table>";
        let rows = params(html, true).rows;
        assert_eq!(rows[0].required, Some(false));
        assert_eq!(rows[0].ty.as_ref().unwrap().text, "String");
    }

    #[test]
    fn a_row_without_a_wire_name_is_named_in_the_result() {
        let md = "| Parameter Name | Required | Type |\n|---|---|---|\n| a.b | Yes | String |\n| c | No | String |\n";
        let rows = params(md, true);
        assert_eq!(rows.rows.len(), 1);
        assert_eq!(rows.unnamed, ["a.b"]);
    }

    #[test]
    fn an_error_row_without_status_or_code_is_named_in_the_result() {
        let md = "| HTTP Status Code | Error Code | Description |\n|---|---|---|\n| 400 | bad code | x |\n";
        let rows = errors(md, true);
        assert!(rows.rows.is_empty());
        assert_eq!(rows.unnamed, ["400 | bad code | x"]);
    }

    #[test]
    fn a_row_the_cut_broke_is_counted_not_read() {
        let html = "<table><tr><th>Parameter Name</th><th>Required</th><th>Type</th></tr>\
                    <tr><td>a</td><td>Yes</td><td>String</td></tr><tr><td>b</td><td>Ye";
        let rows = params(html, false);
        assert_eq!((rows.rows.len(), rows.cut), (1, 1));
    }

    #[test]
    fn flattened_rows_keep_a_row_without_its_type() {
        let text = "Parameter Name\nRequired\nType\nDescription\n\ncloudRouterId\n\nYes\n\nString\n\n\
                    Cloud router ID.\n\nedgePoints\n\nYes\n\nInformation on access points.\n";
        let rows = params(text, true).rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].name, "edgePoints");
        assert_eq!(rows[1].ty, None);
        assert_eq!(rows[1].required, Some(true));
    }

    #[test]
    fn a_flattened_row_that_lost_its_type_is_still_a_row() {
        let text = "Parameter Name\nType\nDescription\nrequestId\nString\nThe request ID.\n\
                    price\nPrice of the bandwidth.\nstock\nInteger\nStock. Unit: Mbps.\n";
        let rows = params(text, true).rows;
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["requestId", "price", "stock"]);
        assert_eq!(rows[1].ty, None);
        assert_eq!(rows[0].description, "The request ID.");
    }

    #[test]
    fn escaped_codes_and_vendor_statuses_are_read_from_pipe_tables() {
        let md = "| HTTP状态码 | 错误码 | 说明 |\n| --- | --- | --- |\n| 7105 | SELF\\_SERVICE\\_PORT\\_NOT\\_FOUND | x |\n";
        let rows = errors(md, true).rows;
        assert_eq!(
            rows,
            [ErrorLine {
                status: 7105,
                code: "SELF_SERVICE_PORT_NOT_FOUND".into()
            }]
        );
    }
}
