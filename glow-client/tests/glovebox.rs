//! The Glovebox client against the Glovebox test server (`tests/glovebox-server`, protocol v1 over
//! a plain WebSocket under uvicorn): every member of a prompt's result, every lifecycle and error
//! rule, auth refusal, storage and send errors.
//!
//! Needs the fixture venv (`scripts/venv`); see `glow_test_support::python`. Each test starts its
//! own server on a free loopback port and stops it when it ends.

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use glow_client::Error;
use glow_client::glovebox::{
    ClientStorage, DefaultClientStorage, DisplayEvent, FileRef, GloveboxClient, PromptOptions,
    PromptResult, Update,
};
use glow_client::serde_json::{self, Value, json};
use glow_test_support::server::{FixtureServer, GLOVEBOX_KEY};

const WAIT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    glow_test_support::python::run(&[
        (
            "a_prompt_streams_its_events_then_settles_its_message",
            a_prompt_streams_its_events_then_settles_its_message,
        ),
        (
            "display_slots_are_answered_and_fan_out_to_every_prompt_in_flight",
            display_slots_are_answered_and_fan_out_to_every_prompt_in_flight,
        ),
        (
            "a_rejected_slot_and_an_error_frame_fail_only_their_prompt",
            a_rejected_slot_and_an_error_frame_fail_only_their_prompt,
        ),
        (
            "abort_ends_a_running_prompt_with_abort_error_and_no_complete",
            abort_ends_a_running_prompt_with_abort_error_and_no_complete,
        ),
        (
            "files_go_through_the_storage_and_outputs_are_read_back",
            files_go_through_the_storage_and_outputs_are_read_back,
        ),
        (
            "a_custom_storage_gets_the_key_for_server_refs_only",
            a_custom_storage_gets_the_key_for_server_refs_only,
        ),
        (
            "the_socket_opens_lazily_once_per_box_and_the_environment_is_cached",
            the_socket_opens_lazily_once_per_box_and_the_environment_is_cached,
        ),
        (
            "a_server_close_fails_prompts_in_flight_and_closes_the_box",
            a_server_close_fails_prompts_in_flight_and_closes_the_box,
        ),
        (
            "closing_a_box_or_the_client_fails_prompts_in_flight",
            closing_a_box_or_the_client_fails_prompts_in_flight,
        ),
        (
            "a_refused_key_is_unauthorized_on_the_socket_and_over_http",
            a_refused_key_is_unauthorized_on_the_socket_and_over_http,
        ),
        (
            "send_failures_reach_listeners_until_they_unregister",
            send_failures_reach_listeners_until_they_unregister,
        ),
        (
            "unknown_frames_and_event_types_do_not_break_the_stream",
            unknown_frames_and_event_types_do_not_break_the_stream,
        ),
    ])
}

fn client(server: &FixtureServer) -> GloveboxClient {
    GloveboxClient::builder()
        .endpoint("test", server.ws_url(), GLOVEBOX_KEY)
        .build()
        .unwrap()
}

/// The server's counters (`GET /_test/stats`).
fn stats(server: &FixtureServer) -> Value {
    let body = http_get(&format!("{}/_test/stats", server.url()));
    serde_json::from_str(&body).unwrap()
}

fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_once("\r\n\r\n").unwrap().1.to_owned()
}

fn prompt_failure(result: &PromptResult) -> (String, String) {
    match result.message() {
        Err(Error::PromptFailed { code, message }) => (code, message),
        other => panic!("expected an error frame, got {other:?}"),
    }
}

fn a_prompt_streams_its_events_then_settles_its_message(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let result = glovebox
        .prompt("echo hello brave world", PromptOptions::new())
        .unwrap();
    assert!(!result.id().is_empty());
    let events: Vec<_> = result.events().collect();
    let texts: Vec<&str> = events.iter().filter_map(|e| e.text()).collect();
    assert_eq!(texts, ["hello ", "brave ", "world"]);
    let last = events.last().unwrap();
    assert_eq!(last.event_type, "token_consumption");
    assert_eq!(last.data, json!({"input": 3, "output": 3}));
    assert_eq!(result.message().unwrap(), "hello brave world");
    assert!(result.outputs().unwrap().is_empty());
    // Settled values stay readable; the display stream ended with the prompt.
    assert_eq!(result.message().unwrap(), "hello brave world");
    assert_eq!(result.display().count(), 0);
    assert_eq!(
        result.updates().count(),
        4,
        "the updates view has its own place"
    );

    // Prompts run one at a time on the server, in the order sent.
    let first = glovebox.prompt("slow 3", PromptOptions::new()).unwrap();
    let second = glovebox.prompt("echo after", PromptOptions::new()).unwrap();
    assert_eq!(second.message().unwrap(), "after");
    assert_eq!(
        first.message_within(Duration::ZERO).map(|m| m.unwrap()),
        Some("done".to_owned())
    );
}

