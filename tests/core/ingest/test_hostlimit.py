"""Host limits: LocalHostLimiter for threads, RedisHostLimiter across processes (real Redis on 127.0.0.1:6379)."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from newsloom.core.ingest.hostlimit import HostLimiter, LocalHostLimiter, RedisHostLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


class Probe:
    """Counts how many workers are inside a slot at once and when each one started."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.peak = 0
        self.starts: list[float] = []

    def work(self, limiter: HostLimiter, host: str, *, concurrency: int, delay: float, hold: float) -> None:
        with limiter.slot(host, concurrency=concurrency, delay=delay):
            with self.lock:
                self.inside += 1
                self.peak = max(self.peak, self.inside)
                self.starts.append(time.monotonic())
            time.sleep(hold)
            with self.lock:
                self.inside -= 1


def run_threads(count: int, target: Callable[[], None]) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)


@pytest.fixture
def redis_limiters() -> Iterator[Callable[..., RedisHostLimiter]]:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"newsloom-test:{uuid.uuid4().hex}"
    made: list[RedisHostLimiter] = []

    def make(**kwargs: float) -> RedisHostLimiter:
        limiter = RedisHostLimiter(REDIS_URL, prefix=prefix, **kwargs)
        made.append(limiter)
        return limiter

    yield make
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    for limiter in made:
        limiter.close()
    client.close()


def test_local_concurrency_never_exceeds_the_limit() -> None:
    limiter, probe = LocalHostLimiter(), Probe()
    run_threads(8, lambda: probe.work(limiter, "a:80", concurrency=2, delay=0, hold=0.05))
    assert probe.peak == 2
    assert len(probe.starts) == 8


def test_local_hosts_are_independent() -> None:
    limiter, probe = LocalHostLimiter(), Probe()
    hosts = iter(["a:80", "b:80", "c:80", "d:80"])
    lock = threading.Lock()

    def work() -> None:
        with lock:
            host = next(hosts)
        probe.work(limiter, host, concurrency=1, delay=0, hold=0.2)

    run_threads(4, work)
    assert probe.peak >= 2  # different hosts do not wait for each other


def test_local_start_spacing() -> None:
    limiter, probe = LocalHostLimiter(), Probe()
    run_threads(4, lambda: probe.work(limiter, "a:80", concurrency=4, delay=0.1, hold=0))
    starts = sorted(probe.starts)
    assert all(b - a >= 0.09 for a, b in itertools.pairwise(starts))


def test_redis_concurrency_across_limiter_instances(redis_limiters: Callable[..., RedisHostLimiter]) -> None:
    one, two, probe = redis_limiters(), redis_limiters(), Probe()  # two "processes"
    counter = iter(range(100))
    lock = threading.Lock()

    def work() -> None:
        with lock:
            mine = one if next(counter) % 2 else two
        probe.work(mine, "example.org:443", concurrency=2, delay=0, hold=0.1)

    run_threads(6, work)
    assert probe.peak == 2
    assert len(probe.starts) == 6


def test_redis_start_spacing(redis_limiters: Callable[..., RedisHostLimiter]) -> None:
    one, two, probe = redis_limiters(), redis_limiters(), Probe()
    run_threads(2, lambda: probe.work(one, "h:80", concurrency=4, delay=0.15, hold=0))
    run_threads(2, lambda: probe.work(two, "h:80", concurrency=4, delay=0.15, hold=0))
    starts = sorted(probe.starts)
    assert all(b - a >= 0.12 for a, b in itertools.pairwise(starts))


def test_redis_lease_of_a_crashed_worker_expires(redis_limiters: Callable[..., RedisHostLimiter]) -> None:
    crashed = redis_limiters(lease=0.3)
    slot = crashed.slot("h:80", concurrency=1, delay=0)
    slot.__enter__()  # never exited: the worker "crashed" holding the slot
    survivor = redis_limiters(lease=5)
    started = time.monotonic()
    with survivor.slot("h:80", concurrency=1, delay=0):
        waited = time.monotonic() - started
    assert 0.1 <= waited < 5


def test_redis_slot_is_released_on_error(redis_limiters: Callable[..., RedisHostLimiter]) -> None:
    limiter = redis_limiters()
    with pytest.raises(RuntimeError), limiter.slot("h:80", concurrency=1, delay=0):
        raise RuntimeError("boom")
    started = time.monotonic()
    with limiter.slot("h:80", concurrency=1, delay=0):
        pass
    assert time.monotonic() - started < 1
