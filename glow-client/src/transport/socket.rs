//! `Socket`: a socket.io connection (rust_socketio) behind a blocking API — connect with a bearer,
//! emit, wait for acknowledgements and pushes — on which every generated `SocketApi` method works.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rust_socketio::asynchronous::{Client, ClientBuilder, ReconnectSettings};
use rust_socketio::{Event, Payload, TransportType};
use serde_json::{Value, json};

use super::inbox::{Connection, Inbox, Ready};
use crate::Error;
use crate::bearer::Bearer;
use crate::push::{Failed, Push};
use crate::socket::{Emit, RunOperation};

/// How long `connect` waits for the server's answer, unless told otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a lost connection is given to come back before calls fail, unless told otherwise.
pub const DEFAULT_RECONNECT_WINDOW: Duration = Duration::from_secs(15);

/// Settings for [`Socket::connect`](SocketBuilder::connect).
///
/// ```no_run
/// let socket = glow_client::Socket::builder("http://127.0.0.1:8000")
///     .bearer("eyJhbGciOi...")
///     .connect()?;
/// # Ok::<(), glow_client::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SocketBuilder {
    url: String,
    bearer: Option<Bearer>,
    connect_timeout: Duration,
    reconnect_window: Duration,
    validate: bool,
}

impl SocketBuilder {
    /// Whether generated calls check their payload against its constraints before emitting it
    /// (default: yes); `false` leaves the judging to the server.
    pub fn validate_payloads(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// Sends `{"token": "Bearer <token>"}` as the socket.io auth payload, at the first connect and
    /// at every reconnect. A token that already starts with `Bearer ` is not doubled.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(Bearer::new(token));
        self
    }

    /// How long [`connect`](Self::connect) waits for the server to answer the handshake
    /// (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a lost connection is given to come back before calls and
    /// [`Socket::next_push`] fail with [`Error::Disconnected`] (default 15 s; the transport
    /// keeps trying meanwhile, sending the bearer again).
    pub fn reconnect_window(mut self, window: Duration) -> Self {
        self.reconnect_window = window;
        self
    }

    /// Connects, and returns once the server has accepted the handshake: [`Error::Unauthorized`]
    /// when it refuses, [`Error::Connect`] naming the URL when nothing listens,
    /// [`Error::ConnectTimeout`] when nothing answers in time.
    pub fn connect(self) -> Result<Socket, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("glow-socket")
            .enable_all()
            .build()
            .map_err(Error::transport)?;
        let inbox = Arc::new(Inbox::default());
        inbox.set_connection(Connection::Connecting);
        let started = Instant::now();
        let deadline = started + self.connect_timeout;
        let builder = client_builder(&self.url, self.bearer.as_ref(), &inbox);
        let connected = runtime.block_on(async {
            tokio::time::timeout(self.connect_timeout, builder.connect()).await
        });
        let socket = |client: Client| Socket {
            url: self.url.clone(),
            client,
            inbox: inbox.clone(),
            runtime: Some(runtime),
            reconnect_window: self.reconnect_window,
            validate: self.validate,
            acks: Mutex::new(()),
            operations: Mutex::new(HashMap::new()),
        };
        let socket = match connected {
            Err(_) => {
                return Err(Error::ConnectTimeout {
                    url: self.url.clone(),
                    timeout: self.connect_timeout,
                });
            }
            Ok(Err(error)) => {
                return Err(Error::Connect {
                    url: self.url.clone(),
                    message: crate::error::with_sources(&error),
                });
            }
            Ok(Ok(client)) => socket(client),
        };
        match inbox.wait_for_handshake(deadline) {
            Some(Connection::Connected) => Ok(socket),
            Some(Connection::Refused(message)) => Err(Error::Unauthorized {
                at: self.url,
                message,
            }),
            Some(Connection::Closed(reason) | Connection::Lost { reason, .. }) => {
                Err(Error::Connect {
                    url: self.url,
                    message: reason,
                })
            }
            Some(Connection::Connecting) | None => Err(Error::ConnectTimeout {
                url: self.url,
                timeout: self.connect_timeout,
            }),
        }
    }
}

/// The rust_socketio client, its callbacks feeding `inbox`.
fn client_builder(url: &str, bearer: Option<&Bearer>, inbox: &Arc<Inbox>) -> ClientBuilder {
    let mut builder = ClientBuilder::new(url)
        .namespace("/")
        .transport_type(TransportType::Websocket)
        .reconnect(true)
        .reconnect_on_disconnect(false)
        .reconnect_delay(100, 1_000);
    if let Some(bearer) = bearer {
        builder = builder.auth(json!({ "token": bearer.header_value() }));
    }
    let connected = inbox.clone();
    let refused = inbox.clone();
    let reconnecting = inbox.clone();
    let closed = inbox.clone();
    let pushes = inbox.clone();
    builder
        .on(Event::Connect, move |_, _| {
            connected.set_connection(Connection::Connected);
            Box::pin(async {})
        })
        .on(Event::Error, move |payload, client| {
            // Only a refused handshake matters here: a dropped connection shows as a reconnect.
            let text = payload_text(&payload);
            match text.strip_prefix("Received an ConnectError frame: ") {
                Some(data) => {
                    refused.set_connection(Connection::Refused(refusal_message(data)));
                    Box::pin(async move {
                        let _ = client.disconnect().await;
                    })
                }
                None => Box::pin(async {}),
            }
        })
        .on_reconnect(move || {
            reconnecting.lose("the connection dropped".to_owned());
            Box::pin(async { ReconnectSettings::new() })
        })
        .on(Event::Close, move |_, _| {
            closed.set_connection(Connection::Closed(
                "the server closed the connection".to_owned(),
            ));
            Box::pin(async {})
        })
        .on_any(move |event, payload, _| {
            pushes.deliver(Push {
                event: event.to_string(),
                payload: arguments(payload),
            });
            Box::pin(async {})
        })
}

