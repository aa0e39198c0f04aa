//! Checking example and template JSON values against resolved types, and
//! parsing type expressions (`list<T>`, `map<T>`, names).

use super::*;

/// Parses `string`, `list<T>`, `map<T>` or a type name; the error is the unknown part.
pub(super) fn parse_type(text: &str, catalog: &Catalog) -> Result<ir::Type, String> {
    parse_type_at(text, catalog, 0)
}

pub(super) fn parse_type_at(
    text: &str,
    catalog: &Catalog,
    depth: usize,
) -> Result<ir::Type, String> {
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('>'))
            .map(str::trim)
    };
    let nested = inner("list<").or_else(|| inner("map<"));
    if nested.is_some() && depth >= MAX_TYPE_DEPTH {
        return Err(text.to_string());
    }
    if let Some(item) = inner("list<") {
        return Ok(ir::Type::List(Box::new(parse_type_at(
            item,
            catalog,
            depth + 1,
        )?)));
    }
    if let Some(item) = inner("map<") {
        return Ok(ir::Type::Map(Box::new(parse_type_at(
            item,
            catalog,
            depth + 1,
        )?)));
    }
    Ok(match text {
        "string" => ir::Type::String,
        "integer" => ir::Type::Integer,
        "long" => ir::Type::Long,
        "float" => ir::Type::Float,
        "boolean" => ir::Type::Boolean,
        name if catalog.structs.contains(name) => ir::Type::Struct(ir::Handle::named(name)),
        name if catalog.enums.contains_key(name) => ir::Type::Enum(ir::Handle::named(name)),
        other => return Err(other.to_string()),
    })
}

/// What example values are checked against: the parsed structures, and what `$ids` is.
pub(super) struct ExampleCx<'a> {
    pub(super) structs: &'a [ir::Struct],
    /// Fields already reported as broken; values for them are not checked again.
    pub(super) broken: &'a BTreeSet<String>,
    /// In a read template, the string standing for the list of ids; empty otherwise.
    pub(super) placeholder: &'a str,
}

/// Checks an example object against fields: required present, no unknown keys, types and limits fit.
pub(super) fn check_object(
    value: &Value,
    fields: &[ir::Field],
    cx: &ExampleCx<'_>,
    at: &str,
    problems: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else {
        let what = if at.is_empty() { "the example" } else { at };
        problems.push(format!("`{what}` should be a JSON object, not {value}"));
        return;
    };
    // In a read template, top-level required parameters left out become waiter arguments.
    let template_top = at.is_empty() && !cx.placeholder.is_empty();
    for f in fields.iter().filter(|f| f.required && !template_top) {
        if !object.contains_key(&f.wire) {
            problems.push(format!("required `{}{}` is missing", prefix(at), f.wire));
        }
    }
    for (key, v) in object {
        let here = format!("{}{key}", prefix(at));
        match fields.iter().find(|f| &f.wire == key) {
            None if cx.broken.contains(key) => {}
            None => {
                let hint = suggestion(key, fields.iter().map(|f| f.wire.as_str()))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                problems.push(format!("`{here}` is not a documented parameter{hint}"));
            }
            Some(f) => {
                check_value(v, &f.ty, cx, &here, problems);
                check_limits(v, &f.constraints, &here, problems);
            }
        }
    }
}

pub(super) fn prefix(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}.")
    }
}

/// Documented limits that an example value breaks (the generated tests would fail).
pub(super) fn check_limits(
    value: &Value,
    c: &ir::Constraints,
    at: &str,
    problems: &mut Vec<String>,
) {
    let consistent =
        |low: Option<u64>, high: Option<u64>| low.zip(high).is_none_or(|(l, h)| l <= h);
    let numbers_ok = c.min.zip(c.max).is_none_or(|(l, h)| l <= h);
    if let Some(n) = value.as_i64()
        && numbers_ok
        && (c.min.is_some_and(|m| n < m) || c.max.is_some_and(|m| n > m))
    {
        problems.push(format!("`{at}` = {n} is outside its documented range"));
    }
    if let Some(text) = value.as_str() {
        let chars = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
        if consistent(c.min_length, c.max_length)
            && (c.min_length.is_some_and(|m| chars < m) || c.max_length.is_some_and(|m| chars > m))
        {
            problems.push(format!(
                "`{at}` = {value} breaks its documented length limits"
            ));
        }
        if c.ascii && !text.is_ascii() {
            problems.push(format!("`{at}` = {value} is not ASCII"));
        }
        if let Some(p) = &c.pattern
            && let Ok(re) = regex_lite::Regex::new(&format!("^(?:{p})$"))
            && !re.is_match(text)
        {
            problems.push(format!("`{at}` = {value} does not match the pattern `{p}`"));
        }
    }
    if let Some(items) = value.as_array() {
        let n = u64::try_from(items.len()).unwrap_or(u64::MAX);
        if consistent(c.min_items, c.max_items)
            && (c.min_items.is_some_and(|m| n < m) || c.max_items.is_some_and(|m| n > m))
        {
            problems.push(format!(
                "`{at}` has {n} items, outside its documented limits"
            ));
        }
    }
}

pub(super) fn check_value(
    value: &Value,
    ty: &ir::Type,
    cx: &ExampleCx<'_>,
    at: &str,
    problems: &mut Vec<String>,
) {
    if !cx.placeholder.is_empty() && value.as_str() == Some(cx.placeholder) {
        if *ty != ir::Type::List(Box::new(ir::Type::String)) {
            problems.push(format!(
                "`{at}` is {}, but `{}` stands for a list of id strings and needs a `list<string>` parameter",
                type_name(ty),
                cx.placeholder
            ));
        }
        return;
    }
    let fits = match ty {
        ir::Type::String => value.is_string(),
        ir::Type::Integer => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        ir::Type::Long => value.is_i64(),
        ir::Type::Float => value.is_number(),
        ir::Type::Boolean => value.is_boolean(),
        ir::Type::Enum(_) => value.is_string(),
        ir::Type::List(item) => match value.as_array() {
            Some(items) => {
                for (i, v) in items.iter().enumerate() {
                    check_value(v, item, cx, &format!("{at}[{i}]"), problems);
                }
                true
            }
            None => false,
        },
        ir::Type::Map(item) => match value.as_object() {
            Some(entries) => {
                for (k, v) in entries {
                    check_value(v, item, cx, &format!("{at}.{k}"), problems);
                }
                true
            }
            None => false,
        },
        ir::Type::Struct(name) => match cx.structs.iter().find(|s| *name == s.name) {
            Some(s) if value.is_object() => {
                check_object(value, &s.fields, cx, at, problems);
                true
            }
            Some(_) => false,
            None => true,
        },
    };
    if !fits {
        let range = if *ty == ir::Type::Integer && value.is_i64() {
            " (a 32-bit integer)"
        } else {
            ""
        };
        problems.push(format!(
            "`{at}` = {value} does not fit type {}{range}",
            type_name(ty)
        ));
    }
}

pub(super) fn type_name(ty: &ir::Type) -> String {
    match ty {
        ir::Type::String => "string".into(),
        ir::Type::Integer => "integer".into(),
        ir::Type::Long => "long".into(),
        ir::Type::Float => "float".into(),
        ir::Type::Boolean => "boolean".into(),
        ir::Type::List(t) => format!("list<{}>", type_name(t)),
        ir::Type::Map(t) => format!("map<{}>", type_name(t)),
        ir::Type::Struct(n) => n.to_string(),
        ir::Type::Enum(n) => n.to_string(),
    }
}
