//! What can go wrong when a generated call runs.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::push::Failed;

/// An error from a generated socket or HTTP call, or from a transport.
///
/// No variant carries the bearer token: errors can be printed and logged as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value could not be turned into JSON or a URL part.
    #[error("cannot encode {what}: {source}")]
    Encode {
        /// What was being encoded, e.g. `the payload of persona.search`.
        what: String,
        /// Why.
        source: serde_json::Error,
    },
    /// A reply did not have the shape the manifest promises.
    #[error("cannot decode {what}: {source}")]
    Decode {
        /// What was being decoded, e.g. `the ack of persona.get`.
        what: String,
        /// Why.
        source: serde_json::Error,
    },
    /// The server refused the credentials: a socket connection refused at the handshake, or an
    /// HTTP 401/403.
    #[error("{at} refused the request: {message}")]
    Unauthorized {
        /// The URL, or `METHOD /path` for an HTTP call.
        at: String,
        /// What the server said.
        message: String,
    },
    /// The server rejected the request's content (HTTP 422), with FastAPI's `detail`.
    #[error("{method} {path} rejected the request (422): {}", describe(.detail))]
    Invalid {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
        /// What is wrong, one entry per problem.
        detail: Vec<ValidationIssue>,
    },
    /// The server answered with another status outside 2xx.
    #[error("{method} {path} answered {status}: {body}")]
    Status {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
        /// The status code.
        status: u16,
        /// The response body, as text.
        body: String,
    },
    /// An operation run over the socket ended in its `.failed` push.
    #[error("`{event}` failed: {}: {}", .failed.error_type, .failed.message)]
    Failed {
        /// The event sent.
        event: String,
        /// The push, with the server's message and error type.
        failed: Box<Failed>,
    },
    /// No acknowledgement arrived in time.
    #[error("no acknowledgement for `{event}` within {timeout:?}")]
    AckTimeout {
        /// The event sent.
        event: String,
        /// How long the call waited.
        timeout: Duration,
    },
    /// Neither `.completed` nor `.failed` arrived in time for an operation run over the socket.
    #[error("no `.completed` or `.failed` push for `{event}` within {timeout:?}")]
    OutcomeTimeout {
        /// The event sent.
        event: String,
        /// How long the call waited.
        timeout: Duration,
    },
    /// Nothing could be reached at the URL (nothing listens, no route, DNS).
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL.
        url: String,
        /// Why.
        message: String,
    },
    /// The server did not finish the handshake in time.
    #[error("no answer from {url} within {timeout:?}")]
    ConnectTimeout {
        /// The URL.
        url: String,
        /// How long the connect waited.
        timeout: Duration,
    },
    /// The connection was lost and could not be made again in time, or the socket is closed.
    #[error("the connection to {url} is lost: {reason}")]
    Disconnected {
        /// The URL.
        url: String,
        /// What happened.
        reason: String,
    },
    /// A payload breaks a constraint of its manifest: it was not sent.
    #[error("{what} was not sent: {invalid}")]
    InvalidPayload {
        /// What was to be sent, e.g. `the payload of persona.search`.
        what: String,
        /// The field and the constraint.
        invalid: crate::validate::Invalid,
    },
    /// A Glovebox prompt ended in the server's `error` frame; the connection stays.
    #[error("the prompt failed: {code}: {message}")]
    PromptFailed {
        /// The server's error code, free-form (its exception name: `Error`, `AbortError`, ...).
        code: String,
        /// The server's message.
        message: String,
    },
    /// The Glovebox socket closed while the prompt was in flight.
    #[error("connection closed")]
    ConnectionClosed,
    /// The Glovebox box (or its client) was closed: by `close`, by the server, or because its
    /// socket could not open. A fresh box comes from the client again.
    #[error("the box `{name}` is closed")]
    BoxClosed {
        /// The endpoint's name.
        name: String,
    },
    /// No Glovebox endpoint of that name.
    #[error("no endpoint named `{name}` (known: {})", .known.join(", "))]
    UnknownEndpoint {
        /// The name asked for.
        name: String,
        /// The endpoints the client has.
        known: Vec<String>,
    },
    /// A prompt's outputs have no file of that name.
    #[error("the outputs have no file named `{name}` (they have: {})", .available.join(", "))]
    NoSuchOutput {
        /// The name asked for.
        name: String,
        /// The outputs there are.
        available: Vec<String>,
    },
    /// A frame could not be sent (the socket is gone, a file could not be stored, ...).
    #[error("not sent: {message}")]
    NotSent {
        /// What went wrong.
        message: String,
    },
    /// A storage could not store or read a file.
    #[error("storage cannot handle `{file}`: {message}")]
    Storage {
        /// The file's name.
        file: String,
        /// Why.
        message: String,
    },
    /// The transport failed in another way.
    #[error("transport error: {0}")]
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Wraps any transport failure.
    pub fn transport(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Transport(error.into())
    }
}

/// An error's message followed by those of its sources, on one line.
#[cfg(feature = "transport")]
pub(crate) fn with_sources(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// One problem FastAPI found in a request (an entry of a 422 response's `detail`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ValidationIssue {
    /// Where: `["body", "name"]`, `["query", "page"]`, ...
    #[serde(default)]
    pub loc: Vec<Value>,
    /// What is wrong.
    #[serde(default)]
    pub msg: String,
    /// The kind of problem, e.g. `string_too_short`.
    #[serde(default, rename = "type")]
    pub kind: String,
}

impl std::fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place: Vec<String> = self
            .loc
            .iter()
            .map(|part| match part {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect();
        write!(f, "{}: {}", place.join("."), self.msg)
    }
}

fn describe(detail: &[ValidationIssue]) -> String {
    let issues: Vec<String> = detail.iter().map(ToString::to_string).collect();
    issues.join("; ")
}
