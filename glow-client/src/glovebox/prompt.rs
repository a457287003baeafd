//! A prompt in flight: what to send with it ([`PromptOptions`]) and what comes back
//! ([`PromptResult`]: its event and display streams, its final message and outputs).

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;

use super::protocol::types::{FileRef, OutputsPolicy, WireSlot};
use super::session::Core;
use super::storage::ClientStorage;
use crate::Error;

/// What to send with a prompt besides its text.
///
/// ```
/// use glow_client::glovebox::PromptOptions;
///
/// let options = PromptOptions::new().file("in.txt", "text/plain", b"hello".to_vec());
/// ```
#[derive(Debug, Clone, Default)]
pub struct PromptOptions {
    pub(super) files: BTreeMap<String, FileInput>,
    pub(super) inputs: BTreeMap<String, FileRef>,
    pub(super) outputs_policy: Option<OutputsPolicy>,
}

/// A file's bytes and type, to go through the storage into the prompt's `inputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInput {
    /// Its media type, e.g. `video/mp4`.
    pub mime: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl PromptOptions {
    /// No files, no inputs, the server's outputs policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// A file for the prompt, called `name`: put through the client's storage, then sent among
    /// the prompt's `inputs`.
    pub fn file(
        mut self,
        name: impl Into<String>,
        mime: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Self {
        let mime = mime.into();
        self.files.insert(name.into(), FileInput { mime, bytes });
        self
    }

    /// A ready-made input, sent as it is (bytes already where the server can read them).
    pub fn input(mut self, name: impl Into<String>, file: FileRef) -> Self {
        self.inputs.insert(name.into(), file);
        self
    }

    /// How the server should hand back the files the prompt writes.
    pub fn outputs_policy(mut self, policy: OutputsPolicy) -> Self {
        self.outputs_policy = Some(policy);
        self
    }
}

/// Something that happened while the prompt ran: `text_delta` (with `data.text`), `tool_use`,
/// `tool_use_result`, `model_response_complete`, `token_consumption`, ... — the list is open.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriberEvent {
    /// What happened.
    pub event_type: String,
    /// Its details, as the server sent them.
    pub data: Value,
}

impl SubscriberEvent {
    /// The text of a `text_delta` event.
    pub fn text(&self) -> Option<&str> {
        (self.event_type == "text_delta")
            .then(|| self.data.get("text").and_then(Value::as_str))
            .flatten()
    }
}

/// A display slot pushed or cleared. Display slots belong to the session: every prompt in
/// flight on the box sees them.
#[derive(Debug, Clone, PartialEq)]
pub enum DisplayEvent {
    /// A slot to render; answer it with [`PromptResult::resolve`] or [`PromptResult::reject`].
    Push(WireSlot),
    /// A slot to take away.
    Clear {
        /// The slot.
        slot_id: String,
    },
}

/// What the `complete` frame settles.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Completed {
    pub(super) message: String,
    pub(super) outputs: BTreeMap<String, FileRef>,
}

/// Why a prompt did not complete, kept so that every waiter gets the same [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Failure {
    /// The server's `error` frame.
    Server { code: String, message: String },
    /// The socket closed.
    ConnectionClosed,
    /// The box or the client was closed.
    BoxClosed { name: String },
    /// The upgrade was refused.
    Unauthorized { at: String, message: String },
    /// The socket could not be opened.
    Connect { url: String, message: String },
    /// The prompt could not be sent (its files could not be stored, the frame not written).
    NotSent { message: String },
}

impl Failure {
    fn to_error(&self) -> Error {
        match self.clone() {
            Failure::Server { code, message } => Error::PromptFailed { code, message },
            Failure::ConnectionClosed => Error::ConnectionClosed,
            Failure::BoxClosed { name } => Error::BoxClosed { name },
            Failure::Unauthorized { at, message } => Error::Unauthorized { at, message },
            Failure::Connect { url, message } => Error::Connect { url, message },
            Failure::NotSent { message } => Error::NotSent { message },
        }
    }
}

