//! The events a socket handler pushes to the client, read from the `emit` calls it makes.
//!
//! A push is `<anything>.emit(event, payload, ...)` in the handler's body (nested functions and
//! lambdas included), in the helpers it calls under the import root (followed four calls deep,
//! with the string arguments it passes bound to their parameters: `run_operation(sid,
//! "persona.search", ...)` makes `f"{operation_key}.started"` readable), and in the server
//! class's own `on` when the server is a subclass defined under the import root (with `event`
//! bound to the registered name: a wrapper that pushes `<event>.failed` for every handler).
//! An event is a literal, an f-string of readable parts, or a name bound to one; anything else
//! makes the handler's pushes unreadable, and says where.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::json::{Value, json};

use super::facts::{Expr, ExprKind, FunctionFacts};
use super::modules::{PythonTree, Symbol};
use crate::diagnostic::Position;

/// How many calls deep helpers are followed.
const MAX_CALL_DEPTH: usize = 4;

/// How many names deep a value is followed (`a = b`, `b = "x"`).
const MAX_VALUE_DEPTH: usize = 8;

/// One event a handler pushes.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadPush {
    /// The event name.
    pub event: String,
    /// The payload's schema, where the payload is a dict literal of string keys.
    pub payload: Option<Value>,
    /// The module of the `emit` call.
    pub module: String,
    /// Where the `emit` call stands.
    pub at: Position,
}

/// An `emit` whose event the reader cannot read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// The module of the `emit` call.
    pub module: String,
    /// Where its event argument stands.
    pub at: Position,
}

/// Where a handler runs: its function, the module that defines it, and the server's own `on`
/// method (with its module) when the server class overrides it.
pub struct HandlerBody<'h> {
    /// The module defining the handler.
    pub module: &'h str,
    /// The handler function.
    pub function: &'h FunctionFacts,
    /// The event the handler is registered for.
    pub event: &'h str,
    /// The server's `on` method and its module, when the server's class is defined under the
    /// import root and overrides `on`.
    pub server_on: Option<(String, FunctionFacts)>,
}

/// The pushes of one handler, sorted by event; `Ok(None)` when its body is not known (a
/// lambda or a bound method handed to `sio.on`).
pub fn read_pushes(
    tree: &mut PythonTree,
    handler: &HandlerBody<'_>,
) -> Result<Option<Vec<ReadPush>>, Unreadable> {
    if handler.function.calls.is_none() {
        return Ok(None);
    }
    let mut walk = Walk {
        tree,
        found: BTreeMap::new(),
        visited: HashSet::new(),
    };
    walk.function(handler.module, handler.function, &HashMap::new(), 0)?;
    if let Some((module, on)) = &handler.server_on
        && let Some((event_param, _)) = on.params.get(1)
    {
        let bindings = HashMap::from([(event_param.clone(), handler.event.to_owned())]);
        walk.function(module, on, &bindings, 0)?;
    }
    Ok(Some(walk.found.into_values().collect()))
}

/// The server's `on` method, when `server` (the name handlers register on, in `module`) is an
/// instance of a class under the import root that defines one.
pub fn server_on(
    tree: &mut PythonTree,
    module: &str,
    server: &str,
) -> Option<(String, FunctionFacts)> {
    let Symbol::Value {
        module: assigned_in,
        value,
    } = tree.resolve_name(module, server)
    else {
        return None;
    };
    let ExprKind::Call { func, .. } = &value.kind else {
        return None;
    };
    let Some(Symbol::Class {
        module: class_module,
        name,
    }) = tree.resolve_expr(&assigned_in, func)
    else {
        return None;
    };
    let defined = tree.load(&class_module)?;
    let class = defined.facts.as_ref()?.class(&name)?;
    let on = class.methods.iter().rev().find(|m| m.name == "on")?;
    Some((class_module, on.clone()))
}

/// A function walked (module, name) with its bindings, sorted.
type Visit = (String, String, Vec<(String, String)>);

struct Walk<'t> {
    tree: &'t mut PythonTree,
    /// Pushes by event: the first `emit` of an event is kept.
    found: BTreeMap<String, ReadPush>,
    /// Functions already walked with the same bindings.
    visited: HashSet<Visit>,
}

