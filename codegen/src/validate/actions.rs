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
        if self.upper_camel(path, &a.name, "action name")
            && names::bare(&names::snake(&a.name.value)) == "mod"
        {
            self.err(
                Diagnostic::on(
                    path,
                    &a.name,
                    "an action named `Mod` would overwrite the generated `operation/mod.rs`",
                )
                .help("check the action name on the vendor page"),
            );
        }
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
        let number = self.paging_field(path, &p.page_number, input, "input");
        let size = self.paging_field(path, &p.page_size, input, "input");
        let total = self.paging_field(path, &p.total, output, "output");
        let (number, size, total) = (number?, size?, total?);
        if number.wire == size.wire {
            self.err(
                Diagnostic::on(
                    path,
                    &p.page_size,
                    "`page_number` and `page_size` name the same parameter",
                )
                .help("name the page-number parameter and the page-size parameter"),
            );
            return None;
        }
        let mut required = false;
        for (wire, field) in [(&p.page_number, number), (&p.page_size, size)] {
            if field.required {
                required = true;
                self.err(
                    Diagnostic::on(
                        path,
                        wire,
                        format!("paging parameter `{}` is required", wire.value),
                    )
                    .help("paging parameters must be optional (the paginator sets them); drop `required: true`"),
                );
            }
        }
        if required {
            return None;
        }
        let mut fields = output;
        let mut rust_path = Vec::new();
        let mut item_type = None;
        let segments: Vec<&str> = p.items.value.split('.').collect();
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
                    &p.items,
                    format!(
                        "`{segment}` in `{}` is not a field of {side}",
                        p.items.value
                    ),
                );
                d = match did_you_mean(segment, fields.iter().map(|f| f.wire.as_str())) {
                    Some(h) => d.help(format!("did you mean `{h}`?")),
                    None => {
                        d.help("give the dotted wire path from the output to the list of records")
                    }
                };
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
                    fields = &structs.iter().find(|s| &s.name == name)?.fields;
                }
                (other, false) => {
                    self.err(
                        Diagnostic::on(
                            path,
                            &p.items,
                            format!(
                                "`{segment}` in `{}` is {}, not a structure, so the path cannot go on",
                                p.items.value,
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
                    &p.items,
                    format!("`{}` does not lead to a list of structures", p.items.value),
                )
                .help("give the dotted wire path from the output to the list of records"),
            );
            return None;
        };
        Some(ir::Paging {
            page_number: number.rust.clone(),
            page_number_long: number.ty == ir::Type::Long,
            page_size_long: size.ty == ir::Type::Long,
            total_long: total.ty == ir::Type::Long,
            max_page_size: size.constraints.max,
            page_size: size.rust.clone(),
            default_page_size: size.default.as_ref().and_then(Value::as_i64),
            total: total.rust.clone(),
            items: rust_path,
            item_type,
        })
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
            if !is_ident(&variant) {
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
