//! Pydantic v2 models, read statically, as JSON Schema 2020-12.
//!
//! Required vs optional follows Pydantic: a field without a default (or with `Field(...)`) is
//! required; `= None`, `= value`, `Field(value)` and `Field(default_factory=...)` are optional.
//! Literal defaults are recorded, and the empty collection a `default_factory=list` (`dict`, `set`,
//! `tuple`) makes; `Field` constraints and descriptions are carried over.

use std::collections::{BTreeMap, VecDeque};

use crate::json::{Map, Value, json};

mod constraints;
mod known_types;

pub use known_types::union;

use constraints::{apply_keywords, config_value};
use known_types::{external_schema, is_enum_base, literal_schema};

use super::Origin;
use super::facts::{ClassFacts, Expr, ExprKind};
use super::modules::{PythonTree, Symbol};
use super::python::parse_annotation;
use super::type_set::{TypeEntry, TypeSet};
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::{Api, Schema};

/// How many aliases and nested annotations are followed before giving up.
const MAX_DEPTH: usize = 24;

/// `Field(...)` keywords that constrain the value: one that cannot be read is reported.
const CONSTRAINTS: &[&str] = &[
    "ge",
    "le",
    "gt",
    "lt",
    "multiple_of",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "pattern",
    "regex",
    "max_digits",
    "decimal_places",
];

/// How many classes may be read one inside another to settle a discriminated union.
const MAX_NESTED_READS: usize = 64;

/// Reads Pydantic models and annotations into a [`TypeSet`].
pub struct PydanticReader<'t> {
    /// The modules models are read from.
    pub tree: &'t mut PythonTree,
    /// The types collected so far.
    pub types: TypeSet,
    diagnostics: Vec<Diagnostic>,
    /// Classes named but not read yet: read in turn, never one inside another, so that a long
    /// chain of models referring to each other cannot exhaust the stack.
    pending: VecDeque<PendingClass>,
    /// How many classes are being read one inside another right now.
    nested_reads: usize,
}

/// How deep an inheritance chain is read.
const MAX_ANCESTRY: usize = 4_096;

/// A class's ancestors (itself last) and the external bases among them.
#[derive(Default)]
struct Ancestry {
    classes: Vec<(String, ClassFacts)>,
    external: Vec<String>,
}

