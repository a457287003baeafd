//! `glow-codegen drift` as a CI gate: the drift-policy fixture (`tests/drift-policy`) with and
//! without its checked-in `glow-drift.yaml`, a policy that no longer covers the server, and the
//! summarised output.

mod common;

use std::process::Output;

use common::{Tree, workspace};

const FIXTURE: &str = "tests/drift-policy";

fn drift(extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args([
            "drift",
            "--ws-tree",
            &format!("{FIXTURE}/core/app/ws"),
            "--openapi",
            &format!("{FIXTURE}/openapi.yaml"),
        ])
        .args(extra)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The `warning[...]` and `error[...]` lines, as `(path:line:col, code)`.
fn listed(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|line| {
            let (place, rest) = line.split_once(": ")?;
            let code = rest
                .strip_prefix("warning[")
                .or(rest.strip_prefix("error["))?;
            Some((place.to_owned(), code.split(']').next()?.to_owned()))
        })
        .collect()
}

#[test]
fn without_a_policy_every_drift_fails_and_the_output_is_summarised() {
    let output = drift(&[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    let listed = listed(&stderr);
    let count = |code: &str| listed.iter().filter(|(_, c)| c == code).count();
    assert_eq!(
        (
            count("payload-mismatch"),
            count("no-http-twin"),
            count("no-ws-twin")
        ),
        (1, 1, 10),
        "at most 10 findings of one code are listed:\n{stderr}"
    );
    assert_eq!(
        listed[0],
        (
            format!("{FIXTURE}/core/app/ws/persona/rate.py:14:9"),
            "payload-mismatch".to_owned()
        )
    );
    let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "glow-codegen: 14 finding(s) fail the run; declare what is intended in a drift policy (--policy glow-drift.yaml)",
            "glow-codegen: 2 operation(s) paired, 14 drift finding(s): 1 no-http-twin, 12 no-ws-twin, 1 payload-mismatch",
            "glow-codegen: 2 more finding(s) not listed; pass --all to list every one",
        ]
    );
}

#[test]
fn the_checked_in_policy_declares_every_intended_finding() {
    let output = drift(&["--policy", &format!("{FIXTURE}/glow-drift.yaml")]);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        listed(&stderr),
        [(
            format!("{FIXTURE}/glow-drift.yaml:6:5"),
            "unused-declaration".to_owned()
        )],
        "declared findings are counted, not listed; the stale declaration is:\n{stderr}"
    );
    assert!(
        stderr.contains("`GET /legacy/**` in http_only matches no no-ws-twin finding"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "glow-codegen: 2 operation(s) paired, 14 drift finding(s): 1 no-http-twin (1 declared), 12 no-ws-twin (12 declared), 1 payload-mismatch (1 declared)\nglow-codegen: nothing fails the run\n"
        ),
        "{stderr}"
    );
}

#[test]
fn all_lists_declared_findings_with_their_declaration() {
    let output = drift(&["--policy", &format!("{FIXTURE}/glow-drift.yaml"), "--all"]);
    let stderr = stderr(&output);
    assert_eq!(listed(&stderr).len(), 15, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "route `POST /admin/vacuum` has no socket operation: no handler registers `admin.vacuum` or lives at the path that gives it [declared at {FIXTURE}/glow-drift.yaml:5:5]"
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!(
        "`system.ping` has no HTTP twin: no route gives the name `system.ping` [declared at {FIXTURE}/glow-drift.yaml:10:5]"
    )));
}

#[test]
fn json_gives_every_finding_its_ruling() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args([
            "--format",
            "json",
            "drift",
            "--ws-tree",
            &format!("{FIXTURE}/core/app/ws"),
            "--openapi",
            &format!("{FIXTURE}/openapi.yaml"),
            "--policy",
            &format!("{FIXTURE}/glow-drift.yaml"),
        ])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let findings: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(findings.len(), 15);
    let rate = &findings[0];
    assert_eq!(rate["subject"], "persona.rate");
    assert_eq!(rate["ruling"], "declared");
    assert_eq!(
        rate["declared_at"],
        format!("{FIXTURE}/glow-drift.yaml:14:5")
    );
    let unused = findings.last().unwrap();
    assert_eq!(
        (&unused["code"], &unused["ruling"], &unused["subject"]),
        (
            &serde_json::json!("unused-declaration"),
            &serde_json::json!("reported"),
            &serde_json::json!("GET /legacy/**")
        )
    );
}

#[test]
fn a_new_drift_the_policy_does_not_declare_fails_the_run() {
    // The team's policy before `system.ping` was written: the new socket-only operation fails,
    // and so does the stale declaration once `unused-declaration` is in `fail_on`.
    let tree = Tree::new();
    tree.write(
        "glow-drift.yaml",
        "http_only: ['POST /admin/*', 'GET /legacy/**']\npayloads_differ: [persona.rate]\nfail_on: [no-http-twin, no-ws-twin, payload-mismatch, unused-declaration]\n",
    );
    let policy = tree.path("glow-drift.yaml");
    let output = drift(&["--policy", &policy.display().to_string()]);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let codes: Vec<String> = listed(&stderr).into_iter().map(|(_, code)| code).collect();
    assert_eq!(codes, ["no-http-twin", "unused-declaration"], "{stderr}");
    assert!(
        stderr.ends_with("glow-codegen: 2 finding(s) fail the run\n"),
        "{stderr}"
    );
}

#[test]
fn a_policy_that_cannot_be_read_is_a_usage_error_at_its_place() {
    let tree = Tree::new();
    tree.write(
        "glow-drift.yaml",
        "ws_only:\n  - system.*\n  - POST /system/ping\n",
    );
    let output = drift(&[
        "--policy",
        &tree.path("glow-drift.yaml").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(
        stderr.contains(
            "glow-drift.yaml:3:5: `POST /system/ping` in ws_only is not an event-name glob"
        ),
        "{stderr}"
    );
    let missing = drift(&["--policy", "no/such/glow-drift.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    let missing = String::from_utf8_lossy(&missing.stderr);
    assert!(
        missing.starts_with(
            "glow-codegen: error: the drift policy `no/such/glow-drift.yaml` does not exist"
        ),
        "{missing}"
    );
}
