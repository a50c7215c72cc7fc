"""Fetcher against a real HTTP server on 127.0.0.1: conditional GET, redirects, robots, host limits, keep-alive."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from newsloom.core.ingest.fetch import Fetcher, FetchPolicy, parse_content_type
from newsloom.core.ingest.hostlimit import LocalHostLimiter
from newsloom.errors import ResponseTooLarge, RobotsDisallowed
from tests.support.hostile import GOOD_ETAG, GOOD_LAST_MODIFIED, install_hostile_routes
from tests.support.httpserver import LocalServer, Request, Response

UA = "newsloom-test/1.0 (+https://example.org/bot)"


def policy(**kwargs: Any) -> FetchPolicy:
    return FetchPolicy(**{"user_agent": UA, "allow_private": True, "per_host_delay": 0.0, "timeout": 5.0, **kwargs})


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(policy()) as f:
        yield f


def test_good_feed_and_headers(server: LocalServer, fetcher: Fetcher) -> None:
    names = install_hostile_routes(server)
    result = fetcher.fetch(server.url(names["good_feed"]), accept="application/rss+xml")
    assert result.status == 200 and not result.not_modified
    assert result.content.startswith(b"<?xml")
    assert result.content_type == "application/rss+xml"
    assert result.charset == "utf-8"
    assert result.etag == GOOD_ETAG and result.last_modified == GOOD_LAST_MODIFIED
    assert result.max_age == 600
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert result.final_url == result.url == server.url(names["good_feed"])
    sent = next(r for r in server.requests if r.path == names["good_feed"]).headers
    assert sent["user-agent"] == UA
    assert sent["accept"] == "application/rss+xml"
    assert sent["accept-encoding"].startswith("gzip, deflate")
    assert "if-none-match" not in sent


def test_conditional_get_round_trip(server: LocalServer, fetcher: Fetcher) -> None:
    names = install_hostile_routes(server)
    url = server.url(names["good_feed"])
    first = fetcher.fetch(url)
    second = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.status == 304 and second.not_modified and second.content == b""
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == GOOD_ETAG
    assert sent["if-modified-since"] == GOOD_LAST_MODIFIED


def test_compressed_bodies_are_decoded(server: LocalServer, fetcher: Fetcher) -> None:
    body = b"<rss>" + b"news " * 1000 + b"</rss>"
    server.serve("/gz", gzip.compress(body), "application/rss+xml", headers={"Content-Encoding": "gzip"})
    server.serve("/zl", zlib.compress(body), "application/rss+xml", headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.serve("/raw", raw.compress(body) + raw.flush(), "application/rss+xml",
                 headers={"Content-Encoding": "deflate"})
    for path in ("/gz", "/zl", "/raw"):
        assert fetcher.fetch(server.url(path)).content == body


def test_redirects_are_followed_and_recorded(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/old", lambda _r: Response(301, b"", {"Location": "/newer"}))
    server.route("/newer", lambda _r: Response(302, b"", {"Location": server.url("/feed")}))
    server.serve("/feed", "<rss/>", "application/rss+xml; charset=ISO-8859-1")
    result = fetcher.fetch(server.url("/old"))
    assert result.final_url == server.url("/feed")
    assert result.redirects == (server.url("/newer"), server.url("/feed"))
    assert result.charset == "iso-8859-1"


def test_content_length_over_the_cap_is_refused_before_reading(server: LocalServer) -> None:
    server.serve("/big", b"x" * 5000, "text/plain")
    with Fetcher(policy(max_bytes=1000)) as f, pytest.raises(ResponseTooLarge, match="Content-Length 5000"):
        f.fetch(server.url("/big"))


def test_robots_disallow(server: LocalServer, fetcher: Fetcher) -> None:
    server.serve("/robots.txt", "User-agent: newsloom-test\nDisallow: /private/\n", "text/plain")
    server.serve("/private/feed.xml", "<rss/>", "application/rss+xml")
    server.serve("/public/feed.xml", "<rss/>", "application/rss+xml")
    with pytest.raises(RobotsDisallowed) as info:
        fetcher.fetch(server.url("/private/feed.xml"))
    assert str(info.value) == f"{server.url('/private/feed.xml')} is disallowed for {UA} by robots.txt"
    assert fetcher.fetch(server.url("/public/feed.xml")).status == 200
    assert server.hits["/private/feed.xml"] == 0
    assert server.hits["/robots.txt"] == 1  # cached per origin


def test_robots_ignored_when_policy_says_so(server: LocalServer) -> None:
    server.serve("/robots.txt", "User-agent: *\nDisallow: /\n", "text/plain")
    server.serve("/feed.xml", "<rss/>", "application/rss+xml")
    with Fetcher(policy(obey_robots=False)) as f:
        assert f.fetch(server.url("/feed.xml")).status == 200
    assert server.hits["/robots.txt"] == 0


def test_robots_also_applies_to_redirect_targets(server: LocalServer, fetcher: Fetcher) -> None:
    server.serve("/robots.txt", "User-agent: *\nDisallow: /hidden\n", "text/plain")
    server.route("/go", lambda _r: Response(302, b"", {"Location": "/hidden"}))
    with pytest.raises(RobotsDisallowed, match=r"/hidden \(redirected from .*/go\)"):
        fetcher.fetch(server.url("/go"))


def test_crawl_delay_is_honoured(server: LocalServer) -> None:
    server.serve("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    times: list[float] = []

    def feed(_req: Request) -> Response:
        times.append(time.monotonic())
        return Response(200, b"ok")

    server.route("/feed", feed)
    with Fetcher(policy(per_host_delay=0.0)) as f:
        for _ in range(3):
            f.fetch(server.url("/feed"))
    assert len(times) == 3
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(times))


class InFlight:
    """A route that counts simultaneous requests at the server."""

    def __init__(self, hold: float) -> None:
        self.hold = hold
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.starts: list[float] = []

    def __call__(self, _req: Request) -> Response:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.starts.append(time.monotonic())
        time.sleep(self.hold)
        with self.lock:
            self.now -= 1
        return Response(200, b"ok", {"Content-Type": "text/plain"})


def fetch_in_threads(fetcher: Fetcher, url: str, count: int, **kwargs: Any) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            fetcher.fetch(url, **kwargs)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors


def test_per_host_concurrency_is_never_exceeded(server: LocalServer) -> None:
    route = InFlight(hold=0.1)
    server.route("/slow", route)
    with Fetcher(policy(per_host_concurrency=2)) as f:
        fetch_in_threads(f, server.url("/slow"), 8)
        assert route.peak <= 2
        assert len(route.starts) == 8
        route.peak = 0
        fetch_in_threads(f, server.url("/slow"), 4, host_concurrency=1)  # per-feed override
        assert route.peak == 1


def test_per_host_delay_spaces_request_starts(server: LocalServer) -> None:
    route = InFlight(hold=0.0)
    server.route("/feed", route)
    with Fetcher(policy(per_host_concurrency=4, per_host_delay=0.25)) as f:
        fetch_in_threads(f, server.url("/feed"), 4)
    starts = sorted(route.starts)
    assert len(starts) == 4
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(starts))


def test_host_delay_override_per_call(server: LocalServer) -> None:
    route = InFlight(hold=0.0)
    server.route("/feed", route)
    with Fetcher(policy(per_host_delay=5.0), limiter=LocalHostLimiter()) as f:
        started = time.monotonic()
        for _ in range(3):
            f.fetch(server.url("/feed"), host_delay=0.0)
        assert time.monotonic() - started < 4


def test_keep_alive_reuses_one_connection(server: LocalServer, fetcher: Fetcher) -> None:
    accepted = []
    original = server._httpd.get_request

    def counting() -> Any:
        conn = original()
        accepted.append(conn[1])
        return conn

    server._httpd.get_request = counting  # type: ignore[method-assign]
    server.serve("/feed", "<rss/>", "application/rss+xml")
    for _ in range(5):
        fetcher.fetch(server.url("/feed"))
    assert server.hits["/feed"] == 5
    assert len(accepted) <= 2  # robots.txt's 404 and the feeds share connections, not one connection each


def test_parse_content_type() -> None:
    assert parse_content_type('text/html; Charset="UTF-8"') == ("text/html", "utf-8")
    assert parse_content_type("application/xml") == ("application/xml", None)
    assert parse_content_type(None) == (None, None)
