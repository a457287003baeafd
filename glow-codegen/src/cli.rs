//! The `glow-codegen` command line: a thin door onto [`crate::sources`], [`crate::manifest`],
//! [`crate::drift`] and [`crate::render()`]. Exit codes: 0 ok, 1 the check failed, 2 usage or
//! I/O error.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::{Code, Diagnostic, Position, Severity, has_errors};
use crate::drift::DRIFT_CODES;
use crate::drift::policy::{Judged, Policy, Ruling};
use crate::emit::Stats;
use crate::filter::OperationFilter;
use crate::input::InputKind;
use crate::render::{RenderError, Renderer, filtered};
use crate::sources::{Layout, SourceOutput, Sources};
use crate::{manifest, output, stale};

/// Typed Rust bindings from a python-socketio server's own tree.
#[derive(Debug, Parser)]
#[command(name = "glow-codegen", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How to print diagnostics: `human` (path:line:col on stderr) or `json` (one object per line on stdout).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read the sources and write the manifest (YAML to stdout without --out).
    Manifest {
        #[command(flatten)]
        sources: SourceArgs,
        /// Write the manifest here (atomically) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also write the manifest's Rust here (atomically): what `generate --manifest <out>`
        /// writes, made in the same run without reading the manifest back.
        #[arg(long, value_name = "FILE", requires = "out")]
        rust: Option<PathBuf>,
    },
    /// Pair socket operations with HTTP routes; fail (exit 1) when they drift apart.
    Drift {
        #[command(flatten)]
        sources: SourceArgs,
        /// The drift policy (`glow-drift.yaml`): one-sided operations, known payload differences,
        /// and the codes that fail the run. Without it every drift finding fails.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// List every finding, declared ones included (by default at most 10 per code, and
        /// declared findings only counted).
        #[arg(long)]
        all: bool,
    },
    /// Generate Rust from a manifest (to stdout without --out).
    Generate {
        /// The manifest.
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// Write the code here (atomically; a file already holding it is left as it is) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Generate only the operations this glob matches (by name or event, e.g. `persona.*`),
        /// with the types they reach; repeat for more. Every pattern must match.
        #[arg(long = "only", value_name = "PATTERN")]
        only: Vec<String>,
    },
    /// Fail (exit 1, with a diff) when the checked-in manifest differs from the sources.
    Check {
        #[command(flatten)]
        sources: SourceArgs,
        /// The checked-in manifest.
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
    },
}

#[derive(Debug, Args)]
#[group(id = "source", required = true, multiple = true, args = ["ws_tree", "openapi"])]
struct SourceArgs {
    /// The python-socketio handler tree, e.g. `core/app/ws`.
    #[arg(long, value_name = "DIR")]
    ws_tree: Option<PathBuf>,
    /// The server's OpenAPI document (3.0 or 3.1, JSON or YAML).
    #[arg(long, value_name = "FILE")]
    openapi: Option<PathBuf>,
    /// The import root for `from app... import X` (default: walk up from the ws tree while folders hold `__init__.py`).
    #[arg(long, value_name = "DIR")]
    python_path: Option<PathBuf>,
    /// How handler files are laid out: `glow` (`<artifact>/<op>.py`, names checked against
    /// places) or `flat` (any layout, operations named by the events they register).
    #[arg(long, value_enum, default_value = "glow")]
    layout: LayoutArg,
}

/// `--layout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    /// `<artifact>/<op>.py` registering `<artifact>.<op>`.
    Glow,
    /// Any layout.
    Flat,
}

impl From<LayoutArg> for Layout {
    fn from(layout: LayoutArg) -> Layout {
        match layout {
            LayoutArg::Glow => Layout::Glow,
            LayoutArg::Flat => Layout::Flat,
        }
    }
}

impl SourceArgs {
    fn sources(&self) -> Sources {
        Sources {
            ws_tree: self.ws_tree.clone(),
            python_path: self.python_path.clone(),
            openapi: self.openapi.clone(),
            layout: self.layout.into(),
        }
    }
}

