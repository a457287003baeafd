//! `Field(...)` keywords and `model_config` on a schema: constraints, descriptions, `extra`.

use crate::json::{Value, json};

use crate::model::Schema;
use crate::source::facts::{Expr, ExprKind};

/// Applies `Field(...)` keywords (constraints, description, title) to a schema.
pub(super) fn apply_keywords(schema: &mut Schema, keywords: &[(String, Value)]) {
    for (key, value) in keywords {
        match key.as_str() {
            "description" | "title" => {
                if let (Value::String(_), Value::Object(map)) = (value, &mut *schema) {
                    map.insert(key.clone(), value.clone());
                }
            }
            _ => apply_constraint(schema, key, value),
        }
    }
}

/// Puts a numeric or string constraint on the non-null branch of `schema`.
fn apply_constraint(schema: &mut Schema, key: &str, value: &Value) {
    if !(value.is_number() || value.is_string()) {
        return;
    }
    let Some(target) = non_null_branch(schema) else {
        return;
    };
    let is_array = target.get("type") == Some(&json!("array"));
    let is_object = target.get("type") == Some(&json!("object"));
    let keyword = match (key, is_array, is_object) {
        ("ge", ..) => "minimum",
        ("le", ..) => "maximum",
        ("gt", ..) => "exclusiveMinimum",
        ("lt", ..) => "exclusiveMaximum",
        ("multiple_of", ..) => "multipleOf",
        ("pattern" | "regex", ..) => "pattern",
        ("min_length" | "min_items", true, _) => "minItems",
        ("max_length" | "max_items", true, _) => "maxItems",
        ("min_length", _, true) => "minProperties",
        ("max_length", _, true) => "maxProperties",
        ("min_length", ..) => "minLength",
        ("max_length", ..) => "maxLength",
        _ => return,
    };
    if let Value::Object(map) = target {
        map.insert(keyword.into(), value.clone());
    }
}

/// The branch of `schema` that is not `null`, when it is `anyOf: [T, null]`; else `schema`.
fn non_null_branch(schema: &mut Schema) -> Option<&mut Schema> {
    let null = json!({"type": "null"});
    let branch = schema
        .get("anyOf")
        .and_then(Value::as_array)
        .filter(|members| members.len() == 2 && members.contains(&null))
        .and_then(|members| members.iter().position(|m| *m != null));
    match branch {
        Some(index) => schema
            .get_mut("anyOf")
            .and_then(Value::as_array_mut)
            .and_then(|members| members.get_mut(index)),
        None => Some(schema),
    }
}

/// `model_config = ConfigDict(key="value")` or `{"key": "value"}`: the string under `key`.
pub(super) fn config_value<'e>(value: &'e Expr, key: &str) -> Option<&'e str> {
    match &value.kind {
        ExprKind::Call { .. } => value.keyword(key).and_then(Expr::as_str),
        ExprKind::Dict(entries) => entries
            .iter()
            .find(|(k, _)| k.as_ref().and_then(Expr::as_str) == Some(key))
            .and_then(|(_, v)| v.as_str()),
        _ => None,
    }
}
