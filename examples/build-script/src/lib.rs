//! A client crate whose bindings come from its build script (see `build.rs`): the manifest is
//! read at build time and the code lands in `OUT_DIR`.

include!(concat!(env!("OUT_DIR"), "/glow.rs"));

/// Searches personas over any socket transport: the event name and payload shape are checked by
/// the compiler.
pub fn search_personas(
    socket: &impl glow_client::Emit,
    query: &str,
) -> Result<(), glow_client::Error> {
    socket.persona_search(&types::PersonaSearchPayload {
        query: Some(query.to_owned()),
        ..Default::default()
    })
}

/// The README's example: a socket and an HTTP client on a Glow server, with typed calls and pushes.
pub fn talk(
    url: &str,
    token: &str,
    chat_id: glow_client::uuid::Uuid,
) -> Result<(), glow_client::Error> {
    use std::time::Duration;
    let socket = glow_client::Socket::builder(url).bearer(token).connect()?;
    let page = socket.call_persona_search(
        &types::PersonaSearchPayload::default(),
        Duration::from_secs(5),
    )?;
    println!("{} personas", page.result.total);
    socket.attempt_chat_message(&types::ChatMessagePayload {
        chat_id,
        text: "Hello".into(),
        persona_id: None,
    })?;
    while let Some(push) = socket.next_push(Duration::from_millis(500))? {
        match ServerEvent::parse(&push.event, push.payload)? {
            ServerEvent::AttemptChatMessageCompleted(done) => {
                println!("reply: {}", done.result.reply)
            }
            other => println!("{}", other.name()),
        }
    }
    let http = glow_client::Http::builder(url).bearer(token).build()?;
    println!("server {}", http.system_health()?.version);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::time::Duration;

    use glow_client::serde_json::{Value, json};
    use glow_client::{Emit, Error};

    #[derive(Default)]
    struct Recorder(RefCell<Vec<(String, Option<Value>)>>);

    impl Emit for Recorder {
        fn emit(&self, event: &str, payload: Option<Value>) -> Result<(), Error> {
            self.0.borrow_mut().push((event.to_owned(), payload));
            Ok(())
        }

        fn emit_with_ack(&self, _: &str, _: Option<Value>, _: Duration) -> Result<Value, Error> {
            Ok(Value::Null)
        }
    }

    #[test]
    fn search_sends_the_registered_event_with_defaults() {
        let socket = Recorder::default();
        super::search_personas(&socket, "ada").unwrap();
        let sent = socket.0.borrow();
        assert_eq!(sent[0].0, "persona.search");
        assert_eq!(
            sent[0].1,
            Some(json!({"page": 1, "page_size": 12, "query": "ada", "sort": "created_at"}))
        );
    }
}
