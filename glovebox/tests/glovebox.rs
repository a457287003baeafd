//! The `glovebox` command against the Glovebox test server: one line per frame, display slots
//! answered by renderer, outputs read into files, failures on stderr with their exit codes.
//!
//! Needs the fixture venv (`scripts/venv`); see `glow_test_support::python`.

use std::path::Path;
use std::process::{Command, ExitCode, Output};

use glow_test_support::server::{FixtureServer, GLOVEBOX_KEY};

fn main() -> ExitCode {
    glow_test_support::python::run(&[
        (
            "a_prompt_prints_each_frame_then_complete",
            a_prompt_prints_each_frame_then_complete,
        ),
        (
            "display_slots_are_resolved_or_rejected_by_renderer",
            display_slots_are_resolved_or_rejected_by_renderer,
        ),
        (
            "files_go_in_and_outputs_are_read_into_files",
            files_go_in_and_outputs_are_read_into_files,
        ),
        (
            "an_error_frame_and_a_refused_key_fail_on_stderr",
            an_error_frame_and_a_refused_key_fail_on_stderr,
        ),
        (
            "environment_prints_the_boxs_environment",
            environment_prints_the_boxs_environment,
        ),
    ])
}

fn glovebox(server: &FixtureServer, key: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_glovebox"))
        .args(["--url", &server.ws_url()])
        .args(args)
        .env("GLOVEBOX_KEY", key)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn a_prompt_prints_each_frame_then_complete(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let run = glovebox(&server, GLOVEBOX_KEY, &["prompt", "echo hello world"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        "event text_delta: {\"text\":\"hello \"}\n\
         event text_delta: {\"text\":\"world\"}\n\
         event token_consumption: {\"input\":3,\"output\":2}\n\
         complete: hello world\n"
    );
    assert_eq!(text(&run.stderr), "");
}

fn display_slots_are_resolved_or_rejected_by_renderer(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let run = glovebox(
        &server,
        GLOVEBOX_KEY,
        &[
            "prompt",
            "display frame_picker",
            "--resolve",
            "frame_picker={\"frame\": 7}",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    let push = lines[0];
    assert!(
        push.starts_with("display push frame_picker ")
            && push.contains("-slot-1: {\"k\":1,\"prompt\":"),
        "{push}"
    );
    let slot = push.split(' ').nth(3).unwrap().trim_end_matches(':');
    assert!(
        lines[1].starts_with("event display_resolved: {\"slot_id\":"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(",\"value\":{\"frame\":7}}"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], format!("display clear {slot}"));
    assert_eq!(lines[3], "complete: [{\"frame\":7}]");

    let rejected = glovebox(
        &server,
        GLOVEBOX_KEY,
        &["prompt", "display confirm", "--reject", "confirm=not today"],
    );
    assert_eq!(rejected.status.code(), Some(1));
    assert_eq!(text(&rejected.stderr), "error DisplayRejected: not today\n");
    assert!(text(&rejected.stdout).starts_with("display push confirm "));
}

fn files_go_in_and_outputs_are_read_into_files(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let dir = std::env::temp_dir().join(format!("glovebox-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.txt");
    std::fs::write(&input, "bytes from a file").unwrap();
    let (echoed, report) = (dir.join("echoed.txt"), dir.join("report.txt"));
    let file = format!("in.txt={}", input.display());
    let read_echo = format!("echo-in.txt={}", echoed.display());
    let read_report = format!("report.txt={}", report.display());
    let run = glovebox(
        &server,
        GLOVEBOX_KEY,
        &[
            "prompt",
            "outputs",
            "--file",
            &file,
            "--read",
            &read_echo,
            "--read",
            &read_report,
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(text(&run.stdout), "complete: outputs\n");
    assert_eq!(
        std::fs::read_to_string(&echoed).unwrap(),
        "bytes from a file"
    );
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "report body");

    let missing = format!("nope.txt={}", dir.join("nope").display());
    let run = glovebox(
        &server,
        GLOVEBOX_KEY,
        &["prompt", "outputs", "--read", &missing],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("the outputs have no file named `nope.txt`"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn an_error_frame_and_a_refused_key_fail_on_stderr(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let failed = glovebox(
        &server,
        GLOVEBOX_KEY,
        &["prompt", "fail TypeError no such frame"],
    );
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(text(&failed.stderr), "error TypeError: no such frame\n");
    assert_eq!(text(&failed.stdout), "");

    let refused = glovebox(&server, "wrong-key", &["prompt", "echo hi"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("unauthorized"), "{stderr}");
    assert!(
        !stderr.contains("wrong-key"),
        "the key is never printed: {stderr}"
    );
    let refused = glovebox(&server, "wrong-key", &["environment"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("unauthorized"));
}

fn environment_prints_the_boxs_environment(python: &Path) {
    let server = FixtureServer::start_glovebox(python);
    let run = glovebox(&server, GLOVEBOX_KEY, &["environment"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let environment: glow_client::serde_json::Value =
        glow_client::serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(environment["protocol_version"], 1);
    assert_eq!(environment["packages"]["apt"][0], "ffmpeg");
    assert_eq!(environment["fs"]["input"]["path"], "/input");
}
