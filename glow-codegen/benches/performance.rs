//! What the generator costs, whole process (the release `glow-codegen` binary: wall time and peak
//! resident memory, median of several runs), for the rows the README records — the GitHub and
//! Oxide documents, a Glow-sized handler tree and OpenAPI 3.1 document written by
//! `glow_test_support::corpus` — and how each grows: the tree, the document, its manifest and a
//! stale `check` at 1×, 2×, 4× and 16×, and long chains of types and of `$ref`s.
//!
//! `cargo bench -p glow-codegen --bench performance` (peak memory needs GNU `time` at
//! `/usr/bin/time`; without it the column reads 0).
//!
//! `GLOW_BENCH_COMPARE` names another generator to time on the same OpenAPI documents, with
//! `{spec}` and `{out}` standing for the document and a scratch output path, e.g.
//! `GLOW_BENCH_COMPARE='python3 gen.py {spec} {out}'` (a team's own script) or
//! `GLOW_BENCH_COMPARE='cargo-progenitor --input {spec} --output {out} --name x --version 0.1.0'`;
//! each such row then prints its time and the ratio.
//! `GLOW_BENCH_QUICK=1` runs each row once and leaves out the 16× rows.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use glow_test_support::corpus;

/// The release binary cargo built for this bench.
const BINARY: &str = env!("CARGO_BIN_EXE_glow-codegen");

/// One whole-process run: wall time and peak resident memory.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    peak_kib: u64,
    /// The exit code.
    code: i32,
}

/// Runs `program args` to its end; `None` when it cannot start or is killed. The peak memory is
/// read by GNU `time` (`/usr/bin/time -f %M`), whose own small process forks the program: a
/// child forked from this bench would count the bench's own memory as its peak.
fn run_once(program: &str, args: &[&str], cwd: &Path) -> Option<Run> {
    let report = tempfile::NamedTempFile::new().ok()?;
    let timed = Path::new(TIME).exists();
    let mut command = if timed {
        let mut command = Command::new(TIME);
        command
            .args(["-f", "%M", "-o"])
            .arg(report.path())
            .arg(program);
        command
    } else {
        Command::new(program)
    };
    let start = Instant::now();
    let status = command
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let wall = start.elapsed();
    let peak_kib = std::fs::read_to_string(report.path())
        .ok()
        .and_then(|text| text.lines().last()?.trim().parse().ok())
        .unwrap_or(0);
    Some(Run {
        wall,
        peak_kib,
        code: status.code()?,
    })
}

/// GNU time, which reports a command's peak resident memory.
const TIME: &str = "/usr/bin/time";

