"""What a request carried, whatever the provider's shape: for tests and scripts/fake_team.py."""

from __future__ import annotations

import base64
from typing import Any, Iterator


def wire_media(node: Any) -> Iterator[tuple[str, bytes]]:
    """(MIME type, bytes) of every inline file in a request body, whatever the provider's shape."""
    if isinstance(node, dict):
        source = node.get("source")
        if isinstance(source, dict) and source.get("type") == "base64":  # Anthropic
            yield source["media_type"], base64.b64decode(source["data"])
            return
        inline = node.get("inlineData") or node.get("inline_data")  # Gemini
        if isinstance(inline, dict):
            yield inline.get("mimeType") or inline.get("mime_type"), base64.urlsafe_b64decode(inline["data"])
            return
        for value in node.values():
            yield from wire_media(value)
    elif isinstance(node, list):
        for value in node:
            yield from wire_media(value)
    elif isinstance(node, str) and node.startswith("data:") and ";base64," in node:  # OpenAI data URLs
        head, data = node[5:].split(";base64,", 1)
        yield head, base64.b64decode(data)
