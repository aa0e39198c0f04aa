//! Facts stated in prose: limits, defaults and units in a description cell,
//! and the async states and preconditions in the page's notes.
//!
//! Zenlayer pages have no schema; "ranging from 1 to 500", "Up to 255
//! characters", "Default value: 1", "Unit: Mbps" (and the Chinese
//! "大小在1-500", "不超过…个字符", "默认值：", "单位：") are the only place
//! these facts live. Each pattern reads one fact; the sentence itself is
//! never kept.

use std::sync::LazyLock;

use regex_lite::Regex;

/// Facts of one description cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellFacts {
    /// Smallest and largest value (numbers) or length (strings).
    pub range: (Option<i64>, Option<i64>),
    /// The range is a length in characters.
    pub length: bool,
    /// Default value, as written.
    pub default: Option<String>,
    /// Unit.
    pub unit: Option<String>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}

static RANGE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)rang(?:ing|es?) from (-?\d+) to (-?\d+)",
        r"(?i)between (-?\d+) and (-?\d+)",
        r"(?i)value range:?\s*(-?\d+)\s*(?:-|~|to)\s*(-?\d+)",
        r"(?:大小在|取值范围[:：]?|范围[:：]?|大小为|取值为)\s*(-?\d+)\s*(?:-|~|～|到|至)\s*(-?\d+)",
        r"(?i)(\d+)\s*(?:-|~|to)\s*(\d+) characters",
        r"(\d+)\s*(?:-|~|～|到|至)\s*(\d+)\s*个字符",
    ]
    .iter()
    .map(|p| re(p))
    .collect()
});
static MAX_LENGTH: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)up to (\d+) characters",
        r"(?i)(?:cannot|must not|can ?not) exceed (\d+) characters",
        r"(?i)maximum (?:length|of) (\d+) characters",
        r"(?:不超过|不能超过|最多|最长)\s*(\d+)\s*个?字符",
    ]
    .iter()
    .map(|p| re(p))
    .collect()
});
static MAX: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)(?:cannot|must not|can ?not) exceed (\d+)\b",
        r"(?i)maximum(?: value)?(?: is|:)\s*(\d+)\b",
        r"(?:不超过|不能超过|最大值?为?)\s*(\d+)",
    ]
    .iter()
    .map(|p| re(p))
    .collect()
});
static DEFAULT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    // Back-ticked first; else the rest of the line up to a sentence break.
    let lead = [
        r"(?i)default value(?: is)?[:：]?\s*",
        r"(?i)the default (?:value )?is\s*",
        r"(?i)defaults? to\s*",
        r"默认值?(?:为|是|[:：])\s*",
    ];
    lead.iter()
        .map(|l| re(&format!("{l}`([^`]+)`")))
        .chain(lead.iter().map(|l| re(&format!(r"{l}([^\n,;，。；]+)"))))
        // "默认1Mbps": a number straight after the word.
        .chain([re(r"默认值?\s*(-?\d+(?:\.\d+)?)")])
        .collect()
});
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\bunit|单位)\s*(?:is\s+|[:：]\s*)([A-Za-z][A-Za-z/]*)"));

fn first_capture(patterns: &[Regex], text: &str) -> Option<Vec<String>> {
    patterns.iter().find_map(|r| {
        r.captures(text).map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .map(|m| m.as_str().to_owned())
                .collect()
        })
    })
}

/// The facts of a description cell; `string`: the field is a string (limits are lengths).
pub fn cell_facts(text: &str, string: bool) -> CellFacts {
    let mut facts = CellFacts::default();
    let number = |s: &String| s.parse::<i64>().ok();
    if let Some(c) = first_capture(&RANGE, text) {
        facts.range = (c.first().and_then(number), c.get(1).and_then(number));
        facts.length = string;
    }
    if facts.range.1.is_none() {
        let max = if string {
            first_capture(&MAX_LENGTH, text)
        } else {
            first_capture(&MAX, text)
        };
        facts.range.1 = max.as_ref().and_then(|c| c.first()).and_then(number);
        facts.length = string;
    }
    facts.default = first_capture(&DEFAULT, text)
        .and_then(|c| c.into_iter().next())
        .map(|d| {
            let d = d.split(". ").next().unwrap_or(&d);
            d.trim().trim_end_matches(['.', '。']).to_owned()
        })
        // A value, not a clause: at most three words, and no Chinese ("默认为当前时间").
        .filter(|d| {
            !d.is_empty()
                && d.split_whitespace().count() <= 3
                && d.chars().count() <= 40
                && !d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        });
    facts.unit = UNIT
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned());
    facts
}

static VALUES_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:available|valid|optional|possible) values?\s*[:：]|可选值\s*[:：]|取值\s*[:：]")
});

/// The values a description cell lists after "Available values:" / "可选值：", one a line
/// (back-ticked or not); empty when it lists none.
pub fn enum_values(text: &str) -> Vec<String> {
    let Some(lead) = VALUES_LEAD.find(text) else {
        return Vec::new();
    };
    let mut values: Vec<String> = Vec::new();
    for line in text[lead.end()..]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let v = line.trim_matches(['`', '*', '-', ' ', '•']);
        let is_value = !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !is_value {
            break;
        }
        if !values.iter().any(|x| x == v) {
            values.push(v.to_owned());
        }
    }
    values
}

