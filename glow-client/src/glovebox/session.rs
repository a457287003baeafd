//! One endpoint's box: a WebSocket session opened at the first prompt, its prompts in flight, and
//! the HTTP routes beside it.
//!
//! Three parts run it. The caller's thread registers a prompt and returns at once. The box's
//! writer thread takes what is to be sent, in order: it opens the socket on the first prompt,
//! puts the prompt's files through the storage, and hands each frame to the socket task. The
//! socket task (on the client's tokio runtime) writes frames and reads the server's, delivering
//! each to the prompt it names.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::mpsc as tokio_mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::Endpoint;
use super::prompt::{
    Completed, DisplayEvent, Failure, Feed, Outcome, PromptOptions, PromptResult, Sinks,
    SubscriberEvent, Update,
};
use super::protocol::types::{
    AbortFrame, DisplayRejectFrame, DisplayResolveFrame, Environment, FileRef, PromptFrame,
};
use super::protocol::{ClientMessage, HttpApi, ServerMessage};
use super::storage::ClientStorage;
use crate::bearer::Bearer;
use crate::{Error, Http};

/// A callback for frames that could not be sent.
type SendErrorListener = Arc<dyn Fn(&Error) + Send + Sync>;

/// One endpoint's box (the SDK's `Box`): prompts multiplexed over one WebSocket session, opened
/// at the first prompt; the environment and files over HTTP with the same key.
///
/// ```no_run
/// use glow_client::glovebox::{GloveboxClient, PromptOptions};
///
/// let client = GloveboxClient::builder().endpoint("media", "ws://127.0.0.1:8080/", "key").build()?;
/// let media = client.glovebox("media")?;
/// let result = media.prompt("Trim in.mp4", PromptOptions::new())?;
/// for event in result.events() {
///     print!("{}", event.text().unwrap_or_default());
/// }
/// println!("{}", result.message()?);
/// # Ok::<(), glow_client::Error>(())
/// ```
pub struct GloveBox {
    core: Arc<Core>,
    storage: Arc<dyn ClientStorage>,
    http: Http,
    environment: Mutex<Option<Environment>>,
    /// Keeps the client's runtime alive while the box is.
    _runtime: Arc<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for GloveBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GloveBox")
            .field("name", &self.core.name)
            .field("url", &self.core.endpoint.url)
            .finish_non_exhaustive()
    }
}

/// What the caller's thread, the writer thread and the socket task share. It holds nothing that
/// must not be dropped on the runtime (the storage and the HTTP client live beside it).
pub(super) struct Core {
    name: String,
    endpoint: Endpoint,
    runtime: tokio::runtime::Handle,
    state: Mutex<State>,
    listeners: Mutex<Vec<(u64, SendErrorListener)>>,
    next_listener: AtomicU64,
}

/// Where the box's session stands, and its prompts in flight.
struct State {
    link: Link,
    prompts: HashMap<String, Sinks>,
}

enum Link {
    /// No prompt yet: nothing opened.
    Idle,
    /// The writer thread runs; it takes jobs here.
    Open(mpsc::Sender<Job>),
    /// Closed (by the caller, by the server, or because it could not open); never reopened.
    Closed,
}

/// What the writer thread sends, in order.
enum Job {
    Prompt {
        id: String,
        text: String,
        options: PromptOptions,
    },
    Frame(ClientMessage),
}

impl GloveBox {
    pub(super) fn new(
        name: &str,
        endpoint: Endpoint,
        storage: Arc<dyn ClientStorage>,
        runtime: Arc<tokio::runtime::Runtime>,
    ) -> Result<GloveBox, Error> {
        let http = Http::builder(http_base(&endpoint.url)?)
            .bearer(endpoint.key.clone())
            .build()?;
        Ok(GloveBox {
            core: Arc::new(Core {
                name: name.to_owned(),
                endpoint,
                runtime: runtime.handle().clone(),
                state: Mutex::new(State {
                    link: Link::Idle,
                    prompts: HashMap::new(),
                }),
                listeners: Mutex::new(Vec::new()),
                next_listener: AtomicU64::new(1),
            }),
            storage,
            http,
            environment: Mutex::new(None),
            _runtime: runtime,
        })
    }

    /// The endpoint's name.
    pub fn name(&self) -> &str {
        &self.core.name
    }

