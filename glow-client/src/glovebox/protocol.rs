//! The Glovebox protocol v1 as `glow-codegen generate` wrote it from `manifests/glovebox.yaml`:
//! the frames each side sends ([`ClientMessage`], [`ServerMessage`]), [`types::FileRef`], and
//! the HTTP routes beside the socket ([`HttpApi`]).

#![allow(missing_docs)]

include!("../../../generated/glovebox.rs");
