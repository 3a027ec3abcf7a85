"""Ask the terminal what images it can show (Kitty, Sixel, half-cell, Unicode) and its cell size, once.

textual-image does this when `textual_image.renderable` is first imported; it must happen before
Textual starts reading the keyboard. The probe mostly waits for the terminal's answers, so the CLI
runs it in a thread while it imports Textual. No Textual import here.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_done = False


def probe() -> None:
    """Measure the cell size and pick the renderer (idempotent, thread-safe)."""
    global _done
    with _lock:
        if _done:
            return
        from textual_image import _terminal

        try:
            _terminal.get_cell_size()
        except ZeroDivisionError:  # textual-image 0.12 divides by a column count that can be 0
            _terminal.get_cell_size._result = _terminal.CellSize(10, 20)  # type: ignore[attr-defined]
        import textual_image.renderable  # noqa: F401  (the import itself queries Sixel and Kitty support)

        _done = True


def probe_in_background() -> threading.Thread:
    """Start the probe in a thread; join it before the app runs."""
    thread = threading.Thread(target=probe, name="terminal-probe", daemon=True)
    thread.start()
    return thread