    /// Sends a prompt and returns at once; the socket opens at the first prompt. The prompt's
    /// `files` go through the client's storage into its `inputs` first. An error only when the
    /// box is closed ([`Error::BoxClosed`]): everything later settles the result.
    pub fn prompt(
        &self,
        text: impl Into<String>,
        options: PromptOptions,
    ) -> Result<PromptResult, Error> {
        let id = uuid::Uuid::new_v4().to_string();
        let feed = Arc::new(Feed::default());
        let outcome = Arc::new(Outcome::default());
        let mut state = self.core.state();
        let jobs = match &state.link {
            Link::Closed => {
                return Err(Error::BoxClosed {
                    name: self.core.name.clone(),
                });
            }
            Link::Open(jobs) => jobs.clone(),
            Link::Idle => {
                let jobs = Core::start_writer(&self.core, self.storage.clone());
                state.link = Link::Open(jobs.clone());
                jobs
            }
        };
        state.prompts.insert(
            id.clone(),
            Sinks {
                feed: feed.clone(),
                outcome: outcome.clone(),
            },
        );
        drop(state);
        let job = Job::Prompt {
            id: id.clone(),
            text: text.into(),
            options,
        };
        if jobs.send(job).is_err() {
            // The writer stopped between the check and the send: the box has just closed.
            self.core.settle(&id, Err(Failure::ConnectionClosed));
        }
        Ok(PromptResult {
            id,
            feed,
            outcome,
            core: self.core.clone(),
            storage: self.storage.clone(),
        })
    }

    /// The box's environment (`GET /environment`), fetched once and then cached.
    pub fn environment(&self) -> Result<Environment, Error> {
        let mut cached = self
            .environment
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(environment) = cached.as_ref() {
            return Ok(environment.clone());
        }
        let environment = self.http.environment()?;
        *cached = Some(environment.clone());
        Ok(environment)
    }

    /// Calls `listener` with every frame of this box that cannot be sent (a prompt, an abort, a
    /// display answer). Without a listener such failures are printed on stderr — never lost.
    pub fn on_send_error(
        &self,
        listener: impl Fn(&Error) + Send + Sync + 'static,
    ) -> SendErrorSubscription {
        let id = self.core.next_listener.fetch_add(1, Ordering::Relaxed);
        self.core
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, Arc::new(listener)));
        SendErrorSubscription {
            id,
            core: Arc::downgrade(&self.core),
        }
    }

    /// Closes the box: every prompt in flight fails with [`Error::BoxClosed`] and its streams
    /// end; the socket closes; later prompts are errors.
    pub fn close(&self) {
        self.core.close(Failure::BoxClosed {
            name: self.core.name.clone(),
        });
    }

    /// True once the box is closed (by [`close`](Self::close), by the server, or because its
    /// socket could not open).
    pub fn is_closed(&self) -> bool {
        matches!(self.core.state().link, Link::Closed)
    }
}

impl Drop for GloveBox {
    fn drop(&mut self) {
        self.close();
    }
}

/// A registered send-error listener; [`off`](Self::off) unregisters it.
#[derive(Debug)]
pub struct SendErrorSubscription {
    id: u64,
    core: Weak<Core>,
}

impl SendErrorSubscription {
    /// Unregisters the listener.
    pub fn off(self) {
        if let Some(core) = self.core.upgrade() {
            core.listeners
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|(id, _)| *id != self.id);
        }
    }
}

