//! Open handles on the directories a run writes into, so no path is resolved twice and no
//! symbolic link is ever followed below the checkout.
//!
//! Each level under the root is opened from the level above it with `O_NOFOLLOW`, and every
//! file is created, linked, renamed and removed relative to its directory's handle
//! (`openat`, `linkat`, `renameat`, `unlinkat`). A link planted at any level after the scan is refused when the
//! level is opened, and one planted later cannot redirect a handle already open. Resolving
//! each file's full path instead cost about ten `statx` calls per file, most of a fresh
//! crate's system time (BENCHMARKS.md, "Generation, whole process").
//!
//! New files get mode `0o666` and new directories `0o777`, both less the umask, as `std::fs`
//! and `git checkout` give them.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
use rustix::io::Errno;

use super::WriteError;

/// Suffix of the temporary file each write goes through before it is renamed into place.
const TEMP_SUFFIX: &str = ".tmp-codegen";

/// Temporary names tried per file before giving up (earlier ones are taken: a planted file
/// or link, or a run that was killed before its rename).
const TEMP_ATTEMPTS: usize = 16;

/// Handles on the root and on the directories opened or created under it, by relative path.
pub(super) struct Dirs {
    root: PathBuf,
    handles: BTreeMap<PathBuf, OwnedFd>,
}

impl Dirs {
    /// Opens `root` itself (the checkout; links above it are the user's business).
    pub(super) fn open(root: &Path) -> Result<Dirs, WriteError> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let handle =
            rustix::fs::openat(CWD, root, flags, Mode::empty()).map_err(|e| io(root, e))?;
        Ok(Dirs {
            root: root.to_path_buf(),
            handles: BTreeMap::from([(PathBuf::new(), handle)]),
        })
    }

    /// The handle on `relative` (a directory under the root), opening each missing level
    /// without following links and, when `create`, creating levels that are not there.
    /// `None` when a level is missing and `create` is false.
    pub(super) fn get(
        &mut self,
        relative: &Path,
        create: bool,
    ) -> Result<Option<&OwnedFd>, WriteError> {
        // Most files share a directory with the file before them: one lookup, no walk.
        if self.handles.contains_key(relative) {
            return Ok(self.handles.get(relative));
        }
        let mut at = PathBuf::new();
        for part in relative.components() {
            let Component::Normal(name) = part else {
                return Err(WriteError::Outside(relative.to_path_buf()));
            };
            let child = at.join(name);
            if !self.handles.contains_key(&child) {
                let parent = &self.handles[&at];
                match self.open_child(parent, name, &child, create)? {
                    Some(handle) => self.handles.insert(child.clone(), handle),
                    None => return Ok(None),
                };
            }
            at = child;
        }
        Ok(self.handles.get(&at))
    }

    fn open_child(
        &self,
        parent: &OwnedFd,
        name: &OsStr,
        child: &Path,
        create: bool,
    ) -> Result<Option<OwnedFd>, WriteError> {
        match rustix::fs::openat(parent, name, dir_flags(), Mode::empty()) {
            Ok(handle) => Ok(Some(handle)),
            Err(Errno::NOENT) if create => {
                match rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => return Err(io(&self.root.join(child), e)),
                }
                rustix::fs::openat(parent, name, dir_flags(), Mode::empty())
                    .map(Some)
                    .map_err(|e| self.refusal(parent, name, child, e))
            }
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(self.refusal(parent, name, child, e)),
        }
    }

    /// Why a level could not be opened: a link (reported as one), or the error itself.
    fn refusal(&self, parent: &OwnedFd, name: &OsStr, child: &Path, e: Errno) -> WriteError {
        let is_link = rustix::fs::statat(parent, name, AtFlags::SYMLINK_NOFOLLOW)
            .is_ok_and(|stat| FileType::from_raw_mode(stat.st_mode) == FileType::Symlink);
        if is_link {
            WriteError::Symlinks(vec![self.root.join(child)])
        } else {
            io(&self.root.join(child), e)
        }
    }
    /// Writes `contents` as the file `relative` atomically, in its directory (opened by
    /// [`Dirs::get`] before). `full` names the file in errors.
    ///
    /// On Linux the contents go into an unnamed file (`O_TMPFILE`), which is then linked
    /// under its name: one directory operation per new file instead of a create and a
    /// rename, which two threads writing into one directory wait on each other for (half
    /// the time of 500 new files, BENCHMARKS.md "Generation, fifth round"). A file that
    /// exists already is replaced through a temporary name, as everywhere else: a fresh
    /// temporary file (created with `O_EXCL`, so nothing already at that name, link or not,
    /// is opened), renamed over the file.
    pub(super) fn write_file(
        &self,
        relative: &Path,
        full: &Path,
        contents: &str,
    ) -> Result<(), WriteError> {
        let (dir, name) = self.opened(relative)?;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if unnamed::write(dir, name, full, contents)? {
            return Ok(());
        }
        let (temp, handle) = create_temp(dir, name, full)?;
        let mut file = std::fs::File::from(handle);
        let written = file
            .write_all(contents.as_bytes())
            .map_err(|e| WriteError::Io(full.to_path_buf(), e));
        drop(file);
        let renamed = written.and_then(|()| {
            rustix::fs::renameat(dir, temp.as_os_str(), dir, name).map_err(|e| io(full, e))
        });
        if renamed.is_err() {
            // Best effort: the error that matters is the one returned.
            let _ = rustix::fs::unlinkat(dir, temp.as_os_str(), AtFlags::empty());
        }
        renamed
    }

    /// Removes the file `relative` (never a directory, never through a link); a file whose
    /// directory is gone is already removed.
    pub(super) fn remove_file(&mut self, relative: &Path, full: &Path) -> Result<(), WriteError> {
        let name = file_name(relative)?;
        match self.get(parent(relative), false)? {
            Some(dir) => rustix::fs::unlinkat(dir, name, AtFlags::empty()).map_err(|e| io(full, e)),
            None => Ok(()),
        }
    }

    /// Removes the directory `relative` if it is empty (and forgets its handle); whether it did.
    pub(super) fn remove_if_empty(&mut self, relative: &Path) -> Result<bool, WriteError> {
        let name = file_name(relative)?;
        let Some(dir) = self.get(parent(relative), false)? else {
            return Ok(false);
        };
        let removed = rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR).is_ok();
        if removed {
            self.handles.remove(relative);
        }
        Ok(removed)
    }

    /// The already opened directory of `relative`, and its file name.
    fn opened<'a>(&self, relative: &'a Path) -> Result<(&OwnedFd, &'a OsStr), WriteError> {
        let dir = self.handles.get(parent(relative)).ok_or_else(|| {
            WriteError::Io(
                self.root.join(relative),
                std::io::Error::other("its directory was not opened before the write"),
            )
        })?;
        Ok((dir, file_name(relative)?))
    }
}

