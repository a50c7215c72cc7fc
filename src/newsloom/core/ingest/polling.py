"""When to poll a feed next: pure functions of what we know, no I/O.

``next_interval`` adapts to how often a feed publishes: 0.4 × the median gap between its entries of the last week
(a feed posting hourly is polled every ~24 minutes), stretched when the feed has been silent for longer than that,
never sooner than its Cache-Control max-age or RSS ``<ttl>`` asks, clamped to ``[min_interval, max_interval]``.
``error_backoff`` spaces retries after failures; ``jitter`` keeps feeds from synchronising. ``cache_max_age`` and
``parse_retry_after`` read the response headers that bound these intervals; ``retry_after_wording`` says in words
what a Retry-After means for us ("retrying in 7 days"), ``describe_wait`` any wait ("2 minutes", "974 years").
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from newsloom.core.dates import parse_datetime

WINDOW = timedelta(days=7)
RECENT_ENTRIES = 20  # the newest entries of the window that set the pace
POLL_FRACTION = 0.4  # poll at this fraction of the typical gap between entries
UNDATED_INTERVAL = timedelta(hours=1)  # a feed without any dates: we cannot tell its pace
MAX_BACKOFF = timedelta(hours=24)
MAX_RETRY_AFTER = timedelta(days=7)  # a server's Retry-After is honoured up to this


def next_interval(
    published: Sequence[datetime],
    *,
    now: datetime,
    cache_max_age: int | None = None,
    ttl_minutes: int | None = None,
    min_interval: timedelta = timedelta(minutes=10),
    max_interval: timedelta = timedelta(hours=24),
) -> timedelta:
    """How long to wait before polling a feed again, from the publication times of its entries.

    Dates must be comparable with ``now`` (all aware or all naive). Dates in the future are ignored. A feed with no
    dates at all is polled every hour; one with fewer than two entries in the last week, at ``max_interval``.
    """
    past = sorted((d for d in published if d <= now), reverse=True)
    if not past:
        interval = UNDATED_INTERVAL if not published else max_interval
    else:
        recent = [d for d in past if now - d <= WINDOW][:RECENT_ENTRIES]
        if len(recent) < 2:
            interval = max_interval
        else:
            gaps = [(newer - older).total_seconds() for newer, older in itertools.pairwise(recent)]
            typical = timedelta(seconds=statistics.median(gaps))
            silence = now - recent[0]
            # A feed quiet for longer than its usual pace has probably slowed down: follow the silence, half-speed.
            interval = max(typical * POLL_FRACTION, silence / 2)
    floor = max(
        timedelta(seconds=cache_max_age or 0),
        timedelta(minutes=ttl_minutes or 0),
    )
    interval = max(interval, floor)
    return min(max(interval, min_interval), max_interval)


def error_backoff(
    consecutive_errors: int,
    *,
    base: timedelta,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> timedelta:
    """Wait after the ``consecutive_errors``-th failure in a row: exponential (``base × 2^(n-1)``, capped at 24 h)
    with full jitter over ``[base, cap]``, and never less than the server's ``retry_after`` seconds (itself honoured
    up to seven days)."""
    rng = rng or random.Random()
    attempt = max(1, consecutive_errors)
    base_s = max(0.0, base.total_seconds())
    cap_s = min(MAX_BACKOFF.total_seconds(), base_s * 2.0 ** min(attempt - 1, 64))
    delay = rng.uniform(min(base_s, cap_s), cap_s)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER.total_seconds()))
    return timedelta(seconds=delay)


def jitter(interval: timedelta, rng: random.Random | None = None) -> timedelta:
    """``interval`` moved by up to ±10 % at random."""
    rng = rng or random.Random()
    return interval * rng.uniform(0.9, 1.1)


def cache_max_age(cache_control: str | None) -> int | None:
    """Seconds from a Cache-Control header (``s-maxage``, else ``max-age``); None if absent or no-cache/no-store."""
    if not cache_control:
        return None
    directives: dict[str, str] = {}
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        directives[name.strip().lower()] = value.strip().strip('"')
    if "no-cache" in directives or "no-store" in directives:
        return None
    for name in ("s-maxage", "max-age"):
        if directives.get(name, "").isdigit():
            return int(directives[name])
    return None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    parsed = parse_datetime(value)
    if parsed is None:
        return None
    when = parsed[0]
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_UNITS = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))
_LONGEST_SAID = 1000 * 365 * 86400


def describe_wait(seconds: float) -> str:
    """A wait in words, rounded to its largest sensible unit: "45 seconds", "2 minutes", "7 days", "974 years"."""
    if not math.isfinite(seconds) or seconds >= _LONGEST_SAID:
        return "more than 1,000 years"
    seconds = max(0.0, seconds)
    for name, size in _UNITS:
        if seconds >= 2 * size:
            count = round(seconds / size)
            return f"{count:,} {name}s"
    count = round(seconds)
    return f"{count} second" if count == 1 else f"{count} seconds"


def capped_retry_after(seconds: float | None) -> float | None:
    """A server's Retry-After as we honour it: at most ``MAX_RETRY_AFTER``."""
    return None if seconds is None else min(max(0.0, seconds), MAX_RETRY_AFTER.total_seconds())


def retry_after_wording(seconds: float | None) -> str:
    """``"; retrying in 2 minutes, as the server asks"``, or for more than we honour ``"; retrying in 7 days, the
    longest newsloom waits (the server asked for 974 years)"``; ``""`` without a Retry-After."""
    capped = capped_retry_after(seconds)
    if seconds is None or capped is None:
        return ""
    if seconds <= capped:
        return f"; retrying in {describe_wait(seconds)}, as the server asks"
    asked = describe_wait(seconds)
    return f"; retrying in {describe_wait(capped)}, the longest newsloom waits (the server asked for {asked})"
