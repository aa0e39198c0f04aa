//! The generator cannot be crashed, and its output does not depend on the machine.
//!
//! - `load_validate_generate_never_panics`: a property test over load →
//!   validate → emit. Inputs are the real spec services (and the fixture and
//!   `_base` specs) mutated at random: byte flips (also into invalid UTF-8),
//!   deleted, duplicated, swapped and re-indented lines, renamed keys, values
//!   swapped for values of other types, words replaced by other words of the
//!   same service (so references point at the wrong thing), random Unicode
//!   inserted, files truncated, deleted or copied. Every input must end in
//!   `Ok` or in spec diagnostics; a panic, or a valid spec whose emitted code
//!   does not parse, fails the test and prints the input. Runs 256 cases by
//!   default; set `PROPTEST_CASES` for more (the long run is recorded in the
//!   README).
//! - Valid but weird specs (Rust keywords as wire names, names starting with
//!   digits, Unicode, very long descriptions, empty lists) generate files
//!   that parse as Rust.
//! - Generation is byte-identical whatever order the spec files were created
//!   or handed over in.

mod workspace;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use truebind_codegen::{emit, load, validate};

/// A service's files: `(path relative to the service directory, bytes)`.
type Sources = Vec<(PathBuf, Vec<u8>)>;

/// Reads `service.yaml`, `types.yaml` and `actions/*.yaml` of a service directory.
fn read_service(dir: &Path) -> Sources {
    let mut files = Vec::new();
    for name in ["service.yaml", "types.yaml"] {
        if let Ok(bytes) = std::fs::read(dir.join(name)) {
            files.push((PathBuf::from(name), bytes));
        }
    }
    let mut actions: Vec<PathBuf> = std::fs::read_dir(dir.join("actions"))
        .expect("an actions directory")
        .map(|e| e.expect("entry").path())
        .collect();
    actions.sort();
    for path in actions {
        let name = path.file_name().expect("a file name").to_owned();
        let bytes = std::fs::read(&path).expect("readable action file");
        files.push((Path::new("actions").join(name), bytes));
    }
    files
}

/// One valid service to mutate, with the words it uses.
struct Seed {
    files: Sources,
    words: Vec<String>,
}

fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = workspace::root();
        let dirs = [
            root.join("spec/zenlayer-sdn"),
            // The two-action VPC spec written by hand before the import: the
            // same features as the imported 394 actions at 1/100 of the cost
            // per case (the full service made this test take ten minutes).
            root.join("importer/tests/fixtures/hand-spec/alibaba-vpc"),
            root.join("tests/fixtures/spec/kitchen-sink"),
            root.join("tests/fixtures/broken/_base"),
        ];
        dirs.iter()
            .map(|dir| {
                let files = read_service(dir);
                let mut words: Vec<String> = files
                    .iter()
                    .flat_map(|(_, bytes)| {
                        String::from_utf8_lossy(bytes)
                            .split(|c: char| !(c.is_alphanumeric() || "_$<>.-".contains(c)))
                            .filter(|w| !w.is_empty())
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                words.sort();
                words.dedup();
                Seed { files, words }
            })
            .collect()
    })
}

/// Keys of the spec format, plus near misses.
const KEYS: [&str; 36] = [
    "name",
    "type",
    "required",
    "description",
    "constraints",
    "min",
    "max",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "unique_by",
    "default",
    "example",
    "idempotency_token",
    "lenient",
    "input",
    "output",
    "paging",
    "items",
    "total",
    "page_size",
    "page_number",
    "errors",
    "code",
    "http_status",
    "vendor_status",
    "waiter",
    "status_enum",
    "max_ids",
    "values",
    "aliases",
    "requird",
    "Name",
    "en",
];

