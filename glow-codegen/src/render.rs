//! Rendered code: the pretty-printed Rust of an API (or of a manifest file), headed with where it
//! came from — what the `generate` command prints and the build.rs [`crate::Builder`] writes.
//!
//! ```no_run
//! let rendered = glow_codegen::render_manifest("manifests/glow.yaml".as_ref(), "manifests/glow.yaml")?;
//! std::fs::write("src/glow.rs", rendered.text)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use proc_macro2::TokenStream;

use crate::emit::{EmitError, PrintError, Stats, emit, emit_printed};
use crate::filter::{FilterError, OperationFilter};
use crate::manifest::{self, ManifestError};
use crate::model::Api;

/// Generated source text, and what it took.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Pretty-printed Rust.
    pub text: String,
    /// How the schemas mapped.
    pub stats: Stats,
    /// How many operations it covers.
    pub operations: usize,
}

/// Why code could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The manifest is missing or not valid.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The manifest cannot be emitted.
    #[error("cannot generate from `{label}`: {source}")]
    Emit {
        /// Where the API came from.
        label: String,
        /// What in the API cannot be emitted.
        source: EmitError,
    },
    /// An operation filter does not apply to the manifest.
    #[error("cannot generate from `{label}`: {error}")]
    Filter {
        /// Where the API came from.
        label: String,
        /// Why the filter does not apply.
        error: FilterError,
    },
    /// The emitted tokens are not a valid Rust file (a defect of the emitter, reported rather
    /// than a panic).
    #[error("the code generated from `{label}` does not parse as Rust: {message}")]
    Unparsable {
        /// Where the API came from.
        label: String,
        /// What the parser said.
        message: String,
    },
}

/// The pretty-printed bindings of `api`, headed with `label` (where it came from).
pub fn render(api: &Api, label: &str) -> Result<Rendered, RenderError> {
    let (code, stats) = emit_printed(api, &pretty).map_err(|error| match error {
        PrintError::Emit(source) => RenderError::Emit {
            label: label.to_owned(),
            source,
        },
        PrintError::Print(message) => RenderError::Unparsable {
            label: label.to_owned(),
            message,
        },
    })?;
    let mut text: String = header(label)
        .iter()
        .map(|line| format!("// {line}\n"))
        .collect();
    text.push('\n');
    text.push_str(&code);
    Ok(Rendered {
        text,
        stats,
        operations: api.operations.len(),
    })
}

/// The pretty-printed bindings of the manifest at `path`, called `label` in messages and in the
/// header.
pub fn render_manifest(path: &Path, label: &str) -> Result<Rendered, RenderError> {
    let api = manifest::read(path, label)?;
    render(&api, label)
}

/// The pretty-printed bindings of the operations of `api` that `only` keeps (all of them when
/// it is `None`), with the types they reach.
pub fn render_only(
    api: &Api,
    label: &str,
    only: Option<&OperationFilter>,
) -> Result<Rendered, RenderError> {
    render_as(api, label, only, Formatting::Pretty)
}

/// How generated code is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formatting {
    /// Pretty-printed (prettyplease): for a file people read, such as a checked-in one.
    Pretty,
    /// The tokens as the compiler reads them, on one line after the header: for a file only
    /// the compiler reads.
    Compact,
}

/// The bindings of the operations of `api` that `only` keeps, laid out as `formatting` says.
pub fn render_as(
    api: &Api,
    label: &str,
    only: Option<&OperationFilter>,
    formatting: Formatting,
) -> Result<Rendered, RenderError> {
    let part;
    let api = match only {
        None => api,
        Some(filter) => {
            part = filter.apply(api).map_err(|error| RenderError::Filter {
                label: label.to_owned(),
                error,
            })?;
            &part
        }
    };
    match formatting {
        Formatting::Pretty => render(api, label),
        Formatting::Compact => {
            let emitted = emit(api).map_err(|source| RenderError::Emit {
                label: label.to_owned(),
                source,
            })?;
            let mut text: String = header(label)
                .iter()
                .map(|line| format!("// {line}\n"))
                .collect();
            text.push('\n');
            text.push_str(&emitted.tokens.to_string());
            text.push('\n');
            Ok(Rendered {
                text,
                stats: emitted.stats,
                operations: api.operations.len(),
            })
        }
    }
}

/// The comment lines at the top of a generated file.
pub fn header(label: &str) -> Vec<String> {
    vec![
        format!("Generated by glow-codegen from `{label}`. Do not edit:"),
        "regenerate it with `glow-codegen generate` (or the build script that made it).".to_owned(),
    ]
}

/// The source text of a file's `tokens`, formatted by prettyplease.
fn pretty(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    Ok(prettyplease::unparse(&file))
}
