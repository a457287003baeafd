//! OpenAPI schemas (3.0 and 3.1) normalised into the manifest's JSON Schema 2020-12.
//!
//! - 3.0 `nullable: true` becomes a `null` type (`type: [T, "null"]`, or `anyOf` with `null`);
//!   boolean `exclusiveMinimum`/`exclusiveMaximum` become numeric; `example` becomes `examples`.
//! - `$ref: #/components/schemas/X` becomes `$ref: #/types/<X sanitised>`; deeper pointers are
//!   inlined; a `$ref` that points at nothing is an error naming it.
//! - Inline object schemas are hoisted into named types, named by their place.
//! - `allOf` of objects merges into one object; `discriminator` is kept (mapping rewritten).
//! - `title` and `x-` extensions are dropped: they label, they do not constrain — but for
//!   `x-enum-varnames`, the enum members' names, which the generated variants take.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value as DocValue;

use super::document::{Document, Version, escape_pointer, unescape_pointer};
use super::json::Section;
use crate::diagnostic::{Code, Diagnostic};
use crate::equivalence::Relation;
use crate::ident::{Scope, type_name};
use crate::json::{Map, Value, json};
use crate::model::{Api, Schema};

/// How deep a schema is followed before the rest is reported and read as any JSON.
const MAX_DEPTH: usize = 64;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Converts a document's schemas, collecting named types.
pub struct Schemas<'d> {
    doc: &'d Document,
    /// Component name → type name.
    names: BTreeMap<String, String>,
    /// Types by name, converted.
    pub types: BTreeMap<String, Schema>,
    /// Every type name in use (components and hoisted).
    taken: Scope,
    /// Pointers being inlined, to stop a deep `$ref` from inlining itself.
    inlining: Vec<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'d> Schemas<'d> {
    /// Names every component schema; two that sanitise to one name are an error naming both.
    pub fn new(doc: &'d Document) -> Self {
        let mut schemas = Schemas {
            doc,
            names: BTreeMap::new(),
            types: BTreeMap::new(),
            taken: Scope::default(),
            inlining: Vec::new(),
            diagnostics: Vec::new(),
        };
        // Type name → the component that holds it, for the collision message.
        let mut holders: BTreeMap<String, String> = BTreeMap::new();
        for component in doc.members(Section::Schemas) {
            let wanted = type_name(component);
            let name = schemas.taken.claim(&wanted);
            if name != wanted {
                let holder = holders.get(&wanted).map_or("another type", String::as_str);
                schemas.diagnostics.push(Diagnostic::error(
                    Code::TypeNameCollision,
                    doc.display.clone(),
                    doc.locate_key(component),
                    format!(
                        "component schema `{component}` sanitises to `{wanted}`, which `{holder}` already holds; `{component}` is named `{name}`"
                    ),
                ));
            }
            holders.insert(name.clone(), component.to_owned());
            schemas.names.insert(component.to_owned(), name);
        }
        schemas
    }

    /// Converts every component schema into a type, then merges `allOf`s and checks ref cycles.
    pub fn convert_components(&mut self) {
        let doc = self.doc;
        for component in doc.members(Section::Schemas) {
            let (Some(name), Some(schema)) = (
                self.names.get(component).cloned(),
                doc.member(Section::Schemas, component),
            ) else {
                continue;
            };
            let pointer = format!("{COMPONENT_PREFIX}{}", escape_pointer(component));
            let converted = self.convert(&schema, &name, &pointer, 0);
            self.types.insert(name, converted);
        }
    }

    /// Merges `allOf` of objects everywhere and reports alias cycles. Call after every
    /// schema (components and operations) is converted.
    pub fn finish(&mut self) {
        // Only the types with an `allOf` somewhere change: the others are not copied.
        let names: Vec<String> = self
            .types
            .iter()
            .filter(|(_, schema)| has_all_of(schema))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &names {
            let mut schema = self.types[name].clone();
            self.merge_all_of(&mut schema, &mut vec![name.clone()]);
            self.types.insert(name.clone(), schema);
        }
        self.check_alias_cycles();
    }

    /// FastAPI's two sides of one model (`X-Input`, `X-Output`) that turned out equal, each
    /// renamed to the model's own name `X` — when no other type holds it.
    pub fn one_model_renames(&self) -> HashMap<String, String> {
        let mut candidates = BTreeSet::new();
        let mut model_names = BTreeMap::new();
        for (component, input) in &self.names {
            let Some(model) = component.strip_suffix("-Input") else {
                continue;
            };
            let Some(output) = self.names.get(&format!("{model}-Output")) else {
                continue;
            };
            let name = type_name(model);
            if self.types.contains_key(&name) {
                continue;
            }
            candidates.insert((input.clone(), output.clone()));
            model_names.insert(input.clone(), name);
        }
        let same = Relation {
            pairs: candidates,
            reflexive: true,
        }
        .largest(&self.types, &self.types);
        let mut renames = HashMap::new();
        for (input, output) in same.pairs {
            let name = model_names[&input].clone();
            renames.insert(output, name.clone());
            renames.insert(input, name);
        }
        renames
    }

    /// The type name of `schema` at a named place (a body, a response): the component it
    /// references, or a new type called `name` holding it.
    pub fn named(&mut self, schema: &DocValue, name: &str, pointer: &str) -> String {
        let converted = self.convert(schema, name, pointer, 0);
        if let Some(target) = pure_ref(&converted) {
            return target.to_owned();
        }
        self.hoist(name, converted)
    }

    /// A schema at an inline place (a parameter): inline objects become named types.
    pub fn inline(&mut self, schema: &DocValue, name: &str, pointer: &str) -> Schema {
        self.child(schema, name, pointer, 0)
    }

    fn hoist(&mut self, wanted: &str, schema: Schema) -> String {
        let name = self.taken.claim(wanted);
        self.types.insert(name.clone(), schema);
        name
    }

    fn invalid(&mut self, pointer: &str, message: String) {
        self.diagnostics.push(Diagnostic::error(
            Code::InvalidSchema,
            self.doc.display.clone(),
            self.doc.locate_key(&unescape_pointer(
                pointer.rsplit('/').next().unwrap_or(pointer),
            )),
            format!("`{pointer}`: {message}"),
        ));
    }

    /// Converts a schema found at `pointer`; `owner` names hoisted inline objects.
    fn convert(&mut self, schema: &DocValue, owner: &str, pointer: &str, depth: usize) -> Schema {
        if depth > MAX_DEPTH {
            self.invalid(
                pointer,
                format!("nested more than {MAX_DEPTH} levels deep; read as any JSON"),
            );
            return json!({});
        }
        let map = match schema {
            DocValue::Bool(flag) => return Value::Bool(*flag),
            DocValue::Object(map) => map,
            _ => {
                self.invalid(pointer, "is not a schema object; read as any JSON".into());
                return json!({});
            }
        };
        let mut out = Map::new();
        if let Some(reference) = map.get("$ref") {
            let Some(reference) = reference.as_str() else {
                self.invalid(pointer, "`$ref` is not a string".into());
                return json!({});
            };
            match self.reference(reference, owner, pointer, depth) {
                Value::Object(resolved) => out.extend(resolved),
                other => return other,
            }
        }
        for (key, value) in map {
            let at = format!("{pointer}/{}", escape_pointer(key));
            match key.as_str() {
                "$ref" | "title" | "nullable" | "xml" | "externalDocs" | "$defs"
                | "definitions" | "$schema" | "$id" | "$comment" => {}
                // The one extension kept: enum member names (openapi-generator's convention).
                "x-enum-varnames"
                    if value
                        .as_array()
                        .is_some_and(|names| names.iter().all(DocValue::is_string)) =>
                {
                    out.insert(key.clone(), Value::from(value));
                }
                _ if key.starts_with("x-") => {}
                "example" => {
                    if !map.contains_key("examples") {
                        out.insert("examples".into(), json!([value]));
                    }
                }
                "properties" => {
                    let Some(properties) = value.as_object() else {
                        self.invalid(&at, "`properties` is not an object".into());
                        continue;
                    };
                    let mut converted = Map::new();
                    for (property, schema) in properties {
                        let place = format!("{at}/{}", escape_pointer(property));
                        let name = format!("{owner}{}", type_name(property));
                        converted
                            .insert(property.clone(), self.child(schema, &name, &place, depth));
                    }
                    out.insert(key.clone(), Value::Object(converted));
                }
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems" => {
                    let part = match key.as_str() {
                        "items" | "contains" => "Item",
                        "additionalProperties" | "unevaluatedProperties" => "Value",
                        _ => "Other",
                    };
                    let converted = match value {
                        DocValue::Array(items) if key == "items" => Value::Array(
                            items
                                .iter()
                                .enumerate()
                                .map(|(i, item)| {
                                    let name = format!("{owner}{part}{}", i + 1);
                                    self.child(item, &name, &format!("{at}/{i}"), depth)
                                })
                                .collect(),
                        ),
                        _ => self.child(value, &format!("{owner}{part}"), &at, depth),
                    };
                    let key = if key == "items" && converted.is_array() {
                        "prefixItems"
                    } else {
                        key.as_str()
                    };
                    out.insert(key.to_owned(), converted);
                }
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                    let Some(members) = value.as_array() else {
                        self.invalid(&at, format!("`{key}` is not an array"));
                        continue;
                    };
                    let converted = members
                        .iter()
                        .enumerate()
                        .map(|(i, member)| {
                            let place = format!("{at}/{i}");
                            if key == "allOf" {
                                // Merged later: hoisting its members would only add names.
                                self.convert(member, owner, &place, depth + 1)
                            } else {
                                let name = format!("{owner}Variant{}", i + 1);
                                self.child(member, &name, &place, depth)
                            }
                        })
                        .collect();
                    out.insert(key.clone(), Value::Array(converted));
                }
                "patternProperties" | "dependentSchemas" => {
                    let converted = value
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| {
                                    let place = format!("{at}/{}", escape_pointer(k));
                                    (
                                        k.clone(),
                                        self.child(v, &format!("{owner}Value"), &place, depth),
                                    )
                                })
                                .collect::<Map>()
                        })
                        .unwrap_or_default();
                    out.insert(key.clone(), Value::Object(converted));
                }
                "discriminator" => {
                    let discriminator = self.discriminator(value, &at);
                    out.insert(key.clone(), discriminator);
                }
                "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => {}
                "required" => {
                    // A set: sorted, so that equal schemas are equal values.
                    let mut names: Vec<Value> = value
                        .as_array()
                        .map(|names| names.iter().map(Value::from).collect())
                        .unwrap_or_default();
                    names.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    names.dedup();
                    out.insert(key.clone(), Value::Array(names));
                }
                _ => {
                    out.insert(key.clone(), Value::from(value));
                }
            }
        }
        if self.doc.version == Version::V30 {
            for (flag, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if map.get(flag) == Some(&DocValue::Bool(true))
                    && let Some(limit) = out.remove(bound)
                {
                    out.insert(flag.into(), limit);
                }
            }
        }
        if let Some(Value::Array(members)) = out.get("allOf")
            && members.len() == 1
            && members[0].is_object()
            && !out.contains_key("properties")
        {
            // `allOf: [X]` with siblings (the 3.0 way to describe a reference).
            if let Some(Value::Object(member)) = out
                .remove("allOf")
                .and_then(|m| m.as_array().and_then(|a| a.first().cloned()))
            {
                for (k, v) in member {
                    if !out.contains_key(&k) {
                        out.insert(k, v);
                    }
                }
            }
        }
        let converted = Value::Object(out);
        if map.get("nullable") == Some(&DocValue::Bool(true)) {
            return nullable(converted);
        }
        converted
    }

    /// Converts `schema` at a place inside another; an inline object becomes a type named `name`.
    fn child(&mut self, schema: &DocValue, name: &str, pointer: &str, depth: usize) -> Schema {
        let converted = self.convert(schema, name, pointer, depth + 1);
        if is_inline_object(&converted) {
            let name = self.hoist(name, converted);
            return Api::type_ref(&name);
        }
        converted
    }

    /// A `$ref`: to a component it stays a reference; to any other local pointer it is inlined.
    fn reference(&mut self, reference: &str, owner: &str, pointer: &str, depth: usize) -> Schema {
        let unresolved = |message: String| {
            Diagnostic::error(
                Code::UnresolvedRef,
                self.doc.display.clone(),
                self.doc.locate_ref(reference),
                format!("`$ref: {reference}` at `{pointer}` {message}; read as any JSON"),
            )
        };
        if !reference.starts_with('#') {
            let diagnostic =
                unresolved("is not local: references to other documents are not supported".into());
            self.diagnostics.push(diagnostic);
            return json!({});
        }
        if let Some(component) = reference.strip_prefix(COMPONENT_PREFIX) {
            let component = unescape_pointer(component);
            if let Some(name) = self.names.get(&component) {
                return Api::type_ref(name);
            }
        }
        let Some(target) = self.doc.pointer(reference) else {
            let diagnostic = unresolved("points at nothing".into());
            self.diagnostics.push(diagnostic);
            return json!({});
        };
        // `#`, `#/paths`, `#/components/schemas`: a part of the document, never a schema.
        if reference
            .trim_start_matches('#')
            .split('/')
            .filter(|s| !s.is_empty())
            .count()
            < 3
        {
            let diagnostic = unresolved("points at a part of the document, not at a schema".into());
            self.diagnostics.push(diagnostic);
            return json!({});
        }
        if self.inlining.iter().any(|p| p == reference) {
            let diagnostic =
                unresolved("refers to itself through schemas that are not components".into());
            self.diagnostics.push(diagnostic);
            return json!({});
        }
        self.inlining.push(reference.to_owned());
        let converted = self.convert(&target, owner, reference, depth + 1);
        self.inlining.pop();
        converted
    }

    fn discriminator(&mut self, value: &DocValue, pointer: &str) -> Value {
        let mut out = Value::from(value);
        let Some(mapping) = value.get("mapping").and_then(DocValue::as_object) else {
            return out;
        };
        let mut converted = Map::new();
        for (tag, target) in mapping {
            let Some(target) = target.as_str() else {
                continue;
            };
            let component = target.strip_prefix(COMPONENT_PREFIX).unwrap_or(target);
            match self.names.get(component) {
                Some(name) => {
                    converted.insert(tag.clone(), json!(format!("#/types/{name}")));
                }
                None => self.diagnostics.push(Diagnostic::error(
                    Code::UnresolvedRef,
                    self.doc.display.clone(),
                    self.doc.locate(&format!("\"{target}\"")),
                    format!("discriminator mapping `{tag}` at `{pointer}` points at `{target}`, which is no component schema"),
                )),
            }
        }
        if let Some(out) = out.as_object_mut() {
            out.insert("mapping".to_owned(), Value::Object(converted));
        }
        out
    }

    /// Replaces `allOf` whose members are all objects by one merged object, recursively.
    fn merge_all_of(&mut self, schema: &mut Schema, seen: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                for value in map.values_mut() {
                    self.merge_all_of(value, seen);
                }
                let Some(Value::Array(members)) = map.get("allOf") else {
                    return;
                };
                let mut objects = Vec::new();
                for member in members {
                    match self.object_of(member, seen) {
                        Some(object) => objects.push(object),
                        None => return,
                    }
                }
                map.remove("allOf");
                let own: Schema = Value::Object(map.clone());
                objects.push(own);
                let mut conflicts = Vec::new();
                *schema = merge_objects(objects, &mut conflicts);
                let owner = seen.first().cloned().unwrap_or_default();
                for conflict in conflicts {
                    let component = self
                        .names
                        .iter()
                        .find(|(_, name)| **name == owner)
                        .map_or(owner.clone(), |(component, _)| component.clone());
                    self.diagnostics.push(Diagnostic::warning(
                        Code::InvalidSchema,
                        self.doc.display.clone(),
                        self.doc.locate_key(&component),
                        format!("`allOf` of `{owner}`: {conflict}"),
                    ));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.merge_all_of(i, seen)),
            _ => {}
        }
    }

    /// The object a member stands for (references followed), if it is one.
    fn object_of(&mut self, member: &Schema, seen: &mut Vec<String>) -> Option<Schema> {
        if let Some(target) = pure_ref(member) {
            if seen.iter().any(|s| s == target) {
                return None;
            }
            let mut resolved = self.types.get(target)?.clone();
            seen.push(target.to_owned());
            self.merge_all_of(&mut resolved, seen);
            seen.pop();
            return self.object_of(&resolved, seen);
        }
        let is_object = member.get("properties").is_some()
            || member.get("type") == Some(&json!("object"))
            || member.get("required").is_some();
        (is_object && member.get("allOf").is_none()).then(|| member.clone())
    }

    /// A type that is only a reference to another that is only a reference ... back to itself.
    /// Each type is walked once: a chain of any length costs its length.
    fn check_alias_cycles(&mut self) {
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut cycles = Vec::new();
        for start in self.types.keys() {
            let mut chain: Vec<String> = Vec::new();
            let mut on_chain: BTreeMap<String, usize> = BTreeMap::new();
            let mut current = start.clone();
            loop {
                if done.contains(&current) {
                    break;
                }
                if let Some(&index) = on_chain.get(&current) {
                    cycles.push(chain[index..].to_vec());
                    break;
                }
                on_chain.insert(current.clone(), chain.len());
                chain.push(current.clone());
                match self.types.get(&current).and_then(pure_ref) {
                    Some(next) => current = next.to_owned(),
                    None => break,
                }
            }
            done.extend(chain);
        }
        for cycle in cycles {
            let first = cycle.iter().min().cloned().unwrap_or_default();
            let component = self
                .names
                .iter()
                .find(|(_, name)| **name == first)
                .map_or(first.clone(), |(component, _)| component.clone());
            self.diagnostics.push(Diagnostic::error(
                Code::RefCycle,
                self.doc.display.clone(),
                self.doc.locate_key(&component),
                format!(
                    "`{COMPONENT_PREFIX}{}` is a cycle of references with no object in between: {}",
                    escape_pointer(&component),
                    cycle_path(&cycle)
                ),
            ));
        }
    }
}

