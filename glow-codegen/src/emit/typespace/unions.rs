//! Unions: internally tagged when a discriminator (or a constant property every member has)
//! tells the members apart, untagged otherwise with the most specific member first.

use std::collections::BTreeSet;

use crate::json::Value;

use super::{Def, TaggedVariant, Ty, TypeSpace, variant_name};
use crate::ident::{Scope, type_name};
use crate::model::{Api, Schema};

impl TypeSpace<'_> {
    /// `anyOf`/`oneOf`: tagged when a discriminator (or a constant property every member has) says
    /// which member it is; untagged otherwise.
    pub(super) fn union_def(&mut self, schema: &Schema, name: &str, doc: &[String]) -> Option<Def> {
        let members = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)?;
        if members.is_empty() {
            return None;
        }
        if let Some(def) = self.tagged_def(schema, members, name, doc) {
            return Some(def);
        }
        let mut typed: Vec<(Ty, usize)> = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let ty = self.ty(member, &|| format!("{name}Variant{}", i + 1), &|| {
                    name.to_owned()
                });
                let rank = self.specificity(&ty, member);
                (ty, rank)
            })
            .collect();
        typed.dedup_by(|a, b| a.0 == b.0);
        typed.sort_by_key(|(_, rank)| std::cmp::Reverse(*rank));
        let mut scope = Scope::default();
        let variants = typed
            .into_iter()
            .map(|(ty, _)| (scope.claim(&variant_of(&ty)), ty))
            .collect();
        Some(Def::Untagged {
            doc: doc.to_vec(),
            variants,
        })
    }

    fn tagged_def(
        &mut self,
        schema: &Schema,
        members: &[Value],
        name: &str,
        doc: &[String],
    ) -> Option<Def> {
        let objects: Vec<(Option<String>, Schema)> = members
            .iter()
            .map(|member| {
                let target = member
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(Api::ref_target);
                let resolved = match target {
                    Some(target) => self.types.get(target).cloned()?,
                    None => member.clone(),
                };
                resolved.get("properties")?;
                Some((target.map(str::to_owned), resolved))
            })
            .collect::<Option<_>>()?;
        let explicit = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        let tag = match explicit {
            Some(tag) => tag.to_owned(),
            None => common_constant_property(&objects)?,
        };
        let mapping = schema
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut values = BTreeSet::new();
        for (index, (target, object)) in objects.iter().enumerate() {
            let value = constant_of(object, &tag)
                .or_else(|| {
                    let reference = format!("#/types/{}", target.as_deref()?);
                    mapping?
                        .iter()
                        .find(|(_, t)| t.as_str() == Some(&reference))
                        .map(|(v, _)| v.clone())
                })
                .or_else(|| target.clone())?;
            if !values.insert(value.clone()) {
                return None;
            }
            let owner = match target {
                Some(target) => self
                    .names
                    .get(target)
                    .cloned()
                    .unwrap_or_else(|| type_name(target)),
                None => format!("{name}Variant{}", index + 1),
            };
            let fields = self.fields(object, &owner, Some(&tag));
            variants.push(TaggedVariant {
                name: scope.claim(&variant_name(&value)),
                tag_value: value,
                fields,
            });
        }
        Some(Def::Tagged {
            doc: doc.to_vec(),
            tag,
            variants,
        })
    }

    /// Higher first: objects with more required properties, then constrained scalars, then the rest.
    fn specificity(&self, ty: &Ty, schema: &Schema) -> usize {
        self.specificity_at(ty, schema, 0)
    }

    /// [`Self::specificity`], following aliases at most a few levels (they may form a cycle).
    fn specificity_at(&self, ty: &Ty, schema: &Schema, depth: usize) -> usize {
        if depth > 16 {
            return 0;
        }
        let depth = depth + 1;
        match ty {
            Ty::Named(name) => match self.defs.get(name) {
                Some(Def::Const { .. }) => 900,
                Some(Def::StringEnum { .. } | Def::IntEnum { .. }) => 800,
                Some(Def::Alias { ty, .. } | Def::Newtype { ty, .. }) => {
                    self.specificity_at(ty, schema, depth)
                }
                None if !self.is_object_type(name) => {
                    let manifest_name = self
                        .names
                        .iter()
                        .find(|(_, rust)| *rust == name)
                        .map(|(m, _)| m.clone());
                    let target = manifest_name.and_then(|m| self.types.get(&m).cloned());
                    match target {
                        Some(target) => {
                            let mut scratch = TypeSpace {
                                names: self.names.clone(),
                                ..TypeSpace::empty(&super::NO_TYPES)
                            };
                            let ty = scratch.ty(&target, &|| "Scratch".to_owned(), &String::new);
                            self.specificity_at(&ty, &target, depth)
                        }
                        None => 0,
                    }
                }
                _ => {
                    let target = schema
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(Api::ref_target);
                    let resolved = target.and_then(|t| self.types.get(t)).unwrap_or(schema);
                    let required = resolved
                        .get("required")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    let properties = resolved
                        .get("properties")
                        .and_then(Value::as_object)
                        .map_or(0, |p| p.len());
                    500 + required * 10 + properties.min(9)
                }
            },
            Ty::Uuid | Ty::DateTime | Ty::Date | Ty::Time => 400,
            Ty::Tuple(_) => 350,
            Ty::Vec(_) => 300,
            Ty::Map(_) => 250,
            Ty::Object => 240,
            Ty::I32 | Ty::I64 => 200,
            Ty::F64 => 150,
            Ty::Bool => 120,
            Ty::String => 100,
            Ty::Option(inner) | Ty::Boxed(inner) => self.specificity_at(inner, schema, depth),
            Ty::Value => 0,
        }
    }

    /// True when the manifest type behind the Rust name `name` is an object with properties.
    fn is_object_type(&self, name: &str) -> bool {
        self.names
            .iter()
            .find(|(_, rust)| *rust == name)
            .and_then(|(manifest, _)| self.types.get(manifest))
            .is_some_and(|schema| schema.get("properties").is_some())
    }
}

/// A property every object has, required, with one constant value each.
fn common_constant_property(objects: &[(Option<String>, Schema)]) -> Option<String> {
    let (_, first) = objects.first()?;
    let candidates = first.get("properties")?.as_object()?.keys();
    for candidate in candidates {
        let all = objects.iter().all(|(_, object)| {
            let required = object
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|v| v == candidate.as_str()));
            required && constant_of(object, candidate).is_some()
        });
        if all {
            return Some(candidate.clone());
        }
    }
    None
}

/// The single string value property `property` of `object` allows.
fn constant_of(object: &Schema, property: &str) -> Option<String> {
    let schema = object.get("properties")?.get(property)?;
    if let Some(Value::String(value)) = schema.get("const") {
        return Some(value.clone());
    }
    match schema.get("enum")?.as_array()?.as_slice() {
        [Value::String(value)] => Some(value.clone()),
        _ => None,
    }
}

/// A variant name for an untagged member.
fn variant_of(ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => name.clone(),
        Ty::Option(inner) | Ty::Boxed(inner) => variant_of(inner),
        Ty::Vec(inner) => format!("{}List", variant_of(inner)),
        Ty::Tuple(_) => "Tuple".into(),
        Ty::Map(inner) => format!("{}Map", variant_of(inner)),
        Ty::Object => "Object".into(),
        Ty::String => "String".into(),
        Ty::Bool => "Boolean".into(),
        Ty::I64 | Ty::I32 => "Integer".into(),
        Ty::F64 => "Number".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Time => "Time".into(),
        Ty::Value => "Value".into(),
    }
}
