//! Actions: kinds, paging, idempotency tokens, error tables and examples
//! (fixups applied, JSON parsed, checked against the parameters).

use super::*;

/// Error-kind variants the generator emits itself: undocumented and service-wide codes.
const RESERVED_VARIANTS: [&str; 2] = ["Unhandled", "Common"];

impl<'a> Checker<'a> {
    pub(super) fn action(
        &mut self,
        path: &Path,
        a: &model::ActionFile,
        structs: &[ir::Struct],
        enums: &[ir::Enum],
    ) -> Option<ir::Action> {
        let kind = match a.kind.value.as_str() {
            "read" => ir::ActionKind::Read,
            "write" => ir::ActionKind::Write,
            other => {
                self.err(
                    Diagnostic::on(path, &a.kind, format!("unknown action kind `{other}`"))
                        .help("use `read` (no side effect, safe to repeat) or `write`"),
                );
                ir::ActionKind::Write
            }
        };
        // Acronyms may stay upper case (`…LOA`): Rust names treat them as words.
        let named =
            names::is_action_name(&a.name.value) || self.upper_camel(path, &a.name, "action name");
        if named && names::bare(&names::snake(&a.name.value)) == "mod" {
            self.err(
                Diagnostic::on(
                    path,
                    &a.name,
                    "an action named `Mod` would overwrite the generated `operation/mod.rs`",
                )
                .help("check the action name on the vendor page"),
            );
        }
        let group = a.group.as_ref().filter(|g| self.group(path, g));
        let input = self.fields(
            path,
            &a.input,
            "the input",
            Some(("new", "the constructor `new`")),
        );
        let output = self.fields(
            path,
            &a.output,
            "the output",
            Some(("meta", "the field `meta` every output carries")),
        );
        let mut input = input;
        self.placements(path, &a.input, &mut input);
        self.no_placements(path, &a.output, "an output field");
        self.check_defaults(path, &a.input, &input);
        self.check_defaults(path, &a.output, &output);
        self.check_idempotency_tokens(path, &a.input);
        self.check_url(path, a.docs_url.as_ref());
        let paging = a
            .paging
            .as_ref()
            .and_then(|p| self.paging(path, p, &input, &output, structs));
        let preconditions = a
            .preconditions
            .iter()
            .filter_map(|p| self.precondition(path, p, enums))
            .collect();
        let errors = self.errors_table(path, &a.errors, false);
        let (common_rows, errors) = self.split_common(errors);
        let examples = a
            .examples
            .iter()
            .filter_map(|e| self.example(path, e, Some(&input)))
            .collect();
        Some(ir::Action {
            name: a.name.value.clone(),
            snake: names::snake(&a.name.value),
            summary: a.summary.clone(),
            description: a.description.clone(),
            docs_url: a.docs_url.as_ref().map(|u| u.value.clone()),
            kind,
            group: group.map(|g| g.value.clone()),
            input,
            output,
            async_note: None,
            paging,
            preconditions,
            errors,
            common_rows,
            examples,
            deprecated: self.deprecation(path, a.deprecated.as_ref()),
        })
    }

    /// The variants of codes `service.yaml` lists as service-wide (their
    /// kind is `Common(…)`, documented with the action's rows), and the rest.
    fn split_common(
        &self,
        variants: Vec<ir::ErrorVariant>,
    ) -> (Vec<ir::ErrorVariant>, Vec<ir::ErrorVariant>) {
        let common = &self.loaded.service.1.errors;
        variants
            .into_iter()
            .partition(|v| common.iter().any(|row| row.code.value.trim() == v.code))
    }

    /// Checks an action's `group`: a kebab-case Cargo feature name that the
    /// generated manifest does not already use; false if it is unusable.
    fn group(&mut self, path: &Path, group: &Spanned<String>) -> bool {
        let name = group.value.as_str();
        if !names::is_kebab(name) {
            self.err(
                Diagnostic::on(path, group, format!("group `{name}` is not kebab-case"))
                    .help("a group becomes a Cargo feature: lower-case letters, digits and single inner `-`, e.g. `physical-connection`"),
            );
            return false;
        }
        if names::RESERVED_FEATURES.contains(&name) {
            self.err(
                Diagnostic::on(
                    path,
                    group,
                    format!("group `{name}` is a feature every generated crate already has"),
                )
                .help(format!(
                    "choose another name; taken are {}",
                    names::RESERVED_FEATURES
                        .map(|f| format!("`{f}`"))
                        .join(", ")
                )),
            );
            return false;
        }
        true
    }

