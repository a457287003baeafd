//! glow-codegen: typed Rust bindings from a python-socketio handler tree and an OpenAPI document.
//!
//! The pipeline: sources produce one [`model::Api`]; the manifest is its canonical YAML form;
//! emitters turn it into Rust.

#![warn(missing_docs)]

#[cfg(feature = "pretty")]
pub mod builder;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostic;
pub mod drift;
pub mod emit;
pub mod input;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod output;
#[cfg(feature = "pretty")]
pub mod pretty;
pub mod source;
pub mod stale;
pub mod unify;
pub mod yaml;

#[cfg(feature = "pretty")]
pub use builder::Builder;