fn display_slots_are_answered_and_fan_out_to_every_prompt_in_flight(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let picker = Arc::new(
        glovebox
            .prompt("display frame_picker confirm", PromptOptions::new())
            .unwrap(),
    );
    let queued = glovebox.prompt("echo next", PromptOptions::new()).unwrap();

    // Another thread answers the slots as they come, from the display stream alone.
    let answering = {
        let picker = picker.clone();
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            for event in picker.display() {
                if let DisplayEvent::Push(slot) = &event {
                    let answer = match slot.renderer.as_str() {
                        "frame_picker" => json!({"frame": 42}),
                        _ => json!(true),
                    };
                    picker.resolve(&slot.id, answer);
                }
                seen.push(event);
            }
            seen
        })
    };
    assert_eq!(picker.message().unwrap(), r#"[{"frame":42},true]"#);
    let seen = answering.join().unwrap();
    let id = picker.id();
    assert_eq!(
        seen,
        [
            DisplayEvent::Push(slot(
                &format!("{id}-slot-1"),
                "frame_picker",
                json!({"prompt": id, "k": 1})
            )),
            DisplayEvent::Clear {
                slot_id: format!("{id}-slot-1")
            },
            DisplayEvent::Push(slot(
                &format!("{id}-slot-2"),
                "confirm",
                json!({"prompt": id, "k": 2})
            )),
            DisplayEvent::Clear {
                slot_id: format!("{id}-slot-2")
            },
        ]
    );
    let resolved: Vec<Value> = picker
        .events()
        .filter(|e| e.event_type == "display_resolved")
        .map(|e| e.data)
        .collect();
    assert_eq!(
        resolved[0],
        json!({"slot_id": format!("{id}-slot-1"), "value": {"frame": 42}})
    );

    // The second prompt was in flight the whole time: it saw the same slots.
    let fanned: Vec<DisplayEvent> = queued.display().collect();
    assert_eq!(fanned, seen);
    assert_eq!(queued.message().unwrap(), "next");
}

fn slot(id: &str, renderer: &str, input: Value) -> glow_client::glovebox::WireSlot {
    glow_client::glovebox::WireSlot {
        id: id.to_owned(),
        renderer: renderer.to_owned(),
        input,
    }
}

fn a_rejected_slot_and_an_error_frame_fail_only_their_prompt(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let result = glovebox
        .prompt("display confirm", PromptOptions::new())
        .unwrap();
    for update in result.updates() {
        if let Update::Display(DisplayEvent::Push(slot)) = update {
            result.reject(&slot.id, "the user said no");
        }
    }
    assert_eq!(
        prompt_failure(&result),
        ("DisplayRejected".to_owned(), "the user said no".to_owned())
    );
    match result.outputs() {
        Err(Error::PromptFailed { code, .. }) => assert_eq!(code, "DisplayRejected"),
        other => panic!("{other:?}"),
    }

    let failed = glovebox
        .prompt("fail TypeError bad input here", PromptOptions::new())
        .unwrap();
    assert_eq!(
        prompt_failure(&failed),
        ("TypeError".to_owned(), "bad input here".to_owned())
    );
    assert!(
        failed
            .message()
            .unwrap_err()
            .to_string()
            .contains("TypeError: bad input here")
    );
    assert_eq!(
        failed.events().count(),
        0,
        "the streams ended with the prompt"
    );

    // The connection stays: the next prompt on the same box completes.
    assert!(!glovebox.is_closed());
    let after = glovebox.prompt("echo still", PromptOptions::new()).unwrap();
    assert_eq!(after.message().unwrap(), "still");
    assert_eq!(stats(&server)["connections"], 1);
}

fn abort_ends_a_running_prompt_with_abort_error_and_no_complete(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let result = glovebox.prompt("slow 50", PromptOptions::new()).unwrap();
    let first = result.next_event(WAIT).unwrap().unwrap();
    assert_eq!(first.text(), Some("0"));
    result.abort();
    assert_eq!(prompt_failure(&result).0, "AbortError");
    let events: Vec<_> = result.events().collect();
    assert!(
        events.len() < 49,
        "aborted before the end: {} events",
        events.len()
    );

    // Aborting a prompt that has ended is ignored by the server; the box goes on.
    result.abort();
    let next = glovebox.prompt("echo fine", PromptOptions::new()).unwrap();
    assert_eq!(next.message().unwrap(), "fine");
}

