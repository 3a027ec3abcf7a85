"""Team YAML validation: wrong types, unknown keys (did-you-mean), bad values, duplicate ids; all problems at once."""

from __future__ import annotations

import pytest

from massgen.config import ConfigError, from_dict, load_config_text
from massgen.providers import chat_types

BASE = """\
agents:
  - id: writer
    backend:
      type: demo
      model: offline-demo
  - id: critic
    backend:
      type: claude
      model: claude-sonnet-4-5
      temperature: 0.3
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def problems_of(text: str, name: str = "team.yaml") -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config_text(text, name)
    assert str(info.value) == "\n".join(info.value.problems)
    assert all("Traceback" not in p and "\n" not in p for p in info.value.problems)
    return info.value.problems


def only_problem(text: str) -> str:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_base_is_valid() -> None:
    team = load_config_text(BASE, "team.yaml")
    assert [a.backend.type for a in team.agents] == ["demo", "claude"]


def test_unknown_backend_key_gets_did_you_mean_with_its_line() -> None:
    text = BASE.replace("temperature: 0.3", "temprature: 0.3")
    assert only_problem(text) == (
        f"team.yaml:{line_of(text, 'temprature')}: agents[1].backend.temprature: unknown key; did you mean 'temperature'?"
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "suggestion"),
    [
        ("  - id: writer", "  - idd: writer", "agents[0].idd", "id"),
        ("    backend:\n      type: demo", "    backend:\n      tpye: demo\n      type: demo", "agents[0].backend.tpye", "type"),
        ("agents:", "ui: {display_typ: simple}\nagents:", "ui.display_typ", "display_type"),
        ("agents:", "orchestrator: {max_round: 3}\nagents:", "orchestrator.max_round", "max_rounds"),
        ("agents:", "ui: {multimodal_display: {save_output: true}}\nagents:", "ui.multimodal_display.save_output", "save_outputs"),
        ("      model: offline-demo", "      model: offline-demo\n      stream_rte: 5", "agents[0].backend.stream_rte", "stream_rate"),
    ],
)
def test_did_you_mean_everywhere(old: str, new: str, path: str, suggestion: str) -> None:
    text = BASE.replace(old, new, 1)
    key = path.rsplit(".", 1)[-1]
    assert only_problem(text) == f"team.yaml:{line_of(text, key + ':')}: {path}: unknown key; did you mean '{suggestion}'?"


def test_unknown_key_without_a_near_name_lists_the_allowed_keys() -> None:
    text = "timeout_settings: {orchestrator_timeout_seconds: 10}\n" + BASE
    message = only_problem(text)
    assert message.startswith("team.yaml:1: timeout_settings: unknown key; allowed here: ")
    assert "agents" in message and "orchestrator" in message


def test_key_of_another_backend_type_says_which_type_takes_it() -> None:
    text = BASE.replace("temperature: 0.3", "deployment: prod")
    assert only_problem(text) == (f"team.yaml:{line_of(text, 'deployment')}: agents[1].backend.deployment: "
                                  "'deployment' is only for azure_openai backends; remove it or change backend.type")


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"),
    [
        ("temperature: 0.3", "temperature: hot", "agents[1].backend.temperature", "expected a number, got 'hot'; write a number"),
        ("temperature: 0.3", "max_tokens: lots", "agents[1].backend.max_tokens", "expected a whole number, got 'lots'"),
        ("temperature: 0.3", "max_tokens: 1.5", "agents[1].backend.max_tokens", "expected a whole number, got 1.5"),
        ("agents:", "ui: {logging_enabled: maybe}\nagents:", "ui.logging_enabled", "expected true or false, got 'maybe'"),
        ("model: offline-demo", "model: [a, b]", "agents[0].backend.model", "expected text, got a list; put it in quotes"),
        ("  - id: writer", "  - id: [writer]", "agents[0].id", "expected text, got a list"),
        ("agents:", "ui: simple\nagents:", "ui", "expected a mapping, got 'simple'; write `key: value` lines"),
        ("temperature: 0.3", "tools: dalle", "agents[1].backend.tools", "expected a list, got 'dalle'"),
    ],
)
def test_wrong_value_types(old: str, new: str, path: str, expected: str) -> None:
    text = BASE.replace(old, new, 1)
    needle = new.split("\n")[0].split(":")[0].strip()
    message = only_problem(text)
    assert message.startswith(f"team.yaml:{line_of(text, needle)}: {path}: {expected}"), message


def test_agents_must_be_a_list() -> None:
    assert only_problem("agents:\n  writer: {backend: {type: demo}}\n").startswith(
        "team.yaml:1: agents: expected a list, got a mapping; write a list")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("temperature: 0.3", "temperature: 5", "must be less than or equal to 2, got 5"),
        ("temperature: 0.3", "max_tokens: 0", "must be greater than 0, got 0"),
        ("agents:", "orchestrator: {timeout_seconds: -1}\nagents:", "must be greater than 0, got -1"),
        ("model: offline-demo", "base_url: localhost:8000", "not a URL, got 'localhost:8000'; write a URL such as"),
        ("  - id: writer", "  - id: my writer", "not a usable agent id, got 'my writer'"),
        ("  - id: writer", "  - id: orchestrator", "'orchestrator' is reserved for the team itself; pick another id"),
    ],
)
def test_bad_values(old: str, new: str, expected: str) -> None:
    text = BASE.replace(old, new, 1)
    message = only_problem(text)
    needle = new.split("\n")[0].split(":")[0].strip()
    assert message.startswith(f"team.yaml:{line_of(text, needle)}: ") and expected in message, message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("agents:", "ui: {display_type: rich}\nagents:", "'rich' is not one of: textual_terminal, rich_terminal, simple; did you mean 'rich_terminal'?"),
        ("agents:", "ui: {multimodal_display: {images: inlin}}\nagents:", "'inlin' is not one of: inline, thumbnail, none; did you mean 'inline'?"),
        ("temperature: 0.3", "multimodal_capabilities: {input: [imag]}", "'imag' is not one of: text, image, audio, video, document, file; did you mean 'image'?"),
        ("temperature: 0.3", "tools: [{name: paint, type: image_gen}]", "did you mean 'image_generation'?"),
        ("temperature: 0.3", "media_limits: {picture: 5MB}", "key 'picture' is not one of: image, audio, video, document, file; use one of those"),
        ("temperature: 0.3", "media_limits: {image: 5 megs}", "'5 megs' is not a size; write bytes or a string such as '5MB'"),
    ],
)
def test_values_not_in_a_fixed_set_get_suggestions(old: str, new: str, expected: str) -> None:
    text = BASE.replace(old, new, 1)
    assert only_problem(text).endswith(expected)


def test_unknown_backend_type_suggests_the_near_one_on_the_type_line() -> None:
    text = BASE.replace("type: claude", "type: claud")
    assert only_problem(text) == (f"team.yaml:{line_of(text, 'type: claud')}: agents[1].backend.type: "
                                  "'claud' is not a backend type; did you mean 'claude'?")


def test_unknown_backend_type_far_from_all_lists_them() -> None:
    message = only_problem(BASE.replace("type: claude", "type: zzz"))
    assert message.endswith("use one of: " + ", ".join(chat_types()))


def test_backend_without_type_or_not_a_mapping() -> None:
    no_type = BASE.replace("      type: demo\n", "")
    assert only_problem(no_type) == (f"team.yaml:{line_of(no_type, 'backend:')}: agents[0].backend.type: missing required key; "
                                     f"add `type: ...` (one of: {', '.join(chat_types())})")
    scalar = BASE.replace("    backend:\n      type: demo\n      model: offline-demo\n", "    backend: demo\n")
    assert only_problem(scalar).startswith(
        f"team.yaml:{line_of(scalar, 'backend: demo')}: agents[0].backend: expected a mapping with `type:`")


def test_backend_type_aliases_resolve_to_the_provider_name() -> None:
    team = load_config_text(BASE.replace("type: claude", "type: Anthropic"), "team.yaml")
    assert team.agents[1].backend.type == "claude"


def test_missing_required_keys_point_at_their_section() -> None:
    text = "agents:\n  - backend: {type: demo}\n"
    assert only_problem(text) == "team.yaml:2: agents[0].id: missing required key; add `id: ...` to this section"
    assert only_problem("ui: {}\n") == "team.yaml:1: agents: missing required key; add `agents: ...` to the file"
    assert only_problem("agents: []\n") == "team.yaml:1: agents: no agents; add at least one agent with an id and a backend"


def test_azure_needs_api_version_and_a_deployment() -> None:
    text = BASE.replace("type: claude\n      model: claude-sonnet-4-5\n", "type: azure_openai\n")
    problems = problems_of(text)
    assert any(p.endswith("agents[1].backend.api_version: missing required key; add `api_version: ...` to this section")
               for p in problems)
    fixed = text.replace("type: azure_openai\n", "type: azure\n      api_version: '2024-10-21'\n")
    assert only_problem(fixed).endswith("azure_openai needs a deployment; set backend.deployment to your Azure deployment name")
    ok = load_config_text(fixed.replace("temperature", "deployment: gpt4o-prod\n      temperature"), "t.yaml")
    assert ok.agents[1].backend.deployment == "gpt4o-prod"


def test_provider_specific_keys_are_accepted_for_their_type() -> None:
    text = BASE.replace("model: offline-demo", "model: offline-demo\n      stream_rate: 200\n      seed: 7")
    backend = load_config_text(text, "t.yaml").agents[0].backend
    assert (backend.stream_rate, backend.seed) == (200, 7)
    code = BASE.replace("type: claude", "type: claude_code\n      cli_path: /usr/bin/claude\n      cwd: work")
    options = load_config_text(code, "t.yaml").agents[1].backend_options()
    assert options["cli_path"] == "/usr/bin/claude" and options["cwd"] == "work"
    cli = BASE.replace("type: claude", "type: claude_code\n      permission_mode: plan\n"
                       "      allowed_tools: [Read, Grep]\n      max_turns: 4")
    options = load_config_text(cli, "t.yaml").agents[1].backend_options()
    assert (options["permission_mode"], options["allowed_tools"], options["max_turns"]) == ("plan", ["Read", "Grep"], 4)


def test_duplicate_agent_ids_name_the_second_and_the_first() -> None:
    text = BASE.replace("id: critic", "id: writer")
    assert only_problem(text) == (f"team.yaml:{line_of(text, 'id: writer', 2)}: agents[1].id: "
                                  "duplicate agent id 'writer' (also agents[0]); give each agent its own id")


def test_capabilities_set_both_on_agent_and_backend() -> None:
    text = BASE.replace("temperature: 0.3", "multimodal_capabilities: {input: [image]}\n    multimodal_capabilities: {input: [image]}")
    assert only_problem(text) == (f"team.yaml:{line_of(text, 'multimodal_capabilities')}: agents[1].backend.multimodal_capabilities: "
                                  "also set at agents[1].multimodal_capabilities; keep one of the two")


def test_tool_names_unique_across_agent_and_backend() -> None:
    tool = "{name: paint, type: image_generation}"
    text = BASE.replace("temperature: 0.3", f"tools: [{tool}]\n    tools: [{tool}]")
    assert "two tools are named 'paint'; give each tool its own name" in only_problem(text)


def test_media_limits_accept_sizes_and_bytes_at_either_level() -> None:
    text = BASE.replace("temperature: 0.3", "media_limits: {image: 5MB, document: 1000}")
    agent = load_config_text(text, "t.yaml").agents[1]
    assert agent.limits == {"image": 5 * 1024 * 1024, "document": 1000}
    assert agent.backend_options()["media_limits"] == agent.limits
    text = BASE.replace("temperature: 0.3", "temperature: 0.3\n    media_limits: {image: 512KiB}")
    assert load_config_text(text, "t.yaml").agents[1].limits == {"image": 512 * 1024}


def test_every_problem_is_reported_in_line_order() -> None:
    text = BASE.replace("temperature: 0.3", "temprature: 0.3").replace("type: demo", "type: dmeo")
    text = "ui: {display_type: rich}\n" + text + "  - id: writer\n    backend: {type: demo}\n"
    problems = problems_of(text)
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)
    assert lines == [1, line_of(text, "dmeo"), line_of(text, "temprature"), line_of(text, "id: writer", 2)]


def test_ui_type_is_an_alias_with_a_warning() -> None:
    text = "ui:\n  type: textual_terminal\n" + BASE
    team = load_config_text(text, "team.yaml")
    assert team.ui.display_type == "textual_terminal"
    assert team.warnings == ["team.yaml:2: ui.type: is the old name of ui.display_type; write `display_type:` instead (accepted for now)"]


def test_ui_type_and_display_type_agreeing_warn_disagreeing_fail() -> None:
    same = "ui:\n  type: simple\n  display_type: simple\n" + BASE
    team = load_config_text(same, "team.yaml")
    assert team.ui.display_type == "simple" and len(team.warnings) == 1
    differ = "ui:\n  type: simple\n  display_type: rich_terminal\n" + BASE
    assert only_problem(differ) == "team.yaml:2: ui.type: disagrees with ui.display_type; keep only ui.display_type"


def test_ui_type_alias_value_is_still_checked() -> None:
    text = "ui:\n  type: fancy\n" + BASE
    assert only_problem(text).startswith("team.yaml:2: ui.display_type: 'fancy' is not one of")


def test_massgen_orchestrator_key_is_renamed_with_a_warning() -> None:
    team = load_config_text("orchestrator:\n  max_new_answers_per_agent: 3\n" + BASE, "team.yaml")
    assert team.orchestrator.max_answers_per_agent == 3
    assert team.warnings[0].startswith("team.yaml:2: orchestrator.max_new_answers_per_agent: is the old name")


def test_empty_sections_mean_defaults() -> None:
    team = load_config_text("ui:\norchestrator:\noutput_dir: runs/today\n" + BASE, "team.yaml")
    assert team.ui.display_type == "textual_terminal"
    assert str(team.output_dir) == "runs/today"


def test_from_dict_names_the_source_without_lines() -> None:
    data = {"agents": [{"id": "a", "backend": {"type": "demo", "temprature": 1}}]}
    with pytest.raises(ConfigError) as info:
        from_dict(data, name="embedded")
    assert info.value.problems == ["embedded: agents[0].backend.temprature: unknown key; did you mean 'temperature'?"]
    assert data["agents"][0]["backend"]["temprature"] == 1  # the caller's dict is not changed
    with pytest.raises(ConfigError, match=r"^<dict>: the top level must be a mapping"):
        from_dict([1, 2])  # type: ignore[arg-type]
    assert from_dict({"agents": [{"id": "a", "backend": {"type": "demo"}}]}).agents[0].id == "a"
