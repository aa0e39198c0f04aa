//! Crate-wide checks: names, regions, recursion, and collisions between
//! generated names (client methods, type names, actions, request ids).

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn check_crate_name(&mut self, path: &Path, name: &Spanned<String>) {
        let n = name.value.as_str();
        if !names::is_kebab(n) {
            let suggestion: String = heck::ToKebabCase::to_kebab_case(n)
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let example = if suggestion.starts_with(|c: char| c.is_ascii_lowercase()) {
                format!("`{suggestion}`")
            } else {
                "`zenlayer-sdn`".to_string()
            };
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!("the service name `{n}` is not a kebab-case crate name"),
                )
                .help(format!(
                    "start with a lower-case letter and use only lower-case letters, digits and single `-`, e.g. {example}"
                )),
            );
        } else if !crate::names::is_ident(&n.replace('-', "_")) {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "the crate name `{n}` is a Rust keyword, so code cannot refer to the crate"
                    ),
                )
                .help("name the crate after the vendor and service, e.g. `zenlayer-sdn`"),
            );
        } else if RESERVED_CRATES.contains(&n) {
            self.err(
                Diagnostic::on(
                    path,
                    name,
                    format!(
                        "the crate name `{n}` is already taken by a crate the generated code uses"
                    ),
                )
                .help("name the crate after the vendor and service, e.g. `zenlayer-sdn`"),
            );
        }
    }

    /// The title is one line: it heads the crate docs and sits in the manifest's description.
    pub(super) fn check_title(&mut self, path: &Path, title: &Spanned<String>) {
        if title.value.contains('\n') {
            self.err(
                Diagnostic::on(path, title, "the title spans several lines")
                    .help("write the title on one line; put the rest in `description`"),
            );
        }
    }

    /// A `docs_url` is an http(s) address that stays one link in rustdoc.
    pub(super) fn check_url(&mut self, path: &Path, url: Option<&Spanned<String>>) {
        let Some(url) = url else { return };
        let u = url.value.as_str();
        let scheme = u.starts_with("https://") || u.starts_with("http://");
        let bad = u
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "<>\"`{}|\\^".contains(*c));
        let problem = match (scheme, bad) {
            (false, _) => "`docs_url` must start with `https://` or `http://`".to_string(),
            (true, Some(c)) => format!(
                "`docs_url` contains `{}`, which a link cannot hold",
                c.escape_default()
            ),
            (true, None) => return,
        };
        self.err(
            Diagnostic::on(path, url, problem)
                .help("write the address as the browser shows it, percent-encoding anything else (`%20` for a space)"),
        );
    }

    /// `version` and every `changelog` version are semver; the entries are
    /// newest first, and the newest is `version`, so a release always says
    /// what changed (and notes never exist for a crate that has no version).
    pub(super) fn check_versions(&mut self, path: &Path, file: &model::ServiceFile) {
        let parse = |this: &mut Self, v: &Spanned<String>, key: &str| {
            let parsed = semver::Version::parse(&v.value);
            if let Err(e) = &parsed {
                let message = format!("`{key}` `{}` is not a semantic version ({e})", v.value);
                let help =
                    "write MAJOR.MINOR.PATCH, e.g. `0.1.0` or `1.2.0-beta.1` (https://semver.org)";
                this.err(Diagnostic::on(path, v, message).help(help));
            }
            parsed.ok()
        };
        let version = file
            .version
            .as_ref()
            .map(|v| (v, parse(self, v, "version")));
        let mut newer: Option<semver::Version> = None;
        for entry in &file.changelog {
            let Some(this) = parse(self, &entry.version, "changelog.version") else {
                continue;
            };
            if let Some(newer) = newer.as_ref().filter(|n| this >= **n) {
                self.err(
                    Diagnostic::on(
                        path,
                        &entry.version,
                        format!("changelog entry `{this}` is not older than `{newer}` above it"),
                    )
                    .help("list releases newest first, each version once"),
                );
            }
            newer = Some(this);
        }
        let Some((version, parsed)) = version else {
            if let Some(entry) = file.changelog.first() {
                let help = format!("add `version: {}` to service.yaml", entry.version.value);
                self.err(
                    Diagnostic::on(
                        path,
                        &entry.version,
                        "`changelog` is set but the crate has no `version`",
                    )
                    .help(help),
                );
            }
            return;
        };
        let v = &version.value;
        let Some(entry) = file.changelog.first() else {
            let help = format!(
                "add `changelog:` with `- version: {v}` and `changes: …` (what changed for users)"
            );
            let message = format!("version `{v}` has no `changelog` entry");
            self.err(Diagnostic::on(path, version, message).help(help));
            return;
        };
        let head = semver::Version::parse(&entry.version.value).ok();
        if let (Some(parsed), Some(head)) = (parsed, head)
            && parsed != head
        {
            let message =
                format!("the newest changelog entry is `{head}`, but the crate's version is `{v}`");
            let help = format!(
                "add an entry for `{v}` at the top of `changelog`, or set `version` to the release being described"
            );
            self.err(Diagnostic::on(path, &entry.version, message).help(help));
        }
    }

    /// The text of the loaded file `path` (empty if it is not one).
    fn source_text(&self, path: &Path) -> &'a str {
        let sources = &self.loaded.sources;
        sources
            .iter()
            .find(|(p, _)| p == path)
            .map_or("", |(_, t)| t.as_str())
    }

    /// The default endpoint is an `https://` base URL and every regional
    /// host a host name, and regions are region names: the runtime splices
    /// them into URLs, where `@`, `#` or `/` would pick another host.
    pub(super) fn check_endpoints(&mut self, path: &Path, file: &model::ServiceFile) {
        let text = self.source_text(path);
        let host_name = |h: &str| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        };
        let endpoint = file.endpoint.strip_prefix("https://").and_then(|rest| {
            let (host, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let path_chars = |c: char| c.is_ascii_alphanumeric() || "/-._~".contains(c);
            (host_name(host) && tail.chars().all(path_chars)).then_some(())
        });
        let mut problems = Vec::new();
        if endpoint.is_none() {
            problems.push((
                file.endpoint.as_str(),
                format!(
                    "the endpoint `{}` is not an `https://` base URL",
                    file.endpoint.escape_debug()
                ),
            ));
        }
        for r in &file.regional_endpoints {
            if !r
                .region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
                || r.region.is_empty()
            {
                let message = format!("region `{}` is not a region name", r.region.escape_debug());
                problems.push((r.region.as_str(), message));
            }
            if !host_name(&r.host) {
                let message = format!(
                    "the host `{}` of region `{}` is not a host name",
                    r.host.escape_debug(),
                    r.region.escape_debug()
                );
                problems.push((r.host.as_str(), message));
            }
        }
        for (value, message) in problems {
            let d = located(path, text, value, 1, message);
            self.err(d.help(
                "write `https://` and the host (and path) only, and hosts and regions as plain names: letters, digits, `-` and `.`",
            ));
        }
    }

    pub(super) fn check_regions(&mut self, path: &Path, file: &model::ServiceFile) {
        let text = self.source_text(path);
        let mut seen = BTreeMap::new();
        for r in &file.regional_endpoints {
            let count = seen.entry(r.region.as_str()).or_insert(0usize);
            *count += 1;
            if *count > 1 {
                let message = format!(
                    "region `{}` is listed {} times in `regional_endpoints`",
                    r.region, count
                );
                // Regions carry no position of their own; point at the repeated spelling.
                let d = located(path, text, &r.region, *count, message);
                self.err(d.help("keep one host per region"));
            }
        }
    }

    /// A structure that contains itself without a list or map in between has no finite size.
    pub(super) fn check_recursive_structs(&mut self) {
        let (path, types) = &self.loaded.types;
        let direct: BTreeMap<&str, Vec<&str>> = self
            .structs
            .iter()
            .map(|s| {
                let inner = s
                    .fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        ir::Type::Struct(n) => Some(n.as_str()),
                        _ => None,
                    })
                    .collect();
                (s.name.as_str(), inner)
            })
            .collect();
        let mut problems = Vec::new();
        for s in &types.structures {
            let start = s.name.value.as_str();
            // Depth-first search for a path of plain fields leading back to `start`.
            let mut stack: Vec<Vec<&str>> = vec![vec![start]];
            let mut visited = BTreeSet::new();
            let mut cycle = None;
            while let Some(trail) = stack.pop() {
                let last = trail[trail.len() - 1];
                for next in direct.get(last).into_iter().flatten() {
                    if *next == start {
                        let mut full = trail.clone();
                        full.push(next);
                        cycle = Some(full);
                        break;
                    }
                    if visited.insert(*next) {
                        let mut longer = trail.clone();
                        longer.push(next);
                        stack.push(longer);
                    }
                }
                if cycle.is_some() {
                    break;
                }
            }
            if let Some(cycle) = cycle {
                problems.push(
                    Diagnostic::on(
                        path,
                        &s.name,
                        format!(
                            "structure `{start}` contains itself ({}), so it would have no finite size in Rust",
                            cycle.join(" → ")
                        ),
                    )
                    .help("if the vendor really nests it, make one of the fields a `list<…>` (or ask for Box support in the generator)"),
                );
            }
        }
        for p in problems {
            self.err(p);
        }
    }

    /// Methods of the generated `Client`: fixed ones, one per action, paginators and waiters.
    pub(super) fn check_client_methods(
        &mut self,
        actions: &[ir::Action],
        resources: &[ir::Resource],
    ) {
        let mut taken: BTreeMap<String, String> = [
            ("new", "the constructor `Client::new`"),
            ("from_env", "the constructor `Client::from_env`"),
        ]
        .into_iter()
        .map(|(m, what)| (m.to_string(), what.to_string()))
        .collect();
        // Copied out, so reading the spec does not hold `self` while `claim` reports.
        let loaded = self.loaded;
        let (types_path, types) = &loaded.types;
        let mut claim = |method: String, what: String, at: Diagnostic| {
            if let Some(other) = taken.get(&method) {
                let message = format!(
                    "{what} becomes the client method `{method}`, which is already {other}"
                );
                self.err(Diagnostic { message, ..at }.help("rename one of them"));
            } else {
                taken.insert(method, what);
            }
        };
        let by_name = actions_by_name(actions);
        let mut seen_actions = BTreeSet::new();
        for (path, a) in &loaded.actions {
            let Some(action) = by_name.get(a.name.value.as_str()) else {
                continue;
            };
            if !seen_actions.insert(&a.name.value) {
                continue; // reported as a duplicate action
            }
            let at = Diagnostic::on(path, &a.name, "");
            claim(
                names::bare(&action.snake).to_string(),
                format!("action `{}`", action.name),
                at.clone(),
            );
            if action.paging.is_some() {
                claim(
                    names::paginator_method(&action.snake),
                    format!("the paginator of `{}`", action.name),
                    at.clone(),
                );
            }
        }
        for r in &types.resources {
            let Some(resource) = resources.iter().find(|x| x.name == r.name.value) else {
                continue;
            };
            for (w, spanned) in resource.waiters.iter().zip(&r.waiters) {
                claim(
                    names::waiter_method(&w.snake),
                    format!("waiter `{}`", w.name),
                    Diagnostic::on(types_path, &spanned.name, ""),
                );
            }
        }
    }

    /// Structure and enum names must not take the names generated for actions.
    pub(super) fn check_generated_type_names(&mut self) {
        let (path, types) = &self.loaded.types;
        let mut generated = BTreeMap::new();
        for (_, a) in &self.loaded.actions {
            for name in names::action_types(&a.name.value) {
                generated.insert(name, a.name.value.clone());
            }
        }
        for name in types
            .structures
            .iter()
            .map(|s| &s.name)
            .chain(types.enums.iter().map(|e| &e.name))
        {
            if let Some(action) = generated.get(&name.value) {
                self.err(
                    Diagnostic::on(
                        path,
                        name,
                        format!(
                            "type `{}` has the name the generator gives to a type of action `{action}`",
                            name.value
                        ),
                    )
                    .help("rename the type"),
                );
            }
        }
    }

    pub(super) fn check_request_id_outputs(&mut self, actions: &[ir::Action]) {
        let wanted = &self.loaded.service.1.request_id_field.value;
        let by_name = actions_by_name(actions);
        for (path, a) in &self.loaded.actions {
            let Some(action) = by_name.get(a.name.value.as_str()) else {
                continue;
            };
            match action.output.iter().find(|f| &f.wire == wanted) {
                None => self.err(
                    Diagnostic::on(
                        path,
                        &a.name,
                        format!(
                            "the output of `{}` lacks the request-id field `{wanted}` named in service.yaml",
                            a.name.value
                        ),
                    )
                    .help(format!(
                        "add `- {{ name: {wanted}, type: string, description: … }}` to `output`"
                    )),
                ),
                Some(f) if f.ty != ir::Type::String => {
                    if let Some(field) = a.output.iter().find(|x| &x.name.value == wanted) {
                        self.err(
                            Diagnostic::on(
                                path,
                                &field.ty,
                                format!("the request-id field `{wanted}` must be a string"),
                            )
                            .help("write `type: string`"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
    }

    pub(super) fn check_duplicate_actions(&mut self) {
        let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
        for (path, action) in &self.loaded.actions {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let usable = !action.name.value.is_empty()
                && action.name.value.chars().all(|c| c.is_ascii_alphanumeric());
            if stem != action.name.value && usable {
                self.err(
                    Diagnostic::on(
                        path,
                        &action.name,
                        format!("action `{}` is in file `{stem}.yaml`", action.name.value),
                    )
                    .help(format!("rename the file to `{}.yaml`", action.name.value)),
                );
            }
            if let Some(first) = seen.insert(&action.name.value, path) {
                self.err(Diagnostic::on(
                    path,
                    &action.name,
                    format!(
                        "action `{}` is also defined in {}",
                        action.name.value,
                        first.display()
                    ),
                ).help("an action has exactly one file; delete one of them, or fix the `name` of the one that is a different action"));
            }
        }
    }
}

/// The actions by name (the first of duplicates), so per-action lookups stay linear overall.
fn actions_by_name(actions: &[ir::Action]) -> BTreeMap<&str, &ir::Action> {
    let mut by_name = BTreeMap::new();
    for a in actions {
        by_name.entry(a.name.as_str()).or_insert(a);
    }
    by_name
}

/// A diagnostic on `path` at the `nth` occurrence of `needle` in its `text`
/// (for values that carry no position of their own), else on the file.
fn located(path: &Path, text: &str, needle: &str, nth: usize, message: String) -> Diagnostic {
    match nth_position(text, needle, nth) {
        Some((line, column)) => Diagnostic {
            line,
            column,
            ..Diagnostic::file(path, message)
        },
        None => Diagnostic::file(path, message),
    }
}
