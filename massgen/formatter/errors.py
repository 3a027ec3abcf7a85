"""The formatter's one error type: malformed internal messages or tools, named by position with the fix."""

from __future__ import annotations

from massgen.errors import MassGenError


class MessageFormatError(MassGenError, ValueError):
    """A message, item or tool definition that no provider format can be built from."""

    def __init__(self, where: str, problem: str, fix: str) -> None:
        self.where = where
        super().__init__(f"{where}: {problem}; {fix}")
