//! Writing generated files: atomically (temp file + rename), so a failed run never leaves a
//! half-written file behind, and not at all when the file already holds exactly what would be
//! written (its time and place stay as they were, so builds that watch it have nothing to redo).
//!
//! A symbolic link is written through, to its target; a target that is not a regular file (a
//! device, a pipe: `--out /dev/stdout`) is written to directly, never replaced; a rewritten file
//! keeps its permissions. The temporary file sits beside the target, named
//! `.<name>.glow-codegen-tmp<random>`, so that one left by a killed run is recognisable.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// How much is gathered before each write to the file.
const BUFFER: usize = 256 * 1024;

/// The suffix every temporary file this module creates carries.
pub const TEMP_SUFFIX: &str = ".glow-codegen-tmp";

/// Writes `contents` to `path` through a temporary file in the same folder, then renames it;
/// `false` when `path` already held exactly `contents` and was left as it is.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    write_atomic_with(path, |out| out.write_all(contents))
}

/// Writes what `write` gives to `path` (buffered) through a temporary file in the same folder,
/// then renames it; when `write` fails, the temporary file is removed and `path` is untouched.
/// While what `write` gives matches the file already there, nothing is written: a file that
/// matches to its end is left as it is (`false`). A device or a pipe is written to directly:
/// what `write` gave before failing has reached it, but nothing still buffered.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<bool> {
    let target = resolve_links(path)?;
    let existing = std::fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(std::fs::Metadata::is_dir) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            format!("`{}` is a directory", target.display()),
        ));
    }
    if existing.as_ref().is_some_and(is_stream) {
        // A device or a pipe: stream to it, leave it in place.
        let sink = std::fs::OpenOptions::new().write(true).open(&target)?;
        let mut sink = BufWriter::with_capacity(BUFFER, sink);
        if let Err(error) = write(&mut sink) {
            // Dropped unflushed: what is still buffered is not written.
            let _ = sink.into_parts();
            return Err(error);
        }
        sink.flush()?;
        return Ok(true);
    }
    let permissions = match &existing {
        Some(metadata) => Some(metadata.permissions()),
        None => new_file_permissions(),
    };
    let mut rewrite = Rewrite {
        old: existing.and_then(|_| Old::open(&target)),
        matched: 0,
        temp: None,
        target: &target,
        failed: false,
    };
    if let Err(error) = write(&mut rewrite) {
        rewrite.abandon();
        return Err(error);
    }
    let Some(temp) = rewrite.finish()? else {
        return Ok(false);
    };
    let file = temp.into_inner().map_err(|error| error.into_error())?;
    if let Some(permissions) = permissions {
        file.as_file().set_permissions(permissions)?;
    }
    file.as_file().sync_all()?;
    file.persist(&target).map_err(|error| error.error)?;
    Ok(true)
}

/// Whether a write to `path` goes straight to what is there — a device or a pipe — rather than
/// replacing it (so what was written cannot be taken back).
#[cfg(feature = "cli")]
pub fn is_written_directly(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| is_stream(&metadata))
}

/// Neither a regular file nor a folder: a device or a pipe.
fn is_stream(metadata: &std::fs::Metadata) -> bool {
    !metadata.is_file() && !metadata.is_dir()
}

/// A rewrite of `target`: while what is written matches the file there, it is only compared;
/// from the first difference it goes to a temporary file beside `target`, which starts with the
/// part that matched, read back from the file there (so an error reading that file fails the
/// write). Once an operation fails, every later one fails too and nothing is put in place.
struct Rewrite<'t> {
    /// The file there, while everything written so far matches it.
    old: Option<Old>,
    /// How many bytes matched.
    matched: u64,
    /// The temporary file, from the first difference.
    temp: Option<BufWriter<NamedTempFile>>,
    target: &'t Path,
    /// An operation has failed.
    failed: bool,
}

/// The file a rewrite compares with, and its length and time when it was opened.
struct Old {
    reader: BufReader<File>,
    stamp: (u64, std::time::SystemTime),
}

impl Old {
    /// `path` opened to be compared with, if it can be read and its time known (else the
    /// rewrite writes everything).
    fn open(path: &Path) -> Option<Old> {
        let file = File::open(path).ok()?;
        let stamp = stamp(&file)?;
        Some(Old {
            reader: BufReader::new(file),
            stamp,
        })
    }
}