/// What a page's notes say about states: the async states in order of mention,
/// the action they point to for the state, and states an operation requires.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateNotes {
    /// The page calls the action asynchronous.
    pub asynchronous: bool,
    /// Upper-case state names the async note names, first mention first.
    pub states: Vec<String>,
    /// The `Describe…` action the note points to.
    pub reported_by: Option<String>,
    /// States a sentence starting "Only …" / "只有…" names.
    pub required_states: Vec<String>,
}

static STATE: LazyLock<Regex> = LazyLock::new(|| re(r"`([A-Z][A-Z_]{2,})`"));
static DESCRIBE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(Describe[A-Z][A-Za-z0-9]+)\b"));

/// Reads the state notes of a description section (Markdown or flattened text).
pub fn state_notes(text: &str) -> StateNotes {
    let mut notes = StateNotes::default();
    for sentence in text.split(['\n', '。']).flat_map(|l| l.split(". ")) {
        let lower = sentence.to_lowercase();
        let states: Vec<String> = STATE
            .captures_iter(sentence)
            .filter_map(|c| c.get(1).map(|m| m.as_str().to_owned()))
            .collect();
        if lower.contains("async") || sentence.contains("异步") {
            notes.asynchronous = true;
        }
        let only = lower.trim_start_matches(['*', ' ']).starts_with("only")
            || sentence.contains("只有")
            || sentence.contains("仅支持");
        if only && !notes.asynchronous {
            add_all(&mut notes.required_states, &states);
        } else if notes.asynchronous {
            add_all(&mut notes.states, &states);
            if notes.reported_by.is_none()
                && let Some(c) = DESCRIBE.captures(sentence)
            {
                notes.reported_by = c.get(1).map(|m| m.as_str().to_owned());
            }
        }
    }
    notes
}

fn add_all(into: &mut Vec<String>, states: &[String]) {
    for s in states {
        if !into.contains(s) {
            into.push(s.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_chinese_limits_defaults_and_units() {
        let f = cell_facts(
            "Cap, ranging from 1 to 500.\nDefault value: 1\nUnit: Mbps",
            false,
        );
        assert_eq!(f.range, (Some(1), Some(500)));
        assert_eq!(f.default.as_deref(), Some("1"));
        assert_eq!(f.unit.as_deref(), Some("Mbps"));
        let f = cell_facts(
            "Name.\nUp to 255 characters in length are allowed. The default is `x-{t}`.",
            true,
        );
        assert_eq!((f.range, f.length), ((None, Some(255)), true));
        assert_eq!(f.default.as_deref(), Some("x-{t}"));
        let f = cell_facts(
            "Up to 255 characters. The default is private-connect-{current time}\n.",
            true,
        );
        assert_eq!(f.default.as_deref(), Some("private-connect-{current time}"));
        let f = cell_facts("Default value: 1 Unit: Mbps", false);
        assert_eq!(f.default.as_deref(), Some("1 Unit: Mbps"));
        let clause = "If omitted, the default is the first region that supports the service.";
        assert_eq!(cell_facts(clause, true).default, None);
        assert_eq!(cell_facts("Unit of bandwidth.", false).unit, None);
        assert_eq!(cell_facts("结束时间。默认为当前时间。", true).default, None);
        let f = cell_facts("带宽。默认1Mbps。", false);
        assert_eq!((f.default.as_deref(), f.unit), (Some("1"), None));
        let f = cell_facts("带宽大小在1-500之间，默认值：1，单位：Mbps", false);
        assert_eq!(f.range, (Some(1), Some(500)));
        assert_eq!(f.unit.as_deref(), Some("Mbps"));
        assert_eq!(
            cell_facts("名称，不超过64个字符。", true).range,
            (None, Some(64))
        );
    }

    #[test]
    fn listed_values_one_a_line() {
        let cell = "Cloud types.\nAvailable values:\n`AWS`\n`ALI_CLOUD`\nOther text.";
        assert_eq!(enum_values(cell), ["AWS", "ALI_CLOUD"]);
        assert_eq!(
            enum_values("云类型。\n可选值：\nAWS\nGOOGLE"),
            ["AWS", "GOOGLE"]
        );
        assert!(enum_values("Port speed.\nValue range: 1G/10G/40G").is_empty());
    }

    #[test]
    fn async_states_and_the_action_that_reports_them() {
        let n = state_notes(
            "* Only ports in state `RECYCLED` are supported.\n\
             * This API is an async API. The status will be `DEPLOYING`. You can use \
             `DescribePrivateConnects` to query; from `DEPLOYING` to `AVAILABLE`.",
        );
        assert!(n.asynchronous);
        assert_eq!(n.states, ["DEPLOYING", "AVAILABLE"]);
        assert_eq!(n.reported_by.as_deref(), Some("DescribePrivateConnects"));
        assert_eq!(n.required_states, ["RECYCLED"]);
    }
}
