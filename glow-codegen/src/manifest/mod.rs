//! The manifest: the canonical YAML form of the [`Api`], checked in next to the client.
//!
//! Canonical means: operations sorted by name, types and every schema key sorted, no absolute
//! paths, no timestamps — two runs over the same sources give the same bytes.
//!
//! ```
//! use glow_codegen::manifest;
//!
//! let yaml = "manifest_version: 1
//! operations:
//! - name: system.ping
//!   event: system.ping
//!   artifact: system
//!   operation: ping
//!   http: null
//!   request: null
//!   ack: null
//!   source: app/ws/system/ping.py:6
//! types: {}
//! ";
//! let api = manifest::from_yaml(yaml, "glow.yaml")?;
//! assert_eq!(api.operations[0].event.as_deref(), Some("system.ping"));
//! assert_eq!(manifest::to_yaml(&api)?, yaml, "canonical: read and written back, byte for byte");
//! # Ok::<(), manifest::ManifestError>(())
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

mod chunks;
mod plain;

use crate::input::{InputError, InputKind};
use crate::model::{Api, Auth, FrameProtocol, Operation, Schema};

/// The manifest format version this crate reads and writes.
pub const MANIFEST_VERSION: u32 = 1;

/// A manifest that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The manifest file is missing or unreadable.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Not YAML, or not the manifest's shape.
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        /// The manifest file.
        path: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// A version this crate does not read.
    #[error(
        "{path}: manifest_version {found} is not supported (this tool reads version {MANIFEST_VERSION})"
    )]
    Version {
        /// The manifest file.
        path: String,
        /// The version found.
        found: u32,
    },
    /// A schema that could not be serialized.
    #[error("cannot write the manifest: {0}")]
    Write(String),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    manifest_version: u32,
    #[serde(default, skip_serializing_if = "Auth::is_empty")]
    auth: Auth,
    operations: Vec<Operation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    protocols: Vec<FrameProtocol>,
    types: BTreeMap<String, Schema>,
}

/// The manifest as written: the API's parts borrowed, in canonical order (the fields as
/// [`ManifestFile`] reads them).
#[derive(Serialize)]
struct ManifestOut<'a> {
    manifest_version: u32,
    #[serde(skip_serializing_if = "no_auth")]
    auth: &'a Auth,
    operations: Vec<&'a Operation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    protocols: Vec<&'a FrameProtocol>,
    types: &'a BTreeMap<String, Schema>,
}

fn no_auth(auth: &&Auth) -> bool {
    auth.is_empty()
}

/// The canonical YAML text of `api`.
pub fn to_yaml(api: &Api) -> Result<String, ManifestError> {
    let mut operations: Vec<&Operation> = api.operations.iter().collect();
    operations.sort_by(|a, b| Operation::canonical_order(a, b));
    let mut protocols: Vec<&FrameProtocol> = api.protocols.iter().collect();
    protocols.sort_by(|a, b| FrameProtocol::canonical_order(a, b));
    let file = ManifestOut {
        manifest_version: MANIFEST_VERSION,
        auth: &api.auth,
        operations,
        protocols,
        types: &api.types,
    };
    serde_saphyr::to_string(&file).map_err(|error| ManifestError::Write(error.to_string()))
}

/// Whether `line` starts an item of a list in the canonical layout: a `- ` at the margin (an
/// operation, a protocol).
pub(crate) fn starts_list_item(line: &str) -> bool {
    line.starts_with("- ")
}

/// Whether `line` starts a key of a mapping of keys in the canonical layout: a key two spaces in
/// (a type).
pub(crate) fn starts_nested_key(line: &str) -> bool {
    line.strip_prefix("  ")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with([' ', '-', '#']))
}

/// Reads the manifest file at `path` (shown as `shown` in errors).
pub fn read(path: &Path, shown: &str) -> Result<Api, ManifestError> {
    let text = crate::input::read_text(path, shown, InputKind::Manifest)?;
    from_yaml(&text, shown)
}

/// The manifest in `text` parsed at once, with the parser's place and message for an error.
fn read_whole(text: &str, path: &str) -> Result<ManifestFile, ManifestError> {
    crate::yaml::from_str(text).map_err(|error| {
        let (line, col) = error
            .location()
            .map_or((0, 0), |at| (at.line() as usize, at.column() as usize));
        ManifestError::Syntax {
            path: path.to_owned(),
            line,
            col,
            message: crate::yaml::message(&error),
        }
    })
}

