"""ClaudeBackend sends PDFs over the inline limit through the Anthropic Files API (real SDK, fake server):
uploaded once with progress, named by file id in the request, and a failed upload is one ERROR line."""

from __future__ import annotations

import base64

import pytest

from backend_helpers import FAST, closing, collect, kinds, text_of, user
from fake_providers import FAKE_KEY, TINY_PDF, Reply, tiny_png
from massgen.backend import ClaudeBackend
from massgen.stream_chunk import ChunkType

__all__ = ["closing"]

SMALL_INLINE = {"document": "1KB"}  # the table's 32 MB, scaled down so a test file is "large"
PDF_BODY = TINY_PDF + b"%" + b"x" * 300_000 + b"\n%%EOF\n"  # padded, still a whole PDF


@pytest.fixture
def claude(fake_server, closing):
    def make(**kw) -> ClaudeBackend:
        return closing(ClaudeBackend(model="claude-sonnet-4-6", api_key=FAKE_KEY,
                                     base_url=fake_server.anthropic_base_url, media_limits=SMALL_INLINE, **FAST, **kw))
    return make


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "annual report.pdf"
    path.write_bytes(PDF_BODY)
    return path


def progress_of(chunks) -> list[tuple[str, int]]:
    return [(c.type.value, c.bytes_transferred) for c in chunks
            if c.type in (ChunkType.ATTACHMENT, ChunkType.ATTACHMENT_COMPLETE)]


async def test_a_pdf_over_the_inline_limit_is_uploaded_once_and_named_by_file_id(fake_server, claude, report):
    backend = claude()
    messages = user("summarise", {"type": "document", "path": str(report)},
                    {"type": "image", "base64": base64.b64encode(tiny_png(4, 4)).decode(), "mime_type": "image/png"})
    chunks = await collect(backend.stream_with_tools(messages))
    size = len(PDF_BODY)
    steps = progress_of(chunks)
    assert steps[0] == ("attachment", 0) and steps[-1] == ("attachment_complete", size)
    sent = [n for kind, n in steps[1:-1]]
    assert sent == [*range(64 * 1024, size, 64 * 1024), size]  # the SDK streams the body 64 KB a read
    upload = fake_server.last("anthropic.files.upload")
    assert "files-api-2025-04-14" in upload.headers["anthropic-beta"]
    stored = fake_server.state["anthropic_files"]["file_0001"]
    assert stored["data"] == PDF_BODY and stored["filename"] == "annual report.pdf"
    assert stored["mime_type"] == "application/pdf"
    request = fake_server.last("anthropic.messages")
    blocks = request.json["messages"][0]["content"]
    assert blocks[1] == {"type": "document", "source": {"type": "file", "file_id": "file_0001"},
                         "title": "annual report.pdf"}
    assert blocks[2]["source"]["type"] == "base64"  # a small image stays inline
    assert "files-api-2025-04-14" in request.headers["anthropic-beta"]
    assert text_of(chunks) == "Echo: summarise [images=1 documents=1]"

    again = await collect(backend.stream_with_tools([*messages, {"role": "assistant", "content": "ok"}, *user("more")]))
    assert len(fake_server.calls("anthropic.files.upload")) == 1 and progress_of(again) == []
    assert fake_server.last("anthropic.messages").json["messages"][0]["content"][1]["source"]["file_id"] == "file_0001"


async def test_a_request_without_uploads_carries_no_beta_header(fake_server, claude):
    await collect(claude().stream_with_tools(user("hi")))
    assert "anthropic-beta" not in fake_server.last("anthropic.messages").headers


async def test_beta_headers_from_the_team_file_are_kept(fake_server, claude, report):
    await collect(claude(headers={"anthropic-beta": "context-1m-2025-08-07"}).stream_with_tools(
        user("read", {"type": "document", "path": str(report)})))
    assert fake_server.last("anthropic.messages").headers["anthropic-beta"] == \
        "context-1m-2025-08-07,files-api-2025-04-14"


@pytest.mark.parametrize("fault, words", [(Reply.fault(500), "server error (HTTP 500)"),
                                          (Reply(disconnect=True), "connection failed")])
async def test_a_failed_upload_is_one_error_line_naming_the_file(fake_server, claude, report, fault, words):
    fake_server.script("anthropic.files.upload", [fault])
    chunks = await collect(claude(agent_id="critic").stream_with_tools(
        user("read", {"type": "document", "path": str(report)})))
    assert set(kinds(chunks)[:-2]) == {"attachment"} and kinds(chunks)[-2:] == ["error", "done"]  # no "complete"
    error = chunks[-2].error
    assert "\n" not in error and "Traceback" not in error
    assert error.startswith("critic (claude): annual report.pdf: its upload to the Anthropic Files API failed: ") and words in error
    assert fake_server.calls("anthropic.messages") == []


async def test_after_a_failed_upload_the_next_turn_uploads_again(fake_server, claude, report):
    backend = claude()
    fake_server.fail("anthropic.files.upload", 503)
    messages = user("read", {"type": "document", "path": str(report)})
    assert kinds(await collect(backend.stream_with_tools(messages)))[-2:] == ["error", "done"]
    chunks = await collect(backend.stream_with_tools(messages))
    assert progress_of(chunks)[-1] == ("attachment_complete", len(PDF_BODY))
    assert text_of(chunks) == "Echo: read [documents=1]"


async def test_a_pdf_over_the_upload_limit_is_noted_not_uploaded(fake_server, claude, tmp_path):
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as out:  # sparse: 501 MB on paper, a few bytes on disk
        out.write(TINY_PDF)
        out.seek(501 * 1024 * 1024 - 6)
        out.write(b"%%EOF\n")
    chunks = await collect(claude().stream_with_tools(user("read", {"type": "document", "path": str(huge)})))
    assert progress_of(chunks) == [] and fake_server.calls("anthropic.files.upload") == []
    note = fake_server.last("anthropic.messages").json["messages"][0]["content"][1]["text"]
    assert note.startswith("[document 'scan.pdf' not sent: 501 MB is over")
