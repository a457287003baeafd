//! The generated API for the fixture manifest, used as a client would use it: payload types
//! round-trip, required fields are required, `SocketApi` sends the registered wire names,
//! `HttpApi` builds the right requests, and pushes parse into typed `ServerEvent`s.

use std::cell::RefCell;
use std::time::Duration;

use glow_client::serde::Serialize;
use glow_client::serde::de::DeserializeOwned;
use glow_client::serde_json::{Value, json};
use glow_client::{Call, Emit, Error, HttpRequest, HttpResponse};
use glow_generated::cli::{HttpApi, Operation, ServerEvent, SocketApi, types};

/// Parses `sample` as `T`, writes it back, and requires the same JSON.
fn round_trip<T: DeserializeOwned + Serialize>(sample: Value) -> T {
    let parsed: T = glow_client::serde_json::from_value(sample.clone()).expect("the sample parses");
    let written = glow_client::serde_json::to_value(&parsed).expect("the value serialises");
    assert_eq!(written, sample);
    parsed
}

const CHAT: &str = "6f1c3b1e-8f7a-4c1b-9d1e-2a3b4c5d6e7f";

#[test]
fn every_fixture_payload_type_round_trips() {
    round_trip::<types::AttemptChatVoicePayload>(
        json!({"audio": "UklGR", "chat_id": "c1", "mime": "audio/ogg"}),
    );
    let message =
        round_trip::<types::ChatMessagePayload>(json!({"chat_id": CHAT, "text": "Hello"}));
    assert_eq!(message.chat_id.to_string(), CHAT);
    assert_eq!(message.persona_id, None);
    round_trip::<types::ChatSpeakPayload>(
        json!({"chat_id": CHAT, "speed": 1.25, "voice": "alloy"}),
    );
    round_trip::<types::AttemptStartPayload>(
        json!({"max_turns": 4, "persona_id": "p1", "scenario_id": CHAT}),
    );
    round_trip::<types::DocumentUploadPayload>(
        json!({"content_base64": "aGk=", "mime": "text/plain", "name": "a.txt", "size": 2}),
    );
    let create = round_trip::<types::PersonaCreatePayload>(json!({
        "description": "d", "kind": "synthetic", "name": "Ada", "tags": ["x"],
        "traits": {"warmth": 0.5}, "visibility": "team"
    }));
    assert_eq!(create.kind, types::PersonaCreatePayloadKind::Synthetic);
    assert_eq!(create.visibility, types::Visibility::Team);
    round_trip::<types::PersonaGetPayload>(json!({"persona_id": CHAT}));
    round_trip::<types::PersonaSearchPayload>(json!({
        "page": 2, "page_size": 50, "query": "ada", "sort": "name", "tags": ["a"], "visibility": "public"
    }));
    round_trip::<types::ScenarioCreatePayload>(json!({
        "metadata": {"k": "v"}, "name": "s", "persona_id": CHAT,
        "steps": [{"expected": ["hi"], "prompt": "Say hi", "weight": 2}]
    }));
    round_trip::<types::ScenarioSearchPayload>(
        json!({"page": 1, "page_size": 12, "persona_ids": [CHAT]}),
    );
    round_trip::<types::SystemActivitySearchPayload>(json!({"limit": 10, "since": "2026-01-01"}));
    round_trip::<types::BenchmarkSearchPayload>(
        json!({"min_score": 0.5, "page": 1, "page_size": 12}),
    );
    let generate = round_trip::<types::TestGeneratePayload>(json!({
        "count": 3, "difficulty": 3, "due": "2026-12-01", "scenario_id": CHAT, "seed": 7,
        "template": {"children": [{"difficulty": 1, "title": "leaf"}], "difficulty": 2, "title": "root"}
    }));
    // `children: list[TestCase] = []`: an empty list is the default, and not sent.
    let leaf: types::TestCase =
        glow_client::serde_json::from_value(json!({"children": [], "title": "leaf"})).unwrap();
    assert_eq!(
        glow_client::serde_json::to_value(&leaf).unwrap(),
        json!({"difficulty": 2, "title": "leaf"})
    );
    assert_eq!(generate.difficulty, Some(types::Difficulty::Hard));
    let template = generate.template.expect("a template");
    assert_eq!(template.children[0].title, "leaf");
    round_trip::<types::InvocationRunPayload>(
        json!({"dry_run": true, "inputs": {"a": [1, 2]}, "test_id": CHAT}),
    );
    let graded = round_trip::<types::InvocationRunPayload>(json!({
        "dry_run": false, "test_id": CHAT,
        "grader": {"kind": "rubric", "rubric_id": CHAT, "threshold": 0.8}
    }));
    assert!(matches!(
        graded.grader,
        Some(types::InvocationRunPayloadGrader::Rubric { threshold, .. }) if threshold == 0.8
    ));
    round_trip::<types::InvocationSearchPayload>(
        json!({"page": 1, "page_size": 12, "passed": true}),
    );
}

