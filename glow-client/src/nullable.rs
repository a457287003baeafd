//! Fields that must be present but may be `null`.
//!
//! serde treats a missing `Option` field as `None`; a required-but-nullable field must not be
//! missing. Generated code marks such fields
//! `#[serde(deserialize_with = "::glow_client::nullable::deserialize")]`, which makes serde
//! require them.

use serde::{Deserialize, Deserializer};

/// Reads `null` as `None` and anything else as `Some`; the field itself is required.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}
