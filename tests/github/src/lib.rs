//! GitHub's REST API as typed Rust, generated at build time from its OpenAPI 3.0 description.

include!(concat!(env!("OUT_DIR"), "/github.rs"));
