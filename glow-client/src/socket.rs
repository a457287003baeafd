//! Sending socket events: what the generated `SocketApi` needs from a transport.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;

/// Sends socket.io events. Implement it for a transport (or a recorder, in tests) and every
/// generated `SocketApi` method works on it.
pub trait Emit {
    /// Sends `event` with `payload` (no argument when `None`).
    fn emit(&self, event: &str, payload: Option<Value>) -> Result<(), Error>;

    /// Sends `event` and waits up to `timeout` for the server's acknowledgement.
    fn emit_with_ack(
        &self,
        event: &str,
        payload: Option<Value>,
        timeout: Duration,
    ) -> Result<Value, Error>;

    /// Whether generated calls check a payload against its manifest's constraints before
    /// sending it (default: yes); a transport that leaves the judging to the server says no.
    fn validates_payloads(&self) -> bool {
        true
    }
}

impl<T: Emit + ?Sized> Emit for &T {
    fn emit(&self, event: &str, payload: Option<Value>) -> Result<(), Error> {
        (**self).emit(event, payload)
    }

    fn emit_with_ack(
        &self,
        event: &str,
        payload: Option<Value>,
        timeout: Duration,
    ) -> Result<Value, Error> {
        (**self).emit_with_ack(event, payload, timeout)
    }

    fn validates_payloads(&self) -> bool {
        (**self).validates_payloads()
    }
}

/// Runs socket operations: emits one and waits for its own outcome push — the socket twin of an
/// HTTP call. What the generated `SocketCalls` needs from a transport.
pub trait RunOperation: Emit {
    /// Emits `event` with `payload` and waits up to `timeout` for the first push named
    /// `<name>.completed` or `<name>.failed`, for any of `names` (the operation's push names).
    /// Returns the `.completed` payload; [`Error::Failed`] with the `.failed` one;
    /// [`Error::OutcomeTimeout`] when neither came. Other pushes are left for whoever reads them.
    fn run_operation(
        &self,
        event: &str,
        payload: Option<Value>,
        names: &[&str],
        timeout: Duration,
    ) -> Result<Value, Error>;
}

impl<T: RunOperation + ?Sized> RunOperation for &T {
    fn run_operation(
        &self,
        event: &str,
        payload: Option<Value>,
        names: &[&str],
        timeout: Duration,
    ) -> Result<Value, Error> {
        (**self).run_operation(event, payload, names, timeout)
    }
}

/// The JSON of a payload, for `event`.
pub fn payload<T: Serialize + ?Sized>(event: &str, value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|source| Error::Encode {
        what: format!("the payload of `{event}`"),
        source,
    })
}

/// The typed acknowledgement of `event`.
pub fn ack<T: DeserializeOwned>(event: &str, value: Value) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|source| Error::Decode {
        what: format!("the acknowledgement of `{event}`"),
        source,
    })
}