/// `A → B → A`; a long cycle shows its first names, its last, and its length.
fn cycle_path(cycle: &[String]) -> String {
    const SHOWN: usize = 6;
    let start = cycle
        .iter()
        .position(|name| Some(name) == cycle.iter().min())
        .unwrap_or(0);
    let ordered: Vec<&String> = cycle[start..].iter().chain(&cycle[..start]).collect();
    let mut names: Vec<String> = ordered.iter().map(|n| (*n).clone()).collect();
    if names.len() > SHOWN {
        let last = names[names.len() - 1].clone();
        names.truncate(SHOWN - 1);
        names.push(format!("… ({} types) … {last}", cycle.len()));
    }
    names.push(ordered.first().map(|n| (*n).clone()).unwrap_or_default());
    names.join(" → ")
}

/// The type a schema only references (`{"$ref": "#/types/X"}`, descriptions aside).
pub fn pure_ref(schema: &Schema) -> Option<&str> {
    let map = schema.as_object()?;
    let only_labels = map.keys().all(|k| {
        matches!(
            k.as_str(),
            "$ref"
                | "description"
                | "default"
                | "examples"
                | "deprecated"
                | "readOnly"
                | "writeOnly"
        )
    });
    if !only_labels {
        return None;
    }
    map.get("$ref")?.as_str().and_then(Api::ref_target)
}

