"""The team YAMLs in configs/: all load cleanly, and the seed's case studies keep every key and value
except model names that providers have retired."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from massgen.config import load_config
from test_config_seed_examples import DOCUMENT_ANALYSIS, IMAGE_GENERATION_TEAM

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
# (old, new) for each changed value; everything else must equal the seed.
RETIRED = {"claude-3-5-sonnet": "claude-sonnet-4-6", "claude-3-opus": "claude-opus-4-6", "gpt-4": "gpt-5.5",
           "dall-e-3": "gpt-image-2.5-sunburst", "hd": "high"}


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


@pytest.mark.parametrize("path", sorted(CONFIGS.rglob("*.yaml")), ids=lambda p: str(p.relative_to(CONFIGS)))
def test_every_config_loads_without_warnings(path: Path) -> None:
    team = load_config(path)
    assert team.agents and team.warnings == []


@pytest.mark.parametrize("name, seed", [("image_generation_team.yaml", IMAGE_GENERATION_TEAM),
                                        ("document_analysis.yaml", DOCUMENT_ANALYSIS)])
def test_case_studies_keep_the_seed_keys_and_change_only_retired_models(name: str, seed: str) -> None:
    ours = dict(leaves(yaml.safe_load((CONFIGS / "multimodal" / name).read_text())))
    theirs = dict(leaves(yaml.safe_load(seed)))
    assert ours.keys() == theirs.keys()
    changed = {theirs[k]: ours[k] for k in ours if ours[k] != theirs[k]}
    assert all(RETIRED.get(old) == new for old, new in changed.items()), changed
