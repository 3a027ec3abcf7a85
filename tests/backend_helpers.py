"""Helpers for the backend tests: collect a turn's chunks, and options that keep tests fast."""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, TypeVar

import pytest

from massgen.stream_chunk import BaseStreamChunk, ChunkType

# Short timeouts and backoffs: no test waits seconds for a retry.
FAST = {"timeout": 2.0, "connect_timeout": 1.0, "max_retries": 2, "retry_initial_delay": 0.01,
        "retry_max_delay": 0.05, "retry_after_cap": 1.0}


B = TypeVar("B")


@pytest.fixture
async def closing() -> AsyncIterator[Callable[[B], B]]:
    """`closing(backend)` returns the backend and closes its SDK client when the test ends, on the test's loop."""
    made: list[Any] = []

    def keep(backend: B) -> B:
        made.append(backend)
        return backend

    yield keep
    for backend in made:
        await backend.aclose()


async def collect(stream: Any) -> list[BaseStreamChunk]:
    """Every chunk of one turn, awaiting the stream first as the seed's tests do."""
    response = await stream
    return [chunk async for chunk in response]


def kinds(chunks: list[BaseStreamChunk]) -> list[str]:
    """Chunk types in order, with runs of the same delta type collapsed (CONTENT x3 -> one)."""
    out: list[str] = []
    for chunk in chunks:
        name = chunk.type.value
        if not out or out[-1] != name or chunk.type not in (ChunkType.CONTENT, ChunkType.REASONING,
                                                            ChunkType.MEDIA_PROGRESS):
            out.append(name)
    return out


def text_of(chunks: list[BaseStreamChunk]) -> str:
    return "".join(c.content for c in chunks if c.type == ChunkType.CONTENT)


def reasoning_of(chunks: list[BaseStreamChunk]) -> str:
    return "".join(c.reasoning_delta for c in chunks if c.type == ChunkType.REASONING)


def only(chunks: list[BaseStreamChunk], kind: ChunkType) -> list[BaseStreamChunk]:
    return [c for c in chunks if c.type == kind]


def user(text: str, *items: dict[str, Any]) -> list[dict[str, Any]]:
    """One user message: text first, then media items."""
    return [{"role": "user", "content": [{"type": "text", "text": text}, *items]}]
