//! `glow_macros::bindings!("manifests/glow.yaml")`: typed Rust bindings generated at compile
//! time from a glow-codegen manifest.
//!
//! The path is relative to the crate's `CARGO_MANIFEST_DIR` (absolute paths work too). The macro
//! reads the manifest only (never the Python tree), through the same core as the `glow-codegen`
//! CLI and the build.rs builder, and emits `const _: &str = include_str!(<path>);` so that
//! editing the manifest rebuilds the crate. Every error is a `compile_error!` at the path literal.

#![warn(missing_docs)]

use std::path::PathBuf;

use proc_macro::TokenStream;
use syn::{LitStr, parse_macro_input};

/// Expands to `pub mod types`, `Operation`, `SocketApi`, `HttpApi` and `ServerEvent` for the
/// manifest at the given path.
///
/// ```ignore
/// mod glow {
///     glow_macros::bindings!("manifests/glow.yaml");
/// }
/// ```
#[proc_macro]
pub fn bindings(input: TokenStream) -> TokenStream {
    let literal = parse_macro_input!(input as LitStr);
    let given = literal.value();
    let path = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) if !PathBuf::from(&given).is_absolute() => PathBuf::from(dir).join(&given),
        _ => PathBuf::from(&given),
    };
    match glow_codegen::emit::macro_expansion(&path, &given) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(literal.span(), message)
            .to_compile_error()
            .into(),
    }
}
