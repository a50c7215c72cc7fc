"""An article whose page fetch or extraction fails in a way nobody foresaw is still recorded: never left pending
with no attempt (the story pass would wait on it)."""

from __future__ import annotations

from typing import Any

import pytest

from newsloom.articles.actions import ingest_article, record_entries
from newsloom.articles.models import Article
from newsloom.core.ingest.feeds import parse
from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.sources.actions import create_feed, ensure_source
from tests.support.feeds import article_page, rss
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db


def test_an_unexpected_error_is_recorded_on_the_article(server: LocalServer) -> None:
    page = server.serve("/a", article_page("A title", ["Some text."] * 5))
    feed = create_feed(server.url("/feed.xml"), ensure_source("Herald"))
    [aid] = record_entries(feed, parse(rss([("A title", page)]).encode()).entries).new_ids

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(107, "Transport endpoint is not connected")

    with Fetcher(FetchPolicy(user_agent="t", allow_private=True, per_host_delay=0, obey_robots=False)) as fetcher:
        outcome = ingest_article(aid, fetcher=fetcher, extractor=broken)
    article = Article.objects.get(pk=aid)
    assert outcome.result == "feed-only"
    assert article.status == Article.Status.FEED_ONLY and article.attempts == 1
    assert article.error == "internal error: OSError: [Errno 107] Transport endpoint is not connected"
