//! One test per rule of reading a ws tree: what registers, what does not, and the diagnostics.

mod common;

use common::{Tree, handler, messages, names, places};
use glow_codegen::diagnostic::{Code, Severity};

#[test]
fn literal_registration_on_async_and_plain_def_is_an_operation() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write("core/app/ws/persona/__init__.py", "from . import search, get\n")
        .write("core/app/ws/persona/search.py", &handler("persona.search", "    pass"))
        .write(
            "core/app/ws/persona/get.py",
            "from app.sockets import sio\n\n@sio.on('persona.get')\ndef get(sid, data):\n    pass\n",
        );
    let output = tree.read();
    assert_eq!(names(&output), ["persona.get", "persona.search"]);
    let search = &output.api.operations[1];
    assert_eq!(search.artifact, "persona");
    assert_eq!(search.op, "search");
    assert_eq!(search.source.as_deref(), Some("app/ws/persona/search.py:6"));
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn module_level_string_constant_is_resolved_even_when_imported() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import system\n")
        .write("core/app/events.py", "HEALTH = 'system.health'\n")
        .write("core/app/ws/system/__init__.py", "from . import activity, health\n")
        .write(
            "core/app/ws/system/activity.py",
            "from app.sockets import sio\nEVENT = 'system.activity'\n@sio.on(EVENT)\nasync def h(sid, data):\n    pass\n",
        )
        .write(
            "core/app/ws/system/health.py",
            "from app.sockets import sio\nfrom app.events import HEALTH\n@sio.on(HEALTH)\nasync def h(sid, data):\n    pass\n",
        );
    let output = tree.read();
    assert_eq!(names(&output), ["system.activity", "system.health"]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn non_literal_event_name_is_dynamic_name_error() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/ws/a/b.py",
            "from app.sockets import sio\nOP = 'b'\n@sio.on(f'a.{OP}')\nasync def h(sid, data):\n    pass\n\n@sio.on(name())\nasync def g(sid, data):\n    pass\n\n@sio.on()\nasync def k(sid, data):\n    pass\n",
        );
    let output = tree.read();
    assert!(names(&output).is_empty());
    assert_eq!(
        places(&output.diagnostics, Code::DynamicName),
        [
            ("a/b.py".into(), 3, 9),
            ("a/b.py".into(), 7, 9),
            ("a/b.py".into(), 11, 2)
        ]
    );
    assert!(
        output
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error)
    );
}

#[test]
fn lifecycle_and_other_objects_are_not_operations() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import connect, output, a\n")
        .write(
            "core/app/ws/connect.py",
            "from app.sockets import sio\n@sio.event\nasync def connect(sid, environ, auth):\n    pass\n@sio.on('disconnect')\nasync def bye(sid):\n    pass\n",
        )
        .write(
            "core/app/ws/output.py",
            "from app.sockets import internal_sio\n@internal_sio.on('*')\nasync def relay(event, sid, data):\n    pass\n",
        )
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/ws/a/b.py",
            "from app.sockets import sio, bus\n@bus.on('a.hidden')\n@sio.on('a.b')\nasync def h(sid, data):\n    pass\n",
        );
    let output = tree.read();
    assert_eq!(names(&output), ["a.b"]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn stacked_registrations_give_one_operation_each() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/ws/a/b.py",
            "from app.sockets import sio\n@sio.on('a.b')\n@sio.on('a.b_legacy')\nasync def h(sid, data):\n    pass\n",
        );
    let output = tree.read();
    assert_eq!(names(&output), ["a.b", "a.b_legacy"]);
    assert_eq!(
        places(&output.diagnostics, Code::NameMismatch),
        [("a/b.py".into(), 3, 9)]
    );
}

