"""An agent's media tools (massgen.generation's AgentTools) run by the orchestrator: files go to the
session's media folder, progress streams live, and the tool's result message goes back to the model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from massgen.media.item import MediaItem
from massgen.session import RunSession
from massgen.stream_chunk import ChunkType, MultimodalStreamChunk, TextStreamChunk

from .tools import name_of
from .turn import Emit, ToolRun

if TYPE_CHECKING:
    from massgen.config import ToolConfig
    from massgen.generation.agent_tools import AgentTool


class GenerationTools:
    """The ToolRunner for one agent: `definitions` for the model, `run` for each call it makes."""

    def __init__(self, tools: "Sequence[AgentTool]", session: RunSession) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.definitions = [tool.definition for tool in tools]
        self.session = session
        self.roots: set[str] = {os.fspath(session.folder)}

    @classmethod
    def for_agent(cls, tool_configs: "Iterable[ToolConfig | Mapping[str, Any]]",
                  session: RunSession) -> "GenerationTools":
        """From the agent's YAML tools (validated, or as plain mappings); a bad entry raises ConfigError naming it."""
        from massgen.config import ToolConfig
        from massgen.generation import tools_for_agent

        entries = [t.model_dump() if isinstance(t, ToolConfig) else dict(t) for t in tool_configs]
        return cls(tools_for_agent(entries), session)

    def allow(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        """Let tools read these files too (the user's attachments), besides the session folder."""
        self.roots.update(os.fspath(Path(p).resolve()) for p in paths)

    async def run(self, call: dict[str, Any], agent_id: str, emit: Emit) -> ToolRun:
        """Run one call: progress and errors are emitted now, MEDIA chunks returned to join the answer."""
        from massgen.generation import ToolContext

        tool = self.tools[name_of(call)]
        context = ToolContext(agent_id=agent_id, call_id=str(call.get("id") or ""),
                              output_dir=self.session.media_dir, workdir=self.session.folder,
                              allowed_roots=sorted(self.roots),
                              store=self.session.continuations)  # saved with the session
        text, media = "", []
        arguments = call.get("arguments") or {}
        parent = self._continued(arguments)
        async for chunk in tool.run(arguments, context):
            if chunk.type == ChunkType.COMPLETE_MESSAGE and isinstance(chunk, TextStreamChunk):
                text = str((chunk.complete_message or {}).get("content") or "")
            elif chunk.type == ChunkType.MEDIA and isinstance(chunk, MultimodalStreamChunk):
                if parent is not None:  # an agent's edit of a session image joins that image's versions
                    chunk = await self.session.persist_media(chunk, parent=parent, edit=arguments.get("prompt"),
                                                             via="continuation")
                media.append(chunk)
            else:
                chunk.source = agent_id
                await emit(chunk)
        return ToolRun(text or f"{tool.name} finished without a result", media)

    def _continued(self, arguments: Any) -> MediaItem | None:
        """The session image a call continues (its continue_from), or None."""
        if not isinstance(arguments, dict) or not arguments.get("continue_from"):
            return None
        return self.session.find_media(str(arguments["continue_from"]))
