//! A spec is untrusted input: hostile spec trees and texts are refused or made harmless.
//!
//! The broken-spec corpus (`diagnostics.rs`) holds the hostile texts that are
//! refused with a located diagnostic. This file holds what a corpus directory
//! cannot: file-system tricks built in a temporary directory (links leaving
//! the spec tree, devices, FIFOs, directory names with quotes and newlines),
//! and hostile prose that is accepted but must not become a doctest or HTML.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use truebind_codegen::emit::GeneratedFile;
use truebind_codegen::{load, validate};

const BASE: &str = "fixtures/broken/_base";

/// The base spec's files as `(path relative to the service, text)`.
fn base_files() -> Vec<(PathBuf, String)> {
    let base = Path::new(BASE);
    let mut files = Vec::new();
    for rel in ["service.yaml", "types.yaml"] {
        files.push(PathBuf::from(rel));
    }
    for entry in std::fs::read_dir(base.join("actions")).expect("base actions") {
        let name = entry.expect("entry").file_name();
        files.push(Path::new("actions").join(name));
    }
    files
        .into_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(base.join(&rel)).expect("base file");
            (rel, text)
        })
        .collect()
}

/// Writes the base spec to `root/<service>/` and returns that directory.
fn write_base(root: &Path, service: &str) -> PathBuf {
    let dir = root.join(service);
    for (rel, text) in base_files() {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// Loads `dir` on another thread, so a loader that blocks fails the test instead of hanging it.
fn load_within_seconds(dir: &Path) -> Result<load::LoadedService, String> {
    let (send, receive) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = send.send(load::load_service(&dir).map_err(|e| e.to_string()));
    });
    receive
        .recv_timeout(Duration::from_secs(10))
        .expect("the loader finished within 10 s")
}

#[test]
fn an_action_file_linked_to_dev_zero_is_refused_without_reading_it() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = write_base(temp.path(), "tiny");
    std::os::unix::fs::symlink("/dev/zero", dir.join("actions/Zero.yaml")).expect("link");
    let shown = load_within_seconds(&dir).expect_err("refused");
    assert!(shown.contains("actions/Zero.yaml"), "{shown}");
    assert!(shown.contains("leads outside the spec"), "{shown}");
}

#[test]
fn a_fifo_and_a_chain_of_links_to_a_device_are_refused_without_blocking() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = write_base(temp.path(), "tiny");
    let fifo = dir.join("actions/Fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let shown = load_within_seconds(&dir).expect_err("refused");
    assert!(
        shown.contains("Fifo.yaml: this is a FIFO, not a regular file"),
        "{shown}"
    );
    std::fs::remove_file(&fifo).expect("remove fifo");
    // A link to a link inside the tree is judged by where the chain ends: at a device, outside.
    let dev = temp.path().join("zero");
    std::os::unix::fs::symlink("/dev/zero", &dev).expect("link");
    std::os::unix::fs::symlink(&dev, dir.join("types.yaml.link")).expect("link");
    std::fs::remove_file(dir.join("types.yaml")).expect("remove");
    std::fs::rename(dir.join("types.yaml.link"), dir.join("types.yaml")).expect("rename");
    let shown = load_within_seconds(&dir).expect_err("refused");
    assert!(shown.contains("leads outside the spec"), "{shown}");
}

#[test]
fn a_link_to_a_credentials_file_is_refused_and_never_quoted() {
    let temp = tempfile::tempdir().expect("temp dir");
    let secret = temp.path().join("credentials");
    std::fs::write(
        &secret,
        "[default]\naws_secret_access_key = SECRET-TOKEN-123\n",
    )
    .expect("w");
    let spec = temp.path().join("spec");
    let dir = write_base(&spec, "tiny");
    std::fs::remove_file(dir.join("types.yaml")).expect("remove");
    std::os::unix::fs::symlink(&secret, dir.join("types.yaml")).expect("link");
    let shown = load_within_seconds(&dir).expect_err("refused");
    assert!(!shown.contains("SECRET-TOKEN"), "{shown}");
    assert!(shown.contains("types.yaml"), "{shown}");
    assert!(shown.contains("leads outside the spec"), "{shown}");
}

#[test]
fn links_inside_the_spec_tree_are_followed() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = write_base(temp.path(), "tiny");
    let shared = temp.path().join("shared-types.yaml");
    std::fs::rename(dir.join("types.yaml"), &shared).expect("move");
    std::os::unix::fs::symlink(&shared, dir.join("types.yaml")).expect("link");
    let loaded = load_within_seconds(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.types.1.structures.len(), 1);
}

#[test]
fn a_service_directory_linked_outside_the_spec_root_is_refused() {
    let temp = tempfile::tempdir().expect("temp dir");
    let elsewhere = write_base(temp.path(), "elsewhere");
    let spec = temp.path().join("spec");
    std::fs::create_dir_all(&spec).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, spec.join("tiny")).expect("link");
    let err = truebind_codegen::generate(temp.path(), Path::new("spec"), Path::new("generated"))
        .expect_err("refused");
    assert!(err.to_string().contains("leads outside the spec"), "{err}");
}

