//! Reading a large manifest on every core. The canonical layout puts each operation at a `- `
//! line at the margin and each type at a two-space key, so the text splits into runs of entries
//! that are documents of their own where they stand — a run of operations a sequence, a run of
//! types an indented mapping, both nesting from one level down — and a head of everything else:
//! parsed in parallel (as plain data where they are, see [`super::plain`]), then joined.
//! Anything the split cannot be sure of — a line at the margin that is not a known key, a key
//! twice, a section with no entries, a chunk the parser refuses — gives `None`, and the manifest
//! is read whole (with the parser's own message for whatever is wrong).

use std::collections::BTreeMap;

use super::ManifestFile;
use crate::model::{Operation, Schema};

/// Below this size a manifest is read whole: threads would cost more than they save.
const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// The stack of a thread reading chunks: a schema may nest [`crate::yaml::MAX_DEPTH`] deep,
/// and an unoptimised build (a proc-macro's) takes far more stack a level than a release one.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Operations or types per chunk.
const ENTRIES_PER_CHUNK: usize = 160;

/// The top-level keys of a manifest.
const KEYS: &[&str] = &[
    "manifest_version",
    "auth",
    "operations",
    "protocols",
    "types",
];

/// One piece of the manifest to parse: the head put together, or a run of entries as it
/// stands in the text.
enum Chunk<'a> {
    /// Everything but the operations and the types, with both left empty.
    Head(String),
    /// Operations, each a `- ` item at the margin: a sequence of its own.
    Operations(&'a str),
    /// Types, each a key two spaces in: a mapping of its own.
    Types(&'a str),
}

enum Parsed {
    Head(ManifestFile),
    Operations(Vec<Operation>),
    Types(BTreeMap<String, Schema>),
}

/// The manifest in `text`, read in parallel chunks; `None` when it is small or the split is
/// not certain.
pub(super) fn read(text: &str) -> Option<ManifestFile> {
    if text.len() < PARALLEL_FROM_BYTES {
        return None;
    }
    let chunks = split(text)?;
    let thread = || std::thread::Builder::new().stack_size(STACK_BYTES);
    let (parsed, ()) = crate::parallel::map(&chunks, thread, parse, || ());
    let mut head = None;
    let mut operations = Vec::new();
    let mut types = BTreeMap::new();
    for piece in parsed {
        match piece.flatten()? {
            Parsed::Head(file) => head = Some(file),
            Parsed::Operations(more) => operations.extend(more),
            Parsed::Types(more) => {
                for (name, schema) in more {
                    // A type named twice is the whole parser's error to report.
                    if types.insert(name, schema).is_some() {
                        return None;
                    }
                }
            }
        }
    }
    let mut file = head?;
    file.operations = operations;
    file.types = types;
    Some(file)
}

fn parse(chunk: &Chunk) -> Option<Parsed> {
    match chunk {
        Chunk::Head(text) => read_chunk(text, 0).map(Parsed::Head),
        Chunk::Operations(text) => read_chunk(text, 1).map(Parsed::Operations),
        Chunk::Types(text) => read_types(text).map(Parsed::Types),
    }
}

/// A chunk of types, read as plain data straight into schemas, else by the deserializing
/// parser.
fn read_types(text: &str) -> Option<BTreeMap<String, Schema>> {
    let plain = super::plain::tree::<Schema>(text, 1).and_then(|chunk| match chunk {
        Schema::Object(types) => Some(types.into_iter().collect()),
        _ => None,
    });
    plain.or_else(|| crate::yaml::from_str_under(text, 1).ok())
}

/// A chunk that sat `under` levels deep, read as plain data, else by the deserializing parser.
fn read_chunk<T: serde::de::DeserializeOwned>(text: &str, under: usize) -> Option<T> {
    super::plain::from_str(text, under).or_else(|| crate::yaml::from_str_under(text, under).ok())
}

/// A section whose entries are cut into chunks.
#[derive(Clone, Copy)]
enum Section {
    Operations,
    Types,
}

impl Section {
    /// The section a top-level key opens, if its entries are cut into chunks.
    fn of(key: &str) -> Option<Section> {
        match key {
            "operations" => Some(Section::Operations),
            "types" => Some(Section::Types),
            _ => None,
        }
    }

    /// Whether `line` starts one of its entries.
    fn starts_entry(self, line: &str) -> bool {
        match self {
            Section::Operations => super::starts_list_item(line),
            Section::Types => super::starts_nested_key(line),
        }
    }

    /// A run of its entries, as a chunk.
    fn chunk(self, run: &str) -> Chunk<'_> {
        match self {
            Section::Operations => Chunk::Operations(run),
            Section::Types => Chunk::Types(run),
        }
    }
}

/// A run of a section's entries being gathered into a chunk.
struct Run {
    section: Section,
    /// Where its text starts.
    from: usize,
    /// How many entries it has begun.
    entries: usize,
}

