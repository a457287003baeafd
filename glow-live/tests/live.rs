//! `glow-live` driven with piped stdin against the running fixture server.
//!
//! Needs the fixture venv (`scripts/venv`); see `glow_test_support::python`.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant};

use glow_test_support::server::{FixtureServer, TOKEN};

const CHAT: &str = "6f1c3b1e-8f7a-4c1b-9d1e-2a3b4c5d6e7f";

fn main() -> ExitCode {
    glow_test_support::python::run(&[
        (
            "piped_lines_are_sent_and_every_push_printed_until_quiet",
            piped_lines_are_sent_and_every_push_printed_until_quiet,
        ),
        ("quit_stops_at_once", quit_stops_at_once),
        (
            "refusal_and_a_dead_server_are_one_line_and_a_failure",
            refusal_and_a_dead_server_are_one_line_and_a_failure,
        ),
        (
            "a_lost_connection_is_one_line_and_a_failure",
            a_lost_connection_is_one_line_and_a_failure,
        ),
    ])
}

fn live(url: &str, token: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_glow-live"))
        .args([CHAT, "--url", url])
        .env("GLOW_TOKEN", token)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("glow-live runs")
}

fn run_with(url: &str, token: &str, input: &str) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = live(url, token);
    let mut stdin = child.stdin.take().expect("stdin");
    // The child may already have exited (a refusal): a closed pipe is not this test's concern.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    let output = child.wait_with_output().expect("glow-live ends");
    (output, started.elapsed())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn piped_lines_are_sent_and_every_push_printed_until_quiet(python: &Path) {
    let server = FixtureServer::start(python);
    let (output, took) = run_with(&server.url(), TOKEN, "Hello there\n\nbye\n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
    let stdout = text(&output.stdout);
    let events: Vec<&str> = stdout
        .lines()
        .map(|line| line.split_once(": ").map_or(line, |(event, _)| event))
        .collect();
    let turn = |words: usize| {
        let mut events = vec!["attempt.chat_message.started"];
        events.extend(std::iter::repeat_n("attempt.chat_message.token", words));
        events.push("attempt.chat_message.completed");
        events
    };
    let expected: Vec<&str> = turn(3).into_iter().chain(turn(2)).collect();
    assert_eq!(events, expected, "{stdout}");
    let completed = stdout
        .lines()
        .find(|line| line.starts_with("attempt.chat_message.completed: "))
        .expect("a completed line");
    let json: glow_client::serde_json::Value =
        glow_client::serde_json::from_str(completed.split_once(": ").unwrap().1)
            .expect("compact JSON");
    assert_eq!(json["reply"], "echo: Hello there");
    assert_eq!(json["chat_id"], CHAT);
    assert!(!completed.contains("\n  "), "one line of compact JSON");
    // After the input ends, pushes keep printing until about a second passes with none.
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_secs(8), "{took:?}");
}

fn quit_stops_at_once(python: &Path) {
    let server = FixtureServer::start(python);
    let mut child = live(&server.url(), TOKEN);
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b":quit\n").unwrap();
    let started = Instant::now();
    // The pipe stays open: only `:quit` can end the session.
    let output = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still running after :quit"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    assert_eq!(output.code(), Some(0));
}

fn refusal_and_a_dead_server_are_one_line_and_a_failure(python: &Path) {
    let server = FixtureServer::start(python);
    let (output, took) = run_with(&server.url(), "wrong", "Hello\n");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        format!(
            "glow-live: {} refused the request: a valid bearer token is required\n",
            server.url()
        )
    );
    assert!(took < Duration::from_secs(3), "{took:?}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let (output, _) = run_with(&url, TOKEN, "Hello\n");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("glow-live: cannot connect to {url}: ")),
        "{stderr}"
    );
}

fn a_lost_connection_is_one_line_and_a_failure(python: &Path) {
    let mut server = FixtureServer::start(python);
    let mut child = live(&server.url(), TOKEN);
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"Hello\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    server.kill();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "glow-live kept running with the server gone"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "glow-live: the connection to {} is lost: ",
            server.url()
        )),
        "{stderr}"
    );
    assert!(text(&output.stdout).contains("attempt.chat_message.completed: "));
}