impl Core {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts the writer thread; its channel takes the jobs.
    fn start_writer(core: &Arc<Core>, storage: Arc<dyn ClientStorage>) -> mpsc::Sender<Job> {
        let (jobs, queue) = mpsc::channel();
        let core = core.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("glovebox-{}", core.name))
            .spawn(move || core.write(queue, storage.as_ref()));
        if let Err(error) = spawned {
            eprintln!("glovebox: cannot start the writer thread: {error}");
        }
        jobs
    }

    /// The writer thread: opens the socket, then sends each job in order.
    fn write(self: Arc<Core>, queue: mpsc::Receiver<Job>, storage: &dyn ClientStorage) {
        let frames = match self.runtime.block_on(self.clone().open()) {
            Ok(frames) => frames,
            Err(failure) => {
                self.close(failure);
                return;
            }
        };
        while let Ok(job) = queue.recv() {
            match job {
                Job::Prompt { id, text, options } => {
                    match prompt_frame(storage, &id, text, options) {
                        Ok(frame) => {
                            if let Err(error) = send(&frames, &frame) {
                                self.settle(
                                    &id,
                                    Err(Failure::NotSent {
                                        message: error.to_string(),
                                    }),
                                );
                                self.report(&error);
                            }
                        }
                        Err(error) => {
                            self.settle(
                                &id,
                                Err(Failure::NotSent {
                                    message: error.to_string(),
                                }),
                            );
                            self.report(&error);
                        }
                    }
                }
                Job::Frame(frame) => {
                    if let Err(error) = send(&frames, &frame) {
                        self.report(&error);
                    }
                }
            }
        }
        // Every sender is gone: the box is closed or dropped; dropping `frames` closes the socket.
    }

    /// Opens the socket with the key on the upgrade and starts the socket task, which takes
    /// frames to write from the returned channel.
    async fn open(self: Arc<Core>) -> Result<tokio_mpsc::UnboundedSender<Message>, Failure> {
        let url = self.endpoint.url.clone();
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|error| Failure::Connect {
                url: url.clone(),
                message: error.to_string(),
            })?;
        let header = Bearer::new(self.endpoint.key.clone()).header_value();
        let value = header.parse().map_err(|_| Failure::Connect {
            url: url.clone(),
            message: "the key cannot be sent as a header".to_owned(),
        })?;
        request.headers_mut().insert("Authorization", value);
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|error| refused(&url, error))?;
        let (mut sink, mut stream) = socket.split();
        let (frames, mut outgoing) = tokio_mpsc::unbounded_channel::<Message>();
        let core = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    frame = outgoing.recv() => match frame {
                        Some(frame) => {
                            if let Err(error) = sink.send(frame).await {
                                core.report(&Error::NotSent { message: error.to_string() });
                            }
                        }
                        None => {
                            let _ = sink.close().await;
                            return;
                        }
                    },
                    message = stream.next() => match message {
                        Some(Ok(Message::Text(text))) => core.receive(&text),
                        // A ping is answered on the next write: flush it now.
                        Some(Ok(Message::Ping(_))) => { let _ = sink.flush().await; }
                        Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                            core.close(Failure::ConnectionClosed);
                            return;
                        }
                        Some(Ok(_)) => {}
                    },
                }
            }
        });
        Ok(frames)
    }

    /// One frame from the server, delivered to the prompt it names. Frames that are not JSON,
    /// of a type the protocol does not name, or about no prompt in flight are ignored.
    fn receive(&self, text: &str) {
        let Ok(message) = serde_json::from_str::<ServerMessage>(text) else {
            return;
        };
        match message {
            ServerMessage::Event(frame) => {
                if let Some(sinks) = self.state().prompts.get(&frame.id) {
                    sinks.feed.push(Update::Event(SubscriberEvent {
                        event_type: frame.event_type,
                        data: frame.data,
                    }));
                }
            }
            ServerMessage::DisplayPush(frame) => {
                for sinks in self.state().prompts.values() {
                    sinks
                        .feed
                        .push(Update::Display(DisplayEvent::Push(frame.slot.clone())));
                }
            }
            ServerMessage::DisplayClear(frame) => {
                for sinks in self.state().prompts.values() {
                    sinks.feed.push(Update::Display(DisplayEvent::Clear {
                        slot_id: frame.slot_id.clone(),
                    }));
                }
            }
            ServerMessage::Complete(frame) => self.settle(
                &frame.id,
                Ok(Completed {
                    message: frame.message,
                    outputs: frame.outputs,
                }),
            ),
            ServerMessage::Error(frame) => self.settle(
                &frame.id,
                Err(Failure::Server {
                    code: frame.error.code,
                    message: frame.error.message,
                }),
            ),
            ServerMessage::Pong(_) | ServerMessage::Other { .. } => {}
        }
    }

    /// Ends the prompt `id` (its streams end with it).
    pub(super) fn settle(&self, id: &str, result: Result<Completed, Failure>) {
        let sinks = self.state().prompts.remove(id);
        if let Some(sinks) = sinks {
            sinks.outcome.settle(result);
        }
    }

    /// Closes the box for good, failing every prompt in flight with `failure`.
    fn close(&self, failure: Failure) {
        let prompts: Vec<Sinks> = {
            let mut state = self.state();
            state.link = Link::Closed;
            state.prompts.drain().map(|(_, sinks)| sinks).collect()
        };
        for sinks in prompts {
            sinks.outcome.settle(Err(failure.clone()));
        }
    }

    /// Sends a frame that answers nothing (abort, display answers) after what is queued.
    fn send_frame(&self, frame: ClientMessage) {
        let jobs = match &self.state().link {
            Link::Open(jobs) => Some(jobs.clone()),
            Link::Idle | Link::Closed => None,
        };
        let sent = jobs.is_some_and(|jobs| jobs.send(Job::Frame(frame)).is_ok());
        if !sent {
            self.report(&Error::NotSent {
                message: format!("the box `{}` has no open session", self.name),
            });
        }
    }

    pub(super) fn resolve(&self, slot_id: &str, value: Value) {
        self.send_frame(ClientMessage::DisplayResolve(DisplayResolveFrame {
            slot_id: slot_id.to_owned(),
            value,
        }));
    }

    pub(super) fn reject(&self, slot_id: &str, error: &str) {
        self.send_frame(ClientMessage::DisplayReject(DisplayRejectFrame {
            slot_id: slot_id.to_owned(),
            error: error.to_owned(),
        }));
    }

    pub(super) fn abort(&self, id: &str) {
        self.send_frame(ClientMessage::Abort(AbortFrame { id: id.to_owned() }));
    }

    /// The bytes of an output, through the storage; the key goes with `server` refs only.
    pub(super) fn read(
        &self,
        storage: &dyn ClientStorage,
        file: &FileRef,
    ) -> Result<Vec<u8>, Error> {
        match file {
            FileRef::Server {
                name,
                mime,
                size,
                id,
                url,
            } if url.starts_with('/') => {
                let absolute = FileRef::Server {
                    name: name.clone(),
                    mime: mime.clone(),
                    size: *size,
                    id: id.clone(),
                    url: format!("{}{url}", http_base(&self.endpoint.url)?),
                };
                storage.get(&absolute, Some(&self.endpoint.key))
            }
            FileRef::Server { .. } => storage.get(file, Some(&self.endpoint.key)),
            _ => storage.get(file, None),
        }
    }

    /// Hands a send failure to the listeners, or to stderr when there are none.
    fn report(&self, error: &Error) {
        let listeners: Vec<SendErrorListener> = self
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(_, listener)| listener.clone())
            .collect();
        if listeners.is_empty() {
            eprintln!("glovebox: [{}] send failed: {error}", self.name);
        }
        for listener in listeners {
            listener(error);
        }
    }
}

