//! The `glow-codegen` binary: output streams, exit codes, atomic writes, and `check` failing
//! with a diff after the server tree changes.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{copy_dir, workspace};

fn glow(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the fixture server with its manifest generated next to it.
struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &workspace().join("tests/server/core"),
            &dir.path().join("core"),
        );
        let copy = Copy { dir };
        let made = copy.glow(&["manifest", "--ws-tree", "core/app/ws", "--out", "glow.yaml"]);
        assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
        copy
    }

    fn glow(&self, args: &[&str]) -> Output {
        glow(args, self.dir.path())
    }

    fn check(&self) -> Output {
        self.glow(&[
            "check",
            "--ws-tree",
            "core/app/ws",
            "--manifest",
            "glow.yaml",
        ])
    }

    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.dir.path().join(relative)
    }

    fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} has no `{from}`");
        std::fs::write(path, text.replace(from, to)).unwrap();
    }
}

#[test]
fn manifest_prints_yaml_on_stdout_and_diagnostics_on_stderr() {
    let output = glow(
        &[
            "manifest",
            "--ws-tree",
            "tests/server/core/app/ws",
            "--openapi",
            "tests/server/openapi.json",
        ],
        &workspace(),
    );
    assert_eq!(output.status.code(), Some(0));
    let checked_in = std::fs::read_to_string(workspace().join("manifests/glow.yaml")).unwrap();
    assert!(
        stdout(&output) == checked_in,
        "stdout differs from manifests/glow.yaml"
    );
    let err = stderr(&output);
    assert!(
        err.contains("tests/server/core/app/ws/attempt/message.py:17:9: warning[name-mismatch]: "),
        "{err}"
    );
    assert!(
        err.ends_with("glow-codegen: 0 error(s), 2 warning(s)\n"),
        "{err}"
    );
}

/// `manifest --rust` writes, in the same run, the very file `generate` writes from the manifest.
#[test]
fn manifest_with_rust_writes_what_generate_writes_from_that_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let server = workspace().join("tests/server");
    let github = workspace().join("tests/data/github-rest-3.0.json");
    let sources: [&[&str]; 2] = [
        &[
            "--ws-tree",
            &server.join("core/app/ws").display().to_string(),
            "--openapi",
            &server.join("openapi.json").display().to_string(),
        ],
        &["--openapi", &github.display().to_string()],
    ];
    for source in sources {
        let mut args = vec!["manifest"];
        args.extend_from_slice(source);
        args.extend(["--out", "m.yaml", "--rust", "one.rs"]);
        let made = glow(&args, dir.path());
        assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
        let generated = glow(
            &["generate", "--manifest", "m.yaml", "--out", "two.rs"],
            dir.path(),
        );
        assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
        let one = std::fs::read_to_string(dir.path().join("one.rs")).unwrap();
        let two = std::fs::read_to_string(dir.path().join("two.rs")).unwrap();
        assert!(one.contains("pub struct "), "{one}");
        assert!(
            one == two,
            "`manifest --rust` and `generate` wrote different files"
        );
        assert_eq!(
            stderr(&made).lines().next(),
            stderr(&generated).lines().next(),
            "both report what the code holds"
        );
    }
    let no_out = glow(
        &[
            "manifest",
            "--openapi",
            &github.display().to_string(),
            "--rust",
            "x.rs",
        ],
        dir.path(),
    );
    assert_eq!(
        no_out.status.code(),
        Some(2),
        "--rust names the manifest it was made from"
    );
    assert!(
        stderr(&no_out).contains("--out <FILE>"),
        "{}",
        stderr(&no_out)
    );
}

/// Sources with errors: both files are still written, the errors reported, and the run fails.
#[test]
fn manifest_with_rust_and_source_errors_writes_both_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("spec.json"),
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content":
   {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}}