/// A file's length and modification time.
fn stamp(file: &File) -> Option<(u64, std::time::SystemTime)> {
    let metadata = file.metadata().ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

impl Rewrite<'_> {
    /// The temporary file, made now if it is not yet, holding what was written.
    fn temp(&mut self) -> std::io::Result<&mut BufWriter<NamedTempFile>> {
        if self.temp.is_none() {
            let mut temp = BufWriter::with_capacity(BUFFER, temp_file_beside(self.target)?);
            if let Some(old) = &mut self.old
                && self.matched > 0
            {
                // The part that matched is read back: it must still be what was compared.
                let target = self.target;
                let changed = || {
                    std::io::Error::other(format!(
                        "`{}` changed while it was being rewritten",
                        target.display()
                    ))
                };
                if stamp(old.reader.get_ref()) != Some(old.stamp) {
                    return Err(changed());
                }
                old.reader.rewind()?;
                let copied = std::io::copy(&mut (&mut old.reader).take(self.matched), &mut temp)?;
                if copied != self.matched {
                    return Err(changed());
                }
            }
            self.old = None;
            self.temp = Some(temp);
        }
        self.temp
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the temporary file was not made"))
    }

    /// Fails once an operation has failed; else does `operation`, noting whether it failed.
    fn guarded<T>(
        &mut self,
        operation: impl FnOnce(&mut Self) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        if self.failed {
            return Err(std::io::Error::other(format!(
                "an earlier write to `{}` failed",
                self.target.display()
            )));
        }
        let result = operation(self);
        self.failed = result.is_err();
        result
    }

    /// The temporary file to put in place, or `None` when the file there matched to its end.
    fn finish(mut self) -> std::io::Result<Option<BufWriter<NamedTempFile>>> {
        let unchanged = self.guarded(|rewrite| match &mut rewrite.old {
            Some(old) => Ok(old.reader.fill_buf()?.is_empty()),
            None => Ok(false),
        })?;
        if unchanged {
            return Ok(None);
        }
        self.guarded(|rewrite| rewrite.temp().map(|_| ()))?;
        Ok(self.temp)
    }

    /// Drops the temporary file, if any, without writing what is still buffered.
    fn abandon(self) {
        if let Some(temp) = self.temp {
            let _ = temp.into_parts();
        }
    }

    /// Compares `buf` with what the file there holds next; `true` when it matches.
    fn matches(&mut self, buf: &[u8]) -> std::io::Result<bool> {
        let Some(old) = &mut self.old else {
            return Ok(false);
        };
        let matches = starts_with(&mut old.reader, buf)?;
        if matches {
            self.matched += buf.len() as u64;
        }
        Ok(matches)
    }
}

impl Write for Rewrite<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.guarded(|rewrite| {
            if rewrite.matches(buf)? {
                return Ok(buf.len());
            }
            rewrite.temp()?.write(buf)
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.guarded(|rewrite| match &mut rewrite.temp {
            Some(temp) => temp.flush(),
            None => Ok(()),
        })
    }
}

/// Whether what `old` reads next is `expected`, reading as far as it matches.
fn starts_with(old: &mut BufReader<File>, mut expected: &[u8]) -> std::io::Result<bool> {
    while !expected.is_empty() {
        let available = old.fill_buf()?;
        if available.is_empty() {
            return Ok(false);
        }
        let length = available.len().min(expected.len());
        if available[..length] != expected[..length] {
            return Ok(false);
        }
        old.consume(length);
        expected = &expected[length..];
    }
    Ok(true)
}

/// A new temporary file in `target`'s folder, named after it.
fn temp_file_beside(target: &Path) -> std::io::Result<NamedTempFile> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

/// `path` with every symbolic link along it followed (a missing target stays as named).
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("`{}`: too many levels of symbolic links", path.display()),
    ))
}

