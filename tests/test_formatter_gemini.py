"""MessageFormatter.to_gemini_format / to_gemini_request: real parts (never a stringified prompt),
system_instruction, function calls and responses, notes, validated by google-genai's own types."""

from __future__ import annotations

import base64

import pytest
from google.genai import types

from formatter_samples import b64, bmp_bytes, every_item_conversation, mp4_bytes, pdf_bytes, png_bytes, wav_bytes, write
from massgen.formatter import MessageFormatError, MessageFormatter


def _validated(contents: list[dict]) -> list[types.Content]:
    return [types.Content.model_validate(c) for c in contents]


def test_every_item_type_and_tool_round_trip(tmp_path):
    conversation = every_item_conversation(tmp_path)
    contents, system = MessageFormatter.to_gemini_request(conversation)
    assert MessageFormatter.to_gemini_format(conversation) == contents
    assert system == "You are agent A.\n\nAnswer briefly."
    assert [c["role"] for c in contents] == ["user", "model", "user"]

    text, path_img, url_img, b64_img, audio, video, pdf = contents[0]["parts"]
    assert text == {"text": "Look at these."}
    assert path_img == {"inline_data": {"mime_type": "image/png", "data": b64((tmp_path / "cat.png").read_bytes())}}
    assert url_img == {"file_data": {"mime_type": "image/jpeg", "file_uri": "https://example.com/dog.jpg"}}
    assert b64_img["inline_data"]["data"] is conversation[2]["content"][3]["base64"]  # shared, not copied
    assert audio == {"inline_data": {"mime_type": "audio/wav", "data": b64(wav_bytes())}}
    assert video == {"inline_data": {"mime_type": "video/mp4", "data": b64(mp4_bytes())}}
    assert pdf == {"inline_data": {"mime_type": "application/pdf", "data": b64(pdf_bytes())}}

    assert contents[1]["parts"] == [
        {"text": "I will measure it."},
        {"function_call": {"id": "call_1", "name": "measure", "args": {"what": "cat", "precise": True}}},
    ]
    assert contents[2]["parts"] == [
        {"function_response": {"id": "call_1", "name": "measure", "response": {"output": "42 cm"}}},
        {"text": "Thanks."},
    ]

    validated = _validated(contents)
    parts = validated[0].parts
    # The SDK decodes our standard base64 text into the original bytes (no double encoding).
    assert parts[1].inline_data.data == (tmp_path / "cat.png").read_bytes()
    assert parts[4].inline_data.data == wav_bytes() and parts[6].inline_data.data == pdf_bytes()
    assert validated[1].parts[1].function_call.args == {"what": "cat", "precise": True}
    assert validated[2].parts[0].function_response.name == "measure"
    assert not any("base64" in (p.text or "") for c in validated for p in c.parts)  # never a stringified prompt


def test_no_system_message_gives_none_and_media_in_system_is_noted():
    contents, system = MessageFormatter.to_gemini_request([{"role": "user", "content": "hi"}])
    assert system is None and contents == [{"role": "user", "parts": [{"text": "hi"}]}]
    _, system = MessageFormatter.to_gemini_request([
        {"role": "system", "content": [{"type": "text", "text": "Rules"}, {"type": "image", "url": "https://x.test/r.png"}]},
    ])
    assert system.startswith("Rules\n[image 'r.png' not sent: Gemini takes image input only in ")


def test_parallel_tool_results_share_one_turn_and_names_come_from_the_calls():
    messages = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "name": "new_answer", "arguments": {"content": "x"}},
            {"id": "c2", "name": "vote", "arguments": {"agent_id": "a1", "reason": "best"}, "thought_signature": b64(b"sig")},
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": "ok"},
        {"role": "tool", "tool_call_id": "c2", "content": [{"type": "text", "text": "counted"},
                                                            {"type": "image", "base64": b64(png_bytes()), "mime_type": "image/png"}]},
    ]
    contents = MessageFormatter.to_gemini_format(messages)
    validated = _validated(contents)
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[1]["parts"][1]["thought_signature"] == b64(b"sig")
    assert validated[1].parts[1].thought_signature == b"sig"
    first, second, image = contents[2]["parts"]
    assert first == {"function_response": {"id": "c1", "name": "new_answer", "response": {"output": "ok"}}}
    assert second == {"function_response": {"id": "c2", "name": "vote", "response": {"output": "counted"}}}
    assert image == {"inline_data": {"mime_type": "image/png", "data": b64(png_bytes())}}


def test_tool_result_without_a_name_or_call_is_an_error():
    with pytest.raises(MessageFormatError) as err:
        MessageFormatter.to_gemini_format([{"role": "tool", "tool_call_id": "zz", "content": "?"}])
    assert str(err.value) == ("messages[0]: tool result 'zz' has no 'name' and answers no earlier call; "
                              "set 'name' to the tool's name")


def test_file_data_needs_a_mime_type_and_limits_apply(tmp_path):
    bmp = write(tmp_path, "scan.bmp", bmp_bytes())
    messages = [{"role": "user", "content": [
        {"type": "video", "file_id": "https://generativelanguage.googleapis.com/v1beta/files/abc", "mime_type": "video/mp4"},
        {"type": "audio", "url": "https://x.test/stream"},
        {"type": "image", "path": bmp},
    ]}]
    plain = MessageFormatter.to_gemini_format(messages)
    _validated(plain)
    video, audio, image = plain[0]["parts"]
    assert video == {"file_data": {"mime_type": "video/mp4", "file_uri": "https://generativelanguage.googleapis.com/v1beta/files/abc"}}
    assert audio["text"] == ("[audio 'stream' not sent: Gemini needs the MIME type of media given by URL or file id; "
                             "add 'mime_type' to the item]")
    assert image["inline_data"]["mime_type"] == "image/bmp"  # the wire takes any type; the table decides

    limited = MessageFormatter.to_gemini_format(messages, limits="gemini")
    _validated(limited)
    assert limited[0]["parts"][0] == video
    assert limited[0]["parts"][2]["text"].startswith("[image 'scan.bmp' not sent: the gemini backend takes image only as ")
    assert "image/png" in limited[0]["parts"][2]["text"] and limited[0]["parts"][2]["text"].endswith("not image/bmp]")


def test_assistant_media_stays_in_model_turns():
    data = b64(png_bytes(color="yellow"))
    contents = MessageFormatter.to_gemini_format([
        {"role": "user", "content": "draw"},
        {"role": "assistant", "content": [{"type": "text", "text": "here"}, {"type": "image", "base64": data, "mime_type": "image/png"}]},
    ])
    (validated_model,) = _validated(contents[1:])
    assert contents[1]["role"] == "model"
    assert validated_model.parts[1].inline_data.data == base64.b64decode(data)
