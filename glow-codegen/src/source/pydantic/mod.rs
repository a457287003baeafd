//! Pydantic v2 models, read statically, as JSON Schema 2020-12.
//!
//! Required vs optional follows Pydantic: a field without a default (or with `Field(...)`) is
//! required; `= None`, `= value`, `Field(value)` and `Field(default_factory=...)` are optional.
//! Literal defaults are recorded; `Field` constraints and descriptions are carried over.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

mod constraints;
mod known_types;

pub use known_types::union;

use constraints::{apply_keywords, config_value};
use known_types::{external_schema, is_enum_base, literal_schema};

use super::facts::{ClassFacts, Expr, ExprKind};
use super::modules::{PythonTree, Symbol};
use super::python::parse_annotation;
use super::type_set::{TypeEntry, TypeSet};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Api, Schema};

/// How many aliases and nested annotations are followed before giving up.
const MAX_DEPTH: usize = 24;

/// Reads Pydantic models and annotations into a [`TypeSet`].
pub struct PydanticReader<'t> {
    /// The modules models are read from.
    pub tree: &'t mut PythonTree,
    /// The types collected so far.
    pub types: TypeSet,
    diagnostics: Vec<Diagnostic>,
}

/// What kind of class a class is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClassKind {
    Model,
    Enum,
}

impl<'t> PydanticReader<'t> {
    /// A reader over `tree`.
    pub fn new(tree: &'t mut PythonTree) -> Self {
        PydanticReader {
            tree,
            types: TypeSet::default(),
            diagnostics: Vec::new(),
        }
    }

    /// The diagnostics found so far.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// The internal type key of the model `expr` names in `module`, collecting it on first use.
    /// `None` (with a warning for imports under the root) when it names no class.
    pub fn model_key(&mut self, module: &str, expr: &Expr) -> Option<String> {
        match self.tree.resolve_expr(module, expr)? {
            Symbol::Class { module, name } => Some(self.class_key(&module, &name)),
            Symbol::Unresolved(unresolved) => {
                self.tree.report_unresolved(&unresolved);
                None
            }
            _ => None,
        }
    }

    /// The schema of a type annotation written in `module`.
    pub fn annotation(&mut self, module: &str, expr: &Expr) -> Schema {
        self.annotation_at(module, expr, 0)
    }

    fn annotation_at(&mut self, module: &str, expr: &Expr, depth: usize) -> Schema {
        if depth > MAX_DEPTH {
            return self.unknown(module, expr, "is nested too deeply");
        }
        match &expr.kind {
            ExprKind::None => json!({"type": "null"}),
            ExprKind::Str(text) => match parse_annotation(text, expr.at) {
                Some(parsed) => self.annotation_at(module, &parsed, depth + 1),
                None => self.unknown(module, expr, "is not a type expression"),
            },
            ExprKind::BitOr(left, right) => {
                let left = self.annotation_at(module, left, depth + 1);
                let right = self.annotation_at(module, right, depth + 1);
                union(vec![left, right])
            }
            ExprKind::Name(_) | ExprKind::Attribute(..) => {
                match self.tree.resolve_expr(module, expr) {
                    Some(symbol) => self.symbol_schema(module, expr, symbol, depth),
                    None => self.unknown(module, expr, "is not a type"),
                }
            }
            ExprKind::Subscript(base, args) => self.generic(module, expr, base, args, depth),
            ExprKind::Call { func, keywords, .. } => {
                let Some(Symbol::External(name)) = self.tree.resolve_expr(module, func) else {
                    return self.unknown(module, expr, "is a call, not a type");
                };
                let mut schema = match name.as_str() {
                    "pydantic.constr" => json!({"type": "string"}),
                    "pydantic.conint" => json!({"type": "integer"}),
                    "pydantic.confloat" => json!({"type": "number"}),
                    _ => return self.unknown(module, expr, "is a call, not a type"),
                };
                let keywords = self.keyword_values(module, keywords);
                apply_keywords(&mut schema, &keywords);
                schema
            }
            _ => self.unknown(module, expr, "is not a type"),
        }
    }

