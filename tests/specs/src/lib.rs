//! Real APIs as typed Rust, generated at build time from their OpenAPI 3.0 descriptions.

/// GitHub's REST API.
pub mod github {
    include!(concat!(env!("OUT_DIR"), "/github.rs"));
}

/// Oxide's Nexus API.
pub mod oxide {
    include!(concat!(env!("OUT_DIR"), "/oxide.rs"));
}
