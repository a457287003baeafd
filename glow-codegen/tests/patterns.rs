//! The shapes real handlers give their `data` (`tests/patterns/`): each handler's payload is a
//! model, an object of the keys read, nothing — or unknown, with where and why, never "nothing"
//! for a handler that uses its data.

mod common;

use common::{messages, workspace};
use glow_codegen::diagnostic::Code;
use glow_codegen::sources::{SourceOutput, Sources};
use serde_json::{Value, json};

fn read() -> SourceOutput {
    Sources::new()
        .ws_tree(workspace().join("tests/patterns/core/app/ws"))
        .read()
        .unwrap()
}

/// The operation's request type name and schema, and why it is unknown.
fn payload<'a>(
    output: &'a SourceOutput,
    event: &str,
) -> (Option<&'a str>, Option<Value>, Option<&'a str>) {
    let operation = output
        .api
        .operations
        .iter()
        .find(|o| o.name == event)
        .unwrap_or_else(|| panic!("no operation {event}"));
    let request = operation.request.as_deref();
    (
        request,
        request
            .and_then(|name| output.api.types.get(name))
            .map(|schema| Value::from(schema.clone())),
        operation.request_unknown.as_deref(),
    )
}

#[test]
fn models_are_found_through_or_empty_helpers_and_forwards() {
    let output = read();
    for (event, model) in [
        ("shapes.or_empty_spread", "ChatPayload"),
        ("shapes.or_empty_validate", "ChatPayload"),
        ("shapes.helper_local", "SearchPayload"),
        ("shapes.helper_imported", "ChatPayload"),
        ("shapes.helper_annotated", "SearchPayload"),
        ("shapes.forward_dict", "ChatPayload"),
    ] {
        assert_eq!(payload(&output, event).0, Some(model), "{event}");
        assert_eq!(payload(&output, event).2, None, "{event}");
    }
}

#[test]
fn keys_are_read_through_aliases_keywords_closures_and_literal_lists() {
    let output = read();
    let object = |properties: Value, required: &[&str]| {
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        schema
    };
    let cases = [
        (
            "shapes.rebind",
            object(
                json!({"chat_id": {}, "limit": {"type": "integer", "default": 20}}),
                &["chat_id"],
            ),
        ),
        (
            "shapes.alias",
            object(json!({"chat_id": {}, "cursor": {}}), &["chat_id"]),
        ),
        (
            "shapes.keyword_reads",
            object(json!({"chat_id": {}, "text": {}}), &["chat_id"]),
        ),
        ("shapes.closure", object(json!({"prompt": {}}), &["prompt"])),
        (
            "shapes.comprehension",
            object(json!({"name": {}, "description": {}, "tags": {}}), &[]),
        ),
        (
            "shapes.forward_keyword",
            object(
                json!({"query": {}, "page": {"type": "integer", "default": 1}}),
                &["query"],
            ),
        ),
        (
            "shapes.forward_spread",
            object(
                json!({"chat_id": {"type": "string", "format": "uuid"}, "text": {"type": "string"}, "limit": {"type": "integer"}}),
                &["chat_id", "text"],
            ),
        ),
        ("shapes.logs", object(json!({"chat_id": {}}), &["chat_id"])),
    ];
    for (event, schema) in cases {
        let (_, found, unknown) = payload(&output, event);
        assert_eq!(found, Some(schema), "{event}");
        assert_eq!(unknown, None, "{event}");
    }
    assert_eq!(
        payload(&output, "shapes.nothing").0,
        None,
        "it never reads its data"
    );
}

#[test]
fn a_payload_the_reader_cannot_type_is_unknown_with_where_and_why() {
    let output = read();
    let cases = [
        (
            "shapes.escape",
            "the payload is used in a way that tells nothing of its keys (app/ws/shapes/escape.py:8)",
        ),
        (
            "shapes.method_on_object",
            "it is passed to `service.handle`, which the reader cannot follow (app/ws/shapes/method_on_object.py:16)",
        ),
        (
            "shapes.unresolved_model",
            "it is validated with `Request`, which does not resolve to a model (app/ws/shapes/unresolved_model.py:10)",
        ),
        (
            "shapes.forward_spread_any",
            "it is spread into `anything`, which takes any keyword (`**kwargs`) (app/ws/shapes/forward_spread_any.py:9)",
        ),
        (
            "shapes.only_outside",
            "it is only passed to `json.dumps`, outside the import root, which says nothing of its keys (app/ws/shapes/only_outside.py:10)",
        ),
        (
            "shapes.star_args",
            "it arrives in `*args`, which the reader does not follow (app/ws/shapes/star_args.py:7)",
        ),
    ];
    for (event, why) in cases {
        let (request, schema, unknown) = payload(&output, event);
        assert!(request.is_some(), "{event}: never 'no payload'");
        assert_eq!(schema, Some(json!({"type": "object"})), "{event}");
        assert_eq!(unknown, Some(why), "{event}");
    }
    assert_eq!(messages(&output.diagnostics, Code::UnknownPayload).len(), 6);
}

