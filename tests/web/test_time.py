from datetime import UTC, datetime, timedelta

import pytest

from newsloom.web.templatetags.newsloom_time import relative_time

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=21), "21 hours ago"),
        (timedelta(days=1, hours=3), "1 day ago"),
        (timedelta(days=6, hours=23), "6 days ago"),
        (timedelta(days=8), "15 November 2026"),
    ],
)
def test_relative_time(ago: timedelta, text: str) -> None:
    assert relative_time(NOW - ago, NOW) == text