/// Reads a manifest; `path` labels errors.
pub fn from_yaml(text: &str, path: &str) -> Result<Api, ManifestError> {
    let file = match chunks::read(text) {
        Some(file) => file,
        None => read_whole(text, path)?,
    };
    if file.manifest_version != MANIFEST_VERSION {
        return Err(ManifestError::Version {
            path: path.to_owned(),
            found: file.manifest_version,
        });
    }
    let mut api = Api {
        operations: file.operations,
        protocols: file.protocols,
        types: file.types,
        auth: file.auth,
    };
    api.normalize();
    Ok(api)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::json;
    use crate::model::{HttpRoute, SecurityScheme, SocketAuth};

    fn sample() -> Api {
        Api {
            protocols: Vec::new(),
            operations: vec![
                Operation {
                    name: "persona.search".into(),
                    event: Some("persona.search".into()),
                    artifact: "persona".into(),
                    op: "search".into(),
                    http: Some(HttpRoute {
                        method: "POST".into(),
                        path: "/persona/search".into(),
                        operation_id: None,
                        parameters: Vec::new(),
                        body: None,
                        response: None,
                        errors: Vec::new(),
                        security: vec!["HTTPBearer".into()],
                    }),
                    request: Some("PersonaSearchPayload".into()),
                    request_unknown: None,
                    namespace: None,
                    ack: None,
                    source: Some("app/ws/persona/search.py:31".into()),
                    pushes: None,
                },
                Operation {
                    name: "attempt.start".into(),
                    event: None,
                    artifact: "attempt".into(),
                    op: "start".into(),
                    http: None,
                    request: None,
                    request_unknown: None,
                    namespace: None,
                    ack: None,
                    source: None,
                    pushes: None,
                },
            ],
            types: [(
                "PersonaSearchPayload".to_owned(),
                json!({"type": "object", "required": ["q"], "properties": {"q": {"type": "string", "default": "yes"}, "n": {"type": "integer", "default": 12}}}),
            )]
            .into(),
            auth: Auth {
                socket: Some(SocketAuth {
                    keys: vec!["token".into()],
                    source: "app/ws/connect.py:8".into(),
                }),
                http: [(
                    "HTTPBearer".to_owned(),
                    SecurityScheme {
                        kind: "http".into(),
                        scheme: Some("bearer".into()),
                        location: None,
                        name: None,
                    },
                )]
                .into(),
            },
        }
    }

    #[test]
    fn round_trip_keeps_every_value() {
        let api = sample();
        let text = to_yaml(&api).unwrap();
        let mut expected = api.clone();
        expected.normalize();
        assert_eq!(from_yaml(&text, "m.yaml").unwrap(), expected);
    }

    #[test]
    fn output_is_sorted_and_stable() {
        let text = to_yaml(&sample()).unwrap();
        assert!(text.starts_with("manifest_version: 1\n"), "{text}");
        let attempt = text.find("name: attempt.start").unwrap();
        let persona = text.find("name: persona.search").unwrap();
        assert!(attempt < persona);
        assert!(text.find("\"n\"").or(text.find(" n:")).unwrap() < text.find(" q:").unwrap());
        assert_eq!(to_yaml(&from_yaml(&text, "m").unwrap()).unwrap(), text);
    }

    #[test]
    fn auth_is_written_after_the_version() {
        let text = to_yaml(&sample()).unwrap();
        assert!(
            text.starts_with(
                "manifest_version: 1\nauth:\n  socket:\n    keys:\n    - token\n    source: app/ws/connect.py:8\n  http:\n    HTTPBearer:\n      type: http\n      scheme: bearer\n"
            ),
            "{text}"
        );
        assert!(text.contains("    security:\n    - HTTPBearer\n"), "{text}");
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let error = from_yaml("manifest_version: 1\noperations: [\n", "bad.yaml").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("bad.yaml:"), "{message}");
        let ManifestError::Syntax { line, .. } = error else {
            panic!("expected a syntax error");
        };
        assert!(line >= 2, "line {line}");
    }

    #[test]
    fn unknown_version_is_refused() {
        let error =
            from_yaml("manifest_version: 9\noperations: []\ntypes: {}\n", "m.yaml").unwrap_err();
        assert!(matches!(error, ManifestError::Version { found: 9, .. }));
    }
}
