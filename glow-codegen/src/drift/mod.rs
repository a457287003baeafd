//! Pairing socket operations with their HTTP twins, and every place where the two disagree.
//!
//! A route of literal segments `/<artifact>/<op>` (or `/<artifact>/<sub>/<op>`) gives a name;
//! `POST` routes give theirs first, routes of other methods only names no `POST` route gave. The
//! route pairs with the socket operation registered under that name (`POST /attempt/chat/message`
//! ↔ a handler registered as `attempt.chat_message`, wherever its file is), else with the one whose
//! dotted name spells the path (`attempt.chat.response` ↔ `/attempt/chat/response`), else with the
//! one whose *file* gives that name (`attempt/chat/voice.py` registering `attempt.chat.voice`).
//!
//! - `no-http-twin`: a socket operation with no route.
//! - `no-ws-twin`: a `POST` route that gives a name and has no socket operation (other routes are
//!   HTTP-only by design).
//! - `payload-mismatch`: the socket payload and the HTTP body differ in fields, required-ness or types.
//!
//! Each finding names its subject (the operation, or `METHOD /path` for a route), which a
//! [`policy`] matches to say which findings are intended and which fail.

#[cfg(feature = "policy")]
pub mod policy;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Api, Auth, Operation, Schema};
use crate::naming::PathName;
use crate::source::SourceOutput;
use crate::unify::unify;

/// The codes that mean the two surfaces drifted apart.
pub const DRIFT_CODES: &[Code] = &[Code::NoHttpTwin, Code::NoWsTwin, Code::PayloadMismatch];

