//! A drift policy: the checked-in file (`glow-drift.yaml`) where a team declares which
//! operations are one-sided by design and which findings fail `glow-codegen drift`.
//!
//! ```yaml
//! # Routes with no socket operation by design: `METHOD /path` globs.
//! http_only: ["GET /**", "POST /auth/*"]
//! # Socket operations with no route by design: event-name globs.
//! ws_only: ["attempt.chat.voice", "system.*"]
//! # Operations whose socket payload and HTTP body are known to differ.
//! payloads_differ: ["persona.rate"]
//! # The codes that fail the run (default: the three drift codes).
//! fail_on: [no-http-twin, no-ws-twin, payload-mismatch]
//! ```
//!
//! In a route glob `*` stands for one path segment (or one method) and `**` for any number of
//! segments; in a name glob `*` stands for anything. A declaration that matches no finding is
//! itself reported (`unused-declaration`), so that the file cannot rot.

use std::collections::BTreeSet;
use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostic::{Code, Diagnostic, Position, Severity};
use crate::input::{InputError, InputKind};

use super::DRIFT_CODES;

/// A drift policy that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file is missing or unreadable.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Not YAML, not the policy's shape, or a declaration that is not a glob of its kind.
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        /// The policy file.
        path: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        col: usize,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    http_only: Vec<Spanned<String>>,
    #[serde(default)]
    ws_only: Vec<Spanned<String>>,
    #[serde(default)]
    payloads_differ: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Vec<Code>>,
}

/// Which list a declaration is in: what it declares, and which finding it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    HttpOnly,
    WsOnly,
    PayloadsDiffer,
}

impl List {
    fn key(self) -> &'static str {
        match self {
            List::HttpOnly => "http_only",
            List::WsOnly => "ws_only",
            List::PayloadsDiffer => "payloads_differ",
        }
    }

    /// The finding a declaration in this list answers.
    fn answers(self) -> Code {
        match self {
            List::HttpOnly => Code::NoWsTwin,
            List::WsOnly => Code::NoHttpTwin,
            List::PayloadsDiffer => Code::PayloadMismatch,
        }
    }
}

/// One glob, where it was written.
#[derive(Debug)]
struct Declaration {
    list: List,
    glob: String,
    at: Position,
    matcher: GlobMatcher,
}

/// What the team declared: the one-sided operations, the known payload differences, and the
/// codes that fail the run.
#[derive(Debug)]
pub struct Policy {
    path: Option<String>,
    declarations: Vec<Declaration>,
    fail_on: BTreeSet<Code>,
}

impl Default for Policy {
    /// No declarations; every drift code fails.
    fn default() -> Self {
        Policy {
            path: None,
            declarations: Vec::new(),
            fail_on: DRIFT_CODES.iter().copied().collect(),
        }
    }
}

/// What a policy says of one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ruling {
    /// It fails the run: an error, or a code in `fail_on` that nothing declares.
    Fails,
    /// It is reported and does not fail the run.
    Reported,
    /// The policy declares it intended, at this place.
    Declared {
        /// The policy file.
        path: String,
        /// The declaration's place.
        at: Position,
    },
}

/// A diagnostic and what the policy says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The diagnostic.
    pub diagnostic: Diagnostic,
    /// What the policy says of it.
    pub ruling: Ruling,
}

impl Policy {
    /// Reads the policy at `path` (shown as `shown` in messages).
    pub fn read(path: &Path, shown: &str) -> Result<Policy, PolicyError> {
        let text = crate::input::read_text(path, shown, InputKind::DriftPolicy)?;
        Policy::from_yaml(&text, shown)
    }

