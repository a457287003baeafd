//! Drift checks: every place where the socket and HTTP surfaces of a merged API disagree.
//! [`crate::sources::Sources::read`] runs them whenever it reads both a ws tree and an OpenAPI
//! document; the findings are among its diagnostics.
//!
//! - `no-http-twin`: a socket operation with no route.
//! - `no-ws-twin`: a `POST` route that gives a name (`/<artifact>/<op>`) and has no socket
//!   operation (other routes are HTTP-only by design).
//! - `payload-mismatch`: the socket payload and the HTTP body differ in fields, required-ness or types.
//!
//! Each finding names its subject (the operation, or `METHOD /path` for a route), which a
//! [`policy`] matches to say which findings are intended and which fail.
//!
//! ```no_run
//! use glow_codegen::drift::DRIFT_CODES;
//! use glow_codegen::sources::Sources;
//!
//! let read = Sources::new().ws_tree("core/app/ws").openapi("openapi.json").read()?;
//! for finding in read.diagnostics.iter().filter(|d| DRIFT_CODES.contains(&d.code)) {
//!     println!("{} is about {:?}", finding.code, finding.subject);
//! }
//! # Ok::<(), glow_codegen::sources::SourceError>(())
//! ```

#[cfg(feature = "policy")]
pub mod policy;

use std::collections::{BTreeMap, BTreeSet};

use crate::json::Value;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Api, Operation, Schema};
use crate::naming::{place_name, route_label, route_name};
use crate::source::Origin;

/// The codes that mean the two surfaces drifted apart.
pub const DRIFT_CODES: &[Code] = &[Code::NoHttpTwin, Code::NoWsTwin, Code::PayloadMismatch];

/// Every drift between the socket and HTTP sides of `api`, each at the origin of what it is about.
pub(crate) fn check(api: &Api, origins: &BTreeMap<String, Origin>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for operation in &api.operations {
        let origin = origins.get(&operation.name).cloned().unwrap_or_default();
        let finding = match (&operation.event, &operation.http) {
            (Some(_), None) => no_http_twin(operation),
            (Some(_), Some(route)) => payload_difference(operation, &api.types).map(|difference| {
                let message = format!(
                    "`{}` and `{}` disagree on the payload: {difference}",
                    operation.name,
                    route_label(route)
                );
                (Code::PayloadMismatch, message, operation.name.clone())
            }),
            (None, Some(route)) if route.method == "POST" => route_name(route).map(|event| {
                let label = route_label(route);
                let message = format!(
                    "route `{label}` has no socket operation: no handler registers `{event}` or lives at the path that gives it"
                );
                (Code::NoWsTwin, message, label)
            }),
            _ => None,
        };
        if let Some((code, message, subject)) = finding {
            diagnostics
                .push(Diagnostic::warning(code, origin.path, origin.at, message).about(subject));
        }
    }
    diagnostics
}

/// `no-http-twin` for a socket operation without a route: its code, message and subject.
fn no_http_twin(operation: &Operation) -> Option<(Code, String, String)> {
    let by_place = place_name(operation);
    let names = if by_place == operation.name {
        format!("`{by_place}`")
    } else {
        format!(
            "`{}` (registered) or `{by_place}` (its path)",
            operation.name
        )
    };
    let message = format!(
        "socket operation `{}` has no HTTP twin: no route gives the name {names}",
        operation.name
    );
    Some((Code::NoHttpTwin, message, operation.name.clone()))
}

