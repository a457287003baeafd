//! JSON Schema 2020-12 → Rust type definitions.
//!
//! Every manifest type becomes one definition named after it; inline schemas that need a name of
//! their own (an enum, a union, an object inside an ack) are named after their place. A schema
//! that says more than "any JSON" but has no Rust shape here is a *fallback* to
//! `serde_json::Value`, and every fallback is counted with its place.

use std::collections::{BTreeMap, BTreeSet};

use crate::json::{Value, json};

mod cycles;
mod unions;

use crate::ident::pascal_case;
use crate::ident::{Scope, type_name, value_name};
use crate::model::{Api, Schema};

/// A name made only when it is used: most schemas need neither the name a definition of theirs
/// would take (a hint) nor the label a fallback of theirs would carry (a place).
pub type Label<'a> = &'a dyn Fn() -> String;

/// A Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A generated definition, by its Rust name.
    Named(String),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Box<T>` (breaks a by-value cycle).
    Boxed(Box<Ty>),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// A tuple, for `prefixItems`.
    Tuple(Vec<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `serde_json::Map<String, Value>`: any object.
    Object,
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i64`.
    I64,
    /// `i32`.
    I32,
    /// `f64`.
    F64,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// `chrono::NaiveTime`.
    Time,
    /// `serde_json::Value`: any JSON.
    Value,
}

impl Ty {
    /// `[]` for a list, `{}` for a map or an object: the value a missing collection reads as.
    pub fn empty_collection(&self) -> Option<Value> {
        match self {
            Ty::Vec(_) => Some(json!([])),
            Ty::Map(_) | Ty::Object => Some(json!({})),
            _ => None,
        }
    }

    /// `Option<T>`, unless it already is one.
    fn optional(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }
}

/// A struct field (also the field of a tagged enum variant).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// Its type.
    pub ty: Ty,
    /// The JSON property may be absent.
    pub optional: bool,
    /// The recorded default, if any.
    pub default: Option<Value>,
    /// Doc lines.
    pub doc: Vec<String>,
    /// What `validate()` checks of its value.
    pub constraints: Vec<Constraint>,
}

/// A constraint the manifest records for a value, as `validate()` checks it.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `minLength`/`maxLength` (`noun` is `length`) or `minItems`/`maxItems` (`items`).
    Length {
        /// The least.
        min: u64,
        /// The most, if any.
        max: Option<u64>,
        /// `length` or `items`.
        noun: &'static str,
    },
    /// `minimum`, `maximum`, `exclusive minimum` or `exclusive maximum`.
    Bound {
        /// Which.
        bound: &'static str,
        /// The limit.
        limit: f64,
        /// The limit as the docs show it (`1` for an integer).
        shown: String,
    },
    /// `pattern`.
    Pattern(String),
}

/// What `validate()` checks of a property's value: its own constraints, and those of its one
/// non-null member when it may be null.
fn constraints_of(schema: &Schema) -> Vec<Constraint> {
    let mut schemas = vec![schema];
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            let not_null: Vec<&Value> = members
                .iter()
                .filter(|m| m.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if let [only] = not_null.as_slice() {
                schemas.push(only);
            }
        }
    }
    let mut constraints = Vec::new();
    for schema in schemas {
        let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
        let count = |key: &str| schema.get(key).and_then(Value::as_u64);
        for (min, max, noun) in [
            ("minLength", "maxLength", "length"),
            ("minItems", "maxItems", "items"),
        ] {
            if count(min).is_some() || count(max).is_some() {
                constraints.push(Constraint::Length {
                    min: count(min).unwrap_or(0),
                    max: count(max),
                    noun,
                });
            }
        }
        for (key, bound) in [
            ("minimum", "minimum"),
            ("maximum", "maximum"),
            ("exclusiveMinimum", "exclusive minimum"),
            ("exclusiveMaximum", "exclusive maximum"),
        ] {
            if let Some(limit) = schema.get(key).and_then(Value::as_f64) {
                let shown = bound_text(&schema[key], integer);
                constraints.push(Constraint::Bound {
                    bound,
                    limit,
                    shown,
                });
            }
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            constraints.push(Constraint::Pattern(pattern.to_owned()));
        }
    }
    constraints
}