/// An error and its causes on one line, each cause once: errors that quote their cause in
/// their own message are not followed by it again.
fn error_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = cause.to_string();
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match execute(&cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("glow-codegen: error: {}", error_text(&error));
            ExitCode::from(2)
        }
    }
}

/// Writes `bytes` to `out` atomically, or to stdout without it.
fn write_or_print(out: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    write_or_stream(out, |sink| sink.write_all(bytes))
}

/// Writes what `write` gives to `out` atomically, or to stdout without it.
fn write_or_stream(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match out {
        Some(path) => output::write_atomic_with(path, write)
            .map(|_| ())
            .with_context(|| format!("cannot write `{}`", path.display())),
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut stdout)
                .and_then(|()| stdout.flush())
                .context("cannot write to stdout")
        }
    }
}

/// What generated code holds, on stderr (human format only).
fn report_rendered(format: Format, operations: usize, stats: &Stats) {
    if format != Format::Human {
        return;
    }
    eprintln!(
        "glow-codegen: {} operations, {} definitions, {} fallback(s) to serde_json::Value",
        operations,
        stats.definitions,
        stats.fallbacks.len()
    );
    for fallback in &stats.fallbacks {
        eprintln!("  fallback: {fallback}");
    }
}

/// The code of `api` written to `target` as it is made, and kept only if `keep` says so once
/// it is written; its operations and how its schemas mapped.
fn write_code(
    api: &crate::model::Api,
    label: &str,
    target: &Path,
    keep: impl FnOnce() -> bool,
) -> anyhow::Result<(usize, Stats)> {
    let renderer = Renderer::new(api, label)?;
    // A device or a pipe cannot take back what it was given: it is asked first.
    let direct = output::is_written_directly(target);
    let mut keep = Some(keep);
    let mut kept = || keep.take().is_some_and(|keep| keep());
    if direct && !kept() {
        anyhow::bail!("the code was not written to `{}`", target.display());
    }
    output::write_atomic_with(target, |sink| {
        renderer.write(sink)?;
        if direct || kept() {
            Ok(())
        } else {
            Err(std::io::Error::other(
                "the manifest it names was not written",
            ))
        }
    })
    .with_context(|| format!("cannot write `{}`", target.display()))?;
    Ok((renderer.operations(), renderer.stats()))
}

