//! A client for Glovebox servers (protocol v1), with the semantics of the TypeScript
//! `glovebox-client`: named endpoints, a box per endpoint opened at its first prompt, prompts
//! multiplexed over one WebSocket, their events and display slots as streams, their outputs read
//! back through a [`ClientStorage`].
//!
//! Blocking, like the rest of this crate: a prompt returns at once, and its streams, message and
//! outputs are waited for on the caller's thread. Underneath, each box has a writer thread (which
//! opens the socket and puts files through the storage, so that a slow storage never holds up
//! the caller) and a socket task on a small tokio runtime the client owns.
//!
//! ```no_run
//! use glow_client::glovebox::{GloveboxClient, PromptOptions};
//!
//! let client = GloveboxClient::builder()
//!     .endpoint("media", "wss://media.example.com/", std::env::var("GLOVEBOX_MEDIA_KEY").unwrap_or_default())
//!     .build()?;
//! let media = client.glovebox("media")?;
//! let input = std::fs::read("in.mp4").unwrap_or_default();
//! let result = media.prompt(
//!     "Trim the first 30 seconds off in.mp4 and write trimmed.mp4.",
//!     PromptOptions::new().file("in.mp4", "video/mp4", input),
//! )?;
//! for event in result.events() {
//!     if let Some(text) = event.text() {
//!         print!("{text}");
//!     }
//! }
//! println!("\n{}", result.message()?);
//! std::fs::write("trimmed.mp4", result.read("trimmed.mp4")?).unwrap_or_default();
//! # Ok::<(), glow_client::Error>(())
//! ```

mod prompt;
pub mod protocol;
mod session;
mod storage;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

pub use prompt::{DisplayEvent, FileInput, PromptOptions, PromptResult, SubscriberEvent, Update};
pub use protocol::types::{Environment, FileRef, OutputsPolicy, WireSlot};
pub use protocol::{ClientMessage, ServerMessage};
pub use session::{GloveBox, SendErrorSubscription};
pub use storage::{ClientStorage, DEFAULT_DOWNLOAD_TIMEOUT, DefaultClientStorage};

use crate::Error;

/// Where one box is: its WebSocket URL and its key (sent as `Authorization: Bearer <key>` on the
/// upgrade and on every HTTP request).
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `ws://` or `wss://`.
    pub url: String,
    /// The bearer key.
    pub key: String,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// Settings for a [`GloveboxClient`].
#[derive(Default)]
pub struct GloveboxClientBuilder {
    endpoints: BTreeMap<String, Endpoint>,
    storage: Option<Arc<dyn ClientStorage>>,
}

impl GloveboxClientBuilder {
    /// Adds the endpoint `name`.
    pub fn endpoint(
        mut self,
        name: impl Into<String>,
        url: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        let endpoint = Endpoint {
            url: url.into(),
            key: key.into(),
        };
        self.endpoints.insert(name.into(), endpoint);
        self
    }

    /// Where prompt files go and outputs are read from (default: [`DefaultClientStorage`]).
    pub fn storage(mut self, storage: impl ClientStorage + 'static) -> Self {
        self.storage = Some(Arc::new(storage));
        self
    }

    /// The client (no connection is opened yet).
    pub fn build(self) -> Result<GloveboxClient, Error> {
        let storage = match self.storage {
            Some(storage) => storage,
            None => Arc::new(DefaultClientStorage::new()?),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("glovebox-socket")
            .enable_all()
            .build()
            .map_err(Error::transport)?;
        Ok(GloveboxClient {
            endpoints: self.endpoints,
            storage,
            runtime: Arc::new(runtime),
            boxes: Mutex::new(HashMap::new()),
        })
    }
}

/// A client over named endpoints (the SDK's `GloveboxClient`).
pub struct GloveboxClient {
    endpoints: BTreeMap<String, Endpoint>,
    storage: Arc<dyn ClientStorage>,
    runtime: Arc<tokio::runtime::Runtime>,
    boxes: Mutex<HashMap<String, Arc<GloveBox>>>,
}

impl std::fmt::Debug for GloveboxClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GloveboxClient")
            .field("endpoints", &self.endpoints)
            .finish_non_exhaustive()
    }
}

impl GloveboxClient {
    /// No endpoints yet, the default storage.
    pub fn builder() -> GloveboxClientBuilder {
        GloveboxClientBuilder::default()
    }

    /// The box of the endpoint `name` (the SDK's `client.box(name)`): cached, so every call gives
    /// the same box until it is closed; after that, a fresh one. Its socket opens at its first
    /// prompt.
    pub fn glovebox(&self, name: &str) -> Result<Arc<GloveBox>, Error> {
        let endpoint = self
            .endpoints
            .get(name)
            .ok_or_else(|| Error::UnknownEndpoint {
                name: name.to_owned(),
                known: self.endpoints.keys().cloned().collect(),
            })?;
        let mut boxes = self.boxes.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(cached) = boxes.get(name).filter(|b| !b.is_closed()) {
            return Ok(cached.clone());
        }
        let fresh = Arc::new(GloveBox::new(
            name,
            endpoint.clone(),
            self.storage.clone(),
            self.runtime.clone(),
        )?);
        boxes.insert(name.to_owned(), fresh.clone());
        Ok(fresh)
    }

    /// Closes every box this client opened: their prompts in flight fail with
    /// [`Error::BoxClosed`] and their streams end.
    pub fn close(&self) {
        let boxes: Vec<Arc<GloveBox>> = self
            .boxes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .map(|(_, b)| b)
            .collect();
        for glovebox in boxes {
            glovebox.close();
        }
    }
}