/// One variant of an internally tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// The tag's value on the wire.
    pub tag_value: String,
    /// Its fields, without the tag.
    pub fields: Vec<Field>,
}

/// One generated definition.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    /// An object.
    Struct {
        /// Doc lines.
        doc: Vec<String>,
        /// Its properties.
        fields: Vec<Field>,
        /// `additionalProperties` next to properties: a flattened map of these.
        extra: Option<Ty>,
    },
    /// A string enum: `(variant, wire value)`.
    StringEnum {
        /// Doc lines.
        doc: Vec<String>,
        /// Variants.
        variants: Vec<(String, String)>,
    },
    /// An integer enum: `(variant, value)`.
    IntEnum {
        /// Doc lines.
        doc: Vec<String>,
        /// Variants.
        variants: Vec<(String, i64)>,
    },
    /// A single constant: a unit type that reads and writes exactly this value.
    Const {
        /// Doc lines.
        doc: Vec<String>,
        /// The value.
        value: Value,
    },
    /// An internally tagged union.
    Tagged {
        /// Doc lines.
        doc: Vec<String>,
        /// The tag property.
        tag: String,
        /// Variants.
        variants: Vec<TaggedVariant>,
    },
    /// An untagged union, most specific variant first.
    Untagged {
        /// Doc lines.
        doc: Vec<String>,
        /// `(variant, type)`.
        variants: Vec<(String, Ty)>,
    },
    /// Another name for a type.
    Alias {
        /// Doc lines.
        doc: Vec<String>,
        /// The type.
        ty: Ty,
    },
    /// A type of its own wrapping another, serialised as it is: what an alias becomes when it
    /// refers back to itself (a Rust type alias cannot).
    Newtype {
        /// Doc lines.
        doc: Vec<String>,
        /// The wrapped type.
        ty: Ty,
    },
}

/// All definitions of one API.
#[derive(Debug)]
pub struct TypeSpace<'a> {
    /// Manifest type name → Rust name.
    pub names: BTreeMap<String, String>,
    /// Definitions by Rust name.
    pub defs: BTreeMap<String, Def>,
    /// Places where a schema that says more than "any" became `serde_json::Value`.
    pub fallbacks: Vec<String>,
    /// Places where the schema itself is "any JSON" (`{}`).
    pub any: usize,
    scope: Scope,
    /// The manifest's types, by manifest name.
    types: &'a BTreeMap<String, Schema>,
    /// The manifest types a client only receives.
    received: BTreeSet<String>,
    /// The definition being made is of a type the client only receives.
    only_received: bool,
}

/// No types: what a scratch type space sees.
pub(super) static NO_TYPES: BTreeMap<String, Schema> = BTreeMap::new();

impl<'a> TypeSpace<'a> {
    /// A type space over `types` with nothing defined yet.
    pub(super) fn empty(types: &'a BTreeMap<String, Schema>) -> TypeSpace<'a> {
        TypeSpace {
            names: BTreeMap::new(),
            defs: BTreeMap::new(),
            fallbacks: Vec::new(),
            any: 0,
            scope: Scope::default(),
            types,
            received: BTreeSet::new(),
            only_received: false,
        }
    }

    /// The definitions of every type of `api`.
    pub fn new(api: &'a Api) -> TypeSpace<'a> {
        let mut space = TypeSpace::empty(&api.types);
        for name in api.types.keys() {
            let rust = space.scope.claim(&type_name(name));
            space.names.insert(name.clone(), rust);
        }
        space.received = only_received_types(api);
        for (name, schema) in &api.types {
            let rust = space.names[name].clone();
            space.only_received = space.received.contains(name);
            let def = space.define(schema, &rust);
            space.defs.insert(rust, def);
        }
        space.break_alias_cycles();
        space.box_cycles();
        space
    }

    /// Whether a value of `ty` has a `Validate` impl that checks something: a generated type
    /// (through options, lists, maps and boxes), not an alias to anything else.
    pub fn validatable(&self, ty: &Ty) -> bool {
        self.validatable_at(ty, 0)
    }

    fn validatable_at(&self, ty: &Ty, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        match ty {
            Ty::Named(name) => match self.defs.get(name) {
                Some(Def::Alias { ty, .. }) => self.validatable_at(ty, depth + 1),
                Some(Def::Struct { .. } | Def::Newtype { .. } | Def::Tagged { .. }) => true,
                _ => false,
            },
            Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => {
                self.validatable_at(inner, depth + 1)
            }
            _ => false,
        }
    }

    /// The Rust name of a manifest type.
    pub fn rust_name(&self, manifest_name: &str) -> Option<&str> {
        self.names.get(manifest_name).map(String::as_str)
    }

    /// The definition for a manifest type's schema.
    fn define(&mut self, schema: &Schema, name: &str) -> Def {
        if let Some(stripped) = schema.as_object().and_then(without_constraint_unions) {
            return self.define(&stripped, name);
        }
        let doc = doc_lines(schema);
        let nullable = ["anyOf", "oneOf"]
            .iter()
            .filter_map(|key| schema.get(key).and_then(Value::as_array))
            .any(|members| members.iter().any(is_null_schema))
            || schema
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.contains(&Value::Null))
            || schema
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|t| t.contains(&json!("null")));
        if nullable {
            let ty = self.ty(schema, &|| format!("{name}Value"), &|| name.to_owned());
            return Def::Alias { doc, ty };
        }
        if let Some(def) = self.enum_def(schema, &doc) {
            return def;
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object)
            && (!properties.is_empty() || schema.get("additionalProperties").is_none())
        {
            return self.struct_def(schema, name, doc);
        }
        if let Some(def) = self.union_def(schema, name, &doc) {
            return def;
        }
        let ty = self.ty(schema, &|| name.to_owned(), &|| name.to_owned());
        Def::Alias { doc, ty }
    }

