"""Opening user files safely: the file kind is checked before open (so FIFOs and devices never
block), every failure becomes a MediaError, and every byte read is counted."""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

from .errors import MediaError, display_name

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)

_KIND_PROBLEMS = (
    (stat.S_ISDIR, "is a folder, not a file", "attach a file inside it"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file", "save its content to a regular file and attach that"),
    (stat.S_ISCHR, "is a character device, not a file", "attach a regular file"),
    (stat.S_ISBLK, "is a block device (a whole disk), not a file", "attach a regular file"),
    (stat.S_ISSOCK, "is a socket, not a file", "attach a regular file"),
)


class CountingFileIO(io.FileIO):
    """A raw file whose reads are counted in `bytes_read`, so header-only reading can be proven."""

    bytes_read: int = 0

    def readinto(self, buffer: WriteableBuffer, /) -> int | None:
        n = super().readinto(buffer)
        self.bytes_read += n or 0
        return n

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size) or b""  # None ("would block") never comes from a regular file
        self.bytes_read += len(data)
        return data

    def readall(self) -> bytes:
        data = super().readall()
        self.bytes_read += len(data)
        return data


def normalise_path(path: PathLike) -> str | bytes:
    """The path as str or bytes, with `~` expanded; an empty path is an error."""
    raw = os.fspath(path)
    if not raw:
        raise MediaError("(empty path)", "no file name was given", "give the path of the file to attach")
    return os.path.expanduser(raw)


def check_file(path: PathLike) -> os.stat_result:
    """Stat `path` (following links) and reject anything but a non-empty regular file, before any open."""
    path = normalise_path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise os_error(path, exc) from None
    except ValueError:  # an embedded NUL byte
        raise MediaError(path, "the path contains a NUL character", "check the path") from None
    for test, problem, fix in _KIND_PROBLEMS:
        if test(st.st_mode):
            raise MediaError(path, problem, fix)
    if not stat.S_ISREG(st.st_mode):
        raise MediaError(path, "is not a regular file", "attach a regular file")
    if st.st_size == 0:
        raise MediaError(path, "is empty (0 bytes)", "attach a file that has content")
    return st


def open_file(path: PathLike) -> tuple[CountingFileIO, os.stat_result]:
    """Check, then open read-only and non-blocking; the caller closes the returned raw file."""
    path = normalise_path(path)
    st = check_file(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except PermissionError:
        raise MediaError(path, "cannot be read (permission denied)",
                         "give yourself read access (chmod u+r) or copy the file somewhere readable") from None
    except OSError as exc:
        raise os_error(path, exc) from None
    raw = CountingFileIO(fd, "rb", closefd=True)
    now = os.fstat(fd)
    if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
        raw.close()
        raise MediaError(path, "changed while it was being opened", "try attaching it again")
    return raw, now


@contextmanager
def reading(path: PathLike) -> Iterator[None]:
    """Turn an OSError raised while reading an opened file (EIO on a failing disk) into a MediaError."""
    try:
        yield
    except OSError as exc:
        raise os_error(path, exc) from None


def os_error(path: PathLike, exc: OSError) -> MediaError:
    """Turn an OSError from stat/open/read into a message that names the file and the fix."""
    code = exc.errno
    if code == errno.ENOENT:
        if os.path.islink(path):
            target = display_name(os.readlink(os.fsdecode(path)))
            return MediaError(path, f"is a broken link (it points to {target}, which does not exist)",
                              "attach the file it should point to")
        return MediaError(path, "file not found", "check the path, or drop the file onto the terminal")
    if code == errno.ELOOP:
        return MediaError(path, "is a symbolic link loop (the links point back to each other)",
                          "attach the real file instead of the link")
    if code in (errno.EACCES, errno.EPERM):
        return MediaError(path, "cannot be reached (permission denied on it or a folder in its path)",
                          "fix the permissions or copy the file somewhere readable")
    if code == errno.ENOTDIR:
        return MediaError(path, "a part of the path is a file, not a folder", "check the path")
    if code == errno.ENAMETOOLONG:
        return MediaError(path, "the path is too long", "move the file to a shorter path")
    reason = exc.strerror or errno.errorcode.get(code or 0, "unknown error")
    return MediaError(path, f"cannot be read ({reason})", "copy the file to a local disk and attach the copy")
