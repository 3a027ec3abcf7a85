"""Load a team config from a file, a string or a dict; every problem found is reported at once."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from massgen.config import checks
from massgen.config.errors import scrub, shown
from massgen.config.explain import explain, secrets_in
from massgen.config.models import TeamConfig
from massgen.config.yaml_source import SourceMap, parse, read_text
from massgen.errors import ConfigError
from massgen.media.errors import display_name


def load_config(
    path: str | os.PathLike[str], require_keys: bool = False, environ: Mapping[str, str] | None = None
) -> TeamConfig:
    """A validated team from a YAML file; ConfigError lists every problem as `file:line: ...`.

    API keys are checked only when `require_keys` is set: building a backend checks them anyway.
    """
    text, name = read_text(path)
    team = load_config_text(text, name, require_keys=require_keys, environ=environ)
    team._path = Path(path).expanduser()
    return team


def load_config_text(
    text: str, name: str = "<config>", require_keys: bool = False, environ: Mapping[str, str] | None = None
) -> TeamConfig:
    """A validated team from YAML text (embedded configs); `name` stands for the file in messages."""
    data, source, problems = parse(text, display_name(name))
    found = list(problems)
    return _validate(data, source, found, require_keys, environ)


def from_dict(
    data: Mapping[str, Any], name: str = "<dict>", require_keys: bool = False, environ: Mapping[str, str] | None = None
) -> TeamConfig:
    """A validated team from already-parsed data (messages name `name`, without lines)."""
    plain = copy.deepcopy(dict(data)) if isinstance(data, Mapping) else data
    return _validate(plain, SourceMap(display_name(name)), [], require_keys, environ)


def _validate(
    data: Any, source: SourceMap, found: list[tuple[int, str]], require_keys: bool, environ: Mapping[str, str] | None
) -> TeamConfig:
    if not isinstance(data, dict):
        raise ConfigError([f"{source.where(())}: the top level must be a mapping with `agents:`, "
                           f"got {shown(data)}; start the file with `agents:`"])
    secrets = list(secrets_in(data))
    renamed, warnings = checks.apply_renames(data, source)
    found += renamed + checks.duplicate_ids(data, source) + checks.set_twice(data, source)
    warnings += checks.keys_in_file(data, source) if source.lines else []
    team = None
    try:
        team = TeamConfig.model_validate(data)
    except ValidationError as err:
        found += explain(err, source)
    if found or team is None:
        raise ConfigError(scrub([msg for _, msg in sorted(found, key=lambda f: f[0])], secrets))
    team._lines = source
    team._warnings = scrub([msg for _, msg in sorted(warnings, key=lambda f: f[0])], secrets)
    if require_keys:
        missing = checks.check_api_keys(team, environ)
        if missing:
            raise ConfigError(missing)
    return team