"##,
    )
    .unwrap();
    let output = glow(
        &[
            "manifest",
            "--openapi",
            "spec.json",
            "--out",
            "m.yaml",
            "--rust",
            "m.rs",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("error[unresolved-ref]: `$ref: #/components/schemas/Gone`"),
        "{err}"
    );
    let rust = std::fs::read_to_string(dir.path().join("m.rs")).unwrap();
    assert!(
        rust.contains("Generated by glow-codegen from `m.yaml`"),
        "{rust}"
    );
    assert!(rust.contains("fn a_get_a(&self)"), "{rust}");
    assert!(dir.path().join("m.yaml").is_file());
}

#[test]
fn relative_tree_gives_relative_paths_even_at_the_import_root() {
    let output = glow(
        &["manifest", "--ws-tree", "app/ws"],
        &workspace().join("tests/server/core"),
    );
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert!(
        err.starts_with("app/ws/attempt/chat/voice.py:8:9: warning[name-mismatch]"),
        "{err}"
    );
    assert!(stdout(&output).contains("source: app/ws/attempt/message.py:17"));
}

#[test]
fn manifest_with_source_errors_still_writes_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("defects.yaml");
    let output = glow(
        &[
            "manifest",
            "--ws-tree",
            "tests/server-defects/core/app/ws",
            "--out",
            out.to_str().unwrap(),
        ],
        &workspace(),
    );
    assert_eq!(output.status.code(), Some(1));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("name: persona.rate"), "{written}");
    assert!(stderr(&output).contains("error[parse-error]"));
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.yaml");
    let output = glow(
        &[
            "manifest",
            "--format",
            "json",
            "--ws-tree",
            "tests/server-defects/core/app/ws",
            "--out",
            out.to_str().unwrap(),
        ],
        &workspace(),
    );
    assert_eq!(output.status.code(), Some(1));
    let objects: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(objects.len(), 13);
    let first = &objects[0];
    let mut keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["code", "col", "line", "message", "path", "severity"]);
    assert_eq!(first["code"], "not-imported");
    assert_eq!(first["severity"], "warning");
    assert_eq!(
        first["path"],
        "tests/server-defects/core/app/ws/draft/create.py"
    );
    assert_eq!(
        (first["line"].as_u64(), first["col"].as_u64()),
        (Some(4), Some(9))
    );
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn json_format_without_out_is_a_usage_error() {
    let output = glow(
        &[
            "manifest",
            "--format",
            "json",
            "--ws-tree",
            "tests/server/core/app/ws",
        ],
        &workspace(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--out"), "{}", stderr(&output));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing_source = glow(&["manifest"], &workspace());
    assert_eq!(missing_source.status.code(), Some(2));
    let missing_tree = glow(&["manifest", "--ws-tree", "no/such/dir"], &workspace());
    assert_eq!(missing_tree.status.code(), Some(2));
    assert_eq!(
        stderr(&missing_tree).trim_end(),
        format!(
            "glow-codegen: error: the ws tree `no/such/dir` does not exist (looked for `{}`): name the server's handler folder (`core/app/ws`), or correct the path",
            workspace()
                .canonicalize()
                .unwrap()
                .join("no/such/dir")
                .display()
        )
    );
    let missing_manifest = glow(
        &[
            "check",
            "--ws-tree",
            "tests/server/core/app/ws",
            "--manifest",
            "nope.yaml",
        ],
        &workspace(),
    );
    assert_eq!(missing_manifest.status.code(), Some(2));
    assert_eq!(
        stderr(&missing_manifest).trim_end(),
        format!(
            "glow-codegen: error: the manifest `nope.yaml` does not exist (looked for `{}`): write it with `glow-codegen manifest --ws-tree <dir> --openapi <file> --out <path>`, or correct the path",
            workspace()
                .canonicalize()
                .unwrap()
                .join("nope.yaml")
                .display()
        )
    );
}

#[test]
fn an_error_quoting_its_cause_prints_it_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.yaml"),
        "manifest_version: 1\noperations:\n- {name: a.b, event: a.b, artifact: a, operation: b, http: null, request: Gone, ack: null, source: null}\ntypes: {}\n",
    )
    .unwrap();
    let output = glow(&["generate", "--manifest", "m.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim_end(),
        "glow-codegen: error: cannot generate from `m.yaml`: operation `a.b` (request) refers to the type `Gone`, which the manifest does not define"
    );
}

#[test]
fn failed_write_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing-folder/m.yaml");
    let output = glow(
        &[
            "manifest",
            "--ws-tree",
            "tests/server/core/app/ws",
            "--out",
            out.to_str().unwrap(),
        ],
        &workspace(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists());
    assert!(!dir.path().join("missing-folder").exists());
}

#[test]
fn check_reads_both_sources_for_the_checked_in_manifest() {
    let output = glow(
        &[
            "check",
            "--ws-tree",
            "tests/server/core/app/ws",
            "--openapi",
            "tests/server/openapi.json",
            "--manifest",
            "manifests/glow.yaml",
        ],
        &workspace(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("`manifests/glow.yaml` is up to date (18 operations"));
    let ws_only = glow(
        &[
            "check",
            "--ws-tree",
            "tests/server/core/app/ws",
            "--manifest",
            "manifests/glow.yaml",
        ],
        &workspace(),
    );
    assert_eq!(
        ws_only.status.code(),
        Some(1),
        "without the OpenAPI side the manifest differs"
    );
    assert!(
        stdout(&ws_only).contains("-  http:\n-    method: POST\n"),
        "{}",
        stdout(&ws_only)
    );
}

#[test]
fn check_passes_on_fresh_manifest() {
    let copy = Copy::new();
    let output = copy.check();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("`glow.yaml` is up to date (17 operations"));
}

#[test]
fn check_fails_with_diff_after_a_handler_is_renamed() {
    let copy = Copy::new();
    copy.edit(
        "core/app/ws/persona/search.py",
        "@sio.on(\"persona.search\")",
        "@sio.on(\"persona.find\")",
    );
    let output = copy.check();
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(diff.contains("-- name: persona.search\n"), "{diff}");
    assert!(diff.contains("+- name: persona.find\n"), "{diff}");
    assert!(
        stderr(&output).contains("glow.yaml:"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("error[stale-manifest]"));
}

#[test]
fn check_fails_after_a_handler_is_added() {
    let copy = Copy::new();
    std::fs::write(
        copy.path("core/app/ws/persona/delete.py"),
        "from typing import Any\nfrom app.sockets import sio\n\n@sio.on('persona.delete')\nasync def h(sid: str, data: dict[str, Any]):\n    data['persona_id']\n",
    )
    .unwrap();
    copy.edit(
        "core/app/ws/persona/__init__.py",
        "create, get, search",
        "create, delete, get, search",
    );
    let output = copy.check();
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(diff.contains("+- name: persona.delete\n"), "{diff}");
    assert!(diff.contains("+  PersonaDeletePayload:\n"), "{diff}");
}

#[test]
fn check_fails_after_a_handler_is_removed() {
    let copy = Copy::new();
    std::fs::remove_file(copy.path("core/app/ws/document/upload.py")).unwrap();
    let output = copy.check();
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(diff.contains("-- name: document.upload\n"), "{diff}");
    assert!(diff.contains("-  DocumentUploadPayload:\n"), "{diff}");
    assert!(
        stderr(&output).contains("error[unresolved-import]"),
        "the package still imports it: the server would not start"
    );
}

#[test]
fn check_fails_after_a_field_changes() {
    let copy = Copy::new();
    copy.edit(
        "core/app/ws/attempt/chat/speak.py",
        "    speed: float = 1.0\n",
        "    speed: int = 1\n",
    );
    let output = copy.check();
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(
        diff.contains("-        default: 1.0\n-        type: number\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+        default: 1\n+        type: integer\n"),
        "{diff}"
    );
}

#[test]
fn check_json_reports_stale_manifest_with_the_diff() {
    let copy = Copy::new();
    copy.edit(
        "core/app/ws/persona/get.py",
        "persona_id: UUID = Field(...)",
        "persona_id: str = Field(...)",
    );
    let output = copy.glow(&[
        "check",
        "--format",
        "json",
        "--ws-tree",
        "core/app/ws",
        "--manifest",
        "glow.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().last().unwrap()).unwrap();
    assert_eq!(last["code"], "stale-manifest");
    assert_eq!(last["path"], "glow.yaml");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("-        format: uuid\n")
    );
}
