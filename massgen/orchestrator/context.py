"""Building what each agent reads: the task, the user's attachments and the anonymised answers, with
media fitted to (or noted for) that agent's backend."""

from __future__ import annotations

import asyncio
import os
from typing import Any, Sequence

from massgen.media.errors import MediaError
from massgen.stream_chunk import ChunkType, MediaEncoding, MultimodalStreamChunk

from . import prompts
from .media_share import MediaSharer, SharedMedia
from .state import AgentState, TeamState

USER = "the user"


async def load_attachments(attachments: Sequence[Any]) -> tuple[list[SharedMedia], list[str]]:
    """Probe each attachment (in a thread): the usable ones, and one-line problems for the rest."""
    found, problems = [], []
    for item in attachments:
        try:
            found.append(await asyncio.to_thread(_attachment, item))
        except MediaError as exc:
            problems.append(str(exc))
    return found, problems


def _attachment(item: Any) -> SharedMedia:
    from massgen.media.probe import probe

    path = getattr(item, "path", None) if not isinstance(item, (str, os.PathLike)) else item
    if path is None:
        raise MediaError(repr(item), "is not a local file", "attach a file by its path")
    info = probe(path)
    return SharedMedia(os.path.abspath(info.path), info.media_type, info.mime_type, "user", info.size_bytes,
                       info.width, info.height)


def attachment_chunk(media: SharedMedia) -> MultimodalStreamChunk:
    """An ATTACHMENT chunk recording what the user attached (path and metadata, not bytes)."""
    from massgen.stream_chunk import MediaMetadata

    meta = MediaMetadata(mime_type=media.mime_type, size_bytes=media.size_bytes, width=media.width,
                         height=media.height, filename=media.filename)
    return MultimodalStreamChunk(type=ChunkType.ATTACHMENT, source="orchestrator", media_type=media.media_type,
                                 media_encoding=MediaEncoding.FILE_PATH, media_data=media.path, media_metadata=meta)


class ContextBuilder:
    """Messages for coordination turns and for the final presentation, per agent backend."""

    def __init__(self, sharer: MediaSharer | None = None) -> None:
        self.sharer = sharer or MediaSharer()

    async def _shared_items(self, limits: Any, state: TeamState, task: str,
                            attachments: Sequence[SharedMedia]) -> list[dict[str, Any]]:
        items = prompts.task_items(task, await self.sharer.items_for(limits, USER, list(attachments)))
        listing = [(ans, await self.sharer.items_for(limits, ans.label, ans.media)) for ans in state.current_answers()]
        return items + prompts.answer_items(listing)

    async def turn_messages(self, me: AgentState, system_message: str | None, limits: Any, state: TeamState,
                            task: str, attachments: Sequence[SharedMedia],
                            history: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool, list[str]]:
        """(messages, can_answer, vote labels) for one coordination turn."""
        can_answer = state.can_answer(me.agent_id)
        labels = [ans.label.split(".")[0] for ans in state.current_answers()]
        items = await self._shared_items(limits, state, task, attachments)
        items.append({"type": "text", "text": prompts.turn_instructions(
            me, can_answer, bool(labels), state.limits.max_answers_per_agent)})
        messages = [{"role": "system", "content": prompts.coordination_system(system_message)}, *history,
                    prompts.user_message(items)]
        return messages, can_answer, labels

    async def presentation_messages(self, me: AgentState, system_message: str | None, limits: Any, state: TeamState,
                                    task: str, attachments: Sequence[SharedMedia],
                                    history: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        items = await self._shared_items(limits, state, task, attachments)
        tally = state.tally()
        voters = sum(1 for a in state.live() if a.vote is not None)
        if me.latest is None:
            raise ValueError(f"{me.agent_id} has no answer to present")
        items.append({"type": "text", "text": prompts.presentation_instructions(
            me.latest, tally.get(me.agent_id, 0), voters)})
        return [{"role": "system", "content": prompts.presentation_system(system_message)}, *history,
                prompts.user_message(items)]