fn files_go_through_the_storage_and_outputs_are_read_back(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let prebuilt = FileRef::Inline {
        name: "pre.txt".into(),
        mime: "text/plain".into(),
        data: "cHJlYnVpbHQ=".into(),
    };
    let options = PromptOptions::new()
        .file(
            "in.bin",
            "application/octet-stream",
            vec![0, 159, 146, 150, 255],
        )
        .input("pre.txt", prebuilt);
    let result = glovebox.prompt("outputs", options).unwrap();
    let outputs = result.outputs().unwrap();
    let names: Vec<&str> = outputs.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["echo-in.bin", "echo-pre.txt", "note.txt", "report.txt"]
    );
    assert!(matches!(outputs["report.txt"], FileRef::Server { .. }));
    assert_eq!(result.read("note.txt").unwrap(), b"hello from glovebox");
    assert_eq!(result.read("report.txt").unwrap(), b"report body");
    assert_eq!(result.read("echo-in.bin").unwrap(), [0, 159, 146, 150, 255]);
    assert_eq!(result.read("echo-pre.txt").unwrap(), b"prebuilt");
    assert_eq!(
        stats(&server)["file_requests"],
        3,
        "server refs fetched with the key"
    );
    match result.read("missing.txt") {
        Err(Error::NoSuchOutput { name, available }) => {
            assert_eq!(name, "missing.txt");
            assert_eq!(available.len(), 4);
        }
        other => panic!("{other:?}"),
    }
}

/// What a [`Recording`] storage was asked.
#[derive(Default)]
struct Asked {
    puts: Mutex<Vec<String>>,
    gets: Mutex<Vec<(String, Option<String>)>>,
}

/// A storage that records what it is asked, and delegates to the default one.
struct Recording {
    inner: DefaultClientStorage,
    asked: Arc<Asked>,
}

impl ClientStorage for Recording {
    fn put(&self, name: &str, mime: &str, bytes: &[u8]) -> Result<FileRef, Error> {
        self.asked
            .puts
            .lock()
            .unwrap()
            .push(format!("{name} {mime} {}", bytes.len()));
        self.inner.put(name, mime, bytes)
    }

    fn get(&self, file: &FileRef, bearer: Option<&str>) -> Result<Vec<u8>, Error> {
        let name = match file {
            FileRef::Inline { name, .. }
            | FileRef::Server { name, .. }
            | FileRef::Url { name, .. } => name.clone(),
            FileRef::S3 { name, .. } | FileRef::Gcs { name, .. } => name.clone(),
        };
        self.asked
            .gets
            .lock()
            .unwrap()
            .push((name, bearer.map(str::to_owned)));
        self.inner.get(file, bearer)
    }
}

fn a_custom_storage_gets_the_key_for_server_refs_only(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let asked = Arc::new(Asked::default());
    let storage = Recording {
        inner: DefaultClientStorage::new().unwrap(),
        asked: asked.clone(),
    };
    let client = GloveboxClient::builder()
        .endpoint("test", server.ws_url(), GLOVEBOX_KEY)
        .storage(storage)
        .build()
        .unwrap();
    let glovebox = client.glovebox("test").unwrap();
    let result = glovebox
        .prompt(
            "outputs",
            PromptOptions::new().file("a.txt", "text/plain", b"abc".to_vec()),
        )
        .unwrap();
    assert_eq!(result.read("note.txt").unwrap(), b"hello from glovebox");
    assert_eq!(result.read("echo-a.txt").unwrap(), b"abc");
    assert_eq!(*asked.puts.lock().unwrap(), ["a.txt text/plain 3"]);
    assert_eq!(
        *asked.gets.lock().unwrap(),
        [
            ("note.txt".to_owned(), None),
            ("echo-a.txt".to_owned(), Some(GLOVEBOX_KEY.to_owned()))
        ]
    );
}