    fn struct_def(&mut self, schema: &Schema, name: &str, doc: Vec<String>) -> Def {
        let fields = self.fields(schema, name, None);
        let extra = match schema.get("additionalProperties") {
            Some(Value::Bool(false)) | None => None,
            Some(Value::Bool(true)) => Some(Ty::Value),
            Some(values) => Some(self.ty(values, &|| format!("{name}Value"), &|| name.to_owned())),
        };
        Def::Struct { doc, fields, extra }
    }

    /// The fields of an object schema, leaving out `skip` (a union's tag).
    fn fields(&mut self, schema: &Schema, owner: &str, skip: Option<&str>) -> Vec<Field> {
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return fields;
        };
        for (wire, property) in properties {
            if Some(wire.as_str()) == skip {
                continue;
            }
            let ty = self.ty(
                property,
                &|| format!("{owner}{}", pascal_case(wire)),
                &|| format!("{owner}.{wire}"),
            );
            let optional = !required.contains(wire.as_str());
            let default = property
                .get("default")
                .cloned()
                .filter(|d| !d.is_null())
                .or_else(|| {
                    // What the client only reads: an absent collection is an empty one.
                    let received_collection = self.only_received && optional;
                    received_collection.then(|| ty.empty_collection()).flatten()
                });
            fields.push(Field {
                name: scope.claim(&value_name(wire)),
                wire: wire.clone(),
                ty,
                optional,
                default,
                doc: doc_lines(property),
                constraints: constraints_of(property),
            });
        }
        fields
    }

    /// The type of an inline schema; `hint` names a definition it may need, `place` labels fallbacks.
    pub fn ty(&mut self, schema: &Schema, hint: Label, place: Label) -> Ty {
        let Some(map) = schema.as_object() else {
            return match schema {
                Value::Bool(true) => {
                    self.any += 1;
                    Ty::Value
                }
                _ => self.fallback(place, "a schema that accepts nothing"),
            };
        };
        if let Some(target) = map
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(Api::ref_target)
        {
            return match self.names.get(target) {
                Some(rust) => Ty::Named(rust.clone()),
                None => self.fallback(
                    place,
                    &format!("a reference to the unknown type `{target}`"),
                ),
            };
        }
        if let Some(nullable) = self.nullable(map, hint, place) {
            return nullable;
        }
        if map.contains_key("enum") || map.contains_key("const") {
            let doc = Vec::new();
            return match self.enum_def(schema, &doc) {
                Some(def) => self.named(&hint(), def),
                None => self.fallback(place, "an enum of mixed or unsupported values"),
            };
        }
        if let Some(stripped) = without_constraint_unions(map) {
            return self.ty(&stripped, hint, place);
        }
        if map.contains_key("anyOf") || map.contains_key("oneOf") {
            let hint = hint();
            return match self.union_def(schema, &hint, &[]) {
                Some(def) => self.named(&hint, def),
                None => self.fallback(place, "a union with no members"),
            };
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            if let [only] = members.as_slice() {
                return self.ty(only, hint, place);
            }
            return self.fallback(place, "an `allOf` of schemas that are not all objects");
        }
        match map.get("type") {
            Some(Value::String(kind)) => self.typed(schema, map, kind, hint, place),
            Some(Value::Array(kinds)) => {
                let members: Vec<Schema> = kinds
                    .iter()
                    .map(|kind| {
                        let mut member = map.clone();
                        member.insert("type".into(), kind.clone());
                        Value::Object(member)
                    })
                    .collect();
                let union = json!({"anyOf": members});
                self.ty(&union, hint, place)
            }
            _ if map.contains_key("items") || map.contains_key("prefixItems") => {
                self.typed(schema, map, "array", hint, place)
            }
            _ if map.contains_key("properties") => {
                let hint = hint();
                let def = self.struct_def(schema, &hint, doc_lines(schema));
                self.named(&hint, def)
            }
            _ => {
                let labels = map.keys().all(|k| {
                    matches!(
                        k.as_str(),
                        "description"
                            | "default"
                            | "examples"
                            | "title"
                            | "deprecated"
                            | "readOnly"
                            | "writeOnly"
                            | "format"
                    )
                });
                if labels {
                    self.any += 1;
                    Ty::Value
                } else {
                    self.fallback(place, "a schema with no type")
                }
            }
        }
    }

    /// `T | null` in any spelling, as `Option<T>`.
    fn nullable(&mut self, map: &crate::json::Map, hint: Label, place: Label) -> Option<Ty> {
        if let Some(Value::Array(kinds)) = map.get("type")
            && kinds.iter().any(|k| k == "null")
        {
            let rest: Vec<Value> = kinds.iter().filter(|k| *k != "null").cloned().collect();
            let mut inner = map.clone();
            match rest.as_slice() {
                [] => return Some(Ty::Option(Box::new(Ty::Value))),
                [one] => inner.insert("type".into(), one.clone()),
                _ => inner.insert("type".into(), Value::Array(rest)),
            };
            if let Some(Value::Array(values)) = inner.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            return Some(self.ty(&Value::Object(inner), hint, place).optional());
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = map.get(key)
                && members.iter().any(is_null_schema)
            {
                let rest: Vec<Value> = members
                    .iter()
                    .filter(|m| !is_null_schema(m))
                    .cloned()
                    .collect();
                let inner = match rest.as_slice() {
                    [] => Ty::Value,
                    [one] => self.ty(one, hint, place),
                    _ => {
                        let mut union = map.clone();
                        union.insert(key.into(), Value::Array(rest));
                        self.ty(&Value::Object(union), hint, place)
                    }
                };
                return Some(inner.optional());
            }
        }
        if let Some(Value::Array(values)) = map.get("enum")
            && values.iter().any(Value::is_null)
            && values.len() > 1
        {
            let mut inner = map.clone();
            inner.insert(
                "enum".into(),
                Value::Array(values.iter().filter(|v| !v.is_null()).cloned().collect()),
            );
            return Some(self.ty(&Value::Object(inner), hint, place).optional());
        }
        None
    }

    /// The type of `schema` (whose object is `map`) given its `type`.
    fn typed(
        &mut self,
        schema: &Schema,
        map: &crate::json::Map,
        kind: &str,
        hint: Label,
        place: Label,
    ) -> Ty {
        let format = map.get("format").and_then(Value::as_str);
        match kind {
            "string" => match format {
                Some("uuid") => Ty::Uuid,
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("time") => Ty::Time,
                _ => Ty::String,
            },
            "integer" => match format {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            "number" => Ty::F64,
            "boolean" => Ty::Bool,
            "null" => Ty::Option(Box::new(Ty::Value)),
            "array" => {
                if let Some(Value::Array(items)) = map.get("prefixItems") {
                    let members = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            self.ty(item, &|| format!("{}Item{}", hint(), i + 1), place)
                        })
                        .collect();
                    return Ty::Tuple(members);
                }
                match map.get("items") {
                    Some(items) => Ty::Vec(Box::new(self.ty(
                        items,
                        &|| format!("{}Item", hint()),
                        place,
                    ))),
                    None => {
                        self.any += 1;
                        Ty::Vec(Box::new(Ty::Value))
                    }
                }
            }
            "object" => {
                let has_properties = map
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| !p.is_empty());
                if has_properties {
                    let hint = hint();
                    let def = self.struct_def(schema, &hint, doc_lines(schema));
                    return self.named(&hint, def);
                }
                match map.get("additionalProperties") {
                    Some(Value::Bool(true)) | None => Ty::Object,
                    Some(Value::Bool(false)) => Ty::Object,
                    Some(values) if values == &json!({}) => Ty::Object,
                    Some(values) => Ty::Map(Box::new(self.ty(
                        values,
                        &|| format!("{}Value", hint()),
                        place,
                    ))),
                }
            }
            other => self.fallback(place, &format!("the unknown type `{other}`")),
        }
    }

    /// A string, integer or single-value enum (`enum`, `const`, `Literal`).
    fn enum_def(&mut self, schema: &Schema, doc: &[String]) -> Option<Def> {
        let doc = doc.to_vec();
        if let Some(value) = schema.get("const") {
            return Some(Def::Const {
                doc,
                value: value.clone(),
            });
        }
        let values = schema.get("enum")?.as_array()?;
        if let [only] = values.as_slice() {
            return Some(Def::Const {
                doc,
                value: only.clone(),
            });
        }
        // Member names the source recorded (`EASY = 1`), one per value.
        let member_names: Option<Vec<String>> = schema
            .get("x-enum-varnames")
            .and_then(Value::as_array)
            .filter(|names| names.len() == values.len())
            .and_then(|names| {
                names
                    .iter()
                    .map(|n| n.as_str().map(member_variant))
                    .collect()
            });
        let named = |index: usize, fallback: String| -> String {
            member_names
                .as_ref()
                .map_or(fallback.clone(), |names| names[index].clone())
        };
        if values.iter().all(Value::is_string) {
            let mut scope = Scope::default();
            let variants = values
                .iter()
                .filter_map(Value::as_str)
                .enumerate()
                .map(|(i, v)| (scope.claim(&named(i, variant_name(v))), v.to_owned()))
                .collect();
            return Some(Def::StringEnum { doc, variants });
        }
        if values.iter().all(|v| v.as_i64().is_some()) {
            let mut scope = Scope::default();
            let variants = values
                .iter()
                .filter_map(Value::as_i64)
                .enumerate()
                .map(|(i, v)| {
                    let name = if v < 0 {
                        format!("Minus{}", v.unsigned_abs())
                    } else {
                        format!("V{v}")
                    };
                    (scope.claim(&named(i, name)), v)
                })
                .collect();
            return Some(Def::IntEnum { doc, variants });
        }
        None
    }

    fn named(&mut self, hint: &str, def: Def) -> Ty {
        let name = self.scope.claim(&type_name(hint));
        self.defs.insert(name.clone(), def);
        Ty::Named(name)
    }

    fn fallback(&mut self, place: Label, what: &str) -> Ty {
        self.fallbacks.push(format!("{}: {what}", place()));
        Ty::Value
    }
}

