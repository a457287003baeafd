//! The one model in the middle: what a server offers, independent of where it was read from.
//! Sources produce an [`Api`]; emitters consume it; the manifest is its serialized form.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// A JSON Schema 2020-12 definition. References point into the manifest: `#/types/<Name>`.
pub type Schema = crate::json::Value;

/// The prefix of a `$ref` that names a manifest type.
pub const TYPE_REF_PREFIX: &str = "#/types/";

/// Everything a client may call and every type it sends or receives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// WebSocket protocols of tagged JSON frames (not socket.io), sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<FrameProtocol>,
    /// Named types, sorted by name.
    pub types: BTreeMap<String, Schema>,
    /// How clients authenticate, where the sources say.
    #[serde(default, skip_serializing_if = "Auth::is_empty")]
    pub auth: Auth,
}

/// How clients authenticate: what the socket's `connect` handler reads, and the HTTP security
/// schemes the OpenAPI document declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// What the server reads from the socket.io auth payload at connect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub socket: Option<SocketAuth>,
    /// The OpenAPI document's `securitySchemes`, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub http: BTreeMap<String, SecurityScheme>,
}

impl Auth {
    /// Nothing known.
    pub fn is_empty(&self) -> bool {
        self.socket.is_none() && self.http.is_empty()
    }
}

/// The keys a `connect` handler reads from the socket.io auth payload (`auth["token"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocketAuth {
    /// The keys, sorted.
    pub keys: Vec<String>,
    /// Where the handler is: `app/ws/connect.py:8`.
    pub source: String,
}

/// A WebSocket protocol whose messages are JSON objects tagged by one property (Glovebox's
/// `{"type": "prompt", ...}`): per direction, the tag and the frame each tag value names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameProtocol {
    /// The protocol's name, e.g. `glovebox`.
    pub name: String,
    /// The protocol version the description is of (`protocol_version`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// The frames the client sends.
    pub client: Frames,
    /// The frames the server sends.
    pub server: Frames,
}

impl FrameProtocol {
    /// The manifest's order of protocols: by name.
    pub fn canonical_order(a: &FrameProtocol, b: &FrameProtocol) -> std::cmp::Ordering {
        a.name.cmp(&b.name)
    }
}

/// The frames of one direction of a [`FrameProtocol`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frames {
    /// The name of the Rust enum the frames are read into, e.g. `ClientMessage`.
    #[serde(rename = "enum")]
    pub enum_name: String,
    /// The property that tells frames apart, e.g. `type`.
    pub tag: String,
    /// Each tag value and the frame's type (a key of [`Api::types`]: an object whose properties
    /// are the frame's other fields). A frame with another tag value is kept as it came, never
    /// an error, so that a newer peer cannot break the stream.
    pub frames: BTreeMap<String, String>,
}

/// One OpenAPI security scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityScheme {
    /// `http`, `apiKey`, `oauth2`, `openIdConnect` or `mutualTLS`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For `http`: `bearer`, `basic`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// For `apiKey`: where the key goes (`header`, `query`, `cookie`).
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// For `apiKey`: the header, query parameter or cookie name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl SecurityScheme {
    /// What a client sends, in words: ``the header `Authorization: Bearer <token>` ``.
    pub fn describe(&self) -> String {
        match (
            self.kind.as_str(),
            self.scheme.as_deref(),
            self.location.as_deref(),
        ) {
            ("http", Some(scheme), _) if scheme.eq_ignore_ascii_case("bearer") => {
                "the header `Authorization: Bearer <token>`".to_owned()
            }
            ("http", Some(scheme), _) => format!("the header `Authorization: {scheme} ...`"),
            ("apiKey", _, Some(location)) => {
                format!("the {location} `{}`", self.name.as_deref().unwrap_or("?"))
            }
            (kind, ..) => format!("{kind} credentials"),
        }
    }
}

