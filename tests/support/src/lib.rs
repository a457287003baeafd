//! What the workspace's test suites share: where the workspace is, client crates compiled the way
//! a user's crate is, the fixture server running for real, and how tests that need the fixture
//! server's Python run (or say loudly that they did not).

pub mod client_crates;
pub mod corpus;
pub mod python;
pub mod server;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Panics, with a unified diff and the command that refreshes it, when the checked-in file
/// `label` differs from what the code gives now.
pub fn assert_fresh(label: &str, checked_in: &str, fresh: &str) {
    if checked_in == fresh {
        return;
    }
    let diff = similar::TextDiff::from_lines(checked_in, fresh)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{label} (checked in)"),
            &format!("{label} (fresh)"),
        )
        .to_string();
    panic!("{label} is stale: run `scripts/refresh`\n{diff}");
}
