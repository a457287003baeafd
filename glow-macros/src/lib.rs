//! `glow_macros::bindings!("manifests/glow.yaml")`: typed Rust bindings generated at compile
//! time from a glow-codegen manifest.
//!
//! The path is relative to the crate's `CARGO_MANIFEST_DIR` (absolute paths work too). The macro
//! reads the manifest only (never the Python tree), through the same core as the `glow-codegen`
//! CLI and the build.rs builder, and emits `const _: &str = include_str!(<path>);` so that
//! editing the manifest rebuilds the crate. Every error is a `compile_error!` at the path literal.

#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use quote::quote;
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
    match expand(&path, &given) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(literal.span(), message)
            .to_compile_error()
            .into(),
    }
}

/// The items for the manifest at `path` (named `given` in messages), after
/// `const _: &str = include_str!(<path>);` so that editing the manifest rebuilds the crate.
/// An error is the message for a `compile_error!`.
fn expand(path: &Path, given: &str) -> Result<proc_macro2::TokenStream, String> {
    let api = glow_codegen::manifest::read(path, given).map_err(|error| error.to_string())?;
    let emitted = glow_codegen::emit::emit(&api).map_err(|error| format!("{given}: {error}"))?;
    let tracked = path.display().to_string();
    let tokens = emitted.tokens;
    Ok(quote! {
        const _: &str = include_str!(#tracked);
        #tokens
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_expansion_is_the_checked_in_cli_output_after_a_tracker() {
        let path = workspace().join("manifests/glow.yaml");
        let expansion = expand(&path, "manifests/glow.yaml").unwrap();
        let mut file: syn::File = syn::parse2(expansion).unwrap();
        let tracker = file.items.remove(0);
        let tracked = path.display().to_string();
        assert_eq!(
            quote!(#tracker).to_string(),
            quote!(
                const _: &str = include_str!(#tracked);
            )
            .to_string()
        );
        let expanded = prettyplease::unparse(&file);
        let checked_in = std::fs::read_to_string(workspace().join("generated/glow.rs")).unwrap();
        let body: String = checked_in
            .lines()
            .skip(3)
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(expanded == body, "the macro door and `generate` differ");
    }

    #[test]
    fn a_missing_manifest_is_an_error_naming_it() {
        let error = expand(Path::new("/nonexistent/glow.yaml"), "glow.yaml").unwrap_err();
        assert!(error.contains("glow.yaml"), "{error}");
    }
}