#[test]
fn registration_follows_imports_transitively_with_parenthesised_lists() {
    let tree = Tree::new();
    tree.write(
        "core/app/ws/__init__.py",
        "from . import (\n    test,  # tests\n)\n",
    )
    .write(
        "core/app/ws/test/__init__.py",
        "from . import (\n    invocation,\n    # benchmark is not imported\n)\n",
    )
    .write(
        "core/app/ws/test/invocation/__init__.py",
        "from .run import handle\n",
    )
    .write(
        "core/app/ws/test/invocation/run.py",
        &handler("test.invocation_run", "    pass"),
    )
    .write(
        "core/app/ws/test/benchmark/__init__.py",
        "from . import search\n",
    )
    .write(
        "core/app/ws/test/benchmark/search.py",
        &handler("test.benchmark_search", "    pass"),
    );
    let output = tree.read();
    assert_eq!(names(&output), ["test.invocation_run"]);
    assert_eq!(
        places(&output.diagnostics, Code::NotImported),
        [("test/benchmark/search.py".into(), 6, 9)]
    );
    let message = &messages(&output.diagnostics, Code::NotImported)[0];
    assert!(
        message.contains("`app/ws/test/__init__.py` does not import `benchmark`"),
        "{message}"
    );
    assert!(message.contains("`test.benchmark_search`"), "{message}");
}

#[test]
fn handler_missing_from_its_package_init_is_not_imported_warning() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write("core/app/ws/persona/__init__.py", "from . import search\n")
        .write(
            "core/app/ws/persona/search.py",
            &handler("persona.search", "    pass"),
        )
        .write(
            "core/app/ws/persona/draft.py",
            &handler("persona.draft", "    pass"),
        );
    let output = tree.read();
    assert_eq!(names(&output), ["persona.search"]);
    let diagnostic = output
        .diagnostics
        .iter()
        .find(|d| d.code == Code::NotImported)
        .expect("not-imported");
    assert_eq!(diagnostic.severity, Severity::Warning);
    assert_eq!((diagnostic.line, diagnostic.col), (6, 9));
    assert!(diagnostic.path.ends_with("core/app/ws/persona/draft.py"));
    assert!(
        diagnostic
            .message
            .contains("`app/ws/persona/__init__.py` does not import `draft`")
    );
}

#[test]
fn package_without_init_explains_why_nothing_under_it_registers() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write(
            "core/app/ws/persona/search.py",
            &handler("persona.search", "    pass"),
        );
    let output = tree.read();
    assert!(names(&output).is_empty());
    let message = &messages(&output.diagnostics, Code::NotImported)[0];
    assert!(
        message.contains("does not import `search`") || message.contains("has no `__init__.py`"),
        "{message}"
    );
}

#[test]
fn module_beside_package_is_shadowed_and_skipped() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import system\n")
        .write("core/app/ws/system/__init__.py", "from . import group\n")
        .write(
            "core/app/ws/system/group.py",
            &handler("system.group_old", "    pass"),
        )
        .write(
            "core/app/ws/system/group/__init__.py",
            "from . import get\n",
        )
        .write(
            "core/app/ws/system/group/get.py",
            &handler("system.group_get", "    pass"),
        );
    let output = tree.read();
    assert_eq!(names(&output), ["system.group_get"]);
    assert_eq!(
        places(&output.diagnostics, Code::ShadowedModule),
        [("system/group.py".into(), 1, 1)]
    );
    assert!(
        messages(&output.diagnostics, Code::ShadowedModule)[0].contains("`app/ws/system/group`")
    );
}

