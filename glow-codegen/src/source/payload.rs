//! What a handler takes and returns: its payload type (a validated model, or an object inferred
//! from the keys it reads) and its ack type (inferred from what it returns).

use crate::json::{Map, Value, json};

use super::Origin;
use super::facts::{Expr, ExprKind, Forward, FunctionFacts, ParamUse, Passed, PayloadRead};
use super::modules::Symbol;
use super::pydantic::{PydanticReader, union};
use super::type_set::TypeEntry;
use crate::diagnostic::Position;
use crate::ident::pascal_case;
use crate::model::{Api, Schema};

/// How deeply a returned value is followed (nested literals, local assignments, awaited calls).
const MAX_DEPTH: usize = 32;

/// A handler being read: its module, its function and the name its path gives it.
pub struct Handler<'h> {
    /// The dotted module.
    pub module: &'h str,
    /// The module's file, as displayed.
    pub display: &'h str,
    /// The handler function.
    pub function: &'h FunctionFacts,
    /// The event it is registered for: what keeps its inferred types apart from every other
    /// handler's.
    pub event: &'h str,
    /// The name its inferred types are named after (`attempt.chat_message`).
    pub name: &'h str,
    /// The position of its payload parameter (`data`: 1 for a function, 2 for a method).
    pub param: usize,
}

/// What a handler takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Nothing: it never touches its data parameter.
    None,
    /// This type (an internal type key).
    Typed(String),
    /// A shape the sources do not tell: any JSON object (this internal type key), why, and where.
    Unknown {
        /// The type: any JSON object.
        key: String,
        /// What hides the shape, in words (`passed to a call the reader cannot follow`).
        reason: String,
        /// The dotted module of the place.
        module: String,
        /// The place.
        at: Position,
    },
}

/// How many calls deep a payload passed on whole is followed.
const MAX_FORWARDS: usize = 4;

/// What one parameter is known to be, while following it.
enum Shape {
    /// Never touched.
    Unused,
    /// Validated as this model (internal type key).
    Model(String),
    /// An object with these properties.
    Fields(Vec<FieldShape>),
    /// Not knowable: why, in which module, where.
    Unknown(String, String, Position),
    /// Passed whole to code outside the import root (`json.dumps(data)`, `logger.info(data)`),
    /// shown as this callee, at this place: it says nothing of the keys, and reading it is not
    /// the server's.
    Outside(String, Position),
}

/// How a message names a callee: its dotted name (`service.handle`), a call by what it calls
/// (`partial(...)`), else `<expression>` (a lambda, a subscript).
fn callee_text(callee: &Expr) -> String {
    match (&callee.kind, callee.dotted()) {
        (_, Some(dotted)) => dotted,
        (ExprKind::Call { func, .. }, None) => format!("{}(...)", callee_text(func)),
        _ => "<expression>".to_owned(),
    }
}

/// One property of an inferred payload.
struct FieldShape {
    name: String,
    schema: Schema,
    required: bool,
}

