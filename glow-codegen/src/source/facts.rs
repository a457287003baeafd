//! What the Python reader extracts from one module, in a shape that does not depend on the parser.
//!
//! Expressions are kept as a small tree ([`Expr`]) that covers what type annotations, defaults,
//! decorators and return values use; everything else is [`ExprKind::Other`].

use crate::diagnostic::Position;

/// A simplified Python expression with the place it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it starts.
    pub at: Position,
}

/// The expression forms the reader understands.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A string literal (implicit concatenation already joined).
    Str(String),
    /// An integer literal that fits in `i64` (negative literals folded).
    Int(i64),
    /// A float literal (negative literals folded).
    Float(f64),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// `...`.
    Ellipsis,
    /// A bare name.
    Name(String),
    /// `value.attr`.
    Attribute(Box<Expr>, String),
    /// `func(args, key=value, **spread)`.
    Call {
        /// The called expression.
        func: Box<Expr>,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments; `None` as the key is a `**spread`.
        keywords: Vec<(Option<String>, Expr)>,
    },
    /// `value[index]`; a tuple index is split into its items.
    Subscript(Box<Expr>, Vec<Expr>),
    /// `left | right`.
    BitOr(Box<Expr>, Box<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `{k: v, **spread}`; `None` as the key is a spread.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// An f-string: its literal parts as [`ExprKind::Str`], its `{value}`s as expressions
    /// (a value with a format spec is [`ExprKind::Other`]).
    FormattedString(Vec<Expr>),
    /// `*value` (inside a call's arguments).
    Starred(Box<Expr>),
    /// `await value`.
    Await(Box<Expr>),
    /// Anything else.
    Other,
}

impl Expr {
    /// The dotted name of a `Name` or a chain of attributes on one, e.g. `typing.Optional`.
    pub fn dotted(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(name) => Some(name.clone()),
            ExprKind::Attribute(value, attr) => Some(format!("{}.{attr}", value.dotted()?)),
            _ => None,
        }
    }

    /// The string value of a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The keyword argument `name` of a call.
    pub fn keyword(&self, name: &str) -> Option<&Expr> {
        match &self.kind {
            ExprKind::Call { keywords, .. } => keywords
                .iter()
                .find(|(key, _)| key.as_deref() == Some(name))
                .map(|(_, value)| value),
            _ => None,
        }
    }
}

/// One `import` or `from ... import` statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Import {
    /// `from <dots><module> import name as alias, ...`.
    From {
        /// Number of leading dots (0 for an absolute import).
        level: u32,
        /// The module after the dots, if any.
        module: Option<String>,
        /// Imported names with their local alias.
        names: Vec<ImportedName>,
        /// Where the statement starts.
        at: Position,
    },
    /// `import a.b.c as alias`.
    Module {
        /// The dotted module.
        name: String,
        /// The local alias, if any.
        alias: Option<String>,
        /// Where the statement starts.
        at: Position,
    },
}

/// One name of a `from ... import` statement.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedName {
    /// The name in the source module (`*` for a star import).
    pub name: String,
    /// The local alias, if any.
    pub alias: Option<String>,
    /// Where the name stands.
    pub at: Position,
}

impl ImportedName {
    /// The name the import binds locally.
    pub fn local(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// A class definition.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassFacts {
    /// The class name.
    pub name: String,
    /// Base class expressions.
    pub bases: Vec<Expr>,
    /// Annotated attributes (`name: T = default`) in order.
    pub fields: Vec<FieldFacts>,
    /// Plain assignments in the class body (`NAME = value`), e.g. enum members or `model_config`.
    pub assignments: Vec<(String, Expr)>,
    /// Methods defined in the class body (`self` is their first parameter).
    pub methods: Vec<FunctionFacts>,
    /// The docstring, if any.
    pub docstring: Option<String>,
    /// Where the `class` keyword stands.
    pub at: Position,
}

/// An annotated attribute of a class.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldFacts {
    /// The attribute name.
    pub name: String,
    /// The annotation.
    pub annotation: Expr,
    /// The assigned value, if any.
    pub default: Option<Expr>,
    /// Where the attribute stands.
    pub at: Position,
}

/// A module-level function, with what its body does with each of its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionFacts {
    /// The function name.
    pub name: String,
    /// `async def`?
    pub is_async: bool,
    /// The decorators, outermost first.
    pub decorators: Vec<Expr>,
    /// Parameter names with their annotations: the positional ones, then the keyword-only ones.
    pub params: Vec<(String, Option<Expr>)>,
    /// Which parameters have a default (by position in `params`).
    pub defaults: Vec<bool>,
    /// Whether it takes `**kwargs`.
    pub any_keywords: bool,
    /// How many of `params` are positional (the rest are keyword-only).
    pub positional: usize,
    /// What the body does with each parameter, by position in `params`.
    pub uses: Vec<ParamUse>,
    /// What the body does with `*args`, when it takes them: where the arguments past the
    /// positional parameters arrive.
    pub rest: Option<ParamUse>,
    /// Values returned (bare `return` and `return None` left out).
    pub returns: Vec<Expr>,
    /// Simple local assignments `name = value`, in order.
    pub locals: Vec<(String, Expr)>,
    /// Every call the body makes to a name or an attribute (`sio.emit(...)`, `helper(...)`),
    /// nested functions and lambdas included, in order; `None` for a stand-in whose body is
    /// not read.
    pub calls: Option<Vec<Expr>>,
    /// The return annotation, if any.
    pub return_annotation: Option<Expr>,
    /// The docstring, if any.
    pub docstring: Option<String>,
    /// Where the `def` stands.
    pub at: Position,
}

