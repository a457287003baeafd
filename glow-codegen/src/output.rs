//! Writing generated files: atomically (temp file + rename), so a failed run never leaves a
//! half-written file behind.
//!
//! A symbolic link is written through, to its target; a target that is not a regular file (a
//! device, a pipe: `--out /dev/stdout`) is written to directly, never replaced; a rewritten file
//! keeps its permissions. The temporary file sits beside the target, named
//! `.<name>.glow-codegen-tmp<random>`, so that one left by a killed run is recognisable.

use std::io::Write;
use std::path::{Path, PathBuf};

/// How much is gathered before each write to the file.
const BUFFER: usize = 256 * 1024;

/// The suffix every temporary file this module creates carries.
pub const TEMP_SUFFIX: &str = ".glow-codegen-tmp";

/// Writes `contents` to `path` through a temporary file in the same folder, then renames it.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |out| out.write_all(contents))
}

/// Writes what `write` gives to `path` (buffered) through a temporary file in the same folder,
/// then renames it; when `write` fails, the temporary file is removed and `path` is untouched.
/// A device or a pipe is written to directly: what `write` gave before failing has reached it,
/// but nothing still buffered.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let target = resolve_links(path)?;
    let existing = std::fs::metadata(&target).ok();
    if let Some(metadata) = &existing
        && !metadata.is_file()
    {
        if metadata.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!("`{}` is a directory", target.display()),
            ));
        }
        // A device or a pipe: stream to it, leave it in place.
        let sink = std::fs::OpenOptions::new().write(true).open(&target)?;
        let mut sink = std::io::BufWriter::with_capacity(BUFFER, sink);
        if let Err(error) = write(&mut sink) {
            // Dropped unflushed: what is still buffered is not written.
            let _ = sink.into_parts();
            return Err(error);
        }
        return sink.flush();
    }
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    let mut buffered = std::io::BufWriter::with_capacity(BUFFER, file.as_file_mut());
    if let Err(error) = write(&mut buffered) {
        let _ = buffered.into_parts();
        return Err(error);
    }
    buffered.flush()?;
    drop(buffered);
    let permissions = match &existing {
        Some(metadata) => Some(metadata.permissions()),
        None => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        file.as_file().set_permissions(permissions)?;
    }
    file.as_file().sync_all()?;
    file.persist(&target).map_err(|error| error.error)?;
    Ok(())
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

/// Writes `contents` unless `path` already holds exactly that (keeps mtimes stable for builds).
pub fn write_if_changed(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|existing| existing == contents) {
        return Ok(false);
    }
    write_atomic(path, contents)?;
    Ok(true)
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

    #[test]
    fn unchanged_contents_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("g.rs");
        assert!(write_if_changed(&target, b"a").unwrap());
        assert!(!write_if_changed(&target, b"a").unwrap());
        assert!(write_if_changed(&target, b"b").unwrap());
    }
}
