//! Reading a server: each of its sources read on its own (the handler tree, the OpenAPI
//! document), the two merged into one API, and the drift between them checked
//! ([`crate::drift`]). This is what every
//! door (the CLI, the build.rs [`crate::Builder`]) and any other tool calls.
//!
//! ```no_run
//! use glow_codegen::sources::Sources;
//!
//! let output = Sources::new()
//!     .ws_tree("server/core/app/ws")
//!     .openapi("server/openapi.json")
//!     .read()?;
//! for diagnostic in &output.diagnostics {
//!     eprintln!("{diagnostic}");
//! }
//! println!("{}", glow_codegen::manifest::to_yaml(&output.api)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::PathBuf;

pub use crate::source::openapi::OpenApiError;
#[cfg(feature = "python")]
pub use crate::source::ws_tree::WsTreeError;
pub use crate::source::{Layout, Origin, SourceOutput};

use crate::source::openapi;

/// Where a server's description comes from: the settings every door shares.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The python-socketio handler tree (`core/app/ws`).
    pub ws_tree: Option<PathBuf>,
    /// The Python import root; by default found by walking up from the ws tree.
    pub python_path: Option<PathBuf>,
    /// The server's OpenAPI document (3.0 or 3.1, JSON or YAML).
    pub openapi: Option<PathBuf>,
    /// How handler files are laid out, which decides how their names are checked.
    pub layout: Layout,
}

/// The sources could not be read at all (as opposed to diagnostics about their contents).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// No source was given.
    #[error("no source given: pass a ws tree, an OpenAPI document, or both")]
    Empty,
    /// The OpenAPI document could not be read.
    #[error(transparent)]
    OpenApi(#[from] OpenApiError),
    /// The ws tree could not be read.
    #[cfg(feature = "python")]
    #[error(transparent)]
    WsTree(#[from] WsTreeError),
    /// The ws tree was given but this build cannot read Python.
    #[error("this build of glow-codegen has no Python reader (feature `python`)")]
    NoPython,
}

impl Sources {
    /// No sources yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads handlers from this ws tree.
    pub fn ws_tree(mut self, dir: impl Into<PathBuf>) -> Self {
        self.ws_tree = Some(dir.into());
        self
    }

    /// Reads routes and schemas from this OpenAPI document.
    pub fn openapi(mut self, file: impl Into<PathBuf>) -> Self {
        self.openapi = Some(file.into());
        self
    }

    /// How handler files are laid out (default: Glow's `<artifact>/<op>.py`).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Resolves `from app... import` against this import root.
    pub fn python_path(mut self, dir: impl Into<PathBuf>) -> Self {
        self.python_path = Some(dir.into());
        self
    }

    /// Every path the result depends on: the ws tree, the OpenAPI document, and the Python
    /// import root (given, or the one found above the ws tree).
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs: Vec<PathBuf> = self.given().cloned().collect();
        if self.python_path.is_none()
            && let Some(root) = self.ws_tree.as_deref().and_then(found_import_root)
        {
            inputs.push(root);
        }
        inputs
    }

    /// The sources as given, for a generated file's header: `core/app/ws + openapi.json`.
    pub fn label(&self) -> String {
        self.given()
            .map(|path| path.display().to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// The paths given: the ws tree, the OpenAPI document, the import root.
    fn given(&self) -> impl Iterator<Item = &PathBuf> {
        self.ws_tree
            .iter()
            .chain(&self.openapi)
            .chain(&self.python_path)
    }

    /// Reads every source into one API: with both sources, socket operations are paired with
    /// their HTTP twins and every disagreement is a diagnostic (see [`crate::drift`]).
    pub fn read(&self) -> Result<SourceOutput, SourceError> {
        let http = self
            .openapi
            .as_deref()
            .map(openapi::read_openapi)
            .transpose()?;
        let ws = match &self.ws_tree {
            Some(ws_tree) => Some(self.read_ws_tree(ws_tree)?),
            None => None,
        };
        let mut output = match (ws, http) {
            (Some(ws), Some(http)) => {
                let mut merged = crate::merge::merge(ws, http);
                let drift = crate::drift::check(&merged.api, &merged.origins);
                merged.diagnostics.extend(drift);
                merged
            }
            (Some(only), None) | (None, Some(only)) => only,
            (None, None) => return Err(SourceError::Empty),
        };
        output.diagnostics.sort();
        output.diagnostics.dedup();
        Ok(output)
    }

    #[cfg(feature = "python")]
    fn read_ws_tree(&self, ws_tree: &std::path::Path) -> Result<SourceOutput, SourceError> {
        Ok(crate::source::ws_tree::read_ws_tree(
            ws_tree,
            self.python_path.as_deref(),
            self.layout,
        )?)
    }

    #[cfg(not(feature = "python"))]
    fn read_ws_tree(&self, _ws_tree: &std::path::Path) -> Result<SourceOutput, SourceError> {
        Err(SourceError::NoPython)
    }
}

/// Reads an OpenAPI document held in memory (JSON or YAML, by its first character), named
/// `display` in diagnostics: what [`Sources::read`] does with a file, for a tool that has the
/// text already.
///
/// ```
/// let output = glow_codegen::sources::read_openapi_text(
///     "spec.json",
///     r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
/// )?;
/// assert!(output.api.operations.is_empty());
/// # Ok::<(), glow_codegen::sources::OpenApiError>(())
/// ```
pub fn read_openapi_text(display: &str, text: &str) -> Result<SourceOutput, OpenApiError> {
    let document = openapi::Document::parse(display.to_owned(), text.to_owned())?;
    Ok(openapi::read_document(&document))
}

/// The import root found above a ws tree, when it is not the tree itself.
#[cfg(feature = "python")]
fn found_import_root(ws_tree: &std::path::Path) -> Option<PathBuf> {
    let (_, root) = crate::source::ws_tree::import_root(ws_tree).ok()?;
    (root != ws_tree).then_some(root)
}

#[cfg(not(feature = "python"))]
fn found_import_root(_ws_tree: &std::path::Path) -> Option<PathBuf> {
    None
}
