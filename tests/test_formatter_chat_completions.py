"""MessageFormatter.to_chat_completions_format: every item type, notes, limits from the one table,
tool calls, and the SDK's own request types."""

from __future__ import annotations

import json

import pytest
from openai.types.chat import ChatCompletionMessageParam

from formatter_samples import b64, every_item_conversation, flac_bytes, png_bytes, wav_bytes, webp_bytes, write
from massgen.formatter import MessageFormatter
from massgen.media.limits import limits_for
from sdk_shapes import shape_errors


def _assert_sdk_shapes(messages: list[dict]) -> None:
    for i, message in enumerate(messages):
        assert shape_errors(message, ChatCompletionMessageParam, f"messages[{i}]") == []


def test_every_item_type_and_tool_round_trip(tmp_path):
    conversation = every_item_conversation(tmp_path)
    out = MessageFormatter.to_chat_completions_format(conversation)
    _assert_sdk_shapes(out)

    assert [m["role"] for m in out] == ["system", "system", "user", "assistant", "tool", "user"]
    assert out[0]["content"] == "You are agent A." and out[1]["content"] == "Answer briefly."
    text, path_img, url_img, b64_img, audio, video, pdf = out[2]["content"]
    assert text == {"type": "text", "text": "Look at these."}
    assert path_img == {"type": "image_url", "image_url": {"url": "data:image/png;base64," + b64((tmp_path / "cat.png").read_bytes())}}
    assert url_img == {"type": "image_url", "image_url": {"url": "https://example.com/dog.jpg"}}
    assert b64_img["image_url"]["url"] == "data:image/png;base64," + conversation[2]["content"][3]["base64"]
    assert audio == {"type": "input_audio", "input_audio": {"data": b64(wav_bytes()), "format": "wav"}}
    assert video["type"] == "text"
    assert video["text"] == "[video 'clip.mp4' not sent: Chat Completions has no video input]"
    assert pdf["type"] == "file" and pdf["file"]["filename"] == "report.pdf"
    assert pdf["file"]["file_data"] == "data:application/pdf;base64," + conversation[2]["content"][6]["base64"]

    call = out[3]["tool_calls"][0]
    assert out[3]["content"] == "I will measure it."
    assert call["id"] == "call_1" and call["type"] == "function" and call["function"]["name"] == "measure"
    assert json.loads(call["function"]["arguments"]) == {"what": "cat", "precise": True}
    assert out[4] == {"role": "tool", "tool_call_id": "call_1", "content": "42 cm"}
    assert out[5] == {"role": "user", "content": "Thanks."}


def test_audio_only_wav_or_mp3_and_other_formats_become_notes(tmp_path):
    flac = {"type": "audio", "base64": b64(flac_bytes()), "mime_type": "audio/flac", "filename": "song.flac"}
    out = MessageFormatter.to_chat_completions_format([{"role": "user", "content": [flac]}])
    _assert_sdk_shapes(out)
    (part,) = out[0]["content"]
    assert part["type"] == "text"
    assert "audio 'song.flac' not sent" in part["text"]
    assert "audio/mpeg, audio/wav" in part["text"] and "not audio/flac" in part["text"]


def test_media_outside_user_messages_become_notes_in_text_content():
    image = {"type": "image", "url": "https://example.com/a.png"}
    messages = [
        {"role": "system", "content": [{"type": "text", "text": "Rules."}, image]},
        {"role": "assistant", "content": [{"type": "text", "text": "Here:"}, image]},
        {"role": "tool", "tool_call_id": "c9", "content": [image]},
    ]
    out = MessageFormatter.to_chat_completions_format(messages)
    _assert_sdk_shapes(out)
    note = "[image 'a.png' not sent: Chat Completions takes image input only in user messages]"
    assert out[0] == {"role": "system", "content": "Rules.\n" + note}
    assert out[1] == {"role": "assistant", "content": "Here:\n" + note}
    assert out[2] == {"role": "tool", "tool_call_id": "c9", "content": note}


def test_documents_by_file_id_are_sent_and_by_url_are_noted():
    messages = [{"role": "user", "content": [
        {"type": "document", "file_id": "file-abc", "mime_type": "application/pdf"},
        {"type": "document", "url": "https://example.com/paper.pdf"},
    ]}]
    out = MessageFormatter.to_chat_completions_format(messages)
    _assert_sdk_shapes(out)
    by_id, by_url = out[0]["content"]
    assert by_id == {"type": "file", "file": {"file_id": "file-abc"}}
    assert by_url["type"] == "text"
    assert "document 'paper.pdf' not sent" in by_url["text"] and "not as a URL" in by_url["text"]


def test_backend_limits_come_from_the_one_table(tmp_path):
    png = {"type": "image", "path": write(tmp_path, "ok.png", png_bytes())}
    webp = {"type": "image", "path": write(tmp_path, "pic.webp", webp_bytes())}
    wav = {"type": "audio", "base64": b64(wav_bytes()), "mime_type": "audio/wav"}
    messages = [{"role": "user", "content": [png, webp, wav]}]

    grok = MessageFormatter.to_chat_completions_format(messages, limits="grok")
    _assert_sdk_shapes(grok)
    kept, webp_note, wav_note = grok[0]["content"]
    assert kept["type"] == "image_url" and kept["image_url"]["url"].startswith("data:image/png;base64,")
    assert webp_note["text"] == "[image 'pic.webp' not sent: the grok backend takes image only as image/jpeg, image/png, not image/webp]"
    assert wav_note["text"].startswith("[audio not sent: the grok backend is not set up for audio input")

    local = MessageFormatter.to_chat_completions_format(messages, limits=limits_for("chatcompletion"))
    assert all(part["type"] == "text" for part in local[0]["content"])
    assert "multimodal_capabilities" in local[0]["content"][0]["text"]  # the table's own hint is passed on

    vision = limits_for("chatcompletion", {"input": ["image", "audio"]})
    opened = MessageFormatter.to_chat_completions_format(messages, limits=vision)
    assert [p["type"] for p in opened[0]["content"]] == ["image_url", "image_url", "input_audio"]


def test_size_over_the_backend_limit_is_noted(tmp_path):
    big = write(tmp_path, "big.png", png_bytes(noise=6000))
    small_limit = limits_for("chatcompletion", {"input": ["image"], "max_bytes": {"image": "2KB"}})
    out = MessageFormatter.to_chat_completions_format([{"role": "user", "content": [{"type": "image", "path": big}]}],
                                                      limits=small_limit)
    (part,) = out[0]["content"]
    assert part["type"] == "text"
    assert "image 'big.png' not sent" in part["text"] and "over the chatcompletion backend's 2 KB limit" in part["text"]


@pytest.mark.parametrize("content", [None, ""])
def test_assistant_with_only_tool_calls_has_null_content(content):
    messages = [{"role": "assistant", "content": content, "tool_calls": [{"id": "c1", "name": "vote", "arguments": "{\"agent_id\": \"a2\"}"}]}]
    (out,) = MessageFormatter.to_chat_completions_format(messages)
    assert out["content"] is None
    assert json.loads(out["tool_calls"][0]["function"]["arguments"]) == {"agent_id": "a2"}
    _assert_sdk_shapes([out])