    /// Reads a policy from its text; `path` labels messages.
    pub fn from_yaml(text: &str, path: &str) -> Result<Policy, PolicyError> {
        let invalid = |line: usize, col: usize, message: String| PolicyError::Invalid {
            path: path.to_owned(),
            line,
            col,
            message,
        };
        // An empty file is a policy with nothing declared.
        let file: PolicyFile = if text.trim().is_empty() {
            PolicyFile {
                http_only: Vec::new(),
                ws_only: Vec::new(),
                payloads_differ: Vec::new(),
                fail_on: None,
            }
        } else {
            crate::yaml::from_str(text).map_err(|error| {
                let (line, col) = error
                    .location()
                    .map_or((0, 0), |at| (at.line() as usize, at.column() as usize));
                invalid(line, col, crate::yaml::message(&error))
            })?
        };
        let mut declarations = Vec::new();
        for (list, globs) in [
            (List::HttpOnly, file.http_only),
            (List::WsOnly, file.ws_only),
            (List::PayloadsDiffer, file.payloads_differ),
        ] {
            for glob in globs {
                let line = glob.referenced.line() as usize;
                let col = glob.referenced.column() as usize;
                let at = Position::new(
                    u32::try_from(line).unwrap_or(u32::MAX),
                    u32::try_from(col).unwrap_or(u32::MAX),
                );
                let glob = glob.value;
                if let Some(problem) = shape_problem(list, &glob) {
                    return Err(invalid(line, col, problem));
                }
                let matcher = GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .map_err(|error| {
                        invalid(
                            line,
                            col,
                            format!("`{glob}` in {} is not a glob: {}", list.key(), error.kind()),
                        )
                    })?
                    .compile_matcher();
                declarations.push(Declaration {
                    list,
                    glob,
                    at,
                    matcher,
                });
            }
        }
        Ok(Policy {
            path: Some(path.to_owned()),
            declarations,
            fail_on: file.fail_on.map_or_else(
                || DRIFT_CODES.iter().copied().collect(),
                BTreeSet::from_iter,
            ),
        })
    }

    /// What the policy says of each diagnostic, in order, followed by an `unused-declaration`
    /// warning for each declaration that matched nothing.
    pub fn judge(&self, diagnostics: Vec<Diagnostic>) -> Vec<Judged> {
        let mut used = vec![false; self.declarations.len()];
        let mut judged: Vec<Judged> = diagnostics
            .into_iter()
            .map(|diagnostic| {
                let declared = self.declaration_for(&diagnostic);
                let ruling = match declared {
                    Some(index) => {
                        used[index] = true;
                        Ruling::Declared {
                            path: self.path.clone().unwrap_or_default(),
                            at: self.declarations[index].at,
                        }
                    }
                    None => self.fails_or_reported(&diagnostic),
                };
                Judged { diagnostic, ruling }
            })
            .collect();
        for (declaration, used) in self.declarations.iter().zip(used) {
            if used {
                continue;
            }
            let diagnostic = Diagnostic::warning(
                Code::UnusedDeclaration,
                self.path.clone().unwrap_or_default(),
                declaration.at,
                format!(
                    "`{}` in {} matches no {} finding: {}; remove it",
                    declaration.glob,
                    declaration.list.key(),
                    declaration.list.answers(),
                    match declaration.list {
                        List::HttpOnly =>
                            "every route it names has a socket twin or no such route exists (only a `POST` route is ever a no-ws-twin finding)",
                        List::WsOnly =>
                            "every operation it names has an HTTP twin, or no such operation exists",
                        List::PayloadsDiffer =>
                            "the operations it names agree with their HTTP twins, or do not exist",
                    }
                ),
            )
            .about(declaration.glob.clone());
            let ruling = self.fails_or_reported(&diagnostic);
            judged.push(Judged { diagnostic, ruling });
        }
        judged
    }

    /// The first declaration that answers `diagnostic`.
    fn declaration_for(&self, diagnostic: &Diagnostic) -> Option<usize> {
        let subject = diagnostic.subject.as_deref()?;
        self.declarations.iter().position(|declaration| {
            declaration.list.answers() == diagnostic.code && declaration.matcher.is_match(subject)
        })
    }

    fn fails_or_reported(&self, diagnostic: &Diagnostic) -> Ruling {
        if diagnostic.severity == Severity::Error || self.fail_on.contains(&diagnostic.code) {
            Ruling::Fails
        } else {
            Ruling::Reported
        }
    }
}