/// `rw-r--r--` for a new file, as one written by hand would usually be (the temporary file
/// itself is private).
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("m.yaml");
        std::fs::write(&target, "old contents that are longer").unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_the_old_file_and_no_temporaries()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("g.rs");
        std::fs::write(&target, "old")?;
        let failed = write_atomic_with(&target, |out| {
            out.write_all(&[b'x'; 3 * BUFFER])?;
            Err(std::io::Error::other("the generator stopped"))
        });
        assert_eq!(
            failed.err().map(|e| e.to_string()).as_deref(),
            Some("the generator stopped")
        );
        assert_eq!(std::fs::read_to_string(&target)?, "old");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        write_atomic_with(&target, |out| {
            out.write_all(b"part one, ")?;
            out.write_all(b"part two")
        })?;
        assert_eq!(std::fs::read_to_string(&target)?, "part one, part two");
        Ok(())
    }

    /// Sets `path`'s modification time to long ago, and returns it.
    fn aged(path: &Path) -> std::io::Result<std::time::SystemTime> {
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 30);
        File::options()
            .write(true)
            .open(path)?
            .set_modified(long_ago)?;
        Ok(long_ago)
    }

    #[test]
    fn a_file_that_already_holds_the_text_is_left_as_it_is()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("g.rs");
        assert!(write_atomic(&target, b"pub struct Persona;\n")?);
        let long_ago = aged(&target)?;
        // The same text, given in other pieces than it was written in.
        let written = write_atomic_with(&target, |out| {
            out.write_all(b"pub str")?;
            out.write_all(b"uct Persona;")?;
            out.write_all(b"\n")
        })?;
        assert!(!written);
        assert_eq!(std::fs::metadata(&target)?.modified()?, long_ago);
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        // Empty text over an empty file.
        let empty = dir.path().join("empty.rs");
        std::fs::write(&empty, "")?;
        assert!(!write_atomic(&empty, b"")?);
        Ok(())
    }

    #[test]
    fn a_file_that_differs_anywhere_is_rewritten_whole() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("g.rs");
        let cases: [(&[&str], &str); 5] = [
            // Longer, in pieces that do not follow the old text's.
            (&["hel", "lo w", "orld!"], "hello world!"),
            // Shorter: the old text goes on past the new one's end.
            (&["hello"], "hello"),
            // Different after a matching start, and at the very start.
            (&["hello", " there"], "hello there"),
            (&["J", "ello world"], "Jello world"),
            (&[], ""),
        ];
        for (pieces, expected) in cases {
            std::fs::write(&target, "hello world")?;
            let written = write_atomic_with(&target, |out| {
                pieces
                    .iter()
                    .try_for_each(|piece| out.write_all(piece.as_bytes()))
            })?;
            assert!(written, "{pieces:?}");
            assert_eq!(std::fs::read_to_string(&target)?, expected, "{pieces:?}");
            assert_eq!(std::fs::read_dir(dir.path())?.count(), 1, "{pieces:?}");
        }
        // A run that fails after matching part of the file, or after a difference, leaves it as
        // it was.
        for pieces in [["hello", ""], ["hello", " there"]] {
            std::fs::write(&target, "hello world")?;
            let failed = write_atomic_with(&target, |out| {
                pieces
                    .iter()
                    .try_for_each(|piece| out.write_all(piece.as_bytes()))?;
                Err(std::io::Error::other("stopped"))
            });
            assert!(failed.is_err(), "{pieces:?}");
            assert_eq!(
                std::fs::read_to_string(&target)?,
                "hello world",
                "{pieces:?}"
            );
            assert_eq!(std::fs::read_dir(dir.path())?.count(), 1, "{pieces:?}");
        }
        Ok(())
    }

    #[test]
    fn a_file_changed_in_place_while_it_is_compared_is_not_pieced_together()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("g.rs");
        std::fs::write(&target, "hello world")?;
        // Aged, so that the rewrite in place below shows in its time.
        aged(&target)?;
        let result = write_atomic_with(&target, |out| {
            out.write_all(b"hello")?;
            // Someone else rewrites it in place, to the same length, before the first difference.
            std::fs::write(&target, "HELLO world")?;
            out.write_all(b" there")
        });
        let message = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("changed while it was being rewritten"),
            "{message}"
        );
        assert_eq!(std::fs::read_to_string(&target)?, "HELLO world");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn after_a_failed_write_every_write_fails_and_nothing_is_put_in_place()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("g.rs");
        std::fs::write(&target, "hello world")?;
        let result = write_atomic_with(&target, |out| {
            out.write_all(b"hello world")?;
            File::options().write(true).open(&target)?.set_len(0)?;
            // A writer that ignores the failure and goes on.
            let first = out.write_all(b"!");
            let later = out.write_all(b"tail");
            assert!(first.is_err() && later.is_err());
            Ok(())
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&target)?, "");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_rewrite_keeps_the_mode_and_a_new_file_is_0644() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("g.rs");
        write_atomic(&target, b"a").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), 0o644);
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&target, b"b").unwrap();
        assert_eq!(mode(&target), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink("real.yaml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_to_not_replaced() {
        write_atomic(Path::new("/dev/null"), b"into the void").unwrap();
        let metadata = std::fs::metadata("/dev/null").unwrap();
        assert!(!metadata.is_file(), "/dev/null is still a device");
    }

    #[test]
    fn missing_folder_is_an_error_not_a_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("absent").join("m.yaml");
        assert!(write_atomic(&target, b"x").is_err());
        assert!(!target.exists());
    }
}
