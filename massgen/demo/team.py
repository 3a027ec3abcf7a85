"""The packaged offline demo team (planner, artist, critic).

It ships inside the package (massgen/configs/demo.yaml, read with importlib.resources), so it works
from a wheel; configs/demo.yaml in the repository is a link to that one file.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from massgen.config.models import TeamConfig

DEMO_NAME = "demo.yaml (built-in offline demo team)"


def demo_config_path() -> Traversable:
    """The packaged demo team file."""
    return resources.files("massgen").joinpath("configs", "demo.yaml")


def load_demo_team() -> "TeamConfig":
    from massgen.config import load_config_text

    return load_config_text(demo_config_path().read_text(encoding="utf-8"), DEMO_NAME)
