//! Loading an OpenAPI document: JSON or YAML (told apart by content), its version, and
//! best-effort places for diagnostics.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::json::{Deferred, DuplicateKey, Parsed, Section};
use crate::diagnostic::{LineIndex, Position};

/// An OpenAPI document that could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum OpenApiError {
    /// The file is missing or unreadable.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// Not JSON or YAML.
    #[error("{path}:{line}:{col}: not valid {format}: {message}")]
    Syntax {
        /// The document, as the user named it.
        path: String,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// The parser's message.
        message: String,
    },
    /// Not an OpenAPI 3.0 or 3.1 document.
    #[error("{path}: {message}")]
    NotOpenApi {
        /// The document, as the user named it.
        path: String,
        /// What is missing or unsupported.
        message: String,
    },
}

/// The OpenAPI major.minor a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 3.0.x: `nullable`, boolean `exclusiveMinimum`, `example`.
    V30,
    /// 3.1.x: JSON Schema 2020-12.
    V31,
}

/// A loaded document with its text, for locating diagnostics.
///
/// A JSON document's path items and component schemas are read one at a time, when asked for
/// ([`Document::member`]); a YAML document is read whole.
pub struct Document {
    /// The file as the user named it.
    pub display: String,
    /// The raw text.
    pub text: String,
    /// The parsed document, with a `null` in place of each deferred member.
    root: Value,
    /// Where each deferred member's text is: a JSON document's path items and component
    /// schemas (`None` for YAML, read whole).
    deferred: Option<Deferred>,
    /// Its OpenAPI version.
    pub version: Version,
    /// Keys a JSON document holds twice in one object, found so far (YAML refuses them when
    /// parsing).
    duplicate_keys: Mutex<Vec<DuplicateKey>>,
    /// Where each object key first appears, built on first use.
    keys: OnceLock<HashMap<String, Position>>,
    /// Where each `$ref` target is first referenced, built on first use.
    refs: OnceLock<HashMap<String, Position>>,
    /// The byte offset each line starts at, built on first use.
    lines: OnceLock<LineIndex>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("display", &self.display)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Document {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Document, OpenApiError> {
        let display = path.display().to_string();
        let text = crate::input::read_text(path, &display, crate::input::InputKind::OpenApi)?;
        Self::parse(display, text)
    }

    /// Parses `text` (JSON when it starts with `{`, YAML otherwise), indexing its keys for
    /// diagnostics on a second core meanwhile.
    pub fn parse(display: String, text: String) -> Result<Document, OpenApiError> {
        let (parsed, keys) = std::thread::scope(|scope| {
            let keys = scope.spawn(|| index_keys(&text));
            let parsed = Self::parse_root(&display, &text);
            (parsed, keys.join())
        });
        let (parsed, version) = parsed?;
        let indexed = OnceLock::new();
        if let Ok(keys) = keys {
            let _ = indexed.set(keys);
        }
        Ok(Document {
            display,
            text,
            root: parsed.root,
            deferred: parsed.deferred,
            version,
            duplicate_keys: Mutex::new(parsed.duplicates),
            keys: indexed,
            refs: OnceLock::new(),
            lines: OnceLock::new(),
        })
    }

    /// The document's root (JSON deferring its members), and its version.
    fn parse_root(display: &str, text: &str) -> Result<(Parsed, Version), OpenApiError> {
        let parsed = if is_json(text) {
            super::json::parse_deferring(text).map_err(|error| OpenApiError::Syntax {
                path: display.to_owned(),
                format: "JSON",
                line: error.line(),
                col: error.column(),
                message: error.to_string(),
            })?
        } else {
            let root = crate::yaml::from_str(text).map_err(|error| {
                let (line, col) = error
                    .location()
                    .map_or((0, 0), |at| (at.line() as usize, at.column() as usize));
                OpenApiError::Syntax {
                    path: display.to_owned(),
                    format: "YAML",
                    line,
                    col,
                    message: crate::yaml::message(&error),
                }
            })?;
            Parsed {
                root,
                deferred: None,
                duplicates: Vec::new(),
            }
        };
        let root = &parsed.root;
        let not_openapi = |message: String| OpenApiError::NotOpenApi {
            path: display.to_owned(),
            message,
        };
        let declared = root.get("openapi").and_then(Value::as_str);
        let version = match declared {
            Some(v) if v.starts_with("3.0") => Version::V30,
            Some(v) if v.starts_with("3.1") => Version::V31,
            Some(v) => {
                return Err(not_openapi(format!(
                    "OpenAPI {v} is not supported (3.0.x and 3.1.x are)"
                )));
            }
            None if root.get("swagger").is_some() => {
                return Err(not_openapi(
                    "Swagger 2.0 is not supported: convert it to OpenAPI 3".into(),
                ));
            }
            None => {
                return Err(not_openapi(
                    "no `openapi` version field: not an OpenAPI document".into(),
                ));
            }
        };
        Ok((parsed, version))
    }

    /// The member `key` of the document's top-level object (not a deferred section's).
    pub fn top(&self, key: &str) -> Option<&Value> {
        self.root.get(key)
    }

    /// The value at a JSON pointer (`#/components/schemas/X` or `/components/...`); inside a
    /// deferred member, read from its text.
    pub fn pointer(&self, pointer: &str) -> Option<Cow<'_, Value>> {
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        if self.deferred.is_none() {
            return self.root.pointer(pointer).map(Cow::Borrowed);
        }
        for section in [Section::Paths, Section::Schemas] {
            let Some(rest) = pointer
                .strip_prefix(section.pointer())
                .and_then(|rest| rest.strip_prefix('/'))
            else {
                continue;
            };
            let (segment, inside) = match rest.split_once('/') {
                Some((segment, inside)) => (segment, Some(inside)),
                None => (rest, None),
            };
            let member = self.member(section, &unescape_pointer(segment))?;
            return match inside {
                None => Some(member),
                Some(inside) => member
                    .pointer(&format!("/{inside}"))
                    .cloned()
                    .map(Cow::Owned),
            };
        }
        self.root.pointer(pointer).map(Cow::Borrowed)
    }

