//! The source of an API's code, written on every core: the type definitions in chunks, taken
//! by a thread per other core while the items after `mod types` are written on this one (which
//! then takes chunks too); the chunks are written out in order as they are done. Each definition
//! is written by itself, so the text is the same however the work was shared.

use std::io::Write;

use super::code::Code;
use super::render::{TypesTail, types_head};
use super::typespace::{Def, TypeSpace};
use super::{
    EmitError, Stats, check_references, items_after_types, operations, render, stats, type_space,
};
use crate::model::Api;

/// A little more than a definition's or an operation's code usually takes (1.4 to 1.7 KB for
/// GitHub's, Oxide's and the 16× corpus's), to size a whole text.
const BYTES_PER_ITEM: usize = 2048;

/// Definitions per chunk: enough to keep threads busy, few enough to share the work evenly.
const CHUNK: usize = 96;

/// An API's code ready to be written: its references checked, its type space built.
pub struct Emission<'a> {
    api: &'a Api,
    names: Vec<operations::Named<'a>>,
    space: TypeSpace<'a>,
    parameters: operations::ParameterTypes,
}

impl<'a> Emission<'a> {
    /// Checks `api` and lays out its types.
    pub fn new(api: &'a Api) -> Result<Emission<'a>, EmitError> {
        check_references(api)?;
        let names = operations::names(api);
        let (space, parameters) = type_space(api, &names);
        Ok(Emission {
            api,
            names,
            space,
            parameters,
        })
    }

    /// How the schemas mapped.
    pub fn stats(&self) -> Stats {
        stats(&self.space)
    }

    /// Writes `head`, then the code, to `out` as it is made: each chunk of definitions is
    /// written as soon as it and those before it are done, and never joined into one text.
    pub fn write(&self, head: &str, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_with(head, |text| out.write_all(text.as_bytes()))
    }

    /// The code, after `head`, as one text.
    pub fn text(&self, head: &str) -> String {
        // Sized from what a definition or an operation usually takes, so that a large text is
        // not copied at every doubling (room not written to is never touched).
        let items = self.space.defs.len() + self.api.operations.len();
        let expected = head.len() + items * BYTES_PER_ITEM;
        let mut text = String::with_capacity(expected);
        let written: Result<(), std::convert::Infallible> = self.write_with(head, |part| {
            text.push_str(part);
            Ok(())
        });
        match written {
            Ok(()) => text,
        }
    }

    /// Gives the code's text to `put`, part by part, in order.
    fn write_with<E>(
        &self,
        head: &str,
        mut put: impl FnMut(&str) -> Result<(), E>,
    ) -> Result<(), E> {
        let defs: Vec<(&String, &Def)> = self.space.defs.iter().collect();
        let chunks: Vec<&[(&String, &Def)]> = defs.chunks(CHUNK).collect();
        put(head)?;
        put(&types_head())?;
        let mut defaults = Vec::new();
        let rest = crate::parallel::stream(
            &chunks,
            std::thread::Builder::new,
            |chunk| write_chunk(&self.space, chunk),
            || items_after_types(self.api, &self.names, &self.space, &self.parameters),
            |(items, chunk_defaults)| {
                defaults.push(chunk_defaults);
                put(&items)
            },
        )?;
        let tail = TypesTail::new(defaults.iter().any(|d| !d.is_empty()));
        put(&tail.before_defaults)?;
        for chunk_defaults in &defaults {
            put(chunk_defaults)?;
        }
        put(&tail.after)?;
        put(&rest)
    }
}

/// The source of `api`'s code, and what it took.
pub fn emit_text(api: &Api) -> Result<(String, Stats), EmitError> {
    let emission = Emission::new(api)?;
    Ok((emission.text(""), emission.stats()))
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
        let tail = TypesTail::new(true);
        let in_order = [
            types_head().as_str(),
            &items,
            &tail.before_defaults,
            &defaults,
            &tail.after,
        ]
        .concat();
        assert!(
            text.starts_with(&in_order),
            "the joined chunks differ from the definitions written in order"
        );
        Ok(())
    }
}
