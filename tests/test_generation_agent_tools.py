"""YAML tools: entries as agent function tools: checking the entries, the definitions the model sees,
and running them to a tool-result message (files and continuation ids, or the error)."""

from __future__ import annotations

import json

import pytest

import generation_samples as samples
from generation_helpers import collect
from massgen.errors import ConfigError
from massgen.generation import ContinuationStore, tools_for_agent
from massgen.generation.agent_tools import ToolContext
from massgen.stream_chunk import ChunkType

pytestmark = pytest.mark.usefixtures("clean_env")

SEED_TOOLS = [
    {"name": "dalle_generate", "type": "image_generation",
     "config": {"model": "dall-e-3", "size": "1024x1024", "quality": "hd", "style": "vivid"}},
    {"name": "stable_diffusion", "type": "image_generation",
     "config": {"model": "sdxl-turbo", "steps": 25, "cfg_scale": 7.5, "sampler": "DPM++ 2M Karras"}},
    {"name": "ocr_tool", "type": "text_extraction",
     "config": {"languages": ["en", "es", "fr", "de", "zh", "ja"], "preserve_formatting": True}},
]

pytest_plugins = ("generation_fixtures",)


def result_of(chunks):
    last = chunks[-1]
    assert last.type == ChunkType.COMPLETE_MESSAGE and last.complete_message["role"] == "tool"
    return json.loads(last.complete_message["content"])


def test_the_seed_case_study_tools_load_with_canonical_definitions():
    tools = tools_for_agent(SEED_TOOLS)
    assert [t.name for t in tools] == ["dalle_generate", "stable_diffusion", "ocr_tool"]
    for tool in tools:
        definition = tool.definition
        assert set(definition) == {"name", "description", "parameters"}
        assert definition["name"] == tool.name and definition["parameters"]["type"] == "object"
        json.dumps(definition)
    assert "prompts" in tools[0].definition["parameters"]["properties"]
    assert tools[2].definition["parameters"]["required"] == ["path"]


@pytest.mark.parametrize("entry,message", [
    ({"type": "image_generaton"}, "did you mean 'image_generation'"),
    ({"type": "image_generation", "config": {"cfg_sclae": 7}}, "unknown key 'cfg_sclae' (did you mean 'cfg_scale'?)"),
    ({"type": "image_generation", "name": "has space"}, "may only use letters"),
    ({"type": "image_generation", "config": ["x"]}, "expected a mapping"),
    ({"type": "text_extraction", "colour": 1}, "unknown key 'colour'"),
    ("image_generation", "each tool is a mapping"),
])
def test_bad_entries_are_config_errors_naming_the_entry(entry, message):
    with pytest.raises(ConfigError) as err:
        tools_for_agent([entry], where="agents[1].tools")
    assert message in str(err.value) and "agents[1].tools[0]" in str(err.value)


def test_duplicate_names_are_an_error():
    with pytest.raises(ConfigError, match="already named 'generate_image'"):
        tools_for_agent([{"type": "image_generation"}, {"type": "image_generation"}])


async def test_running_an_image_tool_streams_media_and_ends_with_the_tool_result(tmp_path):
    [tool] = tools_for_agent([{"type": "image_generation", "config": {"backend": "demo", "size": "320x200"}}])
    store = ContinuationStore()
    context = ToolContext(agent_id="artist", call_id="call_7", output_dir=tmp_path, store=store)
    chunks = await collect(tool.run({"prompts": ["a kite", "a moon"]}, context))
    assert [c.type for c in chunks].count(ChunkType.MEDIA) == 2
    result = result_of(chunks)
    assert result["success"] is True and len(result["files"]) == 2
    assert chunks[-1].complete_message["tool_call_id"] == "call_7" and chunks[-1].source == "artist"
    first = result["files"][0]
    assert first["continuation_id"] in store and first["path"].endswith(".png")
    again = await collect(tool.run(json.dumps({"prompt": "darker", "continue_from": first["continuation_id"]}),
                                   context))
    assert result_of(again)["success"] is True


@pytest.mark.parametrize("arguments,message", [
    ({"prompt": "x", "colour": "red"}, "unknown argument 'colour'"),
    ({"prompt": 3}, "must be a string"),
    ({"prompts": ["a", 2]}, "list of strings"),
    ("{broken", "not valid JSON"),
    ({"prompt": "x", "continue_from": "demo:forgotten"}, "unknown or expired"),
    ({"prompt": "x", "input_images": ["missing.png"]}, "missing.png"),
])
async def test_bad_arguments_become_an_error_result_not_an_exception(tmp_path, arguments, message):
    [tool] = tools_for_agent([{"type": "image_generation", "config": {"backend": "demo"}}])
    chunks = await collect(tool.run(arguments, {"output_dir": tmp_path, "store": ContinuationStore(), "workdir": tmp_path}))
    result = result_of(chunks)
    assert result["success"] is False and any(message in e for e in result["errors"])


async def test_unavailable_backend_in_the_config_is_reported_to_the_model(tmp_path):
    [tool] = tools_for_agent([SEED_TOOLS[0]])
    result = result_of(await collect(tool.run({"prompt": "x"}, {"output_dir": tmp_path})))
    assert result["success"] is False and "OPENAI_API_KEY" in result["errors"][0]


async def test_input_images_outside_the_allowed_folders_are_refused(tmp_path):
    [tool] = tools_for_agent([{"type": "image_generation", "config": {"backend": "demo"}}])
    context = ToolContext(output_dir=tmp_path, allowed_roots=[tmp_path / "inbox"], store=ContinuationStore())
    result = result_of(await collect(tool.run({"prompt": "x", "input_images": ["/etc/hostname"]}, context)))
    assert "outside the folders" in result["errors"][0]


async def test_text_extraction_tool_reads_a_pdf(tmp_path):
    samples.write_pdf(tmp_path / "report.pdf", [samples.text_page(["Invoice 2026-11", "Total due 42 EUR"])])
    [tool] = tools_for_agent([SEED_TOOLS[2]])
    result = result_of(await collect(tool.run({"path": "report.pdf"}, {"workdir": tmp_path})))
    assert result["success"] is True and "Total due 42 EUR" in result["text"] and result["pages"] == 1


async def test_text_extraction_tool_reports_a_bad_file(tmp_path):
    (tmp_path / "data.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    [tool] = tools_for_agent([SEED_TOOLS[2]])
    result = result_of(await collect(tool.run({"path": "data.zip"}, {"workdir": tmp_path})))
    assert result["success"] is False and "data.zip" in result["error"]


async def test_audio_and_video_tools_have_their_own_parameters():
    audio, video = tools_for_agent([{"type": "audio_generation", "config": {"voice": "alloy"}},
                                    {"type": "video_generation", "config": {"poll_timeout": 600}}])
    assert audio.definition["parameters"]["properties"]["audio_type"]["enum"] == ["speech", "sound_effect"]
    assert "duration" in video.definition["parameters"]["properties"]
    assert audio.name == "generate_audio" and video.name == "generate_video"
