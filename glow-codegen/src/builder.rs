//! The build.rs door: generate bindings into `OUT_DIR` from a manifest or straight from the
//! server's sources, telling Cargo every input so that a no-op rebuild does not rerun it.
//!
//! ```no_run
//! // build.rs
//! glow_codegen::Builder::from_manifest("manifests/glow.yaml").generate("glow").unwrap();
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/glow.rs"));
//! ```

use std::path::PathBuf;

use crate::diagnostic::has_errors;
use crate::emit::Stats;
use crate::output::write_if_changed;
use crate::render::{RenderError, Rendered, render, render_manifest};
use crate::sources::{SourceError, Sources};

/// Where the bindings come from.
#[derive(Debug, Clone)]
enum Input {
    Manifest(PathBuf),
    Sources(Sources),
}

/// Generates bindings for a build script. One knob per method; see the module example.
#[derive(Debug, Clone)]
pub struct Builder {
    input: Input,
    out_dir: Option<PathBuf>,
    emit_rerun: bool,
}

/// A build that could not produce bindings.
///
/// Its `Debug` form is its message, so that a build script's `fn main() -> Result<(), BuildError>`
/// fails with one readable line rather than a dump of the error's fields.
#[derive(thiserror::Error)]
pub enum BuildError {
    /// The sources could not be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The sources have errors.
    #[error("the sources have errors:\n{0}")]
    SourceErrors(String),
    /// The manifest is not valid, or the code cannot be generated from it.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// No `OUT_DIR`: not run from a build script and no `out_dir` given.
    #[error("OUT_DIR is not set: call `out_dir(..)` outside a build script")]
    NoOutDir,
    /// The file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file it was writing.
        path: String,
        /// The I/O error writing it.
        source: std::io::Error,
    },
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl Builder {
    /// Bindings from a checked-in manifest (relative paths are relative to the crate).
    pub fn from_manifest(path: impl Into<PathBuf>) -> Self {
        Builder {
            input: Input::Manifest(path.into()),
            out_dir: None,
            emit_rerun: true,
        }
    }

    /// Bindings straight from the server's sources (ws tree and/or OpenAPI document).
    pub fn from_sources(sources: Sources) -> Self {
        Builder {
            input: Input::Sources(sources),
            out_dir: None,
            emit_rerun: true,
        }
    }

    /// Writes into `dir` instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (on by default; off outside build scripts).
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.emit_rerun = emit;
        self
    }

    /// Writes `<out_dir>/<name>.rs` (only when its contents change) and returns what it took.
    pub fn generate(&self, name: &str) -> Result<Generated, BuildError> {
        let (code, inputs) = self.render()?;
        if self.emit_rerun {
            for input in &inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let path = dir.join(format!("{name}.rs"));
        write_if_changed(&path, code.text.as_bytes()).map_err(|source| BuildError::Write {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Generated {
            path,
            stats: code.stats,
            inputs,
        })
    }

    /// The rendered bindings and every input they were read from.
    fn render(&self) -> Result<(Rendered, Vec<PathBuf>), BuildError> {
        match &self.input {
            Input::Manifest(path) => {
                let label = path.display().to_string();
                Ok((render_manifest(path, &label)?, vec![path.clone()]))
            }
            Input::Sources(sources) => {
                let output = sources.read()?;
                if has_errors(&output.diagnostics) {
                    let errors: Vec<String> = output
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                        .map(|d| d.to_human())
                        .collect();
                    return Err(BuildError::SourceErrors(errors.join("\n")));
                }
                let rendered = render(&output.api, &sources.label())?;
                Ok((rendered, sources.inputs()))
            }
        }
    }
}

/// What [`Builder::generate`] wrote.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file.
    pub path: PathBuf,
    /// How the schemas mapped.
    pub stats: Stats,
    /// Every input read, as printed in `cargo:rerun-if-changed` lines.
    pub inputs: Vec<PathBuf>,
}