/// Why `glob` is not a declaration of `list`'s kind, if it is not.
fn shape_problem(list: List, glob: &str) -> Option<String> {
    match list {
        List::HttpOnly => {
            let well_formed = glob.split_once(' ').is_some_and(|(method, path)| {
                !method.is_empty()
                    && !method.chars().any(|c| c.is_ascii_lowercase())
                    && path.starts_with('/')
                    && !path.contains(' ')
            });
            (!well_formed).then(|| {
                format!("`{glob}` in http_only is not `METHOD /path` (an upper-case method or `*`, one space, a path from `/`): e.g. `GET /admin/**`")
            })
        }
        List::WsOnly | List::PayloadsDiffer => {
            (glob.is_empty() || glob.contains(' ') || glob.contains('/')).then(|| {
                format!(
                    "`{glob}` in {} is not an event-name glob (`attempt.chat.voice`, `system.*`)",
                    list.key()
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code, subject: &str) -> Diagnostic {
        Diagnostic::warning(code, "x.py", Position::START, "m").about(subject)
    }

    #[test]
    fn route_globs_take_one_segment_per_star_and_any_under_two() {
        let policy = Policy::from_yaml(
            "http_only: ['GET /admin/*', '* /legacy/**']\n",
            "glow-drift.yaml",
        )
        .unwrap();
        let rulings: Vec<bool> = [
            "GET /admin/users",
            "GET /admin/users/export",
            "POST /admin/users",
            "DELETE /legacy/a/b/c",
        ]
        .iter()
        .map(|route| {
            matches!(
                policy.judge(vec![finding(Code::NoWsTwin, route)])[0].ruling,
                Ruling::Declared { .. }
            )
        })
        .collect();
        assert_eq!(rulings, [true, false, false, true]);
    }

    #[test]
    fn a_declaration_answers_only_its_own_code() {
        let policy = Policy::from_yaml("ws_only: ['persona.*']\n", "p.yaml").unwrap();
        let judged = policy.judge(vec![
            finding(Code::PayloadMismatch, "persona.rate"),
            finding(Code::NoHttpTwin, "persona.search"),
        ]);
        assert_eq!(judged[0].ruling, Ruling::Fails);
        assert_eq!(
            judged[1].ruling,
            Ruling::Declared {
                path: "p.yaml".to_owned(),
                at: Position::new(1, 11)
            }
        );
        assert_eq!(judged.len(), 2, "the declaration was used: {judged:?}");
    }

    #[test]
    fn fail_on_decides_what_fails_and_errors_always_fail() {
        let policy = Policy::from_yaml("fail_on: [payload-mismatch]\n", "p.yaml").unwrap();
        let error = Diagnostic::error(Code::ParseError, "a.py", Position::START, "m");
        let judged = policy.judge(vec![
            finding(Code::NoWsTwin, "POST /a/b"),
            finding(Code::PayloadMismatch, "a.b"),
            error,
        ]);
        let rulings: Vec<&Ruling> = judged.iter().map(|j| &j.ruling).collect();
        assert_eq!(rulings, [&Ruling::Reported, &Ruling::Fails, &Ruling::Fails]);
    }

    #[test]
    fn an_unused_declaration_is_reported_at_its_line() {
        let policy = Policy::from_yaml(
            "# intended\nhttp_only:\n  - GET /gone/**\n",
            "glow-drift.yaml",
        )
        .unwrap();
        let judged = policy.judge(Vec::new());
        let unused = &judged[0].diagnostic;
        assert_eq!(
            (unused.code, unused.path.as_str(), unused.line, unused.col),
            (Code::UnusedDeclaration, "glow-drift.yaml", 3, 5)
        );
        assert!(
            unused
                .message
                .starts_with("`GET /gone/**` in http_only matches no no-ws-twin finding"),
            "{}",
            unused.message
        );
        assert_eq!(judged[0].ruling, Ruling::Reported);
    }

    #[test]
    fn malformed_policies_are_located() {
        let error = |text: &str| Policy::from_yaml(text, "p.yaml").unwrap_err().to_string();
        assert_eq!(
            error("http_only:\n  - /admin/**\n"),
            "p.yaml:2:5: `/admin/**` in http_only is not `METHOD /path` (an upper-case method or `*`, one space, a path from `/`): e.g. `GET /admin/**`"
        );
        assert!(
            error("http_only: ['get /a']\n")
                .starts_with("p.yaml:1:13: `get /a` in http_only is not `METHOD /path` (")
        );
        assert_eq!(
            error("ws_only: ['POST /a']\n"),
            "p.yaml:1:11: `POST /a` in ws_only is not an event-name glob (`attempt.chat.voice`, `system.*`)"
        );
        assert!(
            error("ws_only: ['a.{b']\n")
                .starts_with("p.yaml:1:11: `a.{b` in ws_only is not a glob: "),
            "{}",
            error("ws_only: ['a.{b']\n")
        );
        let unknown_code = error("fail_on: [no-such-code]\n");
        assert!(
            unknown_code.starts_with("p.yaml:1:") && unknown_code.contains("no-such-code"),
            "{unknown_code}"
        );
        let unknown_key = error("http-only: []\n");
        assert!(
            unknown_key.starts_with("p.yaml:1:") && unknown_key.contains("http-only"),
            "{unknown_key}"
        );
    }

    #[test]
    fn an_empty_policy_fails_on_every_drift_code() {
        let judged = Policy::from_yaml("", "p.yaml").unwrap().judge(vec![
            finding(Code::NoWsTwin, "POST /a/b"),
            finding(Code::NameMismatch, "a.b"),
        ]);
        assert_eq!(judged[0].ruling, Ruling::Fails);
        assert_eq!(judged[1].ruling, Ruling::Reported);
    }
}