/// Values of every YAML shape, and nasty ones.
const VALUES: [&str; 34] = [
    "",
    "[]",
    "{}",
    "\"\"",
    "~",
    "null",
    "true",
    "no",
    "0",
    "-1",
    "2147483648",
    "-9223372036854775808",
    "99999999999999999999999",
    "1.5e308",
    ".nan",
    "string",
    "integer",
    "long",
    "list<string>",
    "map<integer>",
    "list<list<list<list<list<list<list<list<list<string>>>>>>>>>",
    "list<",
    "$ids",
    "[$ids]",
    "{ $ids: $ids }",
    "Self",
    "type",
    "_",
    "$",
    "3D",
    "\"a: b\"",
    "&anchor x",
    "*anchor",
    "!!binary aGVsbG8=",
];

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte { at: usize, byte: u8 },
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Indent { line: usize, deeper: bool },
    RenameKey { line: usize, key: usize },
    ReplaceValue { line: usize, value: usize },
    ReplaceWord { from: usize, to: usize },
    Insert { at: usize, text: String },
    Truncate(usize),
}

#[derive(Debug, Clone)]
enum FileOp {
    Mutate {
        file: usize,
        mutations: Vec<Mutation>,
    },
    Delete(usize),
    CopyAs {
        file: usize,
        name: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 0..100_000usize;
    prop_oneof![
        (n.clone(), any::<u8>()).prop_map(|(at, byte)| Mutation::FlipByte { at, byte }),
        n.clone().prop_map(Mutation::DeleteLine),
        n.clone().prop_map(Mutation::DuplicateLine),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (n.clone(), any::<bool>()).prop_map(|(line, deeper)| Mutation::Indent { line, deeper }),
        (n.clone(), 0..KEYS.len()).prop_map(|(line, key)| Mutation::RenameKey { line, key }),
        (n.clone(), 0..VALUES.len())
            .prop_map(|(line, value)| Mutation::ReplaceValue { line, value }),
        (n.clone(), n.clone()).prop_map(|(from, to)| Mutation::ReplaceWord { from, to }),
        (n.clone(), "\\PC{0,8}").prop_map(|(at, text)| Mutation::Insert { at, text }),
        n.prop_map(Mutation::Truncate),
    ]
}

fn file_op() -> impl Strategy<Value = FileOp> {
    prop_oneof![
        8 => (0..32usize, prop::collection::vec(mutation(), 1..4))
            .prop_map(|(file, mutations)| FileOp::Mutate { file, mutations }),
        1 => (0..32usize).prop_map(FileOp::Delete),
        1 => (0..32usize, 0..100_000usize).prop_map(|(file, name)| FileOp::CopyAs { file, name }),
    ]
}

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.join(&b'\n')
}

/// Replaces what follows the first `:` of a line (or the line's start, when it has none).
fn replace_after_colon(line: &[u8], with: &[u8], key: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(line);
    let Some(colon) = text.find(':') else {
        return line.to_vec();
    };
    let (head, tail) = text.split_at(colon);
    let with = String::from_utf8_lossy(with);
    let out = if key {
        let indent: String = head
            .chars()
            .take_while(|c| c.is_whitespace() || *c == '-' || *c == '{')
            .collect();
        format!("{indent}{with}{tail}")
    } else {
        format!("{head}: {with}")
    };
    out.into_bytes()
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation, words: &[String]) {
    let mut ls = lines(bytes);
    let count = ls.len().max(1);
    match m {
        Mutation::FlipByte { at, byte } => {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = *byte;
            }
            return;
        }
        Mutation::DeleteLine(n) => {
            if !ls.is_empty() {
                ls.remove(n % ls.len());
            }
        }
        Mutation::DuplicateLine(n) => {
            let n = n % count;
            if let Some(line) = ls.get(n).cloned() {
                ls.insert(n, line);
            }
        }
        Mutation::SwapLines(a, b) => {
            if !ls.is_empty() {
                let len = ls.len();
                ls.swap(a % len, b % len);
            }
        }
        Mutation::Indent { line, deeper } => {
            if let Some(l) = ls.get_mut(line % count) {
                if *deeper {
                    l.splice(0..0, *b"  ");
                } else if l.starts_with(b"  ") {
                    l.drain(0..2);
                }
            }
        }
        Mutation::RenameKey { line, key } => {
            if let Some(l) = ls.get_mut(line % count) {
                *l = replace_after_colon(l, KEYS[*key].as_bytes(), true);
            }
        }
        Mutation::ReplaceValue { line, value } => {
            if let Some(l) = ls.get_mut(line % count) {
                *l = replace_after_colon(l, VALUES[*value].as_bytes(), false);
            }
        }
        Mutation::ReplaceWord { from, to } => {
            if !words.is_empty() {
                let from = &words[from % words.len()];
                let to = &words[to % words.len()];
                let text = String::from_utf8_lossy(bytes).replace(from.as_str(), to);
                *bytes = text.into_bytes();
            }
            return;
        }
        Mutation::Insert { at, text } => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, text.bytes());
            return;
        }
        Mutation::Truncate(n) => {
            bytes.truncate(n % (bytes.len() + 1));
            return;
        }
    }
    *bytes = join(&ls);
}

