"""Enums read from text: JSON, YAML and callers may give a member, its value or its name."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


def coerce_enum(enum_cls: type[E], value: Any, field_name: str) -> E | None:
    """Accept an enum member, its value or its name; name the allowed values otherwise."""
    if value is None or isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        for member in enum_cls:
            if member.value == lowered or member.name.lower() == lowered:
                return member
    allowed = ", ".join(m.value for m in enum_cls)
    raise ValueError(f"{field_name}: {value!r} is not one of: {allowed}")
