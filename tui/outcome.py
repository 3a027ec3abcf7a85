"""The orchestrator's result (OrchestratorResult or its COMPLETE_RESPONSE dict) read into a FinalResult."""

from __future__ import annotations

from typing import Any, Iterable

from massgen.media import MediaItem
from widgets.final_result import FinalResult, Vote


def _get(result: Any, name: str) -> Any:
    """A field of an OrchestratorResult, or of its `to_dict()` form (the COMPLETE_RESPONSE payload)."""
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def _votes(raw: dict[str, Any] | None) -> list[Vote]:
    """Votes from the result's `voter -> {target, reason}` mapping."""
    return [Vote(voter, str(_get(vote, "target")), str(_get(vote, "reason") or ""))
            for voter, vote in (raw or {}).items() if _get(vote, "target")]


def final_result(result: Any, media: list[MediaItem], problem: str | None = None) -> FinalResult:
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


def _media_of(wanted: Iterable[Any], streamed: list[MediaItem]) -> list[MediaItem]:
    """The streamed media the result names (items or their dicts: by media id, else by path), in order;
    result media that never streamed (an attachment the winner used) are shown as the result gives them."""
    by_key: dict[str, MediaItem] = {}
    for item in streamed:
        for key in (item.media_id, item.path):
            if key:
                by_key[key] = item
    chosen: list[MediaItem] = []
    for raw in wanted:
        named = raw if isinstance(raw, MediaItem) else MediaItem.from_dict(raw, strict=False)
        found = by_key.get(str(named.media_id)) or by_key.get(str(named.path))
        if found is None and named.path:
            found = named
        if found is not None and found not in chosen:
            chosen.append(found)
    return chosen
