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