    fn symbol_schema(&mut self, module: &str, expr: &Expr, symbol: Symbol, depth: usize) -> Schema {
        match symbol {
            Symbol::External(name) => match external_schema(&name) {
                Some(schema) => schema,
                None if name.starts_with("builtins.") => {
                    self.unknown(module, expr, "is not defined or imported here")
                }
                None => self.unknown(
                    module,
                    expr,
                    &format!("(`{name}`) is not a type this reader knows"),
                ),
            },
            Symbol::Class { module, name } => {
                let key = self.class_key(&module, &name);
                Api::type_ref(&key)
            }
            Symbol::Value { module, value } => self.annotation_at(&module, &value, depth + 1),
            Symbol::Module(name) => self.unknown(module, expr, &format!("is the module `{name}`")),
            Symbol::Function { name, .. } => {
                self.unknown(module, expr, &format!("is the function `{name}`"))
            }
            Symbol::Unresolved(unresolved) => {
                self.tree.report_unresolved(&unresolved);
                json!({})
            }
        }
    }

    /// `base[args]`: `Optional`, `Union`, `list`, `dict`, `Literal`, `Annotated`, ...
    fn generic(
        &mut self,
        module: &str,
        expr: &Expr,
        base: &Expr,
        args: &[Expr],
        depth: usize,
    ) -> Schema {
        let base_name = match self.tree.resolve_expr(module, base) {
            Some(Symbol::External(name)) => name,
            Some(Symbol::Value {
                module: alias_module,
                value,
            }) => {
                // A generic alias (`Ids = list`), resolved one level.
                let Some(name) = value.dotted() else {
                    return self.unknown(
                        module,
                        expr,
                        "is a subscripted alias this reader cannot follow",
                    );
                };
                match self.tree.resolve_name(&alias_module, &name) {
                    Symbol::External(name) => name,
                    _ => {
                        return self.unknown(
                            module,
                            expr,
                            "is a subscripted alias this reader cannot follow",
                        );
                    }
                }
            }
            Some(Symbol::Class {
                module: class_module,
                name,
            }) => {
                // A generic model (`Page[Item]`): its fields are read without the parameter.
                return Api::type_ref(&self.class_key(&class_module, &name));
            }
            _ => return self.unknown(module, expr, "is not a known generic type"),
        };
        let short = base_name
            .trim_start_matches("typing_extensions.")
            .trim_start_matches("typing.")
            .trim_start_matches("builtins.")
            .trim_start_matches("collections.abc.");
        let arg = |reader: &mut Self, i: usize| -> Schema {
            args.get(i)
                .map_or(json!({}), |a| reader.annotation_at(module, a, depth + 1))
        };
        match short {
            "Optional" => union(vec![arg(self, 0), json!({"type": "null"})]),
            "Union" => {
                let members = (0..args.len()).map(|i| arg(self, i)).collect();
                union(members)
            }
            "list" | "List" | "Sequence" | "Iterable" | "Collection" | "MutableSequence" => {
                json!({"type": "array", "items": arg(self, 0)})
            }
            "set" | "Set" | "frozenset" | "FrozenSet" | "AbstractSet" | "MutableSet" => {
                json!({"type": "array", "items": arg(self, 0), "uniqueItems": true})
            }
            "tuple" | "Tuple" => {
                if args.len() == 2 && args[1].kind == ExprKind::Ellipsis {
                    json!({"type": "array", "items": arg(self, 0)})
                } else {
                    let items: Vec<Schema> = (0..args.len()).map(|i| arg(self, i)).collect();
                    json!({"type": "array", "prefixItems": items, "minItems": args.len(), "maxItems": args.len()})
                }
            }
            "dict" | "Dict" | "Mapping" | "MutableMapping" | "OrderedDict" | "DefaultDict" => {
                let values = arg(self, 1);
                let values = if values == json!({}) {
                    json!(true)
                } else {
                    values
                };
                json!({"type": "object", "additionalProperties": values})
            }
            "Literal" => literal_schema(&self.literal_values(module, args)),
            "Annotated" => {
                let mut schema = arg(self, 0);
                for metadata in args.iter().skip(1) {
                    if let ExprKind::Call { func, keywords, .. } = &metadata.kind
                        && self.is_field_call(module, func)
                    {
                        let keywords = self.keyword_values(module, keywords);
                        apply_keywords(&mut schema, &keywords);
                        self.discriminate(&mut schema, &keywords);
                    }
                }
                schema
            }
            "Type" | "type" | "ClassVar" | "Final" | "Required" | "NotRequired" | "ReadOnly" => {
                arg(self, 0)
            }
            _ => self.unknown(
                module,
                expr,
                &format!("`{base_name}[...]` is not a type this reader knows"),
            ),
        }
    }

