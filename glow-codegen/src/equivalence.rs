//! When two schemas describe the same JSON: the equality the merge uses to join a socket type
//! with its HTTP namesake, and the OpenAPI reader to see that FastAPI's `X-Input` and
//! `X-Output` are one model.

use std::collections::{BTreeMap, BTreeSet};

use crate::json::{Value, json};

use crate::model::{Api, Schema};

/// Which type on the left is which type on the right.
#[derive(Debug, Clone, Default)]
pub(crate) struct Relation {
    /// Pairs of a left and a right type name.
    pub(crate) pairs: BTreeSet<(String, String)>,
    /// Left and right are one set of types: a type is itself.
    pub(crate) reflexive: bool,
}

impl Relation {
    /// Does the left type `left` stand for the right type `right`?
    pub(crate) fn holds(&self, left: &str, right: &str) -> bool {
        (self.reflexive && left == right)
            || self.pairs.contains(&(left.to_owned(), right.to_owned()))
    }

    /// The largest subset of the candidate pairs whose schemas are equal when every reference
    /// pair is itself related: two types referencing each other are the same when everything
    /// they reach is.
    pub(crate) fn largest(
        mut self,
        left: &BTreeMap<String, Schema>,
        right: &BTreeMap<String, Schema>,
    ) -> Relation {
        loop {
            let before = self.pairs.len();
            let kept: BTreeSet<(String, String)> = self
                .pairs
                .iter()
                .filter(|(l, r)| match (left.get(l), right.get(r)) {
                    (Some(l), Some(r)) => equal_modulo(l, r, &self),
                    _ => false,
                })
                .cloned()
                .collect();
            self.pairs = kept;
            if self.pairs.len() == before {
                return self;
            }
        }
    }
}

/// Structural equality where a reference on the left equals one on the right when the pair of
/// targets is related by `same`. `default: null` counts as no default (FastAPI leaves it out).
pub(crate) fn equal_modulo(left: &Value, right: &Value, same: &Relation) -> bool {
    equal_on_the_wire(&wire_form(left), &wire_form(right), same)
}

/// What a schema says of the JSON on the wire: without what only labels it (`title`,
/// `description`, `examples`, `deprecated`), without a `default` of `null`, `[]` or `{}` (an
/// optional field's absence reads as each, and FastAPI leaves out what a `default_factory`
/// makes), without an empty `required`, and with `type: [T, "null"]` written as `anyOf` — so that two
/// sources describing the same model the way each writes it compare equal.
fn wire_form(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = crate::json::Map::new();
    for (key, value) in map {
        let labels = matches!(
            key.as_str(),
            "title" | "description" | "examples" | "example" | "deprecated"
        ) || key.starts_with("x-");
        let no_default = key == "default" && is_empty_or_null(value);
        let none_required = key == "required" && value.as_array().is_some_and(Vec::is_empty);
        if labels || no_default || none_required {
            continue;
        }
        let value = match key.as_str() {
            // Maps of names to schemas: the names are data (a field may be called `title`).
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                match value {
                    Value::Object(schemas) => Value::Object(
                        schemas
                            .iter()
                            .map(|(name, schema)| (name.clone(), wire_form(schema)))
                            .collect(),
                    ),
                    other => other.clone(),
                }
            }
            // Lists of schemas.
            "anyOf" | "oneOf" | "allOf" | "prefixItems" => match value {
                Value::Array(schemas) => Value::Array(schemas.iter().map(wire_form).collect()),
                other => other.clone(),
            },
            // One schema.
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else" => wire_form(value),
            // Values (`default`, `enum`, `const`, ...) and keywords' arguments are data.
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    let nullable_type = match out.get("type") {
        Some(Value::Array(types)) if types.contains(&Value::from("null")) => Some(types.clone()),
        _ => None,
    };
    if let Some(types) = nullable_type {
        out.remove("type");
        let others: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        let mut member = out.clone();
        match others.as_slice() {
            [one] => {
                member.insert("type".into(), one.clone());
            }
            _ => {
                member.insert("type".into(), Value::Array(others));
            }
        }
        return json!({"anyOf": [Value::Object(member), {"type": "null"}]});
    }
    Value::Object(out)
}

fn equal_on_the_wire(left: &Value, right: &Value, same: &Relation) -> bool {
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            l.len() == r.len()
                && l.iter().all(|(key, lv)| {
                    let Some(rv) = r.get(key) else { return false };
                    if key == "$ref" {
                        let targets = (
                            lv.as_str().and_then(Api::ref_target),
                            rv.as_str().and_then(Api::ref_target),
                        );
                        return matches!(targets, (Some(a), Some(b)) if same.holds(a, b));
                    }
                    equal_on_the_wire(lv, rv, same)
                })
        }
        (Value::Array(l), Value::Array(r)) => {
            l.len() == r.len() && l.iter().zip(r).all(|(a, b)| equal_on_the_wire(a, b, same))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => left == right,
    }
}

/// `null`, `[]` or `{}`.
fn is_empty_or_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(entries) => entries.is_empty(),
        _ => false,
    }
}
