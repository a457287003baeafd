//! The fuzz targets' bodies: each takes arbitrary bytes to one reader of outside input and must
//! return, whatever the bytes — a panic is a finding. The libFuzzer binaries in
//! `fuzz_targets/` call them (`cargo +nightly fuzz run <target> --features libfuzzer`), and
//! `tests/smoke.rs` runs them over the seed corpora and their mutations on stable.

/// One fuzz target: its name, its body, and its seed corpora (paths of the repository, folders
/// read recursively).
pub struct Target {
    /// The name, as `cargo fuzz run` knows it.
    pub name: &'static str,
    /// The body.
    pub run: fn(&[u8]),
    /// Where its seeds are.
    pub seeds: &'static [&'static str],
}

/// Every fuzz target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "python_facts",
        run: python_facts,
        seeds: &["tests/server/core", "tests/server-defects/core"],
    },
    Target {
        name: "openapi",
        run: openapi,
        seeds: &["tests/server/openapi.json", "tests/server-defects"],
    },
    Target {
        name: "manifest",
        run: manifest,
        seeds: &["manifests", "tests/generated/manifests"],
    },
    Target {
        name: "server_event",
        run: server_event,
        seeds: &["fuzz/seeds/server_event"],
    },
];

/// Python source → the facts the reader extracts (the parser runs isolated, as in a real read).
pub fn python_facts(data: &[u8]) {
    glow_codegen::fuzzing::python_facts(data);
}

/// An OpenAPI document (JSON or YAML) → its API → emitted Rust.
pub fn openapi(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(output) = glow_codegen::sources::read_openapi_text("fuzz.json", text) else {
        return;
    };
    let _ = glow_codegen::emit::emit(&output.api);
}

/// A manifest → its API → emitted and pretty-printed Rust.
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(api) = glow_codegen::manifest::from_yaml(text, "fuzz.yaml") else {
        return;
    };
    let _ = glow_codegen::render(&api, "fuzz.yaml");
}

/// A push as it arrives (its event name on the first line, its JSON payload after) → the typed
/// `ServerEvent` of the fixture bindings.
pub fn server_event(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (event, payload) = text.split_once('\n').unwrap_or((text, "null"));
    let Ok(payload) = serde_json::from_str(payload) else {
        return;
    };
    if let Ok(event) = glow_generated::cli::ServerEvent::parse(event, payload) {
        let _ = event.name();
    }
}