/// One API from a socket source and an HTTP source: each socket operation carries its HTTP
/// twin; routes without a twin stay as HTTP-only operations.
pub fn combine(ws: SourceOutput, http: SourceOutput) -> SourceOutput {
    let mut unified = unify(&ws.api.types, &http.api.types);
    let rename = |name: &Option<String>| {
        name.as_ref()
            .map(|n| unified.renames.get(n).cloned().unwrap_or_else(|| n.clone()))
    };
    let mut diagnostics = ws.diagnostics;
    diagnostics.extend(http.diagnostics);
    let mut origins = ws.origins;

    // The name each route gives: `POST` routes first, then routes of other methods whose path
    // is all literal (`PATCH /agent/draft` → `agent.draft`) for names no `POST` route gave.
    // Only an unpaired `POST` route is reported as `no-ws-twin`.
    let mut routes: BTreeMap<String, Operation> = BTreeMap::new();
    let mut http_only = Vec::new();
    let (posts, others): (Vec<Operation>, Vec<Operation>) = http
        .api
        .operations
        .into_iter()
        .partition(|o| o.http.as_ref().is_some_and(|r| r.method == "POST"));
    for operation in posts.into_iter().chain(others) {
        let route_event = operation
            .http
            .as_ref()
            .and_then(|route| PathName::from_path(&route.path))
            .map(|name| name.event());
        match route_event {
            Some(event) if !routes.contains_key(&event) => {
                routes.insert(event, operation);
            }
            _ => http_only.push(operation),
        }
    }

    let mut operations = Vec::new();
    let ws_operations = ws.api.operations;
    let mut twins: BTreeMap<String, Operation> = BTreeMap::new();
    // Registered names first, so that a file elsewhere cannot take a route its registration names.
    for operation in &ws_operations {
        if let Some(route) = routes.remove(&operation.name) {
            twins.insert(operation.name.clone(), route);
        }
    }
    // Then the name a dotted registration gives as a path (`attempt.chat.response` ↔
    // `/attempt/chat/response`), then the name the file's path gives.
    for operation in &ws_operations {
        let dotted = operation
            .event
            .as_deref()
            .and_then(PathName::from_dotted)
            .map(|name| name.event());
        let by_path = crate::naming::path_event(operation);
        for candidate in dotted.into_iter().chain(std::iter::once(by_path)) {
            if twins.contains_key(&operation.name) {
                break;
            }
            if let Some(route) = routes.remove(&candidate) {
                twins.insert(operation.name.clone(), route);
            }
        }
    }
    for mut operation in ws_operations {
        operation.request = rename(&operation.request);
        operation.ack = rename(&operation.ack);
        match twins.remove(&operation.name) {
            Some(twin) => {
                let origin = origins.get(&operation.name).cloned();
                let body = twin
                    .http
                    .as_ref()
                    .and_then(|route| route.body.as_ref())
                    .and_then(|body| body.type_name.clone());
                if let (Some(reason), Some(body)) = (&operation.request_unknown, body) {
                    // The HTTP twin takes the same payload: its body says what the handler hides.
                    let origin = origin.clone().unwrap_or_default();
                    diagnostics.push(Diagnostic::warning(
                        Code::UnknownPayload,
                        origin.path,
                        origin.at,
                        format!(
                            "the payload of `{}` is unknown ({reason}); its HTTP twin's body `{body}` is used",
                            operation.name
                        ),
                    ));
                    if let Some(placeholder) = operation.request.replace(body) {
                        unified.types.remove(&placeholder);
                    }
                } else if let Some(difference) =
                    payload_difference(&operation, &twin, &unified.types)
                {
                    let route = twin
                        .http
                        .as_ref()
                        .map(|r| format!("{} {}", r.method, r.path))
                        .unwrap_or_default();
                    let origin = origin.unwrap_or_default();
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::PayloadMismatch,
                            origin.path,
                            origin.at,
                            format!(
                                "`{}` and `{route}` disagree on the payload: {difference}",
                                operation.name
                            ),
                        )
                        .about(&operation.name),
                    );
                }
                operation.http = twin.http;
            }
            None => {
                let origin = origins.get(&operation.name).cloned().unwrap_or_default();
                let by_path = crate::naming::path_event(&operation);
                let names = if by_path == operation.name {
                    format!("`{by_path}`")
                } else {
                    format!(
                        "`{}` (registered) or `{by_path}` (its path)",
                        operation.name
                    )
                };
                diagnostics.push(
                    Diagnostic::warning(
                        Code::NoHttpTwin,
                        origin.path,
                        origin.at,
                        format!(
                            "socket operation `{}` has no HTTP twin: no route gives the name {names}",
                            operation.name
                        ),
                    )
                    .about(&operation.name),
                );
            }
        }
        operations.push(operation);
    }

    let taken: BTreeSet<String> = operations.iter().map(|o| o.name.clone()).collect();
    for (event, route) in routes {
        // Only a `POST` route is a socket operation's twin by the naming rule; a `GET` or
        // `PATCH` route that found no handler is an ordinary HTTP-only route.
        if route.http.as_ref().is_none_or(|r| r.method != "POST") {
            http_only.push(route);
            continue;
        }
        let origin = http.origins.get(&route.name).cloned().unwrap_or_default();
        let shown = route
            .http
            .as_ref()
            .map(|r| format!("{} {}", r.method, r.path))
            .unwrap_or_default();
        diagnostics.push(
            Diagnostic::warning(
                Code::NoWsTwin,
                origin.path.clone(),
                origin.at,
                format!("route `{shown}` has no socket operation: no handler registers `{event}` or lives at the path that gives it"),
            )
            .about(&shown),
        );
        http_only.push(route);
    }
    for mut operation in http_only {
        if taken.contains(&operation.name) {
            operation.name = format!("{}_http", operation.name);
        }
        if let Some(origin) = http.origins.get(&operation.name) {
            origins.insert(operation.name.clone(), origin.clone());
        }
        operations.push(operation);
    }
    let mut api = Api {
        operations,
        types: unified.types,
        auth: Auth {
            socket: ws.api.auth.socket,
            http: http.api.auth.http,
        },
    };
    api.normalize();
    diagnostics.sort();
    diagnostics.dedup();
    SourceOutput {
        api,
        diagnostics,
        origins,
    }
}

/// How the socket payload and the HTTP body differ, in words naming the fields; `None` when they agree.
fn payload_difference(
    socket: &Operation,
    twin: &Operation,
    types: &BTreeMap<String, Schema>,
) -> Option<String> {
    let body = twin
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
struct Fields {
    properties: BTreeMap<String, String>,
    required: BTreeSet<String>,
    /// Not an object with known properties: nothing to compare.
    opaque: bool,
}

impl Fields {
    fn of(schema: &Schema) -> Fields {
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
pub fn shape(schema: &Schema, depth: usize) -> String {
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
