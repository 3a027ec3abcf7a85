"""Media items through MediaRef: path items read via MediaRef, one base64 string shared by every
conversion (the same object, not a copy), unreadable files noted, and share_media."""

from __future__ import annotations

import base64

from formatter_samples import b64, png_bytes, write
from massgen.formatter import MessageFormatter, share_media
from massgen.media.ref import MediaRef


def _payloads(messages: list[dict]) -> dict[str, str]:
    """The image payload as each of the four conversions carries it."""
    chat = MessageFormatter.to_chat_completions_format(messages)
    responses = MessageFormatter.to_responses_format(messages)
    claude, _ = MessageFormatter.to_claude_format(messages)
    gemini = MessageFormatter.to_gemini_format(messages)
    return {
        "chat": chat[0]["content"][0]["image_url"]["url"],
        "responses": responses[0]["content"][0]["image_url"],
        "claude": claude[0]["content"][0]["source"]["data"],
        "gemini": gemini[0]["parts"][0]["inline_data"]["data"],
    }


def test_one_ref_one_base64_string_shared_by_every_conversion(tmp_path):
    path = write(tmp_path, "photo.png", png_bytes(noise=20_000))
    ref = MediaRef.from_path(path)
    messages = [{"role": "user", "content": [{"type": "image", "ref": ref}]}]

    first, second = _payloads(messages), _payloads(messages)
    encoded = ref.base64()
    assert base64.b64decode(encoded) == (tmp_path / "photo.png").read_bytes()
    for run in (first, second):
        assert run["claude"] is encoded and run["gemini"] is encoded  # the very same str object
        assert run["chat"] == run["responses"] == "data:image/png;base64," + encoded
        # data URLs are built around the shared text (one joined copy per request), never re-encoded
        assert run["chat"].endswith(encoded) and len(run["chat"]) == len("data:image/png;base64,") + len(encoded)


def test_path_items_are_read_through_media_ref_with_sniffed_types(tmp_path):
    png = png_bytes(color="purple")
    path = write(tmp_path, "shot.png", png)
    messages = [{"role": "user", "content": [{"type": "image", "path": path}]}]
    payloads = _payloads(messages)
    assert payloads["claude"] == b64(png) and payloads["gemini"] == b64(png)
    # Two separate path items for the same unchanged file share the media layer's cached encoding.
    assert _payloads(messages)["claude"] is payloads["claude"]


def test_declared_type_is_corrected_by_sniffing(tmp_path):
    png = b64(png_bytes())
    messages = [{"role": "user", "content": [{"type": "image", "base64": png, "mime_type": "image/jpeg"}]}]
    claude, _ = MessageFormatter.to_claude_format(messages)
    gemini = MessageFormatter.to_gemini_format(messages)
    assert claude[0]["content"][0]["source"]["media_type"] == "image/png"
    assert gemini[0]["parts"][0]["inline_data"]["mime_type"] == "image/png"


def test_unreadable_media_becomes_a_note_in_every_format(tmp_path):
    missing = str(tmp_path / "gone.png")
    empty = write(tmp_path, "empty.png", b"")
    messages = [{"role": "user", "content": [
        {"type": "text", "text": "see"},
        {"type": "image", "path": missing},
        {"type": "image", "path": empty},
        {"type": "image", "base64": "not base64!", "mime_type": "image/png"},
    ]}]
    chat = MessageFormatter.to_chat_completions_format(messages)[0]["content"]
    claude = MessageFormatter.to_claude_format(messages)[0][0]["content"]
    gemini = MessageFormatter.to_gemini_format(messages)[0]["parts"]
    responses = MessageFormatter.to_responses_format(messages)[0]["content"]
    texts = [[p.get("text") for p in parts] for parts in (chat, claude, gemini, responses)]
    for run in texts:
        assert run[0] == "see" and len(run) == 4
        assert run[1].startswith("[image 'gone.png' not sent: ") and "file not found" in run[1]
        assert run[2].startswith("[image 'empty.png' not sent: ") and "empty (0 bytes)" in run[2]
        assert run[3].startswith("[image not sent: ") and "not valid base64" in run[3]
    assert texts[0] == texts[1] == texts[2] == texts[3]


def test_share_media_gives_refs_once_and_leaves_the_input_alone(tmp_path):
    path = write(tmp_path, "a.png", png_bytes(noise=3000))
    data = b64(png_bytes(color="blue"))
    original = [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": [
            {"type": "text", "text": "hi"},
            {"type": "image", "path": path, "filename": "shown.png"},
            {"type": "image", "base64": data, "mime_type": "image/png"},
            {"type": "image", "path": str(tmp_path / "missing.png")},
            {"type": "image", "url": "https://x.test/u.png"},
        ]},
    ]
    shared = share_media(original)
    items = shared[1]["content"]
    assert shared[0] == original[0] and shared[0] is not original[0]
    assert items[0] is original[1]["content"][0] and items[4] is original[1]["content"][4]
    assert isinstance(items[1]["ref"], MediaRef) and "path" not in items[1] and items[1]["filename"] == "shown.png"
    assert isinstance(items[2]["ref"], MediaRef) and "base64" not in items[2] and "mime_type" not in items[2]
    assert items[3] is original[1]["content"][3]  # unreadable: left for the conversions to note
    assert "ref" not in original[1]["content"][1]  # the caller's messages are not changed

    claude_a, _ = MessageFormatter.to_claude_format(shared)
    claude_b, _ = MessageFormatter.to_claude_format(shared)
    gemini = MessageFormatter.to_gemini_format(shared)
    block_a, block_b = claude_a[0]["content"][1], claude_b[0]["content"][1]
    assert block_a["source"]["data"] is block_b["source"]["data"] is gemini[0]["parts"][1]["inline_data"]["data"]
    assert claude_a[0]["content"][2]["source"]["data"] is data
    assert "missing.png' not sent" in claude_a[0]["content"][3]["text"]


def test_base64_items_larger_than_the_sniff_window_are_sent():
    data = b64(png_bytes(noise=30_000))  # well over the 4 KB that is sniffed
    messages = [{"role": "user", "content": [{"type": "image", "base64": data, "mime_type": "image/png"}]}]
    payloads = _payloads(messages)
    assert payloads["claude"] is data and payloads["gemini"] is data
    assert payloads["chat"] == "data:image/png;base64," + data
