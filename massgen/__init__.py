"""massgen: the core of massgen-tui (chunks, media, formatting, backends, team); no UI imports."""

__version__ = "0.1.0"
