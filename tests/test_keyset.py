"""Keyset pagination walks an ordering page by page, exactly once per row, NULLs last, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsloom import keyset
from newsloom.config import parse_rate
from newsloom.keyset import Key
from newsloom.stories.models import Story

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def stories() -> None:
    # ties in score, ties in time, and NULL times, so that every column of the key decides somewhere
    for i in range(23):
        Story.objects.create(
            id=f"{i:032x}",
            score=float(i % 4),
            article_count=1,
            last_published=None if i % 5 == 0 else T0 + timedelta(hours=i % 3),
        )


@pytest.mark.parametrize(
    "keys",
    [
        (Key("score", descending=True), Key("last_published", descending=True, nullable=True), Key("pk")),
        (Key("last_published", descending=True, nullable=True), Key("pk")),
        (Key("last_published", nullable=True), Key("pk", descending=True)),
        (Key("score"), Key("last_published", nullable=True), Key("pk")),
    ],
    ids=["rank", "latest", "oldest", "ascending"],
)
@pytest.mark.parametrize("limit", [1, 4, 23, 50])
def test_pages_cover_the_ordering_exactly(stories: None, keys: tuple[Key, ...], limit: int) -> None:
    expected = list(Story.objects.order_by(*keyset.ordering(keys)).values_list("pk", flat=True))
    nulls = [s.pk for s in Story.objects.filter(last_published=None)]
    time_column = next(k for k in keys if k.field == "last_published")
    if keys[0] is time_column:  # NULLs last in either direction, on every database
        assert set(expected[-len(nulls) :]) == set(nulls)
    seen: list[str] = []
    start = None
    for _ in range(100):
        rows, start = keyset.page(Story.objects.all(), keys, start, limit)
        assert len(rows) <= limit
        seen += [r.pk for r in rows]
        if start is None:
            break
    assert seen == expected


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        keyset.after((Key("score"), Key("pk")), (1.0,))


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("600/min", (600, 60)),
        ("100/10s", (100, 10)),
        ("5/s", (5, 1)),
        ("2/h", (2, 3600)),
        ("1/day", (1, 86400)),
        ("off", None),
        ("0", None),
        ("0/min", None),
    ],
)
def test_rate_setting(text: str, rate: tuple[int, int] | None) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["fast", "10/fortnight", "x/min", "10/-5s"])
def test_a_bad_rate_setting_says_so(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)
