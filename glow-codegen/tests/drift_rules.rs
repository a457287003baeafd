//! Pairing socket operations with HTTP routes, and the drift codes, on small trees and on the
//! defects fixture.

mod common;

use common::{Tree, handler, workspace};
use glow_codegen::diagnostic::Code;
use glow_codegen::sources::{SourceOutput, Sources};

/// A ws tree with `files` and an OpenAPI 3.1 document with `paths` and `schemas`.
fn read(tree: &Tree, paths: &str, schemas: &str) -> SourceOutput {
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n"
    );
    tree.write("openapi.yaml", &spec);
    Sources::new()
        .ws_tree(tree.ws())
        .openapi(tree.path("openapi.yaml"))
        .read()
        .unwrap()
}

fn route(path: &str, body: Option<&str>) -> String {
    method_route("post", path, body)
}

fn method_route(method: &str, path: &str, body: Option<&str>) -> String {
    let body = body.map_or(String::new(), |schema| {
        format!("      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/{schema}'}}\n")
    });
    format!(
        "  {path}:\n    {method}:\n{body}      responses:\n        '200': {{description: ok}}\n"
    )
}

fn codes(output: &SourceOutput) -> Vec<Code> {
    output.diagnostics.iter().map(|d| d.code).collect()
}

fn attempt_tree() -> Tree {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import attempt\n")
        .write(
            "core/app/ws/attempt/__init__.py",
            "from . import chat, message\n",
        )
        .write(
            "core/app/ws/attempt/message.py",
            &handler("attempt.chat_message", "    pass"),
        )
        .write(
            "core/app/ws/attempt/chat/__init__.py",
            "from . import voice\n",
        )
        .write(
            "core/app/ws/attempt/chat/voice.py",
            &handler("attempt.chat.voice", "    pass"),
        );
    tree
}

#[test]
fn routes_pair_by_registered_name_or_by_file_path() {
    let tree = attempt_tree();
    let output = read(
        &tree,
        &(route("/attempt/chat/message", None) + &route("/attempt/chat/voice", None)),
        "    {}",
    );
    let pairs: Vec<(&str, Option<&str>)> = output
        .api
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.http.as_ref().map(|r| r.path.as_str())))
        .collect();
    assert_eq!(
        pairs,
        [
            ("attempt.chat.voice", Some("/attempt/chat/voice")),
            ("attempt.chat_message", Some("/attempt/chat/message"))
        ]
    );
    assert_eq!(codes(&output), [Code::NameMismatch, Code::NameMismatch]);
}

#[test]
fn socket_operation_without_route_is_no_http_twin() {
    let tree = attempt_tree();
    let output = read(&tree, &route("/attempt/chat/message", None), "    {}");
    let twin = output
        .diagnostics
        .iter()
        .find(|d| d.code == Code::NoHttpTwin)
        .unwrap();
    assert!(
        twin.path.ends_with("core/app/ws/attempt/chat/voice.py"),
        "{}",
        twin.path
    );
    assert_eq!((twin.line, twin.col), (6, 9));
    assert!(
        twin.message
            .contains("`attempt.chat.voice` (registered) or `attempt.chat_voice` (its path)"),
        "{}",
        twin.message
    );
    let voice = output
        .api
        .operations
        .iter()
        .find(|o| o.name == "attempt.chat.voice")
        .unwrap();
    assert!(voice.http.is_none());
}

#[test]
fn glow_route_without_socket_operation_is_no_ws_twin_and_stays_http_only() {
    let tree = attempt_tree();
    let output = read(
        &tree,
        &(route("/attempt/chat/message", None)
            + &route("/attempt/chat/voice", None)
            + &route("/attempt/chat/grade", None)
            + "  /attempt/{attempt_id}:\n    get:\n      responses:\n        '200': {description: ok}\n"),
        "    {}",
    );
    let twins: Vec<&str> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::NoWsTwin)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        twins.len(),
        1,
        "REST routes are HTTP-only by design: {twins:?}"
    );
    assert!(
        twins[0].contains("`POST /attempt/chat/grade`")
            && twins[0].contains("`attempt.chat_grade`")
    );
    let http_only: Vec<&str> = output
        .api
        .operations
        .iter()
        .filter(|o| o.event.is_none())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        http_only,
        ["attempt.chat_grade", "attempt.get_attempt_attempt_id"]
    );
}