/// The directory `path` lies in (the root for a bare file name).
pub(super) fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}

fn file_name(path: &Path) -> Result<&OsStr, WriteError> {
    path.file_name()
        .ok_or_else(|| WriteError::Outside(path.to_path_buf()))
}

/// Creates the first free temporary name for `name` in `dir`: `.NAME.tmp-codegen`, then
/// `.NAME.1.tmp-codegen`, and so on.
fn create_temp(
    dir: &OwnedFd,
    name: &OsStr,
    full: &Path,
) -> Result<(std::ffi::OsString, OwnedFd), WriteError> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    for attempt in 0..TEMP_ATTEMPTS {
        let mut temp = std::ffi::OsString::from(".");
        temp.push(name);
        if attempt > 0 {
            temp.push(format!(".{attempt}"));
        }
        temp.push(TEMP_SUFFIX);
        match rustix::fs::openat(dir, temp.as_os_str(), flags, Mode::from_raw_mode(0o666)) {
            Ok(handle) => return Ok((temp, handle)),
            Err(Errno::EXIST) => continue,
            Err(e) => return Err(io(full, e)),
        }
    }
    Err(WriteError::Io(
        full.to_path_buf(),
        std::io::Error::other(format!(
            "{TEMP_ATTEMPTS} temporary names beside it are taken (`.NAME.tmp-codegen` files); \
             remove them and run again"
        )),
    ))
}

/// New files written through an unnamed file (`O_TMPFILE`), linked in once complete.
#[cfg(any(target_os = "linux", target_os = "android"))]
mod unnamed {
    use std::ffi::OsStr;
    use std::io::Write;
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags};
    use rustix::io::Errno;

    use super::{WriteError, io};

    /// Writes `contents` as the new file `name` in `dir`; `false` when the caller must
    /// write it another way: the file exists (it is replaced by a rename), or the file
    /// system or kernel has no unnamed files, or there is no `/proc` to link one from.
    ///
    /// The link goes through `/proc/self/fd/N`, the process's own handle on the unnamed
    /// file (`linkat` with `AT_EMPTY_PATH` needs a capability); the new name is created
    /// with `linkat`, which never follows a link already at that name but fails instead.
    pub(super) fn write(
        dir: &OwnedFd,
        name: &OsStr,
        full: &Path,
        contents: &str,
    ) -> Result<bool, WriteError> {
        let flags = OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC;
        let handle = match rustix::fs::openat(dir, ".", flags, Mode::from_raw_mode(0o666)) {
            Ok(handle) => handle,
            Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL | Errno::NOENT) => {
                return Ok(false);
            }
            Err(e) => return Err(io(full, e)),
        };
        let proc_path = format!("/proc/self/fd/{}", handle.as_raw_fd());
        let mut file = std::fs::File::from(handle);
        file.write_all(contents.as_bytes())
            .map_err(|e| WriteError::Io(full.to_path_buf(), e))?;
        match rustix::fs::linkat(CWD, proc_path.as_str(), dir, name, AtFlags::SYMLINK_FOLLOW) {
            Ok(()) => Ok(true),
            Err(Errno::EXIST | Errno::NOENT) => Ok(false),
            Err(e) => Err(io(full, e)),
        }
    }
}

fn dir_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

fn io(path: &Path, e: Errno) -> WriteError {
    WriteError::Io(path.to_path_buf(), e.into())
}
