//! Paths and methods as HTTP operations: parameters, request body, success and error responses.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::document::{Document, escape_pointer};
use super::json::Section;
use super::schema::Schemas;
use crate::diagnostic::{Code, Diagnostic};
use crate::ident::{Scope, pascal_case};
use crate::model::{
    Body, HttpRoute, Operation, Parameter, ParameterLocation, Response, SecurityScheme,
};
use crate::naming::{PathName, join, route_identity};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What else a path item may hold besides operations.
const PATH_ITEM_FIELDS: &[&str] = &["$ref", "summary", "description", "servers", "parameters"];

/// Every operation of the document, named (see [`route_identity`]), in path order.
pub fn read_operations(doc: &Document, schemas: &mut Schemas) -> (Vec<Operation>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut operations = Vec::new();
    // Operation name → the route that holds it, for the collision message.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut scope = Scope::default();
    for path in doc.members(Section::Paths) {
        let Some(item) = doc.member(Section::Paths, path) else {
            continue;
        };
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        let item = resolve(doc, &item, &item_pointer, &mut diagnostics);
        let shared = item
            .get("parameters")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        check_path_item(doc, path, &item, &mut diagnostics);
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            if !operation.is_object() {
                diagnostics.push(Diagnostic::error(
                    Code::InvalidOperation,
                    doc.display.clone(),
                    doc.locate_key(path),
                    format!(
                        "`{method}` of `{path}` is {}, not an operation object; it is left out",
                        kind_of(operation)
                    ),
                ));
                continue;
            }
            let pointer = format!("{item_pointer}/{method}");
            let method = method.to_ascii_uppercase();
            let operation_id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let (artifact, op) = match PathName::from_route(&method, path) {
                Some(name) => (name.artifact().to_owned(), name.op()),
                None => route_identity(&method, path, operation_id.as_deref()),
            };
            let wanted = join(&artifact, &op);
            let name = scope.claim(&wanted);
            if let Some(first) = names.get(&wanted).filter(|_| name != wanted) {
                diagnostics.push(Diagnostic::warning(
                    Code::OperationNameCollision,
                    doc.display.clone(),
                    doc.locate_key(path),
                    format!("`{method} {path}` and `{first}` both name the operation `{wanted}`; this one is `{name}`"),
                ));
            }
            names.insert(name.clone(), format!("{method} {path}"));
            let type_prefix = pascal_case(&name);
            let own = operation
                .get("parameters")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let parameters = parameters(
                doc,
                schemas,
                shared,
                own,
                &pointer,
                &type_prefix,
                &mut diagnostics,
            );
            let body = operation.get("requestBody").map(|body| {
                request_body(doc, schemas, body, &pointer, &type_prefix, &mut diagnostics)
            });
            let (response, errors) = responses(
                doc,
                schemas,
                operation.get("responses"),
                &pointer,
                &type_prefix,
                &mut diagnostics,
            );
            operations.push(Operation {
                name,
                event: None,
                artifact,
                op,
                http: Some(HttpRoute {
                    method,
                    path: path.to_owned(),
                    operation_id,
                    parameters,
                    body,
                    response,
                    errors,
                    security: route_security(doc, operation),
                }),
                request: None,
                request_unknown: None,
                namespace: None,
                ack: None,
                source: None,
                pushes: None,
            });
        }
    }
    (operations, diagnostics)
}

/// Keys of a path item that are neither a method nor a path-item field (an upper-case `GET`, a
/// typo), and path templates naming one parameter twice.
fn check_path_item(doc: &Document, path: &str, item: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let invalid = |message: String| {
        Diagnostic::error(
            Code::InvalidOperation,
            doc.display.clone(),
            doc.locate_key(path),
            message,
        )
    };
    for key in item.as_object().into_iter().flat_map(|item| item.keys()) {
        if METHODS.contains(&key.as_str())
            || PATH_ITEM_FIELDS.contains(&key.as_str())
            || key.starts_with("x-")
        {
            continue;
        }
        let lower = key.to_ascii_lowercase();
        let message = if METHODS.contains(&lower.as_str()) {
            format!("`{key}` of `{path}` is not read: methods are lower-case (`{lower}`)")
        } else {
            format!("`{key}` of `{path}` is not a method or a path-item field; it is not read")
        };
        diagnostics.push(invalid(message));
    }
    let mut seen = BTreeSet::new();
    for segment in path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
            && !seen.insert(name)
        {
            diagnostics.push(invalid(format!(
                "`{path}` names the parameter `{name}` twice: the two places cannot hold different values"
            )));
        }
    }
}

