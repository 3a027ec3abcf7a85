"""JSON-safe encoding of chunk values: bytes travel as tagged base64 so they come back as bytes."""

from __future__ import annotations

import base64
from typing import Any

BYTES_TAG = "__bytes_b64__"


def encode_value(value: Any) -> Any:
    """Recursively turn bytes into {BYTES_TAG: base64} so json.dumps accepts the result."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {BYTES_TAG: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def decode_value(value: Any) -> Any:
    """Inverse of `encode_value`."""
    if isinstance(value, dict):
        if len(value) == 1 and BYTES_TAG in value:
            return base64.b64decode(value[BYTES_TAG])
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value
