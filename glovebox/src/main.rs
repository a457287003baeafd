//! `glovebox`: prompt a Glovebox box from the command line and watch what comes back, one line
//! per frame — the Glovebox twin of `glow-live`, over `glow_client::glovebox`.
//!
//! ```text
//! glovebox --url <ws-url> [--key <key>] prompt <text> [--file NAME=PATH]... [--read NAME=PATH]...
//!          [--resolve RENDERER=JSON]... [--reject RENDERER=MESSAGE]...
//! glovebox --url <ws-url> [--key <key>] environment
//! ```
//!
//! Exit codes: 0 the prompt completed; 1 it failed (its `error` frame, on stderr as
//! `error <code>: <message>`); 2 the box could not be reached or refused the key, or usage.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use glow_client::Error;
use glow_client::glovebox::{DisplayEvent, GloveboxClient, PromptOptions, PromptResult, Update};
use glow_client::serde_json::{self, Value};

/// The endpoint's name inside the client.
const ENDPOINT: &str = "box";

/// Prompt a Glovebox box and watch its frames.
#[derive(Parser, Debug)]
#[command(name = "glovebox", version, max_term_width = 100)]
struct Args {
    /// The box's WebSocket URL, e.g. `ws://127.0.0.1:8080/`.
    #[arg(long)]
    url: String,
    /// The box's key (default: the environment variable `GLOVEBOX_KEY`).
    #[arg(long, env = "GLOVEBOX_KEY", hide_env_values = true)]
    key: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send a prompt; print `event <type>: <data>`, `display push <renderer> <slot>: <input>`,
    /// `display clear <slot>` as frames arrive, then `complete: <message>`.
    Prompt {
        /// The prompt.
        text: String,
        /// A file to send among the prompt's inputs, put through the storage (inline).
        #[arg(long = "file", value_name = "NAME=PATH", value_parser = name_and_path)]
        files: Vec<(String, PathBuf)>,
        /// Writes the output NAME's bytes to PATH once the prompt completes (`server` refs are
        /// fetched with the key).
        #[arg(long = "read", value_name = "NAME=PATH", value_parser = name_and_path)]
        reads: Vec<(String, PathBuf)>,
        /// Answers every display slot of RENDERER with the JSON value.
        #[arg(long = "resolve", value_name = "RENDERER=JSON", value_parser = renderer_and_json)]
        resolves: Vec<(String, Value)>,
        /// Refuses every display slot of RENDERER with the message.
        #[arg(long = "reject", value_name = "RENDERER=MESSAGE", value_parser = renderer_and_text)]
        rejects: Vec<(String, String)>,
    },
    /// Print the box's environment (`GET /environment`) as JSON.
    Environment,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let url = args.url.clone();
    let Some(key) = args.key.clone() else {
        eprintln!("glovebox: no key: pass --key or set GLOVEBOX_KEY");
        return ExitCode::from(2);
    };
    let client = match GloveboxClient::builder()
        .endpoint(ENDPOINT, &url, key)
        .build()
    {
        Ok(client) => client,
        Err(error) => return unreachable_box(&error),
    };
    let code = match &args.command {
        Command::Environment => environment(&client),
        Command::Prompt {
            text,
            files,
            reads,
            resolves,
            rejects,
        } => {
            let answers = Answers {
                resolves: resolves.iter().cloned().collect(),
                rejects: rejects.iter().cloned().collect(),
            };
            prompt(&client, text, files, reads, &answers)
        }
    };
    client.close();
    code
}

/// How to answer display slots, by renderer.
struct Answers {
    resolves: BTreeMap<String, Value>,
    rejects: BTreeMap<String, String>,
}

