"""A bounded wait for a host's slot (#21 row 4, "one slow host never delays the others"): past ``wait`` the limiter
raises ``HostBusy`` without taking a slot or reserving a start, so the thread can serve other hosts. Local limiter
and the Redis one (real Redis on 127.0.0.1:6379, db 3)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest

from newsloom.core.ingest.hostlimit import HostLimiter, LocalHostLimiter, RedisHostLimiter
from newsloom.errors import HostBusy, TransientFetchError

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_limiter() -> Iterator[RedisHostLimiter]:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"newsloom-test:{uuid.uuid4().hex}"
    limiter = RedisHostLimiter(REDIS_URL, prefix=prefix, poll=0.01)
    yield limiter
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    limiter.close()
    client.close()


LIMITERS: list[Callable[..., HostLimiter]] = [
    lambda request: LocalHostLimiter(),
    lambda request: request.getfixturevalue("redis_limiter"),
]


@pytest.fixture(params=LIMITERS, ids=["local", "redis"])
def limiter(request: pytest.FixtureRequest) -> HostLimiter:
    made: HostLimiter = request.param(request)
    return made


def hold_slots(limiter: HostLimiter, host: str, count: int) -> tuple[threading.Event, list[threading.Thread]]:
    """``count`` threads each holding a slot of ``host`` until the returned event is set."""
    release, inside = threading.Event(), threading.Semaphore(0)

    def hold() -> None:
        with limiter.slot(host, concurrency=count, delay=0):
            inside.release()
            release.wait(30)

    threads = [threading.Thread(target=hold) for _ in range(count)]
    for thread in threads:
        thread.start()
    for _ in threads:
        assert inside.acquire(timeout=10)
    return release, threads


def test_a_full_host_raises_host_busy_after_the_wait(limiter: HostLimiter) -> None:
    release, threads = hold_slots(limiter, "slow:80", 2)
    try:
        busy = pytest.raises(HostBusy, match=r"slow:80 is busy: no free request slot within 0\.2 s")
        with busy as caught, limiter.slot("slow:80", concurrency=2, delay=0, wait=0.2):
            pytest.fail("entered a slot of a full host")
        assert isinstance(caught.value, TransientFetchError) and caught.value.code == "host-busy"
        with limiter.slot("fast:80", concurrency=2, delay=0, wait=0.2):  # another host is not held up
            pass
    finally:
        release.set()
        for thread in threads:
            thread.join(10)
    # giving up took no slot: both are free again
    with (
        limiter.slot("slow:80", concurrency=2, delay=0, wait=0.2),
        limiter.slot("slow:80", concurrency=2, delay=0, wait=0.2),
    ):
        pass


def test_a_slot_freed_within_the_wait_is_taken(limiter: HostLimiter) -> None:
    release, threads = hold_slots(limiter, "h:80", 1)
    threading.Timer(0.2, release.set).start()
    with limiter.slot("h:80", concurrency=1, delay=0, wait=10):
        pass
    for thread in threads:
        thread.join(10)


def test_a_start_further_off_than_the_wait_is_not_reserved(limiter: HostLimiter) -> None:
    with limiter.slot("spaced:80", concurrency=4, delay=30):  # the next start is 30 s away
        pass
    with pytest.raises(HostBusy), limiter.slot("spaced:80", concurrency=4, delay=30, wait=0.1):
        pytest.fail("started 30 s early")
    # the refused caller reserved nothing: the start is still the same distance off
    with pytest.raises(HostBusy), limiter.slot("spaced:80", concurrency=4, delay=0, wait=0.1):
        pytest.fail("started early")


def test_without_a_wait_the_caller_waits_for_its_turn(limiter: HostLimiter) -> None:
    release, threads = hold_slots(limiter, "patient:80", 1)
    threading.Timer(0.3, release.set).start()
    with limiter.slot("patient:80", concurrency=1, delay=0):
        pass
    for thread in threads:
        thread.join(10)


def test_waiters_that_give_up_do_not_strand_the_others() -> None:
    """One release wakes every waiter: a waiter that gave up at that moment cannot swallow the only wake-up."""
    limiter = LocalHostLimiter()
    release, threads = hold_slots(limiter, "x:80", 1)
    entered = threading.Event()
    gave_up: list[HostBusy] = []

    def quit_waiting() -> None:
        try:
            _enter(limiter, 0.05)
        except HostBusy as exc:
            gave_up.append(exc)

    quitters = [threading.Thread(target=quit_waiting) for _ in range(5)]
    patient = threading.Thread(target=lambda: (_enter(limiter, None), entered.set()))
    for thread in [*quitters, patient]:
        thread.start()
    for thread in quitters:
        thread.join(10)
    assert len(gave_up) == 5
    release.set()
    patient.join(10)
    assert entered.is_set()
    for thread in threads:
        thread.join(10)


def _enter(limiter: HostLimiter, wait: float | None) -> None:
    with limiter.slot("x:80", concurrency=1, delay=0, wait=wait):
        pass