impl Walk<'_> {
    fn function(
        &mut self,
        module: &str,
        function: &FunctionFacts,
        bindings: &HashMap<String, String>,
        depth: usize,
    ) -> Result<(), Unreadable> {
        let mut key: Vec<(String, String)> = bindings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        key.sort();
        if !self
            .visited
            .insert((module.to_owned(), function.name.clone(), key))
        {
            return Ok(());
        }
        for call in function.calls.iter().flatten() {
            let ExprKind::Call {
                func,
                args,
                keywords,
            } = &call.kind
            else {
                continue;
            };
            let keyword = |name: &str| {
                keywords
                    .iter()
                    .find(|(key, _)| key.as_deref() == Some(name))
                    .map(|(_, value)| value)
            };
            if matches!(&func.kind, ExprKind::Attribute(_, method) if method == "emit") {
                let Some(event) = args.first().or_else(|| keyword("event")) else {
                    continue;
                };
                let Some(name) = self.text(module, &function.locals, bindings, event, 0) else {
                    return Err(Unreadable {
                        module: module.to_owned(),
                        at: event.at,
                    });
                };
                let payload = args
                    .get(1)
                    .or_else(|| keyword("data"))
                    .and_then(payload_schema);
                self.found.entry(name.clone()).or_insert(ReadPush {
                    event: name,
                    payload,
                    module: module.to_owned(),
                    at: call.at,
                });
                continue;
            }
            if depth >= MAX_CALL_DEPTH {
                continue;
            }
            let Some((callee_module, callee)) = self.callee(module, func) else {
                continue;
            };
            let mut bound = HashMap::new();
            let positional = callee.params.iter().take(callee.positional);
            for ((param, _), argument) in positional.zip(args) {
                if matches!(argument.kind, ExprKind::Starred(_)) {
                    break;
                }
                if let Some(text) = self.text(module, &function.locals, bindings, argument, 0) {
                    bound.insert(param.clone(), text);
                }
            }
            for (name, argument) in keywords {
                let Some(name) = name else { continue };
                if callee.params.iter().any(|(param, _)| param == name)
                    && let Some(text) = self.text(module, &function.locals, bindings, argument, 0)
                {
                    bound.insert(name.clone(), text);
                }
            }
            self.function(&callee_module, &callee, &bound, depth + 1)?;
        }
        Ok(())
    }

    /// The module-level function under the import root that `func` calls.
    fn callee(&mut self, module: &str, func: &Expr) -> Option<(String, FunctionFacts)> {
        let Some(Symbol::Function { module, name }) = self.tree.resolve_expr(module, func) else {
            return None;
        };
        let function = self.tree.function(&module, &name)?;
        Some((module, function))
    }

    /// The string `expr` is, where it can be read: a literal, an f-string of readable parts, a
    /// bound parameter, a local or module-level name assigned one.
    fn text(
        &mut self,
        module: &str,
        locals: &[(String, Expr)],
        bindings: &HashMap<String, String>,
        expr: &Expr,
        depth: usize,
    ) -> Option<String> {
        if depth > MAX_VALUE_DEPTH {
            return None;
        }
        match &expr.kind {
            ExprKind::Str(text) => Some(text.clone()),
            ExprKind::FormattedString(parts) => parts
                .iter()
                .map(|part| self.text(module, locals, bindings, part, depth + 1))
                .collect(),
            ExprKind::Name(name) => {
                if let Some(bound) = bindings.get(name) {
                    return Some(bound.clone());
                }
                if let Some((_, value)) = locals.iter().rev().find(|(n, _)| n == name) {
                    return self.text(module, locals, bindings, value, depth + 1);
                }
                self.constant(module, expr, depth)
            }
            ExprKind::Attribute(..) => self.constant(module, expr, depth),
            _ => None,
        }
    }

    /// A module-level string constant `expr` names.
    fn constant(&mut self, module: &str, expr: &Expr, depth: usize) -> Option<String> {
        let Some(Symbol::Value { module, value }) = self.tree.resolve_expr(module, expr) else {
            return None;
        };
        self.text(&module, &[], &HashMap::new(), &value, depth + 1)
    }
}

/// The schema of a payload written as a dict literal with string keys: each value typed where
/// its expression says (`str(x)`, a literal), any JSON otherwise.
fn payload_schema(payload: &Expr) -> Option<Value> {
    let ExprKind::Dict(entries) = &payload.kind else {
        return None;
    };
    let mut properties = crate::json::Map::new();
    for (key, value) in entries {
        let key = key.as_ref()?.as_str()?;
        properties.insert(key.to_owned(), value_schema(value));
    }
    let required: Vec<&String> = properties.keys().collect();
    Some(json!({"type": "object", "properties": properties, "required": required}))
}

fn value_schema(value: &Expr) -> Value {
    match &value.kind {
        ExprKind::Str(_) | ExprKind::FormattedString(_) => json!({"type": "string"}),
        ExprKind::Int(_) => json!({"type": "integer"}),
        ExprKind::Float(_) => json!({"type": "number"}),
        ExprKind::Bool(_) => json!({"type": "boolean"}),
        ExprKind::Call { func, args, .. } if args.len() == 1 => match func.dotted().as_deref() {
            Some("str") => json!({"type": "string"}),
            Some("int") => json!({"type": "integer"}),
            Some("float") => json!({"type": "number"}),
            Some("bool") => json!({"type": "boolean"}),
            _ => json!({}),
        },
        _ => json!({}),
    }
}
