"""Per-host politeness: at most ``concurrency`` requests in flight to one host, and request starts ``delay`` apart.

    limiter.slot("example.com:443", concurrency=2, delay=1.0)   # a context manager held for one HTTP exchange

``LocalHostLimiter`` serves the threads of one process. ``RedisHostLimiter`` gives the same guarantee across processes
and machines: each slot is a lease in a Redis sorted set that expires on its own, so a crashed worker cannot hold a
slot forever, and the next allowed start time per host is a shared Redis key. Both use the host as given; the fetcher
passes ``host:port``.

``wait`` bounds how long a caller waits, for a free slot and for its start time together: past it, ``slot`` raises
``HostBusy`` without taking a slot or reserving a start, so a queue thread can put the work back and serve other
hosts rather than wait behind one slow host. ``wait=None`` waits as long as it takes.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsloom.errors import HostBusy


class HostLimiter(Protocol):
    def slot(self, host: str, *, concurrency: int, delay: float,
             wait: float | None = None) -> AbstractContextManager[None]:
        """Wait for a free slot for ``host`` and for its next allowed start time; hold the slot inside the block.
        With ``wait``, raise ``HostBusy`` when both are not had within that many seconds."""
        ...


def busy(host: str, wait: float) -> HostBusy:
    return HostBusy(f"{host} is busy: no free request slot within {wait:g} s; the request is put back for later")


@dataclass
class _HostState:
    active: int = 0
    next_start: float = 0.0
    cond: threading.Condition = field(default_factory=threading.Condition)


class LocalHostLimiter:
    """A counting semaphore per host plus start-time spacing, for the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        with self._lock:
            return self._hosts.setdefault(host.lower(), _HostState())

    @contextlib.contextmanager
    def slot(self, host: str, *, concurrency: int, delay: float, wait: float | None = None) -> Iterator[None]:
        state = self._state(host)
        limit = max(1, concurrency)
        give_up = None if wait is None else time.monotonic() + max(0.0, wait)
        with state.cond:
            while state.active >= limit:
                if give_up is None:
                    state.cond.wait()
                elif (left := give_up - time.monotonic()) > 0:
                    state.cond.wait(left)
                else:
                    raise busy(host, wait or 0.0)
            now = time.monotonic()
            start = max(now, state.next_start)
            if give_up is not None and start > give_up:  # its turn comes too late: leave the slot to another
                raise busy(host, wait or 0.0)
            state.active += 1
            state.next_start = start + max(0.0, delay)
        try:
            if start > now:
                time.sleep(start - now)
            yield
        finally:
            with state.cond:
                state.active -= 1
                state.cond.notify_all()  # a waiter that has just given up must not swallow the wake-up


# Take a lease if fewer than ARGV[1] live leases exist. KEYS[1]: the lease set. ARGV: limit, lease ms, token.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""

# Reserve the next start time. KEYS[1]: the next-start key. ARGV: delay ms, the longest wait in ms (-1: any).
# Returns ms to wait before starting, or -1 (nothing reserved) when the start is further off than the longest wait.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local longest = tonumber(ARGV[2])
if longest >= 0 and start - now > longest then
  return -1
end
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], start + delay, 'PX', delay + 60000)
return start - now
"""


class RedisHostLimiter:
    """The ``LocalHostLimiter`` contract shared through Redis by every worker process and machine.

    A slot is a lease (a member of ``{prefix}:{host}:leases`` scored by its expiry); leases older than ``lease`` seconds
    are dropped when anyone next tries to acquire, so keep ``lease`` above the fetch timeout. Clock times come from
    the Redis server, so machines need not agree on the time.
    """

    def __init__(self, url: str, *, prefix: str = "newsloom:hostlimit", lease: float = 120.0,
                 poll: float = 0.05, client: Any = None) -> None:
        import redis  # imported here so the local limiter works without a Redis client installed

        self.prefix = prefix
        self.lease = lease
        self.poll = poll
        self._redis = client if client is not None else redis.Redis.from_url(url)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._reserve = self._redis.register_script(_RESERVE)

    def _key(self, host: str, kind: str) -> str:
        return f"{self.prefix}:{host.lower()}:{kind}"

    @contextlib.contextmanager
    def slot(self, host: str, *, concurrency: int, delay: float, wait: float | None = None) -> Iterator[None]:
        token = uuid.uuid4().hex
        leases = self._key(host, "leases")
        lease_ms = max(1, int(self.lease * 1000))
        give_up = None if wait is None else time.monotonic() + max(0.0, wait)
        while not self._acquire(keys=[leases], args=[max(1, concurrency), lease_ms, token]):
            if give_up is not None and time.monotonic() >= give_up:
                raise busy(host, wait or 0.0)
            pause = self.poll * (0.5 + random.random())
            time.sleep(pause if give_up is None else max(0.0, min(pause, give_up - time.monotonic())))
        try:
            longest = -1 if give_up is None else max(0, int((give_up - time.monotonic()) * 1000))
            wait_ms = int(self._reserve(keys=[self._key(host, "next")], args=[max(0, int(delay * 1000)), longest]))
            if wait_ms < 0:
                raise busy(host, wait or 0.0)
            if wait_ms > 0:
                time.sleep(wait_ms / 1000)
            yield
        finally:
            self._redis.zrem(leases, token)

    def close(self) -> None:
        self._redis.close()
