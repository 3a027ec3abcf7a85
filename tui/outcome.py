"""The orchestrator's result (OrchestratorResult or its COMPLETE_RESPONSE dict) read into a FinalResult."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from massgen.stream_chunk import MediaMetadata
from widgets.final_result import FinalResult, Vote
from widgets.media_source import MediaSource


def _get(result: Any, name: str) -> Any:
    """A field of an OrchestratorResult, or of its `to_dict()` form (the COMPLETE_RESPONSE payload)."""
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def _votes(raw: dict[str, Any] | None) -> list[Vote]:
    """Votes from the result's `voter -> {target, reason}` mapping."""
    return [Vote(voter, str(_get(vote, "target")), str(_get(vote, "reason") or ""))
            for voter, vote in (raw or {}).items() if _get(vote, "target")]


def final_result(result: Any, media: list[MediaSource], problem: str | None = None) -> FinalResult:
    """A FinalResult from the orchestrator's result; the answer's media are matched to what streamed."""
    if result is None:
        return FinalResult(winner=None, answer="", problem=problem or "the team gave no result")
    answer = str(_get(result, "final_answer") or "")
    winner = _get(result, "winner")
    chosen = _media_of(_get(result, "media") or [], media)
    if not answer:
        problem = problem or str(_get(result, "detail") or "the run ended without an answer")
    return FinalResult(winner=winner, answer=answer, votes=_votes(_get(result, "votes")), media=chosen,
                       problem=None if answer else problem)


def _media_of(wanted: Iterable[Any], streamed: list[MediaSource]) -> list[MediaSource]:
    """The streamed media the result names (SharedMedia or its dict: by media id, else by path), in order."""
    by_key: dict[str, MediaSource] = {}
    for source in streamed:
        for key in (source.media_id, str(source.path) if source.path else None):
            if key:
                by_key[key] = source
    chosen: list[MediaSource] = []
    for item in wanted:
        found = by_key.get(str(_get(item, "media_id"))) or by_key.get(str(_get(item, "path")))
        if found is None and _get(item, "path"):
            found = _shared_media_source(item)
        if found is not None and found not in chosen:
            chosen.append(found)
    return chosen


def _shared_media_source(item: Any) -> MediaSource:
    """A MediaSource for result media that never streamed (e.g. an attachment the winner used)."""
    kind = _get(item, "media_type")
    kind = getattr(kind, "value", kind) or "file"
    meta = MediaMetadata(mime_type=str(_get(item, "mime_type") or "application/octet-stream"),
                         size_bytes=_get(item, "size_bytes"), width=_get(item, "width"), height=_get(item, "height"))
    return MediaSource(str(kind), media_id=_get(item, "media_id"), agent_id=_get(item, "agent_id"),
                       path=Path(str(_get(item, "path"))), metadata=meta)
