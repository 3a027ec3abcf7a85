"""format_tools: canonical tool definitions -> Chat Completions, Responses, Claude and Gemini, with
JSON-schema unions converted for Gemini (never dropped) and the SDKs' own types as the judge."""

from __future__ import annotations

import copy

import pytest
from anthropic.types import ToolParam
from google.genai import types
from openai.types.chat import ChatCompletionFunctionToolParam
from openai.types.responses import FunctionToolParam

from massgen.formatter import APIS, MessageFormatError, MessageFormatter, format_tools
from sdk_shapes import shape_errors

VOTE = {
    "name": "vote",
    "description": "Vote for the best answer.",
    "parameters": {
        "type": "object",
        "properties": {
            "agent_id": {"type": "string", "enum": ["a1", "a2"]},
            "reason": {"type": ["string", "null"], "description": "why"},
            "weight": {"type": ["integer", "string"], "minimum": 0, "maxLength": 3},
            "tags": {"type": "array", "items": {"type": ["string", "null"]}, "maxItems": 5},
            "mode": {"oneOf": [{"type": "string", "const": "fast"}, {"type": "null"}]},
            "target": {"$ref": "#/$defs/Target"},
        },
        "required": ["agent_id"],
        "additionalProperties": False,
        "$defs": {"Target": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}},
    },
}


def test_every_api_shape_from_canonical_and_chat_style_input():
    chat_style = {"type": "function", "function": copy.deepcopy(VOTE)}
    for tools in ([VOTE], [chat_style]):
        chat = format_tools(tools, "chat_completions")
        assert chat == [{"type": "function", "function": {**VOTE, "parameters": VOTE["parameters"]}}]
        assert shape_errors(chat[0], ChatCompletionFunctionToolParam) == []

        responses = format_tools(tools, "responses")
        assert responses == [{"type": "function", "name": "vote", "description": VOTE["description"],
                              "parameters": VOTE["parameters"], "strict": False}]
        assert shape_errors(responses[0], FunctionToolParam) == []

        claude = MessageFormatter.format_tools(tools, "claude")
        assert claude == [{"name": "vote", "description": VOTE["description"], "input_schema": VOTE["parameters"]}]
        assert shape_errors(claude[0], ToolParam) == []
    assert format_tools([], "gemini") == [] and format_tools(None, "claude") == []


def test_gemini_unions_become_nullable_and_any_of():
    (tool,) = format_tools([VOTE], "gemini")
    (decl,) = tool["function_declarations"]
    params = decl["parameters"]
    props = params["properties"]
    assert set(props) == set(VOTE["parameters"]["properties"])  # nothing dropped
    assert props["agent_id"] == {"type": "STRING", "enum": ["a1", "a2"]}
    assert props["reason"] == {"type": "STRING", "description": "why", "nullable": True}
    assert props["weight"] == {"any_of": [{"type": "INTEGER", "minimum": 0}, {"type": "STRING", "max_length": 3}]}
    assert props["tags"] == {"type": "ARRAY", "items": {"type": "STRING", "nullable": True}, "max_items": 5}
    assert props["mode"] == {"type": "STRING", "enum": ["fast"], "nullable": True}
    assert props["target"] == {"type": "OBJECT", "properties": {"x": {"type": "NUMBER"}}, "required": ["x"]}
    assert params["required"] == ["agent_id"] and params["type"] == "OBJECT"

    validated = types.Tool.model_validate(tool)
    schema = validated.function_declarations[0].parameters
    assert schema.properties["reason"].nullable is True
    assert [s.type for s in schema.properties["weight"].any_of] == [types.Type.INTEGER, types.Type.STRING]


def test_gemini_schemas_beyond_its_subset_go_as_json_schema_unchanged():
    recursive = {"type": "object", "properties": {"node": {"$ref": "#/$defs/Node"}},
                 "$defs": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Node"}}}}}
    combined = {"type": "object", "properties": {"v": {"allOf": [{"type": "string"}, {"minLength": 2}]}}}
    integer_enum = {"type": "object", "properties": {"level": {"type": "integer", "enum": [1, 2, 3]}}}
    for schema in (recursive, combined, integer_enum):
        (tool,) = format_tools([{"name": "t", "description": "", "parameters": schema}], "gemini")
        (decl,) = tool["function_declarations"]
        assert "parameters" not in decl and decl["parameters_json_schema"] == schema
        types.Tool.model_validate(tool)


def test_tool_without_parameters_and_claude_style_input():
    (tool,) = format_tools([{"name": "stop"}], "gemini")
    assert tool == {"function_declarations": [{"name": "stop", "description": ""}]}
    claude_style = {"name": "look", "description": "d", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}
    (chat,) = format_tools([claude_style], "chat_completions")
    assert chat["function"]["parameters"] == claude_style["input_schema"]
    (empty,) = format_tools([{"name": "stop"}], "claude")
    assert empty["input_schema"] == {"type": "object", "properties": {}}


@pytest.mark.parametrize(("tools", "api", "message"), [
    ([{"name": "ok"}, {"description": "no name"}], "claude", "tools[1]: a tool has no 'name'; give every tool a non-empty name"),
    ([{"name": "f", "parameters": {"type": "string"}}], "responses", "tools[0] (f): 'parameters' is not a JSON Schema object"),
    (["vote"], "gemini", "tools[0]: is a str"),
    ([{"name": "f"}], "bedrock", f"format_tools: api 'bedrock' is not one of {', '.join(APIS)}"),
])
def test_bad_tool_definitions_fail_with_one_line_naming_them(tools, api, message):
    with pytest.raises(MessageFormatError) as err:
        format_tools(tools, api)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)