/// A socket.io connection to a Glow-style server.
///
/// `Socket` is `Send + Sync`: threads share one `&Socket` to emit. Every event the server sends
/// is kept, in arrival order, for [`next_push`](Self::next_push) — including events no manifest
/// names — except the `.completed`/`.failed` outcome claimed by a
/// [`run_operation`](RunOperation::run_operation) in flight. When the connection drops the
/// transport reconnects (sending the bearer again); calls made meanwhile wait for it, for at most
/// the [reconnect window](SocketBuilder::reconnect_window).
pub struct Socket {
    url: String,
    client: Client,
    inbox: Arc<Inbox>,
    runtime: Option<tokio::runtime::Runtime>,
    reconnect_window: Duration,
    validate: bool,
    /// One acknowledged emit at a time: rust_socketio draws ack ids at random from 0..999.
    acks: Mutex<()>,
    /// One `run_operation` per operation at a time, so that each outcome push has one owner.
    operations: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("url", &self.url)
            .field("connection", &self.inbox.connection())
            .finish_non_exhaustive()
    }
}

impl Socket {
    /// Settings for a connection to `url` (`http://host:port`; socket.io's path is added).
    pub fn builder(url: impl Into<String>) -> SocketBuilder {
        SocketBuilder {
            url: url.into(),
            validate: true,
            bearer: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            reconnect_window: DEFAULT_RECONNECT_WINDOW,
        }
    }

    /// The URL connected to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the connection is up right now.
    pub fn is_connected(&self) -> bool {
        matches!(self.inbox.connection(), Some(Connection::Connected))
    }

    /// The next event the server sent, waiting up to `timeout`; `None` when none came.
    /// [`Error::Disconnected`] when none is left and the connection is gone for good.
    pub fn next_push(&self, timeout: Duration) -> Result<Option<Push>, Error> {
        self.inbox
            .next_push(Instant::now() + timeout, self.reconnect_window)
            .map_err(|reason| self.disconnected(reason))
    }

    /// The next event already received, without waiting.
    pub fn try_next_push(&self) -> Result<Option<Push>, Error> {
        self.next_push(Duration::ZERO)
    }

    /// Closes the connection. Later calls fail with [`Error::Disconnected`].
    pub fn close(&self) {
        self.inbox
            .set_connection(Connection::Closed("the socket was closed".to_owned()));
        if let Some(runtime) = &self.runtime {
            let _ = runtime.block_on(self.client.disconnect());
        }
    }

    fn disconnected(&self, reason: String) -> Error {
        Error::Disconnected {
            url: self.url.clone(),
            reason,
        }
    }

    fn runtime(&self) -> Result<&tokio::runtime::Runtime, Error> {
        self.runtime
            .as_ref()
            .ok_or_else(|| self.disconnected("the socket was closed".to_owned()))
    }

    /// Waits until the connection is up: at most until `deadline`, and at most the reconnect
    /// window.
    fn ready(&self, deadline: Instant) -> Result<(), Error> {
        let deadline = deadline.min(Instant::now() + self.reconnect_window);
        match self.inbox.wait_connected(deadline, self.reconnect_window) {
            Ready::Connected => Ok(()),
            Ready::Gone(reason) => Err(self.disconnected(reason)),
            Ready::NotYet => {
                Err(self
                    .disconnected("not connected again before the call's time ran out".to_owned()))
            }
        }
    }

    /// Sends one event, once the connection is up (waiting at most until `deadline`).
    fn send(&self, event: &str, payload: Option<Value>, deadline: Instant) -> Result<(), Error> {
        self.ready(deadline)?;
        let runtime = self.runtime()?;
        let sent = runtime.block_on(self.client.emit(event, to_payload(payload)));
        sent.map_err(|error| self.send_error(error))
    }

    fn send_error(&self, error: rust_socketio::Error) -> Error {
        self.inbox.lose(error.to_string());
        match self.inbox.connection() {
            Some(Connection::Connected) | None => Error::transport(error),
            _ => self.disconnected(error.to_string()),
        }
    }

    /// The lock that keeps one `run_operation` of `event` in flight.
    fn operation_turn(&self, event: &str) -> Arc<Mutex<()>> {
        let mut turns = self
            .operations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        turns.entry(event.to_owned()).or_default().clone()
    }
}

