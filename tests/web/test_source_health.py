"""A source's page shows its feeds' health: last error, items skipped by the last poll with the reason and the item's
link as text (#21: every recorded error is visible on the source page, not only in `feeds list`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from newsloom.sources.actions import ensure_source
from newsloom.sources.models import Feed

pytestmark = pytest.mark.django_db


def test_the_source_page_shows_each_feeds_recorded_errors_and_skipped_items(client: Client) -> None:
    source = ensure_source("Health Outlet", homepage="https://health.example/")
    Feed.objects.create(
        url="https://health.example/feed.xml",
        source=source,
        title="Health news",
        last_fetched_at=timezone.now(),
        last_status="ok: 9 entries",
        skipped_items=2,
        last_item_error="the item's link is not an http(s) URL with a valid host",
        last_item_link="javascript:alert(1)",
    )
    Feed.objects.create(
        url="https://health.example/broken.xml",
        source=source,
        last_fetched_at=timezone.now(),
        last_status="error: unsafe-xml",
        last_error="refused: the document's DOCTYPE declares XML entities",
    )
    page = client.get(f"/en/source/{source.slug}").content.decode()
    assert "2 items skipped by the last poll" in page
    assert "not an http(s) URL with a valid host" in page and "<code>javascript:alert(1)</code>" in page
    assert 'href="javascript' not in page
    assert "Last error: refused: the document&#x27;s DOCTYPE declares XML entities" in page
    assert 'href="https://health.example/feed.xml"' in page


def test_a_poll_changes_the_source_pages_etag(client: Client) -> None:
    source = ensure_source("Polled Outlet", homepage="https://polled.example/")
    feed = Feed.objects.create(url="https://polled.example/feed.xml", source=source, last_fetched_at=timezone.now())
    first = client.get(f"/en/source/{source.slug}")
    Feed.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now() + timedelta(seconds=5), skipped_items=1, last_item_error="no link"
    )
    again = client.get(f"/en/source/{source.slug}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and "1 item skipped by the last poll" in again.content.decode()
