//! The `glow-codegen` command.

fn main() -> std::process::ExitCode {
    glow_codegen::cli::run()
}
