"""Whatever text, bytes or data arrive, loading ends in a TeamConfig or a ConfigError: never another exception."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from massgen.config import ConfigError, TeamConfig, from_dict, load_config, load_config_text

SEED_LIKE = """\
agents:
  - id: "art_director"
    backend:
      type: "claude"
      model: "claude-3-opus"
      temperature: 0.7
      tools:
        - name: "dalle_generate"
          type: "image_generation"
          config: {size: "1024x1024"}
      multimodal_capabilities:
        input: ["image"]
        output: ["text"]
    system_message: |
      Review the images.
ui:
  display_type: "rich_terminal"
  logging_enabled: true
  multimodal_display:
    images: "inline"
    save_outputs: true
"""

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(call, *args) -> TeamConfig | ConfigError:
    try:
        return call(*args)
    except ConfigError as exc:
        assert exc.problems and all(p and "\n" not in p for p in exc.problems)
        return exc


@FAST
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    _outcome(load_config_text, text, "fuzz.yaml")


@FAST
@given(st.data())
def test_seed_like_file_with_one_line_changed(data) -> None:
    lines = SEED_LIKE.splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    lines[index] = data.draw(st.sampled_from(["", "  ", "\t", "- x", ": :", "[", "'", "&a *a", lines[index][::-1],
                                              lines[index] + ": 1", lines[index].lstrip(), "  " + lines[index]]))
    result = _outcome(load_config_text, "\n".join(lines) + "\n", "fuzz.yaml")
    if isinstance(result, ConfigError):
        assert all(p.startswith("fuzz.yaml") for p in result.problems)


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_in_a_file(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "team.yaml"
    path.write_bytes(raw)
    _outcome(load_config, path)


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@FAST
@given(st.fixed_dictionaries({}, optional={
    "agents": st.lists(st.fixed_dictionaries({}, optional={"id": _JSONISH, "backend": _JSONISH, "tools": _JSONISH}), max_size=3),
    "ui": _JSONISH, "orchestrator": _JSONISH, "output_dir": _JSONISH}))
def test_any_data_from_dict(data: dict) -> None:
    _outcome(from_dict, json.loads(json.dumps(data)), "fuzz")


def test_importing_config_loads_no_ui_or_provider_sdk() -> None:
    code = ("import sys, massgen.config; "
            "print([m for m in ('textual', 'rich', 'openai', 'anthropic', 'google.genai', 'httpx') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