impl PydanticReader<'_> {
    /// What the handler's payload is.
    ///
    /// In order: a model it validates the payload with (also inside a helper it hands the
    /// payload to, followed under the import root); a model its payload parameter is annotated
    /// with; an object of the keys it (or such a helper) reads; *unknown* when it uses the
    /// payload in a way that tells nothing of its keys or names a model that does not resolve;
    /// nothing when it never touches it.
    pub fn payload(&mut self, handler: &Handler) -> Payload {
        let mut visiting = Vec::new();
        let shape = self.param_shape(
            handler.module,
            handler.function,
            handler.param,
            &mut visiting,
        );
        match shape {
            Shape::Unused => Payload::None,
            Shape::Model(key) => Payload::Typed(key),
            Shape::Fields(fields) => {
                Payload::Typed(self.inferred(handler, "Payload", object(fields)))
            }
            Shape::Unknown(reason, module, at) => Payload::Unknown {
                key: self.inferred(handler, "Payload", json!({"type": "object"})),
                reason,
                module,
                at,
            },
            // `param_shape` already turns this into `Unknown`; never say "no payload" for it.
            Shape::Outside(callee, at) => Payload::Unknown {
                key: self.inferred(handler, "Payload", json!({"type": "object"})),
                reason: format!("it is only passed to `{callee}`, outside the import root"),
                module: handler.module.to_owned(),
                at,
            },
        }
    }

    /// The shape of parameter `param` of `function` (in `module`).
    fn param_shape(
        &mut self,
        module: &str,
        function: &FunctionFacts,
        param: usize,
        visiting: &mut Vec<(String, String, usize)>,
    ) -> Shape {
        let uses = match function.uses.get(param) {
            Some(uses) if param < function.positional => uses,
            _ => {
                // Past the positional parameters the argument arrives in `*args`, if anywhere.
                return match function.rest.as_ref().and_then(ParamUse::first_use) {
                    Some(at) => Shape::Unknown(
                        "it arrives in `*args`, which the reader does not follow".to_owned(),
                        module.to_owned(),
                        at,
                    ),
                    None => Shape::Unused,
                };
            }
        };
        for model in &uses.validations {
            if let Some(key) = self.model_key(module, model) {
                return Shape::Model(key);
            }
        }
        if let Some(model) = uses.validations.first() {
            let shown = model.dotted().unwrap_or_else(|| "the model".into());
            return Shape::Unknown(
                format!("it is validated with `{shown}`, which does not resolve to a model"),
                module.to_owned(),
                model.at,
            );
        }
        if let Some((_, Some(annotation))) = function.params.get(param)
            && let Some(Symbol::Class { .. }) = self.tree.resolve_expr(module, annotation)
            && let Some(key) = self.model_key(module, annotation)
        {
            return Shape::Model(key);
        }
        let mut fields: Vec<FieldShape> = uses
            .reads
            .iter()
            .map(|read| FieldShape {
                name: read.key.clone(),
                schema: self.read_schema(module, read),
                required: read.required,
            })
            .collect();
        // Whether a helper under the import root gave an object (even one without keys:
        // `f(**data)` into a function that takes none).
        let mut forwarded_object = false;
        let mut outside = None;
        for forward in &uses.forwards {
            match self.forwarded_shape(module, forward, visiting) {
                Shape::Model(key) => return Shape::Model(key),
                unknown @ Shape::Unknown(..) => return unknown,
                Shape::Fields(more) => {
                    fields.extend(more);
                    forwarded_object = true;
                }
                Shape::Outside(callee, at) => {
                    outside.get_or_insert((callee, at));
                }
                Shape::Unused => {}
            }
        }
        if let Some(at) = uses.escapes.first() {
            return Shape::Unknown(
                "the payload is used in a way that tells nothing of its keys".to_owned(),
                module.to_owned(),
                *at,
            );
        }
        if uses.reads.is_empty() && !forwarded_object {
            // Nothing under the import root reads it: handed only to outside code, what it
            // carries is not known; never touched at all, there is none.
            return match outside {
                Some((callee, at)) => Shape::Unknown(
                    format!(
                        "it is only passed to `{callee}`, outside the import root, which says nothing of its keys"
                    ),
                    module.to_owned(),
                    at,
                ),
                None => Shape::Unused,
            };
        }
        Shape::Fields(fields)
    }

    /// The shape a call gives the payload passed to it whole: followed into a function under
    /// the import root; outside it (logging, `json.dumps`) it says nothing.
    fn forwarded_shape(
        &mut self,
        module: &str,
        forward: &Forward,
        visiting: &mut Vec<(String, String, usize)>,
    ) -> Shape {
        let shown = callee_text(&forward.callee);
        let unknown = |why: String| Shape::Unknown(why, module.to_owned(), forward.at);
        let (callee_module, name) = match self.tree.resolve_expr(module, &forward.callee) {
            Some(Symbol::Function { module, name }) => (module, name),
            Some(Symbol::External(_)) => return Shape::Outside(shown, forward.at),
            Some(Symbol::Unresolved(unresolved)) => {
                self.tree.report_unresolved(&unresolved);
                return unknown(format!("it is passed to `{shown}`, which does not resolve"));
            }
            _ if self.is_external_object(module, &forward.callee) => {
                return Shape::Outside(shown, forward.at);
            }
            _ => {
                return unknown(format!(
                    "it is passed to `{shown}`, which the reader cannot follow"
                ));
            }
        };
        let Some(callee) = self.tree.function(&callee_module, &name) else {
            return unknown(format!("it is passed to `{shown}`, which cannot be read"));
        };
        if visiting.len() >= MAX_FORWARDS {
            return unknown(format!(
                "it is passed on through more than {MAX_FORWARDS} calls (to `{shown}`)"
            ));
        }
        let receiving = match &forward.passed {
            Passed::Positional(index) => Some(*index),
            Passed::Keyword(keyword) => callee.params.iter().position(|(p, _)| p == keyword),
            Passed::Spread => {
                return self.spread_shape(module, &callee_module, &callee, forward, &shown);
            }
        };
        let Some(receiving) = receiving else {
            return unknown(format!(
                "it is passed to `{shown}` under a name it does not take"
            ));
        };
        let key = (callee_module.clone(), name.clone(), receiving);
        if visiting.contains(&key) {
            return Shape::Unused;
        }
        visiting.push(key);
        let shape = self.param_shape(&callee_module, &callee, receiving, visiting);
        visiting.pop();
        match shape {
            // A helper that hands back a model it is annotated to return (`-> Model`).
            Shape::Unknown(..) | Shape::Unused => {
                match self.annotated_model(&callee_module, &callee) {
                    Some(key) => Shape::Model(key),
                    None => shape,
                }
            }
            other => other,
        }
    }

    /// `logger.info` where `logger = logging.getLogger(...)`: a method of an object made by code
    /// outside the import root, which cannot be where the server reads its payload.
    fn is_external_object(&mut self, module: &str, callee: &Expr) -> bool {
        let ExprKind::Attribute(receiver, _) = &callee.kind else {
            return false;
        };
        match self.tree.resolve_expr(module, receiver) {
            Some(Symbol::External(_)) => true,
            Some(Symbol::Value { module, value }) => match &value.kind {
                ExprKind::Call { func, .. } => {
                    matches!(
                        self.tree.resolve_expr(&module, func),
                        Some(Symbol::External(_))
                    )
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// `f(**data)`: the payload's keys are `f`'s parameters the call does not fill otherwise.
    fn spread_shape(
        &mut self,
        module: &str,
        callee_module: &str,
        callee: &FunctionFacts,
        forward: &Forward,
        shown: &str,
    ) -> Shape {
        if callee.any_keywords {
            return Shape::Unknown(
                format!("it is spread into `{shown}`, which takes any keyword (`**kwargs`)"),
                module.to_owned(),
                forward.at,
            );
        }
        let fields = callee
            .params
            .iter()
            .enumerate()
            .skip(forward.positional)
            .filter(|(_, (name, _))| !forward.other_keywords.contains(name))
            .map(|(index, (name, annotation))| FieldShape {
                name: name.clone(),
                schema: annotation
                    .as_ref()
                    .map_or_else(|| json!({}), |a| self.annotation(callee_module, a)),
                required: !callee.defaults.get(index).copied().unwrap_or(false),
            })
            .collect();
        Shape::Fields(fields)
    }

    /// The model a function is annotated to return, if it is one.
    fn annotated_model(&mut self, module: &str, function: &FunctionFacts) -> Option<String> {
        let annotation = function.return_annotation.as_ref()?;
        match self.tree.resolve_expr(module, annotation)? {
            Symbol::Class { .. } => self.model_key(module, annotation),
            _ => None,
        }
    }

    /// The internal type key of the handler's ack, or `None` when it returns nothing.
    pub fn ack_key(&mut self, handler: &Handler) -> Option<String> {
        let function = handler.function;
        if function.returns.is_empty() {
            return None;
        }
        let schemas: Vec<Schema> = function
            .returns
            .iter()
            .map(|value| self.value_schema(handler, value, 0))
            .collect();
        let schema = schemas
            .into_iter()
            .reduce(merge_shapes)
            .unwrap_or_else(|| json!({}));
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(Api::ref_target)
            && schema.as_object().is_some_and(|m| m.len() == 1)
        {
            return Some(target.to_owned());
        }
        Some(self.inferred(handler, "Ack", schema))
    }

    fn inferred(&mut self, handler: &Handler, suffix: &str, schema: Schema) -> String {
        let key = format!("@{suffix}:{}", handler.event);
        self.types.insert(
            key.clone(),
            TypeEntry {
                preferred: format!("{}{suffix}", pascal_case(handler.name)),
                qualifiers: vec!["inferred".into()],
                schema,
                origin: Origin {
                    path: handler.display.to_owned(),
                    at: handler.function.at,
                },
            },
        );
        key
    }

    fn read_schema(&mut self, module: &str, read: &PayloadRead) -> Schema {
        let cast = read.cast.as_deref().map(cast_schema);
        let default = read
            .default
            .as_ref()
            .and_then(|d| self.constant(module, d, 0))
            .filter(|d| !d.is_null());
        match (cast, default) {
            (Some(schema), None) => schema,
            (Some(mut schema), Some(default)) => {
                schema["default"] = default;
                schema
            }
            (None, Some(default)) => {
                let mut schema = value_type(&default);
                schema["default"] = default;
                schema
            }
            (None, None) => json!({}),
        }
    }

    /// The schema of a returned expression, as far as literals, conversions and models tell.
    fn value_schema(&mut self, handler: &Handler, value: &Expr, depth: usize) -> Schema {
        if depth > MAX_DEPTH {
            self.report(
                crate::diagnostic::Code::LimitExceeded,
                handler.module,
                value.at,
                format!("the returned value nests (or is assigned) more than {MAX_DEPTH} levels deep: past that it is read as any JSON"),
                false,
            );
            return json!({});
        }
        match &value.kind {
            ExprKind::Str(_) | ExprKind::FormattedString(_) => json!({"type": "string"}),
            ExprKind::Int(_) => json!({"type": "integer"}),
            ExprKind::Float(_) => json!({"type": "number"}),
            ExprKind::Bool(_) => json!({"type": "boolean"}),
            ExprKind::None => json!({"type": "null"}),
            ExprKind::Dict(entries) => {
                let mut properties = Map::new();
                let mut open = false;
                for (key, item) in entries {
                    match key.as_ref().and_then(Expr::as_str) {
                        Some(key) => {
                            let schema = self.value_schema(handler, item, depth + 1);
                            properties.insert(key.to_owned(), schema);
                        }
                        None => open = true,
                    }
                }
                let required: Vec<&String> = properties.keys().collect();
                let mut schema = json!({"type": "object", "properties": properties});
                if !required.is_empty() {
                    schema["required"] = json!(required);
                }
                if !open {
                    schema["additionalProperties"] = json!(false);
                }
                schema
            }
            ExprKind::List(items) | ExprKind::Tuple(items) => {
                let members = items
                    .iter()
                    .map(|i| self.value_schema(handler, i, depth + 1))
                    .collect::<Vec<_>>();
                match members.into_iter().reduce(merge_shapes) {
                    Some(items) => json!({"type": "array", "items": items}),
                    None => json!({"type": "array"}),
                }
            }
            ExprKind::Name(name) => match local(handler.function, name) {
                Some(assigned) => self.value_schema(handler, assigned, depth + 1),
                None => self
                    .constant(handler.module, value, 0)
                    .map_or_else(|| json!({}), |constant| value_type(&constant)),
            },
            ExprKind::Call { func, args, .. } => self.call_schema(handler, func, args, depth),
            ExprKind::Await(awaited) => self.value_schema(handler, awaited, depth + 1),
            ExprKind::Attribute(receiver, field) => self
                .model_of(handler, receiver, depth + 1)
                .and_then(|model| {
                    let key = model.get("$ref")?.as_str().and_then(Api::ref_target)?;
                    self.types
                        .schema(key)?
                        .get("properties")?
                        .get(field)
                        .cloned()
                })
                .unwrap_or_else(|| json!({})),
            _ => json!({}),
        }
    }

    fn call_schema(
        &mut self,
        handler: &Handler,
        func: &Expr,
        args: &[Expr],
        depth: usize,
    ) -> Schema {
        if let ExprKind::Attribute(receiver, method) = &func.kind {
            if matches!(method.as_str(), "model_dump" | "dict") {
                return self
                    .model_of(handler, receiver, depth)
                    .unwrap_or_else(|| json!({}));
            }
            if matches!(
                method.as_str(),
                "model_validate" | "parse_obj" | "model_construct"
            ) {
                return self
                    .model_key(handler.module, receiver)
                    .map_or_else(|| json!({}), |key| Api::type_ref(&key));
            }
        }
        match func.dotted().as_deref() {
            Some("str") => json!({"type": "string"}),
            Some("int" | "len") => json!({"type": "integer"}),
            Some("float") => json!({"type": "number"}),
            Some("bool") => json!({"type": "boolean"}),
            Some("jsonable_encoder") => args
                .first()
                .map_or_else(|| json!({}), |a| self.value_schema(handler, a, depth + 1)),
            _ => match self.tree.resolve_expr(handler.module, func) {
                Some(Symbol::Class { .. }) => self
                    .model_key(handler.module, func)
                    .map_or_else(|| json!({}), |key| Api::type_ref(&key)),
                Some(Symbol::Function { module, name }) => self.returned_by(&module, &name),
                _ => json!({}),
            },
        }
    }

    /// The schema of what the function `module.name` is annotated to return (`async` unwrapped).
    fn returned_by(&mut self, module: &str, name: &str) -> Schema {
        let annotation = self
            .tree
            .load(module)
            .and_then(|m| m.facts.clone())
            .and_then(|facts| facts.signature(name).and_then(|s| s.returns.clone()));
        match annotation {
            Some(annotation) => self.annotation(module, &annotation),
            None => json!({}),
        }
    }

    /// The model a receiver holds: `Model(...)`, `Model.model_validate(...)`, or a local bound to one.
    fn model_of(&mut self, handler: &Handler, receiver: &Expr, depth: usize) -> Option<Schema> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &receiver.kind {
            ExprKind::Name(name) => {
                let assigned = local(handler.function, name)?;
                self.model_of(handler, assigned, depth + 1)
            }
            ExprKind::Call { .. } | ExprKind::Await(_) => {
                let schema = self.value_schema(handler, receiver, depth + 1);
                schema.get("$ref").is_some().then_some(schema)
            }
            _ => None,
        }
    }
}

/// An object of `fields`: a key read in several places is required when any read requires it,
/// and takes the first schema that says more than "any JSON".
fn object(fields: Vec<FieldShape>) -> Schema {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let known = properties.get(&field.name).is_some_and(|s| *s != json!({}));
        if !known {
            properties.insert(field.name.clone(), field.schema);
        }
        if field.required && !required.contains(&field.name) {
            required.push(field.name);
        }
    }
    required.sort();
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// One shape for two values returned or listed in the same place: objects merge their
/// properties (a key is required only when both have it), arrays merge their items (an empty
/// list literal takes the other's items), anything else becomes a union.
fn merge_shapes(left: Schema, right: Schema) -> Schema {
    if left == right {
        return left;
    }
    let is = |schema: &Schema, kind: &str| schema.get("type") == Some(&json!(kind));
    if is(&left, "array") && is(&right, "array") {
        return match (left.get("items").cloned(), right.get("items").cloned()) {
            (Some(a), Some(b)) => json!({"type": "array", "items": merge_shapes(a, b)}),
            (Some(items), None) | (None, Some(items)) => json!({"type": "array", "items": items}),
            (None, None) => json!({"type": "array"}),
        };
    }
    let closed = |schema: &Schema| schema.get("additionalProperties") == Some(&json!(false));
    if is(&left, "object") && is(&right, "object") && closed(&left) && closed(&right) {
        let props = |schema: &Schema| {
            schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let required = |schema: &Schema| -> Vec<String> {
            schema["required"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (mut merged, other) = (props(&left), props(&right));
        for (key, value) in other {
            let combined = match merged.remove(&key) {
                Some(existing) => merge_shapes(existing, value),
                None => value,
            };
            merged.insert(key, combined);
        }
        let right_required = required(&right);
        let both: Vec<String> = required(&left)
            .into_iter()
            .filter(|key| right_required.contains(key))
            .collect();
        let mut schema =
            json!({"type": "object", "properties": merged, "additionalProperties": false});
        if !both.is_empty() {
            schema["required"] = json!(both);
        }
        return schema;
    }
    union(vec![left, right])
}

/// The last value a handler assigns to the local `name`.
fn local<'f>(function: &'f FunctionFacts, name: &str) -> Option<&'f Expr> {
    function
        .locals
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn cast_schema(cast: &str) -> Schema {
    match cast {
        "str" => json!({"type": "string"}),
        "int" => json!({"type": "integer"}),
        "float" => json!({"type": "number"}),
        "bool" => json!({"type": "boolean"}),
        "UUID" => json!({"type": "string", "format": "uuid"}),
        "list" => json!({"type": "array", "items": {}}),
        "dict" => json!({"type": "object", "additionalProperties": true}),
        _ => json!({}),
    }
}

fn value_type(value: &Value) -> Schema {
    match value {
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_f64() => json!({"type": "number"}),
        Value::Number(_) => json!({"type": "integer"}),
        Value::String(_) => json!({"type": "string"}),
        Value::Array(_) => json!({"type": "array", "items": {}}),
        Value::Object(_) => json!({"type": "object", "additionalProperties": true}),
        Value::Null => json!({}),
    }
}
