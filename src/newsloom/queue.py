"""The task queue backend, chosen by URL: a SQLite file on one machine, Redis when scaled out."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from huey import Huey, PriorityRedisHuey, SqliteHuey
from huey.storage import SqliteStorage

log = logging.getLogger(__name__)


class QueueFileStorage(SqliteStorage):
    """huey's SQLite storage with ``synchronous=NORMAL``: in WAL mode a commit then waits for no fsync, and the file
    stays consistent after any crash (a power cut may forget the last few tasks; the database, not the queue, is the
    record of what is left to do, and lost work is re-queued from it)."""

    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


def make_huey(queue_url: str, *, workers: int = 4, immediate: bool = False) -> Huey:
    """``sqlite:///path/queue.sqlite3`` or ``redis://host:6379/0``. Task return values are not stored: nothing reads
    them, and storing one is a write per task."""
    parts = urlsplit(queue_url)
    if parts.scheme == "sqlite":
        path = parts.path
        return SqliteHuey("newsloom", filename=path, immediate=immediate, timeout=30, results=False,
                          storage_class=QueueFileStorage)
    if parts.scheme in {"redis", "rediss"}:
        # the priority flavour (Redis >= 5): story building and enrichment go ahead of a long ingest backlog
        return PriorityRedisHuey("newsloom", url=queue_url, immediate=immediate, results=False)
    raise ValueError(f"NEWSLOOM_QUEUE_URL must start with sqlite:/// or redis://, not {queue_url!r}")


def claim(huey: Huey, key: str, *, stale_after: float) -> bool:
    """Set ``key`` if it is unset, or if whoever set it did so more than ``stale_after`` seconds ago (a crashed
    holder); True if this caller now holds it. The queue's storage is shared by every process of an installation."""
    now = time.time()
    if huey.put_if_empty(key, now):
        return True
    held_since = huey.get(key, peek=True)
    if held_since is None or now - float(held_since) > stale_after:
        huey.get(key)  # pops it
        return bool(huey.put_if_empty(key, now))
    return False


def release(huey: Huey, key: str) -> None:
    huey.get(key)


#: a lock whose holder has not renewed it for this long is taken over: its holder died (a SIGKILL, a lost machine)
LOCK_STALE = 60.0
#: how often a holder renews its lock's time, from a thread of its own, while its work runs
LOCK_HEARTBEAT = 10.0


@contextmanager
def exclusive(huey: Huey, name: str, *, stale_after: float = LOCK_STALE) -> Iterator[bool]:
    """``with exclusive(huey, "stories") as mine:`` — one holder across all processes; others get False.

    While held, a heartbeat thread renews the lock's time every ``stale_after / 6`` seconds (at most LOCK_HEARTBEAT),
    so a pass that runs for many minutes keeps its lock, and a holder that died loses it ``stale_after`` seconds
    later rather than blocking every other process's story passes for a quarter of an hour."""
    key = f"newsloom:lock:{name}"
    if not claim(huey, key, stale_after=stale_after):
        yield False
        return
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(huey, key, stop, min(LOCK_HEARTBEAT, stale_after / 6)),
                            name=f"newsloom-lock-{name}", daemon=True)
    beat.start()
    try:
        yield True
    finally:
        stop.set()
        beat.join()
        release(huey, key)


def _heartbeat(huey: Huey, key: str, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            huey.put(key, time.time())
        except Exception:  # the queue is unreachable for now (a restart, dropped clients): the next beat tries again
            log.warning("could not renew the queue lock %s", key, exc_info=True)