/// How a prompt ends: settled once, read by any number of waiters.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    settled: Mutex<Option<Result<Completed, Failure>>>,
    changed: Condvar,
}

impl Outcome {
    /// Settles the outcome, unless it already is.
    pub(super) fn settle(&self, result: Result<Completed, Failure>) {
        let mut settled = self.settled.lock().unwrap_or_else(PoisonError::into_inner);
        if settled.is_none() {
            *settled = Some(result);
            self.changed.notify_all();
        }
    }

    fn wait(&self, timeout: Option<Duration>) -> Option<Result<Completed, Error>> {
        let settled = self.settled.lock().unwrap_or_else(PoisonError::into_inner);
        let settled = match timeout {
            None => self
                .changed
                .wait_while(settled, |s| s.is_none())
                .unwrap_or_else(PoisonError::into_inner),
            Some(timeout) => {
                self.changed
                    .wait_timeout_while(settled, timeout, |s| s.is_none())
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        };
        settled
            .as_ref()
            .map(|result| result.clone().map_err(|failure| failure.to_error()))
    }
}

/// One thing that arrived for a prompt, in arrival order: an event or a display slot.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// An event of the prompt.
    Event(SubscriberEvent),
    /// A display slot pushed or cleared.
    Display(DisplayEvent),
}

/// The three ways of reading a prompt's feed; each has its own place in it.
#[derive(Debug, Clone, Copy)]
enum View {
    Events = 0,
    Display = 1,
    Updates = 2,
}

impl View {
    fn wants(self, update: &Update) -> bool {
        match self {
            View::Events => matches!(update, Update::Event(_)),
            View::Display => matches!(update, Update::Display(_)),
            View::Updates => true,
        }
    }
}

/// What arrived for one prompt, in order, until it ended: read through three views (events,
/// display, both), each from its own place, so that one thread can read the events while
/// another answers display slots.
#[derive(Debug, Default)]
pub(super) struct Feed {
    state: Mutex<FeedState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct FeedState {
    log: Vec<Update>,
    ended: bool,
    cursors: [usize; 3],
}

impl Feed {
    pub(super) fn push(&self, update: Update) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.ended {
            state.log.push(update);
            self.changed.notify_all();
        }
    }

    fn end(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.ended = true;
        self.changed.notify_all();
    }

