"""A slow DNS server and a slow host never hold a fetch for long (#21 row 4, "every network read has a deadline",
"one slow host never delays the others"). The resolver that blocks is a real slow function given to the Fetcher's
``resolver`` parameter; the servers are real, on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.core.ingest.netguard import RESOLVER_THREADS, check_url
from newsloom.errors import ConnectionFailed, FetchTimeout, HostBusy, RobotsDisallowed
from tests.support.httpserver import LocalServer, Request, Response

UA = "newsloom-test/1.0"


def policy(**kwargs: Any) -> FetchPolicy:
    defaults: dict[str, Any] = {
        "user_agent": UA,
        "allow_private": True,
        "per_host_delay": 0.0,
        "timeout": 2.0,
        "connect_timeout": 0.5,
        "obey_robots": False,
    }
    return FetchPolicy(**{**defaults, **kwargs})


class SlowResolver:
    """Answers 127.0.0.1, but only once ``answer`` is set (or after 20 s)."""

    def __init__(self) -> None:
        self.answer = threading.Event()
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        self.answer.wait(20)
        return ["127.0.0.1"]


@pytest.fixture
def slow_resolver() -> Iterator[SlowResolver]:
    resolver = SlowResolver()
    yield resolver
    resolver.answer.set()


def test_a_dns_look_up_that_blocks_is_a_timeout(slow_resolver: SlowResolver) -> None:
    with Fetcher(policy(), resolver=slow_resolver) as fetcher, pytest.raises(FetchTimeout) as caught:
        fetcher.fetch("http://slow-dns.example/news/1")
    assert str(caught.value) == (
        "http://slow-dns.example/news/1 could not be fetched: the DNS look-up of slow-dns.example took longer than "
        "0.5 s"
    )
    assert caught.value.url == "http://slow-dns.example/news/1" and caught.value.code == "timeout"
    assert slow_resolver.asked == ["slow-dns.example"]


def test_the_look_up_gets_no_more_than_the_whole_timeout(slow_resolver: SlowResolver) -> None:
    late = pytest.raises(FetchTimeout, match=r"the DNS look-up of slow-dns\.example took longer than 0\.3 s")
    with Fetcher(policy(timeout=0.3, connect_timeout=10.0), resolver=slow_resolver) as fetcher, late:
        fetcher.fetch("http://slow-dns.example/")


def test_more_blocked_look_ups_than_resolver_threads_all_end(slow_resolver: SlowResolver) -> None:
    """Look-ups queued behind blocked ones keep their own deadline: every fetch ends as a timeout."""
    with Fetcher(policy(), resolver=slow_resolver) as fetcher, ThreadPoolExecutor(RESOLVER_THREADS + 8) as pool:

        def fetch(n: int) -> BaseException | None:
            try:
                fetcher.fetch(f"http://slow{n}.example/")
            except FetchTimeout as exc:
                return exc
            return None

        outcomes = list(pool.map(fetch, range(RESOLVER_THREADS + 8)))
    assert all(isinstance(o, FetchTimeout) for o in outcomes)


def test_a_look_up_in_time_and_a_failing_one() -> None:
    check_url(
        "http://quick.example/", allow_private=True, resolver=lambda host, port: ["127.0.0.1"], resolve_timeout=5.0
    )

    def broken(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    with pytest.raises(ConnectionFailed, match=r"the host name nowhere\.example does not resolve"):
        check_url("http://nowhere.example/", allow_private=False, resolver=broken, resolve_timeout=5.0)


# ------------------------------------------------------------------------------------ a busy host, HostBusy


def host_key(server: LocalServer) -> str:
    return server.url("/").split("//", 1)[1].rstrip("/")


def hold_slot(fetcher: Fetcher, host: str) -> tuple[threading.Event, threading.Thread]:
    release, inside = threading.Event(), threading.Event()

    def hold() -> None:
        with fetcher.limiter.slot(host, concurrency=1, delay=0):
            inside.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(10)
    return release, thread


def test_a_page_of_a_busy_host_raises_host_busy_and_sends_nothing(server: LocalServer) -> None:
    url = server.serve("/news/1", "<html><body><p>one</p></body></html>")
    with Fetcher(policy(per_host_concurrency=1)) as fetcher:
        release, thread = hold_slot(fetcher, host_key(server))
        try:
            with pytest.raises(HostBusy, match=r"is busy: no free request slot within 0\.2 s"):
                fetcher.fetch(url, host_wait=0.2)
            assert server.hits["/news/1"] == 0
        finally:
            release.set()
            thread.join(10)
        assert fetcher.fetch(url, host_wait=0.2).status == 200
    assert server.hits["/news/1"] == 1


def test_a_busy_host_while_robots_txt_is_due_caches_nothing(server: LocalServer) -> None:
    """HostBusy while robots.txt is to be read is not "robots.txt unreachable" (which would hold the host's pages
    back for minutes): the next turn reads robots.txt and obeys it."""
    server.route(
        "/robots.txt", lambda req: Response(200, "User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    )
    public = server.serve("/news/1", "<html><body><p>one</p></body></html>")
    with Fetcher(policy(per_host_concurrency=1, obey_robots=True)) as fetcher:
        release, thread = hold_slot(fetcher, host_key(server))
        try:
            with pytest.raises(HostBusy):
                fetcher.fetch(public, host_wait=0.1)
        finally:
            release.set()
            thread.join(10)
        assert server.hits["/robots.txt"] == 0
        assert fetcher.fetch(public, host_wait=0.1).status == 200
        with pytest.raises(RobotsDisallowed):
            fetcher.fetch(server.url("/private/x"), host_wait=0.1)
    assert server.hits["/robots.txt"] == 1


def test_without_host_wait_a_fetch_waits_for_the_slot(server: LocalServer) -> None:
    gate = threading.Event()

    def slow(req: Request) -> Response:
        gate.wait(10)
        return Response(200, "<p>slow</p>", {"Content-Type": "text/html"})

    server.route("/slow", slow)
    with Fetcher(policy(per_host_concurrency=1, timeout=10.0)) as fetcher, ThreadPoolExecutor(2) as pool:
        first = pool.submit(fetcher.fetch, server.url("/slow"))
        second = pool.submit(fetcher.fetch, server.url("/slow"))  # a feed poll: no host_wait, it waits its turn
        threading.Timer(0.3, gate.set).start()
        assert first.result(20).status == 200 and second.result(20).status == 200


def test_a_page_waiting_for_its_hosts_robots_txt_gives_up_too(server: LocalServer) -> None:
    """Another thread is reading the host's slow robots.txt: a page with ``host_wait`` does not wait for it."""
    gate = threading.Event()

    def slow_robots(req: Request) -> Response:
        gate.wait(10)
        return Response(200, "User-agent: *\nDisallow:\n", {"Content-Type": "text/plain"})

    server.route("/robots.txt", slow_robots)
    url = server.serve("/news/1", "<p>one</p>")
    with (
        Fetcher(policy(per_host_concurrency=4, obey_robots=True, timeout=10.0)) as fetcher,
        ThreadPoolExecutor(1) as pool,
    ):
        first = pool.submit(fetcher.fetch, url)  # a feed poll: it reads robots.txt and waits for it
        while server.hits["/robots.txt"] == 0:
            threading.Event().wait(0.01)
        try:
            with pytest.raises(HostBusy, match=r"its robots\.txt was still being read after 0\.1 s"):
                fetcher.fetch(url, host_wait=0.1)
        finally:
            gate.set()
        assert first.result(20).status == 200
        assert fetcher.fetch(url, host_wait=0.1).status == 200
    assert server.hits["/robots.txt"] == 1 and server.hits["/news/1"] == 2
