"""MessageFormatter.to_responses_format: input parts, function_call / function_call_output items,
media in tool results, notes, and the SDK's own request types."""

from __future__ import annotations

import json

from openai.types.responses import ResponseInputItemParam

from formatter_samples import b64, every_item_conversation, png_bytes, write
from massgen.formatter import MessageFormatter
from sdk_shapes import shape_errors


def _assert_sdk_shapes(items: list[dict]) -> None:
    for i, item in enumerate(items):
        assert shape_errors(item, ResponseInputItemParam, f"input[{i}]") == []


def test_every_item_type_and_tool_round_trip(tmp_path):
    conversation = every_item_conversation(tmp_path)
    out = MessageFormatter.to_responses_format(conversation)
    _assert_sdk_shapes(out)

    assert out[0] == {"role": "system", "content": "You are agent A."}
    assert out[1] == {"role": "system", "content": "Answer briefly."}
    text, path_img, url_img, b64_img, audio, video, pdf = out[2]["content"]
    assert out[2]["role"] == "user"
    assert text == {"type": "input_text", "text": "Look at these."}
    png_b64 = b64((tmp_path / "cat.png").read_bytes())
    assert path_img == {"type": "input_image", "detail": "auto", "image_url": "data:image/png;base64," + png_b64}
    assert url_img == {"type": "input_image", "detail": "auto", "image_url": "https://example.com/dog.jpg"}
    assert b64_img["image_url"] == "data:image/png;base64," + conversation[2]["content"][3]["base64"]
    assert audio == {"type": "input_text", "text": "[audio 'hello.wav' not sent: the Responses API has no audio input]"}
    assert video == {"type": "input_text", "text": "[video 'clip.mp4' not sent: the Responses API has no video input]"}
    assert pdf == {"type": "input_file", "filename": "report.pdf",
                   "file_data": "data:application/pdf;base64," + conversation[2]["content"][6]["base64"]}

    assert out[3] == {"role": "assistant", "content": "I will measure it."}
    call, result = out[4], out[5]
    assert call["type"] == "function_call" and call["name"] == "measure"
    assert json.loads(call["arguments"]) == {"what": "cat", "precise": True}
    assert result == {"type": "function_call_output", "call_id": call["call_id"], "output": "42 cm"}
    assert call["call_id"] == "call_1"
    assert out[6] == {"role": "user", "content": "Thanks."}
    assert len(out) == 7


def test_tool_results_can_carry_images_and_files(tmp_path):
    png_path = write(tmp_path, "chart.png", png_bytes())
    messages = [
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "name": "plot", "arguments": {}}]},
        {"role": "tool", "tool_call_id": "c1", "content": [
            {"type": "text", "text": "done"},
            {"type": "image", "path": png_path},
            {"type": "document", "file_id": "file-9", "mime_type": "application/pdf"},
        ]},
    ]
    out = MessageFormatter.to_responses_format(messages)
    _assert_sdk_shapes(out)
    assert [item.get("type") for item in out] == ["function_call", "function_call_output"]
    text, image, doc = out[1]["output"]
    assert text == {"type": "input_text", "text": "done"}
    assert image["type"] == "input_image" and image["image_url"] == "data:image/png;base64," + b64(png_bytes())
    assert doc == {"type": "input_file", "file_id": "file-9"}


def test_file_ids_and_urls_use_their_own_fields():
    messages = [{"role": "user", "content": [
        {"type": "image", "file_id": "file-img"},
        {"type": "document", "url": "https://example.com/paper.pdf"},
        {"type": "document", "url": "https://example.com/table.xlsx"},
    ]}]
    out = MessageFormatter.to_responses_format(messages)
    _assert_sdk_shapes(out)
    image, pdf, sheet = out[0]["content"]
    assert image == {"type": "input_image", "detail": "auto", "file_id": "file-img"}
    assert pdf == {"type": "input_file", "file_url": "https://example.com/paper.pdf"}
    assert sheet["type"] == "input_text" and "document 'table.xlsx' not sent" in sheet["text"]
    assert "application/pdf" in sheet["text"]


def test_assistant_media_is_noted_and_limits_apply(tmp_path):
    messages = [
        {"role": "assistant", "content": [{"type": "text", "text": "made it"}, {"type": "image", "url": "https://x.test/a.png"}]},
        {"role": "user", "content": [{"type": "document", "base64": b64(b"%PDF-1.4\n%%EOF\n"), "mime_type": "application/pdf"}]},
    ]
    out = MessageFormatter.to_responses_format(messages, limits="grok")
    _assert_sdk_shapes(out)
    assert out[0] == {"role": "assistant",
                      "content": "made it\n[image 'a.png' not sent: the Responses API takes image input only in tool results and user messages]"}
    (doc_note,) = out[1]["content"]
    assert doc_note == {"type": "input_text", "text": "[document not sent: the grok backend is not set up for document input]"}
