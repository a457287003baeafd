//! The one place the Python parser is used: source text in, [`ModuleFacts`] out.
//!
//! Everything else in the crate sees only the facts, so the parser can be swapped.

use rustpython_ast::Visitor;
use rustpython_parser::Parse;
use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::text_size::TextSize;

use super::facts::{
    ClassFacts, Expr, ExprKind, FieldFacts, FunctionFacts, Import, ImportedName, ModuleFacts,
    Signature, SyntaxError,
};
use crate::diagnostic::Position;

mod body;

use body::BodyReader;

/// How deep an expression is converted before the rest becomes [`ExprKind::Other`].
const MAX_EXPR_DEPTH: usize = 48;

/// Conversions whose result type tells the type of the payload value they wrap.
const CASTS: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "UUID",
    "uuid.UUID",
    "list",
    "dict",
];

/// Parses `source` and extracts its facts. `path` only labels parser messages.
pub fn parse_module(source: &str, path: &str) -> Result<ModuleFacts, SyntaxError> {
    let lines = LineIndex::new(source);
    let suite = ast::Suite::parse(source, path).map_err(|error| SyntaxError {
        at: lines.position(error.offset),
        message: error.error.to_string(),
    })?;
    let mut reader = ModuleReader {
        lines: &lines,
        facts: ModuleFacts::default(),
    };
    reader.read_block(suite);
    Ok(reader.facts)
}

/// Parses a string annotation (a forward reference such as `"Node"` or `"list[Node]"`) into an
/// expression placed at `at`; `None` when the text is not an expression.
pub fn parse_annotation(text: &str, at: Position) -> Option<Expr> {
    let parsed = ast::Expr::parse(text.trim(), "<annotation>").ok()?;
    let lines = LineIndex::new(text);
    let mut expr = convert(&lines, &parsed, 0);
    place_at(&mut expr, at);
    Some(expr)
}

/// Moves every node of `expr` to `at` (a forward reference has no place of its own in the file).
fn place_at(expr: &mut Expr, at: Position) {
    expr.at = at;
    match &mut expr.kind {
        ExprKind::Attribute(value, _) | ExprKind::Starred(value) | ExprKind::Await(value) => {
            place_at(value, at)
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            place_at(func, at);
            args.iter_mut().for_each(|a| place_at(a, at));
            keywords.iter_mut().for_each(|(_, v)| place_at(v, at));
        }
        ExprKind::Subscript(value, index) => {
            place_at(value, at);
            index.iter_mut().for_each(|i| place_at(i, at));
        }
        ExprKind::BitOr(left, right) => {
            place_at(left, at);
            place_at(right, at);
        }
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            items.iter_mut().for_each(|i| place_at(i, at));
        }
        ExprKind::Dict(entries) => entries.iter_mut().for_each(|(k, v)| {
            if let Some(k) = k {
                place_at(k, at);
            }
            place_at(v, at);
        }),
        _ => {}
    }
}

/// Parser offsets as 1-based line and column, through the crate's one line index.
struct LineIndex<'a> {
    source: &'a str,
    index: crate::diagnostic::LineIndex,
}

impl<'a> LineIndex<'a> {
    fn new(source: &'a str) -> Self {
        LineIndex {
            source,
            index: crate::diagnostic::LineIndex::new(source),
        }
    }

    fn position(&self, offset: TextSize) -> Position {
        self.index.position(self.source, usize::from(offset))
    }
}

struct ModuleReader<'a> {
    lines: &'a LineIndex<'a>,
    facts: ModuleFacts,
}