/// Runs one command; `Ok(false)` when the check failed.
fn execute(cli: &Cli) -> anyhow::Result<bool> {
    match &cli.command {
        Command::Manifest { sources, out, rust } => {
            if cli.format == Format::Json && out.is_none() {
                anyhow::bail!(
                    "--format json prints diagnostics on stdout: pass --out FILE for the manifest"
                );
            }
            let read = sources.sources().read()?;
            // `--rust` requires `--out`: the code's header names the manifest it belongs to.
            let label = out.as_ref().map(|path| path.display().to_string());
            // The manifest is written (and its text freed) on a thread of its own while the
            // code is written; the code is kept only if the manifest it names was written.
            let (written, code) = std::thread::scope(|scope| {
                let manifest = scope.spawn(|| -> anyhow::Result<()> {
                    let yaml = manifest::to_yaml(&read.api)?;
                    write_or_print(out.as_deref(), yaml.as_bytes())
                });
                let join = |manifest: std::thread::ScopedJoinHandle<'_, anyhow::Result<()>>| {
                    manifest.join().unwrap_or_else(|_| {
                        Err(anyhow::anyhow!("writing the manifest stopped unexpectedly"))
                    })
                };
                let mut manifest = Some(manifest);
                let mut written = None;
                let code = rust.as_ref().zip(label.as_deref()).map(|(target, label)| {
                    write_code(&read.api, label, target, || {
                        let result = manifest.take().map_or(Ok(()), join);
                        let kept = result.is_ok();
                        written = Some(result);
                        kept
                    })
                });
                let written = written.unwrap_or_else(|| manifest.map_or(Ok(()), join));
                (written, code)
            });
            written?;
            let code = code.map_or(Ok(()), |code| {
                let (operations, stats) = code?;
                report_rendered(cli.format, operations, &stats);
                anyhow::Ok(())
            });
            // The sources' diagnostics come first: they say why the code could not be made.
            report(cli.format, &read.diagnostics)?;
            code?;
            let fine = !has_errors(&read.diagnostics);
            exiting_with(read.api);
            Ok(fine)
        }
        Command::Drift {
            sources,
            policy,
            all,
        } => {
            if sources.ws_tree.is_none() || sources.openapi.is_none() {
                anyhow::bail!("drift compares the two sides: pass both --ws-tree and --openapi");
            }
            let with_policy = policy.is_some();
            let policy = match policy {
                Some(path) => Policy::read(path, &path.display().to_string())?,
                None => Policy::default(),
            };
            let read = sources.sources().read()?;
            let paired = read
                .api
                .operations
                .iter()
                .filter(|o| o.event.is_some() && o.http.is_some())
                .count();
            let judged = policy.judge(read.diagnostics);
            let failing = judged.iter().filter(|j| j.ruling == Ruling::Fails).count();
            match cli.format {
                Format::Json => {
                    let mut out = std::io::stdout().lock();
                    for judged in &judged {
                        writeln!(out, "{}", judged_json(judged))?;
                    }
                }
                Format::Human => report_drift(&judged, paired, failing, *all, with_policy)?,
            }
            Ok(failing == 0)
        }
        Command::Generate {
            manifest: path,
            out,
            only,
        } => {
            let shown = path.display().to_string();
            let filter = (!only.is_empty())
                .then(|| OperationFilter::new(only))
                .transpose()?;
            let api = manifest::read(path, &shown).map_err(RenderError::from)?;
            let part = filtered(&api, &shown, filter.as_ref())?;
            let renderer = Renderer::new(&part, &shown)?;
            write_or_stream(out.as_deref(), |sink| renderer.write(sink))?;
            report_rendered(cli.format, renderer.operations(), &renderer.stats());
            drop(renderer);
            exiting_with(part);
            exiting_with(api);
            Ok(true)
        }
        Command::Check {
            sources,
            manifest: path,
        } => {
            let checked_in =
                crate::input::read_text(path, &path.display().to_string(), InputKind::Manifest)?;
            let SourceOutput {
                api,
                mut diagnostics,
                ..
            } = sources.sources().read()?;
            let fresh = manifest::to_yaml(&api)?;
            let shown = path.display().to_string();
            let staleness = stale::compare(&shown, &checked_in, &fresh);
            if let Some(staleness) = &staleness {
                if cli.format == Format::Human {
                    std::io::stdout().write_all(staleness.diff.as_bytes())?;
                }
                diagnostics.push(Diagnostic::error(
                    Code::StaleManifest,
                    shown.clone(),
                    Position::new(staleness.first_line, 1),
                    match cli.format {
                        Format::Human => "the manifest differs from the sources (diff above); regenerate it with `glow-codegen manifest --out`".to_owned(),
                        Format::Json => format!("the manifest differs from the sources:\n{}", staleness.diff),
                    },
                ));
            }
            report(cli.format, &diagnostics)?;
            if staleness.is_none() && cli.format == Format::Human {
                eprintln!(
                    "glow-codegen: `{shown}` is up to date ({} operations, {} types)",
                    api.operations.len(),
                    api.types.len()
                );
            }
            Ok(staleness.is_none() && !has_errors(&diagnostics))
        }
    }
}

/// How many findings of one code `drift` lists without `--all`.
const SHOWN_PER_CODE: usize = 10;

