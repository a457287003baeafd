//! Malformed input never panics: every node of a real OpenAPI document and of a manifest's
//! schemas is replaced, one at a time, by values of every other JSON kind, and the whole
//! pipeline (read, pair, emit, pretty-print) must return — with diagnostics or errors, never a
//! panic.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::workspace;
use glow_codegen::model::{Api, Operation};
use glow_codegen::render;
use glow_codegen::sources::read_openapi_text;
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
            if let Ok(output) = read_openapi_text("mutated.json", &text) {
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

/// The fixture manifest's schemas, mutated at every node and emitted with everything the
/// mutated type can affect: the types connected to it by references (either way) and the
/// operations that use them. The rest of the manifest would emit the same code every time.
#[test]
fn every_mutation_of_a_manifest_schema_is_handled() {
    let text = std::fs::read_to_string(workspace().join("manifests/glow.yaml")).unwrap();
    let api = glow_codegen::manifest::from_yaml(&text, "glow.yaml").unwrap();
    let mut emitted = 0;
    let mut tried = 0;
    for chosen in [
        "PersonaSearchPayload",
        "TestGeneratePayload",
        "TestCase",
        "Visibility",
        "ScenarioStep",
    ] {
        let neighbourhood = neighbourhood(&api, chosen);
        assert!(neighbourhood.types.len() > 1, "{chosen} has neighbours");
        let schema = serde_json::to_value(&neighbourhood.types[chosen]).unwrap();
        let mut all = Vec::new();
        pointers(&schema, String::new(), &mut all);
        for pointer in all.iter().filter(|p| !p.is_empty()) {
            for replacement in replacements() {
                let mut mutated = schema.clone();
                if let Some(slot) = mutated.pointer_mut(pointer) {
                    *slot = replacement;
                }
                let mut api = neighbourhood.clone();
                api.types.insert(chosen.to_owned(), mutated.into());
                tried += 1;
                if render(&api, "mutated.yaml").is_ok() {
                    emitted += 1;
                }
            }
        }
    }
    assert!(
        emitted > 300,
        "{emitted} of {tried} mutated manifests emitted"
    );
}

/// The types connected to `name` by references, either way, and the operations that use only
/// those types.
fn neighbourhood(api: &Api, name: &str) -> Api {
    let mut linked: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, schema) in &api.types {
        for to in Api::references(schema) {
            linked.entry(from).or_default().insert(to);
            linked.entry(to).or_default().insert(from);
        }
    }
    let mut connected = BTreeSet::from([name]);
    let mut queue = vec![name];
    while let Some(current) = queue.pop() {
        for &next in linked.get(current).into_iter().flatten() {
            if connected.insert(next) {
                queue.push(next);
            }
        }
    }
    let operations = api
        .operations
        .iter()
        .filter(|operation| {
            let used = operation_types(operation);
            !used.is_empty() && used.iter().all(|t| connected.contains(t))
        })
        .cloned()
        .collect();
    Api {
        operations,
        protocols: Vec::new(),
        types: api
            .types
            .iter()
            .filter(|(n, _)| connected.contains(n.as_str()))
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect(),
        auth: Default::default(),
    }
}

/// Every type an operation names.
fn operation_types(operation: &Operation) -> Vec<&str> {
    let mut used: Vec<&str> = operation
        .request
        .iter()
        .chain(&operation.ack)
        .map(String::as_str)
        .collect();
    if let Some(route) = &operation.http {
        used.extend(route.body.iter().filter_map(|b| b.type_name.as_deref()));
        used.extend(
            route
                .response
                .iter()
                .chain(&route.errors)
                .filter_map(|r| r.type_name.as_deref()),
        );
        for parameter in &route.parameters {
            used.extend(Api::references(&parameter.schema));
        }
    }
    used
}
