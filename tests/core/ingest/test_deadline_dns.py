"""The look-up httpcore would make when connecting (``socket.create_connection`` calls ``getaddrinfo``, which takes
no timeout) is made by ``DeadlineBackend`` under the exchange's deadline (#21 row 4, "every network read has a
deadline"). The slow resolver is a real slow function given to the backend's ``resolver`` parameter; the server is
real, on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpcore
import httpx
import pytest

from newsloom.core.ingest.deadline import Deadline, DeadlineBackend, deadline_transport
from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.errors import FetchTimeout
from tests.support.httpserver import LocalServer


@pytest.fixture
def answer() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def test_a_blocked_look_up_while_connecting_ends_at_the_deadline(answer: threading.Event) -> None:
    def slow(host: str, port: int) -> list[str]:
        answer.wait(20)
        return ["127.0.0.1"]

    backend = DeadlineBackend(resolver=slow)
    with Deadline(0.5).active(), pytest.raises(httpcore.ConnectTimeout) as caught:
        backend.connect_tcp("slow-dns.example", 80, timeout=10.0)
    assert str(caught.value) == "the DNS look-up of slow-dns.example took longer than 0.5 s"


def test_through_the_fetcher_it_is_a_fetch_timeout(answer: threading.Event, server: LocalServer) -> None:
    """The URL check's look-up answers at once (a cached name, say); the connection's own look-up hangs."""
    url = server.serve("/news/1", "<p>one</p>").replace("127.0.0.1", "news.example")

    def slow(host: str, port: int) -> list[str]:
        answer.wait(20)
        return ["127.0.0.1"]

    limits = httpx.Limits(max_connections=10)
    policy = FetchPolicy(user_agent="t", allow_private=True, per_host_delay=0, timeout=0.5, obey_robots=False)
    with (
        Fetcher(
            policy, resolver=lambda host, port: ["127.0.0.1"], transport=deadline_transport(limits, resolver=slow)
        ) as fetcher,
        pytest.raises(FetchTimeout, match=r"timed out \(connecting\) after 0\.5 seconds"),
    ):
        fetcher.fetch(url)


def test_each_address_is_tried_in_turn(server: LocalServer) -> None:
    url = server.serve("/news/1", "<p>one</p>").replace("127.0.0.1", "news.example")
    limits = httpx.Limits(max_connections=10)
    policy = FetchPolicy(user_agent="t", allow_private=True, per_host_delay=0, timeout=5, obey_robots=False)
    addresses = ["127.0.0.2", "127.0.0.1"]  # nothing listens on the first
    with Fetcher(
        policy,
        resolver=lambda host, port: addresses,
        transport=deadline_transport(limits, resolver=lambda host, port: addresses),
    ) as fetcher:
        result = fetcher.fetch(url)
    assert result.status == 200 and result.content == b"<p>one</p>"
    assert server.requests[-1].headers["host"].startswith("news.example:")
