glow_macros::bindings!("../../../../glow-macros/tests/ui/manifests/dangling.yaml");

fn main() {}
