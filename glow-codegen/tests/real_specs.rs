//! Large real-world OpenAPI documents (`tests/data/`): every operation and every schema is
//! accounted for, nothing panics, no error that is not a real defect of the document, and the
//! manifest of each survives a YAML round trip unchanged.

mod common;

use std::collections::BTreeSet;

use common::workspace;
use glow_codegen::diagnostic::Severity;
use glow_codegen::manifest;
use glow_codegen::model::Api;
use glow_codegen::sources::Sources;
use serde_json::Value;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Checks one spec: operation and type counts, every route and component present, and how
/// many schemas fall back to `serde_json::Value` in the generated code.
fn check(file: &str, operations: usize, types: usize, fallbacks: usize) {
    let path = workspace().join("tests/data").join(file);
    let raw: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let output = Sources::new().openapi(&path).read().unwrap();

    let errors: Vec<String> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_human())
        .collect();
    assert!(errors.is_empty(), "{file}: {errors:#?}");

    let expected_routes: BTreeSet<(String, String)> = raw["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_ascii_uppercase(), path.clone()))
        })
        .collect();
    let routes: BTreeSet<(String, String)> = output
        .api
        .operations
        .iter()
        .map(|o| {
            let route = o.http.as_ref().unwrap();
            (route.method.clone(), route.path.clone())
        })
        .collect();
    assert_eq!(
        routes, expected_routes,
        "{file}: every path and method is an operation"
    );
    assert_eq!(
        output.api.operations.len(),
        operations,
        "{file}: operations"
    );
    let names: BTreeSet<&String> = output.api.operations.iter().map(|o| &o.name).collect();
    assert_eq!(
        names.len(),
        operations,
        "{file}: operation names are unique"
    );

    // A type's name is its component's words in UpperCamelCase (`T` before a leading digit).
    let squash = |name: &str| -> String {
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    let squashed: BTreeSet<String> = output.api.types.keys().map(|n| squash(n)).collect();
    for component in raw["components"]["schemas"].as_object().unwrap().keys() {
        let wanted = squash(component);
        assert!(
            squashed.contains(&wanted) || squashed.contains(&format!("t{wanted}")),
            "{file}: component `{component}` is a type"
        );
    }
    assert_eq!(
        output.api.types.len(),
        types,
        "{file}: components plus hoisted inline objects"
    );
    for (name, schema) in &output.api.types {
        for target in Api::references(schema) {
            assert!(
                output.api.types.contains_key(target),
                "{file}: `{name}` references missing `{target}`"
            );
        }
    }

    let emitted = glow_codegen::emit::emit(&output.api).unwrap();
    assert_eq!(
        emitted.stats.fallbacks.len(),
        fallbacks,
        "{file}: {:#?}",
        emitted.stats.fallbacks
    );

    let yaml = manifest::to_yaml(&output.api).unwrap();
    let back = manifest::from_yaml(&yaml, file).unwrap();
    assert!(
        back == output.api,
        "{file}: the manifest round-trips through YAML"
    );
}

#[test]
fn github_rest_api_loads_completely() {
    check("github-rest-3.0.json", 767, 1142, 0);
}

#[test]
fn oxide_nexus_api_loads_completely() {
    check("oxide-nexus-3.0.json", 193, 269, 0);
}