#[test]
fn recorded_defaults_fill_missing_fields() {
    let search: types::PersonaSearchPayload =
        glow_client::serde_json::from_value(json!({})).unwrap();
    assert_eq!((search.page, search.page_size), (1, 12));
    assert_eq!(search.sort, types::PersonaSearchPayloadSort::CreatedAt);
    assert_eq!(search, types::PersonaSearchPayload::default());
    let speak: types::ChatSpeakPayload =
        glow_client::serde_json::from_value(json!({"chat_id": CHAT})).unwrap();
    assert_eq!((speak.voice.as_str(), speak.speed), ("alloy", 1.0));
}

#[test]
fn missing_required_field_fails_to_parse() {
    let error =
        glow_client::serde_json::from_value::<types::ChatMessagePayload>(json!({"chat_id": CHAT}))
            .unwrap_err()
            .to_string();
    assert!(error.contains("missing field `text`"), "{error}");
    let error = glow_client::serde_json::from_value::<types::PersonaGetPayload>(json!({}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("missing field `persona_id`"), "{error}");
    let error = glow_client::serde_json::from_value::<types::ChatMessagePayload>(
        json!({"chat_id": "not-a-uuid", "text": "x"}),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("UUID"), "{error}");
    let error = glow_client::serde_json::from_value::<types::Difficulty>(json!(9))
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown Difficulty value 9"), "{error}");
}

/// One recorded emit: event, payload, and the ack timeout when it waited for one.
type Sent = (String, Option<Value>, Option<Duration>);

/// Records every emit and answers acks from a table.
#[derive(Default)]
struct Recorder {
    sent: RefCell<Vec<Sent>>,
}

impl Emit for Recorder {
    fn emit(&self, event: &str, payload: Option<Value>) -> Result<(), Error> {
        self.sent
            .borrow_mut()
            .push((event.to_owned(), payload, None));
        Ok(())
    }

    fn emit_with_ack(
        &self,
        event: &str,
        payload: Option<Value>,
        timeout: Duration,
    ) -> Result<Value, Error> {
        self.sent
            .borrow_mut()
            .push((event.to_owned(), payload, Some(timeout)));
        Ok(match event {
            "persona.get" => json!({"id": CHAT, "name": "Ada", "tags": [], "found": true}),
            "system.health" => json!({"status": "ok", "version": "1.4.0", "uptime_seconds": 3}),
            "test.invocation_run" => {
                json!({"invocation_id": CHAT, "passed": true, "score": 1.0, "details": {}})
            }
            _ => Value::Null,
        })
    }
}

fn parse<T: DeserializeOwned>(value: Value) -> T {
    glow_client::serde_json::from_value(value).expect("sample")
}

#[test]
fn socket_api_sends_registered_wire_names_and_payloads() {
    let socket = Recorder::default();
    let second = Duration::from_secs(1);
    socket
        .attempt_chat_voice(&parse(json!({"audio": "a", "chat_id": "c"})))
        .unwrap();
    socket
        .attempt_chat_message(&parse(json!({"chat_id": CHAT, "text": "Hello"})))
        .unwrap();
    socket.attempt_chat_silence().unwrap();
    socket
        .attempt_chat_speak(&parse(json!({"chat_id": CHAT})))
        .unwrap();
    socket
        .attempt_start(&parse(json!({"scenario_id": CHAT})))
        .unwrap();
    socket
        .document_upload(&parse(json!({"content_base64": "aGk=", "name": "a"})))
        .unwrap();
    socket
        .persona_create(&parse(json!({"name": "Ada"})))
        .unwrap();
    let summary = socket
        .persona_get(&parse(json!({"persona_id": CHAT})), second)
        .unwrap();
    assert_eq!(summary.name, "Ada");
    socket
        .persona_search(&types::PersonaSearchPayload::default())
        .unwrap();
    socket
        .scenario_create(&parse(json!({"name": "s", "steps": []})))
        .unwrap();
    socket
        .scenario_search(&types::ScenarioSearchPayload::default())
        .unwrap();
    socket
        .system_activity_search(&types::SystemActivitySearchPayload::default())
        .unwrap();
    let health = socket.system_health(second).unwrap();
    assert_eq!((health.status.as_str(), health.uptime_seconds), ("ok", 3));
    socket
        .test_benchmark_search(&types::BenchmarkSearchPayload::default())
        .unwrap();
    socket
        .test_generate(&parse(json!({"scenario_id": CHAT})))
        .unwrap();
    let result = socket
        .test_invocation_run(&parse(json!({"test_id": CHAT})), second)
        .unwrap();
    assert!(result.passed);
    socket
        .test_invocation_search(&types::InvocationSearchPayload::default())
        .unwrap();

    let sent = socket.sent.borrow();
    let events: Vec<&str> = sent.iter().map(|(event, ..)| event.as_str()).collect();
    let registered: Vec<&str> = Operation::ALL.iter().filter_map(|o| o.ws_event()).collect();
    assert_eq!(
        events, registered,
        "one method per socket operation, each sending its registered name"
    );
    assert_eq!(
        events[0], "attempt.chat.voice",
        "the drifted registration is what goes on the wire"
    );
    assert_eq!(
        sent[0].1,
        Some(json!({"audio": "a", "chat_id": "c", "mime": "audio/webm"}))
    );
    assert_eq!(sent[1].1, Some(json!({"chat_id": CHAT, "text": "Hello"})));
    assert_eq!(
        sent[2].1, None,
        "a handler without payload gets no argument"
    );
    assert_eq!(
        sent[7],
        (
            "persona.get".into(),
            Some(json!({"persona_id": CHAT})),
            Some(second)
        )
    );
    assert_eq!(
        sent[8].1,
        Some(json!({"page": 1, "page_size": 12, "sort": "created_at"})),
        "defaults are sent, unset options are not"
    );
}

#[test]
fn ack_of_the_wrong_shape_is_a_decode_error() {
    struct Wrong;
    impl Emit for Wrong {
        fn emit(&self, _: &str, _: Option<Value>) -> Result<(), Error> {
            Ok(())
        }
        fn emit_with_ack(&self, _: &str, _: Option<Value>, _: Duration) -> Result<Value, Error> {
            Ok(json!({"status": 1}))
        }
    }
    let error = Wrong.system_health(Duration::from_millis(10)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the acknowledgement of `system.health`"),
        "{error}"
    );
}

/// Records every request and answers with a canned response.
struct Server {
    requests: RefCell<Vec<HttpRequest>>,
    status: u16,
    body: Value,
}

impl Call for Server {
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.requests.borrow_mut().push(request);
        Ok(HttpResponse {
            status: self.status,
            body: glow_client::serde_json::to_vec(&self.body).unwrap_or_default(),
        })
    }
}

