use glow_codegen::Builder;
use glow_codegen::builder::BuildError;
use glow_codegen::sources::Sources;

fn main() -> Result<(), BuildError> {
    for (name, spec) in [
        ("github", "../data/github-rest-3.0.json"),
        ("oxide", "../data/oxide-nexus-3.0.json"),
    ] {
        Builder::from_sources(Sources::new().openapi(spec)).generate(name)?;
    }
    Ok(())
}
