//! What a function body does with its parameters: keys it reads, models it validates with,
//! calls it passes them to whole, and every other use — followed through aliases
//! (`d = data`, `data = data or {}`), nested functions and closures, keyword arguments, and keys
//! from a literal list. Also the values it returns and the locals it binds.

use std::collections::{HashMap, HashSet};

use rustpython_ast::Visitor;
use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::text_size::TextSize;

use super::{CASTS, LineIndex, convert, string_constant};
use crate::source::facts::{Expr, ExprKind, Forward, ParamUse, Passed, PayloadRead};

/// Walks a function body and records what it does with each positional parameter.
pub(super) struct BodyReader<'a> {
    lines: &'a LineIndex<'a>,
    /// Names bound to a parameter (the parameter and its aliases) → the parameter's position.
    tracked: HashMap<String, usize>,
    uses: Vec<ParamUse>,
    /// Every load of a tracked name: its parameter and place.
    loads: Vec<(usize, TextSize)>,
    /// Loads that are part of a use understood (a read, a validation, a forward, an alias).
    understood: HashSet<TextSize>,
    /// Reads already recorded (a cast records its inner read first).
    seen: HashSet<TextSize>,
    /// Loop variables over a literal list of strings → the strings.
    literal_keys: HashMap<String, Vec<String>>,
    /// Inside a nested function: its returns are not the function's.
    nested: usize,
    pub(super) returns: Vec<Expr>,
    pub(super) locals: Vec<(String, Expr)>,
    /// Calls to a name or an attribute, anywhere in the body.
    pub(super) calls: Vec<Expr>,
}

