"""The massgen-tui command line: help, version, one-line errors, and the plain (non-interactive) mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

FAST_TEAM = """\
agents:
  - id: planner
    backend: {type: demo, stream_rate: 100000}
    system_message: You are the planner.
  - id: artist
    backend: {type: demo, stream_rate: 100000}
    tools:
      - name: generate_image
        type: image_generation
        config: {backend: demo}
    system_message: You are the artist. Make an image.
ui:
  display_type: DISPLAY
"""


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """massgen-tui in a child process with no terminal (so it cannot start the interactive app)."""
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--config FILE", "--output-dir DIR", "--theme NAME", "--plain", "--version", "prompt"):
        assert option in out


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("massgen-tui 0.")


def test_parsing_the_command_line_imports_no_ui_and_no_sdk():
    probe = ("import sys, tui.cli; tui.cli.build_parser().parse_args(['x']); "
             "print(sorted(m for m in ('textual', 'openai', 'anthropic', 'google.genai', 'pydantic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("args, expected", [
    (["--config", "missing.yaml"], "--config missing.yaml: no such file; give the path of a team YAML file"),
    (["--theme", "paisley"], "--theme paisley: unknown theme; choose one of: "),
])
def test_bad_arguments_give_one_line(args, expected, capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"massgen-tui: {expected}") and err.count("\n") == 1 and "Traceback" not in err


def test_a_bad_config_names_file_line_and_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    config = tmp_path / "team.yaml"
    config.write_text("agents:\n  - id: a\n    backend: {type: demo, stream_rat: 3}\n")
    assert main(["--config", str(config), "x"]) == 2
    err = capsys.readouterr().err
    assert f"{config}:3: agents[0].backend.stream_rat: unknown key; did you mean 'stream_rate'?" in err
    assert "Traceback" not in err


def test_without_a_terminal_a_prompt_is_needed(tmp_path: Path):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "needs a PROMPT argument" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("display", ["simple", "rich_terminal"])
def test_plain_display_streams_the_run_and_writes_the_session(tmp_path: Path, display: str):
    config = tmp_path / "team.yaml"
    config.write_text(FAST_TEAM.replace("DISPLAY", display))
    result = run_cli("--config", str(config), "--output-dir", "out", "design a poster", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "planner      │ ✓ answered" in out and "artist       │ ▣ image" in out
    assert "Winner: " in out and "Votes: " in out
    folder = next((tmp_path / "out").iterdir())
    assert f"Session saved to {folder.resolve()}" in out
    assert (folder / "transcript.jsonl").exists() and (folder / "final_answer.md").exists()
    assert list((folder / "media").glob("*.png"))
    if display == "simple":
        assert "\x1b[" not in out  # no colour codes for scripts


def _run_in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run massgen-tui with a pseudo-terminal as stdin/stdout (as a user's shell would); (exit code, output)."""
    import os
    import pty

    master, slave = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "tui.cli", *args], cwd=cwd, stdin=slave, stdout=slave,
                             stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return child.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_plain_flag_overrides_an_interactive_config_in_a_terminal(tmp_path: Path):
    config = tmp_path / "team.yaml"
    config.write_text(FAST_TEAM.replace("DISPLAY", "textual_terminal"))
    code, out = _run_in_terminal(["--plain", "--config", str(config), "--output-dir", "out", "a task"], tmp_path)
    assert code == 0, out
    assert "Winner: " in out and "\x1b[?1049h" not in out  # streamed as lines, never the full-screen app
