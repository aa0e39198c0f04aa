//! Paging facts: which list actions page, and where their records are.
//!
//! The metadata has no paging key, but its parameter and response names say
//! it plainly: `PageNumber` + `PageSize` in, `TotalCount` out is page-number
//! paging (the `Describe*` actions); `NextToken` + `MaxResults` in (a few
//! older actions spell it `MaxResult`) and `NextToken` out is token paging
//! (the `List*` actions). Detecting it keeps 75-odd list actions from needing
//! a curated `paging` block each; curation overrides a detected block when the
//! guess is wrong. The records are the one list of objects the response holds
//! (through objects, as in `Vpcs.Vpc`); a response with several gets no
//! paging, since which one pages is not a fact the names show.

use serde_json::{Value, json};

use super::meta::{Api, Schema};

/// The `paging` block the action's facts show, if they show one.
pub fn detect(api: &Api) -> Option<Value> {
    let response = api.responses.get("200")?.schema.as_ref()?;
    let items = single_list(response)?;
    // An optional parameter, and a top-level response field, of this name and type.
    let param = |name: &str, ty: &str| {
        api.parameters.iter().any(|p| {
            p.name == name && p.schema.ty.as_deref() == Some(ty) && p.schema.required != Some(true)
        })
    };
    let output = |name: &str, ty: &str| {
        response
            .properties
            .iter()
            .any(|(wire, s)| wire == name && s.ty.as_deref() == Some(ty))
    };
    if param("PageNumber", "integer")
        && param("PageSize", "integer")
        && output("TotalCount", "integer")
    {
        return Some(json!({
            "page_number": "PageNumber",
            "page_size": "PageSize",
            "total": "TotalCount",
            "items": items,
        }));
    }
    let size = ["MaxResults", "MaxResult"]
        .into_iter()
        .find(|n| param(n, "integer"))?;
    (param("NextToken", "string") && output("NextToken", "string")).then(|| {
        json!({
            "next_token": "NextToken",
            "page_size": size,
            "items": items,
        })
    })
}

/// The dotted path of the only list of objects in `schema` (a list of strings is not
/// records; lists inside lists are not counted).
fn single_list(schema: &Schema) -> Option<String> {
    let mut found = Vec::new();
    lists(schema, "", &mut found);
    match <[String; 1]>::try_from(found) {
        Ok([path]) => Some(path),
        Err(_) => None,
    }
}

fn lists(schema: &Schema, prefix: &str, found: &mut Vec<String>) {
    for (wire, s) in &schema.properties {
        let path = format!("{prefix}{wire}");
        match s.ty.as_deref() {
            Some("array") if s.items.as_ref().and_then(|i| i.ty.as_deref()) == Some("object") => {
                found.push(path);
            }
            Some("object") => lists(s, &format!("{path}."), found),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(json: &str) -> Api {
        serde_json::from_str(json).unwrap()
    }

    const PARAMS: &str = r#"[{"name": "PageNumber", "in": "query", "schema": {"type": "integer"}},
        {"name": "PageSize", "in": "query", "schema": {"type": "integer"}}]"#;

    #[test]
    fn page_number_paging_is_read_from_the_names() {
        let a = api(&format!(
            r#"{{"parameters": {PARAMS}, "responses": {{"200": {{"schema": {{"type": "object",
            "properties": {{"TotalCount": {{"type": "integer"}}, "Vpcs": {{"type": "object",
            "properties": {{"Vpc": {{"type": "array", "items": {{"type": "object"}}}}}}}}}}}}}}}}}}"#
        ));
        assert_eq!(
            detect(&a),
            Some(json!({"page_number": "PageNumber", "page_size": "PageSize",
                        "total": "TotalCount", "items": "Vpcs.Vpc"}))
        );
    }

    #[test]
    fn token_paging_is_read_from_the_names_in_either_spelling() {
        for size in ["MaxResults", "MaxResult"] {
            let a = api(&format!(
                r#"{{"parameters": [{{"name": "NextToken", "in": "query", "schema": {{"type": "string"}}}},
                {{"name": "{size}", "in": "query", "schema": {{"type": "integer"}}}}],
                "responses": {{"200": {{"schema": {{"type": "object", "properties": {{
                "NextToken": {{"type": "string"}},
                "Tags": {{"type": "array", "items": {{"type": "object"}}}}}}}}}}}}}}"#
            ));
            assert_eq!(
                detect(&a),
                Some(json!({"next_token": "NextToken", "page_size": size, "items": "Tags"}))
            );
        }
        let no_token_back = api(r#"{"parameters": [
            {"name": "NextToken", "in": "query", "schema": {"type": "string"}},
            {"name": "MaxResults", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"schema": {"type": "object", "properties": {
            "Tags": {"type": "array", "items": {"type": "object"}}}}}}}"#);
        assert_eq!(detect(&no_token_back), None);
    }

    #[test]
    fn no_total_or_two_lists_is_no_paging() {
        let no_total = api(&format!(
            r#"{{"parameters": {PARAMS}, "responses": {{"200": {{"schema": {{"type": "object",
            "properties": {{"Logs": {{"type": "array", "items": {{"type": "object"}}}}}}}}}}}}}}"#
        ));
        assert_eq!(detect(&no_total), None);
        let two = api(&format!(
            r#"{{"parameters": {PARAMS}, "responses": {{"200": {{"schema": {{"type": "object",
            "properties": {{"TotalCount": {{"type": "integer"}},
            "A": {{"type": "array", "items": {{"type": "object"}}}},
            "B": {{"type": "array", "items": {{"type": "object"}}}}}}}}}}}}}}"#
        ));
        assert_eq!(detect(&two), None);
    }
}
