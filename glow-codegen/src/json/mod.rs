//! The JSON the model holds its schemas in: a value like `serde_json::Value`, whose objects are
//! one sorted vector each rather than a B-tree. A schema is a few small objects; a B-tree node
//! holds room for eleven entries (some 630 bytes) however few it has, so a large API's schemas
//! took three times the memory of the document they came from. Keys stay sorted, so iteration
//! and serialization order are those of `serde_json::Value` (the manifest is byte for byte the
//! same), and two equal values have equal entries.
//!
//! ```
//! use glow_codegen::json::Value;
//!
//! let schema = Value::from(serde_json::json!({"type": "object", "required": ["id"]}));
//! assert_eq!(schema["type"], "object");
//! let keys: Vec<&String> = schema.as_object().into_iter().flat_map(|o| o.keys()).collect();
//! assert_eq!(keys, ["required", "type"]);
//! assert_eq!(schema, serde_json::json!({"required": ["id"], "type": "object"}));
//! ```

mod map;
mod serde_impl;

use std::fmt;

pub use map::Map;
pub(crate) use map::exact;
pub use serde_json::Number;

/// Builds a [`Value`] with `serde_json::json!`'s syntax.
macro_rules! json {
    ($($json:tt)+) => {
        $crate::json::Value::from(::serde_json::json!($($json)+))
    };
}
pub(crate) use json;

/// A JSON value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, its keys sorted.
    Object(Map),
}

/// The value an index that finds nothing reads.
static NULL: Value = Value::Null;

impl Value {
    /// The member `key` of an object; `None` for anything else or a missing key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|map| map.get(key))
    }

    /// The member `key` of an object, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_object_mut().and_then(|map| map.get_mut(key))
    }

    /// The value a JSON pointer (`/properties/id`) names.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let path = pointer.strip_prefix('/')?;
        path.split('/').try_fold(self, |value, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match value {
                Value::Object(map) => map.get(&token),
                // An index is plain decimal digits, without a sign or a leading zero (RFC 6901).
                Value::Array(items) if token == "0" || !token.starts_with(['0', '+']) => {
                    token.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                _ => None,
            }
        })
    }

    /// The value, leaving `null` in its place.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The flag of a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// A number that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// A number that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// A number, as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    /// The number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The items of an array, to change.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The members of an object, to change.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// Whether it is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether it is a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    /// Whether it is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// Whether it is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether it is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether it is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;

    /// The member `key`, or `null` when there is none.
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::IndexMut<&str> for Value {
    /// The member `key`, inserted as `null` when there is none; a value that is not an object
    /// becomes an empty one first.
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if !self.is_object() {
            *self = Value::Object(Map::new());
        }
        match self {
            Value::Object(map) => map.get_or_insert_with(key, || Value::Null),
            // Made an object above.
            other => other,
        }
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;

    /// The item at `index`, or `null` when there is none.
    fn index(&self, index: usize) -> &Value {
        self.as_array()
            .and_then(|items| items.get(index))
            .unwrap_or(&NULL)
    }
}

impl fmt::Display for Value {
    /// The value as compact JSON (`{:#}`: indented).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.map_err(|_| fmt::Error)?)
    }
}

impl From<serde_json::Value> for Value {
    fn from(value: serde_json::Value) -> Value {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::Bool(flag),
            serde_json::Value::Number(number) => Value::Number(number),
            serde_json::Value::String(text) => Value::String(text),
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(members) => Value::Object(Map::from_entries(
                members
                    .into_iter()
                    .map(|(k, v)| (k, Value::from(v)))
                    .collect(),
            )),
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(value: &serde_json::Value) -> Value {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::Bool(*flag),
            serde_json::Value::Number(number) => Value::Number(number.clone()),
            serde_json::Value::String(text) => Value::String(text.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from).collect())
            }
            serde_json::Value::Object(members) => Value::Object(Map::from_entries(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v)))
                    .collect(),
            )),
        }
    }
}