/// `{"type": "null"}`.
fn is_null_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        map.len() == 1 && map.get("type").and_then(Value::as_str) == Some("null")
    })
}

/// The types a client only receives: in acks, pushes, HTTP responses and the frames the server
/// writes, never in a socket payload, an HTTP body or parameter, or a frame the client writes
/// (counting the types each references).
fn only_received_types(api: &Api) -> BTreeSet<String> {
    let mut sent: Vec<&str> = Vec::new();
    let mut received: Vec<&str> = Vec::new();
    for operation in &api.operations {
        sent.extend(operation.sent_types());
        received.extend(operation.received_types());
    }
    for protocol in &api.protocols {
        sent.extend(protocol.client.frames.values().map(String::as_str));
        received.extend(protocol.server.frames.values().map(String::as_str));
    }
    let sent = api.reachable(sent);
    api.reachable(received)
        .into_iter()
        .filter(|name| !sent.contains(name))
        .map(str::to_owned)
        .collect()
}

/// The schema without `anyOf`/`oneOf` whose members only constrain it (`{required: [a]}`,
/// `{type: object, maxProperties: 0}`) rather than offer other shapes; `None` when there are none.
fn without_constraint_unions(map: &crate::json::Map) -> Option<Schema> {
    const SHAPES: &[&str] = &[
        "properties",
        "$ref",
        "items",
        "prefixItems",
        "enum",
        "const",
        "anyOf",
        "oneOf",
        "allOf",
        "additionalProperties",
    ];
    let own_type = map.get("type");
    let constraints: Vec<&str> = ["anyOf", "oneOf"]
        .into_iter()
        .filter(|key| {
            let Some(Value::Array(members)) = map.get(key) else {
                return false;
            };
            let constraint_only = members.iter().all(|member| {
                member.as_object().is_some_and(|m| {
                    !SHAPES.iter().any(|shape| m.contains_key(shape))
                        && m.get("type").is_none_or(|t| {
                            Some(t) == own_type || own_type.is_none() && t == "object"
                        })
                })
            });
            constraint_only && (map.contains_key("properties") || own_type.is_some())
        })
        .collect();
    if constraints.is_empty() {
        return None;
    }
    let mut stripped = map.clone();
    for key in constraints {
        stripped.remove(key);
    }
    Some(Value::Object(stripped))
}

