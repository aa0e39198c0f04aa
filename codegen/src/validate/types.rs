//! Structures, enums and fields: type names and references, Rust names,
//! defaults and constraints.
//!
//! Defaults are checked after the fields they belong to are built: those of
//! structure fields only once every structure is known, since a default may
//! be an object of another structure.

use super::*;

impl<'a> Checker<'a> {
    /// Builds the structures in the order of `types.yaml`, one per written
    /// structure; their defaults are left to [`Self::check_struct_defaults`].
    pub(super) fn structs(&mut self) -> Vec<ir::Struct> {
        let (path, types) = &self.loaded.types;
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for s in &types.structures {
            self.type_name(path, &s.name, &mut seen);
            let fields = self.fields(
                path,
                &s.fields,
                &format!("structure `{}`", s.name.value),
                Some(("new", "the constructor `new`")),
            );
            self.no_placements(path, &s.fields, "a structure field");
            out.push(ir::Struct {
                name: s.name.value.clone(),
                description: s.description.clone(),
                fields,
            });
        }
        out
    }

    /// Checks the defaults of structure fields; runs once `self.structs`
    /// holds every structure, in the order of `types.yaml`.
    pub(super) fn check_struct_defaults(&mut self) {
        let (path, types) = &self.loaded.types;
        let found: Vec<Diagnostic> = types
            .structures
            .iter()
            .zip(self.structs.iter())
            .flat_map(|(written, s)| self.default_diagnostics(path, &written.fields, &s.fields))
            .collect();
        for d in found {
            self.err(d);
        }
    }