impl FunctionFacts {
    /// What a `connect` handler does with its third parameter, the socket.io auth payload.
    pub fn auth(&self) -> Option<&ParamUse> {
        self.uses.get(2)
    }
}

/// What a body does with one parameter (or the names bound to it: `d = data`,
/// `data = data or {}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamUse {
    /// Keys read from it: `p["k"]`, `p.get("k")`, `p.pop("k")`, `"k" in p`, also through keys
    /// from a literal list (`for k in ("a", "b"): p.get(k)`).
    pub reads: Vec<PayloadRead>,
    /// Models it is validated with: `Model(**p)`, `Model.model_validate(p)`, `Model.parse_obj(p)`.
    pub validations: Vec<Expr>,
    /// Calls it is passed to whole.
    pub forwards: Vec<Forward>,
    /// Where it is used in a way that says nothing of its keys (`p.items()`, `x = [p]`, ...).
    pub escapes: Vec<Position>,
}

impl ParamUse {
    /// Where the body first uses it, if it does.
    pub fn first_use(&self) -> Option<Position> {
        let reads = self.reads.iter().map(|r| r.at);
        let validations = self.validations.iter().map(|v| v.at);
        let forwards = self.forwards.iter().map(|f| f.at);
        reads
            .chain(validations)
            .chain(forwards)
            .chain(self.escapes.iter().copied())
            .min()
    }
}

/// A call a parameter is passed to whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    /// The called expression.
    pub callee: Expr,
    /// How it is passed.
    pub passed: Passed,
    /// Keyword arguments the call gives besides it (they are not the client's).
    pub other_keywords: Vec<String>,
    /// How many positional arguments come before it, or in all when it is spread as keywords.
    pub positional: usize,
    /// Where the call stands.
    pub at: Position,
}

/// How a parameter is passed to a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Passed {
    /// As the positional argument at this index (also inside a dict literal: `f({**p, "k": v})`).
    Positional(usize),
    /// As this keyword argument (also inside a dict literal).
    Keyword(String),
    /// Spread into keyword arguments: `f(**p)`.
    Spread,
}

/// A module-level function's name and return annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// The function name.
    pub name: String,
    /// The return annotation, if any.
    pub returns: Option<Expr>,
}

/// One read of a key from the payload dict.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadRead {
    /// The key.
    pub key: String,
    /// `data["k"]` (raises when missing) rather than `data.get("k")` or `"k" in data`.
    pub required: bool,
    /// The default of `data.get("k", default)`.
    pub default: Option<Expr>,
    /// A conversion wrapped around the read: `int(data["k"])` gives `int`.
    pub cast: Option<String>,
    /// Where the read stands.
    pub at: Position,
}

/// Everything the reader extracts from one module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleFacts {
    /// Import statements at module level (also inside module-level `if`/`try`).
    pub imports: Vec<Import>,
    /// Module-level assignments `NAME = value` (the last one wins), and `type NAME = value`.
    pub assignments: Vec<(String, Expr)>,
    /// Module-level classes.
    pub classes: Vec<ClassFacts>,
    /// Module-level functions, decorated or not.
    pub functions: Vec<FunctionFacts>,
    /// Calls made as module-level statements (`sio.on("x", handler)`,
    /// `sio.register_namespace(Chat("/chat"))`).
    pub calls: Vec<Expr>,
    /// Every module-level function, decorated or not, with its return annotation.
    pub signatures: Vec<Signature>,
}

impl ModuleFacts {
    /// The class defined under `name`.
    pub fn class(&self, name: &str) -> Option<&ClassFacts> {
        self.classes.iter().rev().find(|c| c.name == name)
    }

    /// The module-level function `name` (the last `def` of that name, as Python binds it).
    pub fn function(&self, name: &str) -> Option<&FunctionFacts> {
        self.functions.iter().rev().find(|f| f.name == name)
    }

    /// The module-level function `name`.
    pub fn signature(&self, name: &str) -> Option<&Signature> {
        self.signatures.iter().rev().find(|s| s.name == name)
    }

    /// The value last assigned to the module-level `name`.
    pub fn assignment(&self, name: &str) -> Option<&Expr> {
        self.assignments
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }
}

/// A file that is not valid Python.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub at: Position,
    /// The parser's message.
    pub message: String,
}
