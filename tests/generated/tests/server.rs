//! The generated bindings against the fixture server running for real (python-socketio + FastAPI
//! under uvicorn), through `glow_client::Socket` and `glow_client::Http`.
//!
//! Needs the fixture venv (`scripts/venv`); see `glow_test_support::python` for what happens
//! without it. Each test starts its own server on a free loopback port and stops it when it ends.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use glow_client::serde::Serialize;
use glow_client::serde::de::DeserializeOwned;
use glow_client::serde_json::{self, Value, json};
use glow_client::{Emit, Error, Http, RunOperation, Socket};
use glow_generated::cli::{HttpApi, Operation, ServerEvent, SocketApi, SocketCalls, types};
use glow_test_support::server::{FixtureServer, TOKEN};

const WAIT: Duration = Duration::from_secs(5);
const CHAT: &str = "6f1c3b1e-8f7a-4c1b-9d1e-2a3b4c5d6e7f";

fn main() -> ExitCode {
    glow_test_support::python::run(&[
        ("a_valid_bearer_connects", a_valid_bearer_connects),
        (
            "a_missing_or_wrong_bearer_is_unauthorized_quickly",
            a_missing_or_wrong_bearer_is_unauthorized_quickly,
        ),
        (
            "nothing_listening_and_nothing_answering_are_clear_errors",
            nothing_listening_and_nothing_answering_are_clear_errors,
        ),
        (
            "every_socket_operation_completes_typed_and_equals_its_http_twin",
            every_socket_operation_completes_typed_and_equals_its_http_twin,
        ),
        (
            "an_invalid_payload_yields_a_typed_failed_push",
            an_invalid_payload_yields_a_typed_failed_push,
        ),
        (
            "ack_operations_return_typed_acks_and_a_missing_ack_times_out",
            ack_operations_return_typed_acks_and_a_missing_ack_times_out,
        ),
        (
            "every_push_arrives_in_order_typed_as_the_handler_sends_it",
            every_push_arrives_in_order_typed_as_the_handler_sends_it,
        ),
        (
            "two_hundred_emits_from_four_threads_get_two_hundred_answers",
            two_hundred_emits_from_four_threads_get_two_hundred_answers,
        ),
        (
            "a_killed_and_restarted_server_is_reconnected_to",
            a_killed_and_restarted_server_is_reconnected_to,
        ),
        (
            "http_errors_are_typed_and_bodies_print_as_text",
            http_errors_are_typed_and_bodies_print_as_text,
        ),
        ("the_bearer_is_never_printed", the_bearer_is_never_printed),
    ])
}

fn socket(server: &FixtureServer) -> Socket {
    Socket::builder(server.url())
        .bearer(TOKEN)
        .connect()
        .expect("the fixture server accepts its token")
}

fn http(server: &FixtureServer) -> Http {
    Http::builder(server.url())
        .bearer(TOKEN)
        .build()
        .expect("an HTTP client")
}

/// `value` as `T` (payloads are written once as JSON and read as each surface's type).
fn from<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).expect("the payload fits the type")
}

/// The JSON of a result without what differs on every call (new ids, timestamps).
fn stable(value: impl Serialize) -> Value {
    let mut value = serde_json::to_value(value).expect("serialisable");
    if let Value::Object(fields) = &mut value {
        for volatile in ["id", "created_at", "invocation_id"] {
            fields.remove(volatile);
        }
    }
    value
}

fn a_valid_bearer_connects(python: &Path) {
    let server = FixtureServer::start(python);
    let socket = socket(&server);
    assert!(socket.is_connected());
    // A token given with its scheme is not doubled.
    let prefixed = Socket::builder(server.url())
        .bearer(format!("Bearer {TOKEN}"))
        .connect()
        .expect("a prefixed token is accepted");
    assert!(prefixed.is_connected());
    let health = http(&server).system_health().expect("HTTP with the bearer");
    assert_eq!(health.status, "ok");
}

