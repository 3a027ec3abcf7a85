"""Malformed internal messages: one clear line naming the message/item and the fix, the same from
every conversion; never a traceback from deep inside, never a silent drop."""

from __future__ import annotations

import pytest

from formatter_samples import b64, png_bytes
from massgen.formatter import MessageFormatError, MessageFormatter

CONVERSIONS = {
    "chat": MessageFormatter.to_chat_completions_format,
    "responses": MessageFormatter.to_responses_format,
    "claude": MessageFormatter.to_claude_format,
    "gemini": MessageFormatter.to_gemini_request,
}

CASES = [
    ([{"role": "robot", "content": "x"}],
     "messages[0]: role 'robot' is not one of system, user, assistant, tool; use one of those roles"),
    (["hello"], "messages[0]: is a str, not a dict"),
    ([{"role": "user", "content": 42}], "messages[0].content: is int, not text or a list; give a string or a list of items"),
    ([{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {"url": "u"}}]}],
     "messages[0].content[1]: item type 'image_url' is not one of text, image, audio, video, document; "
     "use the internal item format of docs/CONTRACTS.md, not a provider's"),
    ([{"role": "user", "content": [{"type": "image", "url": "https://x.test/a.png", "path": "/a.png"}]}],
     "messages[0].content[0]: the image item needs exactly one source (found: path, url)"),
    ([{"role": "user", "content": [{"type": "audio"}]}],
     "messages[0].content[0]: the audio item needs exactly one source (found: none)"),
    ([{"role": "user", "content": [{"type": "image", "base64": b64(png_bytes())}]}],
     "messages[0].content[0]: a base64 item has no 'mime_type'"),
    ([{"role": "user", "content": [{"type": "image", "ref": "/tmp/a.png"}]}],
     "messages[0].content[0]: 'ref' is a str, not a MediaRef"),
    ([{"role": "user", "content": [{"type": "text"}]}], "messages[0].content[0]: a text item has no string 'text'"),
    ([{"role": "tool", "content": "r"}], "messages[0]: a tool message has no 'tool_call_id'"),
    ([{"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "name": "f", "arguments": "{oops"}]}],
     "messages[0].tool_calls[0]: 'arguments' is not valid JSON"),
    ([{"role": "assistant", "content": "", "tool_calls": [{"name": "f", "arguments": {}}]}],
     "messages[0].tool_calls[0]: a tool call needs a non-empty 'id' and 'name'"),
]


@pytest.mark.parametrize(("messages", "expected"), CASES)
def test_bad_messages_fail_alike_in_every_format(messages, expected):
    seen = set()
    for name, convert in CONVERSIONS.items():
        with pytest.raises(MessageFormatError) as err:
            convert(messages)
        text = str(err.value)
        assert text.startswith(expected), f"{name}: {text}"
        assert "\n" not in text and isinstance(err.value, ValueError)
        seen.add(text)
    assert len(seen) == 1  # every conversion says the same thing