    /// The view's next update: `Ok(None)` once the feed has ended, `Err` when `timeout` passed
    /// first.
    fn next(&self, view: View, timeout: Option<Duration>) -> Result<Option<Update>, Duration> {
        let deadline = timeout.map(|t| std::time::Instant::now() + t);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let slot = view as usize;
            while state.cursors[slot] < state.log.len() {
                let at = state.cursors[slot];
                state.cursors[slot] += 1;
                if view.wants(&state.log[at]) {
                    return Ok(Some(state.log[at].clone()));
                }
            }
            if state.ended {
                return Ok(None);
            }
            state = match deadline {
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        return Err(timeout.unwrap_or_default());
                    }
                    self.changed
                        .wait_timeout(state, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }
}

/// Where the box delivers what arrives for one prompt; dropped (ending its feed) when the prompt
/// completes or fails.
pub(super) struct Sinks {
    pub(super) feed: Arc<Feed>,
    pub(super) outcome: Arc<Outcome>,
}

impl Drop for Sinks {
    fn drop(&mut self) {
        self.feed.end();
    }
}

/// A prompt in flight, returned at once by [`GloveBox::prompt`](super::GloveBox::prompt).
///
/// Its streams end at the prompt's `complete` or `error` frame; [`message`](Self::message)
/// and [`outputs`](Self::outputs) wait for it. `Send + Sync`: read the events on one thread and
/// answer display slots on another.
pub struct PromptResult {
    pub(super) id: String,
    pub(super) feed: Arc<Feed>,
    pub(super) outcome: Arc<Outcome>,
    pub(super) core: Arc<Core>,
    pub(super) storage: Arc<dyn ClientStorage>,
}

impl std::fmt::Debug for PromptResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PromptResult")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl PromptResult {
    /// The prompt's id: what the frames about it carry.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The prompt's events as they arrive; the iteration ends at `complete` or `error`.
    pub fn events(&self) -> impl Iterator<Item = SubscriberEvent> + '_ {
        std::iter::from_fn(|| match self.feed.next(View::Events, None) {
            Ok(Some(Update::Event(event))) => Some(event),
            _ => None,
        })
    }

    /// The display slots pushed and cleared while the prompt runs (display slots belong to the
    /// session: every prompt in flight sees them); the iteration ends at `complete` or `error`.
    pub fn display(&self) -> impl Iterator<Item = DisplayEvent> + '_ {
        std::iter::from_fn(|| match self.feed.next(View::Display, None) {
            Ok(Some(Update::Display(display))) => Some(display),
            _ => None,
        })
    }

    /// Events and display slots together, in the order they arrived; the iteration ends at
    /// `complete` or `error`.
    pub fn updates(&self) -> impl Iterator<Item = Update> + '_ {
        std::iter::from_fn(|| self.feed.next(View::Updates, None).ok().flatten())
    }

    /// The next event, waiting up to `timeout`: `Ok(None)` when the stream has ended, `Err` with
    /// the time waited when nothing came.
    pub fn next_event(&self, timeout: Duration) -> Result<Option<SubscriberEvent>, Duration> {
        self.feed
            .next(View::Events, Some(timeout))
            .map(|update| match update {
                Some(Update::Event(event)) => Some(event),
                _ => None,
            })
    }

    /// The next display event, waiting up to `timeout` (see [`next_event`](Self::next_event)).
    pub fn next_display(&self, timeout: Duration) -> Result<Option<DisplayEvent>, Duration> {
        self.feed
            .next(View::Display, Some(timeout))
            .map(|update| match update {
                Some(Update::Display(display)) => Some(display),
                _ => None,
            })
    }
    /// The final assistant message, once the `complete` frame arrives. An `error` frame gives
    /// [`Error::PromptFailed`] with the server's code; a lost connection
    /// [`Error::ConnectionClosed`]; a closed box [`Error::BoxClosed`].
    pub fn message(&self) -> Result<String, Error> {
        self.completed(None).map(|completed| completed.message)
    }

    /// The files the prompt wrote, by name, once the `complete` frame arrives (errors as for
    /// [`message`](Self::message)).
    pub fn outputs(&self) -> Result<BTreeMap<String, FileRef>, Error> {
        self.completed(None).map(|completed| completed.outputs)
    }

    /// [`message`](Self::message), waiting at most `timeout`: `None` when the prompt has not
    /// ended by then.
    pub fn message_within(&self, timeout: Duration) -> Option<Result<String, Error>> {
        self.outcome
            .wait(Some(timeout))
            .map(|result| result.map(|completed| completed.message))
    }

    /// The bytes of the output called `name`, read through the client's storage (with the
    /// endpoint's key for a `server` ref). Waits for the outputs.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, Error> {
        let outputs = self.outputs()?;
        let file = outputs.get(name).ok_or_else(|| Error::NoSuchOutput {
            name: name.to_owned(),
            available: outputs.keys().cloned().collect(),
        })?;
        self.core.read(self.storage.as_ref(), file)
    }

    /// Answers the display slot `slot_id` with `value`. A frame that cannot be sent reaches the
    /// box's send-error listeners.
    pub fn resolve(&self, slot_id: &str, value: Value) {
        self.core.resolve(slot_id, value);
    }

    /// Refuses the display slot `slot_id`, saying why.
    pub fn reject(&self, slot_id: &str, error: &str) {
        self.core.reject(slot_id, error);
    }

    /// Asks the server to stop the prompt: it ends with [`Error::PromptFailed`] (`AbortError`).
    pub fn abort(&self) {
        self.core.abort(&self.id);
    }

    fn completed(&self, timeout: Option<Duration>) -> Result<Completed, Error> {
        self.outcome
            .wait(timeout)
            .unwrap_or(Err(Error::ConnectionClosed))
    }
}
