glow_macros::bindings!(manifests / glow);

fn main() {}
