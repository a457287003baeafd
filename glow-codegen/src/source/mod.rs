//! Sources: each reads one kind of server input and produces facts for the [`crate::model::Api`].

pub mod facts;
pub mod openapi;
#[cfg(feature = "python")]
pub mod modules;
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

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
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
}

/// The sources could not be read at all (as opposed to diagnostics about their contents).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// No source was given.
    #[error("no source given: pass a ws tree")]
    Empty,
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

    /// Resolves `from app... import` against this import root.
    pub fn python_path(mut self, dir: impl Into<PathBuf>) -> Self {
        self.python_path = Some(dir.into());
        self
    }

    /// Every file the sources read could depend on is under these paths.
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.ws_tree
            .iter()
            .chain(&self.python_path)
            .cloned()
            .collect()
    }

    /// Reads every source into one API.
    pub fn read(&self) -> Result<SourceOutput, SourceError> {
        let Some(ws_tree) = &self.ws_tree else {
            return Err(SourceError::Empty);
        };
        #[cfg(feature = "python")]
        {
            Ok(ws_tree::read_ws_tree(ws_tree, self.python_path.as_deref())?)
        }
        #[cfg(not(feature = "python"))]
        {
            let _ = ws_tree;
            Err(SourceError::NoPython)
        }
    }
}