#[test]
fn http_api_builds_requests_and_decodes_responses() {
    let server = Server {
        requests: RefCell::default(),
        status: 200,
        body: json!({"id": CHAT, "name": "Ada", "display_name": "Ada", "tags": ["x"], "created_at": "2026-11-22T01:00:00Z"}),
    };
    let id: glow_client::uuid::Uuid = CHAT.parse().unwrap();
    let persona = server.persona_read(id, Some(false)).unwrap();
    assert_eq!(persona.name, "Ada");
    assert_eq!(
        persona.visibility,
        types::Visibility::Private,
        "the recorded default"
    );
    let request = server.requests.borrow()[0].clone();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("/persona/{CHAT}"));
    assert_eq!(
        request.query,
        [("include_tags".to_owned(), "false".to_owned())]
    );
    assert_eq!(request.body, None);

    let server = Server {
        requests: RefCell::default(),
        status: 200,
        body: json!({"chat_id": CHAT, "reply": "echo: Hello"}),
    };
    let reply = server
        .attempt_chat_message(&parse(json!({"chat_id": CHAT, "text": "Hello"})))
        .unwrap();
    assert_eq!(reply.reply, "echo: Hello");
    let request = server.requests.borrow()[0].clone();
    assert_eq!(
        (request.method, request.path.as_str()),
        ("POST", "/attempt/chat/message")
    );
    assert_eq!(
        request.body,
        Some((
            "application/json",
            json!({"chat_id": CHAT, "text": "Hello"})
        ))
    );

    let failing = Server {
        requests: RefCell::default(),
        status: 422,
        body: json!({"detail": []}),
    };
    let error = failing.system_health().unwrap_err();
    assert!(
        matches!(error, Error::Invalid { ref detail, .. } if detail.is_empty()),
        "{error}"
    );
}