/// The seed's files with `ops` applied.
fn mutated(seed: &Seed, ops: &[FileOp]) -> Sources {
    let mut files = seed.files.clone();
    for op in ops {
        if files.is_empty() {
            break;
        }
        match op {
            FileOp::Mutate { file, mutations } => {
                let len = files.len();
                let bytes = &mut files[file % len].1;
                for m in mutations {
                    apply(bytes, m, &seed.words);
                }
            }
            FileOp::Delete(file) => {
                let len = files.len();
                files.remove(file % len);
            }
            FileOp::CopyAs { file, name } => {
                let len = files.len();
                let bytes = files[file % len].1.clone();
                let word = &seed.words[name % seed.words.len()];
                files.push((Path::new("actions").join(format!("{word}.yaml")), bytes));
            }
        }
    }
    files
}

/// Runs load → validate → emit; `Err` describes a bug (not a spec problem).
fn pipeline(files: Sources) -> Result<(), String> {
    let dir = Path::new("spec/fuzzed");
    let checked =
        load::load_service_from_sources(dir, files).and_then(|loaded| validate::validate(&loaded));
    match checked {
        Err(errors) => {
            if errors.is_empty() {
                return Err("the spec was refused without a diagnostic".into());
            }
            let rendered = errors.to_string();
            if !rendered.ends_with("nothing was generated.") {
                return Err(format!("odd rendering:\n{rendered}"));
            }
            Ok(())
        }
        Ok(service) => emit::service_files(&service, Path::new("spec"), Path::new("generated"))
            .map(drop)
            .map_err(|e| format!("a spec that passed validation emitted invalid Rust: {e}")),
    }
}

