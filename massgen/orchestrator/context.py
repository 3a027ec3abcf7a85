"""Building what each agent reads: the task, the user's attachments and the anonymised answers, with
media fitted to (or noted for) that agent's backend."""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

from massgen.attachments import AgentSpec, Attachment, DEFAULT_CACHE, PrepareCache, prepare_for_team
from massgen.attachments.prepare import Item
from massgen.media.item import MediaItem
from massgen.media.limits import BackendLimits
from massgen.stream_chunk import ORCHESTRATOR, ChunkType, MultimodalStreamChunk

from . import prompts
from .media_share import MediaSharer
from .state import AgentState, TeamState

USER = "the user"


def attachment_chunk(attachment: Attachment) -> MultimodalStreamChunk:
    """An ATTACHMENT chunk recording what the user attached (path and metadata, not bytes)."""
    info = attachment.item
    assert info is not None  # only usable attachments are recorded
    item = MediaItem(mime_type=info.mime_type, media_type=info.media_type, size_bytes=info.size_bytes,
                     width=info.width, height=info.height, duration_seconds=info.duration_seconds,
                     filename=attachment.name, path=os.path.abspath(info.path or attachment.path))
    return MultimodalStreamChunk.for_item(item, type=ChunkType.ATTACHMENT, source=ORCHESTRATOR)


class ContextBuilder:
    """Messages for coordination turns and for the final presentation, per agent backend."""

    def __init__(self, cache: PrepareCache | None = None) -> None:
        self.cache = cache or DEFAULT_CACHE
        self.sharer = MediaSharer(self.cache)

    async def user_items(self, attachments: Sequence[Attachment],
                         limits: Mapping[str, BackendLimits]) -> dict[str, list[Item]]:
        """Per agent id, the user's attachments prepared for its backend: exactly what the attachment bar planned."""
        specs = [AgentSpec(aid, lim.backend_type, lim) for aid, lim in limits.items()]
        return await prepare_for_team(attachments, specs, cache=self.cache) if attachments else {}

    async def _shared_items(self, limits: BackendLimits, state: TeamState, task: str,
                            attachments: Sequence[Item]) -> list[dict[str, Any]]:
        items = prompts.task_items(task, attachments)
        listing = [(ans, await self.sharer.items_for(limits, ans.label, ans.media)) for ans in state.current_answers()]
        return items + prompts.answer_items(listing)

    async def turn_messages(self, me: AgentState, system_message: str | None, limits: BackendLimits, state: TeamState,
                            task: str, attachments: Sequence[Item],
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

    async def presentation_messages(self, me: AgentState, system_message: str | None, limits: BackendLimits, state: TeamState,
                                    task: str, attachments: Sequence[Item],
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
