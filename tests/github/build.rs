use glow_codegen::Builder;
use glow_codegen::source::Sources;

fn main() {
    let spec = "../../../shared/specs/github-rest-3.0.json";
    Builder::from_sources(Sources::new().openapi(spec))
        .generate("github")
        .expect("GitHub's description generates");
}
