//! Frames produced by the Glovebox client and by the Glovebox test server, captured on the wire
//! (the server's `GET /_test/frames`), read through the types `bindings!` generates from
//! `manifests/glovebox.yaml` and written back: JSON-equal, none left as `Other` but the one the
//! server sends of a type the protocol does not name.
//!
//! Needs the fixture venv (`scripts/venv`); see `glow_test_support::python`.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use glow_client::glovebox::{DisplayEvent, GloveboxClient, PromptOptions, Update};
use glow_client::serde_json::{self, Value, json};
use glow_generated::glovebox::{ClientMessage, ServerMessage};
use glow_test_support::server::{FixtureServer, GLOVEBOX_KEY};

fn main() -> ExitCode {
    glow_test_support::python::run(&[(
        "every_frame_on_the_wire_round_trips_through_the_generated_types",
        every_frame_on_the_wire_round_trips_through_the_generated_types,
    )])
}

fn every_frame_on_the_wire_round_trips_through_the_generated_types(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let client = GloveboxClient::builder()
        .endpoint("test", server.ws_url(), GLOVEBOX_KEY)
        .build()
        .unwrap();
    let glovebox = client.glovebox("test").unwrap();
    let options = PromptOptions::new().file("in.txt", "text/plain", b"abc".to_vec());
    assert_eq!(
        glovebox
            .prompt("echo a b", options)
            .unwrap()
            .message()
            .unwrap(),
        "a b"
    );
    let picker = glovebox
        .prompt("display yes no", PromptOptions::new())
        .unwrap();
    for update in picker.updates() {
        if let Update::Display(DisplayEvent::Push(slot)) = update {
            match slot.renderer.as_str() {
                "yes" => picker.resolve(&slot.id, json!({"ok": [1, 2.5, null]})),
                _ => picker.reject(&slot.id, "no"),
            }
        }
    }
    assert!(picker.message().is_err());
    let slow = glovebox.prompt("slow 20", PromptOptions::new()).unwrap();
    slow.next_event(std::time::Duration::from_secs(10)).unwrap();
    slow.abort();
    assert!(slow.message().is_err());
    assert!(
        glovebox
            .prompt("outputs", PromptOptions::new())
            .unwrap()
            .outputs()
            .is_ok()
    );
    assert!(
        glovebox
            .prompt("unknown-frames", PromptOptions::new())
            .unwrap()
            .message()
            .is_ok()
    );
    assert!(
        glovebox
            .prompt("fail E m", PromptOptions::new())
            .unwrap()
            .message()
            .is_err()
    );
    client.close();

    let frames: Vec<Value> =
        serde_json::from_str(&http_get(&server.url(), "/_test/frames")).unwrap();
    let mut tags = std::collections::BTreeSet::new();
    let mut others = Vec::new();
    for frame in &frames {
        let text = frame["text"].as_str().unwrap();
        let wire: Value = serde_json::from_str(text).unwrap();
        let (tag, written, other) = match frame["from"].as_str() {
            Some("client") => {
                let decoded: ClientMessage = serde_json::from_str(text).unwrap();
                let other = matches!(decoded, ClientMessage::Other { .. });
                (
                    format!("client {}", decoded.tag()),
                    serde_json::to_value(&decoded).unwrap(),
                    other,
                )
            }
            _ => {
                let decoded: ServerMessage = serde_json::from_str(text).unwrap();
                let other = matches!(decoded, ServerMessage::Other { .. });
                (
                    format!("server {}", decoded.tag()),
                    serde_json::to_value(&decoded).unwrap(),
                    other,
                )
            }
        };
        assert_eq!(written, wire, "{text}");
        if other {
            others.push(tag.clone());
        }
        tags.insert(tag);
    }
    assert_eq!(others, ["server telemetry"]);
    for expected in [
        "client prompt",
        "client display_resolve",
        "client display_reject",
        "client abort",
        "server event",
        "server display_push",
        "server display_clear",
        "server complete",
        "server error",
    ] {
        assert!(tags.contains(expected), "{expected} in {tags:?}");
    }
}

fn http_get(base: &str, path: &str) -> String {
    let authority = base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_once("\r\n\r\n").unwrap().1.to_owned()
}
