"""Writing files whole or not at all: content goes into a temp file beside the target, is flushed to
disk, then renamed in (replacing a file this process owns) or linked to a name never used before, so
a reader never sees half a file and a crash leaves no partial one."""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO, Callable

MAX_SUFFIX = 10_000
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)

Fill = Callable[[BinaryIO], object]


def numbered(name: str, n: int) -> str:
    """`name` with `-n` before its extension (n >= 2); n == 1 gives `name` itself."""
    if n <= 1:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return f"{name}-{n}"
    return f"{stem}-{n}.{ext}"


def reserve_file(directory: Path, name: str) -> Path:
    """Create an empty placeholder at the first free `name`, `name-2`, ... and return its path.

    O_EXCL makes the claim atomic, so two writers can never pick the same name.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_SUFFIX):
        path = directory / numbered(name, n)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise OSError(errno.EEXIST, f"{directory}: no free name for {name!r}; clear the folder")


def relative_within(path: str, folder: Path) -> str:
    """`path` relative to `folder` (POSIX form) when it lies inside it, so the folder can be moved; else as given."""
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path


def reserve_dir(parent: Path, name: str) -> Path:
    """Create the first free folder `name`, `name-2`, ... under `parent`."""
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_SUFFIX):
        path = parent / (name if n == 1 else f"{name}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise OSError(errno.EEXIST, f"{parent}: no free folder name for {name!r}; clear the folder")


class TempFile:
    """A hidden temp file in `directory` to write into; `keep_as` or `replace` puts it in place, `discard` drops it."""

    def __init__(self, directory: Path, hint: str = "file") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f".{hint[:40]}.{uuid.uuid4().hex[:8]}.tmp"
        self.handle: BinaryIO = open(self.path, "xb")

    def finish(self) -> None:
        """Flush and close, with the content on disk."""
        if not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()

    def keep_as(self, name: str) -> Path:
        """Link the finished file to the first free `name`, `name-2`, ...; never replaces an existing file."""
        self.finish()
        directory = self.path.parent
        for n in range(1, MAX_SUFFIX):
            final = directory / numbered(name, n)
            try:
                os.link(self.path, final)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in _NO_LINKS:
                    raise
                if not _claim_empty(final):
                    continue
                os.replace(self.path, final)  # no hard links here: replace the placeholder just claimed
                return final
            self.path.unlink(missing_ok=True)
            return final
        raise OSError(errno.EEXIST, f"{directory}: no free name for {name!r}; clear the folder")

    def replace(self, target: Path) -> None:
        """Rename the finished file onto `target`, replacing it (a file this process owns)."""
        self.finish()
        os.replace(self.path, target)

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.path.unlink(missing_ok=True)


def _claim_empty(final: Path) -> bool:
    """Create `final` exclusively (file systems without hard links); False when it exists."""
    try:
        os.close(os.open(final, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        return False
    return True


def _written(directory: Path, name: str, fill: Fill, place: Callable[[TempFile], Path]) -> Path:
    temp = TempFile(directory, name)
    try:
        fill(temp.handle)
        return place(temp)
    except BaseException:
        temp.discard()
        raise


def write_new(directory: Path, name: str, data: bytes | str) -> Path:
    """Write `data` to a new file `name` (or `name-2`, ...) in `directory`; returns its path."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return _written(directory, name, lambda fh: fh.write(payload), lambda temp: temp.keep_as(name))


def copy_new(directory: Path, name: str, source: Path) -> Path:
    """Copy `source` to a new file `name` (or `name-2`, ...) in `directory`, streaming, never whole in memory."""
    with open(source, "rb") as src:
        return _written(directory, name, lambda fh: shutil.copyfileobj(src, fh, 1024 * 1024),
                        lambda temp: temp.keep_as(name))


def replace_file(path: Path, data: bytes | str) -> None:
    """Atomically replace a file this process owns (an index, a store) with new content."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def put(temp: TempFile) -> Path:
        temp.replace(path)
        return path

    _written(path.parent, path.name, lambda fh: fh.write(payload), put)
