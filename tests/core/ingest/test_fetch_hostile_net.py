"""Hostile servers below the feed level (#21 rows 4 and 9): gzip bodies in several members, headers that drip, a reset
after the headers. Real servers on 127.0.0.1; the private-address check is on (loopback is allowed by the policy's
``allow_private``, which opens loopback and private ranges only)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any

import pytest

from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.errors import ResponseTooLarge
from tests.support.hostile_net import gzip_members
from tests.support.httpserver import LocalServer, StreamResponse

UA = "newsloom-test/1.0"
PAGE = "<html><body><article><p>{}</p></article></body></html>"


def policy(**kwargs: Any) -> FetchPolicy:
    defaults = {
        "user_agent": UA,
        "allow_private": True,
        "per_host_delay": 0.0,
        "per_host_concurrency": 8,
        "timeout": 2.0,
        "connect_timeout": 1.0,
        "max_bytes": 64 * 1024,
        "obey_robots": False,
    }
    return FetchPolicy(**{**defaults, **kwargs})


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(policy()) as f:
        yield f


def serve_gzip(server: LocalServer, path: str, body: bytes) -> str:
    return server.serve(path, body, headers={"Content-Encoding": "gzip"})


# ------------------------------------------------------------------------------------------- row 9: gzip members


def test_every_gzip_member_is_decoded(server: LocalServer, fetcher: Fetcher) -> None:
    first, second = PAGE.format("first half, ").encode(), b"<p>second half</p>"
    url = serve_gzip(server, "/two-members", gzip_members(first, second))
    assert fetcher.fetch(url).content == first + second


def test_many_small_members_and_trailing_padding(server: LocalServer, fetcher: Fetcher) -> None:
    parts = [f"<p>part {n}</p>".encode() for n in range(500)]
    url = serve_gzip(server, "/many", gzip_members(*parts) + b"\x00" * 64)
    assert fetcher.fetch(url).content == b"".join(parts)


def test_a_bomb_in_the_second_member_stops_at_the_same_cap(server: LocalServer, fetcher: Fetcher) -> None:
    body = gzip_members(b"<p>small</p>", bytes(50 * 1024 * 1024))
    url = serve_gzip(server, "/bomb-second", body)
    with pytest.raises(ResponseTooLarge, match="exceeds the 65536-byte limit once decompressed"):
        fetcher.fetch(url)


def test_members_over_the_cap_together_are_too_large(server: LocalServer, fetcher: Fetcher) -> None:
    url = serve_gzip(server, "/sum", gzip_members(b"a" * 40_000, b"b" * 40_000))  # each under 64 KiB, not both
    with pytest.raises(ResponseTooLarge):
        fetcher.fetch(url)


def test_a_member_split_across_network_chunks(server: LocalServer, fetcher: Fetcher) -> None:
    body = gzip_members(b"<p>one</p>", b"<p>two</p>", b"<p>three</p>")
    chunks = [body[i : i + 3] for i in range(0, len(body), 3)]  # boundaries inside headers and trailers
    server.route("/split", lambda _r: StreamResponse(200, chunks, {"Content-Encoding": "gzip"}))
    assert fetcher.fetch(server.url("/split")).content == b"<p>one</p><p>two</p><p>three</p>"
    assert gzip.decompress(body) == b"<p>one</p><p>two</p><p>three</p>"  # what the standard library reads too
