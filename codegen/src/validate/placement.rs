//! Placements of `alibaba-rpc` action parameters: `encoding` (`json`,
//! `comma-separated`) and `location` (`query`, `form`).
//!
//! Some RPC actions take a list or structure as ONE parameter holding its
//! JSON text, or a list as its items joined by `,`, and some parameters
//! travel in a form body: the runtime writes them so
//! (`truebind_runtime::encode::Placement`). Both keys describe how a request
//! parameter goes on the wire, so they mean nothing on output or structure
//! fields, nor in a JSON-body protocol, and are refused there.

use super::*;

/// The `encoding` values, with what they do (for the help text).
const ENCODINGS: [&str; 2] = ["json", "comma-separated"];
/// The `location` values.
const LOCATIONS: [&str; 2] = ["query", "form"];

impl<'a> Checker<'a> {
    /// Applies the placements written on an action's parameters to `input`
    /// (the fields built from `written`, in the same order, broken ones left out).
    pub(super) fn placements(
        &mut self,
        path: &Path,
        written: &[model::Field],
        input: &mut [ir::Field],
    ) {
        for f in written {
            if f.encoding.is_none() && f.location.is_none() {
                continue;
            }
            if !self.rpc_service(path, f) {
                continue;
            }
            let Some(field) = input.iter_mut().find(|i| i.wire == f.name.value) else {
                continue; // broken, and reported
            };
            if let Some(encoding) = &f.encoding {
                field.encoding = self
                    .encoding(path, encoding, &field.ty)
                    .unwrap_or(field.encoding);
            }
            if let Some(location) = &f.location {
                field.location = match location.value.as_str() {
                    "query" => ir::Location::Query,
                    "form" => ir::Location::Form,
                    other => {
                        let d = Diagnostic::on(path, location, format!("unknown location `{other}`"))
                            .suggest(other, LOCATIONS, "use `query` (the default) or `form` (an `application/x-www-form-urlencoded` body)");
                        self.err(d);
                        field.location
                    }
                };
            }
        }
    }

    /// Whether the service's protocol has placements; reports the field if not.
    fn rpc_service(&mut self, path: &Path, f: &model::Field) -> bool {
        let protocol = &self.loaded.service.1.protocol.value;
        if protocol == "alibaba-rpc" {
            return true;
        }
        let (key, at) = match (&f.encoding, &f.location) {
            (Some(e), _) => ("encoding", e),
            (None, Some(l)) => ("location", l),
            (None, None) => return true,
        };
        self.err(
            Diagnostic::on(
                path,
                at,
                format!("`{key}` is for `alibaba-rpc` parameters; this service is `{protocol}`"),
            )
            .help(format!(
                "a JSON body carries every value as it is: drop `{key}`"
            )),
        );
        false
    }

    /// The encoding `written` names, if it fits a value of type `ty`.
    fn encoding(
        &mut self,
        path: &Path,
        written: &Spanned<String>,
        ty: &ir::Type,
    ) -> Option<ir::Encoding> {
        let scalar = |t: &ir::Type| {
            !matches!(
                t,
                ir::Type::List(_) | ir::Type::Map(_) | ir::Type::Struct(_)
            )
        };
        let (encoding, fits, needs) = match written.value.as_str() {
            "json" => (ir::Encoding::Json, !scalar(ty), "a list, map or structure"),
            "comma-separated" => (
                ir::Encoding::CommaSeparated,
                matches!(ty, ir::Type::List(item) if scalar(item)),
                "a list of strings, numbers, booleans or enum values",
            ),
            other => {
                let d = Diagnostic::on(path, written, format!("unknown encoding `{other}`")).suggest(
                    other,
                    ENCODINGS,
                    "use `json` (the value as one parameter holding its JSON text) or `comma-separated` (a list's items joined by `,`)",
                );
                self.err(d);
                return None;
            }
        };
        if !fits {
            self.err(
                Diagnostic::on(
                    path,
                    written,
                    format!(
                        "`{}` encoding needs {needs}, but this parameter is {}",
                        written.value,
                        type_name(ty)
                    ),
                )
                .help("drop `encoding` (the value is sent as it is), or fix the parameter's type"),
            );
            return None;
        }
        Some(encoding)
    }

    /// Reports placements on fields that are not request parameters (`scope`
    /// says which: an output field, a structure field).
    pub(super) fn no_placements(&mut self, path: &Path, fields: &[model::Field], scope: &str) {
        for f in fields {
            for (key, at) in [("encoding", &f.encoding), ("location", &f.location)] {
                if let Some(at) = at {
                    self.err(
                        Diagnostic::on(path, at, format!("`{key}` on {scope}: it applies to action parameters only"))
                            .help("put it on the action's input parameter that carries this value, or drop it"),
                    );
                }
            }
        }
    }
}
