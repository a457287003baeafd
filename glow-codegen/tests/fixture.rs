//! The fixture server's manifest and the defects tree's diagnostics, end to end through the library.

mod common;

use std::path::Path;

use glow_codegen::diagnostic::{Code, Severity};
use glow_codegen::manifest;
use glow_codegen::sources::Sources;

/// Relative to this crate, so that paths in diagnostics are the same on every machine.
const FIXTURE_WS: &str = "../tests/server/core/app/ws";
const FIXTURE_OPENAPI: &str = "../tests/server/openapi.json";
const DEFECTS_WS: &str = "../tests/server-defects/core/app/ws";

/// The fixture manifest, from both sources (as `manifests/glow.yaml` is made).
fn fixture_yaml() -> String {
    let output = Sources::new()
        .ws_tree(FIXTURE_WS)
        .openapi(FIXTURE_OPENAPI)
        .read()
        .unwrap();
    manifest::to_yaml(&output.api).unwrap()
}

#[test]
fn fixture_manifest_is_byte_identical_across_runs() {
    assert_eq!(fixture_yaml(), fixture_yaml());
}

#[test]
fn checked_in_manifest_is_fresh() {
    let checked_in = std::fs::read_to_string(Path::new("../manifests/glow.yaml")).unwrap();
    glow_test_support::assert_fresh("manifests/glow.yaml", &checked_in, &fixture_yaml());
}

/// name, artifact, operation, request, ack
type OperationRow<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

#[test]
fn fixture_operations_payloads_and_acks() {
    let output = Sources::new().ws_tree(FIXTURE_WS).read().unwrap();
    let rows: Vec<OperationRow> = output
        .api
        .operations
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                o.artifact.as_str(),
                o.op.as_str(),
                o.request.as_deref(),
                o.ack.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "attempt.chat.voice",
                "attempt",
                "chat_voice",
                Some("AttemptChatVoicePayload"),
                None
            ),
            (
                "attempt.chat_message",
                "attempt",
                "message",
                Some("ChatMessagePayload"),
                None
            ),
            (
                "attempt.chat_silence",
                "attempt",
                "chat_silence",
                None,
                None
            ),
            (
                "attempt.chat_speak",
                "attempt",
                "chat_speak",
                Some("ChatSpeakPayload"),
                None
            ),
            (
                "attempt.start",
                "attempt",
                "start",
                Some("AttemptStartPayload"),
                None
            ),
            (
                "document.upload",
                "document",
                "upload",
                Some("DocumentUploadPayload"),
                None
            ),
            (
                "persona.create",
                "persona",
                "create",
                Some("PersonaCreatePayload"),
                None
            ),
            (
                "persona.get",
                "persona",
                "get",
                Some("PersonaGetPayload"),
                Some("PersonaSummary")
            ),
            (
                "persona.search",
                "persona",
                "search",
                Some("PersonaSearchPayload"),
                None
            ),
            (
                "scenario.create",
                "scenario",
                "create",
                Some("ScenarioCreatePayload"),
                None
            ),
            (
                "scenario.search",
                "scenario",
                "search",
                Some("ScenarioSearchPayload"),
                None
            ),
            (
                "system.activity_search",
                "system",
                "activity_search",
                Some("SystemActivitySearchPayload"),
                None
            ),
            (
                "system.health",
                "system",
                "health",
                None,
                Some("SystemHealthAck")
            ),
            (
                "test.benchmark_search",
                "test",
                "benchmark_search",
                Some("BenchmarkSearchPayload"),
                None
            ),
            (
                "test.generate",
                "test",
                "generate",
                Some("TestGeneratePayload"),
                None
            ),
            (
                "test.invocation_run",
                "test",
                "invocation_run",
                Some("InvocationRunPayload"),
                Some("InvocationResult")
            ),
            (
                "test.invocation_search",
                "test",
                "invocation_search",
                Some("InvocationSearchPayload"),
                None
            ),
        ]
    );
    let warnings: Vec<(Code, Severity)> = output
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity))
        .collect();
    assert_eq!(
        warnings,
        [
            (Code::NameMismatch, Severity::Warning),
            (Code::NameMismatch, Severity::Warning)
        ],
        "the fixture keeps exactly the two drifts of the real Glow tree"
    );
}

