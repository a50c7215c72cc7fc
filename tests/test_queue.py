"""The queue backends: the SQLite file (no fsync per task, no stored results) and the claim/release helpers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from huey import PriorityRedisHuey, SqliteHuey

from newsloom.queue import LOCK_STALE, claim, exclusive, make_huey, release


def test_sqlite_queue_commits_without_fsync_and_stores_no_results(tmp_path: Path) -> None:
    huey = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    assert isinstance(huey, SqliteHuey) and not huey.results
    assert huey.storage.conn.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL
    assert huey.storage.conn.execute("pragma journal_mode").fetchone()[0] == "wal"

    @huey.task()
    def double(n: int) -> int:
        return 2 * n

    double(21)
    task = huey.dequeue()
    assert task is not None and huey.execute(task) == 42
    assert huey.result_count() == 0 and huey.pending_count() == 0


def test_claim_holds_a_key_until_released_or_stale(tmp_path: Path) -> None:
    huey = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    assert claim(huey, "k", stale_after=60)
    assert not claim(huey, "k", stale_after=60)
    assert claim(huey, "k", stale_after=0)  # whoever held it is presumed gone
    release(huey, "k")
    assert claim(huey, "k", stale_after=60)


def test_redis_queue_has_priorities_and_no_results() -> None:
    huey = make_huey("redis://127.0.0.1:6379/15")
    assert isinstance(huey, PriorityRedisHuey) and not huey.results


def test_unknown_queue_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="NEWSLOOM_QUEUE_URL"):
        make_huey("amqp://127.0.0.1/")


def test_a_held_lock_is_renewed_while_its_work_runs(tmp_path: Path) -> None:
    huey = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    with exclusive(huey, "pass", stale_after=0.6) as mine:
        assert mine
        for _ in range(6):  # 1.5 s, well past stale_after: the heartbeat keeps the lock fresh
            time.sleep(0.25)
            assert not claim(huey, "newsloom:lock:pass", stale_after=0.6)
    assert claim(huey, "newsloom:lock:pass", stale_after=0.6)  # released on leaving


def test_a_dead_holders_lock_is_taken_over_within_a_minute(tmp_path: Path) -> None:
    """A process SIGKILLed while it held the story lock never releases it; its last heartbeat ages out in
    LOCK_STALE (60 s), not the quarter of an hour that stopped every story pass after a killed worker."""
    huey = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    huey.put("newsloom:lock:stories", time.time() - LOCK_STALE - 1)  # what a killed holder leaves behind
    with exclusive(huey, "stories") as mine:
        assert mine
    huey.put("newsloom:lock:stories", time.time() - LOCK_STALE + 10)  # a holder that beat 50 s ago may be alive
    with exclusive(huey, "stories") as mine:
        assert not mine
