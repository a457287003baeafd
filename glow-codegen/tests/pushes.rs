//! Reading the events a handler pushes: literal names, f-strings through helpers, the server's
//! own `on`, payload keys, ack-only handlers, and the unreadable ones, said where.

mod common;

use common::{Tree, handler, places};
use glow_codegen::diagnostic::Code;
use glow_codegen::model::Push;
use glow_codegen::sources::SourceOutput;
use serde_json::json;

fn pushes<'o>(output: &'o SourceOutput, operation: &str) -> Option<&'o Vec<Push>> {
    output
        .api
        .operations
        .iter()
        .find(|o| o.name == operation)
        .unwrap_or_else(|| panic!("no operation {operation}"))
        .pushes
        .as_ref()
}

fn events(pushes: Option<&Vec<Push>>) -> Vec<&str> {
    pushes
        .expect("pushes read")
        .iter()
        .map(|p| p.event.as_str())
        .collect()
}

fn one_artifact(files: &[(&str, &str)]) -> Tree {
    let tree = Tree::new();
    let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
    tree.write("core/app/ws/__init__.py", "from . import chat\n")
        .write(
            "core/app/ws/chat/__init__.py",
            &format!("from . import {}\n", names.join(", ")),
        );
    for (name, text) in files {
        tree.write(&format!("core/app/ws/chat/{name}.py"), text);
    }
    tree
}

#[test]
fn literal_emits_on_any_server_object_are_the_pushes_with_their_literal_keys() {
    let tree = one_artifact(&[(
        "send",
        "from app.sockets import sio, internal_sio\n\n@sio.on('chat.send')\nasync def send(sid, data):\n    text = data['text']\n    await sio.emit('chat.send.token', {'token': str(text), 'index': 1, 'final': False, 'raw': text}, to=sid)\n    await internal_sio.emit('chat.audit', data)\n    return {'ok': True}\n",
    )]);
    tree.write(
        "core/app/sockets.py",
        "import socketio\nsio = socketio.AsyncServer()\ninternal_sio = socketio.AsyncServer()\n",
    );
    let output = tree.read();
    let found = pushes(&output, "chat.send");
    assert_eq!(events(found), ["chat.audit", "chat.send.token"]);
    let token = &found.unwrap()[1];
    let payload = token.payload.as_deref().expect("literal keys give a type");
    assert_eq!(payload, "ChatSendToken");
    assert_eq!(
        output.api.types[payload],
        json!({"type": "object", "properties": {
            "final": {"type": "boolean"}, "index": {"type": "integer"},
            "raw": {}, "token": {"type": "string"}
        }, "required": ["final", "index", "raw", "token"]})
    );
    assert_eq!(
        found.unwrap()[0].payload,
        None,
        "`data` forwarded: no keys to read"
    );
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn f_strings_are_read_through_helpers_with_the_names_they_are_given() {
    let tree = one_artifact(&[
        (
            "run",
            "from app.sockets import sio\nfrom app.realtime import run_operation, progress\n\n@sio.on('chat.run')\nasync def run(sid, data):\n    async def report(done, total):\n        await progress(sid, 'chat.run', done, total)\n    await run_operation(sid, 'chat.run', lambda: work(report))\n",
        ),
        (
            "keyed",
            "from app.sockets import sio\nfrom app.realtime import run_operation\nEVENT = 'chat.keyed'\n\n@sio.on(EVENT)\nasync def keyed(sid, data):\n    await run_operation(sid, operation_key=EVENT, work=None)\n",
        ),
    ]);
    tree.write(
        "core/app/realtime.py",
        "from app.sockets import sio\n\nasync def run_operation(sid, operation_key, work):\n    await sio.emit(f'{operation_key}.started', {}, to=sid)\n    await finish(sid, operation_key)\n\nasync def finish(sid, key):\n    done = f'{key}.completed'\n    await sio.emit(done, {}, to=sid)\n\nasync def progress(sid, operation_key, done, total):\n    await sio.emit(f'{operation_key}.progress', {'done': done}, to=sid)\n",
    );
    let output = tree.read();
    assert_eq!(
        events(pushes(&output, "chat.run")),
        [
            "chat.run.completed",
            "chat.run.progress",
            "chat.run.started"
        ]
    );
    assert_eq!(
        events(pushes(&output, "chat.keyed")),
        ["chat.keyed.completed", "chat.keyed.started"]
    );
    // A stage's payload is the stage's, not a type of its own.
    assert!(
        pushes(&output, "chat.run")
            .unwrap()
            .iter()
            .all(|p| p.payload.is_none())
    );
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn a_server_class_whose_on_pushes_for_every_handler_adds_that_push_to_each() {
    let tree = one_artifact(&[
        ("get", &handler("chat.get", "    return {'id': data['id']}")),
        (
            "ping",
            "from app.sockets import sio\n\n@sio.event\nasync def ping(sid):\n    return 'pong'\n",
        ),
    ]);
    tree.write(
        "core/app/sockets.py",
        "import socketio\n\nclass Server(socketio.AsyncServer):\n    def on(self, event, handler=None, namespace=None):\n        def register(function):\n            async def reporting(sid, *args):\n                try:\n                    return await function(sid, *args)\n                except Exception:\n                    await self.emit(f'{event}.failed', {}, to=sid)\n            return super().on(event, reporting, namespace)\n        return register\n\nsio = Server()\n",
    );
    let output = tree.read();
    assert_eq!(events(pushes(&output, "chat.get")), ["chat.get.failed"]);
    assert_eq!(events(pushes(&output, "ping")), ["ping.failed"]);
}

#[test]
fn an_ack_only_handler_pushes_nothing() {
    let tree = one_artifact(&[("get", &handler("chat.get", "    return {'id': data['id']}"))]);
    let output = tree.read();
    assert_eq!(events(pushes(&output, "chat.get")), Vec::<&str>::new());
}

#[test]
fn an_event_the_reader_cannot_read_is_said_where_and_the_stages_are_assumed() {
    let tree = one_artifact(&[(
        "echo",
        "from app.sockets import sio\n\n@sio.on('chat.echo')\nasync def echo(sid, data):\n    await sio.emit('chat.echo.seen', {}, to=sid)\n    await sio.emit(data['reply_to'], {}, to=sid)\n",
    )]);
    let output = tree.read();
    assert_eq!(pushes(&output, "chat.echo"), None);
    assert_eq!(
        places(&output.diagnostics, Code::UnreadablePush),
        [("chat/echo.py".to_owned(), 6, 20)]
    );
    let message = &output
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnreadablePush)
        .unwrap()
        .message;
    assert!(
        message.contains("`chat.echo` pushes an event whose name cannot be read")
            && message.contains("clients expect `chat.echo.started`, `.progress`, `.completed` and `.failed` instead"),
        "{message}"
    );
}

#[test]
fn a_handler_handed_over_as_a_lambda_has_unknown_pushes() {
    let tree = one_artifact(&[(
        "fast",
        "from app.sockets import sio\n\nsio.on('chat.fast', lambda sid, data: None)\n",
    )]);
    let output = tree.read();
    assert_eq!(pushes(&output, "chat.fast"), None);
}
