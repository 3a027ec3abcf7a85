"""API keys: a missing key names its environment variable; a key's value never appears in any message."""

from __future__ import annotations

from pathlib import Path

import pytest

from massgen.providers import PROVIDERS
from massgen.config import ConfigError, check_api_keys, from_dict, load_config, load_config_text

SECRET = "sk-ant-api03-DO-NOT-LEAK-0123456789"

TEAM = """\
agents:
  - id: critic
    backend:
      type: claude
      model: claude-sonnet-4-5
  - id: seer
    backend:
      type: gemini
  - id: local
    backend:
      type: demo
"""


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_loading_does_not_need_keys_unless_asked() -> None:
    assert len(load_config_text(TEAM, "team.yaml", environ={}).agents) == 3


def test_missing_keys_name_every_variable_that_would_do() -> None:
    team = load_config_text(TEAM, "team.yaml")
    gemini_vars = " or ".join(PROVIDERS["gemini"].key_env)
    assert check_api_keys(team, environ={}) == [
        f"team.yaml:{line_of(TEAM, 'backend:')}: agents[0] 'critic' (claude): no API key; "
        "set ANTHROPIC_API_KEY or give backend.api_key",
        f"team.yaml:{line_of(TEAM, 'type: gemini') - 1}: agents[1] 'seer' (gemini): no API key; "
        f"set {gemini_vars} or give backend.api_key",
    ]


@pytest.mark.parametrize("var", PROVIDERS["gemini"].key_env)
def test_any_one_of_the_variables_suffices(var: str) -> None:
    team = load_config_text(TEAM, "team.yaml")
    problems = check_api_keys(team, environ={"ANTHROPIC_API_KEY": SECRET, var: "g-key-1234"})
    assert problems == []


def test_blank_variable_or_blank_api_key_counts_as_missing() -> None:
    team = load_config_text(TEAM.replace("model: claude-sonnet-4-5", 'api_key: "  "'), "team.yaml")
    problems = check_api_keys(team, environ={"ANTHROPIC_API_KEY": " ", "GEMINI_API_KEY": "x" * 8})
    assert [p.split(": ", 1)[1] for p in problems] == [
        "agents[0] 'critic' (claude): no API key; set ANTHROPIC_API_KEY or give backend.api_key"]


def test_require_keys_raises_with_the_variable(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    with pytest.raises(ConfigError) as info:
        load_config(path, require_keys=True, environ={"GEMINI_API_KEY": "g" * 10})
    assert info.value.problems == [
        f"{path}:{line_of(TEAM, 'backend:')}: agents[0] 'critic' (claude): no API key; "
        "set ANTHROPIC_API_KEY or give backend.api_key"]
    team = load_config(path, require_keys=True, environ={"GEMINI_API_KEY": "g" * 10, "ANTHROPIC_API_KEY": SECRET})
    assert team.path == path


def test_key_in_the_config_satisfies_the_check_and_reaches_the_backend_only() -> None:
    text = TEAM.replace("model: claude-sonnet-4-5", f"api_key: {SECRET}")
    team = load_config_text(text, "team.yaml", require_keys=True, environ={"GOOGLE_API_KEY": "g" * 10})
    critic = team.agent("critic")
    assert critic.backend_options()["api_key"] == SECRET
    for shown in (repr(team), str(team), team.model_dump_json(), repr(critic.backend), *team.warnings):
        assert SECRET not in shown
    assert team.warnings == [f"team.yaml:{line_of(text, 'api_key')}: agents[0].backend.api_key: "
                             "an API key is written in the config; prefer setting ANTHROPIC_API_KEY"]


@pytest.mark.parametrize(
    "mutation",
    [
        lambda t: t.replace("model: claude-sonnet-4-5", f"api_key: [{SECRET}]"),  # wrong type for the key itself
        lambda t: t.replace("model: claude-sonnet-4-5", f"api_key: {SECRET}\n      temperature: {SECRET}"),
        lambda t: t.replace("model: claude-sonnet-4-5", f"api_key: {SECRET}\n      model: [{SECRET}]"),
        lambda t: t.replace("type: claude", f"type: claude\n      api_key: {SECRET}\n      {SECRET}: 1"),
        lambda t: t.replace("type: claude", f"type: {SECRET}\n      api_key: {SECRET}"),
        lambda t: t.replace("model: claude-sonnet-4-5", f"api_key: {SECRET}\n      api_key: {SECRET}"),
        lambda t: t.replace("type: demo", f"type: demo\n      api_key: {SECRET}\n      seed: {SECRET}"),
    ],
    ids=["key-wrong-type", "key-as-temperature", "key-as-model", "key-as-a-key", "key-as-type", "key-twice", "key-as-seed"],
)
def test_key_value_never_appears_in_any_error(mutation) -> None:
    with pytest.raises(ConfigError) as info:
        load_config_text(mutation(TEAM), "team.yaml")
    assert info.value.problems, "expected at least one problem"
    assert SECRET not in str(info.value)
    assert all(SECRET not in p for p in info.value.problems)


def test_key_value_never_appears_from_dict_errors() -> None:
    data = {"agents": [{"id": "a", "backend": {"type": "claude", "api_key": SECRET, "max_tokens": SECRET}}]}
    with pytest.raises(ConfigError) as info:
        from_dict(data)
    assert "agents[0].backend.max_tokens: expected a whole number" in str(info.value)
    assert SECRET not in str(info.value)
