fn main() -> Result<(), glow_codegen::builder::BuildError> {
    glow_codegen::Builder::from_manifest("../../manifests/glow.yaml").generate("glow")?;
    Ok(())
}
