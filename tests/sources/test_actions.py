from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from newsloom import runtime
from newsloom.articles.actions import record_entries
from newsloom.articles.models import Article
from newsloom.errors import NotAFeed
from newsloom.sources import actions
from newsloom.sources.models import Feed, Source
from tests.support.feeds import rss
from tests.support.httpserver import LocalServer, Request, Response

pytestmark = pytest.mark.django_db(transaction=True)

RSS = "application/rss+xml; charset=utf-8"


def test_add_feed_by_feed_url(pipeline, server: LocalServer) -> None:
    url = server.serve("/feed.xml", rss([("One", server.url("/1"))], title="Daily Loom"), RSS)
    feed = actions.add_feed(url, fetcher=runtime.fetcher(), kind="private", country="GB")
    assert feed.url == url and feed.source.name == "Daily Loom"
    assert feed.source.kind == "private" and feed.source.country == "GB"
    assert actions.add_feed(url, fetcher=runtime.fetcher()).pk == feed.pk  # adding twice is harmless


def test_add_feed_discovers_the_feed_of_a_web_page(pipeline, server: LocalServer) -> None:
    server.serve("/rss", rss([("One", server.url("/1"))], title="Loom Times"), RSS)
    page = '<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>hi</body></html>'
    home = server.serve("/", page)
    feed = actions.add_feed(home, fetcher=runtime.fetcher(), source_name="The Loom Times")
    assert feed.url == server.url("/rss") and feed.source.name == "The Loom Times"


def test_add_feed_refuses_a_page_without_feed(pipeline, server: LocalServer) -> None:
    home = server.serve("/", "<html><body><p>No feed here.</p></body></html>")
    with pytest.raises(NotAFeed, match="advertises no feed"):
        actions.add_feed(home, fetcher=runtime.fetcher())
    assert not Feed.objects.exists()


def test_opml_round_trip(pipeline) -> None:
    source = actions.ensure_source("Loom Wire", homepage="https://wire.example/")
    actions.create_feed("https://wire.example/feed.xml", source, title="Loom Wire")
    data = actions.export_opml()
    Feed.objects.all().delete()
    Source.objects.all().delete()
    result = actions.import_opml(data)
    assert [f.url for f in result.added] == ["https://wire.example/feed.xml"]
    assert actions.import_opml(data).existing == ["https://wire.example/feed.xml"]


def test_poll_records_entries_health_and_schedule(pipeline, server: LocalServer) -> None:
    body = rss([("One", server.url("/1")), ("Two", server.url("/2"))])
    etag = '"v1"'

    def feed_route(request: Request) -> Response:
        if request.headers.get("if-none-match") == etag:
            return Response(304, b"", {"ETag": etag})
        return Response(200, body, {"Content-Type": RSS, "ETag": etag, "Cache-Control": "max-age=1800"})

    server.route("/feed.xml", feed_route)
    feed = actions.create_feed(server.url("/feed.xml"), actions.ensure_source("Gazette"))
    outcome = actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries)
    assert outcome.status == "ok" and len(outcome.new_article_ids) == 2
    feed.refresh_from_db()
    assert feed.last_status == "ok: 2 entries, 2 new" and feed.etag == etag and feed.consecutive_errors == 0
    assert feed.interval_seconds >= 1800  # never sooner than Cache-Control allows
    assert feed.next_fetch_at > timezone.now() + timedelta(minutes=20)
    again = actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries)
    assert again.status == "not-modified"
    assert server.requests[-1].headers.get("if-none-match") == etag
    assert Article.objects.count() == 2


@pytest.mark.parametrize(
    ("status", "code"), [(404, "http-error"), (500, "server-error"), (429, "rate-limited")]
)
def test_poll_failure_is_recorded_with_backoff(pipeline, server: LocalServer, status: int, code: str) -> None:
    headers = {"Content-Type": "text/plain", "Retry-After": "600"}
    server.route("/feed.xml", lambda _r: Response(status, b"nope", headers))
    feed = actions.create_feed(server.url("/feed.xml"), actions.ensure_source("Gazette"))
    outcome = actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries)
    feed.refresh_from_db()
    assert outcome.status == "error" and feed.consecutive_errors == 1
    assert feed.last_error_code == code and str(status) in feed.last_error
    assert feed.last_status == f"error: {code}" and not feed.disabled
    assert feed.next_fetch_at > timezone.now()
    if status == 429:
        assert feed.next_fetch_at >= timezone.now() + timedelta(seconds=590)


def test_gone_feed_is_disabled_and_can_be_re_enabled(pipeline, server: LocalServer) -> None:
    server.route("/feed.xml", lambda _r: Response(410, b"gone", {"Content-Type": "text/plain"}))
    feed = actions.create_feed(server.url("/feed.xml"), actions.ensure_source("Gazette"))
    assert actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries).status == "disabled"
    feed.refresh_from_db()
    assert feed.disabled and "410" in feed.disabled_reason
    assert actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries).status == "disabled"
    actions.set_feed_enabled(feed, True)
    feed.refresh_from_db()
    assert not feed.disabled and feed.consecutive_errors == 0


def test_long_run_of_failures_disables_the_feed(settings, pipeline, server: LocalServer) -> None:
    import dataclasses

    settings.CONFIG = dataclasses.replace(settings.CONFIG, feed_disable_after=3)
    server.route("/feed.xml", lambda _r: Response(500, b"x", {"Content-Type": "text/plain"}))
    feed = actions.create_feed(server.url("/feed.xml"), actions.ensure_source("Gazette"))
    fetcher = runtime.fetcher()
    statuses = [actions.poll_feed(feed.pk, fetcher=fetcher, record_entries=record_entries).status for _ in range(3)]
    assert statuses == ["error", "error", "disabled"]
    feed.refresh_from_db()
    assert "3 consecutive failures" in feed.disabled_reason


def test_claim_due_feeds_hands_each_feed_out_once(pipeline) -> None:
    source = actions.ensure_source("Gazette")
    feeds = [actions.create_feed(f"https://g.example/{i}.xml", source) for i in range(3)]
    Feed.objects.filter(pk=feeds[2].pk).update(next_fetch_at=timezone.now() + timedelta(hours=1))
    assert sorted(actions.claim_due_feeds()) == sorted(f.pk for f in feeds[:2])
    assert actions.claim_due_feeds() == []
