"""One provider turn (one request and its streamed reply): builds the chunks and the final message in
the contract's order. (An agent's coordination turn, which may take several, is massgen.orchestrator's AgentTurn.)

Deltas go out as they come; the turn ends with TOOL_CALLS (if any), COMPLETE_MESSAGE and DONE, or
with ERROR (carrying the text streamed so far) and DONE.
"""

from __future__ import annotations

from typing import Any

from massgen.stream_chunk import BaseStreamChunk, ChunkType, MultimodalStreamChunk, TextStreamChunk

from .tool_calls import ToolCallAccumulator


class ProviderTurn:
    """Accumulates text, reasoning, tool calls and media of one turn for `source` (the agent id)."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.text: list[str] = []
        self.reasoning_text: list[str] = []
        self.tools = ToolCallAccumulator()
        self.media: list[MultimodalStreamChunk] = []
        self.response_id: str | None = None
        self.usage: dict[str, Any] | None = None
        self.error: str | None = None
        self.started = False

    # -- deltas -------------------------------------------------------------------------

    def content(self, delta: str) -> TextStreamChunk:
        self.started = True
        self.text.append(delta)
        return TextStreamChunk(type=ChunkType.CONTENT, source=self.source, content=delta)

    def reasoning(self, delta: str, item_id: str | None = None) -> TextStreamChunk:
        self.started = True
        self.reasoning_text.append(delta)
        return TextStreamChunk(type=ChunkType.REASONING, source=self.source, reasoning_delta=delta, item_id=item_id)

    def add_media(self, chunk: MultimodalStreamChunk) -> MultimodalStreamChunk:
        """Record a final MEDIA chunk (its payload is shared, not copied, with the complete message)."""
        self.started = True
        self.media.append(chunk)
        return chunk

    def progress(self, chunk: MultimodalStreamChunk) -> MultimodalStreamChunk:
        self.started = True
        return chunk

    def status(self, status: str, detail: str) -> TextStreamChunk:
        return TextStreamChunk(type=ChunkType.BACKEND_STATUS, source=self.source, status=status, content=detail)

    def fail(self, message: str) -> None:
        """End the turn with ERROR (the provider said so in-band, or the stream broke)."""
        self.error = message

    # -- the end ----------------------------------------------------------------------

    def message(self) -> dict[str, Any]:
        """The assistant message in the internal format, with generated media as items."""
        text = "".join(self.text)
        out: dict[str, Any] = {"role": "assistant", "content": text}
        if self.media:
            items: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
            for chunk in self.media:
                meta = chunk.media_metadata
                items.append({"type": "image", "base64": chunk.media_data,
                              "mime_type": meta.mime_type if meta else "image/png"})
            out["content"] = items
        calls = self.tools.calls()
        if calls:
            out["tool_calls"] = calls
        return out

    def finish(self) -> list[BaseStreamChunk]:
        """The closing chunks: ERROR + DONE after a failure, else TOOL_CALLS?, COMPLETE_MESSAGE, DONE."""
        done = TextStreamChunk(type=ChunkType.DONE, source=self.source)
        if self.error is not None:
            partial = {"role": "assistant", "content": "".join(self.text)}
            return [TextStreamChunk(type=ChunkType.ERROR, source=self.source, error=self.error,
                                    complete_message=partial), done]
        message = self.message()
        out: list[BaseStreamChunk] = []
        if message.get("tool_calls"):
            out.append(TextStreamChunk(type=ChunkType.TOOL_CALLS, source=self.source, tool_calls=message["tool_calls"]))
        out.append(TextStreamChunk(type=ChunkType.COMPLETE_MESSAGE, source=self.source, complete_message=message,
                                   response=self._response_info()))
        out.append(done)
        return out

    def _response_info(self) -> dict[str, Any] | None:
        info = {k: v for k, v in (("id", self.response_id), ("usage", self.usage)) if v}
        return info or None
