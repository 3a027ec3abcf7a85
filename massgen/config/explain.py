"""Turn pydantic's validation errors into `file:line: path: what; fix` lines with did-you-mean hints."""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Any, Iterable, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from massgen.config.errors import Loc, problem, shown
from massgen.config.models import BACKEND_TAGS, SPECIFIC_BACKENDS, BackendConfig, TeamConfig
from massgen.config.yaml_source import SourceMap
from massgen.providers import chat_names, chat_types

SECRET_KEYS = frozenset({"api_key"})

# pydantic error type -> (what was expected, how to write it)
_KINDS = {
    "string_type": ("text", "put it in quotes"),
    "int_type": ("a whole number", "write a number such as 5"),
    "int_parsing": ("a whole number", "write a number such as 5"),
    "int_from_float": ("a whole number", "write a number without a fraction"),
    "float_type": ("a number", "write a number such as 0.7"),
    "float_parsing": ("a number", "write a number such as 0.7"),
    "bool_type": ("true or false", "write true or false"),
    "bool_parsing": ("true or false", "write true or false"),
    "list_type": ("a list", "write a list, one `- item` per line or [a, b]"),
    "dict_type": ("a mapping", "write `key: value` lines indented under it"),
    "model_type": ("a mapping", "write `key: value` lines indented under it"),
    "model_attributes_type": ("a mapping", "write `key: value` lines indented under it"),
    "path_type": ("a folder path", "write a path such as outputs/"),
}


def explain(err: ValidationError, source: SourceMap) -> list[tuple[int, str]]:
    """(line, message) for every error pydantic found, in the order it found them."""
    out = []
    items = err.errors(include_url=False)
    suggested = {(_clean(e["loc"])[:-1], _suggested_key(e["loc"])) for e in items if e["type"] == "extra_forbidden"}
    for item in items:
        raw_loc = tuple(item["loc"])
        if item["type"] == "missing" and (_clean(raw_loc)[:-1], raw_loc[-1]) in suggested:
            continue  # `idd:` already says "did you mean 'id'?"; "id missing" would be noise
        loc = _clean(raw_loc)
        if item["type"] == "backend_type" and isinstance(item.get("input"), dict):
            loc = (*loc, "type")  # point at the `type:` line itself
        what, fix = describe(item, raw_loc, loc)
        line = source.line_of(loc) or 0
        out.append((line, problem(source.where(loc), loc, what, fix)))
    return out


def _clean(raw_loc: Any) -> Loc:
    """A pydantic location as the user's path: no union tags, no `[key]` markers."""
    return tuple(p for p in raw_loc if p not in BACKEND_TAGS and p != "[key]")


def _suggested_key(raw_loc: Any) -> str | None:
    model = model_at(tuple(raw_loc[:-1]))
    return suggest(raw_loc[-1], list(model.model_fields)) if model else None


def suggest(value: Any, options: list[str]) -> str | None:
    """The option the user most likely meant: a close spelling, or the one option it abbreviates."""
    text = str(value).strip().lower()
    close = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    starts = [o for o in options if len(text) >= 3 and o.lower().startswith(text)]
    return starts[0] if len(starts) == 1 else None


def describe(item: ErrorDetails, raw_loc: Loc, loc: Loc) -> tuple[str, str]:
    """What is wrong and what to do, for one pydantic error."""
    kind, value = item["type"], item.get("input")
    secret = any(p in SECRET_KEYS for p in loc)
    got = "" if secret else f", got {shown(value)}"
    if kind == "extra_forbidden":
        return _unknown_key(raw_loc)
    if kind == "missing":
        return "missing required key", f"add `{loc[-1]}: ...` to {'the file' if len(loc) == 1 else 'this section'}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", item.get("ctx", {}).get("expected", ""))
        return _not_one_of(value, allowed, "[key]" in raw_loc)
    if kind == "backend_type":
        return _backend_type(value)
    if kind == "too_short" and loc == ("agents",):
        return "no agents", "add at least one agent with an id and a backend"
    if kind in _KINDS:
        expected, fix = _KINDS[kind]
        return f"expected {expected}{got}", fix
    if kind == "string_pattern_mismatch":
        return _pattern(loc, got)
    message = item["msg"].removeprefix("Value error, ")
    if "; " in message:  # our own validators already say what and what to do
        what, fix = message.split("; ", 1)
        return what, fix
    return message.replace("Input should be", "must be") + got, "change the value"


def _unknown_key(raw_loc: Loc) -> tuple[str, str]:
    key = raw_loc[-1]
    model = model_at(raw_loc[:-1])
    known = sorted(model.model_fields) if model else []
    if model is not None and issubclass(model, BackendConfig) and key not in model.model_fields:
        owners = [t for cls in SPECIFIC_BACKENDS if key in cls.model_fields for t in cls.extra_for]
        if owners:
            return f"'{key}' is only for {' or '.join(owners)} backends", "remove it or change backend.type"
    close = suggest(key, known)
    if close:
        return f"unknown key; did you mean '{close}'?", ""
    return "unknown key", f"allowed here: {', '.join(known)}" if known else "remove it"


def _not_one_of(value: Any, allowed: list[str], is_key: bool) -> tuple[str, str]:
    what = f"{'key ' if is_key else ''}{shown(value)} is not one of: {', '.join(allowed)}"
    close = suggest(value, allowed)
    return what, f"did you mean '{close}'?" if close else "use one of those"


def _backend_type(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict):
        got = shown(value)
        return f"expected a mapping with `type:` and `model:`, got {got}", "write `type: <backend>` indented under backend"
    names = ", ".join(chat_types())
    if "type" not in value:
        return "missing required key", f"add `type: ...` (one of: {names})"
    close = suggest(value["type"], chat_names())
    what = f"{shown(value['type'])} is not a backend type"
    return what, f"did you mean '{close}'?" if close else f"use one of: {names}"


def _pattern(loc: Loc, got: str) -> tuple[str, str]:
    if loc[-1] == "id":
        return f"not a usable agent id{got}", "use letters, digits, '_', '-' or '.', starting with a letter or digit"
    if loc[-1] == "base_url":
        return f"not a URL{got}", "write a URL such as http://localhost:8000/v1"
    if loc[-1] == "name":
        return f"not a usable tool name{got}", "use letters, digits, '_' or '-' (at most 64)"
    return f"not in the expected form{got}", "change the value"


def model_at(raw_loc: Loc) -> type[BaseModel] | None:
    """The model class that a pydantic error location points into (tags pick the backend class)."""
    current: Any = TeamConfig
    for part in raw_loc:
        if isinstance(part, str) and part in BACKEND_TAGS:
            current = BACKEND_TAGS[part]
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (list, tuple) and isinstance(part, int):
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional; a union of several models is left for a tag to pick."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def secrets_in(data: Any) -> Iterable[str]:
    """Every api_key value anywhere in raw config data, to scrub from messages."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in SECRET_KEYS and isinstance(value, str):
                yield value
            else:
                yield from secrets_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from secrets_in(value)
