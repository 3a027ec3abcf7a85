"""A program in a pseudo-terminal that answers like xterm: for first-frame and memory figures of the real CLI.

The terminal answers the device-attributes query (no Sixel) and the cell-size query, and ignores the
Kitty graphics query, as xterm does; so textual-image's probe costs here what it costs in a real terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path

ANSWERS = {
    b"\x1b[c": b"\x1b[?62;22c",          # DA1: a VT220-class terminal without Sixel
    b"\x1b[16t": b"\x1b[6;20;10t",       # cell size in pixels: 20 high, 10 wide
}


class Terminal:
    """One child process on a pty of `cols`x`rows`; `wait_for(marker)` returns seconds since start."""

    def __init__(self, argv: list[str], cwd: Path, cols: int = 160, rows: int = 48,
                 env: dict[str, str] | None = None) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, cols * 10, rows * 20))
        environment = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", **(env or {}))
        self.started = time.perf_counter()
        self.child = subprocess.Popen(argv, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=environment,
                                      start_new_session=True, close_fds=True)
        os.close(slave)
        self.output = bytearray()
        self.seen: dict[bytes, float] = {}
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            for query, answer in ANSWERS.items():
                if query in data:
                    os.write(self.master, answer)
            with self._changed:
                self.output += data
                self._changed.notify_all()

    def wait_for(self, marker: str, timeout: float = 60.0) -> float:
        """Seconds from start until `marker` first appeared in the output (TimeoutError if it never does)."""
        needle = marker.encode()
        deadline = time.perf_counter() + timeout
        with self._changed:
            while needle not in self.output:
                left = deadline - time.perf_counter()
                if left <= 0 or self.child.poll() is not None:
                    tail = bytes(self.output[-400:]).decode("utf-8", "replace")
                    raise TimeoutError(f"{marker!r} not shown (exit {self.child.poll()}); last output: {tail!r}")
                self._changed.wait(min(left, 0.05))
            return time.perf_counter() - self.started

    def memory_kb(self) -> dict[str, int]:
        """VmRSS and VmHWM of the child, from /proc."""
        fields: dict[str, int] = {}
        for line in Path(f"/proc/{self.child.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
        return fields

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        """Ctrl+Q, then SIGTERM to this child's process group if it does not leave."""
        if self.child.poll() is None:
            self.type("\x11")
            try:
                self.child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.child.pid, signal.SIGTERM)
                self.child.wait(timeout=5)
        os.close(self.master)
