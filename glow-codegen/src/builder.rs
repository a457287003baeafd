//! The build.rs door: generate bindings into `OUT_DIR` from a manifest or straight from the
//! server's sources, telling Cargo every input so that a no-op rebuild does not rerun it.
//!
//! ```no_run
//! // build.rs
//! glow_codegen::Builder::from_manifest("manifests/glow.yaml").generate("glow").unwrap();
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/glow.rs"));
//! ```

use std::path::PathBuf;

use crate::emit::{EmitError, Stats, emit};
use crate::manifest::{self, ManifestError};
use crate::model::Api;
use crate::output::write_if_changed;

/// Where the bindings come from.
#[derive(Debug, Clone)]
enum Input {
    Manifest(PathBuf),
    Sources(crate::source::Sources),
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
    /// The manifest is missing or not valid.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The sources could not be read.
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
    /// The sources have errors.
    #[error("the sources have errors:\n{0}")]
    SourceErrors(String),
    /// The manifest cannot be emitted.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// The emitted code is not valid Rust.
    #[error(transparent)]
    Pretty(#[from] crate::pretty::PrettyError),
    /// No `OUT_DIR`: not run from a build script and no `out_dir` given.
    #[error("OUT_DIR is not set: call `out_dir(..)` outside a build script")]
    NoOutDir,
    /// The file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
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
    pub fn from_sources(sources: crate::source::Sources) -> Self {
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
        let (api, label, inputs) = self.read()?;
        if self.emit_rerun {
            for input in &inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let code = render(&api, &label)?;
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

    fn read(&self) -> Result<(Api, String, Vec<PathBuf>), BuildError> {
        match &self.input {
            Input::Manifest(path) => {
                let label = path.display().to_string();
                Ok((manifest::read(path, &label)?, label, vec![path.clone()]))
            }
            Input::Sources(sources) => {
                let output = sources.read()?;
                let errors: Vec<String> = output
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                    .map(|d| d.to_human())
                    .collect();
                if !errors.is_empty() {
                    return Err(BuildError::SourceErrors(errors.join("\n")));
                }
                let label = sources
                    .inputs()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" + ");
                let mut inputs = sources.inputs();
                if let Some(ws) = &sources.ws_tree {
                    inputs.extend(python_root(ws));
                }
                Ok((output.api, label, inputs))
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

/// Generated source text and its stats.
pub struct Rendered {
    /// Pretty-printed Rust.
    pub text: String,
    /// How the schemas mapped.
    pub stats: Stats,
}

/// The pretty-printed bindings of `api`, headed with where they came from.
pub fn render(api: &Api, label: &str) -> Result<Rendered, BuildError> {
    let emitted = emit(api)?;
    let text = crate::pretty::pretty(emitted.tokens, &header(label))?;
    Ok(Rendered {
        text,
        stats: emitted.stats,
    })
}

/// The comment lines at the top of a generated file.
pub fn header(label: &str) -> Vec<String> {
    vec![
        format!("Generated by glow-codegen from `{label}`. Do not edit:"),
        "regenerate it with `glow-codegen generate` (or the build script that made it).".to_owned(),
    ]
}

/// The Python import root above a ws tree (the folder models are imported from).
#[cfg(feature = "python")]
fn python_root(ws: &std::path::Path) -> Option<PathBuf> {
    let (_, root) = crate::source::ws_tree::import_root(ws).ok()?;
    (root != ws).then_some(root)
}

/// The Python import root above a ws tree (the folder models are imported from).
#[cfg(not(feature = "python"))]
fn python_root(ws: &std::path::Path) -> Option<PathBuf> {
    let mut dir = ws.to_path_buf();
    while dir.join("__init__.py").is_file() {
        dir = dir.parent()?.to_path_buf();
    }
    (dir != ws).then_some(dir)
}
