//! Reading YAML (manifests, OpenAPI documents). The parser's limits are sized from the input
//! itself — a node needs at least a byte of text — so a document of any size the input limit
//! lets through is read whole, while the limits still stop what no text could justify.

use serde::de::DeserializeOwned;

/// How deeply YAML collections may nest (a schema nests two to three levels per property).
pub const MAX_DEPTH: usize = 256;

/// Parses `text`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    from_str_under(text, 0)
}

/// Parses `text`, a piece cut from a document where it sat `under` levels deep: its nesting
/// counts from there.
pub fn from_str_under<T: DeserializeOwned>(
    text: &str,
    under: usize,
) -> Result<T, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(text, options(text.len(), under))
}

fn options(len: usize, under: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(len.saturating_add(1_024));
    budget.max_events = budget
        .max_events
        .max(len.saturating_mul(2).saturating_add(1_024));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len);
    budget.max_depth = MAX_DEPTH.saturating_sub(under);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Nothing reads comments: capturing them costs a tenth of a manifest's parse.
    options.emit_comments = false;
    options
}

/// A YAML error's message without the snippet and the place (both are reported separately).
pub(crate) fn message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let without_place = text
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .map_or(text, |(_, message)| message);
    let without_trailing_place = without_place
        .rsplit_once(" at line ")
        .filter(|(_, place)| {
            place.split_once(", column ").is_some_and(|(line, col)| {
                line.chars().all(|c| c.is_ascii_digit()) && col.chars().all(|c| c.is_ascii_digit())
            })
        })
        .map_or(without_place, |(message, _)| message);
    without_trailing_place.trim().to_owned()
}
