fn main() {
    glow_codegen::Builder::from_manifest("../../manifests/glow.yaml")
        .generate("glow")
        .expect("bindings");
}
