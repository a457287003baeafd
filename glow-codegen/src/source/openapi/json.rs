//! Parsing a JSON document into a `Value` while noting every key that appears twice in one
//! object (`serde_json` keeps the last silently; the document is ambiguous).
//!
//! A whole document is read with its path items and component schemas *deferred*: their text is
//! checked and its place kept, and each is read only when it is converted, then dropped — the
//! document is never held as one tree of values.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::document::escape_pointer;

/// A key found twice in one object: the object's JSON pointer and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The pointer of the object holding it (`""` for the root).
    pub object: String,
    /// The key.
    pub key: String,
}

/// The objects whose members a document defers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `paths`: one member per path item.
    Paths,
    /// `components.schemas`: one member per component schema.
    Schemas,
}

impl Section {
    /// The section's JSON pointer.
    pub fn pointer(self) -> &'static str {
        match self {
            Section::Paths => "/paths",
            Section::Schemas => "/components/schemas",
        }
    }

    fn segments(self) -> &'static [&'static str] {
        match self {
            Section::Paths => &["paths"],
            Section::Schemas => &["components", "schemas"],
        }
    }
}

/// The deferred members of a document: each one's key and the byte range of its text.
#[derive(Debug, Default)]
pub struct Deferred {
    /// `paths`, by path.
    pub paths: BTreeMap<String, Range<usize>>,
    /// `components.schemas`, by component name.
    pub schemas: BTreeMap<String, Range<usize>>,
}

impl Deferred {
    /// The members of `section`.
    pub fn of(&self, section: Section) -> &BTreeMap<String, Range<usize>> {
        match section {
            Section::Paths => &self.paths,
            Section::Schemas => &self.schemas,
        }
    }

    fn of_mut(&mut self, section: Section) -> &mut BTreeMap<String, Range<usize>> {
        match section {
            Section::Paths => &mut self.paths,
            Section::Schemas => &mut self.schemas,
        }
    }
}

/// A read document: its root (with a `null` in place of every deferred member), the deferred
/// members, and its duplicate keys in the order met.
pub struct Parsed {
    /// The root value.
    pub root: Value,
    /// Where each deferred member's text is (for a whole document).
    pub deferred: Option<Deferred>,
    /// Keys found twice in one object (deferred members not yet read).
    pub duplicates: Vec<DuplicateKey>,
}

/// A whole OpenAPI document with its path items and component schemas deferred.
pub fn parse_deferring(text: &str) -> Result<Parsed, serde_json::Error> {
    parse_with(text, &[], Mode::Root)
}

/// A deferred member's text, read; `section` and `key` place its duplicate keys.
pub fn parse_member(
    text: &str,
    section: Section,
    key: &str,
) -> Result<(Value, Vec<DuplicateKey>), serde_json::Error> {
    let mut place: Vec<&str> = section.segments().to_vec();
    place.push(key);
    let parsed = parse_with(text, &place, Mode::Plain)?;
    Ok((parsed.root, parsed.duplicates))
}

/// `text` read from `mode` (the root's mode: [`Mode::Root`] defers, [`Mode::Plain`] reads
/// whole) at `place`. Read once without noting places; only a text that holds a duplicate key is
/// read again, keeping the path to every value, to name the objects that hold one.
fn parse_with(text: &str, place: &[&str], mode: Mode) -> Result<Parsed, serde_json::Error> {
    let quick = State::new(text, false);
    let root = read(text, &quick, mode)?;
    let whole = matches!(mode, Mode::Root);
    if !quick.duplicated.get() {
        return Ok(Parsed {
            root,
            deferred: whole.then(|| quick.deferred.into_inner()),
            duplicates: Vec::new(),
        });
    }
    drop(root);
    let placed = State::new(text, true);
    placed
        .path
        .borrow_mut()
        .extend(place.iter().map(|segment| (*segment).to_owned()));
    let root = read(text, &placed, mode)?;
    Ok(Parsed {
        root,
        deferred: whole.then(|| placed.deferred.into_inner()),
        duplicates: placed.duplicates.into_inner(),
    })
}

fn read(text: &str, state: &State, mode: Mode) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Node { state, mode }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

struct State {
    /// Where the text starts in memory: a deferred member's range is its offset from here.
    base: usize,
    /// Whether the path to each value is kept, and each duplicate noted with its object.
    placed: bool,
    /// Whether a key was found twice in one object.
    duplicated: Cell<bool>,
    /// The keys and indexes leading to the value being read (when placed).
    path: RefCell<Vec<String>>,
    duplicates: RefCell<Vec<DuplicateKey>>,
    deferred: RefCell<Deferred>,
}

impl State {
    fn new(text: &str, placed: bool) -> Self {
        State {
            base: text.as_ptr() as usize,
            placed,
            duplicated: Cell::new(false),
            path: RefCell::default(),
            duplicates: RefCell::default(),
            deferred: RefCell::default(),
        }
    }

    fn pointer(&self) -> String {
        self.path
            .borrow()
            .iter()
            .map(|segment| format!("/{}", escape_pointer(segment)))
            .collect()
    }

