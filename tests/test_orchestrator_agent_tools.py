"""Agents' media tools as the orchestrator runs them: files land in the session's media folder, and
a tool may read only the session folder and the user's attachments."""

from __future__ import annotations

import json

from massgen.orchestrator.agent_tools import GenerationTools
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from image_tool import png


def _tools(tmp_path):
    session = Session(tmp_path / "session")
    entry = {"name": "draw", "type": "image_generation", "config": {"backend": "demo", "caption": False}}
    return GenerationTools.for_agent([entry], session), session


async def test_a_generated_image_is_written_into_the_session_media_folder(tmp_path) -> None:
    tools, session = _tools(tmp_path)
    assert [d["name"] for d in tools.definitions] == ["draw"]
    emitted = []

    async def emit(chunk):
        emitted.append(chunk)

    ran = await tools.run({"id": "c1", "name": "draw", "arguments": {"prompt": "a small boat", "size": "64x48"}},
                          "artist", emit)
    (media,) = ran.media
    assert media.type == ChunkType.MEDIA and media.media_data.startswith(str(session.media_dir))
    assert json.loads(ran.text)["files"][0]["continuation_id"] == media.media_metadata.continuation_id
    assert emitted and all(c.source == "artist" for c in emitted)  # progress streamed live
    assert {c.type for c in emitted} <= {ChunkType.MEDIA_PROGRESS}


async def test_tools_may_read_attachments_but_nothing_else(tmp_path) -> None:
    tools, _ = _tools(tmp_path)
    attached = tmp_path / "mine.png"
    attached.write_bytes(png())
    secret = tmp_path / "secret.png"
    secret.write_bytes(png())
    tools.allow([attached])

    async def emit(chunk):
        pass

    refused = await tools.run({"id": "c", "name": "draw", "arguments": {"prompt": "edit", "input_images": [str(secret)]}},
                              "artist", emit)
    assert refused.media == [] and "outside the folders this agent may read" in refused.text
    allowed = await tools.run({"id": "c", "name": "draw", "arguments": {"prompt": "darker", "input_images": [str(attached)]}},
                              "artist", emit)
    assert len(allowed.media) == 1
