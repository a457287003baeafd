//! The one model in the middle: what a server offers, independent of where it was read from.
//! Sources produce an [`Api`]; emitters consume it; the manifest is its serialized form.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A JSON Schema 2020-12 definition. References point into the manifest: `#/types/<Name>`.
pub type Schema = serde_json::Value;

/// The prefix of a `$ref` that names a manifest type.
pub const TYPE_REF_PREFIX: &str = "#/types/";

/// Everything a client may call and every type it sends or receives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Named types, sorted by name.
    pub types: BTreeMap<String, Schema>,
}

/// One thing a client can ask the server to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The event name the server registers (what goes on the wire), e.g. `persona.search`.
    pub name: String,
    /// The artifact the handler's path gives, e.g. `attempt` for `attempt/chat/message.py`.
    pub artifact: String,
    /// The flattened operation the handler's path gives, e.g. `chat_message`.
    pub operation: String,
    /// The HTTP twin, when one is known.
    pub http: Option<HttpRoute>,
    /// The payload type the client sends (a key of [`Api::types`]), or `None` for no payload.
    pub request: Option<String>,
    /// The type of the handler's return value (a socket.io ack), or `None` when it returns nothing.
    pub ack: Option<String>,
    /// Where the handler is registered, `path:line` relative to the Python import root.
    pub source: Option<String>,
}

/// An HTTP method and path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpRoute {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// Path template, e.g. `/persona/search`.
    pub path: String,
}

impl Api {
    /// Sorts operations by name so that equal APIs serialize to equal bytes.
    pub fn normalize(&mut self) {
        self.operations
            .sort_by(|a, b| a.name.cmp(&b.name).then(a.source.cmp(&b.source)));
    }

    /// The type a `$ref` names, if it is a manifest reference.
    pub fn ref_target(reference: &str) -> Option<&str> {
        reference.strip_prefix(TYPE_REF_PREFIX)
    }

    /// A `$ref` schema pointing at the named type.
    pub fn type_ref(name: &str) -> Schema {
        serde_json::json!({ "$ref": format!("{TYPE_REF_PREFIX}{name}") })
    }
}
