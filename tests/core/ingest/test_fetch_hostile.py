"""Every network-level hostile case through the Fetcher against a real server on 127.0.0.1, plus SSRF refusals.

The server is on loopback, so most tests allow private addresses. SSRF tests refuse them; to test a redirect from an
"allowed public" host into a private one, the server's own ``127.0.0.1:port`` is trusted through the test-only
``unsafe_test_trusted_hosts`` hook while everything it redirects to is still checked.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    ResponseTooLarge,
    ServerError,
    TooManyRedirects,
)
from tests.support.hostile import NON_ASCII_TEXT, install_hostile_routes
from tests.support.httpserver import LocalServer, Request, Response

UA = "newsloom-test/1.0"


def policy(**kwargs: Any) -> FetchPolicy:
    defaults = {"user_agent": UA, "allow_private": True, "per_host_delay": 0.0, "per_host_concurrency": 8,
                "timeout": 2.0, "connect_timeout": 1.0, "max_bytes": 256 * 1024, "obey_robots": False}
    return FetchPolicy(**{**defaults, **kwargs})


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[LocalServer, dict[str, str]]]:
    with LocalServer() as srv:
        yield srv, install_hostile_routes(srv)


@pytest.fixture(scope="module")
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(policy()) as f:
        yield f


def url_of(hostile: tuple[LocalServer, dict[str, str]], name: str) -> str:
    server, names = hostile
    return server.url(names[name])


def test_gzip_bomb_stops_at_the_cap(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher) -> None:
    started = time.monotonic()
    with pytest.raises(ResponseTooLarge, match=r"exceeds the 262144-byte limit once decompressed"):
        fetcher.fetch(url_of(hostile, "gzip_bomb"))
    assert time.monotonic() - started < 2  # never inflated whole (100 MiB)


def test_endless_body_stops_at_the_cap(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher) -> None:
    with pytest.raises(ResponseTooLarge) as info:
        fetcher.fetch(url_of(hostile, "endless_body"))
    assert str(info.value).startswith(url_of(hostile, "endless_body") + " is too large")
    assert info.value.code == "too-large" and not info.value.transient


def test_slow_drip_times_out_at_the_deadline(hostile: tuple[LocalServer, dict[str, str]]) -> None:
    url = url_of(hostile, "slow_drip")
    with Fetcher(policy(timeout=1.2)) as f:
        started = time.monotonic()
        with pytest.raises(FetchTimeout) as info:
            f.fetch(url)
        took = time.monotonic() - started
    assert 1.0 <= took < 2.5
    assert str(info.value) == f"{url} timed out: the body was not complete after 1.2 seconds"
    assert info.value.transient


def test_server_that_never_answers_times_out(hostile: tuple[LocalServer, dict[str, str]]) -> None:
    server, _ = hostile

    def hang(_req: Request) -> Response:
        time.sleep(3)
        return Response(200, b"late")

    server.route("/hang", hang)
    with Fetcher(policy(timeout=0.5)) as f, pytest.raises(FetchTimeout, match="timed out"):
        f.fetch(server.url("/hang"))


def test_redirect_loop(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher) -> None:
    url = url_of(hostile, "redirect_loop")
    with pytest.raises(TooManyRedirects, match=r"is caught in a redirect loop: .*loop-a → .*loop-b → .*loop-a"):
        fetcher.fetch(url)


def test_too_many_redirects(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher) -> None:
    server, names = hostile
    before = server.hits[names["too_many_redirects"]]
    with pytest.raises(TooManyRedirects, match="redirected more than 5 times"):
        fetcher.fetch(url_of(hostile, "too_many_redirects"))
    assert server.hits[names["too_many_redirects"]] - before == 6  # the first request and five redirects


@pytest.mark.parametrize(
    ("name", "error", "status", "text"),
    [("status_404", HTTPStatusError, 404, "returned HTTP 404 Not Found"),
     ("status_410", HTTPStatusError, 410, "returned HTTP 410 Gone"),
     ("status_429", RateLimited, 429, "returned HTTP 429 Too Many Requests; retrying in 2 minutes, as the server asks"),
     ("status_500", ServerError, 500, "returned HTTP 500 Internal Server Error")],
)
def test_status_mapping(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher, name: str,
                        error: type[Exception], status: int, text: str) -> None:
    url = url_of(hostile, name)
    with pytest.raises(error) as info:
        fetcher.fetch(url)
    assert str(info.value).startswith(f"{url} {text}")
    assert info.value.status == status  # type: ignore[attr-defined]
    assert info.value.url == url  # type: ignore[attr-defined]
    if name == "status_429":
        assert info.value.retry_after == 120  # type: ignore[attr-defined]


def test_503_with_retry_after_is_rate_limited(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher) -> None:
    server, _ = hostile
    server.route("/busy", lambda _r: Response(503, b"", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}))
    server.route("/down", lambda _r: Response(503, b""))
    with pytest.raises(RateLimited) as info:
        fetcher.fetch(server.url("/busy"))
    assert info.value.status == 503 and info.value.retry_after == 7 * 86400  # honoured up to seven days
    with pytest.raises(ServerError, match="503 Service Unavailable"):
        fetcher.fetch(server.url("/down"))


@pytest.mark.parametrize("name", ["malformed_xml", "billion_laughs", "html_as_feed", "feed_private_links"])
def test_content_level_cases_fetch_fine(hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher,
                                        name: str) -> None:
    result = fetcher.fetch(url_of(hostile, name))  # the parser, not the fetcher, deals with these
    assert result.status == 200 and result.content
    assert result.content_type == "application/rss+xml"


def test_charset_cases_report_the_declared_charset(hostile: tuple[LocalServer, dict[str, str]],
                                                    fetcher: Fetcher) -> None:
    wrong = fetcher.fetch(url_of(hostile, "wrong_charset"))
    assert wrong.charset == "utf-8" and NON_ASCII_TEXT.encode("windows-1252") in wrong.content
    reversed_ = fetcher.fetch(url_of(hostile, "wrong_charset_reversed"))
    assert reversed_.charset == "windows-1252" and NON_ASCII_TEXT.encode("utf-8") in reversed_.content
    assert fetcher.fetch(url_of(hostile, "missing_charset")).charset is None


def test_connection_refused() -> None:
    with LocalServer() as gone:
        url = gone.url("/feed")
    with Fetcher(policy()) as f, pytest.raises(ConnectionFailed, match=r"could not be fetched: the connection was"):
        f.fetch(url)


def test_unresolvable_host() -> None:
    with Fetcher(policy(allow_private=False)) as f, pytest.raises(ConnectionFailed, match="does not resolve"):
        f.fetch("http://nowhere.invalid/feed")


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1:{port}/", "http://localhost:{port}/", "http://[::1]:{port}/", "http://10.0.0.1/",
     "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:{port}/", "http://[::ffff:127.0.0.1]:{port}/",
     "http://2130706433:{port}/", "http://0177.0.0.1:{port}/"],
)
def test_ssrf_targets_are_refused(hostile: tuple[LocalServer, dict[str, str]], target: str) -> None:
    server, _ = hostile
    url = target.format(port=server.port)
    before = len(server.requests)
    with Fetcher(policy(allow_private=False, obey_robots=True)) as f, pytest.raises(BlockedAddress) as info:
        f.fetch(url)
    assert str(info.value).startswith(f"{url} is refused: ")
    assert len(server.requests) == before  # nothing, not even robots.txt, was sent


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "http://user:pw@example.org/", "file:///etc/passwd"])
def test_invalid_urls(url: str, fetcher: Fetcher) -> None:
    with pytest.raises(InvalidURL):
        fetcher.fetch(url)


def trusted_fetcher(server: LocalServer, **kwargs: Any) -> Fetcher:
    return Fetcher(policy(allow_private=False, **kwargs), unsafe_test_trusted_hosts=[f"127.0.0.1:{server.port}"])


def test_redirect_from_allowed_host_into_metadata_is_refused(hostile: tuple[LocalServer, dict[str, str]]) -> None:
    server, names = hostile
    with trusted_fetcher(server) as f:
        assert f.fetch(server.url(names["good_feed"])).status == 200  # the trusted stand-in works
        with pytest.raises(BlockedAddress) as info:
            f.fetch(server.url(names["redirect_to_private"]))
    message = str(info.value)
    assert message.startswith("http://169.254.169.254/latest/meta-data/ (redirected from ")
    assert "link-local" in message


@pytest.mark.parametrize("target", ["http://127.0.0.1:{other}/x", "http://localhost:{port}/x", "http://10.0.0.1/"])
def test_redirect_into_other_private_targets_is_refused(hostile: tuple[LocalServer, dict[str, str]],
                                                        target: str) -> None:
    server, _ = hostile
    location = target.format(port=server.port, other=server.port + 1)
    server.route("/bounce", lambda _r: Response(302, b"", {"Location": location}))
    with trusted_fetcher(server) as f, pytest.raises(BlockedAddress, match="redirected from"):
        f.fetch(server.url("/bounce"))


def test_dns_rebinding_is_caught_at_the_socket(hostile: tuple[LocalServer, dict[str, str]]) -> None:
    """A name that looked public when checked but connects to loopback is refused before the body is read."""
    server, names = hostile
    name = socket.gethostname()
    try:
        real = {info[4][0] for info in socket.getaddrinfo(name, server.port, type=socket.SOCK_STREAM)}
    except OSError:
        pytest.skip("the machine's host name does not resolve")
    if "127.0.0.1" not in real:
        pytest.skip("the machine's host name does not resolve to 127.0.0.1")

    def stale_resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]  # what the check saw; the connection really goes to 127.0.0.1

    url = f"http://{name}:{server.port}{names['good_feed']}"
    with Fetcher(policy(allow_private=False), resolver=stale_resolver) as f, \
            pytest.raises(BlockedAddress, match=r"the connection reached 127\.0\.0\.1, a loopback address"):
        f.fetch(url)


@pytest.mark.parametrize(
    ("retry_after", "asked"),
    [("Wed, 21 Oct 2999 07:28:00 GMT", "97"), ("30707000000", "974 years"), ("9" * 400, "more than 1,000 years")],
)
def test_far_future_retry_after_is_said_in_words_and_capped(
    hostile: tuple[LocalServer, dict[str, str]], fetcher: Fetcher, retry_after: str, asked: str
) -> None:
    server, _ = hostile
    server.route("/far", lambda _r: Response(429, b"", {"Retry-After": retry_after}))
    with pytest.raises(RateLimited) as info:
        fetcher.fetch(server.url("/far"))
    message = str(info.value)
    assert "; retrying in 7 days, the longest newsloom waits (the server asked for " in message
    assert asked in message
    assert "e+" not in message and "inf" not in message and "seconds" not in message
    assert info.value.retry_after == 7 * 86400
