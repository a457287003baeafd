//! Joining the types of two sources: a socket payload model and the HTTP schema FastAPI made
//! from the same Pydantic class are one type, not two.
//!
//! A socket type `X` is the HTTP type `X` (or `X-Input`, FastAPI's name for a model's
//! validation side) when their schemas are equal and every type they reference is, in turn,
//! the same on both sides (the largest such relation). A socket type that only shares a name
//! with a different HTTP type is qualified `Ws<X>` (numbered by [`crate::ident::Scope`] if that
//! is taken too); no type ever replaces another silently.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::json::Value;

use crate::drift::Fields;
use crate::equivalence::Relation;
use crate::ident::Scope;
use crate::model::{Schema, rewrite_refs};

/// The HTTP types with the socket types joined in, and each socket type's final name.
#[derive(Debug, Default)]
pub(crate) struct Joined {
    /// Every type.
    pub(crate) types: BTreeMap<String, Schema>,
    /// Socket type name → final name.
    pub(crate) renames: HashMap<String, String>,
}

impl Joined {
    /// The final name of the socket type `name`.
    pub(crate) fn final_name(&self, name: String) -> String {
        self.renames.get(&name).cloned().unwrap_or(name)
    }
}

/// Joins `ws` types into `http` types.
pub(crate) fn join(ws: &BTreeMap<String, Schema>, http: &BTreeMap<String, Schema>) -> Joined {
    let mut same: BTreeSet<(String, String)> = BTreeSet::new();
    for name in ws.keys() {
        for candidate in [name.clone(), format!("{name}Input")] {
            if http.contains_key(&candidate) {
                same.insert((name.clone(), candidate));
            }
        }
    }
    let same = Relation {
        pairs: same,
        reflexive: false,
    }
    .largest(ws, http)
    .pairs;
    let mut renames = HashMap::new();
    let mut names = Scope::with_taken(http.keys().chain(ws.keys()).cloned());
    for name in ws.keys() {
        let exact = (name.clone(), name.clone());
        let input = (name.clone(), format!("{name}Input"));
        let target = if same.contains(&exact) {
            exact.1
        } else if same.contains(&input) {
            input.1
        } else if http.contains_key(name) {
            names.claim(&format!("Ws{name}"))
        } else {
            name.clone()
        };
        renames.insert(name.clone(), target);
    }
    let mut types = http.clone();
    for (name, schema) in ws {
        let target = &renames[name];
        if http.contains_key(target) && same.contains(&(name.clone(), target.clone())) {
            // One type: the HTTP side's, with what only the Python side knows.
            if let Some(joined) = types.get_mut(target) {
                add_python_knowledge(joined, schema);
            }
            continue;
        }
        let mut schema = schema.clone();
        rewrite_refs(&mut schema, &renames);
        if target != name
            && let Some(namesake) = http.get(name)
        {
            explain_rename(&mut schema, name, namesake);
        }
        types.insert(target.clone(), schema);
    }
    Joined { types, renames }
}

