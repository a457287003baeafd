//! How fast the sources load (the GitHub and Oxide OpenAPI documents, the fixture server, a
//! generated tree of 1,000 handlers) and how fast the largest manifest becomes Rust (the
//! `bindings!` expansion and the pretty-printed file). Prints each time and its ratio to the
//! bare JSON parse.
//!
//! `cargo bench -p glow-codegen --bench sources`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use glow_codegen::sources::Sources;

/// The median of `runs` timings of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for spec in ["github-rest-3.0.json", "oxide-nexus-3.0.json"] {
        let path = root.join("tests/data").join(spec);
        let text = std::fs::read_to_string(&path).expect("spec");
        let parse = median(15, || {
            black_box(serde_json::from_str::<serde_json::Value>(&text).expect("json"));
        });
        let load = median(15, || {
            black_box(Sources::new().openapi(&path).read().expect("loads"));
        });
        println!(
            "{spec:<24} {:>6} KiB  parse {:>7.1} ms  load {:>7.1} ms  ({:.1}x the JSON parse)",
            text.len() / 1024,
            ms(parse),
            ms(load),
            load.as_secs_f64() / parse.as_secs_f64()
        );
    }

    let github = Sources::new()
        .openapi(root.join("tests/data/github-rest-3.0.json"))
        .read()
        .expect("loads");
    let manifest_dir = tempfile::tempdir().expect("temp dir");
    let manifest_path = manifest_dir.path().join("github.yaml");
    let yaml = glow_codegen::manifest::to_yaml(&github.api).expect("yaml");
    std::fs::write(&manifest_path, &yaml).expect("write");
    let expansion = median(5, || {
        black_box(
            glow_codegen::emit::emit(
                &glow_codegen::manifest::read(&manifest_path, "github.yaml").expect("reads"),
            )
            .expect("expands"),
        );
    });
    let rendered = glow_codegen::render(&github.api, "github.yaml").expect("renders");
    let pretty = median(5, || {
        black_box(glow_codegen::render(&github.api, "github.yaml").expect("renders"));
    });
    println!(
        "GitHub manifest ({} KiB YAML)         bindings! expansion {:>7.1} ms  pretty file {:>7.1} ms  ({} lines, {} fallbacks)",
        yaml.len() / 1024,
        ms(expansion),
        ms(pretty),
        rendered.text.lines().count(),
        rendered.stats.fallbacks.len()
    );

    let fixture = median(15, || {
        black_box(
            Sources::new()
                .ws_tree(root.join("tests/server/core/app/ws"))
                .openapi(root.join("tests/server/openapi.json"))
                .read()
                .expect("fixture"),
        );
    });
    println!(
        "fixture server (ws tree + openapi)       load {:>7.1} ms",
        ms(fixture)
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("core/app/ws");
    write(&dir.path().join("core/app/__init__.py"), "");
    write(
        &dir.path().join("core/app/sockets.py"),
        "import socketio\nsio = socketio.AsyncServer()\n",
    );
    let mut root_init = String::from("from . import (\n");
    for artifact in 0..20 {
        root_init.push_str(&format!("    art{artifact},\n"));
        let mut init = String::from("from . import (\n");
        for op in 0..50 {
            init.push_str(&format!("    op{op},\n"));
            write(
                &ws.join(format!("art{artifact}/op{op}.py")),
                &format!(
                    "from typing import Any\nfrom uuid import UUID\nfrom pydantic import BaseModel, Field\nfrom app.sockets import sio\n\n\nclass Payload{op}(BaseModel):\n    id: UUID\n    name: str | None = Field(None, max_length=80)\n    tags: list[str] = []\n\n\n@sio.on(\"art{artifact}.op{op}\")  # type: ignore\nasync def handle(sid: str, data: dict[str, Any]) -> None:\n    Payload{op}.model_validate(data)\n"
                ),
            );
        }
        init.push_str(")\n");
        write(&ws.join(format!("art{artifact}/__init__.py")), &init);
    }
    root_init.push_str(")\n");
    write(&ws.join("__init__.py"), &root_init);
    let handlers = median(5, || {
        black_box(Sources::new().ws_tree(&ws).read().expect("tree"));
    });
    println!(
        "1,000 handler files                       load {:>7.1} ms  ({:.2} ms per handler)",
        ms(handlers),
        ms(handlers) / 1000.0
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}
