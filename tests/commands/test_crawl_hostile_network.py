"""#21 end to end: hostile publishers at the network and XML level go through the real crawl (fetch -> parse -> store,
queue and workers), each failure is recorded on its feed or article, and the crawl finishes with the good feeds
stored. Runs on SQLite, and on PostgreSQL when NEWSLOOM_DATABASE_URL points there.

Private addresses are allowed as the demo and the tests allow them (NEWSLOOM_FETCH_ALLOW_PRIVATE): that opens the
loopback servers here, and nothing more — the redirect to the cloud metadata address is still refused.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest

from newsloom.articles.models import Article
from newsloom.commands.crawl import crawl_once
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.sources.models import Feed
from tests.support.feeds import rss
from tests.support.hostile_net import (
    HOSTILE_DATA,
    RawServer,
    drip_headers,
    install_hostile_net_routes,
    reset_after_headers,
)
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db(transaction=True)

UNSAFE = sorted(p.name for p in HOSTILE_DATA.glob("net-*.xml") if p.name != "net-doctype-netscape.xml")


@pytest.fixture
def net(settings, pipeline) -> Iterator[tuple[RawServer, RawServer]]:  # type: ignore[no-untyped-def]
    settings.CONFIG = dataclasses.replace(settings.CONFIG, fetch_timeout=2.0)
    stop = threading.Event()
    with RawServer(drip_headers(stop, delay=0.5)) as drip, RawServer(reset_after_headers()) as reset:
        yield drip, reset
        stop.set()


def test_hostile_network_is_recorded_and_the_crawl_finishes(
    net: tuple[RawServer, RawServer], server: LocalServer
) -> None:
    drip, reset = net
    paths = install_hostile_net_routes(server)
    good_page = server.serve(
        "/news/plain",
        "<html><body><article><h1>Plain</h1>" + "<p>Plain text here.</p>" * 20 + "</article></body></html>",
    )
    links = [
        ("Plain story", good_page),
        ("Two gzip members", server.url(paths["gzip_article"])),
        ("Reset after headers", reset.url("/news/reset")),
        ("Dripping headers", drip.url("/news/drip")),
    ]
    good = server.serve("/good.xml", rss(links), "application/rss+xml; charset=utf-8")

    source = ensure_source("Hostile Net Herald")
    feeds = {
        name: create_feed(server.url(paths[name]), source)
        for name in [*UNSAFE, "net-doctype-netscape.xml", "retry_far", "retry_huge", "to_metadata"]
    }
    feeds["good"] = create_feed(good, source)
    feeds["drip"] = create_feed(drip.url("/feed.xml"), source)

    summary = crawl_once(progress=False, timeout=120)
    assert summary.finished

    def feed(name: str) -> Feed:
        return Feed.objects.get(pk=feeds[name].pk)

    for name in UNSAFE:
        unsafe = feed(name)
        assert unsafe.last_error_code == "unsafe-xml", name
        assert unsafe.last_error.startswith("refused: the document's DOCTYPE declares XML entities"), name
        assert unsafe.last_status == "error: unsafe-xml" and unsafe.consecutive_errors == 1
    assert feed("net-doctype-netscape.xml").last_error_code == ""
    assert not Article.objects.filter(title__contains="PWNED").exists()

    for name in ("retry_far", "retry_huge"):
        limited = feed(name)
        assert limited.last_error_code == "rate-limited"
        assert "retrying in 7 days, the longest newsloom waits (the server asked for " in limited.last_error
        assert "e+" not in limited.last_error and "seconds" not in limited.last_error

    blocked = feed("to_metadata")
    assert blocked.last_error_code == "blocked-address"
    assert "169.254.169.254 is a link-local address" in blocked.last_error

    dripping = feed("drip")
    assert dripping.last_error_code == "timeout"
    assert dripping.last_error.endswith("timed out (waiting for the response headers) after 2 seconds")

    assert feed("good").last_error_code == "" and feed("good").last_status.startswith("ok: 4 entries")
    articles = {a.url: a for a in Article.objects.filter(feed_id=feeds["good"].pk)}
    assert articles[good_page].status == Article.Status.OK
    gzipped = articles[server.url(paths["gzip_article"])]
    assert gzipped.status == Article.Status.OK and "Second member text survives." in gzipped.text
    for url, code in ((reset.url("/news/reset"), "connection-failed"), (drip.url("/news/drip"), "timeout")):
        waiting = articles[url]  # a transient failure: retried with backoff, every attempt recorded
        assert waiting.attempts >= 1 and waiting.error_code == code, (url, waiting.error)
        assert waiting.status in (Article.Status.PENDING, Article.Status.FEED_ONLY)
    assert not Article.objects.filter(status=Article.Status.PENDING, attempts=0).exists()