fn a_missing_or_wrong_bearer_is_unauthorized_quickly(python: &Path) {
    let server = FixtureServer::start(python);
    for builder in [
        Socket::builder(server.url()),
        Socket::builder(server.url()).bearer("wrong"),
    ] {
        let started = Instant::now();
        let error = builder.connect().expect_err("refused");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        match &error {
            Error::Unauthorized { at, message } => {
                assert_eq!(at, &server.url());
                assert_eq!(message, "a valid bearer token is required");
            }
            other => panic!("expected Unauthorized, got {other:?}"),
        }
    }
    for client in [
        Http::builder(server.url()).build().unwrap(),
        Http::builder(server.url()).bearer("wrong").build().unwrap(),
    ] {
        let error = client.system_health().expect_err("refused");
        assert_eq!(
            error.to_string(),
            "POST /system/health refused the request: a valid bearer token is required"
        );
    }
}

fn nothing_listening_and_nothing_answering_are_clear_errors(_python: &Path) {
    // Nothing listens: a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let error = Socket::builder(&url).bearer(TOKEN).connect().unwrap_err();
    assert!(
        matches!(&error, Error::Connect { url: at, message } if at == &url && message.contains("Connection refused")),
        "{error:?}"
    );
    let error = Http::builder(&url)
        .build()
        .unwrap()
        .system_health()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot connect to {url}/system/health: ")),
        "{error}"
    );

    // Something accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let started = Instant::now();
    let error = Socket::builder(&url)
        .bearer(TOKEN)
        .connect_timeout(Duration::from_millis(300))
        .connect()
        .unwrap_err();
    assert!(
        matches!(&error, Error::ConnectTimeout { url: at, timeout } if at == &url && *timeout == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

fn every_socket_operation_completes_typed_and_equals_its_http_twin(python: &Path) {
    let server = FixtureServer::start(python);
    let socket = socket(&server);
    let http = http(&server);
    let mut exercised = BTreeSet::new();
    let mut same = |name: &str, socket_result: Value, http_result: Value| {
        assert_eq!(socket_result, http_result, "{name}: socket and HTTP agree");
        exercised.insert(name.to_owned());
    };

    let voice = json!({"chat_id": "c1", "audio": "UklGR", "mime": "audio/ogg"});
    same(
        "attempt.chat.voice",
        stable(
            socket
                .call_attempt_chat_voice(&from(&voice), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.attempt_chat_voice(&from(&voice)).unwrap()),
    );
    let message = json!({"chat_id": CHAT, "text": "Hello"});
    let reply = socket
        .call_attempt_chat_message(&from(&message), WAIT)
        .unwrap();
    assert_eq!(reply.result.reply, "echo: Hello");
    assert_eq!(
        reply.envelope.operation_key.as_deref(),
        Some("attempt.chat_message")
    );
    same(
        "attempt.chat_message",
        stable(reply.result),
        stable(http.attempt_chat_message(&from(&message)).unwrap()),
    );
    same(
        "attempt.chat_silence",
        stable(socket.call_attempt_chat_silence(WAIT).unwrap().result),
        stable(http.attempt_chat_silence().unwrap()),
    );
    let speak = json!({"chat_id": CHAT, "voice": "alloy", "speed": 1.25});
    same(
        "attempt.chat_speak",
        stable(
            socket
                .call_attempt_chat_speak(&from(&speak), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.attempt_chat_speak(&from(&speak)).unwrap()),
    );
    let start = json!({"scenario_id": CHAT, "persona_id": "p1", "max_turns": 4});
    same(
        "attempt.start",
        stable(
            socket
                .call_attempt_start(&from(&start), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.attempt_start(&from(&start)).unwrap()),
    );
    let upload = json!({"name": "a.txt", "content_base64": "aGk=", "mime": "text/plain"});
    same(
        "document.upload",
        stable(
            socket
                .call_document_upload(&from(&upload), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.document_upload(&from(&upload)).unwrap()),
    );
    let create = json!({"name": "Ada", "tags": ["x"], "visibility": "team"});
    let created = socket
        .call_persona_create(&from(&create), WAIT)
        .unwrap()
        .result;
    assert_eq!(created.name, "Ada");
    same(
        "persona.create",
        stable(&created),
        stable(http.persona_create(&from(&create)).unwrap()),
    );
    let search = json!({"query": "ada", "page": 1});
    same(
        "persona.search",
        stable(
            socket
                .call_persona_search(&from(&search), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.persona_search(&from(&search)).unwrap()),
    );
    let scenario = json!({"name": "s", "persona_id": CHAT, "steps": [{"prompt": "Say hi"}]});
    same(
        "scenario.create",
        stable(
            socket
                .call_scenario_create(&from(&scenario), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.scenario_create(&from(&scenario)).unwrap()),
    );
    let page = json!({"page": 2});
    same(
        "scenario.search",
        stable(
            socket
                .call_scenario_search(&from(&page), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.scenario_search(&from(&page)).unwrap()),
    );
    let activity = json!({"since": "2026-01-01", "limit": 5, "profile_id": "p"});
    same(
        "system.activity_search",
        stable(
            socket
                .call_system_activity_search(&from(&activity), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.system_activity_search(&from(&activity)).unwrap()),
    );
    same(
        "test.benchmark_search",
        stable(
            socket
                .call_test_benchmark_search(&from(&page), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.test_benchmark_search(&from(&page)).unwrap()),
    );
    let generate = json!({"scenario_id": CHAT, "count": 3});
    let generated = socket
        .call_test_generate(&from(&generate), WAIT)
        .unwrap()
        .result;
    assert_eq!(generated.cases.len(), 3);
    same(
        "test.generate",
        stable(&generated),
        stable(http.test_generate(&from(&generate)).unwrap()),
    );
    same(
        "test.invocation_search",
        stable(
            socket
                .call_test_invocation_search(&from(&page), WAIT)
                .unwrap()
                .result,
        ),
        stable(http.test_invocation_search(&from(&page)).unwrap()),
    );

    // Every socket operation that answers with pushes was called above.
    let pushing: BTreeSet<String> = Operation::ALL
        .iter()
        .filter_map(|operation| operation.ws_event())
        .filter(|event| !["persona.get", "system.health", "test.invocation_run"].contains(event))
        .map(str::to_owned)
        .collect();
    assert_eq!(exercised, pushing);
}

fn an_invalid_payload_yields_a_typed_failed_push(python: &Path) {
    let server = FixtureServer::start(python);
    let socket = socket(&server);
    socket
        .emit("persona.create", Some(json!({"name": ""})))
        .unwrap();
    let push = socket.next_push(WAIT).unwrap().expect("a push");
    match ServerEvent::parse(&push.event, push.payload).unwrap() {
        ServerEvent::PersonaCreateFailed(failed) => {
            assert_eq!(failed.error_type, "ValidationError");
            assert!(failed.message.contains("name"), "{}", failed.message);
            assert_eq!(
                failed.envelope.operation_key.as_deref(),
                Some("persona.create")
            );
        }
        other => panic!("expected persona.create.failed, got {other:?}"),
    }
    // The same through `run_operation`: the `.failed` push becomes `Error::Failed`.
    let error = socket
        .run_operation(
            "persona.create",
            Some(json!({"name": ""})),
            &["persona.create"],
            WAIT,
        )
        .unwrap_err();
    match error {
        Error::Failed { event, failed } => {
            assert_eq!(event, "persona.create");
            assert_eq!(failed.error_type, "ValidationError");
        }
        other => panic!("expected Error::Failed, got {other:?}"),
    }
}

fn ack_operations_return_typed_acks_and_a_missing_ack_times_out(python: &Path) {
    let server = FixtureServer::start(python);
    let socket = socket(&server);
    let health = socket.system_health(WAIT).unwrap();
    assert_eq!(
        (health.status.as_str(), health.version.as_str()),
        ("ok", "1.4.0")
    );
    let created = socket
        .call_persona_create(
            // The constructor takes the required fields; the rest keep their defaults.
            &types::PersonaCreatePayload {
                tags: vec!["t".to_owned()],
                ..types::PersonaCreatePayload::new("Grace".to_owned())
            },
            WAIT,
        )
        .unwrap()
        .result;
    let summary = socket
        .persona_get(
            &types::PersonaGetPayload {
                persona_id: created.id,
            },
            WAIT,
        )
        .unwrap();
    assert_eq!(summary.name, "Grace");
    let run = socket
        .test_invocation_run(
            &from(&json!({"test_id": CHAT, "inputs": {"k": 1}, "dry_run": true})),
            WAIT,
        )
        .unwrap();
    assert_eq!(serde_json::to_value(&run).unwrap()["passed"], json!(false));

    // No handler, so python-socketio never acknowledges: the timeout is honoured.
    let started = Instant::now();
    let error = socket
        .emit_with_ack("no.such_event", Some(json!({})), Duration::from_millis(300))
        .unwrap_err();
    assert!(
        matches!(&error, Error::AckTimeout { event, timeout } if event == "no.such_event" && *timeout == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The socket still works after a timed-out acknowledgement.
    assert_eq!(socket.system_health(WAIT).unwrap().status, "ok");
}

fn every_push_arrives_in_order_typed_as_the_handler_sends_it(python: &Path) {
    let server = FixtureServer::start(python);
    let socket = socket(&server);
    socket
        .attempt_chat_message(&from(&json!({"chat_id": CHAT, "text": "to be or not"})))
        .unwrap();
    let mut events = Vec::new();
    while let Some(push) = socket.next_push(Duration::from_millis(500)).unwrap() {
        let done = push.event.ends_with(".completed");
        let typed = ServerEvent::parse(&push.event, push.payload.clone()).unwrap();
        events.push((push.event, typed, push.payload));
        if done {
            break;
        }
    }
    let names: Vec<&str> = events.iter().map(|(event, ..)| event.as_str()).collect();
    assert_eq!(
        names,
        [
            "attempt.chat_message.started",
            "attempt.chat_message.token",
            "attempt.chat_message.token",
            "attempt.chat_message.token",
            "attempt.chat_message.token",
            "attempt.chat_message.token",
            "attempt.chat_message.completed"
        ]
    );
    let tokens: Vec<&Value> = events[1..6].iter().map(|(_, _, p)| &p["token"]).collect();
    assert_eq!(tokens, ["echo:", "to", "be", "or", "not"]);
    // The token push is read from the handler's `sio.emit("attempt.chat_message.token",
    // {"chat_id": str(...), "token": token})`: typed by its keys.
    assert!(
        matches!(
            &events[1].1,
            ServerEvent::AttemptChatMessageToken(t) if t.chat_id == CHAT && t.token == json!("echo:")
        ),
        "{:?}",
        events[1].1
    );
    assert!(matches!(
        events[6].1,
        ServerEvent::AttemptChatMessageCompleted(ref done) if done.result.reply == "echo: to be or not"
    ));
    assert_eq!(socket.try_next_push().unwrap(), None);
}

fn two_hundred_emits_from_four_threads_get_two_hundred_answers(python: &Path) {
    let server = FixtureServer::start(python);
    let socket = socket(&server);
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let socket = &socket;
            scope.spawn(move || {
                for index in 0..50 {
                    let text = format!("t{thread}-{index}");
                    socket
                        .attempt_chat_message(&from(&json!({"chat_id": CHAT, "text": text})))
                        .unwrap();
                }
            });
        }
    });
    let mut replies = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while replies.len() < 200 && Instant::now() < deadline {
        let Some(push) = socket.next_push(Duration::from_millis(200)).unwrap() else {
            continue;
        };
        if let ServerEvent::AttemptChatMessageCompleted(done) =
            ServerEvent::parse(&push.event, push.payload).unwrap()
        {
            replies.push(done.result.reply);
        }
    }
    let expected: BTreeSet<String> = (0..4)
        .flat_map(|thread| (0..50).map(move |index| format!("echo: t{thread}-{index}")))
        .collect();
    let unique: BTreeSet<String> = replies.iter().cloned().collect();
    assert_eq!(replies.len(), 200, "none lost");
    assert_eq!(unique, expected, "none duplicated, each answered");
}

fn a_killed_and_restarted_server_is_reconnected_to(python: &Path) {
    let mut server = FixtureServer::start(python);
    let socket = Socket::builder(server.url())
        .bearer(TOKEN)
        .reconnect_window(Duration::from_secs(10))
        .connect()
        .unwrap();
    let search = json!({});
    socket.call_persona_search(&from(&search), WAIT).unwrap();

    server.kill();
    // While the server is down, a call fails with a clear error within its bound.
    let started = Instant::now();
    let error = socket
        .call_persona_search(&from(&search), Duration::from_secs(2))
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            error,
            Error::Disconnected { .. } | Error::OutcomeTimeout { .. }
        ),
        "{error:?}"
    );

    server.restart();
    // Back up: the socket reconnects, sending the bearer again, and calls work.
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = loop {
        match socket.call_persona_search(&from(&search), Duration::from_secs(2)) {
            Ok(done) => break done,
            Err(error) if Instant::now() < deadline => {
                let _ = error;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(error) => panic!("not reconnected within 10 s: {error}"),
        }
    };
    assert_eq!(result.result.total, 0, "a fresh server has no personas");
    assert!(socket.is_connected());
}

fn http_errors_are_typed_and_bodies_print_as_text(python: &Path) {
    let server = FixtureServer::start(python);
    // The client refuses the empty name itself (`minLength: 1`)...
    let error = http(&server)
        .persona_create(&from(&json!({"name": ""})))
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidPayload { invalid, .. } if invalid.path == "name"),
        "{error:?}"
    );
    // ...and, asked to leave the judging to the server, hears FastAPI's 422, typed.
    let http = Http::builder(server.url())
        .bearer(TOKEN)
        .validate_payloads(false)
        .build()
        .unwrap();
    let error = http
        .persona_create(&from(&json!({"name": ""})))
        .unwrap_err();
    let Error::Invalid {
        method,
        path,
        detail,
    } = &error
    else {
        panic!("expected Error::Invalid, got {error:?}");
    };
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("POST", "/persona/create")
    );
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0].loc, [json!("body"), json!("name")]);
    assert_eq!(detail[0].kind, "string_too_short");
    assert_eq!(
        error.to_string(),
        "POST /persona/create rejected the request (422): body.name: String should have at least 1 character"
    );

    let missing = http
        .persona_read(glow_client::uuid::Uuid::nil(), None)
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        r#"GET /persona/{persona_id} answered 404: {"detail":"no persona 00000000-0000-0000-0000-000000000000"}"#
    );
    assert!(
        format!("{missing:?}").contains(r#"body: "{\"detail\":"#),
        "{missing:?}"
    );
}

fn the_bearer_is_never_printed(python: &Path) {
    let server = FixtureServer::start(python);
    let secret = "s3cret-glow-token";
    let mut printed = Vec::new();
    let socket_builder = Socket::builder(server.url()).bearer(secret);
    printed.push(format!("{socket_builder:?}"));
    let refused = socket_builder.connect().unwrap_err();
    printed.push(format!("{refused:?}"));
    printed.push(refused.to_string());
    let http_builder = Http::builder(server.url()).bearer(secret);
    printed.push(format!("{http_builder:?}"));
    let http = http_builder.build().unwrap();
    printed.push(format!("{http:?}"));
    let refused = http.system_health().unwrap_err();
    printed.push(format!("{refused:?}"));
    printed.push(refused.to_string());
    let accepted = Socket::builder(server.url())
        .bearer(TOKEN)
        .connect()
        .unwrap();
    printed.push(format!("{accepted:?}"));
    for text in &printed {
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(printed[0].contains("Bearer(<redacted>)"), "{}", printed[0]);
}
