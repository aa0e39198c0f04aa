//! Shared helpers of the Zenlayer importer tests: the stored pages and seeds,
//! importing them into a temporary spec root, and the prose a spec holds.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::path::{Path, PathBuf};

use truebind_codegen::load::LoadedService;
use truebind_codegen::model::{Field, Text};
use truebind_importer::zenlayer::{self, Options, Report};

/// The vendor reference data: `shared/vendor/` in the nearest ancestor that has it,
/// or `$TRUEBIND_VENDOR_DIR`.
pub fn vendor() -> PathBuf {
    std::env::var_os("TRUEBIND_VENDOR_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|dir| dir.join("shared/vendor"))
                .find(|dir| dir.join("zenlayer-sdn").is_dir())
        })
        .expect("vendor data not found: set TRUEBIND_VENDOR_DIR to the shared/vendor directory")
}

/// The seed pages (`shared/seeds/`, beside `shared/vendor/`).
pub fn seed(name: &str) -> PathBuf {
    vendor().with_file_name("seeds").join(name)
}

/// The stored pages whose file names `keep` accepts, sorted.
pub fn pages(keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let dir = vendor().join("zenlayer-sdn/pages");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.ends_with(".md") && name != "README.md" && keep(name)
        })
        .collect();
    out.sort();
    out
}

/// Imports `pages` into `spec_dir`, panicking with the importer's message on failure.
pub fn import(spec_dir: &Path, pages: &[PathBuf]) -> Report {
    zenlayer::run(&Options {
        pages: pages.to_vec(),
        spec_dir: spec_dir.to_path_buf(),
        service: None,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Loads the service in `dir` with the generator and validates it, panicking with its diagnostics.
pub fn load_valid(dir: &Path) -> (LoadedService, truebind_codegen::ir::Service) {
    let loaded = truebind_codegen::load::load_service(dir).unwrap_or_else(|e| panic!("{e}"));
    let service = truebind_codegen::validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    (loaded, service)
}

/// Sentences long enough to be prose rather than a name, normalized.
pub fn sentences(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(['.', '\n', '。', '<', '>', '|'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| s.split(' ').count() >= 4 || s.chars().count() >= 8 && !s.is_ascii())
}

/// Every piece of prose a loaded spec holds.
pub fn prose_of(svc: &LoadedService) -> Vec<String> {
    let mut texts: Vec<&Text> = vec![&svc.service.1.description];
    let mut fields: Vec<&Field> = Vec::new();
    for s in &svc.types.1.structures {
        texts.push(&s.description);
        fields.extend(&s.fields);
    }
    for (_, a) in &svc.actions {
        texts.push(&a.summary);
        texts.extend(&a.description);
        texts.extend(a.errors.iter().map(|e| &e.description));
        fields.extend(a.input.iter().chain(&a.output));
    }
    texts.extend(fields.iter().map(|f| &f.description));
    let mut out: Vec<String> = texts
        .iter()
        .flat_map(|t| [Some(t.en()), t.zh()])
        .flatten()
        .map(str::to_owned)
        .collect();
    out.extend(
        svc.actions
            .iter()
            .flat_map(|(_, a)| a.errors.iter().filter_map(|e| e.message.clone())),
    );
    out
}
