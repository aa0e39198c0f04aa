//! Opening files the generator does not trust: spec files and whatever sits in an output tree.
//!
//! Both trees can hold planted entries. A FIFO blocks a plain `open`, a device
//! such as `/dev/zero` reports length 0 and never ends, and a symbolic link
//! makes a read or write land somewhere else. So files are opened without
//! blocking and without following a final symbolic link, must turn out to be
//! regular files, and are read through a bounded reader.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a file was not opened.
#[derive(Debug)]
pub enum OpenError {
    /// The path is a symbolic link.
    Symlink,
    /// The path is a directory, FIFO, socket or device; the text names which.
    NotRegular(&'static str),
    /// The file system failed.
    Io(std::io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Symlink => f.write_str("it is a symbolic link"),
            OpenError::NotRegular(kind) => write!(f, "it is a {kind}, not a regular file"),
            OpenError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Opens `path` for reading if it is a regular file, never following a final
/// symbolic link and never waiting on a FIFO.
pub fn open_regular(path: &Path) -> Result<File, OpenError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // With `O_NOFOLLOW` a link fails as `ELOOP`; say what it is instead.
        Err(_) if is_symlink(path) => return Err(OpenError::Symlink),
        Err(e) => return Err(OpenError::Io(e)),
    };
    let kind = file.metadata().map_err(OpenError::Io)?.file_type();
    if kind.is_file() {
        Ok(file)
    } else {
        Err(OpenError::NotRegular(describe(kind)))
    }
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What kind of non-regular file `kind` is, in words.
pub fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_socket() {
            return "socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "device";
        }
    }
    if kind.is_dir() {
        "directory"
    } else if kind.is_symlink() {
        "symbolic link"
    } else if kind.is_file() {
        "regular file"
    } else {
        "special file"
    }
}

/// Reads at most `limit` bytes; `Ok(None)` when the file holds more.
///
/// The buffer starts at the length the file reports (bounded by `limit`), so a file is
/// read in one call and a probe rather than in doubling steps from 32 bytes (seven
/// calls for a 1.5 KiB action file); the length is only a hint, the bound is `take`'s.
pub fn read_at_most(file: &File, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// `a.cmp(b)`, the order of paths component by component, computed on the bytes when
/// both are plain relative paths (no empty or `.` component, as every generated path is):
/// a separator then sorts before every other byte, which is that order. Sorting a crate's
/// few hundred paths with `Path::cmp` walked their components on every comparison.
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (x, y) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    if !(plain_relative(x) && plain_relative(y)) {
        return a.cmp(b);
    }
    let key = |byte: &u8| {
        if *byte == b'/' {
            0
        } else {
            u16::from(*byte) + 1
        }
    };
    x.iter().map(key).cmp(y.iter().map(key))
}

/// Whether `path` is relative, with no empty and no `.` component.
fn plain_relative(path: &[u8]) -> bool {
    path.split(|b| *b == b'/')
        .all(|part| !part.is_empty() && part != b".")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn path_order_is_the_order_of_components() {
        let paths = [
            "a",
            "a.rs",
            "a/b",
            "a/b.rs",
            "a-b",
            "a/.b",
            "ab/c",
            "a/b/c",
            "./a",
            "a//b",
            "/a",
            "a/./b",
            "",
            "b/",
            "src/operation.rs",
            "src/operation/mod.rs",
        ];
        for x in paths {
            for y in paths {
                let (x, y) = (Path::new(x), Path::new(y));
                assert_eq!(path_order(x, y), x.cmp(y), "{x:?} {y:?}");
            }
        }
    }

    #[test]
    fn a_fifo_a_device_and_a_symlink_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: `c_path` is a valid NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            open_regular(&fifo),
            Err(OpenError::NotRegular("FIFO"))
        ));
        assert!(matches!(
            open_regular(Path::new("/dev/zero")),
            Err(OpenError::NotRegular("device"))
        ));
        let link = dir.path().join("link");
        std::fs::write(dir.path().join("target"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("target"), &link).unwrap();
        assert!(matches!(open_regular(&link), Err(OpenError::Symlink)));
    }

    #[test]
    fn reading_stops_after_the_limit() {
        let file = File::open("/dev/zero").unwrap();
        assert_eq!(read_at_most(&file, 16).unwrap(), None);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "abc").unwrap();
        let file = File::open(dir.path().join("f")).unwrap();
        assert_eq!(read_at_most(&file, 3).unwrap(), Some(b"abc".to_vec()));
    }
}
