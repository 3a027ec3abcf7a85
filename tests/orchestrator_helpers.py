"""Shared helpers for orchestrator tests: a team config, a run that collects every chunk, status lookups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from massgen.config import from_dict
from massgen.orchestrator import Orchestrator
from massgen.session import Session
from massgen.stream_chunk import BaseStreamChunk, ChunkType


def team(*ids: str, **orchestrator: Any) -> Any:
    """A validated team of demo-typed agents (tests inject their own backends)."""
    agents = [{"id": aid, "backend": {"type": "demo"}, "system_message": f"You are {aid}."} for aid in ids]
    return from_dict({"agents": agents, "orchestrator": orchestrator}, "<test team>")


def orchestrator(tmp_path: Path, backends: dict[str, Any], **kw: Any) -> Orchestrator:
    runners = kw.pop("tool_runners", {aid: None for aid in backends})
    return Orchestrator(team(*backends, **kw), session=Session(tmp_path / "session"), backends=backends,
                        tool_runners=runners)


async def collect(orch: Orchestrator, task: str = "Write a haiku about rain", **kw: Any) -> list[BaseStreamChunk]:
    return [chunk async for chunk in orch.run(task, **kw)]


def statuses(chunks: list[BaseStreamChunk], source: str | None = None) -> list[tuple[str, str]]:
    """(source, status word) of every AGENT_STATUS chunk, optionally for one source."""
    return [(c.source, c.status) for c in chunks
            if c.type == ChunkType.AGENT_STATUS and (source is None or c.source == source)]


def words(chunks: list[BaseStreamChunk], source: str) -> list[str]:
    return [status for _, status in statuses(chunks, source)]