impl<'a> BodyReader<'a> {
    /// A reader tracking the parameters `params`, by position.
    pub(super) fn new(lines: &'a LineIndex<'a>, params: &[String]) -> Self {
        BodyReader {
            lines,
            tracked: params
                .iter()
                .enumerate()
                .map(|(index, name)| (name.clone(), index))
                .collect(),
            uses: vec![ParamUse::default(); params.len()],
            loads: Vec::new(),
            understood: HashSet::new(),
            seen: HashSet::new(),
            literal_keys: HashMap::new(),
            nested: 0,
            returns: Vec::new(),
            locals: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// Each parameter's uses, with every load not understood as an escape.
    pub(super) fn finish(mut self) -> Vec<ParamUse> {
        for (param, offset) in std::mem::take(&mut self.loads) {
            if !self.understood.contains(&offset) {
                let at = self.lines.position(offset);
                self.uses[param].escapes.push(at);
            }
        }
        self.uses
    }

    /// The parameter `expr` stands for: a tracked name, or `(name or {})`; its name loads are
    /// marked understood.
    fn param_of(&mut self, expr: &ast::Expr) -> Option<usize> {
        match expr {
            ast::Expr::Name(name) => {
                let param = *self.tracked.get(name.id.as_str())?;
                self.understood.insert(name.start());
                Some(param)
            }
            ast::Expr::BoolOp(or) if or.op == ast::BoolOp::Or => match or.values.as_slice() {
                [value, ast::Expr::Dict(empty)] if empty.keys.is_empty() => self.param_of(value),
                _ => None,
            },
            _ => None,
        }
    }

    /// The parameter `expr` stands for, without marking anything.
    fn peek_param(&self, expr: &ast::Expr) -> Option<usize> {
        match expr {
            ast::Expr::Name(name) => self.tracked.get(name.id.as_str()).copied(),
            ast::Expr::BoolOp(or) if or.op == ast::BoolOp::Or => match or.values.as_slice() {
                [value, ast::Expr::Dict(empty)] if empty.keys.is_empty() => self.peek_param(value),
                _ => None,
            },
            _ => None,
        }
    }

    /// The keys `key` names: a string literal, or a loop variable over literal strings.
    fn keys_of(&self, key: &ast::Expr) -> Vec<String> {
        if let Some(key) = string_constant(key) {
            return vec![key];
        }
        match key {
            ast::Expr::Name(name) => self
                .literal_keys
                .get(name.id.as_str())
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Records `p["k"]`, `p.get("k"[, default])` or `p.pop("k"[, default])` as reads.
    fn record(&mut self, expr: &ast::Expr, cast: Option<String>) {
        if self.seen.contains(&expr.start()) {
            return;
        }
        let at = self.lines.position(expr.start());
        let (receiver, key, required, default) = match expr {
            ast::Expr::Call(call) => {
                let ast::Expr::Attribute(attribute) = &*call.func else {
                    return;
                };
                let method = attribute.attr.as_str();
                if !matches!(method, "get" | "pop") || self.peek_param(&attribute.value).is_none() {
                    return;
                }
                let Some(key) = call.args.first() else {
                    return;
                };
                let default = call.args.get(1);
                let required = method == "pop" && default.is_none();
                (&*attribute.value, key, required, default)
            }
            ast::Expr::Subscript(subscript) if subscript.ctx == ast::ExprContext::Load => {
                if self.peek_param(&subscript.value).is_none() {
                    return;
                }
                (&*subscript.value, &*subscript.slice, true, None)
            }
            _ => return,
        };
        let keys = self.keys_of(key);
        if keys.is_empty() {
            return;
        }
        let Some(param) = self.param_of(receiver) else {
            return;
        };
        self.seen.insert(expr.start());
        for key in keys {
            self.uses[param].reads.push(PayloadRead {
                key,
                required,
                default: default.map(|d| convert(self.lines, d, 0)),
                cast: cast.clone(),
                at,
            });
        }
    }

    /// `Model(**p)`, `Model.model_validate(p)`, `Model.parse_obj(p)`, `Model.validate(p)`.
    fn validation(&mut self, call: &ast::ExprCall) -> bool {
        let spread = call
            .keywords
            .iter()
            .find(|k| k.arg.is_none() && self.peek_param(&k.value).is_some());
        if let Some(spread) = spread
            && call.keywords.iter().all(|k| k.arg.is_none())
            && call.args.is_empty()
            && let ast::Expr::Name(_) | ast::Expr::Attribute(_) = &*call.func
            && starts_upper(&call.func)
        {
            let value = spread.value.clone();
            if let Some(param) = self.param_of(&value) {
                let model = convert(self.lines, &call.func, 0);
                self.uses[param].validations.push(model);
                return true;
            }
        }
        if let ast::Expr::Attribute(attribute) = &*call.func {
            let validates = matches!(
                attribute.attr.as_str(),
                "model_validate" | "parse_obj" | "validate"
            );
            if validates && let Some(argument) = call.args.first() {
                let argument = argument.clone();
                if let Some(param) = self.param_of(&argument) {
                    let model = convert(self.lines, &attribute.value, 0);
                    self.uses[param].validations.push(model);
                    return true;
                }
            }
        }
        false
    }

    /// A call a parameter is passed to whole: as an argument, a keyword, spread as keywords,
    /// or spread into a dict literal given as an argument.
    fn forwards(&mut self, call: &ast::ExprCall) {
        let callee = convert(self.lines, &call.func, 0);
        let at = self.lines.position(call.start());
        let keywords: Vec<String> = call
            .keywords
            .iter()
            .filter_map(|k| k.arg.as_ref().map(|a| a.to_string()))
            .collect();
        let mut found: Vec<(usize, Passed)> = Vec::new();
        for (index, argument) in call.args.iter().enumerate() {
            if let Some(param) = self.param_or_spread_in_dict(argument) {
                found.push((param, Passed::Positional(index)));
            }
        }
        for keyword in &call.keywords {
            let passed = match &keyword.arg {
                Some(name) => Passed::Keyword(name.to_string()),
                None => Passed::Spread,
            };
            let param = match passed {
                Passed::Spread => self.param_of(&keyword.value),
                _ => self.param_or_spread_in_dict(&keyword.value),
            };
            if let Some(param) = param {
                found.push((param, passed));
            }
        }
        for (param, passed) in found {
            let other_keywords = match &passed {
                Passed::Keyword(name) => keywords.iter().filter(|k| *k != name).cloned().collect(),
                _ => keywords.clone(),
            };
            self.uses[param].forwards.push(Forward {
                callee: callee.clone(),
                passed,
                other_keywords,
                positional: call.args.len(),
                at,
            });
        }
    }

    /// `p`, `(p or {})`, or a dict literal spreading one (`{**p, "sid": sid}`).
    fn param_or_spread_in_dict(&mut self, expr: &ast::Expr) -> Option<usize> {
        if let Some(param) = self.param_of(expr) {
            return Some(param);
        }
        let ast::Expr::Dict(dict) = expr else {
            return None;
        };
        let spread = dict
            .keys
            .iter()
            .zip(&dict.values)
            .find(|(key, value)| key.is_none() && self.peek_param(value).is_some())
            .map(|(_, value)| value.clone())?;
        self.param_of(&spread)
    }

    /// Walks `body` as a nested function's, whose own parameters hide the tracked names.
    fn nested_body(&mut self, params: &ast::Arguments, body: Vec<ast::Stmt>) {
        let hidden: Vec<(String, usize)> = params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .chain(&params.kwonlyargs)
            .filter_map(|arg| {
                let name = arg.def.arg.to_string();
                self.tracked.remove(&name).map(|param| (name, param))
            })
            .collect();
        self.nested += 1;
        for statement in body {
            self.visit_stmt(statement);
        }
        self.nested -= 1;
        self.tracked.extend(hidden);
    }

    /// Loop variables over a literal list or tuple of strings.
    fn literal_loop(&self, target: &ast::Expr, iter: &ast::Expr) -> Option<(String, Vec<String>)> {
        let ast::Expr::Name(name) = target else {
            return None;
        };
        let items = match iter {
            ast::Expr::List(list) => &list.elts,
            ast::Expr::Tuple(tuple) => &tuple.elts,
            ast::Expr::Set(set) => &set.elts,
            _ => return None,
        };
        let keys: Option<Vec<String>> = items.iter().map(string_constant).collect();
        Some((name.id.to_string(), keys?))
    }

    /// Visits comprehension parts with their literal loop variables known.
    fn comprehension(&mut self, generators: Vec<ast::Comprehension>, parts: Vec<ast::Expr>) {
        let mut bound = Vec::new();
        for generator in generators {
            if let Some((name, keys)) = self.literal_loop(&generator.target, &generator.iter) {
                self.literal_keys.insert(name.clone(), keys);
                bound.push(name);
            }
            self.visit_expr(generator.iter);
            for condition in generator.ifs {
                self.visit_expr(condition);
            }
        }
        for part in parts {
            self.visit_expr(part);
        }
        for name in bound {
            self.literal_keys.remove(&name);
        }
    }
}

/// A call of something named in `UpperCamelCase`: a class, by Python's conventions.
fn starts_upper(func: &ast::Expr) -> bool {
    let name = match func {
        ast::Expr::Name(name) => name.id.as_str(),
        ast::Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return false,
    };
    name.chars().next().is_some_and(char::is_uppercase)
}

impl BodyReader<'_> {
    /// A call's uses of the tracked names, then its parts.
    fn visit_call(&mut self, node: ast::ExprCall) {
        if !self.validation(&node) {
            let cast = convert(self.lines, &node.func, 0).dotted();
            if let (Some(cast), [argument]) = (cast, node.args.as_slice())
                && CASTS.contains(&cast.as_str())
            {
                let cast = cast.rsplit('.').next().unwrap_or(&cast).to_owned();
                self.record(argument, Some(cast));
            }
            let as_expr = ast::Expr::Call(node);
            self.record(&as_expr, None);
            let ast::Expr::Call(call) = as_expr else {
                return;
            };
            self.forwards(&call);
            self.visit_expr(*call.func);
            for argument in call.args {
                self.visit_expr(argument);
            }
            for keyword in call.keywords {
                self.visit_expr(keyword.value);
            }
            return;
        }
        self.visit_expr(*node.func);
        for argument in node.args {
            self.visit_expr(argument);
        }
        for keyword in node.keywords {
            self.visit_expr(keyword.value);
        }
    }
}

impl Visitor for BodyReader<'_> {
    fn visit_stmt_function_def(&mut self, node: ast::StmtFunctionDef) {
        self.nested_body(&node.args, node.body);
    }

    fn visit_stmt_async_function_def(&mut self, node: ast::StmtAsyncFunctionDef) {
        self.nested_body(&node.args, node.body);
    }

    fn visit_stmt_class_def(&mut self, _node: ast::StmtClassDef) {}

    fn visit_expr_lambda(&mut self, node: ast::ExprLambda) {
        let body = ast::Stmt::Expr(ast::StmtExpr {
            range: node.range,
            value: node.body,
        });
        self.nested_body(&node.args, vec![body]);
    }

    fn visit_stmt_return(&mut self, node: ast::StmtReturn) {
        if self.nested == 0
            && let Some(value) = &node.value
        {
            let returned = convert(self.lines, value, 0);
            if returned.kind != ExprKind::None {
                self.returns.push(returned);
            }
        }
        self.generic_visit_stmt_return(node);
    }

    fn visit_stmt_assign(&mut self, node: ast::StmtAssign) {
        if let [ast::Expr::Name(name)] = node.targets.as_slice() {
            let target = name.id.to_string();
            // `d = data`, `data = data or {}`: another name for the parameter.
            if let Some(param) = self.param_of(&node.value) {
                self.tracked.insert(target, param);
                return;
            }
            self.tracked.remove(&target);
            if self.nested == 0 {
                let value = convert(self.lines, &node.value, 0);
                self.locals.push((target, value));
            }
        }
        self.generic_visit_stmt_assign(node);
    }

    fn visit_stmt_ann_assign(&mut self, node: ast::StmtAnnAssign) {
        if let (ast::Expr::Name(name), Some(value)) = (&*node.target, &node.value) {
            let target = name.id.to_string();
            if let Some(param) = self.param_of(value) {
                self.tracked.insert(target, param);
                return;
            }
            self.tracked.remove(&target);
            if self.nested == 0 {
                let value = convert(self.lines, value, 0);
                self.locals.push((target, value));
            }
        }
        self.generic_visit_stmt_ann_assign(node);
    }

    fn visit_stmt_for(&mut self, node: ast::StmtFor) {
        let bound = self.literal_loop(&node.target, &node.iter);
        if let Some((name, keys)) = &bound {
            self.literal_keys.insert(name.clone(), keys.clone());
        }
        self.visit_expr(*node.iter);
        for statement in node.body {
            self.visit_stmt(statement);
        }
        if let Some((name, _)) = bound {
            self.literal_keys.remove(&name);
        }
        for statement in node.orelse {
            self.visit_stmt(statement);
        }
    }

    fn visit_stmt_if(&mut self, node: ast::StmtIf) {
        // `if data:` says nothing of its keys, and hides none.
        self.param_of(&node.test);
        self.generic_visit_stmt_if(node);
    }

    fn visit_expr_unary_op(&mut self, node: ast::ExprUnaryOp) {
        if node.op == ast::UnaryOp::Not {
            self.param_of(&node.operand);
        }
        self.generic_visit_expr_unary_op(node);
    }

    fn visit_expr_bool_op(&mut self, node: ast::ExprBoolOp) {
        for value in &node.values {
            if let ast::Expr::Name(_) = value {
                self.param_of(value);
            }
        }
        self.generic_visit_expr_bool_op(node);
    }

    fn visit_expr_list_comp(&mut self, node: ast::ExprListComp) {
        self.comprehension(node.generators, vec![*node.elt]);
    }

    fn visit_expr_set_comp(&mut self, node: ast::ExprSetComp) {
        self.comprehension(node.generators, vec![*node.elt]);
    }

    fn visit_expr_generator_exp(&mut self, node: ast::ExprGeneratorExp) {
        self.comprehension(node.generators, vec![*node.elt]);
    }

    fn visit_expr_dict_comp(&mut self, node: ast::ExprDictComp) {
        self.comprehension(node.generators, vec![*node.key, *node.value]);
    }

    fn visit_expr_name(&mut self, node: ast::ExprName) {
        if node.ctx == ast::ExprContext::Load
            && let Some(param) = self.tracked.get(node.id.as_str())
        {
            self.loads.push((*param, node.start()));
        }
    }

    fn visit_expr_call(&mut self, node: ast::ExprCall) {
        let call = ast::Expr::Call(node);
        if let ast::Expr::Call(inner) = &call
            && matches!(*inner.func, ast::Expr::Name(_) | ast::Expr::Attribute(_))
        {
            self.calls.push(convert(self.lines, &call, 0));
        }
        if let ast::Expr::Call(node) = call {
            self.visit_call(node);
        }
    }

    fn visit_expr_subscript(&mut self, node: ast::ExprSubscript) {
        // `data["k"] = v`, `del data["k"]`: writes say nothing of what the client sent.
        if node.ctx != ast::ExprContext::Load {
            self.param_of(&node.value);
        }
        let as_expr = ast::Expr::Subscript(node);
        self.record(&as_expr, None);
        let ast::Expr::Subscript(node) = as_expr else {
            return;
        };
        self.generic_visit_expr_subscript(node);
    }

    fn visit_expr_compare(&mut self, node: ast::ExprCompare) {
        let membership = matches!(node.ops.as_slice(), [ast::CmpOp::In | ast::CmpOp::NotIn]);
        if membership && let Some(container) = node.comparators.first() {
            let keys = self.keys_of(&node.left);
            if !keys.is_empty()
                && let Some(param) = self.param_of(container)
            {
                let at = self.lines.position(node.start());
                for key in keys {
                    self.uses[param].reads.push(PayloadRead {
                        key,
                        required: false,
                        default: None,
                        cast: None,
                        at,
                    });
                }
            }
        }
        // `data is None`: says nothing of its keys.
        if matches!(node.ops.as_slice(), [ast::CmpOp::Is | ast::CmpOp::IsNot]) {
            self.param_of(&node.left);
        }
        self.generic_visit_expr_compare(node);
    }
}