/// `(operation, "METHOD path")` for every operation, socket or HTTP-only.
fn pairs(output: &SourceOutput) -> Vec<(String, Option<String>)> {
    output
        .api
        .operations
        .iter()
        .map(|o| {
            let route = o.http.as_ref().map(|r| format!("{} {}", r.method, r.path));
            (o.name.clone(), route)
        })
        .collect()
}

fn agent_tree() -> Tree {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import agent\n")
        .write("core/app/ws/agent/__init__.py", "from . import draft\n")
        .write(
            "core/app/ws/agent/draft.py",
            &handler("agent.draft", "    pass"),
        );
    tree
}

#[test]
fn a_route_of_any_method_pairs_when_no_post_route_gives_the_name() {
    let tree = agent_tree();
    let output = read(
        &tree,
        &(method_route("patch", "/agent/draft", None) + &method_route("get", "/agent/list", None)),
        "    {}",
    );
    assert_eq!(
        pairs(&output),
        [
            (
                "agent.draft".to_owned(),
                Some("PATCH /agent/draft".to_owned())
            ),
            (
                "agent.get_agent_list".to_owned(),
                Some("GET /agent/list".to_owned())
            ),
        ]
    );
    assert_eq!(
        codes(&output),
        [],
        "an unpaired GET route is an ordinary HTTP-only route"
    );
}

#[test]
fn a_post_route_wins_over_other_methods_of_the_same_path() {
    let tree = agent_tree();
    let output = read(
        &tree,
        "  /agent/draft:\n    get:\n      responses:\n        '200': {description: ok}\n    post:\n      responses:\n        '200': {description: ok}\n",
        "    {}",
    );
    let paired: Vec<_> = pairs(&output);
    assert!(
        paired.contains(&(
            "agent.draft".to_owned(),
            Some("POST /agent/draft".to_owned())
        )),
        "{paired:?}"
    );
    assert_eq!(
        paired.len(),
        2,
        "the GET route stays, HTTP-only: {paired:?}"
    );
    assert_eq!(codes(&output), []);
}

#[test]
fn a_dotted_registration_pairs_with_the_route_its_dots_spell() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import attempt\n")
        .write("core/app/ws/attempt/__init__.py", "from . import respond\n")
        .write(
            "core/app/ws/attempt/respond.py",
            &handler("attempt.chat.response", "    pass"),
        );
    let output = read(&tree, &route("/attempt/chat/response", None), "    {}");
    assert_eq!(
        pairs(&output),
        [(
            "attempt.chat.response".to_owned(),
            Some("POST /attempt/chat/response".to_owned())
        )]
    );
    assert_eq!(
        codes(&output),
        [Code::NameMismatch],
        "the name still disagrees with the file's place, but the twin is found"
    );
}

#[test]
fn a_model_described_two_ways_is_one_type_without_mismatch() {
    // Pydantic writes `default: null` for `= None` and `type: [T, null]`-free `anyOf`; a spec
    // written by hand (or another generator) leaves the default out and spells nullable as a
    // type list, adds titles and descriptions. On the wire they are one model.
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write("core/app/ws/persona/__init__.py", "from . import search\n")
        .write(
            "core/app/ws/persona/search.py",
            "from typing import Any\nfrom pydantic import BaseModel, Field\nfrom app.sockets import sio\n\nclass SearchPersonas(BaseModel):\n    \"\"\"Search.\"\"\"\n    text: str = Field(description='What to find.')\n    owner: str | None = None\n    limit: int = 10\n\n@sio.on('persona.search')\nasync def h(sid: str, data: dict[str, Any]):\n    SearchPersonas(**data)\n",
        );
    let output = read(
        &tree,
        &route("/persona/search", Some("SearchPersonas")),
        "    SearchPersonas:\n      title: Search personas\n      type: object\n      required: [text]\n      properties:\n        text: {type: string, title: Text}\n        owner: {type: [string, 'null']}\n        limit: {type: integer, default: 10, title: Limit}\n",
    );
    assert_eq!(codes(&output), [], "{:#?}", output.diagnostics);
    let names: Vec<&str> = output.api.types.keys().map(String::as_str).collect();
    assert_eq!(names, ["SearchPersonas"], "no `WsSearchPersonas` beside it");
    let search = &output.api.operations[0];
    assert_eq!(search.request.as_deref(), Some("SearchPersonas"));
}

