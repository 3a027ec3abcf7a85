"""A stand-in image tool runner for orchestrator tests: draws a small PNG with Pillow."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from massgen.orchestrator.turn import ToolRun
from massgen.stream_chunk import ChunkType, MediaEncoding, MediaMetadata, MediaType, MultimodalStreamChunk


def png(width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (20, 40, 160)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), rgb).save(out, "PNG")
    return out.getvalue()


class PaintTool:
    """`paint(prompt)`: writes a solid-colour PNG into `folder` and returns it as a MEDIA chunk."""

    def __init__(self, folder: Path, rgb: tuple[int, int, int] = (20, 40, 160)) -> None:
        self.folder = folder
        self.rgb = rgb
        self.prompts: list[str] = []
        self.definitions = [{"name": "paint", "description": "Draw an image from a prompt.",
                             "parameters": {"type": "object", "properties": {"prompt": {"type": "string"}},
                                            "required": ["prompt"]}}]

    def allow(self, paths: Any) -> None:
        """It reads no files (a ToolRunner is told the user's attachments all the same)."""

    async def run(self, call: dict[str, Any], agent_id: str, emit: Any) -> ToolRun:
        prompt = call["arguments"]["prompt"]
        self.prompts.append(prompt)
        await emit(MultimodalStreamChunk(type=ChunkType.MEDIA_PROGRESS, source=agent_id, media_id="paint-1",
                                         media_type=MediaType.IMAGE, progress_percentage=50.0))
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"paint-{len(self.prompts)}.png"
        path.write_bytes(png(rgb=self.rgb))
        meta = MediaMetadata(mime_type="image/png", width=64, height=48, prompt=prompt, generator="paint",
                             continuation_id=f"paint:{len(self.prompts)}")
        chunk = MultimodalStreamChunk(type=ChunkType.MEDIA, source=agent_id, media_type=MediaType.IMAGE,
                                      media_encoding=MediaEncoding.FILE_PATH, media_data=str(path),
                                      media_metadata=meta, media_id="paint-1")
        return ToolRun(f"Generated image: {path.name} (64x48)", [chunk])
