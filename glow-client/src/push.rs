//! The payloads of server pushes: `<artifact>.<op>.started`, `.progress`, `.completed` and
//! `.failed` carry an envelope; `.completed` spreads the operation's result into it; `.failed`
//! adds `message` and `error_type`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One event the server sent: its name and its payload (the first argument; `null` when it
/// sent none, an array when it sent several).
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    /// The event name, e.g. `persona.search.completed`.
    pub event: String,
    /// The payload.
    pub payload: Value,
}

/// The fields every push of a running operation carries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Envelope {
    /// This call's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// The group of calls it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// The operation, e.g. `persona.search`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_key: Option<String>,
    /// The tool that ran it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Who it runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// `<op>.started`: the envelope, and any other fields the server adds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Started {
    /// The envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `<op>.progress`: the envelope and the progress fields, which the sources do not type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Progress {
    /// The envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The progress fields (e.g. `done`, `total`).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

/// `<op>.completed`: the envelope with the operation's result spread in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completed<T> {
    /// The envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The result: the HTTP twin's response type when the sources know it.
    #[serde(flatten)]
    pub result: T,
}

/// `<op>.failed`: the envelope, the error's message and its type.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Failed {
    /// The envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// The server-side error type, e.g. `LookupError`.
    #[serde(default)]
    pub error_type: String,
}

/// The typed payload of the push `event`.
pub fn decode<T: serde::de::DeserializeOwned>(
    event: &str,
    payload: Value,
) -> Result<T, crate::Error> {
    serde_json::from_value(payload).map_err(|source| crate::Error::Decode {
        what: format!("the push `{event}`"),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn completed_spreads_the_result_into_the_envelope() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Reply {
            reply: String,
        }
        let completed: Completed<Reply> = serde_json::from_value(json!({
            "call_id": "c1", "operation_key": "attempt.chat_message", "reply": "hi"
        }))
        .unwrap();
        assert_eq!(completed.envelope.call_id.as_deref(), Some("c1"));
        assert_eq!(completed.result, Reply { reply: "hi".into() });
    }

    #[test]
    fn failed_carries_message_and_error_type() {
        let failed: Failed = serde_json::from_value(json!({
            "call_id": "c1", "message": "no persona", "error_type": "LookupError"
        }))
        .unwrap();
        assert_eq!(
            (failed.message.as_str(), failed.error_type.as_str()),
            ("no persona", "LookupError")
        );
    }
}
