//! `truebind-peers OPENAPI.json OUT_DIR NAME`: generates a client crate with progenitor,
//! the peer `cargo xtask bench peers` compares truebind with.
//!
//! It does what a progenitor user does without the proc macro: parse the document,
//! call `Generator::generate_tokens`, format with prettyplease (as truebind does, so line
//! counts compare like with like) and write `Cargo.toml` plus `src/lib.rs`. The crate's
//! dependencies are the ones progenitor's own generated crates need, pinned to the
//! progenitor release this binary is built with.

use std::path::Path;
use std::process::ExitCode;

/// The `[dependencies]` of a generated crate: progenitor's client support at the
/// generator's exact version, and what the generated code names directly.
const DEPENDENCIES: &str = r#"progenitor-client = "=0.15.1"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
futures = "0.3"
"#;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out, name] = args.as_slice() else {
        eprintln!("usage: truebind-peers OPENAPI.json OUT_DIR CRATE_NAME");
        return ExitCode::from(2);
    };
    match generate(Path::new(input), Path::new(out), name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(input: &Path, out: &Path, name: &str) -> Result<(), String> {
    let text =
        std::fs::read_to_string(input).map_err(|e| format!("reading {}: {e}", input.display()))?;
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", input.display()))?;
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("parsing the output: {e}"))?;
    let source = prettyplease::unparse(&file);
    let write = |path: &Path, contents: &str| {
        std::fs::create_dir_all(path.parent().unwrap_or(out))
            .and_then(|()| std::fs::write(path, contents))
            .map_err(|e| format!("writing {}: {e}", path.display()))
    };
    write(
        &out.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{DEPENDENCIES}"
        ),
    )?;
    write(&out.join("src/lib.rs"), &source)
}
