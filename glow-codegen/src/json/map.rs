//! A JSON object: its members in one vector, sorted by key, each key once.

use super::Value;

/// Up to this many members, a key is found by a scan rather than a binary search.
const SCANNED: usize = 8;

/// A JSON object's members, sorted by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    /// An empty object.
    pub fn new() -> Map {
        Map::default()
    }

    /// The object of `entries` in any order (a `serde_json::Map` is in key order unless a crate
    /// in the build turns on its `preserve_order`); of a key given twice, the last value is kept.
    pub fn from_entries(mut entries: Vec<(String, Value)>) -> Map {
        // A stable sort keeps a repeated key's values in their order: the last one is kept.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept = 0;
        for at in 0..entries.len() {
            let repeated = entries
                .get(at + 1)
                .is_some_and(|next| next.0 == entries[at].0);
            if !repeated {
                entries.swap(kept, at);
                kept += 1;
            }
        }
        entries.truncate(kept);
        Map {
            entries: exact(entries),
        }
    }

    /// Where `key` is, or where it would go.
    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Where `key` is: a schema's few keys are scanned (a length or a first byte tells most
    /// apart before their text is compared), a long list of properties is searched.
    fn find(&self, key: &str) -> Option<usize> {
        if self.entries.len() <= SCANNED {
            let (length, first) = (key.len(), key.as_bytes().first());
            self.entries
                .iter()
                .position(|(k, _)| k.len() == length && k.as_bytes().first() == first && k == key)
        } else {
            self.position(key).ok()
        }
    }

    /// The same members in an allocation of their own size: an allocator may keep a shrunk
    /// block whole, so the room left by growing one member at a time is given back by a move.
    pub(crate) fn compact(self) -> Map {
        Map {
            entries: exact(self.entries),
        }
    }

    /// How many members it has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it has no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).map(|at| &self.entries[at].1)
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let at = self.find(key)?;
        Some(&mut self.entries[at].1)
    }

    /// Whether it has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// Adds `key` with `value`; the key back (and nothing changed) when it is there already.
    pub(crate) fn insert_new(&mut self, key: String, value: Value) -> Result<(), String> {
        match self.position(&key) {
            Ok(_) => Err(key),
            Err(at) => {
                self.entries.insert(at, (key, value));
                Ok(())
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.position(key).ok()?;
        Some(self.entries.remove(at).1)
    }

    /// The value of `key`, inserted by `make` when it has none.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> Value) -> &mut Value {
        let at = match self.position(key) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (key.to_owned(), make()));
                at
            }
        };
        &mut self.entries[at].1
    }

    /// The members, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &Value)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The members, in key order, their values to change.
    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&String, &mut Value)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values, in key order, to change.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(entries: I) -> Map {
        Map::from_entries(entries.into_iter().collect())
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

/// `items` in an allocation of their own size.
pub(crate) fn exact<T>(items: Vec<T>) -> Vec<T> {
    if items.capacity() == items.len() {
        return items;
    }
    let mut moved = Vec::with_capacity(items.len());
    moved.extend(items);
    moved
}