impl ModuleReader<'_> {
    fn at(&self, node: &impl Ranged) -> Position {
        self.lines.position(node.start())
    }

    fn expr(&self, expr: &ast::Expr) -> Expr {
        convert(self.lines, expr, 0)
    }

    /// Reads module-level statements, looking into `if` and `try` blocks for imports and classes.
    fn read_block(&mut self, statements: Vec<ast::Stmt>) {
        for statement in statements {
            self.read_statement(statement);
        }
    }

    fn read_statement(&mut self, statement: ast::Stmt) {
        match statement {
            ast::Stmt::Import(import) => {
                let at = self.at(&import);
                for alias in import.names {
                    self.facts.imports.push(Import::Module {
                        name: alias.name.to_string(),
                        alias: alias.asname.map(|a| a.to_string()),
                        at,
                    });
                }
            }
            ast::Stmt::ImportFrom(import) => {
                let at = self.at(&import);
                let names = import
                    .names
                    .iter()
                    .map(|alias| ImportedName {
                        name: alias.name.to_string(),
                        alias: alias.asname.as_ref().map(|a| a.to_string()),
                        at: self.at(alias),
                    })
                    .collect();
                self.facts.imports.push(Import::From {
                    level: import.level.map_or(0, |level| level.to_u32()),
                    module: import.module.map(|m| m.to_string()),
                    names,
                    at,
                });
            }
            ast::Stmt::Assign(assign) => {
                let value = self.expr(&assign.value);
                for target in &assign.targets {
                    if let ast::Expr::Name(name) = target {
                        self.facts
                            .assignments
                            .push((name.id.to_string(), value.clone()));
                    }
                }
            }
            ast::Stmt::AnnAssign(assign) => {
                if let (ast::Expr::Name(name), Some(value)) = (&*assign.target, &assign.value) {
                    let value = self.expr(value);
                    self.facts.assignments.push((name.id.to_string(), value));
                }
            }
            ast::Stmt::TypeAlias(alias) => {
                if let ast::Expr::Name(name) = &*alias.name {
                    let value = self.expr(&alias.value);
                    self.facts.assignments.push((name.id.to_string(), value));
                }
            }
            ast::Stmt::ClassDef(class) => {
                let class = self.class(class);
                self.facts.classes.push(class);
            }
            ast::Stmt::Expr(statement) => {
                if let ast::Expr::Call(_) = &*statement.value {
                    let call = self.expr(&statement.value);
                    self.facts.calls.push(call);
                }
            }
            ast::Stmt::FunctionDef(def) => {
                let at = self.at(&def);
                self.read_function(FunctionParts {
                    name: def.name.to_string(),
                    is_async: false,
                    decorators: def.decorator_list,
                    args: *def.args,
                    returns: def.returns.as_deref().map(|r| self.expr(r)),
                    body: def.body,
                    at,
                });
            }
            ast::Stmt::AsyncFunctionDef(def) => {
                let at = self.at(&def);
                self.read_function(FunctionParts {
                    name: def.name.to_string(),
                    is_async: true,
                    decorators: def.decorator_list,
                    args: *def.args,
                    returns: def.returns.as_deref().map(|r| self.expr(r)),
                    body: def.body,
                    at,
                });
            }
            ast::Stmt::If(block) => {
                self.read_block(block.body);
                self.read_block(block.orelse);
            }
            ast::Stmt::Try(block) => {
                self.read_block(block.body);
                for handler in block.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.read_block(handler.body);
                }
                self.read_block(block.orelse);
                self.read_block(block.finalbody);
            }
            _ => {}
        }
    }

    /// Records every module-level function: its signature and its facts.
    fn read_function(&mut self, parts: FunctionParts) {
        self.facts.signatures.push(Signature {
            name: parts.name.clone(),
            returns: parts.returns.clone(),
        });
        let function = self.function(parts);
        self.facts.functions.push(function);
    }

    fn class(&self, class: ast::StmtClassDef) -> ClassFacts {
        let mut facts = ClassFacts {
            name: class.name.to_string(),
            bases: class.bases.iter().map(|b| self.expr(b)).collect(),
            fields: Vec::new(),
            assignments: Vec::new(),
            methods: Vec::new(),
            docstring: docstring(&class.body),
            at: self.at(&class),
        };
        for statement in class.body {
            match statement {
                ast::Stmt::FunctionDef(def) => {
                    let at = self.at(&def);
                    facts.methods.push(self.function(FunctionParts {
                        name: def.name.to_string(),
                        is_async: false,
                        decorators: def.decorator_list,
                        args: *def.args,
                        returns: def.returns.as_deref().map(|r| self.expr(r)),
                        body: def.body,
                        at,
                    }));
                }
                ast::Stmt::AsyncFunctionDef(def) => {
                    let at = self.at(&def);
                    facts.methods.push(self.function(FunctionParts {
                        name: def.name.to_string(),
                        is_async: true,
                        decorators: def.decorator_list,
                        args: *def.args,
                        returns: def.returns.as_deref().map(|r| self.expr(r)),
                        body: def.body,
                        at,
                    }));
                }
                ast::Stmt::AnnAssign(assign) => {
                    if let ast::Expr::Name(name) = &*assign.target {
                        facts.fields.push(FieldFacts {
                            name: name.id.to_string(),
                            annotation: self.expr(&assign.annotation),
                            default: assign.value.as_deref().map(|v| self.expr(v)),
                            at: self.at(&assign),
                        });
                    }
                }
                ast::Stmt::Assign(assign) => {
                    let value = self.expr(&assign.value);
                    for target in &assign.targets {
                        if let ast::Expr::Name(name) = target {
                            facts.assignments.push((name.id.to_string(), value.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
        facts
    }

    fn function(&self, parts: FunctionParts) -> FunctionFacts {
        let params: Vec<(String, Option<Expr>)> = parts
            .args
            .posonlyargs
            .iter()
            .chain(&parts.args.args)
            .chain(&parts.args.kwonlyargs)
            .map(|arg| {
                let annotation = arg.def.annotation.as_deref().map(|a| self.expr(a));
                (arg.def.arg.to_string(), annotation)
            })
            .collect();
        let all = parts
            .args
            .posonlyargs
            .iter()
            .chain(&parts.args.args)
            .chain(&parts.args.kwonlyargs);
        let defaults: Vec<bool> = all.map(|arg| arg.default.is_some()).collect();
        let any_keywords = parts.args.kwarg.is_some();
        let positional = parts.args.posonlyargs.len() + parts.args.args.len();
        // `*args` is tracked as one more parameter, after the named ones.
        let rest_name = parts.args.vararg.as_ref().map(|arg| arg.arg.to_string());
        let names: Vec<String> = params
            .iter()
            .map(|(name, _)| name.clone())
            .chain(rest_name.clone())
            .collect();
        let mut body = BodyReader::new(self.lines, &names);
        let docstring = docstring(&parts.body);
        for statement in parts.body {
            body.visit_stmt(statement);
        }
        let returns = std::mem::take(&mut body.returns);
        let locals = std::mem::take(&mut body.locals);
        let calls = std::mem::take(&mut body.calls);
        let mut uses = body.finish();
        let rest = rest_name.and_then(|_| uses.pop());
        FunctionFacts {
            name: parts.name,
            is_async: parts.is_async,
            decorators: parts.decorators.iter().map(|d| self.expr(d)).collect(),
            params,
            defaults,
            positional,
            uses,
            rest,
            returns,
            locals,
            calls: Some(calls),
            return_annotation: parts.returns,
            any_keywords,
            docstring,
            at: parts.at,
        }
    }
}

struct FunctionParts {
    name: String,
    is_async: bool,
    decorators: Vec<ast::Expr>,
    args: ast::Arguments,
    returns: Option<Expr>,
    body: Vec<ast::Stmt>,
    at: Position,
}

fn docstring(body: &[ast::Stmt]) -> Option<String> {
    match body.first()? {
        ast::Stmt::Expr(statement) => match &*statement.value {
            ast::Expr::Constant(constant) => match &constant.value {
                ast::Constant::Str(text) => Some(clean_docstring(text)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Strips the common indentation of a docstring, as `inspect.cleandoc` does.
fn clean_docstring(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim().to_owned();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = vec![first];
    out.extend(
        rest.iter()
            .map(|l| l.get(indent..).unwrap_or("").trim_end().to_owned()),
    );
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

fn string_constant(expr: &ast::Expr) -> Option<String> {
    match expr {
        ast::Expr::Constant(constant) => match &constant.value {
            ast::Constant::Str(text) => Some(text.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Converts a parser expression into the simplified [`Expr`] tree.
fn convert(lines: &LineIndex, expr: &ast::Expr, depth: usize) -> Expr {
    let at = lines.position(expr.start());
    if depth > MAX_EXPR_DEPTH {
        return Expr {
            kind: ExprKind::Other,
            at,
        };
    }
    let sub = |e: &ast::Expr| convert(lines, e, depth + 1);
    let boxed = |e: &ast::Expr| Box::new(convert(lines, e, depth + 1));
    let kind = match expr {
        ast::Expr::Constant(constant) => constant_kind(&constant.value),
        ast::Expr::Name(name) => ExprKind::Name(name.id.to_string()),
        ast::Expr::Attribute(attribute) => {
            ExprKind::Attribute(boxed(&attribute.value), attribute.attr.to_string())
        }
        ast::Expr::Call(call) => ExprKind::Call {
            func: boxed(&call.func),
            args: call.args.iter().map(sub).collect(),
            keywords: call
                .keywords
                .iter()
                .map(|k| (k.arg.as_ref().map(|a| a.to_string()), sub(&k.value)))
                .collect(),
        },
        ast::Expr::Subscript(subscript) => {
            let index = match &*subscript.slice {
                ast::Expr::Tuple(tuple) => tuple.elts.iter().map(sub).collect(),
                other => vec![sub(other)],
            };
            ExprKind::Subscript(boxed(&subscript.value), index)
        }
        ast::Expr::BinOp(binary) if binary.op == ast::Operator::BitOr => {
            ExprKind::BitOr(boxed(&binary.left), boxed(&binary.right))
        }
        ast::Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::USub => {
            match sub(&unary.operand).kind {
                ExprKind::Int(n) => n.checked_neg().map_or(ExprKind::Other, ExprKind::Int),
                ExprKind::Float(f) => ExprKind::Float(-f),
                _ => ExprKind::Other,
            }
        }
        ast::Expr::List(list) => ExprKind::List(list.elts.iter().map(sub).collect()),
        ast::Expr::Tuple(tuple) => ExprKind::Tuple(tuple.elts.iter().map(sub).collect()),
        ast::Expr::Dict(dict) => ExprKind::Dict(
            dict.keys
                .iter()
                .zip(&dict.values)
                .map(|(key, value)| (key.as_ref().map(sub), sub(value)))
                .collect(),
        ),
        ast::Expr::JoinedStr(joined) => ExprKind::FormattedString(
            joined
                .values
                .iter()
                .map(|part| match part {
                    ast::Expr::FormattedValue(value) if value.format_spec.is_none() => {
                        sub(&value.value)
                    }
                    ast::Expr::Constant(_) => sub(part),
                    other => Expr {
                        kind: ExprKind::Other,
                        at: lines.position(other.start()),
                    },
                })
                .collect(),
        ),
        ast::Expr::Starred(starred) => ExprKind::Starred(boxed(&starred.value)),
        ast::Expr::Await(awaited) => ExprKind::Await(boxed(&awaited.value)),
        _ => ExprKind::Other,
    };
    Expr { kind, at }
}

fn constant_kind(constant: &ast::Constant) -> ExprKind {
    match constant {
        ast::Constant::None => ExprKind::None,
        ast::Constant::Bool(b) => ExprKind::Bool(*b),
        ast::Constant::Str(text) => ExprKind::Str(text.clone()),
        ast::Constant::Int(n) => n.to_string().parse().map_or(ExprKind::Other, ExprKind::Int),
        ast::Constant::Float(f) => ExprKind::Float(*f),
        ast::Constant::Ellipsis => ExprKind::Ellipsis,
        _ => ExprKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> ModuleFacts {
        parse_module(source, "test.py").unwrap()
    }

    #[test]
    fn syntax_error_reports_line_and_column() {
        let error = parse_module("x = 1\ndef f(:\n    pass\n", "bad.py").unwrap_err();
        assert_eq!(error.at.line, 2);
        assert_eq!(error.at.col, 7);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let facts = parse("é = 'ü'; from a import b\n");
        let Import::From { at, .. } = &facts.imports[0] else {
            panic!("expected a from-import");
        };
        assert_eq!(*at, Position::new(1, 10));
    }

    #[test]
    fn imports_keep_level_module_and_aliases() {
        let facts = parse(
            "from . import (\n  a,  # first\n  b as c,\n)\nfrom ..pagination import P\nimport app.x.types as t\n",
        );
        assert_eq!(facts.imports.len(), 3);
        let Import::From {
            level,
            module,
            names,
            ..
        } = &facts.imports[0]
        else {
            panic!("expected a from-import");
        };
        assert_eq!((*level, module.as_deref()), (1, None));
        let locals: Vec<&str> = names.iter().map(ImportedName::local).collect();
        assert_eq!(locals, ["a", "c"]);
        let Import::From { level, module, .. } = &facts.imports[1] else {
            panic!("expected a from-import");
        };
        assert_eq!((*level, module.as_deref()), (2, Some("pagination")));
        assert_eq!(
            facts.imports[2],
            Import::Module {
                name: "app.x.types".into(),
                alias: Some("t".into()),
                at: Position::new(6, 1)
            }
        );
    }

    #[test]
    fn handler_body_reads_validations_and_returns() {
        let facts = parse(
            r#"
@sio.on("x.y")  # type: ignore
async def h(sid: str, data: dict[str, Any]):
    """Does x."""
    a = data.get("a")
    b = int(data["b"])
    c = data.get("c", 12)
    if "d" in data:
        pass
    p = Payload(**data)
    q = Payload.model_validate(data)
    return {"ok": True}
"#,
        );
        let function = &facts.functions[0];
        assert!(function.is_async);
        assert_eq!(function.docstring.as_deref(), Some("Does x."));
        assert_eq!(function.decorators[0].at, Position::new(2, 2));
        let reads: Vec<(&str, bool, Option<&str>)> = function
            .uses
            .get(1)
            .unwrap()
            .reads
            .iter()
            .map(|r| (r.key.as_str(), r.required, r.cast.as_deref()))
            .collect();
        assert_eq!(
            reads,
            [
                ("a", false, None),
                ("b", true, Some("int")),
                ("c", false, None),
                ("d", false, None)
            ]
        );
        assert_eq!(
            function.uses.get(1).unwrap().reads[2]
                .default
                .as_ref()
                .map(|d| &d.kind),
            Some(&ExprKind::Int(12))
        );
        let models: Vec<String> = function
            .uses
            .get(1)
            .unwrap()
            .validations
            .iter()
            .filter_map(Expr::dotted)
            .collect();
        assert_eq!(models, ["Payload", "Payload"]);
        assert_eq!(function.returns.len(), 1);
        assert!(matches!(function.returns[0].kind, ExprKind::Dict(_)));
    }

    #[test]
    fn class_fields_defaults_and_docstring() {
        let facts = parse(
            "class P(Base):\n    \"\"\"A payload.\n\n    More.\n    \"\"\"\n    x: str | None = Field(None, ge=-1)\n    y: int\n    model_config = ConfigDict(extra='forbid')\n",
        );
        let class = facts.class("P").unwrap();
        assert_eq!(class.docstring.as_deref(), Some("A payload.\n\nMore."));
        assert_eq!(class.fields.len(), 2);
        assert_eq!(class.fields[0].name, "x");
        assert!(matches!(
            class.fields[0].annotation.kind,
            ExprKind::BitOr(..)
        ));
        let ge = class.fields[0]
            .default
            .as_ref()
            .and_then(|d| d.keyword("ge"));
        assert_eq!(ge.map(|g| &g.kind), Some(&ExprKind::Int(-1)));
        assert_eq!(class.fields[1].default, None);
        assert_eq!(class.assignments[0].0, "model_config");
    }

    #[test]
    fn forward_reference_parses_at_the_string_place() {
        let expr = parse_annotation("list['Node'] | None", Position::new(4, 8)).unwrap();
        assert!(matches!(expr.kind, ExprKind::BitOr(..)));
        assert_eq!(expr.at, Position::new(4, 8));
        assert_eq!(parse_annotation("not valid (", Position::START), None);
    }

    #[test]
    fn deep_nesting_is_cut_not_overflowed() {
        let source = format!("X = {}1{}\n", "[".repeat(200), "]".repeat(200));
        let facts = parse(&source);
        assert_eq!(facts.assignments.len(), 1);
    }
}
