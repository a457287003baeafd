//! Sources: each reads one kind of server input and produces facts for the [`crate::model::Api`].

pub mod facts;
#[cfg(feature = "python")]
pub mod modules;
pub mod openapi;
#[cfg(feature = "python")]
pub mod payload;
#[cfg(feature = "python")]
pub mod pydantic;
#[cfg(feature = "python")]
pub mod python;
#[cfg(feature = "python")]
pub mod read;
pub mod type_set;
#[cfg(feature = "python")]
pub mod ws_tree;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Position};
use crate::model::Api;

/// Where a server's description comes from: the settings every door (CLI, build.rs) shares.
///
/// ```no_run
/// let output = glow_codegen::source::Sources::new()
///     .ws_tree("server/core/app/ws")
///     .read()?;
/// println!("{} operations", output.api.operations.len());
/// # Ok::<(), glow_codegen::source::SourceError>(())
/// ```
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

/// How a ws tree lays out its handler files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// `<artifact>/<op>.py` registering `<artifact>.<op>` (Glow's): every name is checked
    /// against its file's place.
    #[default]
    Glow,
    /// Any layout: operations are named by the event they register, and no name is checked
    /// against a place.
    Flat,
}

/// The sources could not be read at all (as opposed to diagnostics about their contents).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// No source was given.
    #[error("no source given: pass a ws tree, an OpenAPI document, or both")]
    Empty,
    /// The OpenAPI document could not be read.
    #[error(transparent)]
    OpenApi(#[from] openapi::OpenApiError),
    /// The ws tree could not be read.
    #[cfg(feature = "python")]
    #[error(transparent)]
    WsTree(#[from] ws_tree::WsTreeError),
    /// The ws tree was given but this build cannot read Python.
    #[error("this build of glow-codegen has no Python reader (feature `python`)")]
    NoPython,
}

/// What reading the sources gives.
#[derive(Debug, Clone, Default)]
pub struct SourceOutput {
    /// The API the sources describe.
    pub api: Api,
    /// Everything noticed on the way, sorted by file and place.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each operation is defined (by operation name), for diagnostics about it.
    pub origins: BTreeMap<String, Origin>,
}

/// A place in a source file, as displayed in diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file, as the user named it.
    pub path: String,
    /// The place in it.
    pub at: Position,
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

    /// Every file the sources read could depend on is under these paths.
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.ws_tree
            .iter()
            .chain(&self.openapi)
            .chain(&self.python_path)
            .cloned()
            .collect()
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
        match (ws, http) {
            (Some(ws), Some(http)) => Ok(crate::drift::combine(ws, http)),
            (Some(only), None) | (None, Some(only)) => Ok(only),
            (None, None) => Err(SourceError::Empty),
        }
    }

    #[cfg(feature = "python")]
    fn read_ws_tree(&self, ws_tree: &std::path::Path) -> Result<SourceOutput, SourceError> {
        Ok(ws_tree::read_ws_tree(
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
