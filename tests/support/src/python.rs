//! Tests that need the fixture server's Python (the venv `scripts/venv` installs): they run when
//! the venv is there, fail when it is required and missing (`GLOW_REQUIRE_PYTHON=1`, set by
//! `scripts/test` and CI), and otherwise are skipped with one summary line saying how many and
//! how to run them.
//!
//! A test binary of such tests sets `harness = false` and hands its tests to [`run`]:
//!
//! ```no_run
//! use std::path::Path;
//!
//! fn main() -> std::process::ExitCode {
//!     glow_test_support::python::run(&[("oracle_agrees", oracle_agrees)])
//! }
//!
//! fn oracle_agrees(python: &Path) {
//!     assert!(python.exists());
//! }
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};

/// Names the interpreter to use instead of the workspace's `.venv/bin/python`.
pub const PYTHON_VARIABLE: &str = "GLOW_PYTHON";
/// Set to `1` to make a missing venv a failure rather than a skip.
pub const REQUIRE_VARIABLE: &str = "GLOW_REQUIRE_PYTHON";

/// A test that needs Python: its name and its body, given the interpreter.
pub type PythonTest = (&'static str, fn(&Path));

/// Where the fixture venv's interpreter is, if it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Venv {
    /// The interpreter exists.
    Found(PathBuf),
    /// Nothing at `looked_for`; `required` when a missing venv is a failure.
    Missing {
        /// Where the interpreter was looked for.
        looked_for: PathBuf,
        /// Whether the tests must run.
        required: bool,
    },
}

/// Finds the interpreter: `$GLOW_PYTHON`, else the workspace's `.venv/bin/python`.
pub fn locate() -> Venv {
    let interpreter = std::env::var_os(PYTHON_VARIABLE)
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace().join(".venv/bin/python"));
    if interpreter.exists() {
        Venv::Found(interpreter)
    } else {
        Venv::Missing {
            looked_for: interpreter,
            required: std::env::var(REQUIRE_VARIABLE).as_deref() == Ok("1"),
        }
    }
}

/// Runs `tests` as a test binary's whole suite (libtest's arguments and output) and returns its
/// exit code.
pub fn run(tests: &[PythonTest]) -> ExitCode {
    let arguments = Arguments::from_args();
    let venv = locate();
    let trials = tests
        .iter()
        .map(|&(name, body)| trial(name, body, &venv))
        .collect();
    let conclusion = libtest_mimic::run(&arguments, trials);
    if let Venv::Missing {
        looked_for,
        required: false,
    } = &venv
        && conclusion.num_ignored > 0
    {
        println!("{}", skipped_line(conclusion.num_ignored, looked_for));
    }
    conclusion.exit_code()
}

fn trial(name: &'static str, body: fn(&Path), venv: &Venv) -> Trial {
    match venv {
        Venv::Found(python) => {
            let python = python.clone();
            Trial::test(name, move || {
                body(&python);
                Ok(())
            })
        }
        Venv::Missing {
            looked_for,
            required,
        } => {
            let message = format!(
                "the fixture venv is missing: no Python at {} (`scripts/venv` installs it)",
                looked_for.display()
            );
            Trial::test(name, move || Err(Failed::from(message))).with_ignored_flag(!required)
        }
    }
}

/// The one line printed when Python-backed tests were skipped.
pub fn skipped_line(count: u64, looked_for: &Path) -> String {
    let tests = if count == 1 { "test" } else { "tests" };
    format!(
        "skipped {count} Python-backed {tests}: no fixture venv at {} (run `scripts/test`, or `scripts/venv` and then `cargo test`, to run them)",
        looked_for.display()
    )
}