/// The prompt frame: the text, the ready inputs, and the files put through the storage.
fn prompt_frame(
    storage: &dyn ClientStorage,
    id: &str,
    text: String,
    options: PromptOptions,
) -> Result<ClientMessage, Error> {
    let mut inputs: BTreeMap<String, FileRef> = options.inputs;
    for (name, file) in options.files {
        let stored = storage.put(&name, &file.mime, &file.bytes)?;
        inputs.insert(name, stored);
    }
    Ok(ClientMessage::Prompt(PromptFrame {
        id: id.to_owned(),
        text,
        inputs: (!inputs.is_empty()).then_some(inputs),
        outputs_policy: options.outputs_policy,
    }))
}

/// Writes one frame through the socket task.
fn send(frames: &tokio_mpsc::UnboundedSender<Message>, frame: &ClientMessage) -> Result<(), Error> {
    let text = serde_json::to_string(frame).map_err(|source| Error::Encode {
        what: format!("the `{}` frame", frame.tag()),
        source,
    })?;
    frames
        .send(Message::Text(text))
        .map_err(|_| Error::ConnectionClosed)
}

/// Why an upgrade failed: a refused key (401/403) apart from anything else.
fn refused(url: &str, error: tokio_tungstenite::tungstenite::Error) -> Failure {
    use tokio_tungstenite::tungstenite::Error as WsError;
    match &error {
        WsError::Http(response) if matches!(response.status().as_u16(), 401 | 403) => {
            Failure::Unauthorized {
                at: url.to_owned(),
                message: format!("unauthorized ({})", response.status()),
            }
        }
        _ => Failure::Connect {
            url: url.to_owned(),
            message: crate::error::with_sources(&error),
        },
    }
}

/// The HTTP origin of a WebSocket URL: `ws://host:port/...` → `http://host:port`.
pub(super) fn http_base(url: &str) -> Result<String, Error> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| Error::Connect {
        url: url.to_owned(),
        message: "not a ws:// or wss:// URL".to_owned(),
    })?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "ws" | "http" => "http",
        "wss" | "https" => "https",
        _ => {
            return Err(Error::Connect {
                url: url.to_owned(),
                message: "not a ws:// or wss:// URL".to_owned(),
            });
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    Ok(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_http_origin_of_a_socket_url_keeps_host_and_port() {
        assert_eq!(
            http_base("ws://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            http_base("wss://media.example.com/ws?x=1").unwrap(),
            "https://media.example.com"
        );
        assert!(http_base("ftp://x").is_err());
    }
}
