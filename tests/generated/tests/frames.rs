//! The Glovebox frames, as `bindings!` expands them from `manifests/glovebox.yaml`: every frame
//! and every `FileRef` kind reads and writes its wire form, and a frame or an event type the
//! manifest does not name is kept, not an error.

use glow_client::serde_json::{self, Value, json};
use glow_generated::glovebox::{ClientMessage, ServerMessage, types};

fn round_trip<T>(wire: Value) -> T
where
    T: glow_client::serde::Serialize + glow_client::serde::de::DeserializeOwned,
{
    let decoded: T = serde_json::from_value(wire.clone()).unwrap_or_else(|e| panic!("{wire}: {e}"));
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        wire,
        "written back as read"
    );
    decoded
}

#[test]
fn every_client_frame_reads_and_writes_its_wire_form() {
    let prompt: ClientMessage = round_trip(json!({
        "type": "prompt", "id": "p1", "text": "trim it",
        "inputs": {
            "in.mp4": {"kind": "inline", "name": "in.mp4", "mime": "video/mp4", "data": "AAE="},
            "big.mp4": {"kind": "s3", "name": "big.mp4", "bucket": "b", "key": "k/big.mp4", "region": "eu-west-1"}
        },
        "outputs_policy": {"inline_below": 1024, "s3": {"bucket": "out", "prefix": "p/"}, "server_ttl": 60}
    }));
    let ClientMessage::Prompt(frame) = &prompt else {
        panic!("{prompt:?}")
    };
    assert_eq!(prompt.tag(), "prompt");
    assert!(matches!(
        frame.inputs.as_ref().unwrap()["big.mp4"],
        types::FileRef::S3 { .. }
    ));
    for wire in [
        json!({"type": "abort", "id": "p1"}),
        json!({"type": "display_resolve", "slot_id": "s1", "value": {"frame": 3}}),
        json!({"type": "display_reject", "slot_id": "s1", "error": "no"}),
        json!({"type": "ping", "ts": 1700000000000_i64}),
        json!({"type": "ping"}),
    ] {
        let frame: ClientMessage = round_trip(wire.clone());
        assert_eq!(frame.tag(), wire["type"]);
        assert!(!matches!(frame, ClientMessage::Other { .. }));
    }
    assert_eq!(
        ClientMessage::TAGS,
        [
            "abort",
            "display_reject",
            "display_resolve",
            "ping",
            "prompt"
        ]
    );
}

#[test]
fn every_server_frame_and_file_ref_kind_reads_and_writes_its_wire_form() {
    let complete: ServerMessage = round_trip(json!({
        "type": "complete", "id": "p1", "message": "done",
        "outputs": {
            "a": {"kind": "inline", "name": "a", "mime": "text/plain", "data": "aGk="},
            "b": {"kind": "url", "name": "b", "url": "https://x/b", "headers": {"X-Token": "t"}},
            "c": {"kind": "server", "name": "c", "mime": "text/plain", "size": 3, "id": "f1", "url": "http://h/files/f1"},
            "d": {"kind": "s3", "name": "d", "bucket": "b", "key": "k"},
            "e": {"kind": "gcs", "name": "e", "mime": "image/png", "bucket": "b", "object": "o"}
        }
    }));
    let ServerMessage::Complete(frame) = complete else {
        panic!()
    };
    assert_eq!(frame.outputs.len(), 5);
    for wire in [
        json!({"type": "event", "id": "p1", "event_type": "text_delta", "data": {"text": "hi"}}),
        json!({"type": "display_push", "slot": {"id": "s1", "renderer": "frame_picker", "input": [1, 2]}}),
        json!({"type": "display_clear", "slot_id": "s1"}),
        json!({"type": "error", "id": "p1", "error": {"code": "AbortError", "message": "aborted"}}),
        json!({"type": "pong", "ts": 5}),
    ] {
        let frame: ServerMessage = round_trip(wire.clone());
        assert_eq!(frame.tag(), wire["type"]);
    }
}

#[test]
fn unknown_frames_and_event_types_are_kept_not_errors() {
    let unknown: ServerMessage = round_trip(json!({"type": "telemetry", "cpu": 0.5}));
    assert_eq!(
        unknown,
        ServerMessage::Other {
            tag: "telemetry".into(),
            frame: json!({"type": "telemetry", "cpu": 0.5})
        }
    );
    let event: ServerMessage = round_trip(json!({
        "type": "event", "id": "p1", "event_type": "brand_new", "data": {"anything": [1]}
    }));
    let ServerMessage::Event(event) = event else {
        panic!()
    };
    assert_eq!(event.event_type, "brand_new");

    // A stream with an unknown frame in the middle decodes the rest.
    let stream = [
        r#"{"type":"event","id":"p","event_type":"text_delta","data":{"text":"a"}}"#,
        r#"{"type":"something_new","x":1}"#,
        r#"{"type":"complete","id":"p","message":"m","outputs":{}}"#,
    ];
    let tags: Vec<String> = stream
        .iter()
        .map(|line| {
            serde_json::from_str::<ServerMessage>(line)
                .unwrap()
                .tag()
                .to_owned()
        })
        .collect();
    assert_eq!(tags, ["event", "something_new", "complete"]);

    // What is not a frame at all is an error naming what is missing.
    let error = serde_json::from_str::<ServerMessage>(r#"{"id": "p"}"#).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("a frame without a string `type`"),
        "{error}"
    );
    let error =
        serde_json::from_str::<ServerMessage>(r#"{"type": "complete", "id": "p"}"#).unwrap_err();
    assert!(error.to_string().contains("message"), "{error}");
}

#[test]
fn a_tagged_union_checks_the_fields_of_its_variant() {
    use glow_client::validate::Validate;
    let bad = types::FileRef::Server {
        name: "r.txt".into(),
        mime: "text/plain".into(),
        size: -1,
        id: "f".into(),
        url: "http://h/files/f".into(),
    };
    let invalid = bad.validate().unwrap_err();
    assert_eq!(
        (invalid.path.as_str(), invalid.constraint.as_str()),
        ("size", "minimum 0")
    );
    // Nested in a frame, the path leads to it.
    let frame = types::PromptFrame {
        inputs: Some([("r.txt".to_owned(), bad)].into()),
        ..types::PromptFrame::new("p1".into(), "go".into())
    };
    assert_eq!(frame.validate().unwrap_err().path, "inputs.r.txt.size");
    let fine = types::FileRef::Inline {
        name: "a".into(),
        mime: "text/plain".into(),
        data: "".into(),
    };
    assert_eq!(fine.validate(), Ok(()));
}