    /// The keys of `section`'s object, in order.
    pub fn members(&self, section: Section) -> Vec<&str> {
        if let Some(deferred) = &self.deferred {
            return deferred.of(section).keys().map(String::as_str).collect();
        }
        self.root
            .pointer(section.pointer())
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|object| object.keys().map(String::as_str))
            .collect()
    }

    /// The member `key` of `section`: a deferred one read from its text (each read notes the
    /// keys it holds twice).
    pub fn member(&self, section: Section, key: &str) -> Option<Cow<'_, Value>> {
        let Some(deferred) = &self.deferred else {
            let object = self.root.pointer(section.pointer())?;
            return object.get(key).map(Cow::Borrowed);
        };
        // The text was checked whole at load: reading it again does not fail.
        let text = self.text.get(deferred.of(section).get(key)?.clone())?;
        let (value, duplicates) = super::json::parse_member(text, section, key).ok()?;
        if !duplicates.is_empty()
            && let Ok(mut found) = self.duplicate_keys.lock()
        {
            found.extend(duplicates);
        }
        Some(Cow::Owned(value))
    }

    /// The keys found twice in one object so far: read every member first.
    pub fn duplicate_keys(&self) -> Vec<DuplicateKey> {
        self.duplicate_keys
            .lock()
            .map(|found| found.clone())
            .unwrap_or_default()
    }

    /// Where `needle` first appears in the text, as a best-effort place for a diagnostic.
    pub fn locate(&self, needle: &str) -> Position {
        match self.text.find(needle) {
            Some(offset) => self.position(offset),
            None => Position::START,
        }
    }

    /// Where the object key `key` first appears (JSON `"key":`, YAML `key:`, `'key':` or `"key":`).
    pub fn locate_key(&self, key: &str) -> Position {
        let keys = self.keys.get_or_init(|| index_keys(&self.text));
        keys.get(key).copied().unwrap_or(Position::START)
    }

    fn position(&self, offset: usize) -> Position {
        let lines = self.lines.get_or_init(|| LineIndex::new(&self.text));
        lines.position(&self.text, offset)
    }

    /// The place of a `$ref` to `target`, in JSON or YAML spelling.
    pub fn locate_ref(&self, target: &str) -> Position {
        let refs = self.refs.get_or_init(|| {
            let lines = self.lines.get_or_init(|| LineIndex::new(&self.text));
            index_refs(&self.text, lines.starts())
        });
        refs.get(target).copied().unwrap_or(Position::START)
    }
}

