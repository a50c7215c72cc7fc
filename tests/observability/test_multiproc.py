"""The shared metrics folder's bookkeeping, with real processes alive, dead and reaped or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsloom.observability import multiproc


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "metrics"
    monkeypatch.setenv(multiproc.ENV, str(path))  # restored after the test: this process keeps its own metrics
    return path


def sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def files(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if not p.name.startswith(".")}


def test_a_new_run_empties_the_folder_when_no_process_of_the_last_one_lives(folder: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    dead = int(gone.stdout)
    folder.mkdir()
    for name in (f"counter_{dead}.db", f"histogram_{dead}.db", f"gauge_livesum_{dead}.db", f"process-{dead}.started"):
        (folder / name).write_text("old")
    assert multiproc.prepare(Path("/unused")) == folder.resolve()
    assert files(folder) == {f"process-{os.getpid()}.started"}


def test_while_others_live_only_the_dead_lose_their_live_gauges(folder: Path) -> None:
    live, killed = sleeper(), sleeper()
    try:
        killed.kill()
        os.waitid(os.P_PID, killed.pid, os.WEXITED | os.WNOWAIT)  # ended, not reaped: a zombie holding its pid
        folder.mkdir()
        for pid in (live.pid, killed.pid):
            for name in (f"counter_{pid}.db", f"gauge_livesum_{pid}.db", f"gauge_liveall_{pid}.db"):
                (folder / name).write_text("x")
        multiproc.prepare(Path("/unused"))
        assert files(folder) == {
            f"counter_{live.pid}.db", f"gauge_livesum_{live.pid}.db", f"gauge_liveall_{live.pid}.db",
            f"counter_{killed.pid}.db",  # a dead process's counters stay: totals do not fall
            f"process-{os.getpid()}.started",
        }  # fmt: skip
        live.kill()
        live.wait()
        assert multiproc.forget_dead() == 1
        assert f"gauge_livesum_{live.pid}.db" not in files(folder) and f"counter_{live.pid}.db" in files(folder)
    finally:
        for process in (live, killed):
            process.kill()
            process.wait()


def test_a_reused_pid_is_not_taken_for_the_process_that_left_the_marker(folder: Path) -> None:
    other = sleeper()
    try:
        folder.mkdir()
        (folder / f"process-{other.pid}.started").write_text("1")  # started at another time than the living one
        (folder / f"counter_{other.pid}.db").write_text("old")
        assert not multiproc.alive(other.pid, "1") and multiproc.alive(other.pid)
        multiproc.prepare(Path("/unused"))
        assert files(folder) == {f"process-{os.getpid()}.started"}
    finally:
        other.kill()
        other.wait()


def test_no_folder_no_bookkeeping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(multiproc.ENV, raising=False)
    assert multiproc.folder() is None and multiproc.forget_dead() == 0
