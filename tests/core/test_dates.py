"""``newsloom.core.dates.parse_datetime``: the one parser of dates from outside (feeds, pages, HTTP headers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsloom.core.dates import parse_datetime
from newsloom.core.ingest.feeds.jsonfeed import parse_date
from newsloom.core.ingest.polling import parse_retry_after
from newsloom.core.reading.pagemeta import plausible_datetime


@pytest.mark.parametrize(("value", "expected", "has_time"), [
    ("2024-05-01T10:30:00Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), True),
    ("2024-05-01 10:30:00+0200", datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2))), True),
    ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC), False),
    ("Wed, 01 May 2024 10:30:00 GMT", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), True),
    ("  2024-05-01T10:30:00  ", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), True),  # naive: UTC
])
def test_dates_of_every_form(value: str, expected: datetime, has_time: bool) -> None:
    assert parse_datetime(value) == (expected, has_time)


@pytest.mark.parametrize("value", ["", "yesterday", "2024-13-45", "9" * 65, "2024-05-01T10:30:00Z" + " " * 50 + "x"])
def test_what_is_no_date(value: str) -> None:
    assert parse_datetime(value) is None


def test_each_caller_keeps_its_own_rule_on_what_is_plausible() -> None:
    assert plausible_datetime("1970-01-01T00:00:00Z") is None  # page metadata: 1990-2100 only
    assert parse_date("1970-01-01T00:00:00+01:00") == datetime(1969, 12, 31, 23, tzinfo=UTC)  # JSON Feed: any year, UTC
    now = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 May 2024 10:30:00 GMT", now=now) == 1800.0
    assert parse_retry_after("120", now=now) == 120.0
