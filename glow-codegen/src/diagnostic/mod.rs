//! Diagnostics as data: a code, a severity, a place, a message and the other places it
//! involves, rendered at the edge either as compiler-style lines
//! (`path:line:col: severity[code]: message`, then `path:line:col: note: ...` for each other
//! place) or as one JSON object per line.
//!
//! ```
//! use glow_codegen::diagnostic::{Code, Diagnostic, Position};
//!
//! let duplicate = Diagnostic::error(
//!     Code::DuplicateEvent,
//!     "app/ws/persona/find.py",
//!     Position::new(6, 9),
//!     "event `persona.search` is registered twice",
//! )
//! .about("persona.search")
//! .also_at("app/ws/persona/search.py", Position::new(6, 9), "first registered here");
//! assert_eq!(
//!     duplicate.to_human(),
//!     "app/ws/persona/find.py:6:9: error[duplicate-event]: event `persona.search` is registered twice\n\
//!      app/ws/persona/search.py:6:9: note: first registered here"
//! );
//! assert_eq!("duplicate-event".parse::<Code>(), Ok(Code::DuplicateEvent));
//! ```

mod code;
mod lines;

use std::fmt;

use serde::Serialize;

pub use code::{Code, UnknownCode};
pub use lines::LineIndex;

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
    /// The other places the finding involves (the first of two registrations, the route a
    /// handler pairs with), each with a note.
    pub related: Vec<Related>,
}

/// Another place a diagnostic involves.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Related {
    /// The file, as the user named it.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is there.
    pub message: String,
}

impl Related {
    /// A note about `path:at`.
    pub fn new(path: impl Into<String>, at: Position, message: impl Into<String>) -> Self {
        Related {
            path: path.into(),
            line: at.line,
            col: at.col,
            message: message.into(),
        }
    }
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
            related: Vec::new(),
        }
    }

    /// The same diagnostic, about `subject` (an operation name or `METHOD /path`).
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The same diagnostic, also pointing at `path:at` with a note.
    pub fn also_at(
        mut self,
        path: impl Into<String>,
        at: Position,
        note: impl Into<String>,
    ) -> Self {
        self.related.push(Related::new(path, at, note));
        self
    }

    /// `path:line:col: severity[code]: message`, the form editors and CI logs understand, then
    /// one `path:line:col: note: ...` line for each other place. Control characters (a newline
    /// in a file name) are escaped, so that each place is one line.
    pub fn to_human(&self) -> String {
        let mut text = format!(
            "{}:{}:{}: {}[{}]: {}",
            one_line(&self.path),
            self.line,
            self.col,
            self.severity,
            self.code,
            one_line(&self.message)
        );
        for related in &self.related {
            text.push_str(&format!(
                "\n{}:{}:{}: note: {}",
                one_line(&related.path),
                related.line,
                related.col,
                one_line(&related.message)
            ));
        }
        text
    }

    /// One JSON object with the keys `severity code path line col message`, `subject` when the
    /// diagnostic has one, and `related` (a list of `path line col message`) when it points at
    /// other places.
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
        if let Some(object) = value.as_object_mut() {
            if let Some(subject) = &self.subject {
                object.insert("subject".to_owned(), subject.clone().into());
            }
            if !self.related.is_empty() {
                object.insert("related".to_owned(), serde_json::json!(self.related));
            }
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