/// The chunks of `text`, or `None` when its layout is not the canonical one.
fn split(text: &str) -> Option<Vec<Chunk<'_>>> {
    let mut head = String::new();
    let mut chunks = Vec::new();
    // The top-level keys met so far; the run of entries not yet made a chunk, inside a section
    // whose entries are cut (everything else under a key goes to the head).
    let mut seen: Vec<&str> = Vec::new();
    let mut run: Option<Run> = None;
    let mut offset = 0;
    for (at, line) in lines(text) {
        offset = at + line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let at_margin = !content.is_empty() && !content.starts_with([' ', '-', '#']);
        if at_margin {
            let (key, rest) = content.split_once(':')?;
            if !KEYS.contains(&key) || seen.contains(&key) {
                return None;
            }
            seen.push(key);
            close(text, run.take(), at, &mut chunks)?;
            if let Some(section) = Section::of(key) {
                // Given empty in the head; the chunks hold them.
                if !rest.trim().is_empty() {
                    return None;
                }
                run = Some(Run {
                    section,
                    from: offset,
                    entries: 0,
                });
                continue;
            }
        }
        match &mut run {
            Some(open) if open.section.starts_entry(content) => {
                if open.entries == ENTRIES_PER_CHUNK {
                    let next = Run {
                        section: open.section,
                        from: at,
                        entries: 1,
                    };
                    close(text, run.replace(next), at, &mut chunks)?;
                } else {
                    open.entries += 1;
                }
            }
            Some(_) => {}
            None if !seen.is_empty() => {
                head.push_str(content);
                head.push('\n');
            }
            None if content.is_empty() || content.starts_with('#') => {}
            None => return None,
        }
    }
    close(text, run.take(), offset, &mut chunks)?;
    if !seen.contains(&"operations") || !seen.contains(&"types") {
        return None;
    }
    head.push_str("operations: []\ntypes: {}\n");
    chunks.insert(0, Chunk::Head(head));
    Some(chunks)
}

/// Each line of `text`, with its `\n`, and where it starts.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut starts = memchr::memchr_iter(b'\n', text.as_bytes()).map(|newline| newline + 1);
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from;
        if start >= text.len() {
            return None;
        }
        from = starts.next().unwrap_or(text.len());
        text.get(start..from).map(|line| (start, line))
    })
}

