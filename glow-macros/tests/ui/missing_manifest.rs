// The path is relative to the crate being compiled; trybuild compiles this file in
// `target/tests/trybuild/glow-macros`, so the manifests are four folders up.
glow_macros::bindings!("no/such/manifest.yaml");

fn main() {}