    fn literal_values(&mut self, module: &str, args: &[Expr]) -> Vec<Value> {
        args.iter()
            .filter_map(|a| self.constant(module, a, 0))
            .collect()
    }

    /// The JSON value of a literal expression (following module constants and enum members).
    pub fn constant(&mut self, module: &str, expr: &Expr, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match &expr.kind {
            ExprKind::Str(s) => json!(s),
            ExprKind::Int(n) => json!(n),
            ExprKind::Float(f) => json!(f),
            ExprKind::Bool(b) => json!(b),
            ExprKind::None => Value::Null,
            ExprKind::List(items) | ExprKind::Tuple(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.constant(module, i, depth + 1))
                    .collect::<Option<_>>()?,
            ),
            ExprKind::Dict(entries) => {
                let mut map = Map::new();
                for (key, value) in entries {
                    let key = key.as_ref()?.as_str()?.to_owned();
                    map.insert(key, self.constant(module, value, depth + 1)?);
                }
                Value::Object(map)
            }
            ExprKind::Name(_) => match self.tree.resolve_expr(module, expr)? {
                Symbol::Value { module, value } => self.constant(&module, &value, depth + 1)?,
                _ => return None,
            },
            ExprKind::Attribute(owner, member) => match self.tree.resolve_expr(module, owner)? {
                Symbol::Class { module, name } => {
                    let facts = self.tree.load(&module)?.facts.clone()?;
                    let class = facts.class(&name)?;
                    let (_, value) = class.assignments.iter().find(|(n, _)| n == member)?;
                    self.constant(&module, value, depth + 1)?
                }
                Symbol::Module(module) => {
                    let value = self
                        .tree
                        .load(&module)?
                        .facts
                        .clone()?
                        .assignment(member)?
                        .clone();
                    self.constant(&module, &value, depth + 1)?
                }
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The internal key of a class, reading it on first use.
    fn class_key(&mut self, module: &str, name: &str) -> String {
        let key = format!("{module}:{name}");
        if self.types.contains(&key) {
            return key;
        }
        let Some(loaded) = self.tree.load(module) else {
            return key;
        };
        let Some(class) = loaded.facts.as_ref().and_then(|f| f.class(name)).cloned() else {
            return key;
        };
        let origin = (loaded.display.clone(), class.at);
        let qualifiers: Vec<String> = module.rsplit('.').map(str::to_owned).collect();
        // Placeholder first, so recursive references terminate.
        self.types.insert(
            key.clone(),
            TypeEntry {
                preferred: name.to_owned(),
                qualifiers: qualifiers.clone(),
                schema: json!({}),
                origin: origin.clone(),
            },
        );
        let schema = match self.class_kind(module, &class, 0) {
            ClassKind::Enum => self.enum_schema(module, &class),
            ClassKind::Model => self.model_schema(module, &class),
        };
        self.types.insert(
            key.clone(),
            TypeEntry {
                preferred: name.to_owned(),
                qualifiers,
                schema,
                origin,
            },
        );
        key
    }

    fn class_kind(&mut self, module: &str, class: &ClassFacts, depth: usize) -> ClassKind {
        if depth > MAX_DEPTH {
            return ClassKind::Model;
        }
        for base in &class.bases {
            match self.tree.resolve_expr(module, base) {
                Some(Symbol::External(name)) if is_enum_base(&name) => return ClassKind::Enum,
                Some(Symbol::Class { module, name }) => {
                    let facts = self.tree.load(&module).and_then(|m| m.facts.clone());
                    if let Some(base_class) = facts.as_ref().and_then(|f| f.class(&name))
                        && self.class_kind(&module, base_class, depth + 1) == ClassKind::Enum
                    {
                        return ClassKind::Enum;
                    }
                }
                _ => {}
            }
        }
        ClassKind::Model
    }

    fn enum_schema(&mut self, module: &str, class: &ClassFacts) -> Schema {
        let is_str_enum = class.bases.iter().any(|b| {
            matches!(self.tree.resolve_expr(module, b), Some(Symbol::External(n)) if n == "enum.StrEnum" || n == "builtins.str")
        });
        let mut values = Vec::new();
        for (index, (name, value)) in class.assignments.iter().enumerate() {
            if name.starts_with('_') {
                continue;
            }
            let is_auto = matches!(&value.kind, ExprKind::Call { func, .. } if func.dotted().is_some_and(|f| f == "auto" || f == "enum.auto"));
            let value = if is_auto {
                Some(if is_str_enum {
                    json!(name.to_lowercase())
                } else {
                    json!(index + 1)
                })
            } else {
                self.constant(module, value, 0)
            };
            values.extend(value);
        }
        let mut schema = literal_schema(&values);
        if let Some(doc) = &class.docstring {
            schema["description"] = json!(doc);
        }
        schema
    }

    fn model_schema(&mut self, module: &str, class: &ClassFacts) -> Schema {
        let mut properties = BTreeMap::new();
        let mut required = BTreeMap::new();
        let mut forbid_extra = false;
        self.collect_fields(
            module,
            class,
            &mut properties,
            &mut required,
            &mut forbid_extra,
            0,
        );
        let mut schema = json!({"type": "object", "properties": properties});
        let required: Vec<&String> = required
            .iter()
            .filter(|(_, r)| **r)
            .map(|(n, _)| n)
            .collect();
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        if forbid_extra {
            schema["additionalProperties"] = json!(false);
        }
        if let Some(doc) = &class.docstring {
            schema["description"] = json!(doc);
        }
        schema
    }

    /// Fields of the bases first (rightmost base first, as Pydantic walks the MRO), then the
    /// class's own, each overriding what came before.
    fn collect_fields(
        &mut self,
        module: &str,
        class: &ClassFacts,
        properties: &mut BTreeMap<String, Schema>,
        required: &mut BTreeMap<String, bool>,
        forbid_extra: &mut bool,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for base in class.bases.iter().rev() {
            match self.tree.resolve_expr(module, base) {
                Some(Symbol::Class {
                    module: base_module,
                    name,
                }) => {
                    let facts = self.tree.load(&base_module).and_then(|m| m.facts.clone());
                    if let Some(base_class) = facts.as_ref().and_then(|f| f.class(&name)) {
                        self.collect_fields(
                            &base_module,
                            base_class,
                            properties,
                            required,
                            forbid_extra,
                            depth + 1,
                        );
                    }
                }
                Some(Symbol::Unresolved(unresolved)) => self.tree.report_unresolved(&unresolved),
                _ => {}
            }
        }
        for (name, value) in &class.assignments {
            if name == "model_config"
                && let Some(extra) = config_value(value, "extra")
            {
                *forbid_extra = extra == "forbid";
            }
        }
        for field in &class.fields {
            if field.name.starts_with('_') || self.is_class_var(module, &field.annotation) {
                continue;
            }
            let (schema, is_required, wire_name) = self.field_schema(module, field);
            properties.insert(wire_name.clone(), schema);
            required.insert(wire_name, is_required);
        }
    }

    fn is_class_var(&mut self, module: &str, annotation: &Expr) -> bool {
        let base = match &annotation.kind {
            ExprKind::Subscript(base, _) => base.as_ref(),
            _ => annotation,
        };
        matches!(self.tree.resolve_expr(module, base), Some(Symbol::External(n)) if n.ends_with("ClassVar"))
    }

    fn is_field_call(&mut self, module: &str, func: &Expr) -> bool {
        matches!(self.tree.resolve_expr(module, func), Some(Symbol::External(n)) if n == "pydantic.Field" || n == "pydantic.fields.Field")
    }

    /// A field's schema, whether it is required, and its name on the wire (its alias, if any).
    fn field_schema(
        &mut self,
        module: &str,
        field: &super::facts::FieldFacts,
    ) -> (Schema, bool, String) {
        let mut schema = self.annotation(module, &field.annotation);
        let mut wire_name = field.name.clone();
        let (required, default) = match &field.default {
            None => (true, None),
            Some(value) => match &value.kind {
                ExprKind::Call {
                    func,
                    args,
                    keywords,
                } if self.is_field_call(module, func) => {
                    let values = self.keyword_values(module, keywords);
                    apply_keywords(&mut schema, &values);
                    self.discriminate(&mut schema, &values);
                    if let Some(alias) = value.keyword("alias").and_then(Expr::as_str) {
                        wire_name = alias.to_owned();
                    }
                    let explicit = args.first().or_else(|| value.keyword("default"));
                    match explicit {
                        Some(d) if d.kind == ExprKind::Ellipsis => (true, None),
                        Some(d) => (false, self.constant(module, d, 0)),
                        None if value.keyword("default_factory").is_some() => (false, None),
                        None => (true, None),
                    }
                }
                _ => (false, self.constant(module, value, 0)),
            },
        };
        if let Some(default) = default {
            if let Value::Object(map) = &mut schema {
                map.insert("default".into(), default);
            } else {
                schema = json!({"allOf": [schema], "default": default});
            }
        }
        (schema, required, wire_name)
    }

    /// `Field(discriminator="kind")` on a union of models: the members become a `oneOf` with an
    /// OpenAPI `discriminator` whose `mapping` gives each member's tag, as Pydantic writes it.
    fn discriminate(&self, schema: &mut Schema, keywords: &[(String, Value)]) {
        let Some(tag) = keywords
            .iter()
            .find(|(key, _)| key == "discriminator")
            .and_then(|(_, value)| value.as_str())
        else {
            return;
        };
        let null = json!({"type": "null"});
        let Some(Value::Array(members)) = schema.get("anyOf").cloned() else {
            return;
        };
        let nullable = members.contains(&null);
        let models: Vec<Schema> = members.into_iter().filter(|m| *m != null).collect();
        let mut mapping = serde_json::Map::new();
        for model in &models {
            let Some(reference) = model.get("$ref").and_then(Value::as_str) else {
                return;
            };
            let key = Api::ref_target(reference).unwrap_or(reference);
            let property = self
                .types
                .schema(key)
                .and_then(|s| s.get("properties"))
                .and_then(|p| p.get(tag));
            let value = property.and_then(|p| {
                p.get("const")
                    .or_else(|| {
                        p.get("enum")
                            .and_then(Value::as_array)
                            .and_then(|v| v.first())
                    })
                    .and_then(Value::as_str)
            });
            let Some(value) = value else { return };
            mapping.insert(value.to_owned(), json!(reference));
        }
        let union =
            json!({"oneOf": models, "discriminator": {"propertyName": tag, "mapping": mapping}});
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        map.remove("anyOf");
        if nullable {
            map.insert("anyOf".into(), Value::Array(vec![union, null]));
        } else if let Value::Object(union) = union {
            map.extend(union);
        }
    }

    /// The literal values of keyword arguments (constants followed), keyed by keyword.
    fn keyword_values(
        &mut self,
        module: &str,
        keywords: &[(Option<String>, Expr)],
    ) -> Vec<(String, Value)> {
        keywords
            .iter()
            .filter_map(|(key, value)| Some((key.clone()?, self.constant(module, value, 0)?)))
            .collect()
    }

    fn unknown(&mut self, module: &str, expr: &Expr, why: &str) -> Schema {
        let path = self
            .tree
            .load(module)
            .map_or_else(|| module.to_owned(), |m| m.display.clone());
        let shown = expr
            .dotted()
            .unwrap_or_else(|| "this annotation".to_owned());
        let diagnostic = Diagnostic::warning(
            Code::UnknownType,
            path,
            expr.at,
            format!("type `{shown}` {why}; it is read as any JSON value"),
        );
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
        json!({})
    }
}
