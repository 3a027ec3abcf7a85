"""JSON Schema -> the Gemini `Schema` subset (OpenAPI 3.0 style), without dropping unions.

`type: [..]` becomes `nullable` (for "null") and/or `any_of`; oneOf becomes any_of; string `const`
becomes a one-value enum; local `$ref`s are inlined. A schema using anything this subset cannot
express raises `Unconvertible`, and the caller then sends the JSON Schema unchanged instead
(FunctionDeclaration.parameters_json_schema), so nothing is lost either way.
"""

from __future__ import annotations

from typing import Any, Mapping

JSON_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}
# JSON Schema keyword -> Gemini Schema field, for keywords that carry over unchanged.
_SAME = {
    "description": "description", "title": "title", "format": "format", "pattern": "pattern", "default": "default",
    "minimum": "minimum", "maximum": "maximum", "minLength": "min_length", "maxLength": "max_length",
    "minItems": "min_items", "maxItems": "max_items", "minProperties": "min_properties",
    "maxProperties": "max_properties", "required": "required", "nullable": "nullable",
    "propertyOrdering": "property_ordering", "example": "example",
}
# Annotations with no effect on what a model may send.
_IGNORED = {"$schema", "$id", "$comment", "readOnly", "writeOnly", "deprecated", "$defs", "definitions", "examples"}
_BY_TYPE = {
    "object": {"properties", "required", "minProperties", "maxProperties", "additionalProperties", "propertyOrdering"},
    "array": {"items", "minItems", "maxItems"},
    "string": {"enum", "const", "format", "pattern", "minLength", "maxLength"},
    "number": {"minimum", "maximum", "format"},
    "integer": {"minimum", "maximum", "format"},
}


class Unconvertible(Exception):
    """The schema uses a keyword the Gemini Schema subset cannot express; the message names it."""


def to_gemini_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The Gemini Schema dict for a JSON Schema; raises Unconvertible when it would lose meaning."""
    defs = {**(schema.get("definitions") or {}), **(schema.get("$defs") or {})}
    return _convert(schema, defs, ())


def _convert(schema: Any, defs: Mapping[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    if schema is True or schema == {}:
        raise Unconvertible("an unconstrained sub-schema")
    if not isinstance(schema, Mapping):
        raise Unconvertible(f"a sub-schema that is a {type(schema).__name__}")
    if "$ref" in schema:
        return _convert_ref(schema, defs, seen)
    if "anyOf" in schema or "oneOf" in schema:
        return _convert_union(schema, defs, seen)
    types = schema.get("type")
    if isinstance(types, list):
        return _convert_type_list(schema, types, defs, seen)
    return _convert_single(schema, defs, seen)


def _convert_single(schema: Mapping[str, Any], defs: Mapping[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SAME:
            out[_SAME[key]] = value
        elif key == "type":
            out["type"] = _type_name(value)
        elif key == "properties":
            out["properties"] = {name: _convert(sub, defs, seen) for name, sub in value.items()}
        elif key == "items":
            out["items"] = _convert(value, defs, seen)
        elif key in ("enum", "const"):
            out.update(_enum(value if key == "enum" else [value]))
        elif key == "additionalProperties":
            if value not in (False, True):
                raise Unconvertible("additionalProperties with a schema")
        elif key not in _IGNORED:
            raise Unconvertible(f"the keyword {key!r}")
    return out


def _convert_type_list(schema: Mapping[str, Any], types: list, defs: Mapping[str, Any], seen: tuple[str, ...]) -> dict:
    """`type: [A, "null"]` -> nullable A; `type: [A, B]` -> any_of with each branch's own keywords."""
    real = [t for t in types if t != "null"]
    nullable = len(real) < len(types)
    if len(real) <= 1:
        single = {**schema, "type": real[0] if real else "null"}
        out = _convert_single(single, defs, seen)
    else:
        shared = {k: v for k, v in schema.items() if k not in set().union(*_BY_TYPE.values()) and k != "type"}
        out = _convert_single(shared, defs, seen)
        branches = []
        for name in real:
            own = {k: v for k, v in schema.items() if k in _BY_TYPE.get(name, ())}
            branches.append(_convert_single({**own, "type": name}, defs, seen))
        out["any_of"] = branches
    if nullable:
        out["nullable"] = True
    return out


def _convert_union(schema: Mapping[str, Any], defs: Mapping[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    """anyOf / oneOf -> any_of; a {"type": "null"} branch becomes nullable."""
    key = "anyOf" if "anyOf" in schema else "oneOf"
    if "anyOf" in schema and "oneOf" in schema:
        raise Unconvertible("anyOf together with oneOf")
    rest = {k: v for k, v in schema.items() if k != key}
    out = _convert_single(rest, defs, seen)
    branches = [b for b in schema[key] if not (isinstance(b, Mapping) and b.get("type") == "null" and len(b) == 1)]
    if len(branches) < len(schema[key]):
        out["nullable"] = True
    converted = [_convert(b, defs, seen) for b in branches]
    if len(converted) == 1 and not (set(converted[0]) & set(out)):
        out.update(converted[0])
    else:
        out["any_of"] = converted
    return out


def _convert_ref(schema: Mapping[str, Any], defs: Mapping[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    ref = schema["$ref"]
    prefix = next((p for p in ("#/$defs/", "#/definitions/") if isinstance(ref, str) and ref.startswith(p)), None)
    name = ref[len(prefix):] if prefix else None
    if name is None or name not in defs:
        raise Unconvertible(f"the reference {ref!r}")
    if name in seen:
        raise Unconvertible(f"the recursive reference {ref!r}")
    out = _convert(defs[name], defs, (*seen, name))
    siblings = {k: v for k, v in schema.items() if k != "$ref"}
    out.update(_convert_single(siblings, defs, seen))
    return out


def _type_name(value: Any) -> str:
    if value not in JSON_TYPES:
        raise Unconvertible(f"the type {value!r}")
    return str(value).upper()


def _enum(values: list) -> dict[str, Any]:
    """Gemini enums are strings only; a null member becomes nullable."""
    members = [v for v in values if v is not None]
    if not all(isinstance(v, str) for v in members):
        raise Unconvertible("a non-string enum")
    out: dict[str, Any] = {"enum": members}
    if len(members) < len(values):
        out["nullable"] = True
    return out
