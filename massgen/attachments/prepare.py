"""Turning attachments into internal message items for one agent, fitted to its backend.

Shared work (refs, fitted copies, stand-in texts) goes through a PrepareCache, so agents with the
same limits share one fitted copy and one base64 encoding; Pillow and pypdf run in worker threads."""

from __future__ import annotations

import asyncio
import os
from typing import Any, Sequence

from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits, MediaLimit
from massgen.media.kinds import MediaType
from massgen.media.ref import MediaRef
from massgen.media.words import human_size

from .cache import DEFAULT_CACHE, PrepareCache, usable_item
from .model import Attachment
from .plan import AgentSpec, Decision, decide

Item = dict[str, Any]


async def prepare_for_agent(attachments: Sequence[Attachment], agent_limits: BackendLimits, *,
                            cache: PrepareCache | None = None) -> list[Item]:
    """One internal message item per attachment: the file (as is or fitted), a stand-in text, or a note."""
    shared = cache or DEFAULT_CACHE
    decisions = [decide(a, agent_limits.backend_type, agent_limits) for a in attachments]
    return list(await asyncio.gather(*(asyncio.to_thread(item_for, d, agent_limits, shared) for d in decisions)))


async def prepare_for_team(attachments: Sequence[Attachment], agents: Sequence[AgentSpec], *,
                           cache: PrepareCache | None = None) -> dict[str, list[Item]]:
    """prepare_for_agent for every agent at once (shared fits are made once); keyed by agent id."""
    shared = cache or DEFAULT_CACHE
    lists = await asyncio.gather(*(prepare_for_agent(attachments, a.limits, cache=shared) for a in agents))
    return {agent.id: items for agent, items in zip(agents, lists)}


async def prefit(attachments: Sequence[Attachment], agents: Sequence[AgentSpec], *,
                 cache: PrepareCache | None = None) -> int:
    """Make every fitted copy the team will need, ahead of sending; returns how many decisions were fits.

    A failure is kept in the cache (plan_attachments then shows it), so it is not raised here."""
    shared = cache or DEFAULT_CACHE
    jobs = [(a, agent.limits.limit(a.item.media_type)) for agent in agents for a in attachments
            if a.item is not None and decide(a, agent.id, agent.limits).action == "fit"]
    await asyncio.gather(*(asyncio.to_thread(_fit_quietly, shared, a, limit) for a, limit in jobs if limit))
    return len(jobs)


def _fit_quietly(cache: PrepareCache, attachment: Attachment, limit: MediaLimit) -> None:
    try:
        cache.fitted(attachment, limit)
    except MediaError:
        pass  # recorded in the cache: the plan shows it and prepare_for_agent sends a note instead


def item_for(decision: Decision, limits: BackendLimits, cache: PrepareCache) -> Item:
    """The item for one decision (blocking); a media problem found now becomes a note, never an exception."""
    try:
        item = prepared_item(decision, limits, cache)
    except MediaError as exc:
        return note_item(decision.attachment, f"{exc.problem}; {exc.fix}")
    return item if item is not None else note_item(decision.attachment, decision.reason)


def prepared_item(decision: Decision, limits: BackendLimits, cache: PrepareCache) -> Item | None:
    """The file (as is or fitted) or its stand-in text; None when the decision leaves it out (blocking).

    Raises MediaError when the file changed since it was checked or cannot be fitted or read."""
    attachment = decision.attachment
    if decision.action in ("as_is", "upload"):
        check_unchanged(attachment)
        return ref_item(attachment, cache.original(attachment))
    if decision.action == "fit":
        check_unchanged(attachment)
        limit = limits.limit(usable_item(attachment).media_type)
        assert limit is not None  # check_for_backend said "fit", so the backend takes the type
        return ref_item(attachment, cache.fitted(attachment, limit))
    if decision.action == "stand_in":
        return stand_in_item(attachment, cache.stand_in_text(attachment), decision.reason)
    return None


def ref_item(attachment: Attachment, ref: MediaRef) -> Item:
    """`{"type": "image", "ref": ref, "filename": ...}`; a type no item kind names goes as a document."""
    kind = ref.item.media_type if ref.item.media_type != MediaType.FILE else MediaType.DOCUMENT
    return {"type": kind.value, "ref": ref, "filename": ref.item.filename or attachment.name}


def stand_in_item(attachment: Attachment, text: str, how: str) -> Item:
    """A text item that carries a file's content in place of the file."""
    return {"type": "text", "text": f"[Attached file {attachment.name} ({_label(attachment)}), {how}:]\n{text}"}


def note_item(attachment: Attachment, reason: str) -> Item:
    """A text item telling the model a file was attached but is not included, and why."""
    return {"type": "text", "text": f"[Attached file {attachment.name} ({_label(attachment)}) left out: {reason}]"}


def check_unchanged(attachment: Attachment) -> None:
    """Refuse a file changed or removed after it was attached (its checks no longer hold)."""
    info = usable_item(attachment)
    path = info.path or str(attachment.path)
    try:
        st = os.stat(path)
    except OSError:
        raise MediaError(path, "is no longer there", "attach it again") from None
    if (st.st_size, st.st_mtime_ns) != (info.size_bytes, info.mtime_ns):
        raise MediaError(path, "changed after it was attached", "remove it and attach it again")


def _label(attachment: Attachment) -> str:
    info = attachment.item
    return f"{info.label}, {human_size(info.size_bytes or 0)}" if info else "unreadable"
