//! Parsing a JSON document into a `Value` while noting every key that appears twice in one
//! object (`serde_json` keeps the last silently; the document is ambiguous).

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// The document, and its duplicate keys in the order met.
///
/// Read once without noting places; only a document that holds a duplicate key is read again,
/// keeping the path to every value, to name the objects that hold one.
pub fn parse(text: &str) -> Result<(Value, Vec<DuplicateKey>), serde_json::Error> {
    let quick = State::default();
    let value = read(text, &quick)?;
    if !quick.duplicated.get() {
        return Ok((value, Vec::new()));
    }
    drop(value);
    let placed = State {
        placed: true,
        ..State::default()
    };
    let value = read(text, &placed)?;
    Ok((value, placed.duplicates.into_inner()))
}

fn read(text: &str, state: &State) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Node { state }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

#[derive(Default)]
struct State {
    /// Whether the path to each value is kept, and each duplicate noted with its object.
    placed: bool,
    /// Whether a key was found twice in one object.
    duplicated: Cell<bool>,
    /// The keys and indexes leading to the value being read (when placed).
    path: RefCell<Vec<String>>,
    duplicates: RefCell<Vec<DuplicateKey>>,
}

impl State {
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
}

/// One value of the document, read with its place known.
#[derive(Clone, Copy)]
struct Node<'s> {
    state: &'s State,
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
        loop {
            let index = items.len();
            match self
                .state
                .enter(|| index.to_string(), || seq.next_element_seed(self))?
            {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = self
                .state
                .enter(|| key.clone(), || map.next_value_seed(self))?;
            if !self.state.placed {
                if object.insert(key, value).is_some() {
                    self.state.duplicated.set(true);
                }
            } else if object.insert(key.clone(), value).is_some() {
                let duplicate = DuplicateKey {
                    object: self.state.pointer(),
                    key,
                };
                self.state.duplicates.borrow_mut().push(duplicate);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_noted_with_their_object_and_the_last_is_kept() {
        let (value, duplicates) =
            parse(r#"{"a": 1, "p": {"/x": {"k": 1, "k": 2}}, "a": [true, {"z": null, "z": 3}]}"#)
                .unwrap();
        assert_eq!(value["p"]["/x"]["k"], 2);
        assert_eq!(
            duplicates,
            [
                DuplicateKey {
                    object: "/p/~1x".into(),
                    key: "k".into()
                },
                DuplicateKey {
                    object: "/a/1".into(),
                    key: "z".into()
                },
                DuplicateKey {
                    object: "".into(),
                    key: "a".into()
                },
            ]
        );
    }

    #[test]
    fn numbers_and_nesting_read_as_serde_json_does() {
        let text = r#"{"n": [1, -2, 3.5, 18446744073709551615], "s": "é", "t": null}"#;
        let (value, duplicates) = parse(text).unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
        assert!(duplicates.is_empty());
    }
}