/// One thing a client can ask the server to do, over a socket, over HTTP, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The operation's unique name: the registered event for socket operations (e.g.
    /// `persona.search`), the name the route gives for HTTP-only ones.
    pub name: String,
    /// The event name the server registers (what goes on the wire), when there is a socket handler.
    pub event: Option<String>,
    /// The socket.io namespace the handler is registered in, when it is not the default `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The artifact its place gives, e.g. `attempt` for `attempt/chat/message.py`.
    pub artifact: String,
    /// The flattened op its place gives, e.g. `chat_message` for `attempt/chat/message.py`
    /// (`operation` in the manifest). See [`crate::naming`].
    #[serde(rename = "operation")]
    pub op: String,
    /// The HTTP twin, when one is known.
    pub http: Option<HttpRoute>,
    /// The payload type the client sends (a key of [`Api::types`]), or `None` for no payload.
    pub request: Option<String>,
    /// Set when the sources do not tell the payload's shape: why, and where (`data` passed to
    /// a call the reader cannot follow, a model that does not resolve). `request` is then any
    /// JSON object, or the HTTP twin's body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_unknown: Option<String>,
    /// The type of the handler's return value (a socket.io ack), or `None` when it returns nothing.
    pub ack: Option<String>,
    /// Where the handler is registered, `path:line` relative to the Python import root.
    pub source: Option<String>,
    /// The events the handler pushes to the client while it runs, read from the `emit` calls
    /// it makes (itself, through the helpers it calls, and through the server's own `on`),
    /// sorted by event. `None` where they could not be read: clients then expect the four
    /// stages `<event>.started`, `.progress`, `.completed` and `.failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushes: Option<Vec<Push>>,
}

impl Operation {
    /// The manifest's order of operations: by name, then by source.
    pub fn canonical_order(a: &Operation, b: &Operation) -> std::cmp::Ordering {
        a.name.cmp(&b.name).then(a.source.cmp(&b.source))
    }

    /// The types the client sends for it, as named here: the socket payload, the HTTP body, and
    /// those the parameters reference.
    pub fn sent_types(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.request.as_deref().into_iter().collect();
        if let Some(route) = &self.http {
            names.extend(route.body.as_ref().and_then(|b| b.type_name.as_deref()));
            for parameter in &route.parameters {
                names.extend(Api::references(&parameter.schema));
            }
        }
        names
    }

    /// The types the client receives for it, as named here: the ack, the pushes' payloads, the
    /// HTTP responses (success and errors).
    pub fn received_types(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.ack.as_deref().into_iter().collect();
        names.extend(
            self.pushes
                .iter()
                .flatten()
                .filter_map(|push| push.payload.as_deref()),
        );
        if let Some(route) = &self.http {
            let responses = route.response.iter().chain(&route.errors);
            names.extend(responses.filter_map(|r| r.type_name.as_deref()));
        }
        names
    }
}

/// One event a socket handler pushes to the client.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Push {
    /// The event name, e.g. `attempt.chat_message.token`.
    pub event: String,
    /// The payload's type (a key of [`Api::types`]) where the handler builds it from literal
    /// keys; `None` for a stage (`.started`, `.progress`, `.completed`, `.failed`), whose
    /// payload the stage gives, and for a payload the reader cannot see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// An operation's HTTP side: where it is, what it takes, what it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpRoute {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// Path template, e.g. `/persona/{persona_id}`.
    pub path: String,
    /// The document's `operationId`, if any.
    pub operation_id: Option<String>,
    /// Path, query, header and cookie parameters.
    pub parameters: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// The success response (the first 2xx, else `default`).
    pub response: Option<Response>,
    /// The other documented responses (4xx, 5xx, `default`).
    pub errors: Vec<Response>,
    /// The security schemes (keys of [`Auth::http`]) the route accepts; empty when it declares
    /// none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// A `{name}` segment of the path.
    Path,
    /// `?name=value`.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// One HTTP parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// Where it goes.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// Must the client send it?
    pub required: bool,
    /// Its JSON Schema.
    pub schema: Schema,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// The media type, e.g. `application/json` or `multipart/form-data`.
    pub media_type: String,
    /// The body's type (a key of [`Api::types`]), when it has a schema.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// Must the client send a body?
    pub required: bool,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The status code (`200`, `4XX`) or `default`.
    pub status: String,
    /// The media type of its content, if it has any.
    pub media_type: Option<String>,
    /// The content's type (a key of [`Api::types`]), when it has a schema.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
}

impl Api {
    /// Sorts operations by name so that equal APIs serialize to equal bytes.
    pub fn normalize(&mut self) {
        self.operations.sort_by(Operation::canonical_order);
        self.protocols.sort_by(FrameProtocol::canonical_order);
    }

