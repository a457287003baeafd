//! Pretty-printed Rust source from emitted tokens, with a header naming where it came from.

use proc_macro2::TokenStream;

/// Emitted tokens that are not a valid Rust file (a bug in the emitter, reported, not a panic).
#[derive(Debug, thiserror::Error)]
#[error("the generated code does not parse as Rust: {0}")]
pub struct PrettyError(String);

/// The source text of `tokens`, formatted by prettyplease, after `header` comment lines.
pub fn pretty(tokens: TokenStream, header: &[String]) -> Result<String, PrettyError> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| PrettyError(error.to_string()))?;
    let mut text: String = header.iter().map(|line| format!("// {line}\n")).collect();
    if !header.is_empty() {
        text.push('\n');
    }
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}
