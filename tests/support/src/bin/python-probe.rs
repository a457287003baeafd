//! One Python-backed test, run through [`glow_test_support::python::run`], so that the runner's
//! behaviour with and without a venv can itself be tested.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    glow_test_support::python::run(&[("interpreter_exists", interpreter_exists)])
}

fn interpreter_exists(python: &Path) {
    assert!(python.exists(), "{}", python.display());
}