#[test]
fn same_event_twice_is_duplicate_error_naming_both_files() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import persona\n")
        .write(
            "core/app/ws/persona/__init__.py",
            "from . import find, search\n",
        )
        .write(
            "core/app/ws/persona/find.py",
            &handler("persona.search", "    pass"),
        )
        .write(
            "core/app/ws/persona/search.py",
            &handler("persona.search", "    pass"),
        );
    let output = tree.read();
    assert_eq!(names(&output), ["persona.search"]);
    assert_eq!(
        output.api.operations[0].source.as_deref(),
        Some("app/ws/persona/search.py:6"),
        "the registration whose path gives the name is kept"
    );
    let duplicate = output
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DuplicateEvent)
        .expect("duplicate-event");
    assert_eq!(duplicate.severity, Severity::Error);
    assert!(duplicate.path.ends_with("persona/find.py"));
    assert!(duplicate.message.contains("app/ws/persona/search.py:6"));
    assert!(duplicate.message.contains("app/ws/persona/find.py:6"));

    // Both registrations are located places: the second as the diagnostic's, the first as a note.
    assert_eq!((duplicate.line, duplicate.col), (6, 9));
    let [first] = duplicate.related.as_slice() else {
        panic!("one other place: {:?}", duplicate.related)
    };
    assert!(first.path.ends_with("persona/search.py"), "{first:?}");
    assert_eq!((first.line, first.col), (6, 9));
    assert_eq!(first.message, "`persona.search` is first registered here");
    let human = duplicate.to_human();
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(lines.len(), 2, "{human}");
    assert!(lines[0].contains("persona/find.py:6:9: error[duplicate-event]: "));
    assert!(
        lines[1]
            .ends_with("persona/search.py:6:9: note: `persona.search` is first registered here")
    );
    let json: serde_json::Value = serde_json::from_str(&duplicate.to_json()).unwrap();
    assert_eq!(json["related"][0]["line"], 6);
    assert_eq!(
        json["related"][0]["message"],
        "`persona.search` is first registered here"
    );
}

#[test]
fn registered_name_differing_from_path_is_name_mismatch_and_kept() {
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
    let output = tree.read();
    assert_eq!(
        names(&output),
        ["attempt.chat.voice", "attempt.chat_message"]
    );
    let voice = &output.api.operations[0];
    assert_eq!(
        (voice.artifact.as_str(), voice.op.as_str()),
        ("attempt", "chat_voice")
    );
    let message = &output.api.operations[1];
    assert_eq!(
        (message.artifact.as_str(), message.op.as_str()),
        ("attempt", "message")
    );
    assert_eq!(
        places(&output.diagnostics, Code::NameMismatch),
        [
            ("attempt/chat/voice.py".into(), 6, 9),
            ("attempt/message.py".into(), 6, 9)
        ]
    );
    let texts = messages(&output.diagnostics, Code::NameMismatch);
    assert!(texts[0].contains("`attempt.chat.voice`") && texts[0].contains("`attempt.chat_voice`"));
    assert!(texts[0].contains("POST /attempt/chat/voice"));
    assert!(texts[1].contains("`attempt.chat_message`") && texts[1].contains("`attempt.message`"));
}

#[test]
fn syntax_error_is_reported_and_other_files_still_count() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import good, bad\n")
        .write("core/app/ws/a/good.py", &handler("a.good", "    pass"))
        .write(
            "core/app/ws/a/bad.py",
            "from app.sockets import sio\n\nx = (1,\n",
        );
    let output = tree.read();
    assert_eq!(names(&output), ["a.good"]);
    let parse = places(&output.diagnostics, Code::ParseError);
    assert_eq!(parse.len(), 1);
    assert_eq!(parse[0].0, "a/bad.py");
    assert_eq!(parse[0].1, 4, "the parser stops at the end of the file");
}

#[test]
fn handler_directly_under_ws_root_is_unexpected_location_and_kept() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import health\n")
        .write("core/app/ws/health.py", &handler("health", "    pass"));
    let output = tree.read();
    assert_eq!(names(&output), ["health"]);
    assert_eq!(
        places(&output.diagnostics, Code::UnexpectedLocation),
        [("health.py".into(), 6, 9)]
    );
}

