"""The whole crawl against hostile publishers: each failure is recorded for the operator, the rest carries on."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from newsloom import runtime
from newsloom.articles.actions import record_entries
from newsloom.articles.models import Article
from newsloom.commands.crawl import crawl_once
from newsloom.core.ingest.fetch import Fetcher
from newsloom.core.urls import canonicalize
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.sources.models import Feed
from tests.support.hostile import PREFIX, PRIVATE_LINKS, install_hostile_routes
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db(transaction=True)

FEED_CASES = {
    # name -> the feed's recorded error code after one crawl ("" = polled fine)
    "good_feed": "",
    "feed_private_links": "",
    "wrong_charset": "",
    "wrong_charset_reversed": "",
    "missing_charset": "",
    "billion_laughs": "unsafe-xml",
    "gzip_bomb": "too-large",
    "endless_body": "too-large",
    "slow_drip": "timeout",
    "redirect_loop": "too-many-redirects",
    "too_many_redirects": "too-many-redirects",
    "redirect_to_private": "blocked-address",
    "html_as_feed": "not-a-feed",
    "status_404": "http-error",
    "status_410": "http-error",
    "status_429": "rate-limited",
    "status_500": "server-error",
}


@pytest.fixture
def hostile_web(settings, pipeline, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Private addresses refused (as in production); only the loopback test server itself is trusted."""
    settings.CONFIG = dataclasses.replace(settings.CONFIG, fetch_allow_private=False, fetch_timeout=3.0,
                                          fetch_max_bytes=2 * 1024 * 1024)
    fetcher = Fetcher(runtime.fetch_policy(), unsafe_test_trusted_hosts=[f"{server.host}:{server.port}"])
    monkeypatch.setattr(runtime, "fetcher", lambda: fetcher)
    names = install_hostile_routes(server)
    yield names
    fetcher.close()


def test_hostile_feeds_are_recorded_and_the_crawl_carries_on(hostile_web: dict[str, str], server: LocalServer) -> None:
    source = ensure_source("Hostile Herald")
    feeds = {name: create_feed(server.url(hostile_web[name]), source) for name in [*FEED_CASES, "malformed_xml"]}

    summary = crawl_once(progress=False, timeout=120)
    assert summary.finished

    for name, code in FEED_CASES.items():
        feed = Feed.objects.get(pk=feeds[name].pk)
        assert feed.last_error_code == code, f"{name}: {feed.last_status} {feed.last_error}"
        if code:
            assert feed.consecutive_errors == 1 and feed.last_error, name
            assert "Traceback" not in feed.last_error
    assert Feed.objects.get(pk=feeds["status_410"].pk).disabled
    malformed = Feed.objects.get(pk=feeds["malformed_xml"].pk)
    assert malformed.last_error_code in {"", "parse-error"} and malformed.last_status

    good = Article.objects.filter(url__startswith=server.url(f"{PREFIX}/articles/"))
    assert good.count() == 2 and all(a.status == Article.Status.OK for a in good)
    private = Article.objects.filter(url__in=[canonicalize(u) for u in PRIVATE_LINKS])
    assert private.count() == 3
    assert {a.error_code for a in private} == {"blocked-address"}
    assert all(a.status == Article.Status.FEED_ONLY for a in private)
    # nothing was ever requested from a private address: the server saw only its own paths
    assert all(r.path.startswith(PREFIX) or r.path == "/robots.txt" for r in server.requests)


def test_a_second_crawl_is_conditional_and_duplicates_nothing(hostile_web: dict[str, str], server: LocalServer) -> None:
    feed = create_feed(server.url(hostile_web["good_feed"]), ensure_source("Good Herald"))
    crawl_once(progress=False)
    before = sorted(Article.objects.values_list("pk", "status"))
    crawl_once(progress=False, every_feed=True)
    assert sorted(Article.objects.values_list("pk", "status")) == before
    feed.refresh_from_db()
    assert feed.last_status == "not modified"
    assert server.requests[-1].headers.get("if-none-match")


def test_work_left_pending_by_a_crash_is_resumed(hostile_web: dict[str, str], server: LocalServer) -> None:
    from newsloom.sources.actions import poll_feed

    feed = create_feed(server.url(hostile_web["good_feed"]), ensure_source("Good Herald"))
    # entries stored, then the "process dies": the queue is lost
    poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries)
    runtime.fetcher()  # same tools
    from django.conf import settings

    settings.HUEY.flush()
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.PENDING}
    summary = crawl_once(progress=False)
    assert summary.recovered == 2
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.OK}
