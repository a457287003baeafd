//! The build.rs door: generate bindings into `OUT_DIR` from a manifest or straight from the
//! server's sources, telling Cargo every input so that a no-op rebuild does not rerun it.
//!
//! ```no_run
//! // build.rs
//! glow_codegen::Builder::from_manifest("manifests/glow.yaml").generate("glow").unwrap();
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/glow.rs"));
//! ```
//!
//! Read straight from the sources, every warning the sources give (`name-mismatch`,
//! `payload-mismatch`, `not-imported`, ...) is printed as a Cargo warning, so that the build shows
//! it; [`Builder::deny`] makes chosen codes fail the build instead:
//!
//! ```no_run
//! use glow_codegen::diagnostic::Code;
//! use glow_codegen::{Builder, Sources};
//!
//! Builder::from_sources(Sources::new().ws_tree("../server/core/app/ws").openapi("../server/openapi.json"))
//!     .deny(Code::NameMismatch)
//!     .deny(Code::PayloadMismatch)
//!     .generate("glow")?;
//! # Ok::<(), glow_codegen::builder::BuildError>(())
//! ```

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::emit::Stats;
use crate::filter::OperationFilter;
use crate::manifest;
use crate::output::write_atomic;
use crate::render::{RenderError, Rendered, render_only};
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
    cargo_warnings: bool,
    denied: BTreeSet<Code>,
    only: Vec<String>,
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
    /// The sources have errors, or findings of a denied code.
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
        Self::new(Input::Manifest(path.into()))
    }

    /// Bindings straight from the server's sources (ws tree and/or OpenAPI document).
    pub fn from_sources(sources: Sources) -> Self {
        Self::new(Input::Sources(sources))
    }

    fn new(input: Input) -> Self {
        Builder {
            input,
            out_dir: None,
            emit_rerun: true,
            cargo_warnings: true,
            denied: BTreeSet::new(),
            only: Vec::new(),
        }
    }

    /// Generates only the operations `pattern` matches (a glob over names or events, e.g.
    /// `persona.*`), with the types they reach; call again for more. Every pattern must match
    /// an operation.
    pub fn only(mut self, pattern: impl Into<String>) -> Self {
        self.only.push(pattern.into());
        self
    }

    /// Makes findings of `code` fail the build (as errors do) instead of being Cargo warnings.
    pub fn deny(mut self, code: Code) -> Self {
        self.denied.insert(code);
        self
    }

    /// Whether to print the sources' warnings as `cargo:warning` lines (on by default; they are
    /// in [`Generated::warnings`] either way).
    pub fn cargo_warnings(mut self, print: bool) -> Self {
        self.cargo_warnings = print;
        self
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
        let (code, inputs, warnings) = self.render()?;
        if self.cargo_warnings {
            for warning in &warnings {
                for line in cargo_warning_lines(warning) {
                    println!("{line}");
                }
            }
        }
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
        write_atomic(&path, code.text.as_bytes()).map_err(|source| BuildError::Write {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Generated {
            path,
            stats: code.stats,
            inputs,
            warnings,
        })
    }

    /// The rendered bindings, every input they were read from, and the sources' warnings.
    fn render(&self) -> Result<(Rendered, Vec<PathBuf>, Vec<Diagnostic>), BuildError> {
        let label = match &self.input {
            Input::Manifest(path) => path.display().to_string(),
            Input::Sources(sources) => sources.label(),
        };
        let filter = (!self.only.is_empty())
            .then(|| OperationFilter::new(&self.only))
            .transpose()
            .map_err(|error| RenderError::Filter {
                label: label.clone(),
                error,
            })?;
        match &self.input {
            Input::Manifest(path) => {
                let api = manifest::read(path, &label).map_err(RenderError::from)?;
                Ok((
                    render_only(&api, &label, filter.as_ref())?,
                    vec![path.clone()],
                    Vec::new(),
                ))
            }
            Input::Sources(sources) => {
                let output = sources.read()?;
                // The files read, so that a write beside them (`__pycache__`, an editor's swap
                // file) does not rerun the script; the folders when the reader lists none.
                let inputs = if output.files.is_empty() {
                    sources.inputs()
                } else {
                    output.files
                };
                let (failing, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = output
                    .diagnostics
                    .into_iter()
                    .partition(|d| d.severity == Severity::Error || self.denied.contains(&d.code));
                if !failing.is_empty() {
                    let lines: Vec<String> = failing.iter().map(Diagnostic::to_human).collect();
                    return Err(BuildError::SourceErrors(lines.join("\n")));
                }
                let rendered = render_only(&output.api, &label, filter.as_ref())?;
                Ok((rendered, inputs, warnings))
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
    /// The sources' warnings (none for a manifest), as printed in `cargo:warning` lines.
    pub warnings: Vec<Diagnostic>,
}

/// A diagnostic as `cargo:warning=` lines: Cargo shows one line per directive, so each place (the
/// diagnostic's, then each note's) is one.
pub fn cargo_warning_lines(diagnostic: &Diagnostic) -> Vec<String> {
    diagnostic
        .to_human()
        .lines()
        .map(|line| format!("cargo:warning={line}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    #[test]
    fn a_warning_and_its_notes_are_one_cargo_line_each() {
        let warning =
            Diagnostic::warning(Code::DuplicateEvent, "a.py", Position::new(3, 9), "twice")
                .also_at("b.py", Position::new(4, 9), "first here");
        assert_eq!(
            cargo_warning_lines(&warning),
            [
                "cargo:warning=a.py:3:9: warning[duplicate-event]: twice",
                "cargo:warning=b.py:4:9: note: first here"
            ]
        );
    }
}