    /// Reads one value below `segment` of the current path.
    fn enter<T>(&self, segment: impl FnOnce() -> String, read: impl FnOnce() -> T) -> T {
        if !self.placed {
            return read();
        }
        self.path.borrow_mut().push(segment());
        let value = read();
        self.path.borrow_mut().pop();
        value
    }

    /// Notes that a key was inserted twice into the object being read, with the key when
    /// places are kept.
    fn duplicate(&self, key: Option<String>) {
        self.duplicated.set(true);
        if let Some(key) = key {
            let duplicate = DuplicateKey {
                object: self.pointer(),
                key,
            };
            self.duplicates.borrow_mut().push(duplicate);
        }
    }
}

/// Where in a read a value is: on the way to a deferred object, in one, or anywhere else.
#[derive(Clone, Copy)]
enum Mode {
    /// The root object of a whole document.
    Root,
    /// `components`.
    Components,
    /// An object whose members are deferred.
    Deferring(Section),
    /// Anywhere else: read whole.
    Plain,
}

impl Mode {
    /// The mode of the member `key` of an object read in this mode.
    fn member(self, key: &str) -> Mode {
        match (self, key) {
            (Mode::Root, "paths") => Mode::Deferring(Section::Paths),
            (Mode::Root, "components") => Mode::Components,
            (Mode::Components, "schemas") => Mode::Deferring(Section::Schemas),
            _ => Mode::Plain,
        }
    }
}

/// One value of the document, read with its place known.
#[derive(Clone, Copy)]
struct Node<'s> {
    state: &'s State,
    mode: Mode,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let item = Node {
            state: self.state,
            mode: Mode::Plain,
        };
        loop {
            let index = items.len();
            match self
                .state
                .enter(|| index.to_string(), || seq.next_element_seed(item))?
            {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match self.mode {
                Mode::Deferring(section) => {
                    let raw: &'de RawValue = map.next_value()?;
                    let start = (raw.get().as_ptr() as usize).saturating_sub(self.state.base);
                    let range = start..start + raw.get().len();
                    let mut deferred = self.state.deferred.borrow_mut();
                    deferred.of_mut(section).insert(key.clone(), range);
                    Value::Null
                }
                mode => {
                    let member = Node {
                        state: self.state,
                        mode: mode.member(&key),
                    };
                    self.state
                        .enter(|| key.clone(), || map.next_value_seed(member))?
                }
            };
            let noted = self.state.placed.then(|| key.clone());
            if object.insert(key, value).is_some() {
                self.state.duplicate(noted);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn duplicate_keys_are_noted_with_their_object_and_the_last_is_kept() -> Outcome {
        let (value, duplicates) = parse_member(
            r#"{"a": 1, "p": {"/x": {"k": 1, "k": 2}}, "a": [true, {"z": null, "z": 3}]}"#,
            Section::Paths,
            "/w",
        )?;
        assert_eq!(value["p"]["/x"]["k"], 2);
        assert_eq!(
            duplicates,
            [
                DuplicateKey {
                    object: "/paths/~1w/p/~1x".into(),
                    key: "k".into()
                },
                DuplicateKey {
                    object: "/paths/~1w/a/1".into(),
                    key: "z".into()
                },
                DuplicateKey {
                    object: "/paths/~1w".into(),
                    key: "a".into()
                },
            ]
        );
        Ok(())
    }

    #[test]
    fn numbers_and_nesting_read_as_serde_json_does() -> Outcome {
        let text = r#"{"n": [1, -2, 3.5, 18446744073709551615], "s": "é", "t": null}"#;
        let (value, duplicates) = parse_member(text, Section::Schemas, "X")?;
        assert_eq!(value, serde_json::from_str::<Value>(text)?);
        assert!(duplicates.is_empty());
        Ok(())
    }

    #[test]
    fn path_items_and_component_schemas_are_deferred_to_their_text() -> Outcome {
        let text = r#"{"openapi": "3.1.0", "paths": {"/a": {"get": {}}, "/a": {"put": {}}},
            "components": {"schemas": {"B": {"type": "string"}}, "parameters": {"p": {}}}}"#;
        let parsed = parse_deferring(text)?;
        let range = |section: Section, key: &str| {
            let range = parsed
                .deferred
                .as_ref()
                .and_then(|deferred| deferred.of(section).get(key).cloned())
                .unwrap_or(0..0);
            text.get(range).unwrap_or_default()
        };
        assert_eq!(
            range(Section::Paths, "/a"),
            r#"{"put": {}}"#,
            "the last is kept"
        );
        assert_eq!(range(Section::Schemas, "B"), r#"{"type": "string"}"#);
        assert_eq!(parsed.root["paths"]["/a"], Value::Null);
        assert_eq!(
            parsed.root["components"]["parameters"]["p"],
            serde_json::json!({})
        );
        assert_eq!(
            parsed.duplicates,
            [DuplicateKey {
                object: "/paths".into(),
                key: "/a".into()
            }]
        );
        assert!(parse_deferring(r#"{"paths": {"/a": {"get": }}}"#).is_err());
        Ok(())
    }
}