#[test]
fn pushes_parse_into_typed_server_events() {
    let started = ServerEvent::parse(
        "persona.search.started",
        json!({"call_id": "c1", "group_id": null, "operation_key": "persona.search", "tool": "persona.search", "role": "assistant"}),
    )
    .unwrap();
    let ServerEvent::PersonaSearchStarted(started) = started else {
        panic!("expected PersonaSearchStarted, got {started:?}");
    };
    assert_eq!(started.envelope.call_id.as_deref(), Some("c1"));

    let completed = ServerEvent::parse(
        "attempt.chat_message.completed",
        json!({"call_id": "c2", "operation_key": "attempt.chat_message", "chat_id": CHAT, "reply": "echo: hi"}),
    )
    .unwrap();
    let ServerEvent::AttemptChatMessageCompleted(completed) = completed else {
        panic!("expected AttemptChatMessageCompleted, got {completed:?}");
    };
    assert_eq!(
        completed.result.reply, "echo: hi",
        "the HTTP twin's response type is spread in"
    );

    let failed = ServerEvent::parse(
        "persona.get.failed",
        json!({"call_id": "c3", "message": "no persona", "error_type": "LookupError"}),
    )
    .unwrap();
    assert!(matches!(&failed, ServerEvent::PersonaGetFailed(f) if f.error_type == "LookupError"));

    let progress = ServerEvent::parse(
        "test.generate.progress",
        json!({"operation_key": "test.generate", "done": 1, "total": 3}),
    )
    .unwrap();
    assert!(
        matches!(&progress, ServerEvent::TestGenerateProgress(p) if p.fields["done"] == json!(1))
    );

    // `attempt/chat/voice.py` registers `attempt.chat.voice` and runs its work as
    // `attempt.chat_voice`: the server pushes `.completed` under the second name, and its
    // wrapper's `.failed` under the first. Both are read; the one it never sends is not typed.
    let voice = ServerEvent::parse(
        "attempt.chat_voice.completed",
        json!({"chat_id": "c", "bytes": 3, "mime": "audio/webm"}),
    )
    .unwrap();
    assert!(
        matches!(&voice, ServerEvent::AttemptChatVoiceCompleted(done) if done.result.bytes == 3),
        "{voice:?}"
    );
    let failed = ServerEvent::parse(
        "attempt.chat.voice.failed",
        json!({"message": "bad audio", "error_type": "ValueError"}),
    )
    .unwrap();
    assert_eq!(failed.name(), "attempt.chat.voice.failed");
    let never = ServerEvent::parse("attempt.chat.voice.completed", json!({})).unwrap();
    assert!(matches!(never, ServerEvent::Other { .. }), "{never:?}");

    let other = ServerEvent::parse("presence.joined", json!({"who": "x"})).unwrap();
    assert_eq!(
        other,
        ServerEvent::Other {
            event: "presence.joined".into(),
            payload: json!({"who": "x"})
        }
    );

    let wrong =
        ServerEvent::parse("attempt.chat_message.completed", json!({"chat_id": 5})).unwrap_err();
    assert!(
        wrong
            .to_string()
            .contains("the push `attempt.chat_message.completed`"),
        "{wrong}"
    );

    // What the handlers send, read from them: `test.invocation_run` acknowledges, and pushes
    // only the `.failed` the server's wrapper sends for every handler that raises.
    let of = |operation: &str| -> Vec<&str> {
        let prefix = format!("{operation}.");
        ServerEvent::NAMES
            .iter()
            .copied()
            .filter(|name| name.starts_with(&prefix))
            .collect()
    };
    assert_eq!(of("test.invocation_run"), ["test.invocation_run.failed"]);
    assert_eq!(
        of("test.generate"),
        [
            "test.generate.completed",
            "test.generate.failed",
            "test.generate.progress",
            "test.generate.started"
        ]
    );
    assert_eq!(
        of("attempt.chat_message"),
        [
            "attempt.chat_message.completed",
            "attempt.chat_message.failed",
            "attempt.chat_message.started",
            "attempt.chat_message.token"
        ]
    );
    assert_eq!(ServerEvent::NAMES.len(), 48);
}

