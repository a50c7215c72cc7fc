"""The API's rate limit: so many requests per client per period (``NEWSLOOM_API_RATE_LIMIT``), then 429 with
``Retry-After``.

A fixed window per client in Django's cache (an add and an increment: no history to read and write). The client is
whoever ``client_key`` says: today the connecting address; once requests carry a personal token, the
authentication class sets ``request.auth`` to an object with a ``rate_key`` (the token's id) and, if its holder has
a limit of their own, a ``rate_limit`` of (requests, seconds), and those win. Ninja runs the check after
authentication and before the operation, for every operation of the API.

With ``NEWSLOOM_CACHE_URL`` (Redis) the counts are in the shared cache, so the limit holds across processes and
machines. Without it the shared cache is a database table, and a write to it on every API request would cost more
than the request (bench/api.py: 0.25-0.6x the requests per second): the counts are then kept in each process's own
memory, and with N server processes a client may get up to N times the limit.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from newsloom.api.errors import RETRY_AFTER_ATTR


def client_key(request: HttpRequest) -> str:
    key = getattr(getattr(request, "auth", None), "rate_key", None)
    return f"token:{key}" if key else f"ip:{request.META.get('REMOTE_ADDR') or 'unknown'}"


def rate_for(request: HttpRequest) -> tuple[int, int] | None:
    """(requests, seconds) allowed to this request's client, or None for no limit."""
    own = getattr(getattr(request, "auth", None), "rate_limit", None)
    if own is not None:
        return (int(own[0]), int(own[1]))
    rate: tuple[int, int] | None = settings.CONFIG.api_rate_limit
    return rate


def counts() -> BaseCache:
    """The shared cache when it is Redis, else this process's own (see above)."""
    shared = str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache")
    return caches["default"] if shared else caches["pages"]


def spend(key: str, limit: int, seconds: int, now: float | None = None) -> float | None:
    """Count one request of ``key`` in the current window; None if allowed, else seconds until the next window."""
    now = time.time() if now is None else now
    cache = counts()
    window = int(now // seconds)
    name = f"newsloom:api-rate:{seconds}:{window}:{key}"
    if cache.add(name, 1, timeout=seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr: a new window
            cache.add(name, 1, timeout=seconds + 1)
            count = 1
    return None if count <= limit else (window + 1) * seconds - now


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        rate = rate_for(request)
        if rate is None:
            return True
        wait = spend(client_key(request), *rate)
        if wait is None:
            return True
        setattr(request, RETRY_AFTER_ATTR, wait)  # on the request: one throttle object serves every thread
        return False
