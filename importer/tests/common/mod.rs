//! Shared helpers: import from the vendor metadata into a temporary spec root.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::path::{Path, PathBuf};

use truebind_codegen::load::LoadedService;
use truebind_importer::alibaba::{self, Options, Report};

/// The current VPC metadata: the vendor reference data shipped beside the repository
/// (`shared/vendor/` in the nearest ancestor that has it), or `$TRUEBIND_VENDOR_DIR`.
pub fn metadata() -> PathBuf {
    let vendor = std::env::var_os("TRUEBIND_VENDOR_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|dir| dir.join("shared/vendor"))
                .find(|dir| dir.join("alibaba-vpc").is_dir())
        })
        .expect("vendor data not found: set TRUEBIND_VENDOR_DIR to the shared/vendor directory");
    vendor.join("alibaba-vpc/api-docs.en_us.json")
}

/// Options importing `actions` (all when empty) into `spec_dir`.
pub fn options(spec_dir: &Path, actions: &[&str]) -> Options {
    Options {
        metadata: metadata(),
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        directories: Vec::new(),
        spec_dir: spec_dir.to_path_buf(),
        service: None,
        show_vendor_text: false,
    }
}

/// Imports `actions` into `spec_dir`, panicking with the importer's message on failure.
pub fn import(spec_dir: &Path, actions: &[&str]) -> Report {
    alibaba::run(&options(spec_dir, actions)).unwrap_or_else(|e| panic!("{e}"))
}

/// Loads the service in `dir` with the generator and validates it, panicking with its diagnostics.
pub fn load_valid(dir: &Path) -> (LoadedService, truebind_codegen::ir::Service) {
    let loaded = truebind_codegen::load::load_service(dir).unwrap_or_else(|e| panic!("{e}"));
    let service = truebind_codegen::validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
    (loaded, service)
}
