//! Writes the Glow-sized benchmark corpus: `glow-corpus <dir> [scale]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: glow-corpus <dir> [scale]");
        return ExitCode::from(2);
    };
    let scale = match args.next().map(|s| s.parse::<usize>()) {
        None => 1,
        Some(Ok(scale)) if scale > 0 => scale,
        Some(_) => {
            eprintln!("glow-corpus: the scale is a whole number from 1");
            return ExitCode::from(2);
        }
    };
    match glow_test_support::corpus::write(dir.as_ref(), scale) {
        Ok(corpus) => {
            println!(
                "{} handlers, {} models, {} KB of Python in {}; {} routes, {} schemas, {} KB in {}",
                corpus.handlers,
                corpus.models,
                corpus.python_bytes / 1000,
                corpus.ws_tree.display(),
                corpus.routes,
                corpus.schemas,
                corpus.openapi_bytes / 1000,
                corpus.openapi.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("glow-corpus: {error}");
            ExitCode::FAILURE
        }
    }
}