impl Emit for Socket {
    fn validates_payloads(&self) -> bool {
        self.validate
    }

    fn emit(&self, event: &str, payload: Option<Value>) -> Result<(), Error> {
        self.send(event, payload, Instant::now() + self.reconnect_window)
    }

    fn emit_with_ack(
        &self,
        event: &str,
        payload: Option<Value>,
        timeout: Duration,
    ) -> Result<Value, Error> {
        let _turn = self
            .acks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.ready(Instant::now() + timeout)?;
        let runtime = self.runtime()?;
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let sent = runtime.block_on(self.client.emit_with_ack(
            event,
            to_payload(payload),
            timeout,
            move |payload, _| {
                let _ = sender.try_send(payload);
                Box::pin(async {})
            },
        ));
        sent.map_err(|error| self.send_error(error))?;
        match receiver.recv_timeout(timeout) {
            Ok(payload) => Ok(acknowledged(payload)),
            Err(_) => Err(Error::AckTimeout {
                event: event.to_owned(),
                timeout,
            }),
        }
    }
}

impl RunOperation for Socket {
    fn run_operation(
        &self,
        event: &str,
        payload: Option<Value>,
        names: &[&str],
        timeout: Duration,
    ) -> Result<Value, Error> {
        let deadline = Instant::now() + timeout;
        let turn = self.operation_turn(event);
        let _turn = turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let outcomes = names
            .iter()
            .flat_map(|name| [format!("{name}.completed"), format!("{name}.failed")])
            .collect();
        let claim = self.inbox.claim(outcomes);
        if let Err(error) = self.send(event, payload, deadline) {
            let _ = self
                .inbox
                .settle(claim, Instant::now(), self.reconnect_window);
            return Err(error);
        }
        match self.inbox.settle(claim, deadline, self.reconnect_window) {
            Ok(Some(push)) if push.event.ends_with(".failed") => Err(Error::Failed {
                event: event.to_owned(),
                failed: Box::new(crate::push::decode::<Failed>(&push.event, push.payload)?),
            }),
            Ok(Some(push)) => Ok(push.payload),
            Ok(None) => Err(Error::OutcomeTimeout {
                event: event.to_owned(),
                timeout,
            }),
            Err(reason) => Err(self.disconnected(reason)),
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            let client = self.client.clone();
            let _ = runtime.block_on(async move {
                tokio::time::timeout(Duration::from_millis(500), client.disconnect()).await
            });
            runtime.shutdown_background();
        }
    }
}

/// What the server sent as an event's arguments: the first one, `null` for none, an array
/// for several.
fn arguments(payload: Payload) -> Value {
    match payload {
        Payload::Text(mut values) => match values.len() {
            0 => Value::Null,
            1 => values.remove(0),
            _ => Value::Array(values),
        },
        Payload::Binary(bytes) => Value::Array(bytes.iter().map(|b| Value::from(*b)).collect()),
        #[allow(deprecated)]
        Payload::String(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// A handler's return value from its acknowledgement: python-socketio sends the return value as
/// an argument list (`[]` for `None`, `[value]`, or a tuple's items).
fn acknowledged(payload: Payload) -> Value {
    match arguments(payload) {
        Value::Array(mut items) => match items.len() {
            0 => Value::Null,
            1 => items.remove(0),
            _ => Value::Array(items),
        },
        other => other,
    }
}

fn to_payload(payload: Option<Value>) -> Payload {
    match payload {
        Some(value) => Payload::Text(vec![value]),
        None => Payload::Text(Vec::new()),
    }
}

fn payload_text(payload: &Payload) -> String {
    match payload {
        Payload::Text(values) => values
            .iter()
            .map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        Payload::Binary(_) => "binary data".to_owned(),
        #[allow(deprecated)]
        Payload::String(text) => text.clone(),
    }
}

/// The server's message from a CONNECT_ERROR frame (`{"message": "..."}`).
fn refusal_message(data: &str) -> String {
    match serde_json::from_str::<Value>(data) {
        Ok(Value::Object(fields)) => match fields.get("message") {
            Some(Value::String(message)) => message.clone(),
            _ => data.to_owned(),
        },
        Ok(Value::String(message)) => message,
        _ => data.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgements_unwrap_python_socketios_argument_list() {
        let ack =
            |text: &str| acknowledged(Payload::Text(vec![serde_json::from_str(text).unwrap()]));
        assert_eq!(ack("[]"), Value::Null);
        assert_eq!(ack(r#"[{"status":"ok"}]"#), json!({"status": "ok"}));
        assert_eq!(ack("[1, 2]"), json!([1, 2]));
        assert_eq!(ack("[[1, 2]]"), json!([1, 2]));
    }

    #[test]
    fn a_refusal_carries_the_servers_message() {
        assert_eq!(
            refusal_message(r#"{"message":"a valid bearer token is required"}"#),
            "a valid bearer token is required"
        );
        assert_eq!(
            refusal_message("\"No error message provided\""),
            "No error message provided"
        );
    }

    #[test]
    fn socket_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Socket>();
    }
}
