//! The `glow-codegen` command.

/// mimalloc (v2, transparent huge pages off, so that a short run's resident memory stays what it
/// uses): the generator allocates and frees millions of small values, a fifth faster than with
/// the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    glow_codegen::cli::run()
}
