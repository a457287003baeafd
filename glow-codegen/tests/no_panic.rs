//! Malformed input never panics: every node of a real OpenAPI document and of a manifest's
//! schemas is replaced, one at a time, by values of every other JSON kind, and the whole
//! pipeline (read, pair, emit, pretty-print) must return — with diagnostics or errors, never a
//! panic.

mod common;

use common::workspace;
use glow_codegen::builder::render;
use glow_codegen::model::Api;
use glow_codegen::source::openapi::{Document, read_document};
use serde_json::{Value, json};

/// Every JSON pointer in `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!(-1.5),
        json!("#/components/schemas/Nope"),
        json!([{"$ref": 1}]),
        json!({"type": "x"}),
    ]
}

/// The fixture's OpenAPI document, mutated at every node, read into a manifest and emitted.
#[test]
fn every_mutation_of_an_openapi_document_is_handled() {
    let text = std::fs::read_to_string(workspace().join("tests/server/openapi.json")).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    // A subset keeps the run short: two paths and the schemas they reach.
    let mut spec = original.clone();
    let paths = spec["paths"].as_object_mut().unwrap();
    paths.retain(|path, _| path == "/persona/{persona_id}" || path == "/test/generate");
    let keep = [
        "Persona",
        "Visibility",
        "TestGeneratePayload",
        "TestCase-Input",
        "TestCase-Output",
        "Difficulty",
        "GeneratedTests",
        "HTTPValidationError",
        "ValidationError",
    ];
    spec["components"]["schemas"]
        .as_object_mut()
        .unwrap()
        .retain(|name, _| keep.contains(&name.as_str()));
    let mut all = Vec::new();
    pointers(&spec, String::new(), &mut all);
    let mut read = 0;
    for pointer in all.iter().filter(|p| !p.is_empty()) {
        for replacement in replacements() {
            let mut mutated = spec.clone();
            if let Some(slot) = mutated.pointer_mut(pointer) {
                *slot = replacement;
            }
            let text = serde_json::to_string(&mutated).unwrap();
            if let Ok(doc) = Document::parse("mutated.json".into(), text) {
                let output = read_document(&doc);
                let _ = glow_codegen::emit::emit(&output.api);
                read += 1;
            }
        }
    }
    assert!(
        read > 1000,
        "{read} mutated documents read through to emission"
    );
}

/// The fixture manifest's schemas, mutated at every node and emitted.
#[test]
fn every_mutation_of_a_manifest_schema_is_handled() {
    let text = std::fs::read_to_string(workspace().join("manifests/glow.yaml")).unwrap();
    let api = glow_codegen::manifest::from_yaml(&text, "glow.yaml").unwrap();
    let types = serde_json::to_value(&api.types).unwrap();
    let mut all = Vec::new();
    pointers(&types, String::new(), &mut all);
    let mut emitted = 0;
    // Every schema node of a few types, each with its references.
    let chosen = [
        "/PersonaSearchPayload",
        "/TestGeneratePayload",
        "/TestCaseInput",
        "/Visibility",
        "/ScenarioStep",
    ];
    for pointer in all
        .iter()
        .filter(|p| p.matches('/').count() >= 2 && chosen.iter().any(|c| p.starts_with(c)))
    {
        for replacement in replacements() {
            let mut mutated = types.clone();
            if let Some(slot) = mutated.pointer_mut(pointer) {
                *slot = replacement;
            }
            let Ok(types) = serde_json::from_value(mutated) else {
                continue;
            };
            let api = Api {
                operations: api.operations.clone(),
                types,
            };
            if render(&api, "mutated.yaml").is_ok() {
                emitted += 1;
            }
        }
    }
    assert!(emitted > 300, "{emitted} mutated manifests emitted");
}
