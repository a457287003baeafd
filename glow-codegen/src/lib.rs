//! glow-codegen: typed Rust bindings from a python-socketio handler tree and an OpenAPI document.
//!
//! The pipeline: sources produce one [`model::Api`]; the manifest is its canonical YAML form;
//! emitters turn it into Rust.

pub mod diagnostic;
pub mod model;
pub mod naming;
pub mod source;
