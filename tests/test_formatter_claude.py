"""MessageFormatter.to_claude_format: blocks and sources, every system message kept, turns merged with
tool results first, notes and limits, and the SDK's own request types."""

from __future__ import annotations

from anthropic.types import MessageParam

from formatter_samples import b64, bmp_bytes, every_item_conversation, pdf_bytes, png_bytes, write
from massgen.formatter import MessageFormatter
from massgen.media.limits import limits_for
from sdk_shapes import shape_errors


def _assert_sdk_shapes(messages: list[dict]) -> None:
    for i, message in enumerate(messages):
        assert shape_errors(message, MessageParam, f"messages[{i}]") == []
    roles = [m["role"] for m in messages]
    assert all(a != b for a, b in zip(roles, roles[1:])), f"turns must alternate: {roles}"


def test_every_item_type_and_tool_round_trip(tmp_path):
    conversation = every_item_conversation(tmp_path)
    messages, system = MessageFormatter.to_claude_format(conversation)
    _assert_sdk_shapes(messages)

    assert system == "You are agent A.\n\nAnswer briefly."
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    text, path_img, url_img, b64_img, audio, video, pdf = messages[0]["content"]
    assert text == {"type": "text", "text": "Look at these."}
    png_b64 = b64((tmp_path / "cat.png").read_bytes())
    assert path_img == {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png_b64}}
    assert url_img == {"type": "image", "source": {"type": "url", "url": "https://example.com/dog.jpg"}}
    assert b64_img["source"]["data"] is conversation[2]["content"][3]["base64"]  # shared, not copied
    assert audio == {"type": "text", "text": "[audio 'hello.wav' not sent: Claude has no audio input]"}
    assert video == {"type": "text", "text": "[video 'clip.mp4' not sent: Claude has no video input]"}
    assert pdf == {"type": "document", "title": "report.pdf", "source": {
        "type": "base64", "media_type": "application/pdf", "data": conversation[2]["content"][6]["base64"]}}

    assert messages[1]["content"] == [
        {"type": "text", "text": "I will measure it."},
        {"type": "tool_use", "id": "call_1", "name": "measure", "input": {"what": "cat", "precise": True}},
    ]
    assert messages[2]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_1", "content": "42 cm"},
        {"type": "text", "text": "Thanks."},
    ]


def test_several_system_messages_are_all_kept_in_order():
    messages = [
        {"role": "system", "content": "S1"},
        {"role": "user", "content": "hi"},
        {"role": "system", "content": [{"type": "text", "text": "S2"}, {"type": "image", "url": "https://x.test/logo.png"}]},
        {"role": "system", "content": "S3"},
    ]
    out, system = MessageFormatter.to_claude_format(messages)
    assert system == "S1\n\nS2\n[image 'logo.png' not sent: Claude takes image input only in tool results and user messages]\n\nS3"
    assert out == [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]


def test_same_role_turns_merge_with_tool_results_first():
    messages = [
        {"role": "user", "content": "first"},
        {"role": "user", "content": "second"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "a", "name": "f", "arguments": {}}, {"id": "b", "name": "g", "arguments": {"x": 1}}]},
        {"role": "user", "content": "an aside"},
        {"role": "tool", "tool_call_id": "a", "content": "ra"},
        {"role": "tool", "tool_call_id": "b", "content": ""},
    ]
    out, system = MessageFormatter.to_claude_format(messages)
    _assert_sdk_shapes(out)
    assert system == ""
    assert out[0]["content"] == [{"type": "text", "text": "first"}, {"type": "text", "text": "second"}]
    assert [b["type"] for b in out[1]["content"]] == ["tool_use", "tool_use"]
    assert out[2]["content"] == [
        {"type": "tool_result", "tool_use_id": "a", "content": "ra"},
        {"type": "tool_result", "tool_use_id": "b"},
        {"type": "text", "text": "an aside"},
    ]


def test_sources_by_file_id_and_url_and_refused_types(tmp_path):
    bmp_path = write(tmp_path, "scan.bmp", bmp_bytes())
    messages = [{"role": "user", "content": [
        {"type": "image", "file_id": "file_011"},
        {"type": "document", "file_id": "file_012"},
        {"type": "document", "url": "https://example.com/paper.pdf"},
        {"type": "image", "path": bmp_path},
    ]}]
    out, _ = MessageFormatter.to_claude_format(messages)
    _assert_sdk_shapes(out)
    image_id, doc_id, doc_url, bmp = out[0]["content"]
    assert image_id == {"type": "image", "source": {"type": "file", "file_id": "file_011"}}
    assert doc_id == {"type": "document", "source": {"type": "file", "file_id": "file_012"}}
    assert doc_url == {"type": "document", "title": "paper.pdf", "source": {"type": "url", "url": "https://example.com/paper.pdf"}}
    assert bmp == {"type": "text", "text": "[image 'scan.bmp' not sent: Claude takes image only as "
                                          "image/gif, image/jpeg, image/png, image/webp, not image/bmp]"}


def test_tool_results_carry_images_and_documents(tmp_path):
    png_path = write(tmp_path, "out.png", png_bytes())
    messages = [
        {"role": "assistant", "content": None, "tool_calls": [{"id": "t1", "name": "render", "arguments": {}}]},
        {"role": "tool", "tool_call_id": "t1", "content": [
            {"type": "text", "text": "rendered"},
            {"type": "image", "path": png_path},
            {"type": "document", "base64": b64(pdf_bytes()), "mime_type": "application/pdf"},
            {"type": "audio", "url": "https://x.test/a.mp3"},
        ]},
    ]
    out, _ = MessageFormatter.to_claude_format(messages)
    _assert_sdk_shapes(out)
    (result,) = out[1]["content"]
    assert result["type"] == "tool_result" and result["tool_use_id"] == "t1"
    text, image, doc, audio = result["content"]
    assert text == {"type": "text", "text": "rendered"}
    assert image["source"] == {"type": "base64", "media_type": "image/png", "data": b64(png_bytes())}
    assert doc["source"]["media_type"] == "application/pdf"
    assert audio == {"type": "text", "text": "[audio 'a.mp3' not sent: Claude has no audio input]"}


def test_backend_size_limit_and_overrides_from_the_table(tmp_path):
    big = write(tmp_path, "big.png", png_bytes(noise=9000))
    messages = [{"role": "user", "content": [{"type": "image", "path": big}, {"type": "document", "url": "https://x.test/d.pdf"}]}]
    tight = limits_for("claude", {"max_bytes": {"image": "4KB"}})
    out, _ = MessageFormatter.to_claude_format(messages, limits=tight)
    _assert_sdk_shapes(out)
    note, doc = out[0]["content"]
    size_kb = (tmp_path / "big.png").stat().st_size / 1024
    assert note["type"] == "text"
    assert note["text"] == f"[image 'big.png' not sent: {size_kb:.1f} KB is over the claude backend's 4 KB limit for image]".replace(".0 KB", " KB")
    assert doc["type"] == "document"

    images_only = limits_for("claude", {"input": ["image"]})
    out, _ = MessageFormatter.to_claude_format(messages, limits=images_only)
    assert out[0]["content"][0]["type"] == "image"
    assert out[0]["content"][1] == {"type": "text", "text": "[document 'd.pdf' not sent: the claude backend is not set up for document input]"}
