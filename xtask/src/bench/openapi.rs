//! The synthetic model ([`crate::synth::Model`]) as an OpenAPI 3.0 document, the peer
//! generator's input for `bench peers`.
//!
//! Same content as the YAML spec truebind reads: each action is a `POST` with the
//! parameters as a JSON request body (an object schema), the success response's fields
//! as a response schema, and the four rows of the error table as four error responses
//! that share one `Error` schema. OpenAPI keys responses by HTTP status, so the rows
//! become 404, 400, 409 (the second documented 400 message) and 500 (the
//! vendor-numbered status; progenitor rejects `default` beside a typed success). Shared structures and enums are the same `Shape{k}` and
//! `State{k}` component schemas, one per ten actions; limits become `maxLength`,
//! `minimum`/`maximum`, `maxItems` and defaults. Each action gets its own path because
//! OpenAPI allows one `POST` per path; truebind's single endpoint with an action header
//! has no OpenAPI spelling.

use serde_json::{Map, Value, json};

use crate::synth::{Action, Field, Model, STATES, Ty, shape_fields};

/// The OpenAPI 3.0 document of `model`.
pub fn document(model: &Model) -> Value {
    let mut schemas = Map::new();
    for k in 0..model.shared {
        schemas.insert(
            format!("Shape{k}"),
            object(&shape_fields(k), &format!("Shared structure {k}.")),
        );
        schemas.insert(
            format!("State{k}"),
            json!({ "type": "string", "description": format!("States {k}."), "enum": STATES }),
        );
    }
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "description": "An error answer.",
            "required": ["code"],
            "properties": {
                "requestId": { "type": "string", "description": "Request id." },
                "code": { "type": "string", "description": "Error code." },
                "message": { "type": "string", "description": "Message." },
            },
        }),
    );
    let mut paths = Map::new();
    for a in &model.actions {
        schemas.insert(
            format!("{}Request", a.name),
            object(&a.input, &format!("Parameters of {}.", a.name)),
        );
        schemas.insert(
            format!("{}Response", a.name),
            object(&a.output, &format!("Answer of {}.", a.name)),
        );
        paths.insert(format!("/actions/{}", a.name), operation(a));
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic benchmark service",
            "description": "Generated for benchmarks.",
            "version": "2026-04-01",
        },
        "servers": [{ "url": "https://example.invalid/api" }],
        "paths": paths,
        "components": { "schemas": schemas },
    })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_body(schema: &str, description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": reference(schema) } },
    })
}

fn operation(a: &Action) -> Value {
    let i = a.index;
    let error = |description: String| json_body("Error", &description);
    let documented = |row: usize| {
        let e = &a.errors[row];
        let message = e.message.map(|m| format!(" ({m})")).unwrap_or_default();
        format!("{}{message}: {}", e.code, e.description)
    };
    let mut body = json_body(&format!("{}Request", a.name), "Parameters.");
    body["required"] = Value::Bool(true);
    json!({
        "post": {
            "operationId": a.name,
            "summary": format!("Synthetic action {i}."),
            "description": format!("Does synthetic thing {i}."),
            "requestBody": body,
            "responses": {
                "200": json_body(&format!("{}Response", a.name), "Success."),
                "404": error(documented(0)),
                "400": error(documented(1)),
                "409": error(documented(2)),
                "500": error(documented(3)),
            },
        }
    })
}

/// An object schema with `fields` as its properties.
fn object(fields: &[Field], description: &str) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.name.to_string(), property(f)))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut schema =
        json!({ "type": "object", "description": description, "properties": properties });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn schema_of(ty: Ty) -> Value {
    match ty {
        Ty::String => json!({ "type": "string" }),
        Ty::Integer => json!({ "type": "integer", "format": "int32" }),
        Ty::Float => json!({ "type": "number", "format": "double" }),
        Ty::Boolean => json!({ "type": "boolean" }),
        Ty::State(k) => reference(&format!("State{k}")),
        Ty::Shape(k) => reference(&format!("Shape{k}")),
        Ty::Strings => json!({ "type": "array", "items": { "type": "string" } }),
        Ty::Shapes(k) => json!({ "type": "array", "items": reference(&format!("Shape{k}")) }),
    }
}

/// One field's schema: its type, limits, default and description. A `$ref` cannot carry
/// siblings in OpenAPI 3.0, so references are wrapped in `allOf` to keep the description.
fn property(f: &Field) -> Value {
    let mut schema = schema_of(f.ty);
    if schema.get("$ref").is_some() {
        schema = json!({ "allOf": [schema] });
    }
    let l = &f.limits;
    let limits = [
        ("maxLength", l.max_length.map(i64::from)),
        ("minimum", l.min),
        ("maximum", l.max),
        ("maxItems", l.max_items.map(i64::from)),
        ("default", f.default),
    ];
    for (key, value) in limits {
        if let Some(v) = value {
            schema[key] = json!(v);
        }
    }
    let unit = f.unit.map(|u| format!(" In {u}.")).unwrap_or_default();
    schema["description"] = json!(format!("{}{unit}", f.description));
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(doc: &Value) -> &Map<String, Value> {
        doc["components"]["schemas"].as_object().expect("schemas")
    }

    #[test]
    fn has_one_operation_per_action_and_the_shared_share_of_schemas() {
        let doc = document(&Model::new(20));
        let text = serde_json::to_string(&doc).expect("serializes");
        let doc: Value = serde_json::from_str(&text).expect("parses back");
        assert_eq!(doc["openapi"], "3.0.3");
        let paths = doc["paths"].as_object().expect("paths");
        assert_eq!(paths.len(), 20);
        assert!(paths.values().all(|p| p["post"]["operationId"].is_string()));
        let names: Vec<&String> = schemas(&doc).keys().collect();
        let count = |prefix: &str| names.iter().filter(|n| n.starts_with(prefix)).count();
        // Two shared structures and enums for 20 actions (one per ten), as in the YAML spec.
        assert_eq!((count("Shape"), count("State")), (2, 2));
        assert_eq!(names.iter().filter(|n| n.ends_with("Request")).count(), 20);
        assert_eq!(names.iter().filter(|n| n.ends_with("Response")).count(), 20);
        assert_eq!(names.len(), 2 + 2 + 1 + 40);
    }

    #[test]
    fn operations_carry_the_model_s_parameters_limits_and_errors() {
        let doc = document(&Model::new(20));
        let write = &schemas(&doc)["Action00001Request"];
        let props = write["properties"].as_object().expect("properties");
        assert_eq!(props.len(), 7);
        assert_eq!(write["required"], json!(["targetId", "shape"]));
        assert_eq!(props["bandwidth"]["maximum"], 500);
        assert_eq!(props["bandwidth"]["default"], 1);
        assert_eq!(props["tags"]["maxItems"], 20);
        assert_eq!(
            props["shape"]["allOf"][0]["$ref"],
            "#/components/schemas/Shape1"
        );
        let response = &schemas(&doc)["Action00001Response"]["properties"];
        assert_eq!(response.as_object().expect("fields").len(), 4);
        let op = &doc["paths"]["/actions/Action00001"]["post"];
        let responses = op["responses"].as_object().expect("responses");
        let errors: Vec<&Value> = responses
            .iter()
            .filter(|(status, _)| *status != "200")
            .map(|(_, r)| &r["content"]["application/json"]["schema"]["$ref"])
            .collect();
        assert_eq!(errors.len(), 4);
        assert!(errors.iter().all(|r| *r == "#/components/schemas/Error"));
        assert_eq!(
            schemas(&doc)["State0"]["enum"].as_array().map(Vec::len),
            Some(5)
        );
    }
}