/// The first place of every `$ref`'s target, in one pass: `"$ref": "t"`, `$ref: 't'`,
/// `$ref: t`. The place is where the `$ref` key starts (its quote, in JSON).
fn index_refs(text: &str, lines: &[usize]) -> HashMap<String, Position> {
    let mut refs = HashMap::new();
    let mut line = 0;
    let mut columns = Columns::new(
        text.get(..lines.get(1).copied().unwrap_or(text.len()))
            .unwrap_or(text),
    );
    for (at, _) in text.match_indices("$ref") {
        let quoted_key = at > 0 && matches!(text.as_bytes()[at - 1], b'"' | b'\'');
        let after_key = if quoted_key { at + 5 } else { at + 4 };
        let Some(rest) = text.get(after_key..) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start_matches([' ', '\t']);
        let target = match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next(),
            Some(_) => value.split(['\n', '\r', ',', '}', ' ']).next(),
            None => None,
        };
        if let Some(target) = target {
            let start = if quoted_key { at - 1 } else { at };
            let at_line = lines.partition_point(|&s| s <= start).max(1);
            if at_line != line {
                line = at_line;
                let end = lines.get(line).copied().unwrap_or(text.len());
                columns = Columns::new(text.get(lines[line - 1]..end).unwrap_or_default());
            }
            let col = columns.at(start - lines[line - 1]);
            refs.entry(target.to_owned())
                .or_insert(Position::new(u32::try_from(line).unwrap_or(u32::MAX), col));
        }
    }
    refs
}

/// The first place of every object key in one pass over the text (JSON or YAML).
fn index_keys(text: &str) -> HashMap<String, Position> {
    if is_json(text) {
        index_json_keys(text)
    } else {
        index_yaml_keys(text)
    }
}

/// Whether a document is read as JSON: it starts with `{`.
fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// The first place of every key of a JSON text: a string followed by `:`.
fn index_json_keys(text: &str) -> HashMap<String, Position> {
    let mut keys = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut columns = None;
        let mut at = 0;
        while let Some(open) = line.get(at..).and_then(|rest| rest.find('"')) {
            let start = at + open;
            let Some(end) = closing_quote(line, start + 1) else {
                break;
            };
            let key = &line[start + 1..end];
            at = end + 1;
            if line[at..].trim_start().starts_with(':') && !keys.contains_key(key) {
                let columns = columns.get_or_insert_with(|| Columns::new(line));
                keys.insert(
                    key.to_owned(),
                    Position::new(line_number, columns.at(start)),
                );
            }
        }
    }
    keys
}

/// The byte offset of the `"` that closes a JSON string whose text starts at `from`, past
/// escaped quotes.
fn closing_quote(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = from;
    loop {
        let found = at
            + bytes
                .get(at..)?
                .iter()
                .position(|&byte| byte == b'"' || byte == b'\\')?;
        if bytes[found] == b'"' {
            return Some(found);
        }
        at = found + 2;
    }
}