#[test]
fn compiled_and_stub_modules_exist_for_imports() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write(
            "core/app/ws/a/__init__.py",
            "from . import b\nfrom ._native import fast\nfrom ._typed import Thing\n",
        )
        .write(
            "core/app/ws/a/_native.cpython-311-x86_64-linux-gnu.so",
            "\u{7f}ELF",
        )
        .write("core/app/ws/a/_typed.pyi", "class Thing: ...\n")
        .write("core/app/ws/a/b.py", &handler("a.b", "    pass"));
    let output = tree.read();
    assert_eq!(names(&output), ["a.b"]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn init_importing_a_missing_module_is_unresolved_import() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b, gone\n")
        .write("core/app/ws/a/b.py", &handler("a.b", "    pass"));
    let output = tree.read();
    assert_eq!(names(&output), ["a.b"]);
    assert_eq!(
        places(&output.diagnostics, Code::UnresolvedImport),
        [("a/__init__.py".into(), 1, 18)]
    );
}

#[test]
fn deeper_sub_folders_flatten_with_underscores() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import system\n")
        .write("core/app/ws/system/__init__.py", "from . import group\n")
        .write(
            "core/app/ws/system/group/__init__.py",
            "from . import member\n",
        )
        .write(
            "core/app/ws/system/group/member/__init__.py",
            "from . import add\n",
        )
        .write(
            "core/app/ws/system/group/member/add.py",
            &handler("system.group_member_add", "    pass"),
        );
    let output = tree.read();
    let op = &output.api.operations[0];
    assert_eq!(op.op, "group_member_add");
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn explicit_python_path_overrides_the_walk_up() {
    let tree = Tree::new();
    // `core/__init__.py` makes the walk up overshoot to the temp dir, where `app` is not top-level.
    tree.write("core/__init__.py", "")
        .write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/infra.py",
            "from pydantic import BaseModel\nclass P(BaseModel):\n    x: int\n",
        )
        .write(
            "core/app/ws/a/b.py",
            &handler("a.b", "    P(**data)").replace(
                "from app.sockets",
                "from app.infra import P\nfrom app.sockets",
            ),
        );
    let default = tree.read();
    assert!(
        default.api.operations[0].request_unknown.is_some(),
        "the model is not found under the wrong root: the payload is unknown, not absent"
    );
    assert_eq!(
        default.api.operations[0].source.as_deref(),
        Some("core/app/ws/a/b.py:7")
    );
    let explicit = glow_codegen::sources::Sources::new()
        .ws_tree(tree.ws())
        .python_path(tree.path("core"))
        .read()
        .unwrap();
    assert_eq!(explicit.api.operations[0].request.as_deref(), Some("P"));
    assert_eq!(
        explicit.api.operations[0].source.as_deref(),
        Some("app/ws/a/b.py:7")
    );
}

#[test]
fn python_path_that_does_not_contain_the_tree_is_refused() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "")
        .write("elsewhere/x.py", "");
    let error = glow_codegen::sources::Sources::new()
        .ws_tree(tree.ws())
        .python_path(tree.path("elsewhere"))
        .read()
        .unwrap_err();
    assert!(error.to_string().contains("does not contain"), "{error}");
}

#[test]
fn connect_handler_auth_reads_are_recorded_when_imported() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import connect\n")
        .write(
            "core/app/ws/connect.py",
            "from app.sockets import sio\n\n\n@sio.event\nasync def connect(sid, environ, auth=None):\n    token = (auth or {}).get('token')\n    tenant = auth['tenant']\n",
        );
    let auth = tree.read().api.auth.socket.expect("socket auth");
    assert_eq!(auth.keys, ["tenant", "token"]);
    assert_eq!(auth.source, "app/ws/connect.py:5");

    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import lifecycle\n")
        .write(
            "core/app/ws/lifecycle.py",
            "from app.sockets import sio\n\n@sio.on('connect')\ndef on_connect(sid, environ, auth):\n    return auth.get('api_key') is not None\n",
        );
    let auth = tree.read().api.auth.socket.expect("socket auth");
    assert_eq!(auth.keys, ["api_key"]);

    // A connect handler no `__init__.py` imports never runs: nothing is recorded.
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "")
        .write(
            "core/app/ws/connect.py",
            "from app.sockets import sio\n\n@sio.event\nasync def connect(sid, environ, auth):\n    auth['token']\n",
        );
    assert_eq!(tree.read().api.auth.socket, None);
}