    /// Checks a name that becomes a Rust type or method name as written; `what` is e.g. "type name".
    pub(super) fn upper_camel(&mut self, path: &Path, name: &Spanned<String>, what: &str) -> bool {
        let n = name.value.as_str();
        let camel = names::camel(n);
        let plain_ascii = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_uppercase())
                && s.chars().all(|c| c.is_ascii_alphanumeric())
        };
        if camel == n && plain_ascii(n) {
            return true;
        }
        let help = if plain_ascii(&camel) {
            format!("rename it to `{camel}`")
        } else {
            "use ASCII letters and digits only, starting with an upper-case letter, e.g. `PrivateConnect`"
                .to_string()
        };
        // Shown escaped: a name can hold a newline (and the rest of a code block).
        let shown = n.escape_debug();
        let message = if n.is_empty() {
            format!("the {what} is empty")
        } else if !n.is_ascii() {
            format!("{what} `{shown}` is not ASCII, so it cannot name the generated Rust code")
        } else {
            format!("{what} `{shown}` is not UpperCamelCase")
        };
        self.err(Diagnostic::on(path, name, message).help(help));
        false
    }

    pub(super) fn type_name(
        &mut self,
        path: &Path,
        name: &Spanned<String>,
        seen: &mut BTreeSet<String>,
    ) {
        if self.upper_camel(path, name, "type name")
            && RESERVED_TYPES.contains(&name.value.as_str())
        {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "type name `{}` would hide the standard `{}` in the generated code",
                        name.value, name.value
                    ),
                )
                .help(format!(
                    "use a more specific name, e.g. `Vendor{}`",
                    name.value
                )),
            );
        }
        let both = self.catalog.structs.contains(&name.value)
            && self.catalog.enums.contains_key(&name.value);
        if !seen.insert(name.value.clone()) || both {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "type `{}` is defined more than once (structures and enums share one set of names)",
                        name.value
                    ),
                )
                .help("rename one of them, or merge them into one definition"),
            );
        }
    }

    pub(super) fn enums(&mut self) -> Vec<ir::Enum> {
        let (path, types) = &self.loaded.types;
        let mut seen: BTreeSet<String> = self.catalog.structs.clone();
        let mut out = Vec::new();
        for e in &types.enums {
            self.type_name(path, &e.name, &mut seen);
            if e.values.is_empty() {
                self.err(
                    Diagnostic::on(path, &e.name, format!("enum `{}` lists no values", e.name.value))
                        .help("list the documented values under `values`, or use `type: string` where the enum is used"),
                );
            }
            let mut wires = BTreeSet::new();
            let mut variants = BTreeSet::new();
            let mut values = Vec::new();
            for v in &e.values {
                let variant = names::camel(&v.value.value);
                if !crate::names::is_ident(&variant) {
                    self.err(
                        Diagnostic::on(
                            path,
                            &v.value,
                            format!(
                                "value `{}` gives no usable Rust variant name (`{variant}`)",
                                v.value.value
                            ),
                        )
                        .help("check the value on the vendor page; if the service really sends it, list a plainer spelling as the value and this one under `aliases`"),
                    );
                }
                for spelling in std::iter::once(&v.value).chain(&v.aliases) {
                    if !wires.insert(spelling.value.clone()) {
                        self.err(
                            Diagnostic::on(
                                path,
                                spelling,
                                format!("enum `{}` lists `{}` twice", e.name.value, spelling.value),
                            )
                            .help("remove the repeated value or alias"),
                        );
                    }
                }
                if !variants.insert(variant.clone()) || variant == "Unknown" {
                    let why = if variant == "Unknown" {
                        "which the generator keeps for values the spec does not list"
                    } else {
                        "which an earlier value already became"
                    };
                    self.err(
                        Diagnostic::on(
                            path,
                            &v.value,
                            format!(
                                "value `{}` becomes the Rust variant `{variant}`, {why}",
                                v.value.value
                            ),
                        )
                        .help("if both spellings mean the same state, list one as an alias of the other"),
                    );
                }
                values.push(ir::EnumValue {
                    wire: v.value.value.clone(),
                    aliases: v.aliases.iter().map(|a| a.value.clone()).collect(),
                    variant,
                    description: v.description.clone(),
                });
            }
            out.push(ir::Enum {
                name: e.name.value.clone(),
                description: e.description.clone(),
                note: e.note.clone(),
                values,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Checks a list of fields; `reserved` is a Rust name the generated code already uses there.
    pub(super) fn fields(
        &mut self,
        path: &Path,
        fields: &[model::Field],
        scope: &str,
        reserved: Option<(&str, &str)>,
    ) -> Vec<ir::Field> {
        let mut wires: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
        let mut rusts: BTreeMap<String, String> = BTreeMap::new();
        let mut out = Vec::new();
        for f in fields {
            if let Some(first) = wires.insert(f.name.value.clone(), &f.name) {
                self.err(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!(
                            "{scope} lists `{}` twice (first on line {})",
                            f.name.value,
                            first.referenced.line()
                        ),
                    )
                    .help("remove one; if the vendor documents two parameters, check the spelling of this one"),
                );
                continue;
            }
            let rust = names::snake(&f.name.value);
            if !self.rust_field_name(path, &f.name, &rust, scope, reserved) {
                self.broken_fields.insert(f.name.value.clone());
                continue;
            }
            if let Some(other) = rusts.insert(rust.clone(), f.name.value.clone()) {
                self.err(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!(
                            "`{}` and `{other}` in {scope} both become the Rust name `{rust}`",
                            f.name.value
                        ),
                    )
                    .help("the two names cannot both be bound; check which one the vendor really sends"),
                );
            }
            match self.field(path, f, rust) {
                Some(field) => out.push(field),
                None => {
                    self.broken_fields.insert(f.name.value.clone());
                }
            }
        }
        out
    }

    /// Whether the Rust name derived from a wire name can be used; reports it when not.
    pub(super) fn rust_field_name(
        &mut self,
        path: &Path,
        wire: &Spanned<String>,
        rust: &str,
        scope: &str,
        reserved: Option<(&str, &str)>,
    ) -> bool {
        let bare = names::bare(rust);
        let d = if wire.value.trim().is_empty() {
            Diagnostic::on(path, wire, format!("a field name in {scope} is empty"))
                .help("copy the parameter name from the vendor page")
        } else if bare.is_empty() || bare.trim_matches('_').is_empty() {
            Diagnostic::on(
                path,
                wire,
                format!(
                    "`{}` has no letters or digits to build a Rust name from",
                    wire.value
                ),
            )
            .help("check the parameter name on the vendor page")
        } else if !bare.is_ascii() || !crate::names::is_ident(rust) {
            Diagnostic::on(
                path,
                wire,
                format!(
                    "`{}` becomes `{rust}`, which cannot be a Rust field name (only ASCII names are supported)",
                    wire.value
                ),
            )
            .help("check the parameter name on the vendor page; the generator needs an ASCII name")
        } else if let Some((name, what)) = reserved.filter(|(name, _)| bare == *name) {
            Diagnostic::on(
                path,
                wire,
                format!(
                    "`{}` in {scope} becomes the Rust name `{name}`, which clashes with {what}",
                    wire.value
                ),
            )
            .help(
                "the generator cannot bind this name yet; report it together with the vendor page",
            )
        } else {
            return true;
        };
        self.err(d);
        false
    }

    pub(super) fn field(
        &mut self,
        path: &Path,
        f: &model::Field,
        rust: String,
    ) -> Option<ir::Field> {
        let ty = self.resolve_type(path, &f.ty)?;
        let constraints = self.constraints(path, f, &ty);
        let lenient_ok = matches!(
            ty,
            ir::Type::Integer | ir::Type::Long | ir::Type::Float | ir::Type::Boolean
        );
        if f.lenient && (!lenient_ok || f.required) {
            self.err(
                Diagnostic::on(
                    path,
                    &f.name,
                    format!("`lenient` does not apply to `{}`", f.name.value),
                )
                .help("`lenient` is for optional numbers and booleans that may arrive as strings"),
            );
        }
        if f.idempotency_token && ty != ir::Type::String {
            self.err(
                Diagnostic::on(
                    path,
                    &f.ty,
                    format!(
                        "idempotency token `{}` is {}, but must be a string",
                        f.name.value,
                        type_name(&ty)
                    ),
                )
                .help("write `type: string`, or drop `idempotency_token` if this is not the client token"),
            );
        }
        Some(ir::Field {
            wire: f.name.value.clone(),
            rust,
            ty,
            required: f.required,
            description: f.description.clone(),
            constraints,
            default: f.default.clone(),
            unit: f.unit.clone(),
            example: f.example.clone(),
            idempotency_token: f.idempotency_token,
            lenient: f.lenient,
            encoding: ir::Encoding::Flat,
            location: ir::Location::Query,
        })
    }

    /// Checks the defaults of `checked`, the fields built from `written`.
    pub(super) fn check_defaults(
        &mut self,
        path: &Path,
        written: &[model::Field],
        checked: &[ir::Field],
    ) {
        for d in self.default_diagnostics(path, written, checked) {
            self.err(d);
        }
    }

    /// Problems with the defaults of `checked`, reported at the names in `written`.
    fn default_diagnostics(
        &self,
        path: &Path,
        written: &[model::Field],
        checked: &[ir::Field],
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for field in checked {
            // A repeated name is reported and skipped, so the first one built this field.
            let Some(f) = written.iter().find(|f| f.name.value == field.wire) else {
                continue;
            };
            let Some(default) = &field.default else {
                continue;
            };
            for p in self.default_problems(field, default) {
                out.push(
                    Diagnostic::on(path, &f.name, format!("the default does not fit: {p}"))
                        .help("`default` is what the service uses when the parameter is omitted; copy it from the vendor page, or fix the type and limits"),
                );
            }
        }
        out
    }

    fn default_problems(&self, field: &ir::Field, default: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let cx = ExampleCx {
            structs: &self.structs,
            broken: &self.broken_fields,
            placeholder: "",
        };
        let at = &field.wire;
        check_value(default, &field.ty, &cx, at, &mut problems);
        check_limits(default, &field.constraints, at, &mut problems);
        if let (ir::Type::Enum(name), Some(text)) = (&field.ty, default.as_str())
            && let Some(values) = self.catalog.enums.get(name.as_str())
            && !values.contains(text)
        {
            let mut problem = format!("`{at}` = {default} is not a value of `{name}`");
            if let Some(h) = suggestion(text, values.iter().map(String::as_str)) {
                problem.push_str(&format!(" ({h})"));
            }
            problems.push(problem);
        }
        problems
    }

    pub(super) fn resolve_type(&mut self, path: &Path, ty: &Spanned<String>) -> Option<ir::Type> {
        match parse_type(ty.value.trim(), &self.catalog) {
            Ok(t) => Some(t),
            Err(unknown) if unknown.starts_with("list<") || unknown.starts_with("map<") => {
                self.err(
                    Diagnostic::on(
                        path,
                        ty,
                        format!(
                            "type `{}` nests more than {MAX_TYPE_DEPTH} levels of list/map",
                            ty.value
                        ),
                    )
                    .help("no vendor API nests that deep; check the type on the vendor page"),
                );
                None
            }
            Err(unknown) => {
                let candidates: Vec<&str> = SCALARS
                    .iter()
                    .copied()
                    .chain(self.catalog.all_names())
                    .collect();
                let mut d = Diagnostic::on(path, ty, format!("unknown type `{unknown}`"));
                d = d.suggest_or(
                    &unknown,
                    candidates.iter().copied(),
                    "use string, integer, long, float, boolean, list<T>, map<T>, or a name from types.yaml",
                );
                self.err(d);
                None
            }
        }
    }

    /// Checks a field's constraints against its type, then lowers them.
    pub(super) fn constraints(
        &mut self,
        path: &Path,
        f: &model::Field,
        ty: &ir::Type,
    ) -> ir::Constraints {
        self.check_constraint_kinds(path, f, ty);
        self.check_constraint_values(path, f, ty);
        let c = &f.constraints;
        let unique_by = c
            .unique_by
            .as_ref()
            .and_then(|u| self.unique_by(path, u, ty));
        lower_constraints(c, unique_by)
    }

    /// Each constraint applies to one kind of type (numbers, strings or lists).
    fn check_constraint_kinds(&mut self, path: &Path, f: &model::Field, ty: &ir::Type) {
        let c = &f.constraints;
        let is_number = matches!(ty, ir::Type::Integer | ir::Type::Long | ir::Type::Float);
        let is_string = *ty == ir::Type::String;
        let is_list = matches!(ty, ir::Type::List(_));
        let set = [
            ("min", c.min.is_some(), is_number, "numbers"),
            ("max", c.max.is_some(), is_number, "numbers"),
            ("min_length", c.min_length.is_some(), is_string, "strings"),
            ("max_length", c.max_length.is_some(), is_string, "strings"),
            ("pattern", c.pattern.is_some(), is_string, "strings"),
            ("ascii", c.ascii, is_string, "strings"),
            ("min_items", c.min_items.is_some(), is_list, "lists"),
            ("max_items", c.max_items.is_some(), is_list, "lists"),
            ("unique_by", c.unique_by.is_some(), is_list, "lists"),
        ];
        for (name, _, _, kind) in set
            .into_iter()
            .filter(|(_, set, allowed, _)| *set && !allowed)
        {
            self.err(
                Diagnostic::on(
                    path,
                    &f.ty,
                    format!(
                        "`{name}` does not apply to `{}` (type {})",
                        f.name.value, f.ty.value
                    ),
                )
                .help(format!(
                    "`{name}` applies to {kind} only; remove it or fix the type"
                )),
            );
        }
    }

    /// Bounds fit the type and are in order; a pattern compiles.
    fn check_constraint_values(&mut self, path: &Path, f: &model::Field, ty: &ir::Type) {
        let c = &f.constraints;
        if *ty == ir::Type::Integer {
            for bound in [&c.min, &c.max].into_iter().flatten() {
                if i32::try_from(bound.value).is_err() {
                    self.err(
                        Diagnostic::on(
                            path,
                            bound,
                            format!(
                                "{} does not fit `{}`, which is a 32-bit `integer`",
                                bound.value, f.name.value
                            ),
                        )
                        .help("if the vendor documents 64-bit values, use `type: long`"),
                    );
                }
            }
        }
        self.check_order(path, "min", c.min.as_ref(), "max", c.max.as_ref());
        self.check_order(
            path,
            "min_length",
            c.min_length.as_ref(),
            "max_length",
            c.max_length.as_ref(),
        );
        self.check_order(
            path,
            "min_items",
            c.min_items.as_ref(),
            "max_items",
            c.max_items.as_ref(),
        );
        if let Some(p) = &c.pattern
            && let Err(e) = regex_lite::Regex::new(&p.value)
        {
            self.err(
                Diagnostic::on(path, p, format!("the pattern does not compile: {e}"))
                    .help("write a regular expression in Rust `regex` syntax, e.g. \"^[a-z0-9-]+$\", in quotes"),
            );
        }
    }

    pub(super) fn check_order<T: PartialOrd + std::fmt::Display>(
        &mut self,
        path: &Path,
        low_name: &str,
        low: Option<&Spanned<T>>,
        high_name: &str,
        high: Option<&Spanned<T>>,
    ) {
        if let (Some(low), Some(high)) = (low, high)
            && low.value > high.value
        {
            self.err(
                Diagnostic::on(
                    path,
                    low,
                    format!(
                        "{low_name} {} is greater than {high_name} {}",
                        low.value, high.value
                    ),
                )
                .help(format!(
                    "swap them, or check the vendor page for the real {low_name}"
                )),
            );
        }
    }

    pub(super) fn unique_by(
        &mut self,
        path: &Path,
        u: &Spanned<String>,
        ty: &ir::Type,
    ) -> Option<ir::UniqueKey> {
        let ir::Type::List(item) = ty else {
            return None;
        };
        let ir::Type::Struct(name) = item.as_ref() else {
            self.err(Diagnostic::on(
                path,
                u,
                "`unique_by` needs a list of structures",
            ));
            return None;
        };
        let fields: Vec<&str> = self
            .loaded
            .types
            .1
            .structures
            .iter()
            .find(|s| *name == s.name.value)
            .map(|s| s.fields.iter().map(|f| f.name.value.as_str()).collect())
            .unwrap_or_default();
        if fields.contains(&u.value.as_str()) {
            Some(ir::UniqueKey {
                wire: u.value.clone(),
                rust: names::snake(&u.value),
            })
        } else {
            let mut d = Diagnostic::on(
                path,
                u,
                format!("structure `{name}` has no field `{}`", u.value),
            );
            d = d.suggest(
                &u.value,
                fields.iter().copied(),
                "name a field (wire name) of the list's items",
            );
            self.err(d);
            None
        }
    }
}

/// The checked constraints with their spans stripped.
fn lower_constraints(c: &model::Constraints, unique_by: Option<ir::UniqueKey>) -> ir::Constraints {
    ir::Constraints {
        min: c.min.as_ref().map(|v| v.value),
        max: c.max.as_ref().map(|v| v.value),
        min_length: c.min_length.as_ref().map(|v| v.value),
        max_length: c.max_length.as_ref().map(|v| v.value),
        pattern: c.pattern.as_ref().map(|v| v.value.clone()),
        ascii: c.ascii,
        min_items: c.min_items.as_ref().map(|v| v.value),
        max_items: c.max_items.as_ref().map(|v| v.value),
        unique_by,
    }
}
