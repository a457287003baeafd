//! Emitting Rust from the manifest: one core behind the proc-macro, the build.rs builder and the
//! `generate` command. The code is written as laid-out source text ([`emit_text`]) — the file
//! `generate` and the builder write — and [`emit`] reads the same text back as tokens for the
//! proc-macro.
//!
//! ```
//! let api = glow_codegen::manifest::from_yaml(
//!     "manifest_version: 1\noperations: []\ntypes:\n  Persona:\n    type: object\n    properties:\n      name: {type: string}\n",
//!     "glow.yaml",
//! )?;
//! let emitted = glow_codegen::emit::emit(&api)?;
//! assert!(emitted.tokens.to_string().contains("pub struct Persona"));
//! assert!(emitted.stats.fallbacks.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod calls;
mod code;
mod events;
mod file;
mod frames;
mod operations;
mod render;
mod typespace;

pub use file::{Emission, emit_text};

use proc_macro2::TokenStream;

use crate::model::Api;

/// Emitted code and what it took.
#[derive(Debug, Clone)]
pub struct Emitted {
    /// The generated items: `types`, `Operation`, `HttpApi`; `SocketApi`, `SocketCalls` and
    /// `ServerEvent` when the manifest has socket operations; one frame enum per direction of
    /// each tagged-frame protocol (`ClientMessage`, `ServerMessage`).
    pub tokens: TokenStream,
    /// How the schemas mapped.
    pub stats: Stats,
}

/// How many types were generated and how many schemas fell back to `serde_json::Value`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Rust definitions generated (manifest types and the inline types they need).
    pub definitions: usize,
    /// Places where a schema that says more than "any JSON" became `serde_json::Value`.
    pub fallbacks: Vec<String>,
    /// Places where the schema itself is "any JSON".
    pub any: usize,
}

/// A manifest that cannot be emitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmitError {
    /// A reference to a type the manifest does not define.
    #[error("{place} refers to the type `{name}`, which the manifest does not define")]
    DanglingType {
        /// Where the reference is.
        place: String,
        /// The missing type.
        name: String,
    },
    /// The written source does not read back as Rust tokens (a defect of the emitter,
    /// reported rather than a panic).
    #[error("the generated code is not valid Rust tokens: {0}")]
    Unreadable(String),
}

/// The Rust items for `api`, as tokens: the source of [`emit_text`], read back.
pub fn emit(api: &Api) -> Result<Emitted, EmitError> {
    let (text, stats) = emit_text(api)?;
    let tokens = text
        .parse()
        .map_err(|error: proc_macro2::LexError| EmitError::Unreadable(error.to_string()))?;
    Ok(Emitted { tokens, stats })
}

/// Every definition, in the type space before anything is rendered.
fn type_space<'a>(
    api: &'a Api,
    names: &[operations::Named<'a>],
) -> (typespace::TypeSpace<'a>, operations::ParameterTypes) {
    let mut space = typespace::TypeSpace::new(api);
    let parameters = operations::ParameterTypes::define(names, &mut space);
    (space, parameters)
}

/// The source of the items after `mod types`: `Operation`, the socket.io surface where the
/// manifest has socket operations, `HttpApi`, `ServerEvent` and the frame enums.
fn items_after_types(
    api: &Api,
    names: &[operations::Named<'_>],
    space: &typespace::TypeSpace,
    parameters: &operations::ParameterTypes,
) -> String {
    let mut code = code::Code::new(0);
    operations::operation_enum(&mut code, names);
    let socket = api.operations.iter().any(|o| o.event.is_some());
    if socket {
        operations::socket_api(&mut code, api, names, space);
        calls::socket_calls(&mut code, names, space);
    }
    operations::http_api(&mut code, api, names, parameters, space);
    if socket {
        events::server_event(&mut code, names, space);
    }
    frames::frame_enums(&mut code, &api.protocols, space);
    code.finish()
}

/// The `Other { <name>: String, <value>: Value }` variant that keeps what the manifest does not
/// name, each part with its doc: `name` and `value` are `(field, doc)`.
fn other_variant(code: &mut code::Code, doc: &str, name: (&str, &str), value: (&str, &str)) {
    code.docs(&[doc.to_owned()]);
    code.open("Other {");
    code.docs(&[name.1.to_owned()]);
    code.line(&format!("{}: ::std::string::String,", name.0));
    code.docs(&[value.1.to_owned()]);
    code.line(&format!("{}: ::glow_client::serde_json::Value,", value.0));
    code.close("},");
}

fn stats(space: &typespace::TypeSpace) -> Stats {
    Stats {
        definitions: space.defs.len(),
        fallbacks: space.fallbacks.clone(),
        any: space.any,
    }
}

/// Every type an operation or a schema names must exist.
fn check_references(api: &Api) -> Result<(), EmitError> {
    let missing = |place: String, name: &str| EmitError::DanglingType {
        place,
        name: name.to_owned(),
    };
    // Places are worded only for the reference that is missing.
    let check = |name: &str, place: &dyn Fn() -> String| {
        if api.types.contains_key(name) {
            Ok(())
        } else {
            Err(missing(place(), name))
        }
    };
    for operation in &api.operations {
        let op = &operation.name;
        if let Some(request) = &operation.request {
            check(request, &|| format!("operation `{op}` (request)"))?;
        }
        if let Some(ack) = &operation.ack {
            check(ack, &|| format!("operation `{op}` (ack)"))?;
        }
        if let Some(route) = &operation.http {
            if let Some(body) = route.body.as_ref().and_then(|b| b.type_name.as_deref()) {
                check(body, &|| format!("operation `{op}` (HTTP body)"))?;
            }
            for response in route.response.iter().chain(&route.errors) {
                if let Some(name) = &response.type_name {
                    check(name, &|| {
                        format!("operation `{op}` (HTTP {})", response.status)
                    })?;
                }
            }
        }
    }
    for protocol in &api.protocols {
        for (direction, frames) in [("client", &protocol.client), ("server", &protocol.server)] {
            for (tag, name) in &frames.frames {
                if !api.types.contains_key(name) {
                    let place = format!(
                        "the {direction} frame `{tag}` of protocol `{}`",
                        protocol.name
                    );
                    return Err(missing(place, name));
                }
            }
        }
    }
    for (name, schema) in &api.types {
        let dangling = Api::references(schema)
            .into_iter()
            .find(|target| !api.types.contains_key(*target));
        if let Some(target) = dangling {
            return Err(missing(format!("type `{name}`"), target));
        }
    }
    Ok(())
}
