"""Atomic, never-overwriting file writes: claim a free name, write a temp file, os.replace it in."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Callable, BinaryIO

from .names import reserve_file


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def _write_via_temp(path: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Write `path` through a temp file in the same folder, so readers never see half a file."""
    tmp = _temp_beside(path)
    try:
        with open(tmp, "xb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_new(directory: Path, name: str, data: bytes | str) -> Path:
    """Write `data` to a new file `name` (or `name-2`, ...) in `directory`; returns its path."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    path = reserve_file(directory, name)
    try:
        _write_via_temp(path, lambda fh: fh.write(payload))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def copy_new(directory: Path, name: str, source: Path) -> Path:
    """Copy `source` to a new file `name` (or `name-2`, ...) in `directory`, streaming, never whole in memory."""
    path = reserve_file(directory, name)
    try:
        with open(source, "rb") as src:
            _write_via_temp(path, lambda fh: shutil.copyfileobj(src, fh, 1024 * 1024))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def replace_file(path: Path, data: bytes | str) -> None:
    """Atomically replace a file this session owns (the media index) with new content."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    _write_via_temp(path, lambda fh: fh.write(payload))
