//! The printed code of an API, built on every core: the type definitions are emitted and
//! printed in chunks, each on a thread of its own (tokens never cross threads), while the
//! items after `mod types` are printed on this one. A printer lays out each item by itself, so
//! the chunks joined in order are the text of printing [`super::emit`]'s tokens whole — and
//! hold a chunk's syntax tree at a time instead of the whole file's.

use proc_macro2::TokenStream;
use quote::quote;

use super::typespace::{Def, TypeSpace};
use super::{
    EmitError, Stats, check_references, items_after_types, operations, render, stats, type_space,
};
use crate::model::Api;

/// Prints a file's tokens as text (the pretty-printer of [`crate::render`]).
pub type Printer = dyn Fn(TokenStream) -> Result<String, String> + Sync;

/// Definitions per chunk: enough to keep threads busy, few enough to keep a chunk's syntax tree
/// small.
const CHUNK: usize = 96;

/// A chunk's definitions and default functions, printed; or why the printer refused them.
type Printed = Result<(String, String), String>;

/// Why printed code could not be made.
#[derive(Debug)]
pub enum PrintError {
    /// The API cannot be emitted.
    Emit(EmitError),
    /// The printer refused the tokens (a defect of the emitter).
    Print(String),
}

/// The code of `api`, printed by `print`, and what it took.
pub fn emit_printed(api: &Api, print: &Printer) -> Result<(String, Stats), PrintError> {
    check_references(api).map_err(PrintError::Emit)?;
    let names = operations::names(api);
    let (space, parameters) = type_space(api, &names);
    let defs: Vec<(&String, &Def)> = space.defs.iter().collect();
    let chunks: Vec<&[(&String, &Def)]> = defs.chunks(CHUNK).collect();
    let (printed, rest) = crate::parallel::map(
        &chunks,
        std::thread::Builder::new,
        |chunk| print_chunk(&space, chunk, print),
        || print(items_after_types(api, &names, &space, &parameters)),
    );
    let rest = rest.map_err(PrintError::Print)?;
    let printed: Vec<(String, String)> = printed
        .into_iter()
        .map(|chunk| chunk.unwrap_or_else(|| Err("a printing thread failed".to_owned())))
        .collect::<Result<_, _>>()
        .map_err(PrintError::Print)?;
    let items: String = printed.iter().map(|(items, _)| items.as_str()).collect();
    let defaults: String = printed
        .iter()
        .map(|(_, defaults)| defaults.as_str())
        .collect();
    let frame = Frame::new(print, !defaults.is_empty()).map_err(PrintError::Print)?;
    let mut text = String::with_capacity(frame.len() + items.len() + defaults.len() + rest.len());
    text.push_str(&frame.before_items);
    text.push_str(&items);
    text.push_str(&frame.before_defaults);
    text.push_str(&defaults);
    text.push_str(&frame.after);
    text.push_str(&rest);
    Ok((text, stats(&space)))
}

/// A chunk's definitions, and its default functions, each printed as they stand inside
/// `mod types` (and its `mod defaults`).
fn print_chunk(space: &TypeSpace, chunk: &[(&String, &Def)], print: &Printer) -> Printed {
    let mut defaults = Vec::new();
    let items: Vec<TokenStream> = chunk
        .iter()
        .map(|(name, def)| render::definition(space, name, def, &mut defaults))
        .collect();
    let items = inside(&print(quote! { pub mod types { #(#items)* } })?, 1);
    let defaults = if defaults.is_empty() {
        String::new()
    } else {
        inside(
            &print(quote! { pub mod types { mod defaults { #(#defaults)* } } })?,
            2,
        )
    };
    Ok((items, defaults))
}

/// `text` without its first and last `depth` lines: what a printed module holds.
fn inside(text: &str, depth: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines.len().saturating_sub(depth);
    let held = lines.get(depth..end).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for line in held {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The text of `mod types` around its items and default functions, as the printer lays it out.
struct Frame {
    before_items: String,
    before_defaults: String,
    after: String,
}

impl Frame {
    const ITEM: &'static str = "struct GlowFrameItem;";
    const DEFAULT: &'static str = "fn glow_frame_default() {}";

    /// The frame, printed from `mod types` holding one placeholder item (and one placeholder
    /// default function when there are defaults).
    fn new(print: &Printer, with_defaults: bool) -> Result<Frame, String> {
        let item = quote! { struct GlowFrameItem; };
        let mut defaults = Vec::new();
        if with_defaults {
            defaults.push(quote! { fn glow_frame_default() {} });
        }
        let text = print(render::types_module_of(vec![item], defaults))?;
        let (before_items, rest) = split_line(&text, Self::ITEM)?;
        let (before_defaults, after) = if with_defaults {
            split_line(&rest, Self::DEFAULT)?
        } else {
            (String::new(), rest)
        };
        Ok(Frame {
            before_items,
            before_defaults,
            after,
        })
    }

    fn len(&self) -> usize {
        self.before_items.len() + self.before_defaults.len() + self.after.len()
    }
}

/// The text before and after the line holding `marker`.
fn split_line(text: &str, marker: &str) -> Result<(String, String), String> {
    let at = text
        .find(marker)
        .ok_or_else(|| format!("the printer lost `{marker}`"))?;
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
    Ok((text[..start].to_owned(), text[end..].to_owned()))
}
