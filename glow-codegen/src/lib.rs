//! glow-codegen: typed Rust bindings from a python-socketio handler tree and an OpenAPI document.
//!
//! The pipeline: each [`source`](sources) produces an [`model::Api`]; the merge pairs the
//! socket and HTTP sides into one, and [`drift`] checks where they disagree; the [`manifest`] is
//! the API's canonical YAML form; [`emit`] writes it as Rust source (and as tokens for the
//! macro), and [`render`] heads the file.
//! Three doors share it: the `glow-codegen` command line, the build.rs [`Builder`], and the
//! `bindings!` macro of `glow-macros`.
//!
//! ```no_run
//! use glow_codegen::sources::Sources;
//!
//! let read = Sources::new().ws_tree("core/app/ws").openapi("openapi.json").read()?;
//! std::fs::write("glow.yaml", glow_codegen::manifest::to_yaml(&read.api)?)?;
//! let code = glow_codegen::render(&read.api, "glow.yaml")?;
//! std::fs::write("src/glow.rs", code.text)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

#[cfg(feature = "pretty")]
pub mod builder;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostic;
pub mod drift;
pub mod emit;
mod equivalence;
pub mod filter;
mod ident;
pub(crate) mod input;
pub mod json;
pub mod manifest;
mod merge;
pub mod model;
pub mod naming;
#[cfg(feature = "pretty")]
pub(crate) mod output;
mod parallel;
#[cfg(feature = "pretty")]
mod render;
mod source;
pub mod sources;
#[cfg(feature = "cli")]
pub(crate) mod stale;
pub(crate) mod yaml;

#[cfg(feature = "pretty")]
pub use builder::Builder;
#[cfg(feature = "pretty")]
pub use render::{
    RenderError, Rendered, Renderer, filtered, header, render, render_manifest, render_only,
};
pub use sources::Sources;

/// Entry points for the fuzz targets: the readers of outside input, exposed so that arbitrary
/// bytes can reach them. Not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    /// Python source → the facts the reader extracts (parsed isolated, as in a real read).
    #[cfg(feature = "python")]
    pub fn python_facts(bytes: &[u8]) {
        let _ = crate::source::read::parse_bytes(bytes, "fuzz.py");
    }
}
