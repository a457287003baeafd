glow_macros::bindings!("../../../../glow-macros/tests/ui/manifests/bad.yaml");

fn main() {}
