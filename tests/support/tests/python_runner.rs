//! Python-backed tests run when the venv is there, fail when it is required and missing, and are
//! otherwise skipped with one line saying how many and how to run them.

use std::process::{Command, Output};

fn probe(python: &str, required: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_python-probe"));
    command.env("GLOW_PYTHON", python);
    if required {
        command.env("GLOW_REQUIRE_PYTHON", "1");
    } else {
        command.env_remove("GLOW_REQUIRE_PYTHON");
    }
    command.output().expect("the probe runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn tests_run_when_the_interpreter_exists() {
    let output = probe("/bin/sh", true);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("test interpreter_exists ... ok"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_missing_venv_skips_with_one_summary_line() {
    let output = probe("/no/such/venv/bin/python", false);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("test interpreter_exists ... ignored"),
        "{text}"
    );
    let summary: Vec<&str> = text.lines().filter(|l| l.starts_with("skipped")).collect();
    assert_eq!(
        summary,
        [
            "skipped 1 Python-backed test: no fixture venv at /no/such/venv/bin/python (run `scripts/test`, or `scripts/venv` and then `cargo test`, to run them)"
        ]
    );
}

#[test]
fn a_missing_venv_fails_when_required() {
    let output = probe("/no/such/venv/bin/python", true);
    assert_eq!(output.status.code(), Some(101), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("the fixture venv is missing: no Python at /no/such/venv/bin/python (`scripts/venv` installs it)"),
        "{text}"
    );
    assert!(!text.contains("skipped"), "{text}");
}
