//! Names across stages: one uniquifier decides every collision between a socket type, an HTTP
//! namesake and an inline type hoisted from a route, and the generated Rust keeps what it
//! decided; a renamed HTTP-only operation keeps its place; a diagnostic about both sides points
//! at both.

mod common;

use std::process::Command;

use common::{Tree, handler};
use glow_codegen::diagnostic::{Code, Related};
use glow_codegen::sources::{SourceOutput, Sources};

fn read(tree: &Tree, spec: &str) -> SourceOutput {
    tree.write("openapi.yaml", spec);
    Sources::new()
        .ws_tree(tree.ws())
        .openapi(tree.path("openapi.yaml"))
        .read()
        .unwrap()
}

const SPEC_HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn model_handler(event: &str, model: &str, field: &str) -> String {
    format!(
        "from typing import Any\nfrom pydantic import BaseModel\nfrom app.sockets import sio\n\nclass {model}(BaseModel):\n    {field}\n\n@sio.on('{event}')\nasync def h(sid: str, data: dict[str, Any]):\n    {model}(**data)\n"
    )
}

#[test]
fn a_socket_type_an_http_namesake_and_a_hoisted_inline_type_named_alike_stay_apart() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write(
            "core/app/ws/persona/__init__.py",
            "from . import rate, search\n",
        )
        // A socket model that shares its name with a different HTTP component.
        .write(
            "core/app/ws/persona/search.py",
            &model_handler("persona.search", "PersonaSearchBody", "text: str"),
        )
        // A socket model already called what the first would be qualified as.
        .write(
            "core/app/ws/persona/rate.py",
            &model_handler("persona.rate", "WsPersonaSearchBody", "stars: int"),
        );
    // The component `PersonaSearchBody`, and an inline body of `POST /persona/search`, which the
    // reader hoists under the name its place gives: `PersonaSearchBody` again.
    let spec = format!(
        "{SPEC_HEAD}paths:\n  /persona/search:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                q: {{type: string}}\n      responses:\n        '200': {{description: ok}}\n  /persona/rate:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/PersonaSearchBody'}}\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  schemas:\n    PersonaSearchBody:\n      type: object\n      properties:\n        query: {{type: integer}}\n"
    );
    let output = read(&tree, &spec);

    let types: Vec<&str> = output.api.types.keys().map(String::as_str).collect();
    assert_eq!(
        types,
        [
            "PersonaSearchBody",
            "PersonaSearchBody2",
            "WsPersonaSearchBody",
            "WsPersonaSearchBody2"
        ]
    );
    let operation = |name: &str| {
        output
            .api
            .operations
            .iter()
            .find(|o| o.name == name)
            .unwrap()
    };
    let body = |name: &str| {
        operation(name)
            .http
            .as_ref()
            .and_then(|r| r.body.as_ref())
            .and_then(|b| b.type_name.as_deref())
    };
    let search = operation("persona.search");
    assert_eq!(search.request.as_deref(), Some("WsPersonaSearchBody2"));
    assert_eq!(body("persona.search"), Some("PersonaSearchBody2"));
    let rate = operation("persona.rate");
    assert_eq!(rate.request.as_deref(), Some("WsPersonaSearchBody"));
    assert_eq!(body("persona.rate"), Some("PersonaSearchBody"));
    assert_eq!(
        output.api.types["PersonaSearchBody2"]["properties"]["q"]["type"],
        "string"
    );
    assert_eq!(
        output.api.types["WsPersonaSearchBody2"]["properties"]["text"]["type"],
        "string"
    );

    // The socket type says why it is not called what its class is called, and how it differs.
    assert_eq!(
        output.api.types["WsPersonaSearchBody2"]["description"],
        "The socket server's `PersonaSearchBody`: the HTTP document has a different type of that name (`PersonaSearchBody`), so this one is prefixed `Ws`. They differ: `text` is only here; `query` is only there."
    );

    // The generated Rust names every type as the manifest does.
    let code = glow_codegen::render(&output.api, "names.yaml")
        .unwrap()
        .text;
    for name in types {
        assert!(code.contains(&format!("pub struct {name} {{")), "{name}");
    }
    assert!(
        code.contains(
            "fn persona_search(\n        &self,\n        payload: &types::WsPersonaSearchBody2,"
        ),
        "{code}"
    );
}

#[test]
fn an_http_only_operation_renamed_beside_its_socket_namesake_keeps_its_place() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write("core/app/ws/persona/__init__.py", "from . import read\n")
        .write(
            "core/app/ws/persona/read.py",
            &handler("persona.read", "    pass"),
        );
    // `GET /persona/{persona_id}` is named `persona.read` by its operationId; the socket
    // operation holds that name, and no route pairs with it by path.
    let spec = format!(
        "{SPEC_HEAD}paths:\n  /persona/{{persona_id}}:\n    get:\n      operationId: persona_read_persona__persona_id__get\n      parameters:\n        - {{name: persona_id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n"
    );
    let output = read(&tree, &spec);
    let names: Vec<&str> = output
        .api
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names, ["persona.read", "persona.read_http"]);
    let origin = &output.origins["persona.read_http"];
    assert!(origin.path.ends_with("openapi.yaml"), "{origin:?}");
    assert_eq!(origin.at.line, 4, "the route's path key");
}

#[test]
fn a_name_mismatch_points_at_the_route_it_pairs_with() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import attempt\n")
        .write("core/app/ws/attempt/__init__.py", "from . import message\n")
        .write(
            "core/app/ws/attempt/message.py",
            &handler("attempt.chat_message", "    pass"),
        );
    let spec = format!(
        "{SPEC_HEAD}paths:\n  /attempt/health:\n    get:\n      responses:\n        '200': {{description: ok}}\n  /attempt/chat/message:\n    post:\n      responses:\n        '200': {{description: ok}}\n"
    );
    let output = read(&tree, &spec);
    let mismatch = output
        .diagnostics
        .iter()
        .find(|d| d.code == Code::NameMismatch)
        .unwrap();
    assert_eq!(mismatch.subject.as_deref(), Some("attempt.chat_message"));
    assert_eq!(
        mismatch.related,
        [Related {
            path: tree.path("openapi.yaml").display().to_string(),
            line: 8,
            col: 3,
            message: "its HTTP twin `POST /attempt/chat/message` is here".to_owned(),
        }]
    );

    // The command line prints both places, each as `path:line:col`.
    let run = Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args(["manifest", "--ws-tree"])
        .arg(tree.ws())
        .arg("--openapi")
        .arg(tree.path("openapi.yaml"))
        .output()
        .unwrap();
    let err = String::from_utf8(run.stderr).unwrap();
    let at = err
        .lines()
        .position(|l| l.contains("warning[name-mismatch]"))
        .unwrap();
    let note = err.lines().nth(at + 1).unwrap();
    assert!(
        note.ends_with(
            "openapi.yaml:8:3: note: its HTTP twin `POST /attempt/chat/message` is here"
        ),
        "{err}"
    );
}
