"""The folder that prometheus-client's multiprocess mode shares between the processes of one installation.

Each process that serves or works (``serve`` and its gunicorn workers, ``worker``, ``demo``, ``crawl``) calls
``prepare`` before anything imports prometheus-client: the library chooses its storage when it is first imported, from
``PROMETHEUS_MULTIPROC_DIR``. Every process then writes its metrics into files of its own there (``counter_<pid>.db``
and so on), and ``/metrics`` in any web process sums them, so one scrape sees the web processes and the workers
running on that machine with that data dir.

Bookkeeping, as the library asks: when a process ends its live gauges must go (``mark_process_dead``); gunicorn's
master does it for its workers, ``forget_dead`` does it for any process found dead (killed, crashed) at another's
start or scrape. The folder is emptied when a process starts and finds no other alive, as between two runs of a
server; the counters of a process that dies while others run are kept, so totals do not fall when one worker is
restarted. A process is alive when its pid exists, is not a zombie and, for the ones that left a marker, started at
the time the marker says (a reused pid is not mistaken for it).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"
_DB = re.compile(r"^[a-z_]+_(\d+)\.db$")
_LIVE_GAUGE = re.compile(r"^gauge_live[a-z]*_(\d+)\.db$")
_MARKER = re.compile(r"^process-(\d+)\.started$")


def folder() -> Path | None:
    """The shared folder of this process, or None when metrics are kept in this process only."""
    value = os.environ.get(ENV)
    return Path(value) if value else None


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None when it does not exist or is a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:  # no /proc here: fall back to asking the kernel
        return _signal_alive(pid)
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in {"Z", "X"}:  # a zombie holds its pid until reaped, but it is dead
        return None
    return fields[19]


def _signal_alive(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "?"


def alive(pid: int, started: str | None = None) -> bool:
    now = _start_time(pid)
    return now is not None and (started is None or now == "?" or started == "?" or now == started)


def _markers(path: Path) -> dict[int, str]:
    found = {}
    for entry in path.iterdir():
        match = _MARKER.match(entry.name)
        if match:
            try:
                found[int(match[1])] = entry.read_text().strip()
            except OSError:
                continue
    return found


def _pids(path: Path, pattern: re.Pattern[str] = _DB) -> set[int]:
    return {int(m[1]) for entry in path.iterdir() if (m := pattern.match(entry.name))}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(path / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _mark_dead(pid: int, path: Path) -> None:
    from prometheus_client import multiprocess  # only once the folder is set: the import chooses the storage

    multiprocess.mark_process_dead(pid, str(path))
    (path / f"process-{pid}.started").unlink(missing_ok=True)


def prepare(data_dir: Path) -> Path:
    """Point prometheus-client at the shared folder (``PROMETHEUS_MULTIPROC_DIR`` if the operator set it, else
    ``metrics/`` in the data dir), tidy it, and leave this process's marker there. Call before prometheus-client is
    imported: a process that imported it earlier keeps its metrics to itself."""
    path = Path(os.environ.get(ENV) or data_dir / "metrics").resolve()
    path.mkdir(parents=True, exist_ok=True)
    os.environ[ENV] = str(path)
    me = os.getpid()
    with _locked(path):
        markers = _markers(path)
        others = (_pids(path) | set(markers)) - {me}
        living = {pid for pid in others if alive(pid, markers.get(pid))}
        if not living:  # a new run: nothing of the last one is current
            for entry in path.iterdir():
                if _DB.match(entry.name) or _MARKER.match(entry.name):
                    entry.unlink(missing_ok=True)
        else:
            for pid in others - living:
                _mark_dead(pid, path)
        (path / f"process-{me}.started").write_text(_start_time(me) or "?")
    atexit.register(_exiting, path)  # also in forked children, where os.getpid() is then theirs
    return path


def _exiting(path: Path) -> None:
    with contextlib.suppress(Exception):  # the folder is gone, or the interpreter is half torn down: nothing to tidy
        _mark_dead(os.getpid(), path)


def forget_dead() -> int:
    """Remove the live gauges of processes that ended without saying so (killed, crashed); how many there were."""
    path = folder()
    if path is None or not path.is_dir():
        return 0
    markers = _markers(path)
    dead = {pid for pid in _pids(path, _LIVE_GAUGE) | set(markers) if not alive(pid, markers.get(pid))}
    if dead:
        with _locked(path):
            for pid in dead:
                _mark_dead(pid, path)
    return len(dead)


def child_exit(_arbiter: object, worker: object) -> None:
    """gunicorn's ``child_exit`` hook, in the master: a worker process has ended."""
    path = folder()
    pid = getattr(worker, "pid", None)
    if path is not None and isinstance(pid, int):
        _mark_dead(pid, path)