/// Prints what `drift` found on stderr: at most [`SHOWN_PER_CODE`] findings of each code
/// (every one with `all`), declared findings only counted (listed with `all`), then a summary.
fn report_drift(
    judged: &[Judged],
    paired: usize,
    failing: usize,
    all: bool,
    with_policy: bool,
) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    let mut shown: BTreeMap<Code, usize> = BTreeMap::new();
    let mut hidden = 0;
    for judged in judged {
        let declared = match &judged.ruling {
            Ruling::Declared { path, at } => Some(format!("{path}:{}:{}", at.line, at.col)),
            _ => None,
        };
        if !all {
            let count = shown.entry(judged.diagnostic.code).or_default();
            if declared.is_some() {
                continue;
            }
            if *count == SHOWN_PER_CODE {
                hidden += 1;
                continue;
            }
            *count += 1;
        }
        match declared {
            Some(place) => writeln!(err, "{} [declared at {place}]", judged.diagnostic)?,
            None => writeln!(err, "{}", judged.diagnostic)?,
        }
    }
    if hidden > 0 {
        writeln!(
            err,
            "glow-codegen: {hidden} more finding(s) not listed; pass --all to list every one"
        )?;
    }
    let mut drift: BTreeMap<Code, (usize, usize)> = BTreeMap::new();
    for judged in judged
        .iter()
        .filter(|j| DRIFT_CODES.contains(&j.diagnostic.code))
    {
        let (count, declared) = drift.entry(judged.diagnostic.code).or_default();
        *count += 1;
        if matches!(judged.ruling, Ruling::Declared { .. }) {
            *declared += 1;
        }
    }
    let total: usize = drift.values().map(|(count, _)| count).sum();
    let by_code: Vec<String> = drift
        .iter()
        .map(|(code, (count, declared))| match declared {
            0 => format!("{count} {code}"),
            declared => format!("{count} {code} ({declared} declared)"),
        })
        .collect();
    let by_code = if by_code.is_empty() {
        String::new()
    } else {
        format!(": {}", by_code.join(", "))
    };
    writeln!(
        err,
        "glow-codegen: {paired} operation(s) paired, {total} drift finding(s){by_code}"
    )?;
    match failing {
        0 => writeln!(err, "glow-codegen: nothing fails the run")?,
        failing if with_policy => {
            writeln!(err, "glow-codegen: {failing} finding(s) fail the run")?;
        }
        failing => writeln!(
            err,
            "glow-codegen: {failing} finding(s) fail the run; declare what is intended in a drift policy (--policy glow-drift.yaml)"
        )?,
    }
    Ok(())
}

/// A judged diagnostic as one JSON object: the diagnostic's keys, `ruling` (`fails`,
/// `reported` or `declared`) and, for a declared one, `declared_at` (`path:line:col`).
fn judged_json(judged: &Judged) -> serde_json::Value {
    let mut value = judged.diagnostic.to_json_value();
    if let Some(object) = value.as_object_mut() {
        let ruling = match &judged.ruling {
            Ruling::Fails => "fails",
            Ruling::Reported => "reported",
            Ruling::Declared { path, at } => {
                object.insert(
                    "declared_at".to_owned(),
                    format!("{path}:{}:{}", at.line, at.col).into(),
                );
                "declared"
            }
        };
        object.insert("ruling".to_owned(), ruling.into());
    }
    value
}

/// Prints diagnostics: human lines and a count on stderr, or JSON lines on stdout.
fn report(format: Format, diagnostics: &[Diagnostic]) -> anyhow::Result<()> {
    match format {
        Format::Human => {
            let mut err = std::io::stderr().lock();
            for diagnostic in diagnostics {
                writeln!(err, "{}", diagnostic.to_human())?;
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            if !diagnostics.is_empty() {
                writeln!(
                    err,
                    "glow-codegen: {errors} error(s), {warnings} warning(s)"
                )?;
            }
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for diagnostic in diagnostics {
                writeln!(out, "{}", diagnostic.to_json())?;
            }
        }
    }
    Ok(())
}

/// Leaves a large value to the operating system: the process is about to exit, and freeing an
/// API's hundreds of thousands of allocations one by one costs more than a tenth of a run.
fn exiting_with<T>(value: T) {
    std::mem::forget(value);
}
