//! The transports (feature `transport`, on by default): [`Socket`] over socket.io and [`Http`]
//! over HTTP, both blocking, both sending a bearer the way a Glow server expects it.

pub mod http;
mod inbox;
pub mod socket;

pub use http::{Http, HttpBuilder};
pub use socket::{Socket, SocketBuilder};
