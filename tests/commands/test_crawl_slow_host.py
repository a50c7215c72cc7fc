"""#21 row 4, "one slow host never delays the others", on a real crawl (queue, worker threads, fetch, store): a host
answering each page slowly and a fast one, 20 pages each, in one feed that lists the slow host's pages first, 4
worker threads and 2 slots per host. Before, all 4 threads ended up waiting for the slow host's 2 slots and the
fast pages waited behind them; now a page whose host stays busy past NEWSLOOM_FETCH_HOST_WAIT goes back in the queue
(no attempt counted) and the thread serves the fast host. Asserted on order and completion, never on durations:
every fast page is stored while most slow pages are still to come, and every page is fetched and stored exactly
once. Runs on SQLite, and on PostgreSQL when NEWSLOOM_DATABASE_URL points there."""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Iterator

import pytest

from newsloom import runtime
from newsloom.articles.models import Article
from newsloom.commands.crawl import crawl_once
from newsloom.sources.actions import create_feed, ensure_source
from tests.support.feeds import article_page, rss
from tests.support.httpserver import LocalServer, Request, Response

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = 20
SLOW_SECONDS = 2.0  # per slow page; 2 slots: the slow host needs about PAGES / 2 * SLOW_SECONDS in all
STILL_TO_COME = 8  # slow pages at least not yet stored when the last fast page is (before the fix: at most 4)
WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "school",
    "bridge",
    "rail",
    "market",
    "tunnel",
    "museum",
    "orchard",
    "festival",
    "library",
    "clinic",
    "ferry",
    "stadium",
    "garden",
    "theatre",
    "factory",
    "airport",
    "forest",
    "vineyard",
    "quarry",
    "lighthouse",
    "canal",
    "bakery",
]


def page(host: str, n: int) -> str:
    rng = random.Random(f"{host}-{n}")
    paragraphs = [f"{host.title()} story {n}: " + " ".join(rng.sample(WORDS, 12)) + "." for _ in range(6)]
    return article_page(f"{host.title()} story {n} {' '.join(rng.sample(WORDS, 3))}", paragraphs)


@pytest.fixture
def slow_server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def test_a_slow_host_does_not_hold_back_a_fast_one(
    settings,
    pipeline,
    server: LocalServer,  # type: ignore[no-untyped-def]
    slow_server: LocalServer,
) -> None:
    settings.CONFIG = dataclasses.replace(
        settings.CONFIG, per_host_concurrency=2, workers=4, fetch_timeout=10.0, fetch_host_wait=0.5
    )
    runtime.reset()

    def slow_route(body: str):  # type: ignore[no-untyped-def]
        def serve(req: Request) -> Response:
            time.sleep(SLOW_SECONDS)
            return Response(200, body, {"Content-Type": "text/html; charset=utf-8"})

        return serve

    slow_urls, fast_urls = [], []
    for n in range(PAGES):
        slow_server.route(f"/slow/{n}", slow_route(page("slow", n)))
        slow_urls.append(slow_server.url(f"/slow/{n}"))
        fast_urls.append(server.serve(f"/fast/{n}", page("fast", n)))
    items = [(f"Slow story {n}", url) for n, url in enumerate(slow_urls)]
    items += [(f"Fast story {n}", url) for n, url in enumerate(fast_urls)]
    feed = create_feed(
        server.serve("/feed.xml", rss(items), "application/rss+xml; charset=utf-8"), ensure_source("Mixed Wire")
    )

    summary = crawl_once(progress=False, timeout=180)
    assert summary.finished

    articles = {a.url: a for a in Article.objects.filter(feed_id=feed.pk)}
    assert set(articles) == {*slow_urls, *fast_urls}
    for url, article in articles.items():
        assert article.status == Article.Status.OK, (url, article.error)
        assert article.error_code == "" and article.attempts == 1, (url, article.attempts, article.error)
    assert all(slow_server.hits[f"/slow/{n}"] == 1 for n in range(PAGES)), slow_server.hits
    assert all(server.hits[f"/fast/{n}"] == 1 for n in range(PAGES)), server.hits

    last_fast = max(articles[url].fetched_at for url in fast_urls)
    later = [url for url in slow_urls if articles[url].fetched_at > last_fast]
    assert len(later) >= STILL_TO_COME, f"only {len(later)} slow pages were stored after the last fast one"
