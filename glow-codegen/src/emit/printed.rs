//! The printed code of an API, built on every core: the type definitions are written as text in
//! chunks, each on a thread of its own, while the items after `mod types` are emitted as tokens
//! and pretty-printed on this one. The chunks joined in order are the text of
//! [`render::types_module`].

use super::code::Code;
use super::render::TypesFrame;
use super::typespace::{Def, TypeSpace};
use super::{
    EmitError, Stats, check_references, items_after_types, operations, render, stats, type_space,
};
use crate::model::Api;

/// Prints tokens as text (the pretty-printer of [`crate::render`]).
pub type Printer = dyn Fn(proc_macro2::TokenStream) -> Result<String, String> + Sync;

/// Definitions per chunk: enough to keep threads busy, few enough to share the work evenly.
const CHUNK: usize = 96;

/// Why printed code could not be made.
#[derive(Debug)]
pub enum PrintError {
    /// The API cannot be emitted.
    Emit(EmitError),
    /// The printer refused the tokens (a defect of the emitter).
    Print(String),
}

/// The code of `api`, the items after `mod types` printed by `print`, and what it took.
pub fn emit_printed(api: &Api, print: &Printer) -> Result<(String, Stats), PrintError> {
    check_references(api).map_err(PrintError::Emit)?;
    let names = operations::names(api);
    let (space, parameters) = type_space(api, &names);
    let defs: Vec<(&String, &Def)> = space.defs.iter().collect();
    let chunks: Vec<&[(&String, &Def)]> = defs.chunks(CHUNK).collect();
    let (written, rest) = crate::parallel::map(
        &chunks,
        std::thread::Builder::new,
        |chunk| write_chunk(&space, chunk),
        || print(items_after_types(api, &names, &space, &parameters)),
    );
    let rest = rest.map_err(PrintError::Print)?;
    let written: Vec<(String, String)> = written
        .into_iter()
        .map(|chunk| chunk.ok_or_else(|| "a writing thread failed".to_owned()))
        .collect::<Result<_, _>>()
        .map_err(PrintError::Print)?;
    let items: String = written.iter().map(|(items, _)| items.as_str()).collect();
    let defaults: String = written
        .iter()
        .map(|(_, defaults)| defaults.as_str())
        .collect();
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
