"""Adaptive polling intervals, error backoff and jitter: pure functions, deterministic with a seeded RNG."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from newsloom.core.ingest.polling import (
    cache_max_age,
    describe_wait,
    error_backoff,
    jitter,
    next_interval,
    parse_retry_after,
    retry_after_wording,
)

NOW = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)


def every(gap: timedelta, count: int, *, last: timedelta = timedelta(0)) -> list[datetime]:
    return [NOW - last - gap * i for i in range(count)]


def test_hourly_feed_is_polled_every_20_to_30_minutes() -> None:
    interval = next_interval(every(timedelta(hours=1), 30, last=timedelta(minutes=10)), now=NOW)
    assert timedelta(minutes=20) <= interval <= timedelta(minutes=30)


def test_busy_feed_is_clamped_to_min_interval() -> None:
    assert next_interval(every(timedelta(minutes=2), 50), now=NOW) == timedelta(minutes=10)
    assert next_interval(every(timedelta(minutes=2), 50), now=NOW, min_interval=timedelta(minutes=1)) < timedelta(
        minutes=2)


def test_feed_silent_for_days_is_polled_about_daily() -> None:
    old_burst = every(timedelta(hours=1), 20, last=timedelta(days=3))
    assert next_interval(old_burst, now=NOW) == timedelta(hours=24)
    assert next_interval(every(timedelta(days=10), 5, last=timedelta(days=4)), now=NOW) == timedelta(hours=24)


def test_slower_feed_gets_a_longer_interval() -> None:
    hourly = next_interval(every(timedelta(hours=1), 20), now=NOW)
    six_hourly = next_interval(every(timedelta(hours=6), 20), now=NOW)
    assert hourly < six_hourly < timedelta(hours=24)


def test_order_and_future_dates_do_not_matter() -> None:
    dates = every(timedelta(hours=1), 20)
    shuffled = [*dates[::-1], NOW + timedelta(days=2)]
    assert next_interval(shuffled, now=NOW) == next_interval(dates, now=NOW)


def test_no_dates_means_hourly_and_one_date_means_max() -> None:
    assert next_interval([], now=NOW) == timedelta(hours=1)
    assert next_interval([NOW - timedelta(hours=2)], now=NOW) == timedelta(hours=24)


def test_cache_max_age_and_ttl_are_floors_within_the_clamp() -> None:
    dates = every(timedelta(hours=1), 20)
    assert next_interval(dates, now=NOW, cache_max_age=3600) == timedelta(hours=1)
    assert next_interval(dates, now=NOW, ttl_minutes=90) == timedelta(minutes=90)
    assert next_interval(dates, now=NOW, ttl_minutes=60 * 48) == timedelta(hours=24)  # max wins
    assert next_interval(dates, now=NOW, cache_max_age=60) == next_interval(dates, now=NOW)


def test_error_backoff_grows_exponentially_and_is_capped() -> None:
    base = timedelta(minutes=5)
    for n in range(1, 30):
        delay = error_backoff(n, base=base, rng=random.Random(n))
        assert base <= delay <= min(base * 2 ** (n - 1), timedelta(hours=24))
    assert error_backoff(40, base=base, rng=random.Random(1)) <= timedelta(hours=24)
    rng = random.Random(7)
    late = [error_backoff(10, base=base, rng=rng) for _ in range(50)]
    early = [error_backoff(1, base=base, rng=rng) for _ in range(50)]
    assert min(late) > max(early)
    assert len(set(late)) > 40  # jittered


def test_error_backoff_respects_retry_after() -> None:
    base = timedelta(minutes=1)
    assert error_backoff(1, base=base, retry_after=3600, rng=random.Random(0)) == timedelta(hours=1)
    assert error_backoff(1, base=base, retry_after=30 * 86400, rng=random.Random(0)) == timedelta(days=7)
    assert error_backoff(0, base=base, rng=random.Random(0)) == base


def test_error_backoff_is_deterministic_with_a_seed() -> None:
    base = timedelta(minutes=5)
    assert error_backoff(4, base=base, rng=random.Random(3)) == error_backoff(4, base=base, rng=random.Random(3))


def test_jitter_stays_within_ten_percent() -> None:
    rng = random.Random(1)
    values = [jitter(timedelta(minutes=100), rng) for _ in range(200)]
    assert all(timedelta(minutes=90) <= v <= timedelta(minutes=110) for v in values)
    assert len(set(values)) > 100


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("", None), ("max-age=600", 600), ("public, max-age=60, s-maxage=300", 300),
     ("no-cache, max-age=600", None), ("no-store", None), ('max-age="120"', 120), ("max-age=abc", None)],
)
def test_cache_max_age(header: str | None, expected: int | None) -> None:
    assert cache_max_age(header) == expected


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Mon, 06 Jan 2025 12:02:00 GMT", now=NOW) == 120.0
    assert parse_retry_after("Mon, 06 Jan 2025 11:00:00 GMT", now=NOW) == 0.0


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0, "0 seconds"), (1, "1 second"), (45, "45 seconds"), (120, "2 minutes"), (5400, "90 minutes"),
     (7200, "2 hours"), (7 * 86400, "7 days"), (3.0707e10, "974 years"), (float("inf"), "more than 1,000 years")],
)
def test_describe_wait(seconds: float, words: str) -> None:
    assert describe_wait(seconds) == words


def test_retry_after_wording_caps_at_seven_days() -> None:
    assert retry_after_wording(None) == ""
    assert retry_after_wording(120) == "; retrying in 2 minutes, as the server asks"
    assert retry_after_wording(3.0707e10) == (
        "; retrying in 7 days, the longest newsloom waits (the server asked for 974 years)"
    )