/// The median run of `times` (by wall time), with the largest peak seen; `None` when a run
/// fails. `glow-codegen check` exits 1 when the manifest is stale: that is its answer, not a
/// failure, so exit codes 0 and 1 count for this project's binary.
fn measure(times: usize, program: &str, args: &[&str], cwd: &Path) -> Option<Run> {
    let ok: &[i32] = if program == BINARY { &[0, 1] } else { &[0] };
    let mut runs: Vec<Run> = (0..times)
        .map(|_| run_once(program, args, cwd).filter(|run| ok.contains(&run.code)))
        .collect::<Option<_>>()?;
    let peak_kib = runs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    runs.sort_by_key(|r| r.wall);
    Some(Run {
        peak_kib,
        ..runs[runs.len() / 2]
    })
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

struct Bench {
    times: usize,
    compare: Option<String>,
    scratch: tempfile::TempDir,
}

impl Bench {
    fn glow(&self, args: &[&str]) -> Option<Run> {
        measure(self.times, BINARY, args, self.scratch.path())
    }

    /// The comparison generator on `spec`, when one is named.
    fn compare(&self, spec: &Path) -> Option<Run> {
        let template = self.compare.as_ref()?;
        let out = self.scratch.path().join("compare.out");
        let command = template
            .replace("{spec}", &spec.display().to_string())
            .replace("{out}", &out.display().to_string());
        measure(self.times, "sh", &["-c", &command], self.scratch.path())
    }

    /// A document → manifest → Rust row, whole process, with the comparison where there is one.
    fn spec_row(&self, label: &str, spec: &Path) {
        let manifest = self.scratch.path().join("spec.yaml");
        let rust = self.scratch.path().join("spec.rs");
        let spec_text = spec.display().to_string();
        let made = self.glow(&[
            "manifest",
            "--openapi",
            &spec_text,
            "--out",
            &path(&manifest),
        ]);
        let generated = self.glow(&[
            "generate",
            "--manifest",
            &path(&manifest),
            "--out",
            &path(&rust),
        ]);
        let one_process = self.glow(&[
            "manifest",
            "--openapi",
            &spec_text,
            "--out",
            &path(&manifest),
            "--rust",
            &path(&rust),
        ]);
        let (Some(made), Some(generated), Some(one_process)) = (made, generated, one_process)
        else {
            println!("| {label} | failed | | | | |");
            return;
        };
        let bytes = std::fs::metadata(spec).map_or(0, |m| m.len());
        let total = made.wall + generated.wall;
        let peak = made.peak_kib.max(generated.peak_kib);
        let mut row = format!(
            "| {label} | {:.1} MB | {:.0} + {:.0} = **{:.0} ms** | **{:.0} ms**, {:.0} MiB | {:.0} MiB ({:.1} B/B) |",
            bytes as f64 / 1e6,
            ms(made.wall),
            ms(generated.wall),
            ms(total),
            ms(one_process.wall),
            mib(one_process.peak_kib),
            mib(peak),
            peak as f64 * 1024.0 / bytes.max(1) as f64
        );
        match self.compare(spec) {
            Some(other) => {
                let _ = write!(
                    row,
                    " {:.0} ms ({:.2}× ours) |",
                    ms(other.wall),
                    other.wall.as_secs_f64() / total.as_secs_f64()
                );
            }
            None if self.compare.is_some() => row.push_str(" failed |"),
            None => row.push_str(" — |"),
        }
        println!("{row}");
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let quick = std::env::var_os("GLOW_BENCH_QUICK").is_some();
    let bench = Bench {
        times: if quick { 1 } else { 5 },
        compare: std::env::var("GLOW_BENCH_COMPARE")
            .ok()
            .filter(|c| !c.is_empty()),
        scratch: tempfile::tempdir().expect("a scratch folder"),
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "glow-codegen performance — release binary, {cores} cores, median of {} runs\n",
        bench.times
    );

    let corpora: Vec<(usize, corpus::Corpus)> = [1, 2, 4, 16]
        .into_iter()
        .filter(|scale| !(quick && *scale == 16))
        .map(|scale| {
            let dir = bench.scratch.path().join(format!("corpus{scale}"));
            (scale, corpus::write(&dir, scale).expect("corpus written"))
        })
        .collect();
    let glow = &corpora[0].1;

    println!(
        "| work | input | manifest + generate | `manifest --rust` (one process) | peak memory of the two (per input byte) | comparison |"
    );
    println!("|---|---|---|---|---|---|");
    bench.spec_row(
        "GitHub REST (3.0)",
        &workspace.join("tests/data/github-rest-3.0.json"),
    );
    bench.spec_row(
        &format!(
            "Glow-sized spec (3.1: {} routes, {} schemas)",
            glow.routes, glow.schemas
        ),
        &glow.openapi,
    );
    bench.spec_row(
        "Oxide Nexus (3.0)",
        &workspace.join("tests/data/oxide-nexus-3.0.json"),
    );
    let tree = bench.glow(&[
        "manifest",
        "--ws-tree",
        &path(&glow.ws_tree),
        "--out",
        "tree.yaml",
    ]);
    if let Some(tree) = tree {
        println!(
            "| Glow-sized tree ({} handlers, {} models) → manifest | {} KB of Python | **{:.0} ms** | | {:.0} MiB | — |",
            glow.handlers,
            glow.models,
            glow.python_bytes / 1000,
            ms(tree.wall),
            mib(tree.peak_kib)
        );
    }
    let both = bench.glow(&[
        "manifest",
        "--ws-tree",
        &path(&glow.ws_tree),
        "--openapi",
        &path(&glow.openapi),
        "--out",
        "both.yaml",
    ]);
    if let Some(both) = both {
        println!(
            "| Glow-sized tree + spec → one manifest | {} KB + {} KB | **{:.0} ms** | | {:.0} MiB | — |",
            glow.python_bytes / 1000,
            glow.openapi_bytes / 1000,
            ms(both.wall),
            mib(both.peak_kib)
        );
    }
    expansion_row(&workspace, &bench);
    builder_rows(&workspace, &bench);

    println!("\nScaling (whole process, ms; the ratio is to the 1× row)\n");
    println!("| input | 1× | 2× | 4× | 16× |");
    println!("|---|---|---|---|---|");
    let mut rows: Vec<(&str, Vec<Option<Run>>)> = vec![
        ("tree → manifest", Vec::new()),
        ("spec → manifest", Vec::new()),
        ("manifest → Rust", Vec::new()),
        ("stale `check` (tree + spec)", Vec::new()),
        ("spec → manifest + Rust, one process", Vec::new()),
    ];
    for (scale, corpus) in &corpora {
        let tree = path(&corpus.ws_tree);
        let spec = path(&corpus.openapi);
        let manifest = format!("spec{scale}.yaml");
        rows[0]
            .1
            .push(bench.glow(&["manifest", "--ws-tree", &tree, "--out", "t.yaml"]));
        rows[1]
            .1
            .push(bench.glow(&["manifest", "--openapi", &spec, "--out", &manifest]));
        rows[2]
            .1
            .push(bench.glow(&["generate", "--manifest", &manifest, "--out", "s.rs"]));
        // A manifest from the spec alone is stale against tree + spec: every operation differs.
        rows[3].1.push(bench.glow(&[
            "check",
            "--ws-tree",
            &tree,
            "--openapi",
            &spec,
            "--manifest",
            &manifest,
        ]));
        rows[4].1.push(bench.glow(&[
            "manifest",
            "--openapi",
            &spec,
            "--out",
            "one.yaml",
            "--rust",
            "one.rs",
        ]));
    }
    for (label, runs) in &rows {
        print_scaling(label, runs);
    }
    if let Some((scale, corpus)) = corpora.last() {
        let bytes = corpus.openapi_bytes as f64;
        let per_byte = |run: Option<&Run>| {
            run.map_or("failed".to_owned(), |run| {
                let peak = run.peak_kib as f64 * 1024.0;
                format!("{:.0} MiB ({:.1} B/B)", mib(run.peak_kib), peak / bytes)
            })
        };
        let at = |row: usize| rows[row].1.last().and_then(Option::as_ref);
        println!(
            "\nPeak memory at {scale}× (spec {:.1} MB): spec → manifest {}; manifest → Rust {}; one process {}",
            bytes / 1e6,
            per_byte(at(1)),
            per_byte(at(2)),
            per_byte(at(4)),
        );
    }

    let chains = if quick {
        vec![1250, 2500, 5000]
    } else {
        vec![1250, 2500, 5000, 20000]
    };
    println!("\nChains (whole process, ms)\n");
    println!(
        "| chain | {} |",
        chains
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}", "---|".repeat(chains.len()));
    let mut types = Vec::new();
    let mut refs = Vec::new();
    for &n in &chains {
        let manifest = bench.scratch.path().join(format!("chain{n}.yaml"));
        std::fs::write(&manifest, type_chain(n)).expect("chain manifest");
        types.push(measure(
            1,
            BINARY,
            &[
                "generate",
                "--manifest",
                &path(&manifest),
                "--out",
                "chain.rs",
            ],
            bench.scratch.path(),
        ));
        let spec = bench.scratch.path().join(format!("refs{n}.json"));
        std::fs::write(&spec, ref_chain(n)).expect("ref chain");
        refs.push(measure(
            1,
            BINARY,
            &["manifest", "--openapi", &path(&spec), "--out", "refs.yaml"],
            bench.scratch.path(),
        ));
    }
    for (label, runs) in [("types → Rust", &types), ("`$ref` → manifest", &refs)] {
        let cells: Vec<String> = runs
            .iter()
            .map(|run| run.map_or("failed".to_owned(), |r| format!("{:.0}", ms(r.wall))))
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
}

/// The `bindings!` expansion of the largest manifest, in process: reading it and emitting its
/// tokens (what the proc-macro does, without the compiler around it).
fn expansion_row(workspace: &Path, bench: &Bench) {
    let manifest = bench.scratch.path().join("github.yaml");
    let made = run_once(
        BINARY,
        &[
            "manifest",
            "--openapi",
            &path(&workspace.join("tests/data/github-rest-3.0.json")),
            "--out",
            &path(&manifest),
        ],
        bench.scratch.path(),
    );
    if made.is_none() {
        return;
    }
    let mut times: Vec<Duration> = (0..bench.times)
        .map(|_| {
            let start = Instant::now();
            let api = glow_codegen::manifest::read(&manifest, "github.yaml").expect("reads");
            std::hint::black_box(glow_codegen::emit::emit(&api).expect("emits"));
            start.elapsed()
        })
        .collect();
    times.sort();
    let size = std::fs::metadata(&manifest).map_or(0, |m| m.len());
    println!(
        "| `bindings!` expansion of the GitHub manifest (in process) | {:.1} MB of YAML | **{:.0} ms** | — | — |",
        size as f64 / 1e6,
        ms(times[times.len() / 2])
    );
}

/// The build.rs door on the GitHub document, in process: sources to the written file.
fn builder_rows(workspace: &Path, bench: &Bench) {
    let spec = workspace.join("tests/data/github-rest-3.0.json");
    let mut times: Vec<Duration> = (0..bench.times)
        .map(|_| {
            let start = Instant::now();
            glow_codegen::Builder::from_sources(glow_codegen::Sources::new().openapi(&spec))
                .out_dir(bench.scratch.path())
                .emit_rerun_if_changed(false)
                .cargo_warnings(false)
                .generate("github")
                .expect("generates");
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "| build.rs door, GitHub document → `$OUT_DIR` file (in process) | 3.7 MB | **{:.0} ms** | — | — |",
        ms(times[times.len() / 2])
    );
}

fn print_scaling(label: &str, runs: &[Option<Run>]) {
    let base = runs.first().copied().flatten();
    let cells: Vec<String> = runs
        .iter()
        .map(|run| match (run, base) {
            (Some(run), Some(base)) => format!(
                "{:.0} ({:.1}×)",
                ms(run.wall),
                run.wall.as_secs_f64() / base.wall.as_secs_f64()
            ),
            _ => "failed".to_owned(),
        })
        .collect();
    println!("| {label} | {} |", cells.join(" | "));
}

/// A manifest of `n` object types, each holding the next.
fn type_chain(n: usize) -> String {
    let mut text = String::from("manifest_version: 1\noperations: []\ntypes:\n");
    for i in 0..n {
        let _ = writeln!(text, "  T{i}:\n    type: object\n    properties:");
        if i + 1 < n {
            let _ = writeln!(text, "      next: {{$ref: '#/types/T{}'}}", i + 1);
        }
        let _ = writeln!(text, "      name: {{type: string}}");
    }
    text
}

/// An OpenAPI document whose one body is the head of `n` components, each a `$ref` to the next.
fn ref_chain(n: usize) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..n {
        let schema = if i + 1 < n {
            serde_json::json!({"$ref": format!("#/components/schemas/A{}", i + 1)})
        } else {
            serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}})
        };
        schemas.insert(format!("A{i}"), schema);
    }
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "chain", "version": "1"},
        "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A0"}}}},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": schemas}
    })
    .to_string()
}
