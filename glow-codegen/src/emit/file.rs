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
    emit_text_after(api, "")
}

/// `head`, then the source of `api`'s code, and what it took. The file is assembled once, in
/// its final place: each chunk is freed as it is copied in.
pub fn emit_text_after(api: &Api, head: &str) -> Result<(String, Stats), EmitError> {
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
    // A chunk whose thread could not start or failed is written here.
    let written: Vec<(String, String)> = chunks
        .iter()
        .zip(written)
        .map(|(chunk, done)| done.unwrap_or_else(|| write_chunk(&space, chunk)))
        .collect();
    let items: usize = written.iter().map(|(items, _)| items.len()).sum();
    let defaults: usize = written.iter().map(|(_, defaults)| defaults.len()).sum();
    let frame = TypesFrame::new(defaults > 0);
    let mut text = String::with_capacity(head.len() + frame.len() + items + defaults + rest.len());
    text.push_str(head);
    text.push_str(&frame.before_items);
    let mut chunk_defaults = Vec::with_capacity(written.len());
    for (chunk_items, defaults) in written {
        text.push_str(&chunk_items);
        chunk_defaults.push(defaults);
    }
    text.push_str(&frame.before_defaults);
    for defaults in chunk_defaults {
        text.push_str(&defaults);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn chunks_written_on_every_core_join_into_the_definitions_written_in_order() -> Outcome {
        // GitHub's 1,502 definitions are many chunks, with default functions in several.
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/github-rest-3.0.json");
        let api = crate::sources::Sources::new().openapi(spec).read()?.api;
        let (text, _) = emit_text(&api)?;
        let names = operations::names(&api);
        let (space, _) = type_space(&api, &names);
        let defs: Vec<(&String, &Def)> = space.defs.iter().collect();
        assert!(defs.len() > 4 * CHUNK, "{} definitions", defs.len());
        let (items, defaults) = write_chunk(&space, &defs);
        assert!(
            defaults.lines().count() > 20,
            "default functions in several chunks"
        );
        let frame = TypesFrame::new(true);
        let in_order = [
            frame.before_items.as_str(),
            &items,
            &frame.before_defaults,
            &defaults,
            &frame.after,
        ]
        .concat();
        assert!(
            text.starts_with(&in_order),
            "the joined chunks differ from the definitions written in order"
        );
        Ok(())
    }
}
