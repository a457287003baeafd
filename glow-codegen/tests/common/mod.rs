//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use glow_codegen::diagnostic::{Code, Diagnostic};
use glow_codegen::sources::{SourceOutput, Sources};

pub use glow_test_support::workspace;

/// The runnable fixture server's ws tree.
pub fn fixture_ws() -> PathBuf {
    workspace().join("tests/server/core/app/ws")
}

/// A Python tree in a temporary folder, written file by file.
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    /// An empty tree with `core/app/__init__.py` and `core/app/ws/__init__.py` importing nothing.
    pub fn new() -> Self {
        let tree = Tree {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        tree.write("core/app/__init__.py", "");
        tree.write(
            "core/app/sockets.py",
            "import socketio\nsio = socketio.AsyncServer()\n",
        );
        tree
    }

    /// Writes `text` at `relative` (folders created).
    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// The path of `relative` in the tree.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// The ws tree folder.
    pub fn ws(&self) -> PathBuf {
        self.path("core/app/ws")
    }

    /// Reads the ws tree.
    pub fn read(&self) -> SourceOutput {
        Sources::new()
            .ws_tree(self.ws())
            .read()
            .expect("readable tree")
    }
}

/// A handler file registering `event`, with `body` as its function body.
pub fn handler(event: &str, body: &str) -> String {
    format!(
        "from typing import Any\n\nfrom app.sockets import sio\n\n\n@sio.on(\"{event}\")  # type: ignore\nasync def handle(sid: str, data: dict[str, Any]) -> None:\n{body}\n"
    )
}

/// Diagnostics with `code`, as `(file name relative to the ws tree, line, col)`.
pub fn places(diagnostics: &[Diagnostic], code: Code) -> Vec<(String, u32, u32)> {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let file = d.path.split("/ws/").last().unwrap_or(&d.path).to_owned();
            (file, d.line, d.col)
        })
        .collect()
}

/// The messages of diagnostics with `code`.
pub fn messages(diagnostics: &[Diagnostic], code: Code) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}

/// Operation names in the API.
pub fn names(output: &SourceOutput) -> Vec<String> {
    output
        .api
        .operations
        .iter()
        .map(|o| o.name.clone())
        .collect()
}

/// Copies a folder tree, leaving out `__pycache__`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        if entry.file_name() == "__pycache__" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
