"""massgen.session: one folder per session with a replayable transcript, answers, media and continuations."""

from .names import safe_filename, safe_stem
from .protocol import RunSession
from .replay import TranscriptError, replay
from .writer import DEFAULT_ROOT, Session, SessionError

__all__ = ["DEFAULT_ROOT", "RunSession", "Session", "SessionError", "TranscriptError", "replay",
           "safe_filename", "safe_stem"]