#[test]
fn payload_mismatch_names_every_differing_field() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write("core/app/ws/persona/__init__.py", "from . import search\n")
        .write(
            "core/app/ws/persona/search.py",
            "from typing import Any\nfrom uuid import UUID\nfrom pydantic import BaseModel\nfrom app.sockets import sio\n\nclass Q(BaseModel):\n    text: str\n    limit: int = 10\n    owner: UUID | None = None\n    socket_only: bool = False\n\n@sio.on('persona.search')\nasync def h(sid: str, data: dict[str, Any]):\n    Q(**data)\n",
        );
    let output = read(
        &tree,
        &route("/persona/search", Some("Body")),
        "    Body:\n      type: object\n      required: [limit]\n      properties:\n        text: {type: string}\n        limit: {type: number}\n        owner: {type: [string, 'null'], format: uuid}\n        http_only: {type: string}\n",
    );
    let mismatch = output
        .diagnostics
        .iter()
        .find(|d| d.code == Code::PayloadMismatch)
        .unwrap();
    assert!(mismatch.path.ends_with("persona/search.py"));
    assert_eq!(mismatch.line, 12);
    let expected = [
        "`socket_only` is only in the socket payload",
        "`http_only` is only in the HTTP body",
        "`limit` is optional in the socket payload but required in the HTTP body",
        "`limit` is `integer` in the socket payload but `number` in the HTTP body",
        "`text` is required in the socket payload but optional in the HTTP body",
    ];
    for part in expected {
        assert!(
            mismatch.message.contains(part),
            "missing `{part}` in: {}",
            mismatch.message
        );
    }
    assert!(
        !mismatch.message.contains("`owner`"),
        "nullable spelled two ways is one type: {}",
        mismatch.message
    );
}

#[test]
fn defects_fixture_drifts_in_each_way() {
    let output = Sources::new()
        .ws_tree(workspace().join("tests/server-defects/core/app/ws"))
        .openapi(workspace().join("tests/server-defects/openapi.yaml"))
        .read()
        .unwrap();
    let drift: Vec<(Code, String, u32, String)> = output
        .diagnostics
        .iter()
        .filter(|d| glow_codegen::drift::DRIFT_CODES.contains(&d.code))
        .map(|d| {
            let file = d
                .path
                .rsplit("server-defects/")
                .next()
                .unwrap_or(&d.path)
                .to_owned();
            (d.code, file, d.line, d.message.clone())
        })
        .collect();
    // `health.py` sits directly under the ws root: kept under its registered name, no route.
    let drift: Vec<_> = drift
        .into_iter()
        .filter(|d| d.1 != "core/app/ws/health.py")
        .collect();
    assert_eq!(drift.len(), 3, "{drift:#?}");
    assert_eq!(
        (drift[0].0, drift[0].1.as_str(), drift[0].2),
        (Code::PayloadMismatch, "core/app/ws/persona/rate.py", 13)
    );
    assert!(drift[0].3.contains("`weight` is only in the HTTP body"));
    assert!(
        drift[0].3.contains(
            "`persona_id` is `string` in the socket payload but `integer` in the HTTP body"
        )
    );
    assert_eq!(
        (drift[1].0, drift[1].1.as_str(), drift[1].2),
        (Code::NoHttpTwin, "core/app/ws/persona/search.py", 7)
    );
    assert!(drift[1].3.contains("`persona.search`"));
    assert_eq!(
        (drift[2].0, drift[2].1.as_str(), drift[2].2),
        (Code::NoWsTwin, "openapi.yaml", 19)
    );
    assert!(drift[2].3.contains("`POST /persona/archive`"));
    let group = output
        .api
        .operations
        .iter()
        .find(|o| o.name == "system.group")
        .unwrap();
    assert_eq!(
        group.http.as_ref().map(|r| r.path.as_str()),
        Some("/system/group/get")
    );
}

#[test]
fn drift_command_exits_1_on_drift_and_0_on_the_fixture() {
    let run = |ws: &str, spec: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
            .args(["drift", "--ws-tree", ws, "--openapi", spec])
            .current_dir(workspace())
            .output()
            .unwrap()
    };
    let clean = run("tests/server/core/app/ws", "tests/server/openapi.json");
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(
        String::from_utf8_lossy(&clean.stderr)
            .contains("17 operation(s) paired, 0 drift finding(s)")
    );
    let drifted = run(
        "tests/server-defects/core/app/ws",
        "tests/server-defects/openapi.yaml",
    );
    assert_eq!(drifted.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&drifted.stderr);
    assert!(
        stderr.contains("warning[no-ws-twin]") && stderr.contains("warning[payload-mismatch]"),
        "{stderr}"
    );
}