fn describe(files: &Sources) -> String {
    files
        .iter()
        .map(|(path, bytes)| format!("--- {}\n{}", path.display(), String::from_utf8_lossy(bytes)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the pipeline, turning a panic into an error that carries the input.
fn survives(files: Sources) -> Result<(), String> {
    let shown = describe(&files);
    match catch_unwind(AssertUnwindSafe(|| pipeline(files))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(bug)) => Err(format!("{bug}\ninput:\n{shown}")),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("the pipeline panicked: {what}\ninput:\n{shown}"))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // `PROPTEST_CASES` overrides the default of 256 (read by `ProptestConfig::default`).
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn load_validate_generate_never_panics(
        seed in 0..4usize,
        ops in prop::collection::vec(file_op(), 1..4),
    ) {
        let seed = &seeds()[seed];
        let files = mutated(seed, &ops);
        if let Err(bug) = survives(files) {
            prop_assert!(false, "{}", bug);
        }
    }

    /// Wherever the loader's fast YAML path reads a mutated file, serde-saphyr
    /// reads the same value (`load::fast_path_check`).
    #[test]
    fn the_fast_yaml_path_agrees_with_serde_saphyr_on_mutated_files(
        seed in 0..4usize,
        ops in prop::collection::vec(file_op(), 1..4),
    ) {
        for (path, bytes) in mutated(&seeds()[seed], &ops) {
            if let Ok(text) = std::str::from_utf8(&bytes)
                && let Err(disagreement) = load::fast_path_check(text)
            {
                prop_assert!(false, "{}: {}", path.display(), disagreement);
            }
        }
    }
}

#[test]
fn the_unmutated_seeds_are_valid() {
    for seed in seeds() {
        let loaded = load::load_service_from_sources(Path::new("spec/seed"), seed.files.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Inputs that once crashed or confused the generator.
#[test]
fn known_crashers_are_reported_not_panicked() {
    let base = &seeds()[3];
    let cases: [(&str, &str, &str); 4] = [
        // A field name with no letters once became the identifier `_`.
        ("actions/CreateThing.yaml", "name: size", "name: \"_\""),
        // A type nested thousands of levels deep once overflowed the stack.
        (
            "actions/CreateThing.yaml",
            "type: integer",
            &format!("type: {}integer{}", "list<".repeat(5000), ">".repeat(5000)),
        ),
        // A middle step of the paging path that is a list once produced code that did not compile.
        (
            "actions/DescribeThings.yaml",
            "items: dataSet",
            "items: dataSet.dataSet",
        ),
        // An empty fixup `find` matched everywhere.
        (
            "actions/CreateThing.yaml",
            "'{\"requestId\": \"r-1\", \"thingId\": \"t-1\"}'",
            "'{}'\n    fixups:\n      - { name: empty, reason: none, find: \"\", replace: x }",
        ),
    ];
    for (file, find, replace) in cases {
        let mut files = base.files.clone();
        for (path, bytes) in &mut files {
            if path == Path::new(file) {
                let text = String::from_utf8_lossy(bytes).to_string();
                assert!(text.contains(find), "{file} lacks {find}");
                *bytes = text.replacen(find, replace, 1).into_bytes();
            }
        }
        let loaded = load::load_service_from_sources(Path::new("spec/crash"), files.clone());
        let result = loaded.and_then(|l| validate::validate(&l).map(drop));
        assert!(result.is_err(), "{find} → {replace} was accepted");
        survives(files).unwrap_or_else(|bug| panic!("{bug}"));
    }
}

/// A valid spec that uses every awkward name the generator must cope with.
fn weird_but_valid() -> Sources {
    let service = "name: weird-names\ntitle: Weird\ndescription: Awkward but valid names.\n\
        protocol: alibaba-rpc\napi_version: \"2024-01-01\"\nendpoint: https://weird.example.com\n\
        request_id_field: RequestId\n";
    let long = "Very long description. ".repeat(5_000);
    let types = format!(
        r#"structures:
  - name: Keywords
    description: Wire names that are Rust keywords.
    fields:
      - {{ name: type, type: string, required: true, description: "{long}" }}
      - {{ name: ref, type: integer, description: ref. }}
      - {{ name: match, type: boolean, description: match. }}
      - {{ name: self, type: string, description: self. }}
      - {{ name: crate, type: string, description: crate. }}
      - {{ name: super, type: string, description: super. }}
      - {{ name: async, type: string, description: async. }}
      - {{ name: 3dModel, type: string, description: Starts with a digit. }}
      - {{ name: fn, type: "list<Empty>", description: An empty structure. }}
  - name: MoreKeywords
    description: The keyword spelled with a capital.
    fields:
      - {{ name: Self, type: string, description: Self. }}
      - {{ name: loop, type: Keywords, description: Nested. }}
  - name: Empty
    description: "Ünïcödé 描述 and no fields: 🚀"
    fields: []
  - name: Rules
    description: Named like the runtime's rule type, with a checked field.
    fields:
      - {{ name: limit, type: integer, constraints: {{ min: 1, max: 5 }}, description: A limit. }}
enums:
  - name: Odd
    description: Values that are keywords, digits and Unicode.
    values:
      - {{ value: type }}
      - {{ value: Self }}
      - {{ value: crate }}
      - {{ value: 3D }}
      - {{ value: "已创建", description: Unicode. }}
  - name: Single
    description: An enum with one known value.
    values:
      - {{ value: only }}
"#
    );
    let action = r#"name: MatchThings
summary: An action with keyword parameters.
kind: read
input:
  - { name: type, type: Odd, description: An enum parameter. }
  - { name: async, type: MoreKeywords, description: A structure parameter. }
  - { name: Self, type: "map<Single>", description: A map of an enum. }
  - { name: Rules, type: Rules, description: A structure named like a runtime type. }
output:
  - { name: RequestId, type: string, description: Request id. }
  - { name: super, type: "list<Keywords>", description: Records. }
errors:
  - { http_status: 400, code: match, description: A keyword code. }
  - { http_status: 400, code: Self, message: a, description: Another. }
  - { http_status: 400, code: Self, message: b, description: Same code and another message. }
  - { vendor_status: 1, code: 3D.Error, description: Starts with a digit. }
examples:
  - title: Keywords on the wire
    request: '{"type": "crate", "async": {"Self": "x", "loop": {"type": "t", "ref": 1}}}'
    response: '{"RequestId": "r", "super": [{"type": "t", "3dModel": "m"}]}'
"#;
    let empty_action = "name: Loop\nsummary: Nothing in, request id out.\nkind: write\n\
        output:\n  - { name: RequestId, type: string, description: Request id. }\n";
    vec![
        (PathBuf::from("service.yaml"), service.as_bytes().to_vec()),
        (PathBuf::from("types.yaml"), types.into_bytes()),
        (
            PathBuf::from("actions/MatchThings.yaml"),
            action.as_bytes().to_vec(),
        ),
        (
            PathBuf::from("actions/Loop.yaml"),
            empty_action.as_bytes().to_vec(),
        ),
    ]
}

#[test]
fn keyword_digit_and_unicode_names_generate_rust_that_parses() {
    let loaded = load::load_service_from_sources(Path::new("spec/weird-names"), weird_but_valid())
        .unwrap_or_else(|e| panic!("{e}"));
    let service = validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    let files = emit::service_files(&service, Path::new("spec"), Path::new("generated"))
        .expect("valid Rust");
    let mut parsed = 0;
    for file in &files {
        if file.path.extension().is_some_and(|e| e == "rs") {
            syn::parse_file(&file.contents).unwrap_or_else(|e| {
                panic!(
                    "{} does not parse: {e}\n{}",
                    file.path.display(),
                    file.contents
                )
            });
            parsed += 1;
        }
    }
    assert!(parsed >= 6, "only {parsed} Rust files");
    let types = files
        .iter()
        .find(|f| f.path.ends_with("src/types.rs"))
        .expect("types.rs");
    for expected in [
        "pub r#type: String",
        "r#ref",
        "r#match",
        "self_",
        "crate_",
        "super_",
        "r#async",
        "n3d_model",
        // A spec type named like a runtime type sits next to the runtime's, qualified.
        "pub struct Rules",
        "rt::Rules::NONE.min(1).max(5)",
    ] {
        assert!(
            types.contents.contains(expected),
            "types.rs lacks `{expected}`"
        );
    }
    let operation = files
        .iter()
        .find(|f| f.path.ends_with("src/operation/match_things.rs"))
        .expect("the MatchThings action's module");
    assert!(
        operation.contents.contains("(\"Self\", &self.self_)"),
        "the wire name `Self` is kept for the field `self_`"
    );
}

/// Compiles the weird-but-valid spec's crate: slow (builds the runtime's dependencies once),
/// so run it on demand: `cargo test -p truebind-tests --test fuzz_spec -- --ignored`.
#[test]
#[ignore = "slow: builds a generated crate with cargo"]
fn keyword_digit_and_unicode_names_generate_a_crate_that_compiles() {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path();
    let loaded = load::load_service_from_sources(Path::new("spec/weird-names"), weird_but_valid())
        .unwrap_or_else(|e| panic!("{e}"));
    let service = validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    // The crate sits at `<root>/generated/weird-names`; its runtime path is `../../runtime`.
    let files = emit::service_files(&service, Path::new("spec"), Path::new("generated"))
        .expect("valid Rust");
    for file in &files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, &file.contents).expect("write");
    }
    // A workspace like ours (same shared settings and lock file) holding the runtime and the crate.
    let ours = workspace::root();
    let manifest = std::fs::read_to_string(ours.join("Cargo.toml")).expect("manifest");
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .expect("a members line");
    let manifest = manifest.replace(members, r#"members = ["runtime", "generated/weird-names"]"#);
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write the manifest");
    std::fs::copy(ours.join("Cargo.lock"), root.join("Cargo.lock"))
        .expect("pin dependency versions");
    let runtime = std::fs::canonicalize(ours.join("runtime")).expect("runtime");
    std::os::unix::fs::symlink(runtime, root.join("runtime")).expect("link the runtime");
    let target = ours.join("target/weird-names");
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "clippy",
            "-p",
            "weird-names",
            "--all-targets",
            // `serde` and `test-util` too: their code names fields and types as well.
            "--all-features",
            "--offline",
            "--quiet",
        ])
        .arg("--target-dir")
        .arg(&target)
        .args(["--", "-D", "warnings"])
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated crate does not build cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Its generated tests (documented examples) and doctests pass too.
    let output = std::process::Command::new(env!("CARGO"))
        .args(["test", "-p", "weird-names", "--offline", "--quiet"])
        .arg("--target-dir")
        .arg(&target)
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated crate's tests fail:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generation_does_not_depend_on_file_order() {
    let root_a = tempfile::tempdir().expect("temp dir");
    let root_b = tempfile::tempdir().expect("temp dir");
    let spec = Path::new("spec");
    let out = Path::new("generated");
    let mut services = Vec::new();
    for dir in ["spec/zenlayer-sdn", "spec/alibaba-vpc"] {
        let dir = workspace::root().join(dir);
        let name = dir.file_name().expect("name").to_owned();
        services.push((name, read_service(&dir)));
    }
    // Create the files in opposite orders (services too), so directory listing orders differ.
    for (root, reverse) in [(root_a.path(), false), (root_b.path(), true)] {
        let mut order: Vec<(PathBuf, &Vec<u8>)> = services
            .iter()
            .flat_map(|(name, files)| {
                files
                    .iter()
                    .map(move |(rel, bytes)| (spec.join(name).join(rel), bytes))
            })
            .collect();
        if reverse {
            order.reverse();
        }
        for (rel, bytes) in order {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(path, bytes).expect("write");
        }
    }
    let a = truebind_codegen::generate(root_a.path(), spec, out).unwrap_or_else(|e| panic!("{e}"));
    let b = truebind_codegen::generate(root_b.path(), spec, out).unwrap_or_else(|e| panic!("{e}"));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.contents == y.contents, "{} differs", x.path.display());
    }
    // The same holds for files handed over in memory in any order.
    let (_, files) = &services[0];
    let mut reversed = files.clone();
    reversed.reverse();
    let dir = Path::new("spec/zenlayer-sdn");
    let forward = load::load_service_from_sources(dir, files.clone()).expect("loads");
    let backward = load::load_service_from_sources(dir, reversed).expect("loads");
    let forward = validate::validate(&forward).expect("valid");
    let backward = validate::validate(&backward).expect("valid");
    assert_eq!(format!("{forward:?}"), format!("{backward:?}"));
}
