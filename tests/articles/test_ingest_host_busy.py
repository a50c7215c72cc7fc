"""A page whose host has no free slot within the wait budget (``HostBusy``) goes back in the queue as it was: no
attempt counted, no error recorded, nothing sent; its next turn stores it as usual (#21 row 4)."""

from __future__ import annotations

import threading

import pytest

from newsloom.articles.actions import HOST_BUSY_RETRY, ingest_article, record_entries
from newsloom.articles.models import Article
from newsloom.core.ingest.feeds import parse
from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.sources.actions import create_feed, ensure_source
from tests.support.feeds import article_page, rss
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db


def test_a_busy_host_puts_the_page_back_without_an_attempt(server: LocalServer) -> None:
    page = server.serve("/a", article_page("A title", ["Some text of the article, long enough to keep."] * 5))
    feed = create_feed(server.url("/feed.xml"), ensure_source("Herald"))
    [aid] = record_entries(feed, parse(rss([("A title", page)]).encode()).entries).new_ids
    policy = FetchPolicy(
        user_agent="t", allow_private=True, per_host_delay=0, per_host_concurrency=1, obey_robots=False, host_wait=0.1
    )
    release, inside = threading.Event(), threading.Event()
    with Fetcher(policy) as fetcher:

        def hold() -> None:
            with fetcher.limiter.slot(server.url("/").split("//")[1].rstrip("/"), concurrency=1, delay=0):
                inside.set()
                release.wait(30)

        holder = threading.Thread(target=hold)
        holder.start()
        assert inside.wait(10)
        try:
            busy = ingest_article(aid, fetcher=fetcher)
        finally:
            release.set()
            holder.join(10)
        assert busy.result == "retry" and busy.code == "host-busy" and busy.retry_in is not None
        assert 0 < busy.retry_in.total_seconds() <= 1.5 * HOST_BUSY_RETRY
        waiting = Article.objects.get(pk=aid)
        assert waiting.status == Article.Status.PENDING
        assert waiting.attempts == 0 and waiting.error_code == "" and waiting.error == ""
        assert server.hits["/a"] == 0

        stored = ingest_article(aid, fetcher=fetcher)
    assert stored.result == "stored"
    article = Article.objects.get(pk=aid)
    assert article.status == Article.Status.OK and article.attempts == 1 and article.error == ""
    assert server.hits["/a"] == 1
