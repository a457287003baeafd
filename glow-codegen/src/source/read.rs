//! Reading one Python file safely: size and encoding checks, and a parse that can neither
//! overflow the caller's stack nor unwind into it.

use std::path::Path;

use super::facts::{ModuleFacts, SyntaxError};
use super::python::parse_module;
use crate::diagnostic::{Code, Diagnostic, Position};

/// Files larger than this are not parsed: no handler module is this big.
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// Stack for the parser thread: the generated parser recurses deeply on nested input.
const PARSER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Reads and parses `file`; every failure is a diagnostic at `display`.
pub fn read_python(file: &Path, display: &str) -> Result<ModuleFacts, Diagnostic> {
    let bytes = read_bytes(file, display)?;
    parse_bytes(&bytes, display)
}

/// The file's bytes, within [`MAX_SOURCE_BYTES`].
fn read_bytes(file: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    let io_error = |error: std::io::Error| {
        Diagnostic::error(
            Code::IoError,
            display,
            Position::START,
            format!("cannot read the file: {error}"),
        )
    };
    crate::input::read_capped(file, MAX_SOURCE_BYTES)
        .map_err(io_error)?
        .ok_or_else(|| {
            Diagnostic::error(
                Code::LimitExceeded,
                display,
                Position::START,
                format!(
                    "the file is larger than the {MAX_SOURCE_BYTES} bytes read: it is not parsed"
                ),
            )
        })
}

/// A thread with the stack the parser needs, for [`read_python_here`].
pub fn parser_thread() -> std::thread::Builder {
    std::thread::Builder::new()
        .name("python-parser".into())
        .stack_size(PARSER_STACK_BYTES)
}

/// [`read_python`] on the current thread, which must be a [`parser_thread`]: one thread can
/// parse many files without a thread (and its stack) per file; a parser panic is still caught.
pub fn read_python_here(file: &Path, display: &str) -> Result<ModuleFacts, Diagnostic> {
    let bytes = read_bytes(file, display)?;
    let text = decode(&bytes, display)?;
    let outcome = std::panic::catch_unwind(|| parse_module(&text, display));
    parsed(outcome.map_err(|_| ()), display)
}

/// Parses the contents of a Python file; every failure is a diagnostic at `display`.
pub fn parse_bytes(bytes: &[u8], display: &str) -> Result<ModuleFacts, Diagnostic> {
    let text = decode(bytes, display)?;
    parse_isolated(&text, display)
}

/// Decodes UTF-8 (dropping a BOM), reporting where the first invalid byte is.
fn decode(bytes: &[u8], display: &str) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => Ok(text.to_owned()),
        Ok(text) => {
            let offset = text.find('\0').unwrap_or(0);
            Err(Diagnostic::error(
                Code::ParseError,
                display,
                position_of(text, offset),
                "the file contains a NUL byte: it is binary, not Python source",
            ))
        }
        Err(error) => {
            let valid = error.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            Err(Diagnostic::error(
                Code::ParseError,
                display,
                position_of(prefix, valid),
                "the file is not UTF-8 text (binary, or another encoding)",
            ))
        }
    }
}

fn position_of(text: &str, offset: usize) -> Position {
    crate::diagnostic::LineIndex::new(text).position(text, offset)
}

/// Parses on a thread with a large stack; a parser panic becomes a diagnostic.
fn parse_isolated(text: &str, display: &str) -> Result<ModuleFacts, Diagnostic> {
    let outcome = std::thread::scope(|scope| {
        parser_thread()
            .spawn_scoped(scope, || parse_module(text, display))
            .map(|handle| handle.join())
    });
    match outcome {
        Ok(joined) => parsed(joined.map_err(|_| ()), display),
        Err(error) => Err(Diagnostic::error(
            Code::IoError,
            display,
            Position::START,
            format!("cannot start the parser thread: {error}"),
        )),
    }
}

/// The parser's answer as facts or a diagnostic; `Err(())` is a parser panic.
fn parsed(
    outcome: Result<Result<ModuleFacts, SyntaxError>, ()>,
    display: &str,
) -> Result<ModuleFacts, Diagnostic> {
    match outcome {
        Ok(Ok(facts)) => Ok(facts),
        Ok(Err(syntax)) => Err(Diagnostic::error(
            Code::ParseError,
            display,
            syntax.at,
            format!("invalid Python: {}", syntax.message),
        )),
        Err(()) => Err(Diagnostic::error(
            Code::ParseError,
            display,
            Position::START,
            "the Python parser failed on this file",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_file_is_a_parse_error_at_first_bad_byte() {
        let error = decode(b"x = 1\nab\xff\xfe", "bin.py").unwrap_err();
        assert_eq!(error.code, Code::ParseError);
        assert_eq!((error.line, error.col), (2, 3));
    }

    #[test]
    fn nul_byte_is_a_parse_error() {
        let error = decode(b"x\0", "nul.py").unwrap_err();
        assert_eq!(
            (error.code, error.line, error.col),
            (Code::ParseError, 1, 2)
        );
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFx = 1", "bom.py").unwrap(), "x = 1");
    }

    #[test]
    fn deeply_nested_source_does_not_overflow() {
        let source = format!("x = {}{}\n", "(".repeat(5000), ")".repeat(5000));
        // Either outcome is fine; what matters is that it returns.
        let _ = parse_isolated(&source, "deep.py");
        let garbage = "def (((:\n\x0b\tclass ]]]\n".repeat(50);
        let error = parse_isolated(&garbage, "garbage.py").unwrap_err();
        assert_eq!(error.code, Code::ParseError);
        assert_eq!(error.line, 1);
    }
}
