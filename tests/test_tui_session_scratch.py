"""The unsaved (scratch) session folder: made only when a task runs, removed however the app ends."""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path

from tui.session_keeper import SessionKeeper, scratch_prefix

from tui_fakes import ScriptedOrchestrator, scripted_app, status, team_ready, wait_until


def leaked() -> set[str]:
    """This process's scratch folders in the system temp folder (other processes' are not ours to judge)."""
    root = Path(tempfile.gettempdir())
    return {p.name for p in root.glob(scratch_prefix() + "*")}


async def test_running_an_app_test_leaves_no_new_scratch_folder_in_tmp(tmp_path: Path):
    before = leaked()
    orch = ScriptedOrchestrator([status("planner", "working"), "hold"])
    app = scripted_app(orch, prompt="x", output_dir=tmp_path / "out")  # the default scratch place: /tmp
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: orch.holding)
        folder = app.keeper.session.folder
        assert folder.is_dir() and folder.parent == Path(tempfile.gettempdir()).resolve()
        assert folder.name.startswith(scratch_prefix())
    # left without Ctrl+Q (as every pilot test leaves): the folder still goes
    assert not folder.exists() and leaked() == before


async def test_an_app_that_never_runs_a_task_makes_no_folder(tmp_path: Path):
    before = leaked()
    app = scripted_app(ScriptedOrchestrator([]), output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        assert not app.keeper.session.created and leaked() == before
    assert leaked() == before and not (tmp_path / "out").exists()


async def test_a_forgotten_scratch_session_is_removed_when_collected(tmp_path: Path):
    keeper = SessionKeeper(tmp_path / "out", scratch_parent=tmp_path)
    session = keeper.open(save_outputs=False)
    assert not session.created and list(tmp_path.iterdir()) == []
    folder = session.folder  # first use makes it
    assert folder.is_dir() and folder.parent == tmp_path.resolve()
    del keeper, session
    gc.collect()
    assert not folder.exists()