#[test]
fn operation_list_names_wire_events_and_routes() {
    assert_eq!(Operation::ALL.len(), 18);
    assert_eq!(
        Operation::AttemptChatVoice.ws_event(),
        Some("attempt.chat.voice")
    );
    assert_eq!(
        Operation::AttemptChatVoice.http(),
        Some(("POST", "/attempt/chat/voice"))
    );
    assert_eq!(Operation::PersonaRead.ws_event(), None);
    assert_eq!(
        Operation::PersonaRead.http(),
        Some(("GET", "/persona/{persona_id}"))
    );
    assert_eq!(Operation::AttemptChatMessage.name(), "attempt.chat_message");
}

#[test]
fn three_doors_give_the_same_api() {
    use glow_generated::{built, macro_door};
    let names = |ops: &[&'static str]| ops.to_vec();
    let cli: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
    let built_names: Vec<&str> = built::Operation::ALL.iter().map(|o| o.name()).collect();
    let macro_names: Vec<&str> = macro_door::Operation::ALL
        .iter()
        .map(|o| o.name())
        .collect();
    assert_eq!(names(&cli), built_names);
    assert_eq!(cli, macro_names);
    assert_eq!(ServerEvent::NAMES, built::ServerEvent::NAMES);
    assert_eq!(ServerEvent::NAMES, macro_door::ServerEvent::NAMES);
    let sample = json!({"chat_id": CHAT, "text": "hi"});
    let a: types::ChatMessagePayload = parse(sample.clone());
    let b: built::types::ChatMessagePayload = parse(sample.clone());
    let c: macro_door::types::ChatMessagePayload = parse(sample.clone());
    let written = |v: &dyn erased::Json| v.json();
    assert_eq!(written(&a), written(&b));
    assert_eq!(written(&a), written(&c));
}

mod erased {
    use glow_client::serde_json::Value;

    pub trait Json {
        fn json(&self) -> Value;
    }

    impl<T: glow_client::serde::Serialize> Json for T {
        fn json(&self) -> Value {
            glow_client::serde_json::to_value(self).unwrap_or(Value::Null)
        }
    }
}

#[test]
fn a_constructor_takes_the_required_fields_and_defaults_the_rest() {
    let payload = types::PersonaCreatePayload::new("Ada".to_owned());
    assert_eq!(payload.kind, types::PersonaCreatePayloadKind::Human);
    assert_eq!(payload.visibility, types::Visibility::Private);
    // `Field(default_factory=list)`: a list, empty by default, not an `Option`.
    assert_eq!(payload.tags, Vec::<String>::new());
    let wire = glow_client::serde_json::to_value(&payload).unwrap();
    assert_eq!(wire["name"], "Ada");
    assert_eq!(wire["kind"], "human");
    assert!(
        wire.get("tags").is_none(),
        "an empty default is not sent: {wire}"
    );
    // Struct update syntax sets the others.
    let tagged = types::PersonaCreatePayload {
        tags: vec!["a".to_owned()],
        ..types::PersonaCreatePayload::new("Ada".to_owned())
    };
    let wire = glow_client::serde_json::to_value(&tagged).unwrap();
    assert_eq!(wire["tags"], glow_client::serde_json::json!(["a"]));
    // A response's list the server may leave out reads as empty.
    let persona: types::Persona =
        glow_client::serde_json::from_value(glow_client::serde_json::json!({
            "id": "00000000-0000-4000-8000-000000000001", "name": "Ada", "display_name": "Ada",
            "created_at": "2026-11-22T01:00:00Z"
        }))
        .unwrap();
    assert!(persona.tags.is_empty());
    // A type with nothing required has `Default` instead.
    assert_eq!(types::PersonaSearchPayload::default().page_size, 12);
}

/// A recorder that leaves the judging to the server.
#[derive(Default)]
struct Trusting(Recorder);

impl Emit for Trusting {
    fn emit(&self, event: &str, payload: Option<Value>) -> Result<(), Error> {
        self.0.emit(event, payload)
    }
    fn emit_with_ack(
        &self,
        event: &str,
        payload: Option<Value>,
        timeout: Duration,
    ) -> Result<Value, Error> {
        self.0.emit_with_ack(event, payload, timeout)
    }
    fn validates_payloads(&self) -> bool {
        false
    }
}

#[test]
fn an_invalid_payload_never_leaves_the_process() {
    let recorder = Recorder::default();
    let empty = types::ChatMessagePayload::new(CHAT.parse().unwrap(), String::new());
    match recorder.attempt_chat_message(&empty) {
        Err(Error::InvalidPayload { what, invalid }) => {
            assert_eq!(what, "the payload of `attempt.chat_message`");
            assert_eq!(invalid.path, "text");
            assert_eq!(invalid.constraint, "min length 1");
            assert_eq!(invalid.found, "length 0");
        }
        other => panic!("{other:?}"),
    }
    let page = types::PersonaSearchPayload {
        page_size: 500,
        ..Default::default()
    };
    let error = recorder.persona_search(&page).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the payload of `persona.search` was not sent: `page_size` breaks `maximum 100` (500)"
    );
    // A size that may be null is checked when it is there.
    let upload = types::DocumentUploadPayload {
        size: Some(-1),
        ..types::DocumentUploadPayload::new("aGk=".into(), "a.txt".into())
    };
    assert!(matches!(
        recorder.document_upload(&upload),
        Err(Error::InvalidPayload { .. })
    ));
    assert!(recorder.sent.borrow().is_empty(), "nothing was sent");

    // Valid payloads go; a transport that leaves the judging to the server sends anything.
    recorder
        .attempt_chat_message(&types::ChatMessagePayload::new(
            CHAT.parse().unwrap(),
            "hi".into(),
        ))
        .unwrap();
    assert_eq!(recorder.sent.borrow().len(), 1);
    let trusting = Trusting::default();
    trusting.attempt_chat_message(&empty).unwrap();
    assert_eq!(
        trusting.0.sent.borrow()[0].1,
        Some(json!({"chat_id": CHAT, "text": ""}))
    );

    // HTTP bodies too: the request is never made.
    let server = Server {
        requests: RefCell::default(),
        status: 200,
        body: json!({}),
    };
    assert!(matches!(
        server.attempt_chat_message(&empty),
        Err(Error::InvalidPayload { .. })
    ));
    assert!(server.requests.borrow().is_empty());
}

#[test]
fn a_filtered_client_has_its_operations_and_the_types_they_reach() {
    use glow_generated::persona_only;
    let names: Vec<&str> = persona_only::Operation::ALL
        .iter()
        .map(|operation| operation.name())
        .collect();
    assert_eq!(names, ["persona.create", "persona.search"]);
    // The types they reach are there, and work as in the whole client.
    let payload = persona_only::types::PersonaCreatePayload::new("Ada".to_owned());
    let wire = glow_client::serde_json::to_value(&payload).unwrap();
    assert_eq!(wire["kind"], "human");
    let _page: Option<persona_only::types::PersonaPage> = None;
    // Their pushes, and no other operation's.
    assert!(persona_only::ServerEvent::NAMES.contains(&"persona.search.completed"));
    assert!(
        !persona_only::ServerEvent::NAMES
            .iter()
            .any(|name| name.starts_with("attempt."))
    );
}
