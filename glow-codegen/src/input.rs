//! The files and folders a user names (a manifest, an OpenAPI document, a ws tree): one place
//! that reads them, so that every door reports a missing one the same way — what it is, where it
//! was looked for, and what to do.

use std::path::{Component, Path, PathBuf};

/// What kind of input a path names, and what to do when it is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A glow-codegen manifest.
    Manifest,
    /// A server's OpenAPI document.
    OpenApi,
    /// A python-socketio handler tree.
    WsTree,
    /// The folder Python imports are resolved from.
    PythonPath,
}

impl InputKind {
    /// How a message names it ("the manifest").
    pub fn what(self) -> &'static str {
        match self {
            InputKind::Manifest => "the manifest",
            InputKind::OpenApi => "the OpenAPI document",
            InputKind::WsTree => "the ws tree",
            InputKind::PythonPath => "the Python import root",
        }
    }

    /// What to do when it is missing.
    pub fn remedy(self) -> &'static str {
        match self {
            InputKind::Manifest => {
                "write it with `glow-codegen manifest --ws-tree <dir> --openapi <file> --out <path>`, or correct the path"
            }
            InputKind::OpenApi => "export the server's OpenAPI document there, or correct the path",
            InputKind::WsTree => {
                "name the server's handler folder (`core/app/ws`), or correct the path"
            }
            InputKind::PythonPath => {
                "name the folder the server's `app` package is imported from, or correct the path"
            }
        }
    }
}

/// An input that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Nothing exists at the path.
    #[error("{} `{path}` does not exist (looked for `{}`): {}", .kind.what(), .looked_for.display(), .kind.remedy())]
    Missing {
        /// What it is.
        kind: InputKind,
        /// The path as given.
        path: String,
        /// Where it was looked for: the path made absolute.
        looked_for: PathBuf,
    },
    /// It exists but could not be read.
    #[error("cannot read {} `{path}`: {source}", .kind.what())]
    Unreadable {
        /// What it is.
        kind: InputKind,
        /// The path as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// The error for `path` (shown as `shown`) when nothing exists there, else `Ok`.
pub fn require(path: &Path, shown: &str, kind: InputKind) -> Result<(), InputError> {
    if path.exists() {
        return Ok(());
    }
    Err(InputError::Missing {
        kind,
        path: shown.to_owned(),
        looked_for: looked_for(path),
    })
}

/// The text of the file at `path` (shown as `shown` in errors).
pub fn read_text(path: &Path, shown: &str, kind: InputKind) -> Result<String, InputError> {
    require(path, shown, kind)?;
    std::fs::read_to_string(path).map_err(|source| InputError::Unreadable {
        kind,
        path: shown.to_owned(),
        source,
    })
}

/// `path` made absolute against the current directory, with `.` and `..` resolved by name.
fn looked_for(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_names_where_it_was_looked_for_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/../manifests/glow.yaml");
        let error = read_text(&path, &path.display().to_string(), InputKind::Manifest).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the manifest `{}` does not exist (looked for `{}`): write it with `glow-codegen manifest --ws-tree <dir> --openapi <file> --out <path>`, or correct the path",
                path.display(),
                dir.path().join("manifests/glow.yaml").display()
            )
        );
    }

    #[test]
    fn existing_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.json");
        std::fs::write(&path, "{}").unwrap();
        assert_eq!(
            read_text(&path, "spec.json", InputKind::OpenApi).unwrap(),
            "{}"
        );
    }
}