/// A variant name for an enum value: `in_progress` → `InProgress`, `+1` → `Plus1`.
/// A variant from a source's member name: `EASY` → `Easy`, `IN_PROGRESS` → `InProgress`,
/// `inProgress` → `InProgress`.
fn member_variant(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        type_name(name)
    } else {
        type_name(&name.to_lowercase())
    }
}

fn variant_name(value: &str) -> String {
    let spelled = value.replace('+', " plus ").replace('-', " minus ");
    let spelled = if value.chars().any(char::is_alphanumeric) {
        value.to_owned()
    } else {
        spelled
    };
    let name = type_name(&spelled);
    if value.is_empty() {
        "Empty".to_owned()
    } else {
        name
    }
}

/// A numeric bound as docs and validation messages show it: an integer's as an integer
/// (`1`, however the source spelled it: `1.0`), any other as written.
fn bound_text(value: &Value, integer: bool) -> String {
    match value.as_f64() {
        Some(whole) if integer && whole.fract() == 0.0 && whole.abs() < 9.0e15 => {
            format!("{}", whole as i64)
        }
        _ => value.to_string(),
    }
}

/// The keywords doc lines name as constraints, in the order they are named, with their labels.
const DOCUMENTED: [(&str, &str); 11] = [
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusiveMinimum", "exclusive minimum"),
    ("exclusiveMaximum", "exclusive maximum"),
    ("multipleOf", "multiple of"),
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("pattern", "pattern"),
    ("format", "format"),
];

