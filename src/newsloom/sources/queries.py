"""Reading sources and feeds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from newsloom import keyset
from newsloom.keyset import Key
from newsloom.sources.models import Feed, Source


def find_feed(key: str) -> Feed | None:
    """A feed by numeric id or by URL."""
    feeds = Feed.objects.select_related("source")
    if key.isdigit():
        return feeds.filter(pk=int(key)).first()
    return feeds.filter(url=key).first()


def feeds_with_health() -> list[Feed]:
    return list(Feed.objects.select_related("source").order_by("source__name", "url"))


def source_feeds(source: Source) -> list[Feed]:
    """A source's feeds with their health, for its page: last status and error, and the items the last poll skipped
    (``skipped_items``, ``last_item_error``, ``last_item_link``, ``last_item_error_at``)."""
    return list(Feed.objects.filter(source=source).order_by("url"))


def feed_record(feed: Feed) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": feed.pk,
        "url": feed.url,
        "source": feed.source.slug,
        "title": feed.title,
        "format": feed.format,
        "disabled": feed.disabled,
        "disabled_reason": feed.disabled_reason,
        "last_status": feed.last_status,
        "last_error": feed.last_error,
        "last_error_code": feed.last_error_code,
        "consecutive_errors": feed.consecutive_errors,
        "last_fetched_at": iso(feed.last_fetched_at),
        "last_success_at": iso(feed.last_success_at),
        "next_fetch_at": iso(feed.next_fetch_at),
        "interval_seconds": feed.interval_seconds,
        "skipped_items": feed.skipped_items,
        "last_item_error": feed.last_item_error,
        "last_item_link": feed.last_item_link,
        "last_item_error_at": iso(feed.last_item_error_at),
    }


SOURCE_ORDER = (Key("slug"),)


def source_listing(start: Sequence[Any] | None = None, limit: int = 50) -> tuple[list[Source], tuple[Any, ...] | None]:
    """A page of sources by slug, each with ``article_count`` (its articles past the pending state)."""
    readable = Count("articles", filter=~Q(articles__status="pending"))
    return keyset.page(Source.objects.annotate(article_count=readable), SOURCE_ORDER, start, limit)