impl From<Value> for serde_json::Value {
    fn from(value: Value) -> serde_json::Value {
        match value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(flag) => serde_json::Value::Bool(flag),
            Value::Number(number) => serde_json::Value::Number(number),
            Value::String(text) => serde_json::Value::String(text),
            Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(serde_json::Value::from).collect())
            }
            Value::Object(members) => serde_json::Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&Value> for serde_json::Value {
    fn from(value: &Value) -> serde_json::Value {
        serde_json::Value::from(value.clone())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::String(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(text.to_owned())
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Value {
        Value::Bool(flag)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Value {
        Value::Number(number.into())
    }
}

impl From<u64> for Value {
    fn from(number: u64) -> Value {
        Value::Number(number.into())
    }
}

impl From<Number> for Value {
    fn from(number: Number) -> Value {
        Value::Number(number)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::Array(items)
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Object(map)
    }
}

impl FromIterator<Value> for Value {
    fn from_iter<I: IntoIterator<Item = Value>>(items: I) -> Value {
        Value::Array(items.into_iter().collect())
    }
}

impl PartialEq<serde_json::Value> for Value {
    fn eq(&self, other: &serde_json::Value) -> bool {
        match (self, other) {
            (Value::Null, serde_json::Value::Null) => true,
            (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Value::Number(a), serde_json::Value::Number(b)) => a == b,
            (Value::String(a), serde_json::Value::String(b)) => a == b,
            (Value::Array(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a == b)
            }
            (Value::Object(a), serde_json::Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

impl PartialEq<Value> for serde_json::Value {
    fn eq(&self, other: &Value) -> bool {
        other == self
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_keys_sorted_and_unique_however_they_are_built() {
        let from_serde = Value::from(serde_json::json!({"b": 1, "a": {"d": null, "c": [true]}}));
        let read: Value =
            serde_json::from_str(r#"{"b": 0, "a": {"d": null, "c": [true]}, "b": 1}"#)
                .unwrap_or_default();
        assert_eq!(from_serde, read);
        assert_eq!(read.to_string(), r#"{"a":{"c":[true],"d":null},"b":1}"#);
        let mut built = Map::new();
        built.insert("b".to_owned(), Value::from(1_i64));
        built.insert("a".to_owned(), json!({"c": [true], "d": null}));
        assert_eq!(Value::Object(built), from_serde);
        let repeated = Map::from_entries(vec![
            ("a".to_owned(), Value::from(1_i64)),
            ("c".to_owned(), Value::from(2_i64)),
            ("a".to_owned(), Value::from(3_i64)),
            ("b".to_owned(), Value::from(4_i64)),
            ("a".to_owned(), Value::from(5_i64)),
        ]);
        assert_eq!(
            Value::Object(repeated).to_string(),
            r#"{"a":5,"b":4,"c":2}"#
        );
    }

    #[test]
    fn reads_like_serde_json() {
        let value = json!({"a/b": {"items": [1, "two"]}, "x~y": 2.5});
        assert_eq!(value.pointer("/a~1b/items/1"), Some(&json!("two")));
        assert_eq!(value.pointer("/x~0y").and_then(Value::as_f64), Some(2.5));
        assert_eq!(value.pointer("/missing"), None);
        assert_eq!(value.pointer("/a~1b/items/01"), None);
        assert_eq!(value.pointer("/a~1b/items/+1"), None);
        assert!(value["a/b"]["items"][7].is_null());
        assert_eq!(value["a/b"]["items"][0], 1);
        assert_eq!(
            format!("{:#}", json!({"k": [1]})),
            "{\n  \"k\": [\n    1\n  ]\n}"
        );
        let back = serde_json::Value::from(value.clone());
        assert_eq!(value, back);
        assert_eq!(Value::from(&back), value);
    }

    #[test]
    fn a_value_is_as_small_as_serde_jsons_and_an_object_entry_smaller() {
        assert_eq!(std::mem::size_of::<Value>(), 32);
        assert_eq!(std::mem::size_of::<(String, Value)>(), 56);
    }
}
