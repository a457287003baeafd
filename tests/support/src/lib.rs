//! What the workspace's test suites share: where the workspace is, client crates compiled the way
//! a user's crate is, the fixture server running for real, and how tests that need the fixture
//! server's Python run (or say loudly that they did not).

pub mod client_crates;
pub mod python;
pub mod server;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