    /// A deprecation note is one line of text: it becomes `#[deprecated(note = …)]`, which
    /// the compiler prints after "use of deprecated method".
    fn deprecation(&mut self, path: &Path, note: Option<&Spanned<String>>) -> Option<String> {
        let note = note?;
        let text = note.value.trim();
        if text.is_empty() || text.chars().any(char::is_control) {
            self.err(
                Diagnostic::on(
                    path,
                    note,
                    "`deprecated` must be one line of text, saying why and what to use instead",
                )
                .help("write e.g. `deprecated: Use DescribeRouteTableList instead.`"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    pub(super) fn check_idempotency_tokens(&mut self, path: &Path, input: &[model::Field]) {
        let mut first: Option<&str> = None;
        for f in input.iter().filter(|f| f.idempotency_token) {
            if f.required {
                self.err(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!("the idempotency token `{}` is required", f.name.value),
                    )
                    .help("make it optional: the client fills an empty token with a fresh UUID and keeps it across retries"),
                );
            }
            match first {
                Some(other) => self.err(
                    Diagnostic::on(
                        path,
                        &f.name,
                        format!(
                            "`{}` is a second idempotency token; `{other}` is one already",
                            f.name.value
                        ),
                    )
                    .help("mark only the vendor's client-token parameter with `idempotency_token: true`"),
                ),
                None => first = Some(&f.name.value),
            }
        }
    }

    pub(super) fn paging(
        &mut self,
        path: &Path,
        p: &model::Paging,
        input: &[ir::Field],
        output: &[ir::Field],
        structs: &[ir::Struct],
    ) -> Option<ir::Paging> {
        let size = self.paging_field(path, &p.page_size, input, "input");
        let mode = self.paging_mode(path, p, input, output);
        let items = self.paging_items(path, &p.items, output, structs);
        let (size, mode, (items, item_type)) = (size?, mode?, items?);
        let position = match &mode {
            ir::PagingMode::Number { page_number, .. } => page_number,
            ir::PagingMode::Token { input, .. } => input,
        };
        if *position == size.rust {
            self.err(
                Diagnostic::on(
                    path,
                    &p.page_size,
                    "`page_size` names the parameter that carries the page position",
                )
                .help("name the page-size parameter and the page-number (or token) parameter"),
            );
            return None;
        }
        if self.paging_required(path, &p.page_size, size) {
            return None;
        }
        Some(ir::Paging {
            mode,
            page_size_width: ir::Width::of(&size.ty),
            max_page_size: size.constraints.max,
            page_size: size.rust.clone(),
            default_page_size: size.default.as_ref().and_then(Value::as_i64),
            items,
            item_type,
        })
    }

    /// Page numbers (`page_number` with `total`) or a token (`next_token`):
    /// exactly one of the two, each with its fields.
    fn paging_mode(
        &mut self,
        path: &Path,
        p: &model::Paging,
        input: &[ir::Field],
        output: &[ir::Field],
    ) -> Option<ir::PagingMode> {
        match (&p.next_token, &p.page_number, &p.total) {
            (Some(token), None, None) => self.token_paging(path, token, input, output),
            (None, Some(number_wire), Some(total_wire)) => {
                let number = self.paging_field(path, number_wire, input, "input");
                let total = self.paging_field(path, total_wire, output, "output");
                let (number, total) = (number?, total?);
                if self.paging_required(path, number_wire, number) {
                    return None;
                }
                Some(ir::PagingMode::Number {
                    page_number: number.rust.clone(),
                    page_number_width: ir::Width::of(&number.ty),
                    total: total.rust.clone(),
                    total_width: ir::Width::of(&total.ty),
                })
            }
            (Some(token), ..) => {
                let other = if p.page_number.is_some() {
                    "page_number"
                } else {
                    "total"
                };
                self.err(
                    Diagnostic::on(
                        path,
                        token,
                        format!("`next_token` (token paging) and `{other}` (page-number paging) exclude each other"),
                    )
                    .help("a list action pages one way: keep `next_token`, or `page_number` with `total`"),
                );
                None
            }
            (None, number, total) => {
                let (at, message) = match (number, total) {
                    (Some(n), None) => (
                        n,
                        "`page_number` needs `total`, the output field with the number of records",
                    ),
                    (None, Some(t)) => (
                        t,
                        "`total` needs `page_number`, the input field with the page number",
                    ),
                    _ => (
                        &p.page_size,
                        "paging needs `page_number` and `total`, or `next_token`",
                    ),
                };
                self.err(Diagnostic::on(path, at, message).help(
                    "page-number paging names `page_number` and `total`; token paging names `next_token`",
                ));
                None
            }
        }
    }

    /// Token paging: an optional string input field, and the output field of
    /// the same wire name that returns the next page's token.
    fn token_paging(
        &mut self,
        path: &Path,
        wire: &Spanned<String>,
        input: &[ir::Field],
        output: &[ir::Field],
    ) -> Option<ir::PagingMode> {
        if self.broken_fields.contains(&wire.value) {
            return None;
        }
        let sent = input.iter().find(|f| f.wire == wire.value);
        let returned = output.iter().find(|f| f.wire == wire.value);
        let (side, fields, found) = match (sent, returned) {
            (None, _) => ("input", input, None),
            (Some(_), None) => ("output", output, None),
            (Some(s), Some(r)) => ("", input, Some((s, r))),
        };
        let Some((sent, returned)) = found else {
            let d = Diagnostic::on(
                path,
                wire,
                format!(
                    "token paging sends and reads `{}`, which is not in the {side}",
                    wire.value
                ),
            )
            .suggest(
                &wire.value,
                fields.iter().map(|f| f.wire.as_str()),
                "the token is an input parameter and a top-level output field of the same wire name",
            );
            self.err(d);
            return None;
        };
        for f in [sent, returned] {
            if f.ty != ir::Type::String {
                self.err(
                    Diagnostic::on(
                        path,
                        wire,
                        format!(
                            "paging token `{}` is {}, but must be a `string`",
                            wire.value,
                            type_name(&f.ty)
                        ),
                    )
                    .help("name the text token the service returns for the next page"),
                );
                return None;
            }
        }
        if self.paging_required(path, wire, sent) {
            return None;
        }
        Some(ir::PagingMode::Token {
            wire: wire.value.clone(),
            input: sent.rust.clone(),
            output: returned.rust.clone(),
        })
    }

    /// Reports a required paging parameter (the paginator sets it); true if it is one.
    fn paging_required(&mut self, path: &Path, wire: &Spanned<String>, field: &ir::Field) -> bool {
        if field.required {
            self.err(
                Diagnostic::on(
                    path,
                    wire,
                    format!("paging parameter `{}` is required", wire.value),
                )
                .help("paging parameters must be optional (the paginator sets them); drop `required: true`"),
            );
        }
        field.required
    }

    /// The Rust path from the output to the list of records, and the record type.
    fn paging_items(
        &mut self,
        path: &Path,
        items: &Spanned<String>,
        output: &[ir::Field],
        structs: &[ir::Struct],
    ) -> Option<(Vec<ir::PathStep>, ir::StructId)> {
        let mut fields = output;
        let mut rust_path = Vec::new();
        let mut item_type = None;
        let segments: Vec<&str> = items.value.split('.').collect();
        for (i, segment) in segments.iter().enumerate() {
            let Some(f) = fields.iter().find(|f| f.wire == *segment) else {
                if self.broken_fields.contains(*segment) {
                    return None;
                }
                let side = if i == 0 {
                    "the output"
                } else {
                    "that structure"
                };
                let mut d = Diagnostic::on(
                    path,
                    items,
                    format!("`{segment}` in `{}` is not a field of {side}", items.value),
                );
                d = d.suggest_or(
                    segment,
                    fields.iter().map(|f| f.wire.as_str()),
                    "give the dotted wire path from the output to the list of records",
                );
                self.err(d);
                return None;
            };
            // Output fields are always optional in Rust; structure fields unless required.
            let optional = i == 0 || !f.required;
            rust_path.push(ir::PathStep {
                rust: f.rust.clone(),
                optional,
            });
            match (&f.ty, i + 1 == segments.len()) {
                (ir::Type::Struct(name), false) => {
                    fields = &structs.iter().find(|s| *name == s.name)?.fields;
                }
                (other, false) => {
                    self.err(
                        Diagnostic::on(
                            path,
                            items,
                            format!(
                                "`{segment}` in `{}` is {}, not a structure, so the path cannot go on",
                                items.value,
                                type_name(other)
                            ),
                        )
                        .help("every step but the last must be a structure field; the last is the list of records"),
                    );
                    return None;
                }
                (ir::Type::List(item), true) => {
                    if let ir::Type::Struct(name) = item.as_ref() {
                        item_type = Some(name.clone());
                    }
                }
                _ => {}
            }
        }
        let Some(item_type) = item_type else {
            self.err(
                Diagnostic::on(
                    path,
                    items,
                    format!("`{}` does not lead to a list of structures", items.value),
                )
                .help("give the dotted wire path from the output to the list of records"),
            );
            return None;
        };
        Some((rust_path, item_type))
    }

    pub(super) fn paging_field<'f>(
        &mut self,
        path: &Path,
        wire: &Spanned<String>,
        fields: &'f [ir::Field],
        side: &str,
    ) -> Option<&'f ir::Field> {
        let Some(f) = fields.iter().find(|f| f.wire == wire.value) else {
            if self.broken_fields.contains(&wire.value) {
                return None;
            }
            let mut d = Diagnostic::on(
                path,
                wire,
                format!("paging names `{}`, which is not in the {side}", wire.value),
            );
            d = d.suggest(
                &wire.value,
                fields.iter().map(|f| f.wire.as_str()),
                &format!("name an integer field of the {side}"),
            );
            self.err(d);
            return None;
        };
        if !matches!(f.ty, ir::Type::Integer | ir::Type::Long) {
            self.err(
                Diagnostic::on(
                    path,
                    wire,
                    format!(
                        "paging field `{}` is {}, but must be an `integer` or `long`",
                        wire.value,
                        type_name(&f.ty)
                    ),
                )
                .help("name the numeric page-number, page-size or total-count field"),
            );
            return None;
        }
        Some(f)
    }

    /// The variants of an error table; `service_wide`: the rows of
    /// `service.yaml`, which may leave the status out (it is not always documented).
    pub(super) fn errors_table(
        &mut self,
        path: &Path,
        rows: &[model::ErrorRow],
        service_wide: bool,
    ) -> Vec<ir::ErrorVariant> {
        let mut variants: Vec<ir::ErrorVariant> = Vec::new();
        for row in rows {
            let code = row.code.value.trim();
            if code.is_empty() {
                self.err(
                    Diagnostic::on(path, &row.code, "error row with an empty code")
                        .help("copy the code from the vendor's error table"),
                );
                continue;
            }
            if code.contains(['\n', '\r']) {
                self.err(
                    Diagnostic::on(path, &row.code, format!("error code {code:?} holds a line break"))
                        .help("a code is one line, as the service sends it (an action's kind keeps its codes one per line): check the vendor's error table"),
                );
                continue;
            }
            let Some(status) = self.error_status(path, row, service_wide) else {
                continue;
            };
            let documented = ir::ErrorRow {
                status,
                message: row.message.clone(),
                description: row.description.clone(),
            };
            if let Some(v) = variants.iter_mut().find(|v| v.code == code) {
                v.rows.push(documented);
                continue;
            }
            let variant = names::camel(code);
            if !crate::names::is_ident(&variant) {
                self.err(
                    Diagnostic::on(
                        path,
                        &row.code,
                        format!("code `{code}` gives no usable Rust variant name (`{variant}`)"),
                    )
                    .help("check the code on the vendor page: letters, digits, `.`, `_` and `-` are supported"),
                );
                continue;
            }
            if RESERVED_VARIANTS.contains(&variant.as_str())
                || variants.iter().any(|v| v.variant == variant)
            {
                let why = match variant.as_str() {
                    "Unhandled" => "which the generator keeps for undocumented codes",
                    "Common" => "which the generator keeps for service-wide codes",
                    _ => "which another code already became",
                };
                self.err(
                    Diagnostic::on(
                        path,
                        &row.code,
                        format!("code `{code}` becomes the Rust variant `{variant}`, {why}"),
                    )
                    .help("codes that differ only in case or punctuation cannot both be bound; check which spelling the service sends"),
                );
                continue;
            }
            variants.push(ir::ErrorVariant {
                code: code.to_string(),
                variant,
                rows: vec![documented],
            });
        }
        variants
    }

    /// The status column of one row: one of `http_status` and `vendor_status`
    /// (or, service-wide, neither).
    fn error_status(
        &mut self,
        path: &Path,
        row: &model::ErrorRow,
        service_wide: bool,
    ) -> Option<ir::Status> {
        let problem = match (row.http_status, row.vendor_status) {
            (Some(s), None) if (100..=599).contains(&s) => return Some(ir::Status::Http(s)),
            (None, Some(v)) => return Some(ir::Status::Vendor(v)),
            (None, None) if service_wide => return Some(ir::Status::Undocumented),
            (Some(s), None) => Diagnostic::on(path, &row.code, format!("{s} is not an HTTP status"))
                .help("if the vendor prints its own number there, write it as `vendor_status`"),
            (_, Some(_)) if service_wide => Diagnostic::on(
                path,
                &row.code,
                "give at most one of `http_status` and `vendor_status`",
            )
            .help("leave both out when the vendor documents no status for the code"),
            _ => Diagnostic::on(path, &row.code, "give exactly one of `http_status` and `vendor_status`")
                .help("`vendor_status` is for tables whose status column holds vendor numbers such as 7105"),
        };
        self.err(problem);
        None
    }

    pub(super) fn example(
        &mut self,
        path: &Path,
        e: &model::Example,
        input: Option<&[ir::Field]>,
    ) -> Option<ir::Example> {
        let mut request = e.request.as_ref().map(|r| (r, r.value.clone()));
        let mut response = e.response.as_ref().map(|r| (r, r.value.clone()));
        for fixup in &e.fixups {
            if fixup.find.is_empty() {
                self.err(
                    Diagnostic::on(
                        path,
                        &fixup.name,
                        format!("fixup `{}` has an empty `find`", fixup.name.value),
                    )
                    .help("`find` is the broken vendor text to replace; copy it from the example"),
                );
                continue;
            }
            let mut applied = false;
            for (_, text) in request.iter_mut().chain(response.iter_mut()) {
                let found = text.matches(fixup.find.as_str()).count();
                if found == 0 {
                    continue;
                }
                // Chained fixups grow a text geometrically ("a" → ten "a"s, twelve times over).
                let growth = fixup.replace.len().saturating_sub(fixup.find.len());
                let grown = text.len().saturating_add(found.saturating_mul(growth));
                if grown as u64 > crate::load::MAX_FILE_BYTES {
                    self.err(
                        Diagnostic::on(
                            path,
                            &fixup.name,
                            format!(
                                "fixup `{}` makes the example longer than {} bytes",
                                fixup.name.value,
                                crate::load::MAX_FILE_BYTES
                            ),
                        )
                        .help("a fixup mends a few characters of vendor text; write a long example out instead"),
                    );
                    return None;
                }
                *text = text.replace(&fixup.find, &fixup.replace);
                applied = true;
            }
            if !applied {
                self.err(
                    Diagnostic::on(
                        path,
                        &fixup.name,
                        format!(
                            "fixup `{}` no longer applies: `{}` is not in the example",
                            fixup.name.value, fixup.find
                        ),
                    )
                    .help("the vendor text was corrected; delete this fixup"),
                );
            }
        }
        let request = request.and_then(|(span, text)| self.json(path, span, &text, "request"));
        let response = response.and_then(|(span, text)| self.json(path, span, &text, "response"));
        if let (Some(fields), Some(value), Some(span)) = (input, &request, &e.request) {
            let mut problems = Vec::new();
            let cx = ExampleCx {
                structs: &self.structs,
                broken: &self.broken_fields,
                placeholder: "",
            };
            check_object(value, fields, &cx, "", &mut problems);
            for p in problems {
                self.err(
                    Diagnostic::on(path, span, format!("example `{}`: {p}", e.title))
                        .help("make the example match the parameters, or fix the parameter list"),
                );
            }
        }
        Some(ir::Example {
            title: e.title.clone(),
            request,
            response,
            status: e.status.unwrap_or(200),
        })
    }

    pub(super) fn json(
        &mut self,
        path: &Path,
        span: &Spanned<String>,
        text: &str,
        what: &str,
    ) -> Option<Value> {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(
                    Diagnostic::on(
                        path,
                        span,
                        format!("the example {what} is not valid JSON: {e}"),
                    )
                    .help("if the vendor text is broken, add a named fixup under `fixups`"),
                );
                None
            }
        }
    }
}

/// The problem with a waiter's read request that sets the token of a
/// token-paged read action: the paginator sends it, from the second page on.
pub(super) fn token_in_template(paging: &ir::Paging, request: &Value) -> Option<String> {
    let ir::PagingMode::Token { wire, .. } = &paging.mode else {
        return None;
    };
    request
        .get(wire)
        .is_some()
        .then(|| format!("it sets `{wire}`, the token the paginator sends from the second page on"))
}
