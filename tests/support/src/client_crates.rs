//! Client crates, written by a test and compiled the way a user's crate is: by Cargo, against
//! the workspace's crates, to see what the compiler tells their author.
//!
//! Every member of a suite is built by one `cargo build --keep-going`, into the workspace's own
//! target directory and with the workspace's profiles, so the dependencies that `cargo test` has
//! just compiled are reused rather than compiled again: a suite costs the compile of its own small
//! crates. The suite's folder (`<target>/tmp/client-crates/<suite>`) persists and files are
//! rewritten only when they change, so an unchanged suite is not rebuilt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// One suite of client crates.
pub struct ClientCrates {
    suite: String,
    root: PathBuf,
    target: PathBuf,
    members: Vec<String>,
}

/// A client crate: its name, its `Cargo.toml` sections after `[package]`, and its files.
pub struct ClientCrate<'a> {
    /// The crate's name, unique within the suite.
    pub name: &'a str,
    /// `[dependencies]` and other sections, as TOML; see [`ClientCrates::path_to`].
    pub manifest: String,
    /// Files by path relative to the crate (`src/lib.rs`, `build.rs`, ...).
    pub files: Vec<(&'a str, String)>,
}

/// What Cargo said of one member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Whether its library was built.
    pub built: bool,
    /// Its compile errors, in the order reported.
    pub errors: Vec<CompileError>,
}

/// A compile error at its primary place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The message's first line.
    pub message: String,
    /// The file, relative to the crate.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// What building a suite gave.
#[derive(Debug, Clone)]
pub struct Outcomes {
    /// Each member's outcome, by name.
    pub members: BTreeMap<String, Outcome>,
    /// Cargo's own output (build-script failures are reported here).
    pub stderr: String,
}

impl ClientCrates {
    /// An empty suite. `target_tmpdir` is the caller's `env!("CARGO_TARGET_TMPDIR")`, which
    /// names the workspace's target directory.
    pub fn new(target_tmpdir: &str, suite: &str) -> Self {
        let tmp = Path::new(target_tmpdir);
        let target = tmp.parent().unwrap_or(tmp).to_path_buf();
        ClientCrates {
            suite: suite.to_owned(),
            root: tmp.join("client-crates").join(suite),
            target,
            members: Vec::new(),
        }
    }

    /// A dependency line naming a workspace crate by path, with `options` after the path:
    /// `glow-client = { path = "...", default-features = false }`.
    pub fn path_to(krate: &str, options: &str) -> String {
        let path = crate::workspace().join(krate);
        let path = path.canonicalize().unwrap_or(path);
        let options = if options.is_empty() {
            String::new()
        } else {
            format!(", {options}")
        };
        format!(
            "{krate} = {{ path = {:?}{options} }}",
            path.display().to_string()
        )
    }

    /// The folder of member `name`.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Writes member `krate` (its files are replaced on every call).
    pub fn add(&mut self, krate: ClientCrate<'_>) {
        let dir = self.dir(krate.name);
        let manifest = format!(
            "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n{}",
            self.package_name(krate.name),
            krate.manifest
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest);
        for (path, text) in &krate.files {
            write_if_changed(&dir.join(path), text);
        }
        self.members.push(krate.name.to_owned());
    }

    /// Builds every member in one Cargo run and returns what happened to each.
    pub fn build(&self) -> Outcomes {
        let members: Vec<String> = self.members.iter().map(|m| format!("{m:?}")).collect();
        let workspace = crate::workspace();
        let root_manifest = std::fs::read_to_string(workspace.join("Cargo.toml"))
            .expect("the workspace's Cargo.toml");
        write_if_changed(
            &self.root.join("Cargo.toml"),
            &format!(
                "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{}",
                members.join(", "),
                profiles(&root_manifest)
            ),
        );
        // The workspace's versions, which Cargo trims to what the suite uses.
        let lock = std::fs::read_to_string(workspace.join("Cargo.lock")).expect("Cargo.lock");
        write_if_changed(&self.root.join("Cargo.lock"), &lock);
        let output = Command::new(env!("CARGO"))
            .args([
                "build",
                "--workspace",
                "--keep-going",
                "--offline",
                "--message-format=json",
            ])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .output()
            .expect("cargo runs");
        let mut outcomes: BTreeMap<String, Outcome> = self
            .members
            .iter()
            .map(|m| (m.clone(), Outcome::default()))
            .collect();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let Some(member) = self.member_of(&message) else {
                continue;
            };
            let outcome = outcomes.entry(member).or_default();
            match message["reason"].as_str() {
                Some("compiler-artifact")
                    if message["target"]["kind"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k == "lib")) =>
                {
                    outcome.built = true;
                }
                Some("compiler-message") if message["message"]["level"] == "error" => {
                    outcome.errors.push(compile_error(&message["message"]));
                }
                _ => {}
            }
        }
        Outcomes {
            members: outcomes,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn package_name(&self, member: &str) -> String {
        format!("client-{}-{member}", self.suite)
    }

    /// The member a Cargo JSON message is about.
    fn member_of(&self, message: &Value) -> Option<String> {
        let id = message["package_id"].as_str()?;
        self.members
            .iter()
            .find(|m| id.contains(&format!("#{}@", self.package_name(m))))
            .cloned()
    }
}

/// The `[profile.*]` sections of a workspace manifest, so that client crates compile their
/// dependencies exactly as the workspace does (and so find them already built).
fn profiles(manifest: &str) -> String {
    let mut out = String::new();
    let mut in_profile = false;
    for line in manifest.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_profile = trimmed.starts_with("[profile.");
        }
        if in_profile && !trimmed.starts_with('#') {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn compile_error(message: &Value) -> CompileError {
    let spans = message["spans"].as_array().cloned().unwrap_or_default();
    let primary = spans
        .iter()
        .find(|span| span["is_primary"] == true)
        .cloned()
        .unwrap_or(Value::Null);
    let number = |value: &Value| value.as_u64().unwrap_or(0) as usize;
    let file = primary["file_name"].as_str().unwrap_or_default();
    CompileError {
        message: message["message"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
        // Spans are relative to the suite's workspace: keep the part inside the crate.
        file: file
            .split_once('/')
            .map_or(file, |(_, rest)| rest)
            .to_owned(),
        line: number(&primary["line_start"]),
        col: number(&primary["column_start"]),
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}
