"""MessageFormatter: one internal message format (docs/CONTRACTS.md) -> each provider's request shape.

The names callers have always used (to_<api>_format, format_tools), as static methods; the work is in one
module per API. Each takes `limits` (a BackendLimits, or a backend type
name looked up in massgen.media.limits) so that what a backend does not take becomes a text note;
without it only what the API's shape cannot carry is noted.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from massgen.media.limits import BackendLimits

from .chat_completions import to_chat_completions
from .claude import to_claude
from .gemini import to_gemini, to_gemini_request
from .responses import to_responses
from .shared import share_media
from .tools import format_tools

Messages = Sequence[Mapping[str, Any]]
Limits = BackendLimits | str | None


class MessageFormatter:
    """Converts internal messages and tool definitions for Chat Completions, Responses, Claude and Gemini."""

    @staticmethod
    def to_chat_completions_format(messages: Messages, limits: Limits = None) -> list[dict]:
        """`messages` for chat.completions.create (OpenAI, Grok, Azure, compatible servers)."""
        return to_chat_completions(messages, limits)

    @staticmethod
    def to_responses_format(messages: Messages, limits: Limits = None) -> list[dict]:
        """`input` items for responses.create."""
        return to_responses(messages, limits)

    @staticmethod
    def to_claude_format(messages: Messages, limits: Limits = None) -> tuple[list[dict], str]:
        """(messages, system) for Anthropic messages.create; every system message is kept."""
        return to_claude(messages, limits)

    @staticmethod
    def to_gemini_format(messages: Messages, limits: Limits = None) -> list[dict]:
        """`contents` for google-genai generate_content (system text: see to_gemini_request)."""
        return to_gemini(messages, limits)

    @staticmethod
    def to_gemini_request(messages: Messages, limits: Limits = None) -> tuple[list[dict], str | None]:
        """(contents, system_instruction or None) for google-genai generate_content."""
        return to_gemini_request(messages, limits)

    @staticmethod
    def format_tools(tools: Sequence[Mapping[str, Any]] | None, api: str) -> list[dict]:
        """Tool definitions for api "chat_completions", "responses", "claude" or "gemini"."""
        return format_tools(tools, api)

    @staticmethod
    def share_media(messages: Messages) -> list[dict]:
        """Messages whose path/base64 items carry one MediaRef each, so later conversions share one encoding."""
        return share_media(messages)
