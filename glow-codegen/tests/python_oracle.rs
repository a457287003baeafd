//! The real libraries as oracles: python-socketio's own handler registry and Pydantic's own
//! `model_json_schema()`, run in the fixture venv, against what the static reader extracts.
//!
//! Needs the venv that `scripts/venv` installs (`.venv/`, or `GLOW_PYTHON`); see
//! `glow_test_support::python` for what happens without it.

mod common;

use std::path::Path;
use std::process::{Command, ExitCode};

use common::workspace;
use glow_codegen::sources::Sources;
use serde_json::{Map, Value};

fn main() -> ExitCode {
    glow_test_support::python::run(&[
        (
            "manifest_operations_are_exactly_what_python_socketio_registers",
            manifest_operations_are_exactly_what_python_socketio_registers,
        ),
        (
            "every_model_read_statically_agrees_with_pydantic",
            every_model_read_statically_agrees_with_pydantic,
        ),
        (
            "checked_in_openapi_json_is_what_fastapi_generates_now",
            checked_in_openapi_json_is_what_fastapi_generates_now,
        ),
        (
            "real_python_packages_parse_without_errors",
            real_python_packages_parse_without_errors,
        ),
        (
            "a_flat_server_reads_as_python_socketio_registers_it",
            a_flat_server_reads_as_python_socketio_registers_it,
        ),
    ])
}

fn oracle(python: &Path) -> Value {
    let output = Command::new(python)
        .arg(workspace().join("tests/server/oracle.py"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "oracle.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("oracle prints JSON")
}

fn manifest_operations_are_exactly_what_python_socketio_registers(python: &Path) {
    let oracle = oracle(python);
    let registered: Vec<&str> = oracle["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    let output = Sources::new().ws_tree(common::fixture_ws()).read().unwrap();
    let read: Vec<&str> = output
        .api
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(read, registered);
}

fn every_model_read_statically_agrees_with_pydantic(python: &Path) {
    let oracle = oracle(python);
    let models = oracle["models"].as_object().unwrap();
    let output = Sources::new().ws_tree(common::fixture_ws()).read().unwrap();
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for (name, ours) in &output.api.types {
        let Some(theirs) = models.get(name) else {
            continue;
        };
        compared += 1;
        let ours = comparable(ours.clone().into());
        let theirs = comparable(unwrap_recursive(theirs.clone()));
        if ours != theirs {
            disagreements.push(format!("{name}:\n  static:   {ours}\n  pydantic: {theirs}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    let inferred = output
        .api
        .types
        .keys()
        .filter(|n| !models.contains_key(*n))
        .count();
    assert_eq!(compared + inferred, output.api.types.len());
    assert_eq!(compared, 21, "every fixture model is compared");
}

fn checked_in_openapi_json_is_what_fastapi_generates_now(python: &Path) {
    let output = Command::new(python)
        .arg(workspace().join("tests/server/export_openapi.py"))
        .arg("--stdout")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fresh = String::from_utf8(output.stdout).unwrap();
    let checked_in =
        std::fs::read_to_string(workspace().join("tests/server/openapi.json")).unwrap();
    glow_test_support::assert_fresh("tests/server/openapi.json", &checked_in, &fresh);
}

fn real_python_packages_parse_without_errors(python: &Path) {
    let lib = python
        .parent()
        .and_then(|bin| bin.parent())
        .map(|venv| venv.join("lib"))
        .expect("a venv layout");
    let site = std::fs::read_dir(&lib)
        .unwrap()
        .flatten()
        .find(|entry| entry.file_name().to_string_lossy().starts_with("python"))
        .map(|entry| entry.path().join("site-packages"))
        .expect("site-packages");
    for package in ["fastapi", "socketio", "engineio"] {
        let output = Sources::new().ws_tree(site.join(package)).read().unwrap();
        let errors: Vec<String> = output
            .diagnostics
            .iter()
            .filter(|d| d.severity == glow_codegen::diagnostic::Severity::Error)
            .map(|d| d.to_human())
            .collect();
        assert!(errors.is_empty(), "{package}: {errors:#?}");
    }
}

fn a_flat_server_reads_as_python_socketio_registers_it(python: &Path) {
    let root = workspace().join("tests/patterns/flat");
    let output = Command::new(python)
        .arg(workspace().join("tests/server/registry.py"))
        .arg(&root)
        .arg("server")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let registered: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_slice(&output.stdout).expect("registry.py prints JSON");
    let read = Sources::new()
        .ws_tree(root.join("server"))
        .layout(glow_codegen::sources::Layout::Flat)
        .read()
        .unwrap();
    let mut ours: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for operation in &read.api.operations {
        let namespace = operation.namespace.clone().unwrap_or_else(|| "/".into());
        ours.entry(namespace)
            .or_default()
            .push(operation.name.clone());
    }
    assert_eq!(ours, registered);
}

/// Pydantic writes a recursive model as `{"$ref": ..., "$defs": {...}}`: take the definition.
fn unwrap_recursive(schema: Value) -> Value {
    let target = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(|r| r.rsplit('/').next().unwrap_or_default().to_owned());
    match target {
        Some(name) => schema["$defs"][&name].clone(),
        None => schema,
    }
}

/// Drops what only labels a schema (`title`, `$defs`) and unifies reference prefixes.
fn comparable(schema: Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    // Labels: Pydantic writes titles; the reader adds enum member names.
                    "title" | "$defs" | "x-enum-varnames" => {}
                    "properties" => {
                        let properties = value.as_object().cloned().unwrap_or_default();
                        let properties = properties
                            .into_iter()
                            .map(|(name, property)| (name, comparable(property)));
                        out.insert(key, Value::Object(properties.collect()));
                    }
                    "$ref" => {
                        let target = value.as_str().unwrap_or_default();
                        let name = target.rsplit('/').next().unwrap_or_default();
                        out.insert(key, Value::String(format!("#/{name}")));
                    }
                    "mapping" => {
                        let targets = value.as_object().cloned().unwrap_or_default();
                        let targets = targets.into_iter().map(|(tag, target)| {
                            let name = target
                                .as_str()
                                .unwrap_or_default()
                                .rsplit('/')
                                .next()
                                .unwrap_or_default()
                                .to_owned();
                            (tag, Value::String(format!("#/{name}")))
                        });
                        out.insert(key, Value::Object(targets.collect()));
                    }
                    "required" => {
                        let mut names: Vec<Value> = value.as_array().cloned().unwrap_or_default();
                        names.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                        out.insert(key, Value::Array(names));
                    }
                    _ => {
                        out.insert(key, comparable(value));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(comparable).collect()),
        Value::Number(n) => Value::from(n.as_f64().unwrap_or_default()),
        other => other,
    }
}
