"""massgen.formatter: one internal message format -> Chat Completions, Responses, Claude and Gemini requests."""

from .errors import MessageFormatError
from .message_formatter import MessageFormatter
from .shared import share_media
from .tools import APIS, format_tools

__all__ = ["APIS", "MessageFormatError", "MessageFormatter", "format_tools", "share_media"]