/// A JSON value's kind, in words: `a number`, `null`, ...
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The schemes a route accepts: its own `security`, else the document's.
fn route_security(doc: &Document, operation: &Value) -> Vec<String> {
    let requirements = operation
        .get("security")
        .or_else(|| doc.top("security"))
        .and_then(Value::as_array);
    let mut names: Vec<String> = requirements
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `components.securitySchemes`, by name.
pub fn security_schemes(doc: &Document) -> BTreeMap<String, SecurityScheme> {
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    doc.top("components")
        .and_then(|components| components.get("securitySchemes"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, scheme)| {
            let kind = text(scheme, "type")?;
            Some((
                name.clone(),
                SecurityScheme {
                    kind,
                    scheme: text(scheme, "scheme"),
                    location: text(scheme, "in"),
                    name: text(scheme, "name"),
                },
            ))
        })
        .collect()
}

/// Follows a `$ref` to another part of the document (parameters, bodies, responses, path items);
/// `null` when it points at nothing or is a cycle (both reported).
fn resolve<'d>(
    doc: &'d Document,
    value: &'d Value,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'d, Value> {
    let mut current = Cow::Borrowed(value);
    for _ in 0..16 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return current;
        };
        let target = doc
            .pointer(reference)
            .filter(|_| reference.starts_with('#'));
        match target {
            Some(target) => current = target,
            None => {
                diagnostics.push(Diagnostic::error(
                    Code::UnresolvedRef,
                    doc.display.clone(),
                    doc.locate_ref(reference),
                    format!("`$ref: {reference}` at `{pointer}` points at nothing"),
                ));
                return Cow::Owned(Value::Null);
            }
        }
    }
    diagnostics.push(Diagnostic::error(
        Code::RefCycle,
        doc.display.clone(),
        doc.locate(pointer.rsplit('/').next().unwrap_or(pointer)),
        format!("`{pointer}` is a cycle of references"),
    ));
    Cow::Owned(Value::Null)
}

fn parameters<'d>(
    doc: &'d Document,
    schemas: &mut Schemas,
    shared: &'d [Value],
    own: &'d [Value],
    pointer: &str,
    type_prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Parameter> {
    let any = Value::Object(Default::default());
    let mut by_key: BTreeMap<(ParameterLocation, String), Parameter> = BTreeMap::new();
    let mut order = Vec::new();
    for (index, raw) in shared.iter().chain(own).enumerate() {
        let at = format!("{pointer}/parameters/{index}");
        let parameter = resolve(doc, raw, &at, diagnostics);
        let (Some(name), Some(location)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let location = match location {
            "path" => ParameterLocation::Path,
            "query" => ParameterLocation::Query,
            "header" => ParameterLocation::Header,
            "cookie" => ParameterLocation::Cookie,
            _ => continue,
        };
        let raw_schema = parameter
            .get("schema")
            .or_else(|| {
                parameter
                    .pointer("/content")
                    .and_then(first_media)
                    .and_then(|m| m.1.get("schema"))
            })
            .unwrap_or(&any);
        let schema = schemas.inline(
            raw_schema,
            &format!("{type_prefix}{}", pascal_case(name)),
            &format!("{at}/schema"),
        );
        let required = location == ParameterLocation::Path
            || parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        let key = (location, name.to_owned());
        if !by_key.contains_key(&key) {
            order.push(key.clone());
        }
        by_key.insert(
            key,
            Parameter {
                name: name.to_owned(),
                location,
                required,
                schema,
            },
        );
    }
    order
        .into_iter()
        .filter_map(|key| by_key.remove(&key))
        .collect()
}

fn request_body<'d>(
    doc: &'d Document,
    schemas: &mut Schemas,
    body: &'d Value,
    pointer: &str,
    type_prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Body {
    let at = format!("{pointer}/requestBody");
    let body = resolve(doc, body, &at, diagnostics);
    let required = body
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let media = body.get("content").and_then(first_media);
    match media {
        Some((media_type, content)) => Body {
            type_name: content.get("schema").map(|schema| {
                let place = format!("{at}/content/{}/schema", escape_pointer(&media_type));
                schemas.named(schema, &format!("{type_prefix}Body"), &place)
            }),
            media_type,
            required,
        },
        None => Body {
            media_type: "application/octet-stream".into(),
            type_name: None,
            required,
        },
    }
}

fn responses<'d>(
    doc: &'d Document,
    schemas: &mut Schemas,
    responses: Option<&'d Value>,
    pointer: &str,
    type_prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Response>, Vec<Response>) {
    let Some(responses) = responses.and_then(Value::as_object) else {
        return (None, Vec::new());
    };
    let success_status = responses
        .keys()
        .find(|status| status.starts_with('2'))
        .or_else(|| responses.keys().find(|status| *status == "default"))
        .cloned();
    let mut success = None;
    let mut errors = Vec::new();
    for (status, response) in responses {
        let at = format!("{pointer}/responses/{}", escape_pointer(status));
        let response = resolve(doc, response, &at, diagnostics);
        let is_success = Some(status) == success_status.as_ref();
        let suffix = if is_success {
            "Response".to_owned()
        } else {
            format!("Error{}", pascal_case(status))
        };
        let media = response.get("content").and_then(first_media);
        let (media_type, type_name) = match media {
            Some((media_type, content)) => {
                let type_name = content.get("schema").map(|schema| {
                    let place = format!("{at}/content/{}/schema", escape_pointer(&media_type));
                    schemas.named(schema, &format!("{type_prefix}{suffix}"), &place)
                });
                (Some(media_type), type_name)
            }
            None => (None, None),
        };
        let entry = Response {
            status: status.clone(),
            media_type,
            type_name,
        };
        if is_success {
            success = Some(entry);
        } else if !status.starts_with('2') && !status.starts_with('1') && !status.starts_with('3') {
            errors.push(entry);
        }
    }
    (success, errors)
}

/// The media type to read: JSON first (`application/json`, then any `+json`), else the first.
fn first_media(content: &Value) -> Option<(String, &Value)> {
    let content = content.as_object()?;
    let pick = content
        .keys()
        .find(|m| m.as_str() == "application/json")
        .or_else(|| {
            content
                .keys()
                .find(|m| m.ends_with("+json") || m.contains("json"))
        })
        .or_else(|| content.keys().next())?;
    Some((pick.clone(), &content[pick]))
}