    /// The type a `$ref` names, if it is a manifest reference.
    pub fn ref_target(reference: &str) -> Option<&str> {
        reference.strip_prefix(TYPE_REF_PREFIX)
    }

    /// The names of every manifest type `schema` references, anywhere inside it, in order.
    pub fn references(schema: &Schema) -> Vec<&str> {
        let mut found = Vec::new();
        let mut stack = vec![schema];
        while let Some(value) = stack.pop() {
            match value {
                crate::json::Value::Object(map) => {
                    if let Some(target) = map.get("$ref").and_then(crate::json::Value::as_str) {
                        found.push(target.strip_prefix(TYPE_REF_PREFIX).unwrap_or(target));
                    }
                    stack.extend(map.values().rev());
                }
                crate::json::Value::Array(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
        }
        found
    }

    /// Renames types (old name → new name) everywhere: the type list, every reference, and every
    /// operation and frame naming one. Types renamed to one name must be one type: the first
    /// (by old name) is kept.
    pub(crate) fn rename_types(&mut self, renames: &HashMap<String, String>) {
        let rename = |name: &mut String| {
            if let Some(new) = renames.get(name.as_str()) {
                name.clone_from(new);
            }
        };
        let types = std::mem::take(&mut self.types);
        for (mut name, mut schema) in types {
            rewrite_refs(&mut schema, renames);
            rename(&mut name);
            self.types.entry(name).or_insert(schema);
        }
        for operation in &mut self.operations {
            operation.request.iter_mut().for_each(rename);
            operation.ack.iter_mut().for_each(rename);
            for push in operation.pushes.iter_mut().flatten() {
                push.payload.iter_mut().for_each(rename);
            }
            let Some(route) = &mut operation.http else {
                continue;
            };
            for parameter in &mut route.parameters {
                rewrite_refs(&mut parameter.schema, renames);
            }
            let body = route.body.iter_mut().filter_map(|b| b.type_name.as_mut());
            let responses = route.response.iter_mut().chain(&mut route.errors);
            body.chain(responses.filter_map(|r| r.type_name.as_mut()))
                .for_each(rename);
        }
        for protocol in &mut self.protocols {
            for frames in [&mut protocol.client, &mut protocol.server] {
                frames.frames.values_mut().for_each(rename);
            }
        }
    }

    /// The types `roots` name and every type they reference, transitively.
    pub fn reachable<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut stack: Vec<&str> = roots.into_iter().collect();
        let mut found = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if found.insert(name)
                && let Some(schema) = self.types.get(name)
            {
                stack.extend(Api::references(schema));
            }
        }
        found
    }

    /// A `$ref` schema pointing at the named type.
    pub fn type_ref(name: &str) -> Schema {
        crate::json::json!({ "$ref": format!("{TYPE_REF_PREFIX}{name}") })
    }
}

/// Rewrites `$ref: #/types/<key>` to the key's final name, everywhere in `schema`.
pub(crate) fn rewrite_refs(schema: &mut Schema, names: &HashMap<String, String>) {
    match schema {
        crate::json::Value::Object(map) => {
            for (field, value) in map.iter_mut() {
                if field == "discriminator" {
                    if let Some(mapping) = value
                        .get_mut("mapping")
                        .and_then(crate::json::Value::as_object_mut)
                    {
                        for target in mapping.values_mut() {
                            let renamed = target
                                .as_str()
                                .and_then(Api::ref_target)
                                .and_then(|key| names.get(key));
                            if let Some(name) = renamed {
                                *target =
                                    crate::json::Value::String(format!("{TYPE_REF_PREFIX}{name}"));
                            }
                        }
                    }
                } else if field == "$ref" {
                    if let Some(target) = value.as_str().and_then(Api::ref_target)
                        && let Some(name) = names.get(target)
                    {
                        *value = crate::json::Value::String(format!("{TYPE_REF_PREFIX}{name}"));
                    }
                } else {
                    rewrite_refs(value, names);
                }
            }
        }
        crate::json::Value::Array(items) => items.iter_mut().for_each(|i| rewrite_refs(i, names)),
        _ => {}
    }
}
