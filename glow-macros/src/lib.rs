//! `glow_macros::bindings!("manifests/glow.yaml")`: typed Rust bindings generated at compile
//! time from a glow-codegen manifest.
//!
//! The macro reads the manifest only (never the Python tree), through the same core as the
//! `glow-codegen` CLI and the build.rs builder.
