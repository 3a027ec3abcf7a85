"""Strict check of a value against an SDK's TypedDict request types (openai, anthropic).

pydantic ignores unknown TypedDict keys and validates Iterable fields lazily, so it would pass a
misspelt key; this walks the type hints itself: every required key present, no unknown key,
Literal values exact, every union tried.
"""

from __future__ import annotations

import collections.abc
import typing
from typing import Any

from typing_extensions import is_typeddict

_WRAPPERS = {"Required", "NotRequired", "ReadOnly", "Annotated"}


def shape_errors(value: Any, tp: Any, path: str = "$") -> list[str]:
    """Problems found; an empty list means `value` fits `tp`."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if tp is Any or tp is object:
        return []
    if is_typeddict(tp):
        return _typeddict_errors(value, tp, path)
    if origin is typing.Union:
        return _union_errors(value, typing.get_args(tp), path)
    if origin is typing.Literal:
        return [] if value in typing.get_args(tp) else [f"{path}: {value!r} not in {typing.get_args(tp)}"]
    if origin in (list, collections.abc.Iterable, collections.abc.Sequence, typing.List):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        (item_tp,) = typing.get_args(tp) or (Any,)
        return [e for i, v in enumerate(value) for e in shape_errors(v, item_tp, f"{path}[{i}]")]
    if origin in (dict, collections.abc.Mapping, typing.Dict):
        return [] if isinstance(value, dict) else [f"{path}: expected a dict"]
    if tp is type(None):
        return [] if value is None else [f"{path}: expected None"]
    if isinstance(tp, type):
        if tp is float:
            return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: expected float"]
        return [] if isinstance(value, tp) else [f"{path}: expected {tp.__name__}, got {type(value).__name__}"]
    return []  # other typing constructs (TypeVars, protocols) are not checked


def _unwrap(tp: Any) -> Any:
    while getattr(typing.get_origin(tp), "_name", None) in _WRAPPERS or type(tp).__name__ == "_AnnotatedAlias":
        tp = typing.get_args(tp)[0]
    name = getattr(typing.get_origin(tp), "__name__", "") or getattr(tp, "_name", "")
    if name in _WRAPPERS and typing.get_args(tp):
        return _unwrap(typing.get_args(tp)[0])
    return tp


def _typeddict_errors(value: Any, tp: Any, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected {tp.__name__} (a dict), got {type(value).__name__}"]
    hints = typing.get_type_hints(tp, include_extras=True)
    errors = [f"{path}: unknown key {k!r} for {tp.__name__}" for k in value if k not in hints]
    errors += [f"{path}: missing required key {k!r} of {tp.__name__}" for k in tp.__required_keys__ if k not in value]
    for key, sub in value.items():
        if key in hints:
            errors += shape_errors(sub, hints[key], f"{path}.{key}")
    return errors


def _union_errors(value: Any, arms: tuple, path: str) -> list[str]:
    collected: list[str] = []
    for arm in arms:
        errors = shape_errors(value, arm, path)
        if not errors:
            return []
        collected.append("; ".join(errors[:2]))
    return [f"{path}: fits no arm of the union: " + " | ".join(collected[:4])]
