//! What the author of a client crate sees from the compiler, with the crates built by Cargo as
//! theirs are (one build for every case, reusing the workspace's compiled dependencies):
//!
//! - the point of it all: when the server renames or removes a handler, or removes a field, a
//!   client that used it stops compiling once its bindings are regenerated, at the line of the use;
//! - every `bindings!` error is a compile error at the macro's path literal, naming the file;
//! - a build script whose manifest is missing fails with one readable line saying what to do.

mod common;

use std::path::Path;

use common::{copy_dir, workspace};
use glow_codegen::render;
use glow_codegen::sources::Sources;
use glow_test_support::client_crates::{ClientCrate, ClientCrates, CompileError, Outcome};

/// Types that refer back to themselves through what would be type aliases: through an array,
/// a map, a tuple, a nullable union, and two aliases in turn.
const RECURSIVE_ALIASES: &str = "manifest_version: 1\noperations: []\ntypes:\n  Tree: {type: array, items: {$ref: '#/types/Tree'}}\n  Dict: {type: object, additionalProperties: {$ref: '#/types/Dict'}}\n  Pair: {type: array, prefixItems: [{type: string}, {$ref: '#/types/Pair'}], minItems: 2, maxItems: 2}\n  Maybe: {anyOf: [{$ref: '#/types/Maybe'}, {type: 'null'}]}\n  A: {type: array, items: {$ref: '#/types/B'}}\n  B: {anyOf: [{$ref: '#/types/A'}, {type: 'null'}]}\n";

/// These clients bring no transport: they only need to compile against the traits.
const NO_TRANSPORT: &str = "default-features = false";

/// A client of the fixture bindings (`src/generated.rs`): three calls, each of which a server
/// change below breaks.
const CLIENT: &str = r#"include!("generated.rs");

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

/// The fixture server's bindings after `change` to a copy of its tree.
fn bindings_after(change: impl FnOnce(&Path)) -> String {
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
    render(&output.api, "core/app/ws").unwrap().text
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join("core/app/ws").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

fn client(name: &str, bindings: String) -> ClientCrate<'_> {
    ClientCrate {
        name,
        manifest: format!(
            "[dependencies]\n{}\n",
            ClientCrates::path_to("glow-client", NO_TRANSPORT)
        ),
        files: vec![
            ("src/generated.rs", bindings),
            ("src/lib.rs", CLIENT.into()),
        ],
    }
}