fn is_inline_object(schema: &Schema) -> bool {
    schema.get("$ref").is_none()
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// `schema` that also accepts `null`.
fn nullable(schema: Schema) -> Schema {
    let mut schema = schema;
    if schema.get("$ref").is_none() {
        if let Some(Value::String(kind)) = schema.get("type").cloned() {
            if let Some(map) = schema.as_object_mut() {
                map.insert("type".to_owned(), json!([kind, "null"]));
            }
            if let Some(Value::Array(values)) = schema.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            return schema;
        }
        if let Some(Value::Array(kinds)) = schema.get_mut("type") {
            if !kinds.contains(&json!("null")) {
                kinds.push(json!("null"));
            }
            return schema;
        }
    }
    json!({"anyOf": [schema, {"type": "null"}]})
}

/// One object from several: properties and `required` united, later members winning.
/// Two `allOf` members' schemas of one property, as one: equal, or one adding keywords the other
/// does not set (a `description`, a `maxLength`). `None` when they set one keyword differently.
fn merge_property(earlier: &Value, later: &Value) -> Option<Value> {
    if earlier == later {
        return Some(later.clone());
    }
    let (Value::Object(earlier), Value::Object(later)) = (earlier, later) else {
        return None;
    };
    let mut merged = earlier.clone();
    for (key, value) in later {
        match merged.get(key) {
            Some(existing) if existing != value && key != "description" => return None,
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Some(Value::Object(merged))
}

fn merge_objects(objects: Vec<Schema>, conflicts: &mut Vec<String>) -> Schema {
    let mut properties = Map::new();
    let mut required: BTreeSet<String> = BTreeSet::new();
    let mut out = Map::new();
    for object in objects {
        let Value::Object(map) = object else { continue };
        for (key, value) in map {
            match key.as_str() {
                "properties" => {
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        let merged = match properties.get(name) {
                            Some(earlier) => merge_property(earlier, schema).unwrap_or_else(|| {
                                conflicts.push(format!(
                                    "members disagree on the property `{name}` ({earlier} and {schema}); the last is read"
                                ));
                                schema.clone()
                            }),
                            None => schema.clone(),
                        };
                        properties.insert(name.clone(), merged);
                    }
                }
                "required" => {
                    if let Value::Array(names) = value {
                        required.extend(
                            names
                                .into_iter()
                                .filter_map(|n| n.as_str().map(str::to_owned)),
                        );
                    }
                }
                "additionalProperties" => {}
                _ => {
                    out.insert(key, value);
                }
            }
        }
    }
    out.insert("type".into(), json!("object"));
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), json!(required));
    }
    Value::Object(out)
}

/// Whether `schema` holds an `allOf` anywhere.
fn has_all_of(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.contains_key("allOf") || map.values().any(has_all_of),
        Value::Array(items) => items.iter().any(has_all_of),
        _ => false,
    }
}
