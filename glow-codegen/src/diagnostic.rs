//! Diagnostics as data: a code, a severity, a place and a message, rendered at the edge
//! either as `path:line:col: severity[code]: message` or as one JSON object per line.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is. Errors make `manifest` and `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The sources are wrong; the result is incomplete.
    Error,
    /// The sources are suspicious; the result is complete but may not be what the server does.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What a diagnostic is about. Its kebab-case name is stable: tools (and drift policies) match
/// on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A file could not be parsed (syntax error, not UTF-8, binary).
    ParseError,
    /// A file or folder could not be read (permissions, symlink loop).
    IoError,
    /// The registered event name differs from the one the file's path gives.
    NameMismatch,
    /// A handler file that no package `__init__.py` imports, so it never registers.
    NotImported,
    /// A module `x.py` next to a package `x/`: the package wins, the module never loads.
    ShadowedModule,
    /// Two registrations of the same event.
    DuplicateEvent,
    /// An event name that is not a string literal or a module-level string constant.
    DynamicName,
    /// A handler file whose place in the tree gives no `<artifact>.<op>` name.
    UnexpectedLocation,
    /// An import under the Python import root that names no module or no symbol.
    UnresolvedImport,
    /// A type annotation the Pydantic reader does not know; the field becomes any JSON.
    UnknownType,
    /// Two distinct types that would get the same name.
    TypeNameCollision,
    /// A socket operation without an HTTP route.
    NoHttpTwin,
    /// An HTTP route without a socket operation.
    NoWsTwin,
    /// The socket payload and the HTTP body of one operation disagree.
    PayloadMismatch,
    /// A checked-in manifest that differs from what the sources give now.
    StaleManifest,
    /// An OpenAPI `$ref` that points at nothing (or outside the document).
    UnresolvedRef,
    /// OpenAPI references that form a cycle with no object in between.
    RefCycle,
    /// An OpenAPI schema that is not a schema (wrong shape, too deep).
    InvalidSchema,
    /// Two HTTP operations that the naming rule gives the same name.
    OperationNameCollision,
    /// A class that inherits from itself, directly or through its bases (Python refuses it).
    InheritanceCycle,
    /// An input past one of the reader's limits (a depth, a length, a count): what lies past
    /// it is not read, and the message names the limit.
    LimitExceeded,
    /// A key that appears twice in one JSON object: the document is ambiguous.
    DuplicateKey,
    /// An operation in a socket.io namespace other than `/`, which the generated client does not
    /// speak to.
    UnreachableNamespace,
    /// A value the reader cannot follow to a constant (a constraint's bound naming something that
    /// does not resolve): what it would say is not recorded.
    UnreadableValue,
    /// A handler uses its payload in a way that tells nothing of its shape: the payload is
    /// recorded as any JSON object (or the HTTP twin's body).
    UnknownPayload,
    /// An OpenAPI path item or operation that is not one (a number where an operation should
    /// be, an upper-case method, a parameter named twice).
    InvalidOperation,
    /// A drift policy's declaration that matches no finding: what it declares is no longer so.
    UnusedDeclaration,
}

impl Code {
    /// The stable kebab-case name, e.g. `name-mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::IoError => "io-error",
            Code::NameMismatch => "name-mismatch",
            Code::NotImported => "not-imported",
            Code::ShadowedModule => "shadowed-module",
            Code::DuplicateEvent => "duplicate-event",
            Code::DynamicName => "dynamic-name",
            Code::UnexpectedLocation => "unexpected-location",
            Code::UnresolvedImport => "unresolved-import",
            Code::UnknownType => "unknown-type",
            Code::TypeNameCollision => "type-name-collision",
            Code::NoHttpTwin => "no-http-twin",
            Code::NoWsTwin => "no-ws-twin",
            Code::PayloadMismatch => "payload-mismatch",
            Code::StaleManifest => "stale-manifest",
            Code::UnresolvedRef => "unresolved-ref",
            Code::RefCycle => "ref-cycle",
            Code::InvalidSchema => "invalid-schema",
            Code::OperationNameCollision => "operation-name-collision",
            Code::InheritanceCycle => "inheritance-cycle",
            Code::LimitExceeded => "limit-exceeded",
            Code::DuplicateKey => "duplicate-key",
            Code::InvalidOperation => "invalid-operation",
            Code::UnknownPayload => "unknown-payload",
            Code::UnreadableValue => "unreadable-value",
            Code::UnreachableNamespace => "unreachable-namespace",
            Code::UnusedDeclaration => "unused-declaration",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl Default for Position {
    /// The start of a file, where a diagnostic without a better place points.
    fn default() -> Self {
        Position::START
    }
}

impl Position {
    /// The start of a file.
    pub const START: Position = Position { line: 1, col: 1 };

    /// A position from a 1-based line and column.
    pub fn new(line: u32, col: u32) -> Self {
        Position { line, col }
    }
}

/// One finding about the sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// The file, as the user named it (relative paths stay relative).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// What is wrong, naming everything involved.
    pub message: String,
    /// What the finding is about, when it is about one thing a policy can name: an operation
    /// (`persona.search`) or a route (`POST /persona/archive`).
    pub subject: Option<String>,
}

impl Diagnostic {
    /// An error at `path:at`.
    pub fn error(
        code: Code,
        path: impl Into<String>,
        at: Position,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, path, at, message)
    }

    /// A warning at `path:at`.
    pub fn warning(
        code: Code,
        path: impl Into<String>,
        at: Position,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, path, at, message)
    }

    fn new(
        severity: Severity,
        code: Code,
        path: impl Into<String>,
        at: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: at.line,
            col: at.col,
            severity,
            code,
            message: message.into(),
            subject: None,
        }
    }

    /// The same diagnostic, about `subject` (an operation name or `METHOD /path`).
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// `path:line:col: severity[code]: message`, the form editors and CI logs understand.
    /// Control characters (a newline in a file name) are escaped, so that each diagnostic is
    /// one line.
    pub fn to_human(&self) -> String {
        format!(
            "{}:{}:{}: {}[{}]: {}",
            one_line(&self.path),
            self.line,
            self.col,
            self.severity,
            self.code,
            one_line(&self.message)
        )
    }

    /// One JSON object with the keys `severity code path line col message`, and `subject`
    /// when the diagnostic has one.
    pub fn to_json(&self) -> String {
        self.to_json_value().to_string()
    }

    /// [`Diagnostic::to_json`] as a value, for a door that adds keys of its own.
    pub fn to_json_value(&self) -> serde_json::Value {
        let mut value = serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
        });
        if let (Some(subject), Some(object)) = (&self.subject, value.as_object_mut()) {
            object.insert("subject".to_owned(), subject.clone().into());
        }
        value
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_human())
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// `text` with its control characters escaped (`\n` as `\\n`).
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let escaped: String = text
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    std::borrow::Cow::Owned(escaped)
}