/// A class to read: its key, module and facts.
struct PendingClass {
    key: String,
    module: String,
    class: ClassFacts,
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
            pending: VecDeque::new(),
            nested_reads: 0,
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
            Symbol::Class { module, name } => {
                let key = self.class_key(&module, &name);
                self.read_pending();
                Some(key)
            }
            Symbol::Unresolved(unresolved) => {
                self.tree.report_unresolved(&unresolved);
                None
            }
            _ => None,
        }
    }

    /// The schema of a type annotation written in `module`.
    pub fn annotation(&mut self, module: &str, expr: &Expr) -> Schema {
        let schema = self.annotation_at(module, expr, 0);
        self.read_pending();
        schema
    }

    /// Reads every class named so far, in turn.
    fn read_pending(&mut self) {
        while let Some(pending) = self.pending.pop_front() {
            self.read_class(pending);
        }
    }

    /// Reads the pending class `key` now, if it is pending (a discriminated union needs its
    /// members' tags). False when that would nest reads too deeply.
    fn read_now(&mut self, key: &str) -> bool {
        let Some(index) = self.pending.iter().position(|p| p.key == key) else {
            return true;
        };
        if self.nested_reads >= MAX_NESTED_READS {
            return false;
        }
        if let Some(pending) = self.pending.remove(index) {
            self.nested_reads += 1;
            self.read_class(pending);
            self.nested_reads -= 1;
        }
        true
    }

    fn read_class(&mut self, pending: PendingClass) {
        let PendingClass { key, module, class } = pending;
        let ancestry = self.ancestry(&module, &class);
        let schema = match self.class_kind(&ancestry) {
            ClassKind::Enum => self.enum_schema(&module, &class),
            ClassKind::Model => self.model_schema(&class, &ancestry),
        };
        self.types.set_schema(&key, schema);
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
            self.report(
                Code::LimitExceeded,
                module,
                expr.at,
                format!("a value nested (or named through constants) more than {MAX_DEPTH} levels deep is not read: it is left out"),
                false,
            );
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

    /// The internal key of a class; the class is queued to be read on first use.
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
        let origin = Origin {
            path: loaded.display.clone(),
            at: class.at,
        };
        let qualifiers: Vec<String> = module.rsplit('.').map(str::to_owned).collect();
        // A placeholder until it is read, so that references to it terminate.
        self.types.insert(
            key.clone(),
            TypeEntry {
                preferred: name.to_owned(),
                qualifiers,
                schema: json!({}),
                origin,
            },
        );
        self.pending.push_back(PendingClass {
            key: key.clone(),
            module: module.to_owned(),
            class,
        });
        key
    }

    /// An enum when it or any ancestor derives from an `Enum` base.
    fn class_kind(&mut self, ancestry: &Ancestry) -> ClassKind {
        if ancestry.external.iter().any(|name| is_enum_base(name)) {
            ClassKind::Enum
        } else {
            ClassKind::Model
        }
    }

    /// The class's ancestors with itself last, bases before the classes deriving from them
    /// (rightmost base first, as Pydantic walks the MRO), and the external bases met; walked
    /// without recursion. A class among its own ancestors is an `inheritance-cycle` error.
    fn ancestry(&mut self, module: &str, class: &ClassFacts) -> Ancestry {
        struct Frame {
            module: String,
            class: ClassFacts,
            next: usize,
        }
        let mut ancestry = Ancestry::default();
        let mut stack = vec![Frame {
            module: module.to_owned(),
            class: class.clone(),
            next: 0,
        }];
        let mut path = vec![format!("{module}:{}", class.name)];
        while let Some(top) = stack.last_mut() {
            let bases = &top.class.bases;
            let Some(base) = bases
                .len()
                .checked_sub(top.next + 1)
                .map(|i| bases[i].clone())
            else {
                if let Some(done) = stack.pop() {
                    path.pop();
                    ancestry.classes.push((done.module, done.class));
                }
                continue;
            };
            top.next += 1;
            let from = top.module.clone();
            match self.tree.resolve_expr(&from, &base) {
                Some(Symbol::External(name)) => ancestry.external.push(name),
                Some(Symbol::Class { module, name }) => {
                    let key = format!("{module}:{name}");
                    if path.contains(&key) {
                        let cycle: Vec<String> = path
                            .iter()
                            .chain(std::iter::once(&key))
                            .map(|k| format!("`{}`", k.rsplit(':').next().unwrap_or(k)))
                            .collect();
                        self.report(
                            Code::InheritanceCycle,
                            &from,
                            base.at,
                            format!(
                                "class `{name}` is its own ancestor ({}): Python refuses it; this base is ignored",
                                cycle.join(" → ")
                            ),
                            true,
                        );
                        continue;
                    }
                    if stack.len() > MAX_ANCESTRY {
                        self.report(
                            Code::LimitExceeded,
                            &from,
                            base.at,
                            format!(
                                "more than {MAX_ANCESTRY} levels of inheritance: the bases of `{name}` and above are not read"
                            ),
                            false,
                        );
                        continue;
                    }
                    let facts = self.tree.load(&module).and_then(|m| m.facts.clone());
                    if let Some(base_class) = facts.as_ref().and_then(|f| f.class(&name)) {
                        path.push(key);
                        stack.push(Frame {
                            module,
                            class: base_class.clone(),
                            next: 0,
                        });
                    }
                }
                Some(Symbol::Unresolved(unresolved)) => self.tree.report_unresolved(&unresolved),
                _ => {}
            }
        }
        ancestry
    }

    /// Records a diagnostic at `at` in `module`'s file, once.
    pub(super) fn report(
        &mut self,
        code: Code,
        module: &str,
        at: Position,
        message: String,
        error: bool,
    ) {
        let path = self
            .tree
            .load(module)
            .map_or_else(|| module.to_owned(), |m| m.display.clone());
        let diagnostic = if error {
            Diagnostic::error(code, path, at, message)
        } else {
            Diagnostic::warning(code, path, at, message)
        };
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    fn enum_schema(&mut self, module: &str, class: &ClassFacts) -> Schema {
        let is_str_enum = class.bases.iter().any(|b| {
            matches!(self.tree.resolve_expr(module, b), Some(Symbol::External(n)) if n == "enum.StrEnum" || n == "builtins.str")
        });
        let mut values = Vec::new();
        let mut names = Vec::new();
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
            if let Some(value) = value {
                values.push(value);
                names.push(name.clone());
            }
        }
        let mut schema = literal_schema(&values);
        // The members' names, for the generated variants (`EASY` → `Easy`, not `V1`).
        if schema.get("enum").is_some() && names.len() == values.len() {
            schema["x-enum-varnames"] = json!(names);
        }
        if let Some(doc) = &class.docstring {
            schema["description"] = json!(doc);
        }
        schema
    }

    fn model_schema(&mut self, class: &ClassFacts, ancestry: &Ancestry) -> Schema {
        let mut properties = BTreeMap::new();
        let mut required = BTreeMap::new();
        let mut forbid_extra = false;
        // Each ancestor's fields override those of the bases before it; the class's own come last.
        for (module, ancestor) in &ancestry.classes {
            for (name, value) in &ancestor.assignments {
                if name == "model_config"
                    && let Some(extra) = config_value(value, "extra")
                {
                    forbid_extra = extra == "forbid";
                }
            }
            for field in &ancestor.fields {
                if field.name.starts_with('_') || self.is_class_var(module, &field.annotation) {
                    continue;
                }
                let (schema, is_required, wire_name) = self.field_schema(module, field);
                properties.insert(wire_name.clone(), schema);
                required.insert(wire_name, is_required);
            }
        }
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
        let mut schema = self.annotation_at(module, &field.annotation, 0);
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
                        None => match value.keyword("default_factory") {
                            Some(factory) => (false, self.factory_default(module, factory)),
                            None => (true, None),
                        },
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

    /// The value a `default_factory` of an empty collection makes (`list` → `[]`, `dict` →
    /// `{}`), which FastAPI's document leaves out; other factories run code, and stay unknown.
    fn factory_default(&mut self, module: &str, factory: &Expr) -> Option<Value> {
        match self.tree.resolve_expr(module, factory)? {
            Symbol::External(name) => match name.as_str() {
                "builtins.list" | "builtins.set" | "builtins.tuple" | "builtins.frozenset" => {
                    Some(json!([]))
                }
                "builtins.dict" => Some(json!({})),
                _ => None,
            },
            _ => None,
        }
    }

    /// `Field(discriminator="kind")` on a union of models: the members become a `oneOf` with an
    /// OpenAPI `discriminator` whose `mapping` gives each member's tag, as Pydantic writes it.
    fn discriminate(&mut self, schema: &mut Schema, keywords: &[(String, Value)]) {
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
        let mut mapping = crate::json::Map::new();
        for model in &models {
            let Some(reference) = model.get("$ref").and_then(Value::as_str) else {
                return;
            };
            let key = Api::ref_target(reference).unwrap_or(reference);
            if !self.read_now(key) {
                return;
            }
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
        let mut values = Vec::new();
        for (key, value) in keywords {
            let Some(key) = key else { continue };
            match self.constant(module, value, 0) {
                Some(constant) => values.push((key.clone(), constant)),
                None if CONSTRAINTS.contains(&key.as_str()) => {
                    let shown = value.dotted().unwrap_or_else(|| "its value".to_owned());
                    self.report(
                        Code::UnreadableValue,
                        module,
                        value.at,
                        format!("`{key}={shown}` cannot be read to a constant: the constraint is not recorded"),
                        false,
                    );
                }
                None => {}
            }
        }
        values
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
