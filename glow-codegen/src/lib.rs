//! glow-codegen: typed Rust bindings from a python-socketio handler tree and an OpenAPI document.
//!
//! The pipeline: sources produce one [`model::Api`]; the manifest is its canonical YAML form;
//! emitters turn it into Rust.

#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostic;
pub mod drift;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod output;
pub mod source;
pub mod stale;
pub mod unify;