fn the_socket_opens_lazily_once_per_box_and_the_environment_is_cached(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    assert!(
        Arc::ptr_eq(&glovebox, &client.glovebox("test").unwrap()),
        "cached"
    );
    let environment = glovebox.environment().unwrap();
    assert_eq!(environment.protocol_version, 1);
    assert_eq!(environment.name, "glovebox-test");
    assert_eq!(environment.packages.apt, ["ffmpeg"]);
    assert!(
        environment.packages.npm.is_empty(),
        "left out reads as none"
    );
    assert_eq!(glovebox.environment().unwrap(), environment);
    let counters = stats(&server);
    assert_eq!(
        counters["environment_requests"], 1,
        "cached after the first call"
    );
    assert_eq!(
        counters["connections"], 0,
        "no socket before the first prompt"
    );
    for word in ["one", "two"] {
        let result = glovebox
            .prompt(format!("echo {word}"), PromptOptions::new())
            .unwrap();
        assert_eq!(result.message().unwrap(), word);
    }
    assert_eq!(
        stats(&server)["connections"],
        1,
        "one socket, prompts multiplexed"
    );
    match client.glovebox("nope") {
        Err(Error::UnknownEndpoint { name, known }) => {
            assert_eq!((name.as_str(), known), ("nope", vec!["test".to_owned()]));
        }
        other => panic!("{other:?}"),
    }
}

fn a_server_close_fails_prompts_in_flight_and_closes_the_box(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let closing = glovebox.prompt("close", PromptOptions::new()).unwrap();
    let queued = glovebox.prompt("echo never", PromptOptions::new()).unwrap();
    for result in [&closing, &queued] {
        match result.message() {
            Err(Error::ConnectionClosed) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(
            result.message().unwrap_err().to_string(),
            "connection closed"
        );
        assert_eq!(result.events().count(), 0);
    }
    assert!(glovebox.is_closed());
    match glovebox.prompt("echo again", PromptOptions::new()) {
        Err(Error::BoxClosed { name }) => assert_eq!(name, "test"),
        other => panic!("{other:?}"),
    }
    // No reconnect: a fresh box comes from the client.
    let fresh = client.glovebox("test").unwrap();
    assert!(!Arc::ptr_eq(&fresh, &glovebox));
    assert_eq!(
        fresh
            .prompt("echo again", PromptOptions::new())
            .unwrap()
            .message()
            .unwrap(),
        "again"
    );
}

fn closing_a_box_or_the_client_fails_prompts_in_flight(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let running = glovebox.prompt("slow 100", PromptOptions::new()).unwrap();
    running.next_event(WAIT).unwrap();
    glovebox.close();
    match running.message() {
        Err(Error::BoxClosed { name }) => assert_eq!(name, "test"),
        other => panic!("{other:?}"),
    }
    assert!(
        running.events().count() < 100,
        "the stream ended at the close"
    );
    assert!(matches!(
        glovebox.prompt("echo x", PromptOptions::new()),
        Err(Error::BoxClosed { .. })
    ));

    let other = client.glovebox("test").unwrap();
    let running = other.prompt("slow 100", PromptOptions::new()).unwrap();
    running.next_event(WAIT).unwrap();
    client.close();
    assert!(matches!(running.message(), Err(Error::BoxClosed { .. })));
    assert!(other.is_closed());
}

fn a_refused_key_is_unauthorized_on_the_socket_and_over_http(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = GloveboxClient::builder()
        .endpoint("test", server.ws_url(), "wrong-key")
        .build()
        .unwrap();
    let glovebox = client.glovebox("test").unwrap();
    let started = Instant::now();
    let result = glovebox.prompt("echo hi", PromptOptions::new()).unwrap();
    match result.message() {
        Err(Error::Unauthorized { at, message }) => {
            assert_eq!(at, server.ws_url());
            assert!(message.contains("401"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < WAIT);
    assert!(glovebox.is_closed(), "no reconnect in v1");
    assert!(matches!(
        glovebox.environment(),
        Err(Error::Unauthorized { .. })
    ));
    assert_eq!(stats(&server)["connections"], 0);
}

fn send_failures_reach_listeners_until_they_unregister(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let result = glovebox.prompt("echo ok", PromptOptions::new()).unwrap();
    assert_eq!(result.message().unwrap(), "ok");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let subscription = {
        let seen = seen.clone();
        glovebox.on_send_error(move |error| seen.lock().unwrap().push(error.to_string()))
    };
    glovebox.close();
    result.resolve("slot-1", json!(1));
    result.abort();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "not sent: the box `test` has no open session",
            "not sent: the box `test` has no open session"
        ]
    );
    subscription.off();
    result.reject("slot-1", "no");
    assert_eq!(seen.lock().unwrap().len(), 2, "unregistered");
}

fn unknown_frames_and_event_types_do_not_break_the_stream(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = client(&server);
    let glovebox = client.glovebox("test").unwrap();
    let result = glovebox
        .prompt("unknown-frames", PromptOptions::new())
        .unwrap();
    let events: Vec<_> = result.events().collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "brand_new_event");
    assert_eq!(events[0].data, json!({"anything": [1, 2]}));
    assert_eq!(result.message().unwrap(), "still here");
}