/// Ends `run` at `to`, making it a chunk; `None` when it has no entry (a section of comments or
/// nothing is the whole parser's to judge).
fn close<'a>(
    text: &'a str,
    run: Option<Run>,
    to: usize,
    chunks: &mut Vec<Chunk<'a>>,
) -> Option<()> {
    let Some(run) = run else {
        return Some(());
    };
    if run.entries == 0 {
        return None;
    }
    chunks.push(run.section.chunk(text.get(run.from..to)?));
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Api;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    /// A canonical manifest of `n` operations and `n` types, large enough to be read in chunks.
    fn large(n: usize) -> Result<String, Box<dyn std::error::Error>> {
        let mut api = Api::default();
        for i in 0..n {
            let yaml = format!(
                "name: op{i:05}\nevent: op{i:05}\nartifact: a\noperation: op{i}\nhttp: null\nrequest: T{i:05}\nack: null\nsource: app/ws/a/op{i}.py:3\n"
            );
            api.operations.push(crate::yaml::from_str(&yaml)?);
            api.types.insert(
                format!("T{i:05}"),
                crate::json::json!({"type": "object", "description": "A type\nover two lines.", "properties": {"name": {"type": "string", "maxLength": i}}}),
            );
        }
        Ok(super::super::to_yaml(&api)?)
    }

    #[test]
    fn lines_keep_their_ends_and_say_where_they_start() {
        let all = |text| lines(text).collect::<Vec<_>>();
        assert_eq!(all("a\nbc\n"), [(0, "a\n"), (2, "bc\n")]);
        assert_eq!(all("a\r\n\nlast"), [(0, "a\r\n"), (3, "\n"), (4, "last")]);
        assert_eq!(all("\u{e9}t\u{e9}\n"), [(0, "\u{e9}t\u{e9}\n")]);
        assert!(all("").is_empty());
    }

    #[test]
    fn a_large_canonical_manifest_reads_in_chunks_as_it_reads_whole() -> Outcome {
        let text = large(2_000)?;
        assert!(text.len() > PARALLEL_FROM_BYTES);
        let chunks = split(&text).ok_or("not split: the layout is canonical")?;
        assert!(chunks.len() > 20, "{} chunks", chunks.len());
        let parallel = read(&text).ok_or("not read in chunks")?;
        let whole: ManifestFile = crate::yaml::from_str(&text)?;
        assert_eq!(parallel.operations, whole.operations);
        assert_eq!(parallel.types, whole.types);
        assert_eq!(parallel.manifest_version, whole.manifest_version);
        Ok(())
    }

    /// Every chunk of `text` is read as plain data, and the manifest so read is the one the
    /// deserializing parser reads whole.
    fn assert_read_plain(label: &str, text: &str) -> Outcome {
        let chunks = split(text).ok_or("not split: the layout is canonical")?;
        for chunk in &chunks {
            let text = match chunk {
                Chunk::Head(text) => text.as_str(),
                Chunk::Operations(text) | Chunk::Types(text) => text,
            };
            if let Err(why) = super::super::plain::value::<serde_json::Value>(text, 0) {
                panic!("{label}: a chunk was not read as plain data: {why}");
            }
            let plain = match chunk {
                Chunk::Head(text) => {
                    super::super::plain::from_str::<ManifestFile>(text, 0).is_some()
                }
                Chunk::Operations(text) => {
                    super::super::plain::from_str::<Vec<Operation>>(text, 1).is_some()
                }
                Chunk::Types(text) => super::super::plain::tree::<Schema>(text, 1).is_some(),
            };
            assert!(plain, "{label}: a chunk's plain data did not deserialize");
        }
        let parallel = read(text).ok_or("not read in chunks")?;
        let whole: ManifestFile = crate::yaml::from_str(text)?;
        assert!(
            parallel.operations == whole.operations,
            "{label}: operations"
        );
        assert!(parallel.types == whole.types, "{label}: types");
        assert!(parallel.auth == whole.auth, "{label}: auth");
        assert!(parallel.protocols == whole.protocols, "{label}: protocols");
        Ok(())
    }

    #[test]
    fn real_manifests_read_as_plain_data_exactly_as_the_deserializer_reads_them() -> Outcome {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for spec in ["github-rest-3.0.json", "oxide-nexus-3.0.json"] {
            let read = crate::sources::Sources::new()
                .openapi(root.join("tests/data").join(spec))
                .read()?;
            let text = super::super::to_yaml(&read.api)?;
            if text.len() >= PARALLEL_FROM_BYTES {
                assert_read_plain(spec, &text)?;
            }
        }
        #[cfg(feature = "python")]
        {
            let dir = tempfile::tempdir()?;
            let corpus = glow_test_support::corpus::write(dir.path(), 1)?;
            let read = crate::sources::Sources::new()
                .ws_tree(&corpus.ws_tree)
                .openapi(&corpus.openapi)
                .read()?;
            assert_read_plain("corpus", &super::super::to_yaml(&read.api)?)?;
        }
        Ok(())
    }

    #[test]
    fn what_the_split_cannot_be_sure_of_is_read_whole() -> Outcome {
        let text = large(2_000)?;
        // A type named twice, far apart: the whole parser reports it.
        let twice = text.replacen("  T01999:", "  T00001:", 1);
        assert!(read(&twice).is_none());
        // A key the manifest does not have, a document marker, a top-level key twice.
        assert!(read(&format!("{text}extra: 1\n")).is_none());
        assert!(read(&format!("---\n{text}")).is_none());
        assert!(read(&format!("{text}manifest_version: 1\n")).is_none());
        // A chunk the parser refuses.
        let broken = text.replacen("maxLength: 1500", "maxLength: [", 1);
        assert!(read(&broken).is_none());
        // A section of nothing but a comment: the whole parser refuses it.
        let (before, rest) = text.split_once("operations:\n").ok_or("no operations")?;
        let (_, after) = rest.split_once("types:\n").ok_or("no types")?;
        let commented = format!("{before}operations:\n# none\ntypes:\n{after}");
        assert!(commented.len() > PARALLEL_FROM_BYTES);
        assert!(crate::yaml::from_str::<ManifestFile>(&commented).is_err());
        assert!(read(&commented).is_none());
        Ok(())
    }

    #[test]
    fn chunks_nest_as_deep_as_the_whole_manifest_allows_and_no_deeper() -> Outcome {
        // The whole parser recurses a level a collection: an unoptimised test needs the stack.
        std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn(|| nest_as_deep_as_whole().map_err(|error| error.to_string()))?
            .join()
            .map_err(|_| "the reading thread panicked")??;
        Ok(())
    }

    fn nest_as_deep_as_whole() -> Outcome {
        let text = large(2_000)?;
        assert!(
            text.trim_end()
                .lines()
                .last()
                .is_some_and(|l| l.starts_with("    "))
        );
        let limit = crate::yaml::MAX_DEPTH;
        for depth in limit - 6..=limit {
            let deep = format!(
                "{text}  Zdeep:\n    x: {}{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let whole = crate::yaml::from_str::<ManifestFile>(&deep).is_ok();
            assert_eq!(read(&deep).is_some(), whole, "nested {depth} deep");
        }
        Ok(())
    }
}
