"""Hostile servers below the feed level (#21 rows 4 and 9): gzip bodies in several members, headers that drip, a reset
after the headers. Real servers on 127.0.0.1; the private-address check is on (loopback is allowed by the policy's
``allow_private``, which opens loopback and private ranges only)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.errors import BlockedAddress, ConnectionFailed, FetchError, FetchTimeout, ResponseTooLarge
from tests.support.hostile_net import RawServer, drip_headers, gzip_members, reset_after_headers
from tests.support.httpserver import LocalServer, Response, StreamResponse

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


# ------------------------------------------------------------------------- row 4: every network read has a deadline


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # dripping servers end with the test


def test_headers_dripping_a_byte_a_second_time_out_at_the_deadline(stop: threading.Event) -> None:
    with RawServer(drip_headers(stop, delay=0.2)) as srv, Fetcher(policy(timeout=1.0)) as f:
        started = time.monotonic()
        with pytest.raises(FetchTimeout) as info:
            f.fetch(srv.url("/feed.xml"))
        assert time.monotonic() - started < 10  # a sanity bound: before, this waited as long as the server dripped
    assert str(info.value) == f"{srv.url('/feed.xml')} timed out (waiting for the response headers) after 1 seconds"
    assert info.value.transient


def test_connect_has_a_deadline() -> None:
    """A listener whose backlog is full never completes a handshake: the connect gives up at connect_timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        with Fetcher(policy(timeout=5.0, connect_timeout=0.3)) as f, pytest.raises(FetchTimeout) as info:
            f.fetch(f"http://127.0.0.1:{port}/feed.xml")
        assert "timed out (connecting)" in str(info.value)
    finally:
        filler.close()
        listener.close()


@pytest.mark.parametrize("body_bytes", [0, 10])
def test_reset_after_the_headers_is_connection_failed(body_bytes: int) -> None:
    with RawServer(reset_after_headers(body_bytes)) as srv, Fetcher(policy()) as f:
        for _ in range(3):  # the reset races the reading of the headers: each way ends the same
            with pytest.raises(ConnectionFailed) as info:
                f.fetch(srv.url("/article"))
            assert "reset the connection" in str(info.value) or "closed the connection" in str(info.value)


def test_reset_after_headers_with_the_address_check_on() -> None:
    """The peer address is read right after connecting, so a reset later cannot make reading it fail."""
    with RawServer(reset_after_headers(0)) as srv:
        trusted = Fetcher(policy(allow_private=False), unsafe_test_trusted_hosts=[f"127.0.0.1:{srv.port}"])
        with trusted as f, pytest.raises(ConnectionFailed):
            f.fetch(srv.url("/article"))


def test_one_slow_host_does_not_hold_up_another(server: LocalServer, stop: threading.Event) -> None:
    fast = server.serve("/fast", PAGE.format("quick"))
    outcome: list[BaseException] = []
    with RawServer(drip_headers(stop, delay=0.2)) as slow, Fetcher(policy(timeout=3.0)) as f:

        def fetch_slow() -> None:
            try:
                f.fetch(slow.url("/feed.xml"))
            except FetchError as exc:
                outcome.append(exc)

        thread = threading.Thread(target=fetch_slow)
        thread.start()
        while slow.connections == 0:
            time.sleep(0.01)
        assert f.fetch(fast).status == 200
        assert thread.is_alive() and not outcome  # the fast page came back while the slow one still dripped
        thread.join(timeout=10)
    assert len(outcome) == 1 and isinstance(outcome[0], FetchTimeout)


def test_a_body_that_stalls_after_the_headers_times_out(server: LocalServer, stop: threading.Event) -> None:
    def stalled() -> Iterator[bytes]:
        yield b"<html>"
        stop.wait(30)

    server.route("/stall", lambda _r: StreamResponse(200, stalled(), {"Content-Type": "text/html"}))
    with Fetcher(policy(timeout=0.8)) as f, pytest.raises(FetchTimeout, match=r"the body was not complete after 0\.8"):
        f.fetch(server.url("/stall"))


def test_error_pages_are_drained_under_the_deadline(server: LocalServer) -> None:
    server.route("/gone", lambda _r: Response(404, b"x" * 1000, {"Content-Type": "text/plain"}))
    with Fetcher(policy()) as f:
        for _ in range(3):
            with pytest.raises(FetchError, match="404"):
                f.fetch(server.url("/gone"))


# ----------------------------------------------------------- allowing loopback is not allowing everything


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is the cloud metadata address"),
        ("http://metadata.test/computeMetadata/v1/", "metadata.test resolves to 169.254.169.254"),
        ("http://[::ffff:a9fe:a9fe]/", "wrapping 169.254.169.254, a link-local address"),
    ],
)
def test_a_redirect_to_metadata_is_refused_with_allow_private(server: LocalServer, location: str, reason: str) -> None:
    """A real server on 127.0.0.1 (allowed: loopback) redirects to a metadata address: refused by the URL check,
    before any connection is attempted (the message comes from the check of the URL, not of a connected peer)."""
    server.route("/feed.xml", lambda _r: Response(302, b"", {"Location": location}))

    def resolver(host: str, port: int) -> list[str]:
        return {"metadata.test": ["169.254.169.254"]}.get(host, ["127.0.0.1"])

    with Fetcher(policy(allow_private=True), resolver=resolver) as f, pytest.raises(BlockedAddress) as info:
        f.fetch(server.url("/feed.xml"))
    message = str(info.value)
    assert message.startswith(f"{location} (redirected from {server.url('/feed.xml')}) is refused: ")
    assert reason in message and "the connection reached" not in message
    assert server.hits["/feed.xml"] == 1


def test_allow_networks_opens_the_named_network_only(server: LocalServer) -> None:
    page = server.serve("/page", PAGE.format("inside"))
    with Fetcher(policy(allow_private=False, allow_networks=("127.0.0.0/8",))) as f:
        assert f.fetch(page).status == 200
    with Fetcher(policy(allow_private=False, allow_networks=("10.0.0.0/8",))) as f, pytest.raises(BlockedAddress):
        f.fetch(page)
