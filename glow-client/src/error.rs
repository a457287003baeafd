//! What can go wrong when a generated call runs.

use std::time::Duration;

/// An error from a generated socket or HTTP call.
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
    /// The server answered with a status outside 2xx.
    #[error("{method} {path} answered {status}")]
    Status {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
        /// The status code.
        status: u16,
        /// The response body.
        body: Vec<u8>,
    },
    /// No acknowledgement arrived in time.
    #[error("no acknowledgement for `{event}` within {timeout:?}")]
    AckTimeout {
        /// The event sent.
        event: String,
        /// How long the call waited.
        timeout: Duration,
    },
    /// The transport failed (connection refused, closed, TLS, ...).
    #[error("transport error: {0}")]
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Wraps any transport failure.
    pub fn transport(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Transport(error.into())
    }
}
