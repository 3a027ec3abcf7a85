"""The seed's §7.1 tests, as written (with ChunkType imported)."""

import pytest  # noqa: F401  (the seed imports it)
from massgen.stream_chunk import ChunkType, MediaEncoding, MediaType, MultimodalStreamChunk


def test_image_chunk_creation():
    """Test creating an image chunk."""
    chunk = MultimodalStreamChunk(
        type=ChunkType.MEDIA,
        media_type=MediaType.IMAGE,
        media_encoding=MediaEncoding.BASE64,
        media_data="base64_encoded_data_here"
    )
    assert chunk.validate()
    assert chunk.media_type == MediaType.IMAGE


def test_streaming_chunks():
    """Test streaming media chunks."""
    chunks = []
    for i in range(5):
        chunk = MultimodalStreamChunk(
            type=ChunkType.MEDIA,
            media_type=MediaType.VIDEO,
            is_partial=True,
            chunk_index=i,
            total_chunks=5
        )
        chunks.append(chunk)

    assert not chunks[0].is_complete()
    assert chunks[-1].is_complete()
