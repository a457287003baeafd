//! Named types collected from the sources, and the pass that gives each a unique, stable name.
//!
//! While reading, types are keyed internally (`app.infra.persona.types:Persona`) and reference
//! each other as `#/types/<key>`. [`TypeSet::finish`] picks each type's name — its preferred name,
//! or, where two distinct types prefer the same name, that name qualified by where they come
//! from — and rewrites every reference.

use std::collections::{BTreeMap, HashMap};

use super::Origin;
use crate::diagnostic::{Code, Diagnostic};
use crate::ident::{Scope, pascal_case};
use crate::model::{Schema, rewrite_refs};

/// One collected type.
#[derive(Debug, Clone)]
pub struct TypeEntry {
    /// The name it gets when no other type wants it, e.g. `Persona`.
    pub preferred: String,
    /// Words that tell it apart from a namesake, most specific first
    /// (for a class: its module path, innermost first).
    pub qualifiers: Vec<String>,
    /// The schema, with references to internal keys.
    pub schema: Schema,
    /// Where it is defined, for diagnostics.
    pub origin: Origin,
}

/// The types collected so far, by internal key.
#[derive(Debug, Default)]
pub struct TypeSet {
    entries: BTreeMap<String, TypeEntry>,
}

/// The outcome of naming: the types by final name, and each internal key's final name.
#[derive(Debug, Default)]
pub struct NamedTypes {
    /// Types by final name, references rewritten.
    pub types: BTreeMap<String, Schema>,
    /// Internal key → final name.
    pub names: HashMap<String, String>,
    /// Collisions that qualification could not settle.
    pub diagnostics: Vec<Diagnostic>,
}

impl TypeSet {
    /// True when `key` is collected (or being collected).
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Adds or replaces the type under `key`.
    pub fn insert(&mut self, key: impl Into<String>, entry: TypeEntry) {
        self.entries.insert(key.into(), entry);
    }

    /// Replaces the schema under `key` (a type read after its placeholder went in).
    pub fn set_schema(&mut self, key: &str, schema: Schema) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.schema = schema;
        }
    }

    /// The schema under `key`.
    pub fn schema(&self, key: &str) -> Option<&Schema> {
        self.entries.get(key).map(|e| &e.schema)
    }

    /// Names every type and rewrites references to the final names.
    pub fn finish(self) -> NamedTypes {
        let mut by_preferred: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (key, entry) in &self.entries {
            by_preferred.entry(&entry.preferred).or_default().push(key);
        }
        let mut names: HashMap<String, String> = HashMap::new();
        let mut taken = Scope::with_taken(
            by_preferred
                .iter()
                .filter(|(_, keys)| keys.len() == 1)
                .map(|(name, _)| *name),
        );
        let mut diagnostics = Vec::new();
        for (preferred, keys) in &by_preferred {
            if let [key] = keys.as_slice() {
                names.insert((*key).to_owned(), (*preferred).to_owned());
                continue;
            }
            for key in keys {
                let entry = &self.entries[*key];
                let name = qualified_name(entry, keys, &self.entries, &taken);
                let name = match name {
                    Some(name) => taken.claim(&name),
                    None => {
                        let name = taken.claim(preferred);
                        diagnostics.push(Diagnostic::warning(
                            Code::TypeNameCollision,
                            entry.origin.path.clone(),
                            entry.origin.at,
                            format!(
                                "type `{preferred}` is defined more than once and its origins \
                                 cannot tell the copies apart; this one is named `{name}`"
                            ),
                        ));
                        name
                    }
                };
                names.insert((*key).to_owned(), name);
            }
        }
        let types = self
            .entries
            .into_iter()
            .map(|(key, mut entry)| {
                rewrite_refs(&mut entry.schema, &names);
                (names[&key].clone(), entry.schema)
            })
            .collect();
        NamedTypes {
            types,
            names,
            diagnostics,
        }
    }
}

/// The shortest qualification of `entry` that no namesake in `keys` and no taken name shares.
fn qualified_name(
    entry: &TypeEntry,
    keys: &[&str],
    entries: &BTreeMap<String, TypeEntry>,
    taken: &Scope,
) -> Option<String> {
    let qualify = |entry: &TypeEntry, depth: usize| -> Option<String> {
        if depth > entry.qualifiers.len() {
            return None;
        }
        let prefix: String = entry.qualifiers[..depth]
            .iter()
            .rev()
            .map(|q| pascal_case(q))
            .collect();
        Some(format!("{prefix}{}", entry.preferred))
    };
    (1..=entry.qualifiers.len()).find_map(|depth| {
        let candidate = qualify(entry, depth)?;
        let clash = keys
            .iter()
            .map(|k| &entries[*k])
            .filter(|other| !std::ptr::eq(*other, entry))
            .any(|other| qualify(other, depth).as_deref() == Some(candidate.as_str()));
        (!clash && taken.free(&candidate) == candidate).then_some(candidate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;
    use crate::json::json;

    fn entry(preferred: &str, qualifiers: &[&str], schema: Schema) -> TypeEntry {
        TypeEntry {
            preferred: preferred.into(),
            qualifiers: qualifiers.iter().map(|q| (*q).to_owned()).collect(),
            schema,
            origin: Origin {
                path: "x.py".into(),
                at: Position::START,
            },
        }
    }

    #[test]
    fn unique_names_stay_and_references_are_rewritten() {
        let mut set = TypeSet::default();
        set.insert("m:Inner", entry("Inner", &["m"], json!({"type": "string"})));
        set.insert(
            "m:Outer",
            entry(
                "Outer",
                &["m"],
                json!({"properties": {"i": {"$ref": "#/types/m:Inner"}}}),
            ),
        );
        let named = set.finish();
        assert_eq!(
            named.types["Outer"],
            json!({"properties": {"i": {"$ref": "#/types/Inner"}}})
        );
        assert!(named.diagnostics.is_empty());
    }

    #[test]
    fn namesakes_are_qualified_by_their_module_until_distinct() {
        let mut set = TypeSet::default();
        set.insert(
            "app.ws.persona.search:Payload",
            entry("Payload", &["search", "persona", "ws", "app"], json!({})),
        );
        set.insert(
            "app.ws.scenario.search:Payload",
            entry("Payload", &["search", "scenario", "ws", "app"], json!({})),
        );
        let named = set.finish();
        let names: Vec<&String> = named.types.keys().collect();
        assert_eq!(names, ["PersonaSearchPayload", "ScenarioSearchPayload"]);
    }

    #[test]
    fn indistinguishable_namesakes_are_numbered_with_a_warning() {
        let mut set = TypeSet::default();
        set.insert("a", entry("Same", &[], json!({})));
        set.insert("b", entry("Same", &[], json!({})));
        let named = set.finish();
        assert_eq!(named.types.keys().collect::<Vec<_>>(), ["Same", "Same2"]);
        assert_eq!(named.diagnostics.len(), 2);
        assert_eq!(named.diagnostics[0].code, Code::TypeNameCollision);
    }
}
