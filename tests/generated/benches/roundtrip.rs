//! Round trips against the running fixture server: a socket operation emitted and its
//! `.completed` push received, and the same operation over HTTP — p50, p99 and throughput from 1
//! and 4 threads, beside python-socketio's own client doing the same socket round trips in the
//! same run.
//!
//! `cargo bench -p glow-generated --bench roundtrip` (needs the fixture venv: `scripts/venv`).

use std::process::Command;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use glow_client::serde_json::{self, Value};
use glow_client::{Http, Socket};
use glow_generated::cli::{HttpApi, SocketCalls, types};
use glow_test_support::python::{self, Venv};
use glow_test_support::server::{FixtureServer, TOKEN};

const ROUND_TRIPS: usize = 1_000;
const TIMEOUT: Duration = Duration::from_secs(10);

/// Latencies of every round trip and the wall time of the whole run.
struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Run {
    fn row(&self, what: &str, threads: usize) {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = |q: f64| sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)];
        println!(
            "{what:<40} {threads} thread(s)  p50 {:>6.2} ms  p99 {:>6.2} ms  {:>7.0} round trips/s",
            ms(at(0.50)),
            ms(at(0.99)),
            sorted.len() as f64 / self.wall.as_secs_f64()
        );
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn message(index: usize) -> types::ChatMessagePayload {
    types::ChatMessagePayload {
        chat_id: glow_client::uuid::Uuid::nil(),
        text: format!("rust {index}"),
        persona_id: None,
    }
}

/// `threads` threads, each doing `per_thread` round trips with `work`, started together.
fn threaded<S: Sync>(
    threads: usize,
    per_thread: usize,
    setup: impl Fn() -> S + Sync,
    work: impl Fn(&S, usize) + Sync,
) -> Run {
    let barrier = Barrier::new(threads + 1);
    let mut latencies = Vec::new();
    let mut wall = Duration::ZERO;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (barrier, setup, work) = (&barrier, &setup, &work);
                scope.spawn(move || {
                    let state = setup();
                    barrier.wait();
                    (0..per_thread)
                        .map(|index| {
                            let started = Instant::now();
                            work(&state, index);
                            started.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        barrier.wait();
        let started = Instant::now();
        for handle in handles {
            latencies.extend(handle.join().expect("a benchmark thread"));
        }
        wall = started.elapsed();
    });
    Run { latencies, wall }
}

fn python_run(python: &std::path::Path, url: &str, threads: usize) -> Run {
    let script = glow_test_support::workspace().join("tests/server/bench_client.py");
    let output = Command::new(python)
        .arg(script)
        .args([
            url,
            TOKEN,
            &(ROUND_TRIPS / threads).to_string(),
            &threads.to_string(),
        ])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    Run {
        latencies: result["latencies_ms"]
            .as_array()
            .expect("latencies")
            .iter()
            .map(|ms| Duration::from_secs_f64(ms.as_f64().unwrap_or(0.0) / 1000.0))
            .collect(),
        wall: Duration::from_secs_f64(result["wall_s"].as_f64().unwrap_or(1.0)),
    }
}

fn main() {
    let python = match python::locate() {
        Venv::Found(python) => python,
        Venv::Missing { looked_for, .. } => {
            eprintln!(
                "no fixture venv at {}: run `scripts/venv` first",
                looked_for.display()
            );
            return;
        }
    };
    let server = FixtureServer::start(&python);
    let url = server.url();
    let connect = || {
        Socket::builder(&url)
            .bearer(TOKEN)
            .connect()
            .expect("connects")
    };
    let http = Http::builder(&url).bearer(TOKEN).build().expect("a client");
    println!(
        "{ROUND_TRIPS} round trips of attempt.chat_message against the fixture server (uvicorn, one worker)"
    );

    // Warm both sides up.
    let socket = connect();
    for index in 0..50 {
        socket
            .call_attempt_chat_message(&message(index), TIMEOUT)
            .expect("completes");
        http.attempt_chat_message(&message(index)).expect("answers");
    }
    drop(socket);

    for threads in [1, 4] {
        let per_thread = ROUND_TRIPS / threads;
        threaded(threads, per_thread, connect, |socket, index| {
            socket
                .call_attempt_chat_message(&message(index), TIMEOUT)
                .expect("completes");
        })
        .row("glow_client::Socket emit→.completed", threads);
        python_run(&python, &url, threads).row("python-socketio Client emit→.completed", threads);
        threaded(
            threads,
            per_thread,
            || http.clone(),
            |http, index| {
                http.attempt_chat_message(&message(index)).expect("answers");
            },
        )
        .row("glow_client::Http POST", threads);
    }
}
