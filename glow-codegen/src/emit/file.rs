//! The source of an API's code, written on every core: the type definitions in chunks, each on
//! a thread of its own, while the items after `mod types` are written on this one, and the
//! chunks joined in order: each definition is written by itself, so the text is the same however
//! the work was shared.

use super::code::Code;
use super::render::TypesFrame;
use super::typespace::{Def, TypeSpace};
use super::{
    EmitError, Stats, check_references, items_after_types, operations, render, stats, type_space,
};
use crate::model::Api;

/// Definitions per chunk: enough to keep threads busy, few enough to share the work evenly.
const CHUNK: usize = 96;

/// The source of `api`'s code, and what it took.
pub fn emit_text(api: &Api) -> Result<(String, Stats), EmitError> {
    check_references(api)?;
    let names = operations::names(api);
    let (space, parameters) = type_space(api, &names);
    let defs: Vec<(&String, &Def)> = space.defs.iter().collect();
    let chunks: Vec<&[(&String, &Def)]> = defs.chunks(CHUNK).collect();
    let (written, rest) = crate::parallel::map(
        &chunks,
        std::thread::Builder::new,
        |chunk| write_chunk(&space, chunk),
        || items_after_types(api, &names, &space, &parameters),
    );
    let mut items = String::new();
    let mut defaults = String::new();
    for (chunk, done) in chunks.iter().zip(written) {
        // A chunk whose thread could not start or failed is written here.
        let (chunk_items, chunk_defaults) = done.unwrap_or_else(|| write_chunk(&space, chunk));
        items.push_str(&chunk_items);
        defaults.push_str(&chunk_defaults);
    }
    let frame = TypesFrame::new(!defaults.is_empty());
    let mut text = String::with_capacity(frame.len() + items.len() + defaults.len() + rest.len());
    text.push_str(&frame.before_items);
    text.push_str(&items);
    text.push_str(&frame.before_defaults);
    text.push_str(&defaults);
    text.push_str(&frame.after);
    text.push_str(&rest);
    Ok((text, stats(&space)))
}

/// A chunk's definitions, and its default functions, written as they stand inside
/// `mod types` (and its `mod defaults`).
fn write_chunk(space: &TypeSpace, chunk: &[(&String, &Def)]) -> (String, String) {
    let mut items = Code::new(1);
    let mut defaults = Code::new(2);
    for (name, def) in chunk {
        render::definition(space, name, def, &mut items, &mut defaults);
    }
    (items.finish(), defaults.finish())
}
