//! The sources: each reads one kind of server input into a [`SourceOutput`] — an
//! [`crate::model::Api`], what was noticed on the way, and where each operation is defined. A
//! source never calls another or the merge above it ([`crate::sources`] does).

#[cfg(feature = "python")]
pub(crate) mod facts;
#[cfg(feature = "python")]
pub(crate) mod modules;
pub(crate) mod openapi;
#[cfg(feature = "python")]
pub(crate) mod payload;
#[cfg(feature = "python")]
pub(crate) mod pushes;
#[cfg(feature = "python")]
pub(crate) mod pydantic;
#[cfg(feature = "python")]
pub(crate) mod python;
#[cfg(feature = "python")]
pub(crate) mod read;
#[cfg(feature = "python")]
pub(crate) mod type_set;
#[cfg(feature = "python")]
pub(crate) mod ws_tree;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Position};
use crate::model::Api;

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

/// What reading the sources gives.
#[derive(Debug, Clone, Default)]
pub struct SourceOutput {
    /// The API the sources describe.
    pub api: Api,
    /// Everything noticed on the way, sorted by file and place.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each operation is defined (by operation name), for diagnostics about it.
    pub origins: BTreeMap<String, Origin>,
    /// Every file read, sorted: the OpenAPI document and each Python file parsed (walked in the
    /// ws tree or imported from under the import root). What a build script reruns on.
    pub files: Vec<std::path::PathBuf>,
}

/// A place in a source file, as displayed in diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file, as the user named it.
    pub path: String,
    /// The place in it.
    pub at: Position,
}
