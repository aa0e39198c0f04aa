//! What the peer's generated crate leaves out that truebind's generates, checked in the
//! peer's output rather than asserted from memory: each probe counts the code lines (doc
//! comments skipped) of the peer's `src/lib.rs` that would implement the feature.

use std::path::Path;

/// One feature of truebind's output and the text that would implement it in the peer's.
struct Probe {
    feature: &'static str,
    needles: &'static [&'static str],
}

const PROBES: [Probe; 6] = [
    Probe {
        feature: "waiters (poll a resource until a goal state)",
        needles: &["fn wait", "Waiter"],
    },
    Probe {
        feature: "paging (a stream over page-numbered list actions)",
        needles: &["_stream(", "fn paginate"],
    },
    Probe {
        feature: "idempotency tokens filled in when the caller gives none",
        needles: &["new_v4", "Uuid"],
    },
    Probe {
        feature: "typed error kinds (the documented codes, e.g. `NOT_FOUND_1`, as variants)",
        needles: &["NOT_FOUND_"],
    },
    Probe {
        feature: "list length limits (`maxItems`) checked before sending",
        needles: &["20usize", "more than 20"],
    },
    Probe {
        feature: "number ranges (`maximum: 500`) checked before sending",
        needles: &["500u32", "500i32", "500i64", "> 500"],
    },
];

/// Prints how many code lines of the peer crate at `dir` match each probe.
pub fn print(dir: Option<&Path>) -> Result<(), String> {
    let Some(dir) = dir else {
        return Ok(());
    };
    let lib = dir.join("src/lib.rs");
    let text =
        std::fs::read_to_string(&lib).map_err(|e| format!("reading {}: {e}", lib.display()))?;
    println!(
        "\n### In truebind's output, checked for in progenitor's ({})\n",
        lib.display()
    );
    println!("| feature | code lines of progenitor's crate that mention it | probed for |");
    println!("|---|---:|---|");
    for probe in &PROBES {
        let found = matches(&text, probe.needles);
        let needles: Vec<String> = probe.needles.iter().map(|n| format!("`{n}`")).collect();
        println!("| {} | {found} | {} |", probe.feature, needles.join(", "));
    }
    let length_checks = matches(&text, &["longer than"]);
    println!(
        "\nString length limits (`maxLength`) are the exception: progenitor checks them in \
         {length_checks} code lines (a newtype per constrained string), and turns `minimum: 1` \
         into `NonZeroU32`."
    );
    Ok(())
}

/// Code lines (not doc comments) of `text` containing any of `needles`.
fn matches(text: &str, needles: &[&str]) -> usize {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("///") && !l.trim_start().starts_with("//!"))
        .filter(|l| needles.iter().any(|n| l.contains(n)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comments_do_not_count_as_code() {
        let text = "/// waits with fn wait\nfn wait_for() {}\n//! Uuid\nlet x = 500u32;\n";
        assert_eq!(matches(text, PROBES[0].needles), 1);
        assert_eq!(matches(text, PROBES[2].needles), 0);
        assert_eq!(matches(text, PROBES[5].needles), 1);
    }
}
