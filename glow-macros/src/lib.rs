//! `glow_macros::bindings!("manifests/glow.yaml")`: typed Rust bindings generated at compile
//! time from a glow-codegen manifest.
//!
//! The path is relative to the crate's `CARGO_MANIFEST_DIR` (absolute paths work too). The macro
//! reads the manifest only (never the Python tree), through the same core as the `glow-codegen`
//! CLI and the build.rs builder, and emits `const _: &str = include_str!(<path>);` so that
//! editing the manifest rebuilds the crate. Every error is a `compile_error!` at the path literal.
//!
//! `bindings!("manifests/glow.yaml", only = ["persona.*", "attempt.chat_message"])` generates
//! only the operations the globs match (by name or event), with the types they reach.

#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token, bracketed, parse_macro_input};

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
    let arguments = parse_macro_input!(input as Arguments);
    let given = arguments.path.value();
    let path = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) if !PathBuf::from(&given).is_absolute() => PathBuf::from(dir).join(&given),
        _ => PathBuf::from(&given),
    };
    let only: Vec<String> = arguments.only.iter().map(LitStr::value).collect();
    match expand(&path, &given, &only) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(arguments.path.span(), message)
            .to_compile_error()
            .into(),
    }
}

/// `"path"` and, optionally, `, only = ["pattern", ...]`.
struct Arguments {
    path: LitStr,
    only: Vec<LitStr>,
}

impl Parse for Arguments {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut only = Vec::new();
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            if key != "only" {
                return Err(syn::Error::new(
                    key.span(),
                    "expected `only = [\"pattern\", ...]` after the manifest's path",
                ));
            }
            input.parse::<Token![=]>()?;
            let patterns;
            bracketed!(patterns in input);
            only = Punctuated::<LitStr, Token![,]>::parse_terminated(&patterns)?
                .into_iter()
                .collect();
            input.parse::<Option<Token![,]>>()?;
        }
        Ok(Arguments { path, only })
    }
}

/// The items for the manifest at `path` (named `given` in messages), after
/// `const _: &str = include_str!(<path>);` so that editing the manifest rebuilds the crate.
/// Only the operations `only` matches, when it names any. An error is the message for a
/// `compile_error!`.
fn expand(path: &Path, given: &str, only: &[String]) -> Result<proc_macro2::TokenStream, String> {
    let mut api = glow_codegen::manifest::read(path, given).map_err(|error| error.to_string())?;
    if !only.is_empty() {
        let filter = glow_codegen::filter::OperationFilter::new(only)
            .map_err(|error| format!("{given}: {error}"))?;
        api = filter
            .apply(&api)
            .map_err(|error| format!("{given}: {error}"))?;
    }
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

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_expansion_is_the_checked_in_cli_output_after_a_tracker() -> Outcome {
        let path = workspace().join("manifests/glow.yaml");
        let expansion = expand(&path, "manifests/glow.yaml", &[])?;
        let mut file: syn::File = syn::parse2(expansion)?;
        let tracker = file.items.remove(0);
        let tracked = path.display().to_string();
        assert_eq!(
            quote!(#tracker).to_string(),
            quote!(
                const _: &str = include_str!(#tracked);
            )
            .to_string()
        );
        // The same syntax tree as the file `generate` wrote, laid out alike.
        let expanded = prettyplease::unparse(&file);
        let checked_in = std::fs::read_to_string(workspace().join("generated/glow.rs"))?;
        let generated = prettyplease::unparse(&syn::parse_file(&checked_in)?);
        assert!(
            expanded == generated,
            "the macro door and `generate` differ"
        );
        Ok(())
    }

    #[test]
    fn a_missing_manifest_is_an_error_naming_it() {
        let error = expand(Path::new("/nonexistent/glow.yaml"), "glow.yaml", &[]).unwrap_err();
        assert!(error.contains("glow.yaml"), "{error}");
    }

    #[test]
    fn only_keeps_the_matching_operations_and_a_pattern_matching_none_is_an_error() -> Outcome {
        let path = workspace().join("manifests/glow.yaml");
        let part = expand(&path, "glow.yaml", &["persona.*".to_owned()])?;
        let file: syn::File = syn::parse2(part)?;
        let text = prettyplease::unparse(&file);
        assert!(text.contains("fn persona_search("), "{text}");
        assert!(!text.contains("fn attempt_chat_message("), "{text}");
        assert!(
            !text.contains("pub struct ChatReply"),
            "a type only other operations reach"
        );
        let error = expand(&path, "glow.yaml", &["persona.serch".to_owned()]).unwrap_err();
        assert_eq!(
            error,
            "glow.yaml: `persona.serch` matches no operation (the manifest has 18, e.g. `attempt.chat.voice`)"
        );
        Ok(())
    }
}