/// The first place of every key of a YAML text: quoted keys (`"k":`, `'k':`) anywhere, and
/// plain keys (`k:`) at the start of a line.
fn index_yaml_keys(text: &str) -> HashMap<String, Position> {
    let mut keys = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut columns = Columns::new(line);
        let mut column = |byte: usize| columns.at(byte);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let plain = trimmed.trim_start_matches("- ");
        let plain_start = line.len() - plain.len();
        if let Some(end) = plain
            .find(": ")
            .or_else(|| plain.strip_suffix(':').map(|k| k.len()))
        {
            let key = &plain[..end];
            if !key.is_empty() && !key.starts_with(['"', '\'', '{', '#']) && !keys.contains_key(key)
            {
                keys.insert(
                    key.to_owned(),
                    Position::new(line_number, column(plain_start)),
                );
            }
        }
        let bytes = line.as_bytes();
        let mut at = indent;
        while at < bytes.len() {
            let quote = bytes[at];
            if quote != b'"' && quote != b'\'' {
                at += 1;
                continue;
            }
            let Some(length) = line[at + 1..].find(quote as char) else {
                break;
            };
            let end = at + 1 + length;
            let after = line[end + 1..].trim_start();
            let key = &line[at + 1..end];
            if after.starts_with(':') && !keys.contains_key(key) {
                keys.insert(key.to_owned(), Position::new(line_number, column(at)));
            }
            at = end + 1;
        }
    }
    keys
}

/// Columns of byte offsets on one line, counted incrementally: offsets asked in increasing order
/// cost the length of the line once, not once each (a minified JSON document is one line).
struct Columns<'a> {
    line: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> Columns<'a> {
    fn new(line: &'a str) -> Self {
        Columns {
            line,
            byte: 0,
            chars: 0,
        }
    }

    /// The 1-based column of byte `byte`.
    fn at(&mut self, byte: usize) -> u32 {
        let byte = byte.min(self.line.len());
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self
            .line
            .get(self.byte..byte)
            .map_or(0, |between| between.chars().count());
        self.byte = byte;
        u32::try_from(self.chars + 1).unwrap_or(u32::MAX)
    }
}

/// Escapes a key for use in a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer's segment as the key it stands for (`~1` → `/`, `~0` → `~`).
pub fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_are_told_apart_by_content() {
        let json =
            Document::parse("a".into(), r#"{"openapi": "3.1.0", "paths": {}}"#.into()).unwrap();
        assert_eq!(json.version, Version::V31);
        let yaml = Document::parse("a".into(), "openapi: 3.0.3\npaths: {}\n".into()).unwrap();
        assert_eq!(yaml.version, Version::V30);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error =
            Document::parse("spec.json".into(), "{\n  \"openapi\": ,\n}".into()).unwrap_err();
        let OpenApiError::Syntax {
            line, col, format, ..
        } = error
        else {
            panic!("expected a syntax error");
        };
        assert_eq!((format, line, col), ("JSON", 2, 14));
    }

    #[test]
    fn swagger_and_unknown_versions_are_refused() {
        let swagger = Document::parse("s".into(), "swagger: '2.0'\n".into()).unwrap_err();
        assert!(swagger.to_string().contains("Swagger 2.0"));
        let four = Document::parse("s".into(), "openapi: 4.0.0\n".into()).unwrap_err();
        assert!(four.to_string().contains("OpenAPI 4.0.0 is not supported"));
    }

    #[test]
    fn json_keys_are_located_past_escaped_quotes_and_string_values() {
        let text =
            "{\"openapi\": \"3.1.0\",\n  \"a\": \"say \\\"b\\\": no\", \"é\": 1, \"b\": 2\n}";
        let keys = index_keys(text);
        assert_eq!(keys.get("openapi"), Some(&Position::new(1, 2)));
        assert_eq!(keys.get("a"), Some(&Position::new(2, 3)));
        assert_eq!(keys.get("é"), Some(&Position::new(2, 25)));
        assert_eq!(keys.get("b"), Some(&Position::new(2, 33)));
        assert_eq!(keys.get("3.1.0"), None);
        assert_eq!(keys.get("say \\\"b\\\""), None);
    }

    #[test]
    fn refs_are_located_in_the_text() {
        let doc = Document::parse(
            "s".into(),
            "{\n  \"openapi\": \"3.1.0\",\n  \"x\": {\"$ref\": \"#/components/schemas/Gone\"}\n}"
                .into(),
        )
        .unwrap();
        assert_eq!(
            doc.locate_ref("#/components/schemas/Gone"),
            Position::new(3, 9)
        );
    }
}
