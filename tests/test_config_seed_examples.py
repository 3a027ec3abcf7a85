"""The seed's two case-study team YAMLs (000 §6) load from files exactly as printed there."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from massgen.config import AgentConfig, TeamConfig, load_config

# Seed 000 §6.1, verbatim.
IMAGE_GENERATION_TEAM = """\
# MassGen Configuration: Multimodal Image Generation Team
# Usage:
#   uv run python -m massgen.cli --config configs/multimodal/image_generation_team.yaml "create a futuristic cityscape"

agents:
  - id: "prompt_engineer"
    backend:
      type: "claude"
      model: "claude-3-5-sonnet"
      temperature: 0.7
      max_tokens: 2000
    system_message: |
      You are a prompt engineering specialist. Your job is to:
      1. Take user requirements and create detailed image generation prompts
      2. Optimize prompts for specific image generation models
      3. Suggest variations and improvements based on model capabilities

  - id: "dalle_artist"
    backend:
      type: "openai"
      model: "gpt-4o"
      tools:
        - name: "dalle_generate"
          type: "image_generation"
          config:
            model: "dall-e-3"
            size: "1024x1024"
            quality: "hd"
            style: "vivid"
    system_message: |
      You are an image generation specialist using DALL-E 3. Your job is to:
      1. Generate images based on prompts from the prompt engineer
      2. Create variations of successful images
      3. Provide feedback on generation quality and suggest improvements

  - id: "sd_artist"
    backend:
      type: "openai"
      model: "gpt-4"
      tools:
        - name: "stable_diffusion"
          type: "image_generation"
          config:
            model: "sdxl-turbo"
            steps: 25
            cfg_scale: 7.5
            sampler: "DPM++ 2M Karras"
    system_message: |
      You are an image generation specialist using Stable Diffusion. Your job is to:
      1. Generate images using Stable Diffusion XL
      2. Apply specific artistic styles and techniques
      3. Create photorealistic variations when needed

  - id: "art_director"
    backend:
      type: "claude"
      model: "claude-3-opus"
      multimodal_capabilities:
        input: ["image"]
        output: ["text"]
    system_message: |
      You are an art director with expertise in visual design. Your job is to:
      1. Review all generated images for quality and aesthetics
      2. Provide artistic feedback and direction
      3. Select the best outputs based on composition, color, and style
      4. Suggest refinements and combinations for improved results

ui:
  display_type: "rich_terminal"
  logging_enabled: true
  multimodal_display:
    images: "inline"  # Display images inline in terminal
    save_outputs: true  # Save generated images to disk
"""

# Seed 000 §6.2, verbatim.
DOCUMENT_ANALYSIS = """\
# MassGen Configuration: Document Analysis with Vision
# Usage:
#   uv run python -m massgen.cli --config configs/multimodal/document_analysis.yaml "analyze the uploaded document"

agents:
  - id: "vision_analyst"
    backend:
      type: "gemini"
      model: "gemini-2.5-pro"
      multimodal_capabilities:
        input: ["image", "document", "text"]
        output: ["text"]
    system_message: |
      You are a document analysis specialist with vision capabilities. Your job is to:
      1. Extract text from images and scanned documents
      2. Analyze document layout and structure
      3. Identify tables, charts, and diagrams
      4. Provide detailed content summaries

  - id: "data_extractor"
    backend:
      type: "openai"
      model: "gpt-4o"
      tools:
        - name: "ocr_tool"
          type: "text_extraction"
          config:
            languages: ["en", "es", "fr", "de", "zh", "ja"]
            preserve_formatting: true
    system_message: |
      You are a data extraction specialist. Your job is to:
      1. Extract structured data from documents
      2. Convert tables to CSV or JSON format
      3. Parse forms and extract field values
      4. Maintain data accuracy and completeness

ui:
  display_type: "rich_terminal"
  logging_enabled: true
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=[("image_generation_team.yaml", IMAGE_GENERATION_TEAM), ("document_analysis.yaml", DOCUMENT_ANALYSIS)],
                ids=["6.1-image-generation", "6.2-document-analysis"])
def seed_example(request, tmp_path: Path) -> tuple[Path, dict]:
    name, text = request.param
    return _write(tmp_path, name, text), yaml.safe_load(text)


def test_seed_example_loads_with_every_value_kept(seed_example) -> None:
    path, plain = seed_example
    team = load_config(path)
    assert isinstance(team, TeamConfig)
    assert team.path == path
    assert team.warnings == []
    assert [a.id for a in team.agents] == [a["id"] for a in plain["agents"]]
    for agent, raw in zip(team.agents, plain["agents"]):
        assert agent.system_message == raw["system_message"]
        backend = raw["backend"]
        assert agent.backend.type == backend["type"]
        assert agent.backend.model == backend["model"]
        for key in ("temperature", "max_tokens"):
            assert getattr(agent.backend, key) == backend.get(key)
        assert [t.model_dump() for t in agent.all_tools] == backend.get("tools", [])
        caps = backend.get("multimodal_capabilities")
        assert (agent.capabilities.model_dump() if agent.capabilities else None) == caps
    ui = plain["ui"]
    assert team.ui.display_type == ui["display_type"]
    assert team.ui.logging_enabled is ui["logging_enabled"]
    display = ui.get("multimodal_display", {})
    assert team.ui.multimodal_display.images == display.get("images", "inline")
    assert team.ui.multimodal_display.save_outputs is display.get("save_outputs", False)


def test_seed_tools_sit_under_backend_and_reach_the_agent(tmp_path: Path) -> None:
    team = load_config(_write(tmp_path, "team.yaml", IMAGE_GENERATION_TEAM))
    dalle = team.agent("dalle_artist")
    assert dalle.tools == [] and [t.name for t in dalle.backend.tools] == ["dalle_generate"]
    tool = dalle.all_tools[0]
    assert tool.type == "image_generation"
    assert tool.config == {"model": "dall-e-3", "size": "1024x1024", "quality": "hd", "style": "vivid"}
    assert team.agent("sd_artist").all_tools[0].config["cfg_scale"] == 7.5


def test_backend_options_are_what_create_backend_takes(tmp_path: Path) -> None:
    team = load_config(_write(tmp_path, "team.yaml", DOCUMENT_ANALYSIS))
    vision = team.agent("vision_analyst").backend_options()
    assert vision == {
        "type": "gemini",
        "model": "gemini-2.5-pro",
        "multimodal_capabilities": {"input": ["image", "document", "text"], "output": ["text"]},
        "agent_id": "vision_analyst",
    }
    extractor = team.agent("data_extractor").backend_options()
    assert "tools" not in extractor and "api_key" not in extractor


def test_agent_lookup_names_missing_id(tmp_path: Path) -> None:
    team = load_config(_write(tmp_path, "team.yaml", DOCUMENT_ANALYSIS))
    assert isinstance(team.agent("data_extractor"), AgentConfig)
    with pytest.raises(KeyError):
        team.agent("nobody")


def test_defaults_when_sections_are_left_out(tmp_path: Path) -> None:
    team = load_config(_write(tmp_path, "team.yaml", DOCUMENT_ANALYSIS))
    assert team.orchestrator.max_answers_per_agent >= 1
    assert team.orchestrator.timeout_seconds > 0
    assert team.output_dir is None
    assert team.ui.multimodal_display.images == "inline"
