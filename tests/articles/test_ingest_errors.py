"""An article whose page fetch or extraction fails in a way nobody foresaw is still recorded: never left pending
with no attempt (the story pass would wait on it)."""

from __future__ import annotations

from typing import Any

import pytest

from newsloom.articles.actions import ingest_article, record_entries
from newsloom.articles.models import Article
from newsloom.core.ingest.feeds import parse
from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.core.reading.article import read_article
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


def _terminate_own_backend() -> None:
    """What `pg_terminate_backend` from an operator (or a failover) does to this thread's database connection."""
    import psycopg
    from django.db import connection

    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=db["PORT"] or 5432, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_lost_mid_ingest_leaves_the_article_pending_for_a_retry(server: LocalServer) -> None:
    """Before, the lost connection was recorded as the article's outcome (feed-only, "internal error:
    OperationalError: terminating connection due to administrator command"), its page never stored."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's connections can be terminated under a task; SQLite has none to lose")
    page = server.serve("/a", article_page("A title", ["Some text of the article, long enough to keep."] * 5))
    feed = create_feed(server.url("/feed.xml"), ensure_source("Herald"))
    [aid] = record_entries(feed, parse(rss([("A title", page)]).encode()).entries).new_ids

    def extract_then_lose_the_connection(*args: Any, **kwargs: Any) -> Any:
        extracted = read_article(*args, **kwargs)
        _terminate_own_backend()  # the article is stored next, on the connection that is now gone
        return extracted

    with Fetcher(FetchPolicy(user_agent="t", allow_private=True, per_host_delay=0, obey_robots=False)) as fetcher:
        outcome = ingest_article(aid, fetcher=fetcher, extractor=extract_then_lose_the_connection)
        assert outcome.result == "retry" and outcome.code == "database-lost" and outcome.retry_in is not None
        article = Article.objects.get(pk=aid)  # a new connection
        assert article.status == Article.Status.PENDING and article.attempts == 0 and article.error == ""
        assert ingest_article(aid, fetcher=fetcher).result == "stored"
    assert Article.objects.get(pk=aid).status == Article.Status.OK
