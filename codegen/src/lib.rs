//! truebind-codegen: turns the YAML API spec into Rust client crates.
//!
//! The pipeline reads in one direction, one module per step:
//! [`load`] (YAML files → [`model`]) → [`validate`] (model → [`ir`], every
//! problem reported as a [`diagnostics::Diagnostic`]) → [`emit`] (IR → file
//! contents) → [`write`](mod@write) (plan, then write or check). [`generate`] runs the
//! first three steps for every service under a spec directory; [`generate_all`]
//! does so for every target and adds the spec's JSON Schemas ([`schema`]).
#![deny(missing_docs)]

mod chars;
pub mod diagnostics;
pub mod emit;
pub mod files;
pub mod ir;
pub mod load;
pub mod model;
pub mod names;
mod parallel;
pub mod schema;
pub mod validate;
pub mod write;

use std::path::Path;

use diagnostics::{Diagnostic, SpecErrors};
use emit::GeneratedFile;

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has problems; nothing was generated.
    #[error("{0}")]
    Spec(SpecErrors),
    /// The generator produced invalid Rust (a bug in the generator).
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
}

/// Spec roots and the directories their crates are generated into, relative to the
/// workspace root. The fixture spec uses every feature of the format; generating it
/// into a workspace member means its output is compiled, linted and tested too.
pub const TARGETS: [(&str, &str); 2] = [
    ("spec", "generated"),
    ("tests/fixtures/spec", "tests/fixtures/generated"),
];

/// Everything `cargo xtask codegen` produces, grouped by output directory
/// (relative to `root`): every [`TARGETS`] pair, then the spec's JSON Schemas.
/// Spec problems of all targets are reported together.
pub fn generate_all(root: &Path) -> Result<Vec<(&'static Path, Vec<GeneratedFile>)>, Error> {
    generate_all_with_ir(root).map(|(outputs, _)| outputs)
}

/// Output directories and their files.
pub type Outputs = Vec<(&'static Path, Vec<GeneratedFile>)>;

/// Spec roots and their validated services.
pub type SpecServices = Vec<(&'static Path, Vec<ir::Service>)>;

/// [`generate_all`], also returning each [`TARGETS`] spec root with its validated
/// services (see [`generate_with_ir`]).
pub fn generate_all_with_ir(root: &Path) -> Result<(Outputs, SpecServices), Error> {
    let mut outputs = Vec::new();
    let mut specs = Vec::new();
    let mut errors = SpecErrors::default();
    for (spec, out) in TARGETS {
        match generate_with_ir(root, Path::new(spec), Path::new(out)) {
            Ok(generated) => {
                outputs.push((Path::new(out), generated.files));
                specs.push((Path::new(spec), generated.services));
            }
            Err(Error::Spec(e)) => errors.extend(e),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Spec(errors));
    }
    let schema_dir = Path::new(schema::SCHEMA_DIR);
    outputs.push((schema_dir, schema::files(schema_dir)));
    Ok((outputs, specs))
}

/// What [`generate_with_ir`] made of one spec root.
#[derive(Debug)]
pub struct Generated {
    /// Every validated service under the spec root, sorted by crate name.
    pub services: Vec<ir::Service>,
    /// The emitted files, as [`generate`] returns them.
    pub files: Vec<GeneratedFile>,
}

/// Loads, validates and emits every service under `root/spec` into `out`.
///
/// `spec` and `out` are relative to the workspace `root`; returned paths start
/// with `out`, and generated headers name `spec`, so output never depends on
/// where the workspace lives. Spec problems of all services are gathered
/// before returning, so one run shows every problem.
pub fn generate(root: &Path, spec: &Path, out: &Path) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_ir(root, spec, out).map(|generated| generated.files)
}

/// [`generate`], keeping the validated services: `cargo xtask codegen` compares them
/// with the spec at git HEAD, so it need not load and validate the spec a second time.
pub fn generate_with_ir(root: &Path, spec: &Path, out: &Path) -> Result<Generated, Error> {
    let spec_root = if root == Path::new(".") {
        spec.to_path_buf()
    } else {
        root.join(spec)
    };
    let dirs = load::service_dirs(&spec_root).map_err(|e| {
        let mut errors = SpecErrors::default();
        errors.push(Diagnostic::file(
            &spec_root,
            format!("cannot list spec directories: {e}"),
        ));
        Error::Spec(errors)
    })?;
    let mut errors = SpecErrors::default();
    let mut services: Vec<ir::Service> = Vec::new();
    let mut spent = Vec::new();
    for dir in dirs {
        if let Some(problem) = dir_name_problem(&dir) {
            errors.push(problem);
            continue;
        }
        let validated = load::load_service(&dir).and_then(|loaded| {
            let service = validate::validate(&loaded);
            spent.push(loaded);
            service
        });
        match validated {
            Ok(service) => {
                if let Some(other) = services.iter().find(|s| s.crate_name == service.crate_name) {
                    errors.push(
                        Diagnostic::file(
                            &dir.join("service.yaml"),
                            format!(
                                "crate name `{}` is also used by spec/{}",
                                service.crate_name, other.dir
                            ),
                        )
                        .help("give each service its own `name`"),
                    );
                }
                services.push(service);
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        errors.sort();
        return Err(Error::Spec(errors));
    }
    // The loaded files are freed beside emission, not before it on the one thread that
    // runs between phases (a million instructions for a 100-action service).
    let files = std::thread::scope(|scope| {
        scope.spawn(move || drop(spent));
        let mut files = Vec::new();
        for service in &services {
            files.extend(emit::service_files(service, spec, out)?);
        }
        Ok::<_, Error>(files)
    })?;
    services.sort_by(|a, b| a.crate_name.cmp(&b.crate_name));
    Ok(Generated { services, files })
}

/// A spec directory's name goes into generated headers and manifests, so it must be a
/// kebab-case name like a crate's (no quote, newline or space can reach those files).
fn dir_name_problem(dir: &Path) -> Option<Diagnostic> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned())?;
    (!names::is_kebab(&name)).then(|| {
        Diagnostic::file(
            dir,
            format!(
                "the spec directory name `{}` is not a kebab-case name",
                name.escape_debug()
            ),
        )
        .help("rename the directory: a lower-case letter, then lower-case letters, digits and single `-`, e.g. `zenlayer-sdn`")
    })
}