#[test]
fn a_spec_directory_name_cannot_reach_the_manifest() {
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = temp.path().join("spec");
    write_base(&spec, "tiny\"\nbuild = \"evil.rs");
    let result = truebind_codegen::generate(temp.path(), Path::new("spec"), Path::new("out"));
    let err = match result {
        Err(err) => err.to_string(),
        Ok(files) => {
            let manifest = files.iter().find(|f| f.path.ends_with("Cargo.toml"));
            panic!(
                "accepted; the manifest is:\n{}",
                manifest.expect("a manifest").contents
            );
        }
    };
    assert!(err.contains("is not a kebab-case name"), "{err}");
    assert!(
        err.contains(r#"tiny\"\nbuild"#),
        "the name is shown escaped: {err}"
    );
}

/// Marks every hostile line, so the test can tell whose code block it is in.
const HOSTILE: &str = "HOSTILE";

/// The base spec with hostile Markdown in prose, a field example, an example title and an error message.
fn hostile_sources() -> Vec<(PathBuf, Vec<u8>)> {
    let description = "Intro.\n\n```\nstd::process::abort(); // HOSTILE\n```\n\n    HOSTILE();\n\n\
        > ```\n> HOSTILE();\n> ```\n\n-     HOSTILE();\n\n~~~rust\nHOSTILE();\n~~~\n\n\
        <script>HOSTILE</script> &#x202E; [HOSTILE](javascript:alert(1))\n\
        a span opened ` here\nand closed ` <script>HOSTILE</script> `x` later";
    let replacements = [
        (
            "summary: Creates a thing.",
            format!(
                "summary: Creates a thing.\ndescription: {}",
                yaml(description)
            ),
        ),
        (
            "    description: Size.",
            format!(
                "    description: Size.\n    unit: {}",
                yaml("MB\n```\nHOSTILE();\n```")
            ),
        ),
        (
            "description: Name.",
            format!(
                "description: Name.\n    example: {}",
                yaml("a\n```rust\nHOSTILE();\n```\n<img src=x onerror=HOSTILE>")
            ),
        ),
        (
            "title: Create one",
            format!("title: {}", yaml("one\n```\nHOSTILE();")),
        ),
        (
            "message: The name is invalid.",
            format!("message: {}", yaml("``` HOSTILE(); <b>")),
        ),
    ];
    base_files()
        .into_iter()
        .map(|(rel, mut text)| {
            if rel == Path::new("actions/CreateThing.yaml") {
                for (old, new) in &replacements {
                    assert!(text.contains(old), "the base spec changed: {old}");
                    text = text.replacen(old, new, 1);
                }
            }
            (rel, text.into_bytes())
        })
        .collect()
}

/// A YAML double-quoted string.
fn yaml(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// The doc lines (`///`, `//!`) of a generated Rust file, without their markers.
fn doc_lines(file: &GeneratedFile) -> Vec<&str> {
    file.contents
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("///").or_else(|| l.strip_prefix("//!"))
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect()
}

/// A doc line without its block quote and list markers.
fn without_containers(line: &str) -> &str {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        let next = trimmed
            .strip_prefix('>')
            .or_else(|| trimmed.strip_prefix("- "))
            .or_else(|| trimmed.strip_prefix("* "));
        match next {
            Some(inner) => rest = inner,
            None => return rest,
        }
    }
}

#[test]
fn hostile_prose_never_opens_a_code_block_or_raw_html() {
    let loaded = load::load_service_from_sources(Path::new("tiny"), hostile_sources())
        .unwrap_or_else(|e| panic!("{e}"));
    let service = validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    let files =
        truebind_codegen::emit::service_files(&service, Path::new("spec"), Path::new("out"))
            .expect("emits");
    let mut problems = Vec::new();
    let mut seen_hostile = false;
    for file in files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
    {
        let mut in_block = false;
        for line in doc_lines(file) {
            seen_hostile |= line.contains(HOSTILE);
            let bare = without_containers(line);
            let fence =
                bare.trim_start().starts_with("```") || bare.trim_start().starts_with("~~~");
            if fence {
                if !in_block && bare.trim() != "```no_run" {
                    problems.push(format!("{}: opens a block: {line}", file.path.display()));
                }
                in_block = !in_block;
                continue;
            }
            if in_block && line.contains(HOSTILE) {
                problems.push(format!(
                    "{}: spec text in a block: {line}",
                    file.path.display()
                ));
            }
            if !in_block && bare.starts_with("    ") {
                problems.push(format!("{}: indented code: {line}", file.path.display()));
            }
            for html in ["<script", "<img", "<b>", "&#x202E;"] {
                if line.contains(html) {
                    problems.push(format!("{}: raw `{html}`: {line}", file.path.display()));
                }
            }
            if line.contains("[HOSTILE](") {
                problems.push(format!("{}: a link: {line}", file.path.display()));
            }
        }
        assert!(
            !in_block,
            "{}: a code block is left open",
            file.path.display()
        );
    }
    assert!(seen_hostile, "the hostile text reaches the docs (escaped)");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
