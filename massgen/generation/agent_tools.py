"""YAML `tools:` entries (image/video/audio generation, text extraction) as function tools for an agent.

`tools_for_agent(tool_configs)` checks the entries and returns AgentTools. Each has a canonical
`definition` ({name, description, parameters}) and `run(arguments, context)`, an async iterator of
chunks (MEDIA_PROGRESS, MEDIA, ERROR) that ends with one COMPLETE_MESSAGE chunk whose
`complete_message` is the role-"tool" message to hand back to the model: JSON text naming the
files made and their continuation ids, or the error. `run` never raises for bad arguments or
provider failures; those become the error in that message.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from abc import ABC, abstractmethod
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator, Mapping, Sequence

from massgen.errors import ConfigError
from massgen.media.kinds import MediaType
from massgen.stream_chunk import BaseStreamChunk, ChunkType, MultimodalStreamChunk, TextStreamChunk

from . import tool_specs
from .errors import GenerationInputError
from .store import ContinuationStore

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass
class ToolContext:
    """What the orchestrator knows when it runs a tool call."""

    agent_id: str | None = None
    call_id: str | None = None
    output_dir: str | os.PathLike[str] = "."
    store: ContinuationStore | None = None  # the session's; without one, results cannot be refined later
    workdir: str | os.PathLike[str] | None = None
    allowed_roots: Sequence[str | os.PathLike[str]] | None = None
    environ: Mapping[str, str] | None = None

    @classmethod
    def coerce(cls, value: "ToolContext | Mapping[str, Any] | None") -> "ToolContext":
        if isinstance(value, ToolContext):
            return value
        return cls(**dict(value or {}))

    def resolve(self, path: str) -> str:
        """A path argument from the model, relative to the workdir and inside the allowed roots."""
        candidate = Path(path).expanduser()
        if not candidate.is_absolute():
            candidate = Path(self.workdir or os.getcwd()) / candidate
        resolved = candidate.resolve()
        if self.allowed_roots is not None and not any(
            resolved.is_relative_to(Path(root).resolve()) for root in self.allowed_roots
        ):
            raise GenerationInputError(f"{path}: outside the folders this agent may read; use a file inside them")
        return os.fspath(resolved)


class AgentTool(ABC):
    """A function tool: `definition` for the model, `run` for the orchestrator."""

    def __init__(self, name: str, tool_type: str, config: Mapping[str, Any]) -> None:
        self.name = name
        self.tool_type = tool_type
        self.config = dict(config)

    @property
    @abstractmethod
    def definition(self) -> dict[str, Any]:
        """Canonical tool definition: {name, description, parameters}."""

    @abstractmethod
    def run(self, arguments: Mapping[str, Any] | str, context: ToolContext | Mapping[str, Any] | None = None
            ) -> AsyncIterator[BaseStreamChunk]:
        """Chunks while working, ending in the COMPLETE_MESSAGE that carries the tool result."""

    def result_chunk(self, context: ToolContext, payload: dict[str, Any]) -> TextStreamChunk:
        message = {"role": "tool", "tool_call_id": context.call_id or "", "name": self.name,
                   "content": json.dumps(payload, ensure_ascii=False)}
        return TextStreamChunk(type=ChunkType.COMPLETE_MESSAGE, source=context.agent_id, complete_message=message)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} ({self.tool_type})>"


class MediaGenerationTool(AgentTool):
    """image_generation / video_generation / audio_generation."""

    @property
    def media_type(self) -> MediaType:
        return tool_specs.MEDIA_TOOL_TYPES[self.tool_type]

    @property
    def definition(self) -> dict[str, Any]:
        return tool_specs.media_definition(self.name, self.media_type, self.config)

    async def run(self, arguments: Mapping[str, Any] | str, context: ToolContext | Mapping[str, Any] | None = None
                  ) -> AsyncIterator[BaseStreamChunk]:
        from .generate import generate_media

        ctx = ToolContext.coerce(context)
        files: list[dict[str, Any]] = []
        errors: list[str] = []
        try:
            args = tool_specs.parse_arguments(arguments, self.definition)
            if args.get("input_images"):
                args["input_images"] = [ctx.resolve(p) for p in args["input_images"]]
            output_dir = self.config.get("output_dir") or ctx.output_dir
            config = {k: v for k, v in self.config.items() if k not in ("description", "output_dir")}
            stream = generate_media(mode=self.media_type.value, config=config, store=ctx.store,
                                    output_dir=output_dir, source=ctx.agent_id, environ=ctx.environ, **args)
            async with aclosing(stream) as chunks:
                async for chunk in chunks:
                    _collect(chunk, files, errors)
                    yield chunk
        except GenerationInputError as exc:
            errors.append(str(exc))
        payload: dict[str, Any] = {"success": bool(files), "mode": self.media_type.value, "files": files}
        if errors:
            payload["errors"] = errors
        if files:
            payload["hint"] = "to change a file, call again with its continuation_id as continue_from"
        yield self.result_chunk(ctx, payload)


class TextExtractionTool(AgentTool):
    """text_extraction: text and tables from PDFs, OCR for images."""

    @property
    def definition(self) -> dict[str, Any]:
        return tool_specs.text_definition(self.name, self.config)

    async def run(self, arguments: Mapping[str, Any] | str, context: ToolContext | Mapping[str, Any] | None = None
                  ) -> AsyncIterator[BaseStreamChunk]:
        from . import text_extraction

        ctx = ToolContext.coerce(context)
        try:
            args = tool_specs.parse_arguments(arguments, self.definition)
            path = ctx.resolve(args["path"])
            result = await text_extraction.extract_text_async(
                path,
                languages=args.get("languages") or self.config.get("languages") or ("en",),
                preserve_formatting=bool(self.config.get("preserve_formatting", True)),
                tables=bool(self.config.get("tables", True)),
                pages=args.get("pages"),
                max_chars=int(self.config.get("max_chars", text_extraction.DEFAULT_MAX_CHARS)),
                ocr_timeout=float(self.config.get("ocr_timeout", text_extraction.DEFAULT_OCR_TIMEOUT)),
            )
        except (GenerationInputError, text_extraction.ExtractionError) as exc:
            yield self.result_chunk(ctx, {"success": False, "error": str(exc)})
            return
        yield self.result_chunk(ctx, {"success": True, **result.to_dict()})


def _collect(chunk: BaseStreamChunk, files: list[dict[str, Any]], errors: list[str]) -> None:
    if chunk.type == ChunkType.MEDIA and isinstance(chunk, MultimodalStreamChunk):
        item = chunk.item()
        files.append({"path": item.path, "mime_type": item.mime_type, "continuation_id": item.continuation_id,
                      "backend": item.generator, "prompt": item.prompt})
    elif chunk.type == ChunkType.ERROR:
        errors.append(getattr(chunk, "text_content", None) or "generation failed")


_CLASSES = {"image_generation": MediaGenerationTool, "video_generation": MediaGenerationTool,
            "audio_generation": MediaGenerationTool, "text_extraction": TextExtractionTool}


def tools_for_agent(tool_configs: Sequence[Mapping[str, Any]] | None, where: str = "tools") -> list[AgentTool]:
    """AgentTools for an agent's YAML `tools:` entries; a ConfigError names the bad entry and the fix."""
    tools: list[AgentTool] = []
    seen: set[str] = set()
    for i, entry in enumerate(tool_configs or ()):
        label = f"{where}[{i}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{label}: each tool is a mapping with type, name and config")
        tool_type = str(entry.get("type", "")).strip().lower()
        if tool_type not in _CLASSES:
            raise ConfigError(f"{label}: type {entry.get('type')!r} is not one of: {', '.join(sorted(_CLASSES))}"
                              + _suggest(tool_type, _CLASSES))
        _check_keys(entry, {"name", "type", "config", "description"}, label)
        name = str(entry.get("name") or tool_specs.DEFAULT_NAMES[tool_type])
        if not _NAME.match(name):
            raise ConfigError(f"{label}: name {name!r} may only use letters, digits, '_' and '-' (at most 64)")
        if name in seen:
            raise ConfigError(f"{label}: another tool is already named {name!r}; give each tool its own name")
        seen.add(name)
        config = entry.get("config") or {}
        if not isinstance(config, Mapping):
            raise ConfigError(f"{label}.config: expected a mapping of settings")
        _check_keys(config, tool_specs.CONFIG_KEYS[tool_type], f"{label}.config")
        tools.append(_CLASSES[tool_type](name, tool_type, _with_description(config, entry)))
    return tools


def _with_description(config: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(config)
    if entry.get("description"):
        out["description"] = str(entry["description"])
    return out


def _check_keys(mapping: Mapping[str, Any], allowed: set[str] | frozenset[str], label: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise ConfigError(f"{label}: unknown key {key!r}{_suggest(str(key), allowed)}; known: {', '.join(sorted(allowed))}")


def _suggest(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