#[test]
fn an_unknown_payload_takes_the_http_twins_body() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.json");
    std::fs::write(
        &spec,
        serde_json::to_string(&json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/shapes/escape": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/EscapeBody"}}}},
                "responses": {"200": {"description": "OK"}}
            }}},
            "components": {"schemas": {"EscapeBody": {"type": "object", "properties": {"k": {"type": "string"}}}}}
        }))
        .unwrap(),
    )
    .unwrap();
    let output = Sources::new()
        .ws_tree(workspace().join("tests/patterns/core/app/ws"))
        .openapi(&spec)
        .read()
        .unwrap();
    let (request, _, unknown) = payload(&output, "shapes.escape");
    assert_eq!(request, Some("EscapeBody"));
    assert!(
        unknown.is_some(),
        "still recorded as unknown from the handler"
    );
    assert!(
        !output.api.types.contains_key("ShapesEscapePayload"),
        "the placeholder is gone"
    );
    assert!(
        messages(&output.diagnostics, Code::UnknownPayload).contains(
            &"the payload of `shapes.escape` is unknown (the payload is used in a way that tells nothing of its keys (app/ws/shapes/escape.py:8)); its HTTP twin's body `EscapeBody` is used".to_owned()
        ),
        "{:?}",
        messages(&output.diagnostics, Code::UnknownPayload)
    );
}

fn read_flat(layout: glow_codegen::sources::Layout) -> SourceOutput {
    Sources::new()
        .ws_tree(workspace().join("tests/patterns/flat/server"))
        .layout(layout)
        .read()
        .unwrap()
}

#[test]
fn any_python_socketio_server_yields_every_registration_form_and_namespace() {
    let output = read_flat(glow_codegen::sources::Layout::Flat);
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let found: Vec<Row> = output
        .api
        .operations
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                o.namespace.as_deref(),
                o.request.as_deref(),
                o.ack.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("chat.send", None, Some("ChatMessage"), None),
            ("echo", None, Some("EchoPayload"), None),
            ("kick", Some("/admin"), Some("KickPayload"), None),
            ("ping", None, Some("PingPayload"), Some("PingAck")),
            ("room.join", None, Some("RoomJoinPayload"), None),
            ("room.leave", None, Some("RoomLeavePayload"), None),
            ("room.rename", None, Some("RoomRenamePayload"), None),
            ("typing", Some("/chat"), Some("TypingPayload"), None),
        ]
    );
    assert_eq!(
        messages(&output.diagnostics, Code::UnreachableNamespace),
        [
            "`typing` is registered in the namespace `/chat`; the generated client speaks to `/` only, so it has no method for it",
            "`kick` is registered in the namespace `/admin`; the generated client speaks to `/` only, so it has no method for it",
        ]
    );
    assert_eq!(
        messages(&output.diagnostics, Code::UnknownPayload),
        [
            "the payload of `echo` is unknown: it is passed to `<expression>`, which the reader cannot follow; it is recorded as any JSON object"
        ]
    );
    for (event, key) in [("room.leave", "room"), ("room.rename", "name")] {
        let operation = output
            .api
            .operations
            .iter()
            .find(|o| o.name == event)
            .unwrap();
        let schema = &output.api.types[operation.request.as_deref().unwrap()];
        assert_eq!(schema["required"], json!([key]), "{event}");
    }
    assert_eq!(
        output.diagnostics.len(),
        3,
        "no naming diagnostics in a flat layout"
    );
    let code = glow_codegen::render(&output.api, "flat").unwrap().text;
    assert!(code.contains("fn ping("), "{code}");
    assert!(code.contains("fn room_join("));
    assert!(
        !code.contains("fn kick("),
        "no method for another namespace"
    );
}

#[test]
fn the_glow_layout_keeps_handlers_its_rule_cannot_name_and_says_so() {
    let output = read_flat(glow_codegen::sources::Layout::Glow);
    assert_eq!(output.api.operations.len(), 8, "every handler is kept");
    let unexpected = messages(&output.diagnostics, Code::UnexpectedLocation);
    assert_eq!(unexpected.len(), 8);
    assert!(unexpected[0].ends_with(
        "its name cannot be checked against its place, and it is kept as registered (`--layout flat` reads a tree not laid out as Glow's)"
    ));
}