#[test]
fn payload_read_through_or_empty_dict_is_a_read() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import run\n")
        .write(
            "core/app/ws/a/run.py",
            &handler("a.run", "    limit = (data or {}).get('limit', 10)"),
        );
    let output = tree.read();
    let request = output.api.operations[0].request.clone().expect("a payload");
    assert_eq!(
        output.api.types[&request]["properties"]["limit"]["default"],
        serde_json::json!(10)
    );
}

#[test]
fn a_namespace_package_app_is_found_by_the_default_import_root() {
    let tree = Tree::new();
    std::fs::remove_file(tree.path("core/app/__init__.py")).unwrap();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/infra/types.py",
            "from pydantic import BaseModel\nclass P(BaseModel):\n    x: int\n",
        )
        .write(
            "core/app/ws/a/b.py",
            &handler("a.b", "    P(**data)").replace(
                "from app.sockets",
                "from app.infra.types import P\nfrom app.sockets",
            ),
        );
    let output = tree.read();
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    assert_eq!(output.api.operations[0].request.as_deref(), Some("P"));
    assert_eq!(
        output.api.operations[0].source.as_deref(),
        Some("app/ws/a/b.py:7"),
        "paths are relative to `core`, the folder above the namespace package"
    );
}

#[test]
fn an_import_of_the_servers_own_package_outside_the_root_is_reported() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/infra.py",
            "from pydantic import BaseModel\nclass P(BaseModel):\n    x: int\n",
        )
        .write(
            "core/app/ws/a/b.py",
            &handler("a.b", "    P(**data)").replace(
                "from app.sockets",
                "from app.infra import P\nfrom app.sockets",
            ),
        );
    // A root one level too deep: `app` is then no module under it.
    let output = glow_codegen::sources::Sources::new()
        .ws_tree(tree.ws())
        .python_path(tree.path("core/app"))
        .read()
        .unwrap();
    let warnings = messages(&output.diagnostics, Code::UnresolvedImport);
    assert_eq!(
        warnings,
        [format!(
            "`app.infra` is not under the import root `{}`, which lies inside a folder named `app`: the root is probably one level too deep (pass --python-path)",
            tree.path("core/app").display()
        )]
    );
    assert!(output.api.operations[0].request_unknown.is_some());
}

#[test]
fn a_constraint_naming_an_unreadable_constant_is_a_warning() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write(
            "core/app/ws/a/b.py",
            "from pydantic import BaseModel, Field\nfrom app.sockets import sio\nfrom vendor.limits import MAX_PAGE_SIZE\n\nclass P(BaseModel):\n    page_size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)\n\n@sio.on('a.b')\nasync def h(sid, data):\n    P(**data)\n",
        );
    let output = tree.read();
    assert_eq!(
        messages(&output.diagnostics, Code::UnreadableValue),
        ["`le=MAX_PAGE_SIZE` cannot be read to a constant: the constraint is not recorded"]
    );
    assert_eq!(
        places(&output.diagnostics, Code::UnreadableValue),
        [("a/b.py".to_owned(), 6, 41)]
    );
    assert_eq!(
        output.api.types["P"]["properties"]["page_size"]["minimum"],
        1
    );
}

#[test]
fn an_init_importing_a_missing_module_is_an_error() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b, gone\n")
        .write("core/app/ws/a/b.py", &handler("a.b", "    pass"));
    let output = tree.read();
    let errors: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnresolvedImport && d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", output.diagnostics);
    assert!(errors[0].message.ends_with("the server fails to start"));
}
