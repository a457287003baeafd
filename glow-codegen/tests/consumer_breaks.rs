//! The point of it all: when the server renames or removes a handler, or removes a field, a
//! client that used it stops compiling once its bindings are regenerated.
//!
//! Each case copies the fixture server, changes it, regenerates the bindings and runs
//! `cargo check` on a small consumer crate (its build directory is shared between runs).

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_dir, workspace};
use glow_codegen::builder::render;
use glow_codegen::source::Sources;

const CONSUMER: &str = r#"
include!("generated.rs");

pub fn use_it(socket: &impl glow_client::Emit) -> Result<(), glow_client::Error> {
    socket.persona_search(&types::PersonaSearchPayload {
        query: Some("ada".into()),
        ..Default::default()
    })?;
    socket.document_upload(&types::DocumentUploadPayload {
        name: "a.txt".into(),
        content_base64: "aGk=".into(),
        mime: "text/plain".into(),
        size: None,
    })?;
    socket.attempt_chat_speak(&types::ChatSpeakPayload {
        chat_id: glow_client::uuid::Uuid::nil(),
        voice: "alloy".into(),
        speed: 1.0,
    })?;
    Ok(())
}
"#;

/// A copy of the fixture server, changed by `change`, and the result of `cargo check` on a
/// consumer of its regenerated bindings: `Ok` or the compiler's errors.
fn check_consumer(change: impl FnOnce(&Path)) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &workspace().join("tests/server/core"),
        &dir.path().join("core"),
    );
    change(dir.path());
    let output = Sources::new()
        .ws_tree(dir.path().join("core/app/ws"))
        .read()
        .unwrap();
    let code = render(&output.api, "core/app/ws").unwrap().text;

    let crate_dir = dir.path().join("consumer");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    let client = workspace().join("glow-client").canonicalize().unwrap();
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\nglow-client = {{ path = {:?} }}\n\n[workspace]\n",
            client.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    std::fs::write(crate_dir.join("src/generated.rs"), code).unwrap();
    std::fs::write(crate_dir.join("src/lib.rs"), CONSUMER).unwrap();
    let target = workspace().join("target/consumer-check");
    let result = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--message-format", "short"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    if result.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&result.stderr).into_owned())
    }
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join("core/app/ws").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn unchanged_server_compiles_and_each_change_breaks_the_consumer() {
    check_consumer(|_| {}).expect("the consumer compiles against the unchanged fixture");

    let renamed = check_consumer(|root| {
        let ws = root.join("core/app/ws/persona");
        std::fs::rename(ws.join("search.py"), ws.join("find.py")).unwrap();
        edit(
            root,
            "persona/find.py",
            "@sio.on(\"persona.search\")",
            "@sio.on(\"persona.find\")",
        );
        edit(
            root,
            "persona/__init__.py",
            "create, get, search",
            "create, find, get",
        );
    })
    .expect_err("a renamed handler breaks the consumer");
    assert!(
        renamed.contains("no method named `persona_search`"),
        "{renamed}"
    );

    let removed = check_consumer(|root| {
        std::fs::remove_file(root.join("core/app/ws/document/upload.py")).unwrap();
        edit(
            root,
            "document/__init__.py",
            "from . import upload  # noqa: F401",
            "",
        );
    })
    .expect_err("a removed handler breaks the consumer");
    assert!(
        removed.contains("no method named `document_upload`"),
        "{removed}"
    );

    let field = check_consumer(|root| {
        edit(
            root,
            "attempt/chat/speak.py",
            "    speed: float = 1.0\n",
            "",
        );
    })
    .expect_err("a removed field breaks the consumer");
    assert!(field.contains("has no field named `speed`"), "{field}");
}