/// Doc lines: the description, then the constraints.
fn doc_lines(schema: &Schema) -> Vec<String> {
    let Some(map) = schema.as_object() else {
        return Vec::new();
    };
    // One pass over the schema's few keywords, rather than a lookup for each one named.
    let mut description = None;
    let mut integer = false;
    let mut documented: [Option<&Value>; DOCUMENTED.len()] = [None; DOCUMENTED.len()];
    for (key, value) in map.iter() {
        match key.as_str() {
            "description" => description = value.as_str(),
            // An integer's bounds read as integers (`minimum 1`), however the source spelled them.
            "type" => integer = value.as_str() == Some("integer"),
            key => {
                if let Some(slot) = DOCUMENTED.iter().position(|(name, _)| *name == key) {
                    documented[slot] = Some(value);
                }
            }
        }
    }
    let mut lines: Vec<String> = description
        .map(|d| d.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let constraints: Vec<String> = DOCUMENTED
        .iter()
        .zip(documented)
        .filter_map(|((key, label), value)| {
            let value = value?;
            let typed_format = matches!(
                value.as_str(),
                Some(
                    "uuid" | "date-time" | "date" | "time" | "int32" | "int64" | "double" | "float"
                )
            );
            if *key == "format" && typed_format {
                return None;
            }
            Some(match value {
                Value::String(text) => format!("{label} `{text}`"),
                other => format!("{label} {}", bound_text(other, integer)),
            })
        })
        .collect();
    if !constraints.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Constraints: {}.", constraints.join(", ")));
    }
    lines
}
