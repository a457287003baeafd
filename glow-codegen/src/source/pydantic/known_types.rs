//! The JSON Schema of names Pydantic knows without a model: builtins, `typing`, `uuid`,
//! `datetime`, Pydantic's own types; `Literal` values; unions as Pydantic writes them.

use crate::json::{Value, json};

use crate::model::Schema;

/// JSON Schema of a name outside the import root, e.g. `uuid.UUID`.
pub(super) fn external_schema(name: &str) -> Option<Schema> {
    let short = name
        .trim_start_matches("typing_extensions.")
        .trim_start_matches("typing.")
        .trim_start_matches("builtins.");
    Some(match (name, short) {
        (_, "str") => json!({"type": "string"}),
        (_, "int") => json!({"type": "integer"}),
        (_, "float") => json!({"type": "number"}),
        (_, "bool") => json!({"type": "boolean"}),
        (_, "bytes") => json!({"type": "string", "format": "binary"}),
        (_, "dict" | "Dict") => json!({"type": "object", "additionalProperties": true}),
        (_, "list" | "List") => json!({"type": "array", "items": {}}),
        (_, "Any" | "object") => json!({}),
        ("uuid.UUID", _) => json!({"type": "string", "format": "uuid"}),
        ("datetime.datetime", _) => json!({"type": "string", "format": "date-time"}),
        ("datetime.date", _) => json!({"type": "string", "format": "date"}),
        ("datetime.time", _) => json!({"type": "string", "format": "time"}),
        ("datetime.timedelta", _) => json!({"type": "string", "format": "duration"}),
        ("decimal.Decimal", _) => json!({"type": "number"}),
        ("pathlib.Path", _) => json!({"type": "string", "format": "path"}),
        ("pydantic.EmailStr", _) => json!({"type": "string", "format": "email"}),
        ("pydantic.AnyUrl" | "pydantic.HttpUrl" | "pydantic.AnyHttpUrl", _) => {
            json!({"type": "string", "format": "uri", "minLength": 1})
        }
        ("pydantic.SecretStr", _) => {
            json!({"type": "string", "format": "password", "writeOnly": true})
        }
        ("pydantic.Json" | "pydantic.JsonValue", _) => json!({}),
        ("ipaddress.IPv4Address", _) => json!({"type": "string", "format": "ipv4"}),
        ("ipaddress.IPv6Address", _) => json!({"type": "string", "format": "ipv6"}),
        _ => return None,
    })
}

pub(super) fn is_enum_base(name: &str) -> bool {
    matches!(
        name,
        "enum.Enum" | "enum.StrEnum" | "enum.IntEnum" | "enum.Flag" | "enum.IntFlag"
    )
}

/// `Literal[...]` values (or an enum's) as `const` (one value) or `enum` (several), with the
/// JSON type when all values share one.
pub(super) fn literal_schema(values: &[Value]) -> Schema {
    let mut schema = if let [only] = values {
        json!({"const": only})
    } else {
        json!({"enum": values})
    };
    let types: Vec<&str> = values.iter().map(json_type).collect();
    if let Some(first) = types.first()
        && types.iter().all(|t| t == first)
    {
        schema["type"] = json!(first);
    }
    schema
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `anyOf` of the members, flattened, duplicates dropped, `null` last (as Pydantic orders it).
pub fn union(members: Vec<Schema>) -> Schema {
    let mut flat: Vec<Schema> = Vec::new();
    for member in members {
        let nested = member.get("anyOf").and_then(Value::as_array).cloned();
        let is_plain_union = member.as_object().is_some_and(|m| m.len() == 1);
        match nested {
            Some(nested) if is_plain_union => flat.extend(nested),
            _ => flat.push(member),
        }
    }
    let mut unique: Vec<Schema> = Vec::new();
    for member in flat {
        if !unique.contains(&member) {
            unique.push(member);
        }
    }
    if unique.contains(&json!({})) {
        return json!({});
    }
    let null = json!({"type": "null"});
    if let Some(index) = unique.iter().position(|m| *m == null) {
        let null = unique.remove(index);
        unique.push(null);
    }
    match unique.len() {
        1 => unique.remove(0),
        _ => json!({"anyOf": unique}),
    }
}