/// A crate whose whole `src/lib.rs` is `bindings!(<argument>)`, with `files` beside it.
fn macro_user<'a>(name: &'a str, argument: &str, files: Vec<(&'a str, String)>) -> ClientCrate<'a> {
    let mut files = files;
    files.push((
        "src/lib.rs",
        format!("glow_macros::bindings!({argument});\n"),
    ));
    ClientCrate {
        name,
        manifest: format!(
            "[dependencies]\n{}\n{}\n",
            ClientCrates::path_to("glow-client", NO_TRANSPORT),
            ClientCrates::path_to("glow-macros", "")
        ),
        files,
    }
}

fn error(message: &str, file: &str, line: usize, col: usize) -> CompileError {
    CompileError {
        message: message.to_owned(),
        file: file.to_owned(),
        line,
        col,
    }
}

fn failed_with(errors: Vec<CompileError>) -> Outcome {
    Outcome {
        built: false,
        errors,
    }
}

#[test]
fn client_crates_see_server_changes_and_door_errors_at_their_place() {
    let mut suite = ClientCrates::new(env!("CARGO_TARGET_TMPDIR"), "glow-codegen");

    suite.add(client("unchanged", bindings_after(|_| {})));
    suite.add(client(
        "renamed",
        bindings_after(|root| {
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
        }),
    ));
    suite.add(client(
        "removed",
        bindings_after(|root| {
            std::fs::remove_file(root.join("core/app/ws/document/upload.py")).unwrap();
            edit(
                root,
                "document/__init__.py",
                "from . import upload  # noqa: F401",
                "",
            );
        }),
    ));
    suite.add(client(
        "field",
        bindings_after(|root| {
            edit(
                root,
                "attempt/chat/speak.py",
                "    speed: float = 1.0\n",
                "",
            );
        }),
    ));

    suite.add(macro_user(
        "macro-bad-yaml",
        "\"manifests/bad.yaml\"",
        vec![(
            "manifests/bad.yaml",
            "manifest_version: 1\noperations: [\ntypes: {}\n".into(),
        )],
    ));
    suite.add(macro_user(
        "macro-dangling-type",
        "\"manifests/dangling.yaml\"",
        vec![(
            "manifests/dangling.yaml",
            "manifest_version: 1\noperations:\n- name: persona.search\n  event: persona.search\n  artifact: persona\n  operation: search\n  http: null\n  request: PersonaSearchPayload\n  ack: null\n  source: null\ntypes: {}\n".into(),
        )],
    ));
    suite.add(macro_user(
        "macro-missing-manifest",
        "\"no/such/manifest.yaml\"",
        Vec::new(),
    ));
    suite.add(macro_user(
        "macro-not-a-string",
        "manifests / glow",
        Vec::new(),
    ));

    suite.add(macro_user(
        "recursive-aliases",
        "\"manifests/recursive.yaml\"",
        vec![("manifests/recursive.yaml", RECURSIVE_ALIASES.into())],
    ));

    suite.add(ClientCrate {
        name: "build-script-missing-manifest",
        manifest: format!(
            "[dependencies]\n{}\n\n[build-dependencies]\n{}\n",
            ClientCrates::path_to("glow-client", NO_TRANSPORT),
            ClientCrates::path_to("glow-codegen", "default-features = false, features = [\"pretty\"]")
        ),
        files: vec![
            (
                "build.rs",
                "fn main() -> Result<(), glow_codegen::builder::BuildError> {\n    glow_codegen::Builder::from_manifest(\"manifests/glow.yaml\").generate(\"glow\")?;\n    Ok(())\n}\n".into(),
            ),
            (
                "src/lib.rs",
                "include!(concat!(env!(\"OUT_DIR\"), \"/glow.rs\"));\n".into(),
            ),
        ],
    });

    // The build.rs door straight from the sources: their warnings as Cargo warnings, and a
    // denied code failing the build.
    for (name, deny) in [
        ("build-script-from-sources", ""),
        (
            "build-script-denies-name-mismatch",
            ".deny(glow_codegen::diagnostic::Code::NameMismatch)",
        ),
    ] {
        let ws = workspace().join("tests/server/core/app/ws");
        let openapi = workspace().join("tests/server/openapi.json");
        suite.add(ClientCrate {
            name,
            manifest: format!(
                "[dependencies]\n{}\n\n[build-dependencies]\n{}\n",
                ClientCrates::path_to("glow-client", NO_TRANSPORT),
                ClientCrates::path_to(
                    "glow-codegen",
                    "default-features = false, features = [\"pretty\", \"python\"]"
                )
            ),
            files: vec![
                (
                    "build.rs",
                    format!(
                        "fn main() -> Result<(), glow_codegen::builder::BuildError> {{\n    let sources = glow_codegen::Sources::new().ws_tree({ws:?}).openapi({openapi:?});\n    glow_codegen::Builder::from_sources(sources){deny}.generate(\"glow\")?;\n    Ok(())\n}}\n"
                    ),
                ),
                (
                    "src/lib.rs",
                    "include!(concat!(env!(\"OUT_DIR\"), \"/glow.rs\"));\n".into(),
                ),
            ],
        });
    }

    let outcomes = suite.build();
    let outcome = |name: &str| outcomes.members[name].clone();

    assert_eq!(
        outcome("unchanged"),
        Outcome {
            built: true,
            errors: Vec::new()
        },
        "the client compiles against the unchanged fixture:\n{}",
        outcomes.stderr
    );
    assert_eq!(
        outcome("renamed"),
        failed_with(vec![error(
            "no method named `persona_search` found for reference `&impl glow_client::Emit` in the current scope",
            "src/lib.rs",
            4,
            12
        )])
    );
    assert_eq!(
        outcome("removed"),
        failed_with(vec![
            error(
                "cannot find struct, variant or union type `DocumentUploadPayload` in module `types`",
                "src/lib.rs",
                8,
                36
            ),
            error(
                "no method named `document_upload` found for reference `&impl glow_client::Emit` in the current scope",
                "src/lib.rs",
                8,
                12
            )
        ])
    );
    assert_eq!(
        outcome("field"),
        failed_with(vec![error(
            "struct `ChatSpeakPayload` has no field named `speed`",
            "src/lib.rs",
            17,
            9
        )])
    );

    let at_literal = |message: &str| failed_with(vec![error(message, "src/lib.rs", 1, 24)]);
    assert_eq!(
        outcome("macro-bad-yaml"),
        at_literal(
            "manifests/bad.yaml:3:1: unknown field `types`, expected one of name, event, namespace, artifact, operation, http, request, request_unknown, ack, source, pushes"
        )
    );
    assert_eq!(
        outcome("macro-dangling-type"),
        at_literal(
            "manifests/dangling.yaml: operation `persona.search` (request) refers to the type `PersonaSearchPayload`, which the manifest does not define"
        )
    );
    assert_eq!(
        outcome("macro-missing-manifest"),
        at_literal(&format!(
            "the manifest `no/such/manifest.yaml` does not exist (looked for `{}`): write it with `glow-codegen manifest --ws-tree <dir> --openapi <file> --out <path>`, or correct the path",
            suite
                .dir("macro-missing-manifest")
                .join("no/such/manifest.yaml")
                .display()
        ))
    );
    assert_eq!(
        outcome("macro-not-a-string"),
        at_literal("expected string literal")
    );

    assert_eq!(
        outcome("build-script-missing-manifest"),
        failed_with(Vec::new())
    );
    let line = format!(
        "  Error: the manifest `manifests/glow.yaml` does not exist (looked for `{}`): write it with `glow-codegen manifest --ws-tree <dir> --openapi <file> --out <path>`, or correct the path",
        suite
            .dir("build-script-missing-manifest")
            .join("manifests/glow.yaml")
            .display()
    );
    assert!(
        outcomes.stderr.lines().any(|l| l == line),
        "the build script's one line:\n{line}\nin:\n{}",
        outcomes.stderr
    );

    assert!(
        outcome("build-script-from-sources").built,
        "{}",
        outcomes.stderr
    );
    let shown = |crate_name: &str| {
        format!(
            "warning: client-glow-codegen-{crate_name}@0.0.0: {}:17:9: warning[name-mismatch]: `app/ws/attempt/message.py` registers `attempt.chat_message`",
            workspace()
                .join("tests/server/core/app/ws/attempt/message.py")
                .display()
        )
    };
    let wanted = shown("build-script-from-sources");
    assert!(
        outcomes.stderr.lines().any(|l| l.starts_with(&wanted)),
        "the build shows the sources' warning:\n{wanted}\nin:\n{}",
        outcomes.stderr
    );
    assert_eq!(
        outcome("build-script-denies-name-mismatch"),
        failed_with(Vec::new())
    );
    assert!(
        outcomes.stderr.lines().any(|l| l
            .contains("/attempt/message.py:17:9: warning[name-mismatch]")
            && !l.starts_with("warning:")),
        "a denied code fails the build with its diagnostic:\n{}",
        outcomes.stderr
    );
}