/// Adds to an HTTP schema what the equal Python model says and FastAPI's document leaves out:
/// enum member names (`x-enum-varnames`) and the empty collection a `default_factory` makes,
/// at the top and in every property, item and member.
fn add_python_knowledge(http: &mut Schema, python: &Schema) {
    let (Value::Object(http), Value::Object(python)) = (http, python) else {
        return;
    };
    for key in ["x-enum-varnames", "default"] {
        if let Some(value) = python.get(key).filter(|value| !value.is_null())
            && !http.contains_key(key)
        {
            http.insert(key.to_owned(), value.clone());
        }
    }
    if let (Some(Value::Object(ours)), Some(Value::Object(theirs))) =
        (http.get_mut("properties"), python.get("properties"))
    {
        for (name, property) in ours.iter_mut() {
            if let Some(python) = theirs.get(name) {
                add_python_knowledge(property, python);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let (Some(ours), Some(theirs)) = (http.get_mut(key), python.get(key)) {
            add_python_knowledge(ours, theirs);
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let (Some(Value::Array(ours)), Some(Value::Array(theirs))) =
            (http.get_mut(key), python.get(key))
            && ours.len() == theirs.len()
        {
            for (ours, theirs) in ours.iter_mut().zip(theirs) {
                add_python_knowledge(ours, theirs);
            }
        }
    }
}

/// Says in the socket type's description why it is not called `name`: the HTTP side has a
/// different type of that name, and how the two differ, field by field.
fn explain_rename(schema: &mut Schema, name: &str, namesake: &Schema) {
    let (ours, theirs) = (Fields::of(schema), Fields::of(namesake));
    let (our_required, their_required) = (&ours.required, &theirs.required);
    let (ours, theirs) = (&ours.properties, &theirs.properties);
    let mut differences = Vec::new();
    for (field, shape) in ours {
        match theirs.get(field) {
            None => differences.push(format!("`{field}` is only here")),
            Some(other) if other != shape && shape != "any" && other != "any" => {
                differences.push(format!("`{field}` is `{shape}` here but `{other}` there"));
            }
            Some(_) if our_required.contains(field) != their_required.contains(field) => {
                let here = if our_required.contains(field) {
                    "required"
                } else {
                    "optional"
                };
                differences.push(format!("`{field}` is {here} here but not there"));
            }
            Some(_) => {}
        }
    }
    for field in theirs.keys().filter(|f| !ours.contains_key(*f)) {
        differences.push(format!("`{field}` is only there"));
    }
    let mut note = format!(
        "The socket server's `{name}`: the HTTP document has a different type of that name \
         (`{name}`), so this one is prefixed `Ws`."
    );
    if !differences.is_empty() {
        note.push_str(&format!(" They differ: {}.", differences.join("; ")));
    }
    if let Some(object) = schema.as_object_mut() {
        let description = match object.get("description").and_then(Value::as_str) {
            Some(existing) => format!("{existing}\n\n{note}"),
            None => note,
        };
        object.insert("description".to_owned(), Value::String(description));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::json;

    fn map(entries: &[(&str, Value)]) -> BTreeMap<String, Schema> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn models_that_differ_only_in_labels_null_defaults_empty_required_and_nullable_spelling_are_one_type()
     {
        let ws = map(&[(
            "P",
            json!({"type": "object", "description": "A payload.", "properties": {
                "q": {"type": ["string", "null"], "default": null, "maxLength": 5, "description": "Query."},
                "ids": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}], "default": null}
            }}),
        )]);
        let http = map(&[(
            "P",
            json!({"type": "object", "required": [], "properties": {
                "q": {"anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}], "title": "Q"},
                "ids": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
            }}),
        )]);
        let unified = join(&ws, &http);
        assert_eq!(unified.renames["P"], "P");
        assert_eq!(unified.types.len(), 1, "no `WsP` beside `P`");
    }

    #[test]
    fn fields_named_like_labels_are_fields() {
        let socket = json!({"type": "object", "properties": {"title": {"type": "string"}, "text": {"type": "string"}}});
        let http = json!({"type": "object", "properties": {"text": {"type": "string"}}});
        let ws = BTreeMap::from([("Note".to_owned(), socket)]);
        let spec = BTreeMap::from([("Note".to_owned(), http)]);
        let unified = join(&ws, &spec);
        assert_eq!(
            unified.renames.get("Note").map(String::as_str),
            Some("WsNote"),
            "a `title` field is not a label"
        );
        let with_default = |default: Value| json!({"type": "object", "properties": {"k": {"type": "object", "default": default}}});
        let ws = BTreeMap::from([("D".to_owned(), with_default(json!({"title": "a"})))]);
        let spec = BTreeMap::from([("D".to_owned(), with_default(json!({"title": "b"})))]);
        assert_eq!(
            join(&ws, &spec).renames.get("D").map(String::as_str),
            Some("WsD"),
            "a default is data, compared whole"
        );
    }

    #[test]
    fn a_factory_default_fastapi_leaves_out_is_kept_in_the_one_type() {
        let ws = map(&[(
            "P",
            json!({"type": "object", "properties": {
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                "meta": {"type": "object", "default": {}},
                "level": {"type": "integer", "enum": [1, 2], "x-enum-varnames": ["LOW", "HIGH"]}
            }}),
        )]);
        let http = map(&[(
            "P",
            json!({"type": "object", "description": "P.", "properties": {
                "tags": {"type": "array", "items": {"type": "string"}},
                "meta": {"type": "object"},
                "level": {"type": "integer", "enum": [1, 2]}
            }}),
        )]);
        let unified = join(&ws, &http);
        assert_eq!(unified.renames["P"], "P");
        assert_eq!(
            unified.types["P"],
            json!({"type": "object", "description": "P.", "properties": {
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                "meta": {"type": "object", "default": {}},
                "level": {"type": "integer", "enum": [1, 2], "x-enum-varnames": ["LOW", "HIGH"]}
            }})
        );
        // A default that is data still tells two models apart.
        let ws = map(&[(
            "P",
            json!({"properties": {"tags": {"type": "array", "default": ["a"]}}}),
        )]);
        let http = map(&[("P", json!({"properties": {"tags": {"type": "array"}}}))]);
        assert_eq!(join(&ws, &http).renames["P"], "WsP");
    }

    #[test]
    fn equal_models_become_one_type() {
        let ws = map(&[(
            "P",
            json!({"type": "object", "properties": {"n": {"type": "integer", "default": 1}}}),
        )]);
        let http = map(&[(
            "P",
            json!({"type": "object", "properties": {"n": {"type": "integer", "default": 1.0}}}),
        )]);
        let unified = join(&ws, &http);
        assert_eq!(unified.renames["P"], "P");
        assert_eq!(unified.types.len(), 1);
    }

    #[test]
    fn input_variant_is_recognised_through_references() {
        let ws = map(&[
            (
                "Case",
                json!({"properties": {"children": {"items": {"$ref": "#/types/Case"}}}}),
            ),
            (
                "Gen",
                json!({"properties": {"template": {"$ref": "#/types/Case"}}}),
            ),
        ]);
        let http = map(&[
            (
                "CaseInput",
                json!({"properties": {"children": {"items": {"$ref": "#/types/CaseInput"}}}}),
            ),
            (
                "CaseOutput",
                json!({"properties": {"children": {"items": {"$ref": "#/types/CaseOutput"}}}, "required": ["children"]}),
            ),
            (
                "Gen",
                json!({"properties": {"template": {"$ref": "#/types/CaseInput"}}}),
            ),
        ]);
        let unified = join(&ws, &http);
        assert_eq!(unified.renames["Case"], "CaseInput");
        assert_eq!(unified.renames["Gen"], "Gen");
        assert_eq!(unified.types.len(), 3);
    }

    #[test]
    fn namesake_with_a_different_schema_is_renamed_not_replaced() {
        let ws = map(&[
            ("P", json!({"properties": {"a": {"type": "string"}}})),
            ("Q", json!({"properties": {"p": {"$ref": "#/types/P"}}})),
        ]);
        let http = map(&[("P", json!({"properties": {"a": {"type": "integer"}}}))]);
        let unified = join(&ws, &http);
        assert_eq!(unified.renames["P"], "WsP");
        assert_eq!(
            unified.types["WsP"],
            json!({
                "properties": {"a": {"type": "string"}},
                "description": "The socket server's `P`: the HTTP document has a different type of that name (`P`), so this one is prefixed `Ws`. They differ: `a` is `string` here but `integer` there."
            })
        );
        assert_eq!(
            unified.types["P"],
            json!({"properties": {"a": {"type": "integer"}}})
        );
        assert_eq!(
            unified.types["Q"],
            json!({"properties": {"p": {"$ref": "#/types/WsP"}}})
        );
    }
}
