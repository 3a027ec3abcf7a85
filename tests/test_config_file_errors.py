"""Bad config files: each gives one line naming the file (and line) and the fix, never a traceback or a hang."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from massgen.config import ConfigError, load_config, load_config_text
from massgen.config.yaml_source import MAX_BYTES

TEAM = """\
agents:
  - id: solo
    backend:
      type: demo
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(ConfigError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert info.value.problems == [message]
    return message


def test_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    assert [a.id for a in load_config(path).agents] == ["solo"]


def test_missing_file_names_it_and_the_folder_relative_paths_start_in(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    message = one_line_error(load_config, "nowhere.yaml")
    assert message.startswith("nowhere.yaml: no such file; ")
    assert str(tmp_path) in message


def test_missing_file_suggests_the_near_name(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(TEAM)
    message = one_line_error(load_config, tmp_path / "taem.yaml")
    assert f"did you mean {tmp_path / 'team.yaml'}?" in message
    message = one_line_error(load_config, tmp_path / "team")  # forgot the extension
    assert f"did you mean {tmp_path / 'team.yaml'}?" in message


def test_path_through_a_file(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(TEAM)
    message = one_line_error(load_config, tmp_path / "team.yaml" / "x.yaml")
    assert "not a folder" in message


def test_other_os_errors_are_one_line(tmp_path: Path) -> None:
    too_long = tmp_path / ("x" * 300 + ".yaml")  # ENAMETOOLONG even for root
    message = one_line_error(load_config, too_long)
    assert message.startswith(f"{too_long}: cannot read (File name too long); check the path")


def test_directory_given_as_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    (folder / "team.yaml").write_text(TEAM)
    message = one_line_error(load_config, folder)
    assert message.startswith(f"{folder}: is a folder; give the path of a .yaml file")
    assert "team.yaml" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "team.yaml"
    os.mkfifo(fifo)
    result: list[BaseException] = []
    worker = threading.Thread(target=lambda: result.append(_catch(load_config, fifo)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "load_config blocked on a FIFO"
    assert isinstance(result[0], ConfigError)
    assert "not a regular file" in str(result[0])


def _catch(call, *args) -> BaseException | None:
    try:
        call(*args)
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        return exc
    return None


def test_non_utf8_file_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    text = TEAM + "    system_message: caf\xe9\n"
    path = tmp_path / "latin1.yaml"
    path.write_bytes(text.encode("latin-1"))
    message = one_line_error(load_config, path)
    assert message.startswith(f"{path}:{line_of(text, 'caf')}: not UTF-8 text (byte 0xe9); save the file as UTF-8")


def test_binary_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "picture.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "not UTF-8 text" in one_line_error(load_config, path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TEAM.encode())
    assert load_config(path).agents[0].id == "solo"


@pytest.mark.parametrize("content", ["", "\n\n", "# just a comment\n", "---\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(content)
    message = one_line_error(load_config, path)
    assert message.startswith(f"{path}: is empty; ")
    assert "agents:" in message


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    assert "too big for a team config" in one_line_error(load_config, path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(TEAM)
    path.chmod(0)
    try:
        message = one_line_error(load_config, path)
    finally:
        path.chmod(0o600)
    assert message.startswith(f"{path}: cannot read") and "permission" in message.lower()


@pytest.mark.parametrize(
    ("text", "needle", "hint"),
    [
        ("agents:\n  - id: a\n\t  backend: {type: demo}\n", "\t", "indent with spaces, not tabs"),
        ('agents:\n  - id: "a\n    backend: {type: demo}\n', 'id: "a', "a quote or bracket is not closed"),
        ("agents:\n  - id: a\n    backend:\n      type: demo\n      model: local: fast\n", "local: fast", "put quotes around"),
        ("agents: [{id: a, backend: {type: demo}}\nui: {}\n", "ui:", "a bracket or brace opened on line 1 is not closed"),
        ("agents: []\n---\nagents: []\n", "---", "one file holds one team"),
        ("agents:\n  - *nothing\n", "*nothing", "define the anchor"),
    ],
    ids=["tab", "unclosed-quote", "colon-in-value", "unclosed-bracket", "two-documents", "undefined-alias"],
)
def test_yaml_syntax_errors_name_the_line_and_a_fix(text: str, needle: str, hint: str) -> None:
    message = one_line_error(load_config_text, text, "team.yaml")
    assert message.startswith(f"team.yaml:{line_of(text, needle)}: YAML syntax error: ")
    assert message.endswith(hint) or hint in message


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("agents:\n  - !!python/object:os.system {}\n", "tag:yaml.org,2002:python/object:os.system"),
        ("agents:\n  - id: !!python/name:os.system x\n", "tag:yaml.org,2002:python/name:os.system"),
        ("agents: !custom [a]\n", "!custom"),
        ("agents: !!set {a, b}\n", "tag:yaml.org,2002:set"),
    ],
)
def test_tags_that_build_objects_are_refused(text: str, tag: str) -> None:
    message = one_line_error(load_config_text, text, "team.yaml")
    assert message == (f"team.yaml:{line_of(text, '!')}: unsupported YAML tag {tag!r}; "
                       "remove the `!tag`, only plain YAML values are allowed")


def test_control_character_is_refused_with_its_line() -> None:
    text = TEAM + "    system_message: a\x00b\n"
    message = one_line_error(load_config_text, text, "team.yaml")
    assert message.startswith(f"team.yaml:{line_of(text, 'system_message')}: character '\\x00' is not allowed")


def test_duplicate_key_is_reported_not_silently_dropped() -> None:
    text = TEAM + "      model: first\n      model: second\n"
    message = one_line_error(load_config_text, text, "team.yaml")
    first, second = line_of(text, "model:"), line_of(text, "model:", 2)
    assert message == (f"team.yaml:{second}: agents[0].backend.model: duplicate key (first at line {first}); keep only one")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_top_level_must_be_a_mapping(text: str) -> None:
    message = one_line_error(load_config_text, text, "team.yaml")
    assert message.startswith("team.yaml:1: the top level must be a mapping with `agents:`")


def test_deep_nesting_is_an_error_not_a_recursion_crash() -> None:
    text = "agents: " + "[" * 5000 + "]" * 5000 + "\n"
    assert "nested" in one_line_error(load_config_text, text, "deep.yaml")


def test_alias_bomb_stops_early() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    message = one_line_error(load_config_text, "\n".join(lines) + "\n", "bomb.yaml")
    assert "too many nested values or aliases" in message


def test_self_referencing_alias_is_an_error() -> None:
    assert "too many nested" in one_line_error(load_config_text, "agents: &a [*a]\n", "loop.yaml")


def test_merge_keys_share_settings_and_explicit_keys_win() -> None:
    text = """\
defaults: &defaults
  type: demo
  model: slow
  temperature: 0.5
agents:
  - id: a
    backend:
      <<: *defaults
      model: fast
  - id: b
    backend: *defaults
"""
    # `defaults` is not a team key: check it is reported, then load without it via an anchor inside agents.
    message = one_line_error(load_config_text, text, "team.yaml")
    assert message.startswith(f"team.yaml:{line_of(text, 'defaults:')}: defaults: unknown key")
    inline = text.replace("defaults: &defaults\n  type: demo\n  model: slow\n  temperature: 0.5\n", "")
    inline = inline.replace("      <<: *defaults\n", "      <<: &defaults {type: demo, model: slow, temperature: 0.5}\n")
    team = load_config_text(inline, "team.yaml")
    assert team.agents[0].backend.model == "fast" and team.agents[0].backend.temperature == 0.5
    assert team.agents[1].backend.model == "slow"
