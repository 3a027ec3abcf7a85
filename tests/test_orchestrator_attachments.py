"""The user's attachments: each agent gets them fitted or noted, bad ones are reported (never dropped
silently), and a session folder that cannot be written is a clear error, not a crash."""

from __future__ import annotations

import os

import pytest

from massgen.attachments import AgentSpec, load_attachment, plan_attachments
from massgen.orchestrator import Orchestrator
from massgen.session import Session, SessionError
from massgen.stream_chunk import ChunkType

from image_tool import png
from orchestrator_helpers import collect, orchestrator, team
from scripted_backend import ScriptedBackend, answer


async def test_attachments_reach_vision_agents_and_are_noted_for_text_agents(tmp_path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(png())
    seer = ScriptedBackend([answer("I see it")])
    reader = ScriptedBackend([answer("I read about it")], vision=False)
    orch = orchestrator(tmp_path, {"seer": seer, "reader": reader})
    chunks = await collect(orch, "What is in the photo?", attachments=[photo])
    attached = [c for c in chunks if c.type == ChunkType.ATTACHMENT]
    assert len(attached) == 1 and attached[0].media_data == str(photo) and attached[0].source == "orchestrator"
    assert [i["ref"].item.path for i in seer.media_items(0)] == [str(photo)]
    assert reader.media_items(0) == []
    planned = plan_attachments([load_attachment(photo)], [AgentSpec("reader", "scripted", reader.limits)])
    assert planned["reader"][0].action == "left_out"
    note = reader.user_text(0).split("[Attached file photo.png (", 1)[1].split("\n", 1)[0]
    assert note.endswith(f" left out: {planned['reader'][0].reason}]")


async def test_a_missing_attachment_is_reported_and_the_team_goes_on(tmp_path) -> None:
    seer = ScriptedBackend([answer("fine")])
    orch = orchestrator(tmp_path, {"seer": seer})
    chunks = await collect(orch, "Look", attachments=[tmp_path / "gone.png", tmp_path])
    errors = [c.error for c in chunks if c.type == ChunkType.ERROR]
    assert len(errors) == 2 and "gone.png" in errors[0] and "folder" in errors[1]
    assert orch.result.status == "done" and seer.media_items(0) == []


async def test_an_unwritable_output_folder_is_a_clear_error(tmp_path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(SessionError, match="cannot create a session folder here.*set output_dir"):
        Session.create(blocker / "out")
    orch = Orchestrator(team("a"), backends={"a": ScriptedBackend()}, tool_runners={"a": None})
    orch.team.output_dir = blocker / "out"
    with pytest.raises(SessionError):
        orch.run("task")


async def test_a_transcript_the_disk_refuses_is_reported_and_the_run_finishes(tmp_path, monkeypatch) -> None:
    orch = orchestrator(tmp_path, {"a": ScriptedBackend([answer("ok")])})
    session = orch.session

    def full(data: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(session, "_append", full)
    monkeypatch.setattr(session, "_flush_bytes", 1)
    chunks = await collect(orch)
    errors = [c.error for c in chunks if c.type == ChunkType.ERROR]
    assert errors == ["the session transcript could not be written (No space left on device); the run goes on without it"]
    assert chunks[-1].type == ChunkType.COMPLETE_RESPONSE and orch.result.status == "done"
    assert not os.path.exists(tmp_path / "session" / "transcript.jsonl")