#[test]
fn every_fixture_operation_pairs_with_its_route() {
    let output = Sources::new()
        .ws_tree(FIXTURE_WS)
        .openapi(FIXTURE_OPENAPI)
        .read()
        .unwrap();
    let routes: Vec<(&str, Option<String>)> = output
        .api
        .operations
        .iter()
        .map(|o| {
            let route = o.http.as_ref().map(|r| format!("{} {}", r.method, r.path));
            (o.name.as_str(), route)
        })
        .collect();
    let expected = [
        ("attempt.chat.voice", "POST /attempt/chat/voice"),
        ("attempt.chat_message", "POST /attempt/chat/message"),
        ("attempt.chat_silence", "POST /attempt/chat/silence"),
        ("attempt.chat_speak", "POST /attempt/chat/speak"),
        ("attempt.start", "POST /attempt/start"),
        ("document.upload", "POST /document/upload"),
        ("persona.create", "POST /persona/create"),
        ("persona.get", "POST /persona/get"),
        ("persona.read", "GET /persona/{persona_id}"),
        ("persona.search", "POST /persona/search"),
        ("scenario.create", "POST /scenario/create"),
        ("scenario.search", "POST /scenario/search"),
        ("system.activity_search", "POST /system/activity/search"),
        ("system.health", "POST /system/health"),
        ("test.benchmark_search", "POST /test/benchmark/search"),
        ("test.generate", "POST /test/generate"),
        ("test.invocation_run", "POST /test/invocation/run"),
        ("test.invocation_search", "POST /test/invocation/search"),
    ];
    let expected: Vec<(&str, Option<String>)> = expected
        .iter()
        .map(|(name, route)| (*name, Some((*route).to_owned())))
        .collect();
    assert_eq!(routes, expected);
    let events: Vec<Option<&str>> = output
        .api
        .operations
        .iter()
        .map(|o| o.event.as_deref())
        .collect();
    assert_eq!(
        events.iter().filter(|e| e.is_none()).count(),
        1,
        "only persona.read is HTTP-only"
    );
    let codes: Vec<Code> = output.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [Code::NameMismatch, Code::NameMismatch],
        "no drift in the fixture"
    );
    // A socket payload model and FastAPI's schema of the same class are one type.
    let search = output
        .api
        .operations
        .iter()
        .find(|o| o.name == "persona.search")
        .unwrap();
    let body = search
        .http
        .as_ref()
        .and_then(|r| r.body.as_ref())
        .and_then(|b| b.type_name.as_deref());
    assert_eq!(search.request.as_deref(), Some("PersonaSearchPayload"));
    assert_eq!(body, Some("PersonaSearchPayload"));
    assert!(!output.api.types.keys().any(|name| name.starts_with("Ws")));
    let generate = output
        .api
        .operations
        .iter()
        .find(|o| o.name == "test.generate")
        .unwrap();
    assert_eq!(
        output.api.types[generate.request.as_deref().unwrap()]["properties"]["template"]["anyOf"]
            [0],
        serde_json::json!({"$ref": "#/types/TestCase"}),
        "the socket model `TestCase` is FastAPI's `TestCase-Input` and `TestCase-Output`, one type"
    );
}

#[test]
fn defects_tree_diagnostics_match_snapshot() {
    let output = Sources::new().ws_tree(DEFECTS_WS).read().unwrap();
    let lines: Vec<String> = output.diagnostics.iter().map(|d| d.to_human()).collect();
    insta::assert_snapshot!("defects_diagnostics", lines.join("\n"));
}

#[test]
fn defects_tree_has_every_code_at_its_place() {
    let output = Sources::new().ws_tree(DEFECTS_WS).read().unwrap();
    let found: Vec<(Code, String, u32, u32)> = output
        .diagnostics
        .iter()
        .map(|d| {
            let file = d
                .path
                .trim_start_matches(DEFECTS_WS)
                .trim_start_matches('/')
                .to_owned();
            (d.code, file, d.line, d.col)
        })
        .collect();
    let expected = [
        (Code::NotImported, "draft/create.py", 4, 9),
        (Code::UnexpectedLocation, "health.py", 4, 9),
        (Code::UnresolvedImport, "persona/__init__.py", 7, 5),
        (Code::ParseError, "persona/broken.py", 6, 5),
        (Code::DynamicName, "persona/dynamic.py", 12, 9),
        (Code::DynamicName, "persona/dynamic.py", 17, 9),
        (Code::DuplicateEvent, "persona/find.py", 7, 9),
        (Code::NotImported, "persona/orphan.py", 4, 9),
        (Code::UnknownType, "persona/rate.py", 10, 13),
        (Code::UnresolvedImport, "persona/search.py", 3, 37),
        (Code::UnknownPayload, "persona/search.py", 9, 5),
        (Code::ShadowedModule, "system/group.py", 1, 1),
        (Code::NameMismatch, "system/group/get.py", 6, 9),
    ];
    let expected: Vec<(Code, String, u32, u32)> = expected
        .iter()
        .map(|(code, file, line, col)| (*code, (*file).to_owned(), *line, *col))
        .collect();
    assert_eq!(found, expected);
    let names: Vec<&str> = output
        .api
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["health", "persona.rate", "persona.search", "system.group"]
    );
}