/// How the socket payload and the HTTP body differ, in words naming the fields; `None` when they agree.
fn payload_difference(socket: &Operation, types: &BTreeMap<String, Schema>) -> Option<String> {
    let body = socket
        .http
        .as_ref()
        .and_then(|r| r.body.as_ref())
        .and_then(|b| b.type_name.clone());
    if socket.request == body {
        return None;
    }
    let fields = |name: &Option<String>| -> Fields {
        name.as_ref()
            .and_then(|n| object_of(types, n, 0))
            .map(|schema| Fields::of(&schema))
            .unwrap_or_default()
    };
    let (ws, http) = (fields(&socket.request), fields(&body));
    if ws.opaque || http.opaque {
        return None;
    }
    let mut differences = Vec::new();
    for name in ws
        .properties
        .keys()
        .filter(|n| !http.properties.contains_key(*n))
    {
        differences.push(format!("`{name}` is only in the socket payload"));
    }
    for name in http
        .properties
        .keys()
        .filter(|n| !ws.properties.contains_key(*n))
    {
        differences.push(format!("`{name}` is only in the HTTP body"));
    }
    for (name, ws_shape) in &ws.properties {
        let Some(http_shape) = http.properties.get(name) else {
            continue;
        };
        match (ws.required.contains(name), http.required.contains(name)) {
            (true, false) => differences.push(format!(
                "`{name}` is required in the socket payload but optional in the HTTP body"
            )),
            (false, true) => differences.push(format!(
                "`{name}` is optional in the socket payload but required in the HTTP body"
            )),
            _ => {}
        }
        if ws_shape != "any" && http_shape != "any" && ws_shape != http_shape {
            differences.push(format!(
                "`{name}` is `{ws_shape}` in the socket payload but `{http_shape}` in the HTTP body"
            ));
        }
    }
    (!differences.is_empty()).then(|| differences.join("; "))
}

/// The properties of an object type, each as a comparable shape.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    pub(crate) properties: BTreeMap<String, String>,
    pub(crate) required: BTreeSet<String>,
    /// Not an object with known properties: nothing to compare.
    pub(crate) opaque: bool,
}

impl Fields {
    pub(crate) fn of(schema: &Schema) -> Fields {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return Fields {
                opaque: true,
                ..Fields::default()
            };
        };
        Fields {
            properties: properties
                .iter()
                .map(|(k, v)| (k.clone(), shape(v, 0)))
                .collect(),
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            opaque: false,
        }
    }
}

fn object_of(types: &BTreeMap<String, Schema>, name: &str, depth: usize) -> Option<Schema> {
    let schema = types.get(name)?;
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(Api::ref_target)
    {
        Some(target) if depth < 16 && schema.get("properties").is_none() => {
            object_of(types, target, depth + 1)
        }
        _ => Some(schema.clone()),
    }
}

/// A schema's shape for comparison: types, formats, items and references, without labels,
/// defaults or constraints; `null` spelled as a type or as an `anyOf` member alike.
fn shape(schema: &Schema, depth: usize) -> String {
    if depth > 16 {
        return "any".into();
    }
    let Some(map) = schema.as_object() else {
        return "any".into();
    };
    let mut members: BTreeSet<String> = BTreeSet::new();
    if let Some(target) = map
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(Api::ref_target)
    {
        members.insert(target.to_owned());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = map.get(key).and_then(Value::as_array) {
            for member in list {
                for part in shape(member, depth + 1).split(" | ") {
                    members.insert(part.to_owned());
                }
            }
        }
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        let mut values: Vec<String> = values.iter().map(Value::to_string).collect();
        values.sort();
        members.insert(format!("enum({})", values.join(", ")));
    } else if let Some(value) = map.get("const") {
        members.insert(format!("const({value})"));
    } else {
        let kinds: Vec<&str> = match map.get("type") {
            Some(Value::String(kind)) => vec![kind.as_str()],
            Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for kind in kinds {
            let described = match kind {
                "string" => match map.get("format").and_then(Value::as_str) {
                    Some(format) if format != "binary" => format!("string({format})"),
                    _ => "string".to_owned(),
                },
                "array" => format!(
                    "array<{}>",
                    map.get("items")
                        .map_or("any".into(), |i| shape(i, depth + 1))
                ),
                "object" => match map.get("additionalProperties") {
                    Some(values) if values.is_object() && map.get("properties").is_none() => {
                        format!("map<{}>", shape(values, depth + 1))
                    }
                    _ => "object".to_owned(),
                },
                other => other.to_owned(),
            };
            members.insert(described);
        }
    }
    if members.is_empty() || members.contains("any") {
        return "any".into();
    }
    members.into_iter().collect::<Vec<_>>().join(" | ")
}