fn environment(client: &GloveboxClient) -> ExitCode {
    let environment = client
        .glovebox(ENDPOINT)
        .and_then(|glovebox| glovebox.environment());
    match environment {
        Ok(environment) => {
            let text = serde_json::to_string_pretty(&environment).unwrap_or_default();
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => unreachable_box(&error),
    }
}

fn prompt(
    client: &GloveboxClient,
    text: &str,
    files: &[(String, PathBuf)],
    reads: &[(String, PathBuf)],
    answers: &Answers,
) -> ExitCode {
    let mut options = PromptOptions::new();
    for (name, path) in files {
        match std::fs::read(path) {
            Ok(bytes) => options = options.file(name, mime_of(path), bytes),
            Err(error) => {
                eprintln!("glovebox: cannot read `{}`: {error}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let result = match client
        .glovebox(ENDPOINT)
        .and_then(|glovebox| glovebox.prompt(text, options))
    {
        Ok(result) => result,
        Err(error) => return unreachable_box(&error),
    };
    for update in result.updates() {
        print_update(&result, &update, answers);
    }
    match result.message() {
        Ok(message) => {
            println!("complete: {message}");
            for (name, path) in reads {
                let written = result
                    .read(name)
                    .and_then(|bytes| std::fs::write(path, bytes).map_err(Error::transport));
                if let Err(error) = written {
                    eprintln!(
                        "glovebox: cannot read the output `{name}` into `{}`: {error}",
                        path.display()
                    );
                    return ExitCode::from(1);
                }
            }
            ExitCode::SUCCESS
        }
        Err(Error::PromptFailed { code, message }) => {
            eprintln!("error {code}: {message}");
            ExitCode::from(1)
        }
        Err(error) => unreachable_box(&error),
    }
}

/// Prints one frame's line, answering a display slot when told how.
fn print_update(result: &PromptResult, update: &Update, answers: &Answers) {
    match update {
        Update::Event(event) => println!("event {}: {}", event.event_type, compact(&event.data)),
        Update::Display(DisplayEvent::Push(slot)) => {
            println!(
                "display push {} {}: {}",
                slot.renderer,
                slot.id,
                compact(&slot.input)
            );
            if let Some(value) = answers.resolves.get(&slot.renderer) {
                result.resolve(&slot.id, value.clone());
            } else if let Some(message) = answers.rejects.get(&slot.renderer) {
                result.reject(&slot.id, message);
            }
        }
        Update::Display(DisplayEvent::Clear { slot_id }) => println!("display clear {slot_id}"),
    }
}

/// Says why the box could not be used (a refused key as `unauthorized`) and exits 2.
fn unreachable_box(error: &Error) -> ExitCode {
    match error {
        Error::Unauthorized { at, .. } => eprintln!("glovebox: unauthorized: {at} refused the key"),
        other => eprintln!("glovebox: {other}"),
    }
    ExitCode::from(2)
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A media type from a file's extension, for the prompt's inputs.
fn mime_of(path: &std::path::Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("txt" | "md" | "csv") => "text/plain",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("pdf") => "application/pdf",
        Some("mp4") => "video/mp4",
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        _ => "application/octet-stream",
    }
}

fn split_pair(text: &str, what: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, rest)) if !name.is_empty() => Ok((name.to_owned(), rest.to_owned())),
        _ => Err(format!("expected {what}")),
    }
}

fn name_and_path(text: &str) -> Result<(String, PathBuf), String> {
    split_pair(text, "NAME=PATH").map(|(name, path)| (name, PathBuf::from(path)))
}

fn renderer_and_json(text: &str) -> Result<(String, Value), String> {
    let (renderer, json) = split_pair(text, "RENDERER=JSON")?;
    let value =
        serde_json::from_str(&json).map_err(|error| format!("`{json}` is not JSON: {error}"))?;
    Ok((renderer, value))
}

fn renderer_and_text(text: &str) -> Result<(String, String), String> {
    split_pair(text, "RENDERER=MESSAGE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Args::command().debug_assert();
        let args = Args::try_parse_from([
            "glovebox",
            "--url",
            "ws://h/",
            "--key",
            "k",
            "prompt",
            "hi",
            "--resolve",
            "r={\"a\": 1}",
        ])
        .unwrap();
        let Command::Prompt { resolves, .. } = args.command else {
            panic!()
        };
        assert_eq!(resolves, [("r".to_owned(), serde_json::json!({"a": 1}))]);
        assert!(
            Args::try_parse_from([
                "glovebox", "--url", "ws://h/", "prompt", "hi", "--file", "nopath"
            ])
            .is_err()
        );
    }
}
