//! `glow-live <chat_id> [--persona <id>] --url <base> [--token <jwt>]`: a live chat over the
//! socket. Prints every push as `<event>: <compact json>`, sends each stdin line as the typed
//! `attempt.chat_message`, and stops on EOF, `:quit` or `:q`.

/// The bindings `glow-codegen generate` wrote for the fixture manifest.
mod api {
    include!("../../generated/glow.rs");
}

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use api::{SocketApi, types};
use clap::Parser;
use glow_client::Socket;
use glow_client::uuid::Uuid;

/// How long each turn of the loop waits for pushes.
const DRAIN: Duration = Duration::from_millis(50);
/// After the input ends, how long a quiet spell ends the session.
const QUIET: Duration = Duration::from_secs(1);
/// How long a lost connection is given to come back.
const RECONNECT: Duration = Duration::from_secs(5);

/// A live chat over the Glow socket.
#[derive(Parser, Debug)]
#[command(name = "glow-live", version)]
struct Args {
    /// The chat to talk in.
    chat_id: Uuid,
    /// The persona to talk to.
    #[arg(long)]
    persona: Option<Uuid>,
    /// The server's base URL, e.g. `http://127.0.0.1:8000`.
    #[arg(long)]
    url: String,
    /// The bearer token (default: the environment variable `GLOW_TOKEN`).
    #[arg(long, env = "GLOW_TOKEN", hide_env_values = true)]
    token: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("glow-live: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), glow_client::Error> {
    let socket = Socket::builder(&args.url)
        .bearer(&args.token)
        .reconnect_window(RECONNECT)
        .connect()?;
    let lines = stdin_lines();
    let mut input_ended: Option<Instant> = None;
    loop {
        let printed = drain(&socket)?;
        if let Some(ended) = &mut input_ended {
            if printed {
                *ended = Instant::now();
            } else if ended.elapsed() >= QUIET {
                return Ok(());
            }
            continue;
        }
        match lines.try_recv() {
            Ok(line) => match line.trim() {
                ":quit" | ":q" => return Ok(()),
                "" => {}
                text => socket.attempt_chat_message(&types::ChatMessagePayload {
                    persona_id: args.persona,
                    ..types::ChatMessagePayload::new(args.chat_id, text.to_owned())
                })?,
            },
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => input_ended = Some(Instant::now()),
        }
    }
}

/// Prints the pushes that arrive within one drain window; whether there were any.
fn drain(socket: &Socket) -> Result<bool, glow_client::Error> {
    let until = Instant::now() + DRAIN;
    let mut printed = false;
    while let Some(push) = socket.next_push(until.saturating_duration_since(Instant::now()))? {
        println!("{}: {}", push.event, push.payload);
        printed = true;
    }
    Ok(printed)
}

/// Stdin's lines, read on a thread of their own so that pushes print while waiting for input.
fn stdin_lines() -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}
