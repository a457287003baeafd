//! Sources: each reads one kind of server input and produces facts for the [`crate::model::Api`].

pub mod facts;
#[cfg(feature = "python")]
pub mod modules;
#[cfg(feature = "python")]
pub mod python;
#[cfg(feature = "python")]
pub mod read;
