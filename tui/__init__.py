"""tui: the massgen-tui Textual application."""
