//! What a handler body does with its payload parameter: models it validates with, keys it
//! reads, values it returns, locals it binds.

use std::collections::HashSet;

use rustpython_ast::Visitor;
use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::text_size::TextSize;

use super::{CASTS, LineIndex, convert, string_constant};
use crate::source::facts::{Expr, ExprKind, PayloadRead};

/// Walks a handler body and records what it does with the payload parameter.
pub(super) struct BodyReader<'a> {
    pub(super) lines: &'a LineIndex<'a>,
    pub(super) payload: Option<String>,
    /// Offsets of reads already recorded (a cast records its inner read first).
    pub(super) seen: HashSet<TextSize>,
    pub(super) validations: Vec<Expr>,
    pub(super) reads: Vec<PayloadRead>,
    pub(super) returns: Vec<Expr>,
    pub(super) locals: Vec<(String, Expr)>,
}

impl BodyReader<'_> {
    /// `data`, or `(data or {})`.
    fn is_payload(&self, expr: &ast::Expr) -> bool {
        match expr {
            ast::Expr::Name(name) => self.payload.as_deref() == Some(name.id.as_str()),
            ast::Expr::BoolOp(or) if or.op == ast::BoolOp::Or => match or.values.as_slice() {
                [value, ast::Expr::Dict(empty)] if empty.keys.is_empty() => self.is_payload(value),
                _ => false,
            },
            _ => false,
        }
    }

    /// `data.get("k"[, default])` or `data["k"]`, as a read.
    fn read_of(&self, expr: &ast::Expr) -> Option<PayloadRead> {
        match expr {
            ast::Expr::Call(call) => {
                let ast::Expr::Attribute(attribute) = &*call.func else {
                    return None;
                };
                if attribute.attr.as_str() != "get" || !self.is_payload(&attribute.value) {
                    return None;
                }
                let key = string_constant(call.args.first()?)?;
                Some(PayloadRead {
                    key,
                    required: false,
                    default: call.args.get(1).map(|d| convert(self.lines, d, 0)),
                    cast: None,
                    at: self.lines.position(call.start()),
                })
            }
            ast::Expr::Subscript(subscript) if subscript.ctx == ast::ExprContext::Load => {
                if !self.is_payload(&subscript.value) {
                    return None;
                }
                Some(PayloadRead {
                    key: string_constant(&subscript.slice)?,
                    required: true,
                    default: None,
                    cast: None,
                    at: self.lines.position(subscript.start()),
                })
            }
            _ => None,
        }
    }

    fn record(&mut self, expr: &ast::Expr, cast: Option<String>) {
        if self.seen.contains(&expr.start()) {
            return;
        }
        if let Some(mut read) = self.read_of(expr) {
            read.cast = cast;
            self.seen.insert(expr.start());
            self.reads.push(read);
        }
    }

    /// The model of `Model(**data)`, `Model.model_validate(data)` or `Model.parse_obj(data)`.
    fn validated_model(&self, call: &ast::ExprCall) -> Option<Expr> {
        let spreads_payload = call
            .keywords
            .iter()
            .any(|k| k.arg.is_none() && self.is_payload(&k.value));
        if spreads_payload {
            return Some(convert(self.lines, &call.func, 0));
        }
        if let ast::Expr::Attribute(attribute) = &*call.func {
            let validates = matches!(
                attribute.attr.as_str(),
                "model_validate" | "parse_obj" | "validate"
            );
            if validates && call.args.first().is_some_and(|a| self.is_payload(a)) {
                return Some(convert(self.lines, &attribute.value, 0));
            }
        }
        None
    }
}

impl Visitor for BodyReader<'_> {
    fn visit_stmt_function_def(&mut self, _node: ast::StmtFunctionDef) {}

    fn visit_stmt_async_function_def(&mut self, _node: ast::StmtAsyncFunctionDef) {}

    fn visit_stmt_class_def(&mut self, _node: ast::StmtClassDef) {}

    fn visit_stmt_return(&mut self, node: ast::StmtReturn) {
        if let Some(value) = &node.value {
            let returned = convert(self.lines, value, 0);
            if returned.kind != ExprKind::None {
                self.returns.push(returned);
            }
        }
        self.generic_visit_stmt_return(node);
    }

    fn visit_stmt_assign(&mut self, node: ast::StmtAssign) {
        if let [ast::Expr::Name(name)] = node.targets.as_slice() {
            let value = convert(self.lines, &node.value, 0);
            self.locals.push((name.id.to_string(), value));
        }
        self.generic_visit_stmt_assign(node);
    }

    fn visit_stmt_ann_assign(&mut self, node: ast::StmtAnnAssign) {
        if let (ast::Expr::Name(name), Some(value)) = (&*node.target, &node.value) {
            let value = convert(self.lines, value, 0);
            self.locals.push((name.id.to_string(), value));
        }
        self.generic_visit_stmt_ann_assign(node);
    }

    fn visit_expr_call(&mut self, node: ast::ExprCall) {
        if let Some(model) = self.validated_model(&node) {
            self.validations.push(model);
        }
        let cast = convert(self.lines, &node.func, 0).dotted();
        if let (Some(cast), [argument]) = (cast, node.args.as_slice())
            && CASTS.contains(&cast.as_str())
        {
            let cast = cast.rsplit('.').next().unwrap_or(&cast).to_owned();
            self.record(argument, Some(cast));
        }
        let as_expr = ast::Expr::Call(node);
        self.record(&as_expr, None);
        let ast::Expr::Call(node) = as_expr else {
            return;
        };
        self.generic_visit_expr_call(node);
    }

    fn visit_expr_subscript(&mut self, node: ast::ExprSubscript) {
        let as_expr = ast::Expr::Subscript(node);
        self.record(&as_expr, None);
        let ast::Expr::Subscript(node) = as_expr else {
            return;
        };
        self.generic_visit_expr_subscript(node);
    }

    fn visit_expr_compare(&mut self, node: ast::ExprCompare) {
        let membership = matches!(node.ops.as_slice(), [ast::CmpOp::In | ast::CmpOp::NotIn]);
        if membership
            && node.comparators.first().is_some_and(|c| self.is_payload(c))
            && let Some(key) = string_constant(&node.left)
        {
            self.reads.push(PayloadRead {
                key,
                required: false,
                default: None,
                cast: None,
                at: self.lines.position(node.start()),
            });
        }
        self.generic_visit_expr_compare(node);
    }
}
