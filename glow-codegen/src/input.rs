//! The files and folders a user names (a manifest, an OpenAPI document, a ws tree): one place
//! that reads them, so that every door reports a missing one the same way — what it is, where it
//! was looked for, and what to do.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// How many MiB of one input are read, unless [`MAX_INPUT_VARIABLE`] says otherwise.
pub const DEFAULT_MAX_INPUT_MIB: u64 = 256;

/// The environment variable that raises (or lowers) the limit, in MiB.
pub const MAX_INPUT_VARIABLE: &str = "GLOW_CODEGEN_MAX_INPUT_MIB";

/// The most bytes of one input that are read: `$GLOW_CODEGEN_MAX_INPUT_MIB` MiB, else 256 MiB.
pub fn max_input_mib() -> u64 {
    std::env::var(MAX_INPUT_VARIABLE)
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_INPUT_MIB)
}

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
    /// A drift policy (`glow-drift.yaml`).
    DriftPolicy,
}

impl InputKind {
    /// How a message names it ("the manifest").
    pub fn what(self) -> &'static str {
        match self {
            InputKind::Manifest => "the manifest",
            InputKind::OpenApi => "the OpenAPI document",
            InputKind::WsTree => "the ws tree",
            InputKind::PythonPath => "the Python import root",
            InputKind::DriftPolicy => "the drift policy",
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
            InputKind::DriftPolicy => {
                "write one (the README's drift section shows its form), or correct the path"
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
    /// It is larger than the limit (a device, a runaway file).
    #[error("{} `{path}` is larger than the {limit_mib} MiB read; raise the limit with {MAX_INPUT_VARIABLE}=<MiB>", .kind.what())]
    TooLarge {
        /// What it is.
        kind: InputKind,
        /// The path as given.
        path: String,
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// It exists but could not be read.
    #[error("cannot read {} `{path}`: {source}", .kind.what())]
    Unreadable {
        /// What it is.
        kind: InputKind,
        /// The path as given.
        path: String,
        /// The I/O error reading it.
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

/// The text of the file at `path` (shown as `shown` in errors), read up to [`max_input_mib`].
pub fn read_text(path: &Path, shown: &str, kind: InputKind) -> Result<String, InputError> {
    require(path, shown, kind)?;
    let unreadable = |source| InputError::Unreadable {
        kind,
        path: shown.to_owned(),
        source,
    };
    let limit_mib = max_input_mib();
    let bytes = read_capped(path, limit_mib.saturating_mul(1024 * 1024)).map_err(unreadable)?;
    let Some(bytes) = bytes else {
        return Err(InputError::TooLarge {
            kind,
            path: shown.to_owned(),
            limit_mib,
        });
    };
    String::from_utf8(bytes).map_err(|_| {
        unreadable(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })
}

/// The bytes of `path`, or `None` when there are more than `limit` (a device such as
/// `/dev/zero` has no size to check beforehand, so the read itself is bounded).
pub fn read_capped(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    // Sized once from the file's length (within the limit): growing by doubling would copy a
    // large document several times and hold two copies at the last step.
    let expected = file.metadata().map_or(0, |meta| meta.len().min(limit));
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
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
