"""Polite, guarded HTTP GET for feeds and pages.

    with Fetcher(FetchPolicy(user_agent="newsloom/0.1")) as fetcher:
        result = fetcher.fetch(url, etag=feed.etag, last_modified=feed.last_modified)

Every hop (the first request and each redirect, which we follow ourselves) is checked by ``netguard.check_url``,
checked against the host's robots.txt, and made inside a ``HostLimiter`` slot for its ``host:port`` (at most
``per_host_concurrency`` in flight, starts ``max(per_host_delay, Crawl-delay)`` apart). Before reading a body the
address the socket actually reached is checked too (``netguard.check_peer``), which defeats DNS rebinding. With
``host_wait`` a fetch waits at most that long for its host's slot (or for another thread reading the host's
robots.txt) and then raises ``HostBusy`` (nothing was sent), so the caller can queue it again and serve other hosts
meanwhile (``FetchPolicy.host_wait`` is the value for pages).

DNS look-ups are bounded too: the URL check's runs in a small shared thread pool (``netguard.resolve_within``) and
one slower than ``connect_timeout`` is a ``FetchTimeout``; the connection's own look-up keeps to the exchange's
deadline (``deadline``).

A body is read raw and decoded here, incrementally, so the ``max_bytes`` cap applies to the decompressed size and a
gzip bomb stops at the cap. ``timeout`` is a deadline for each HTTP exchange — connecting, the response headers and
the body together (``deadline``): every socket operation gets only the time left and the socket is shut at the
deadline, so a server dripping its headers or its body a byte a second fails with ``FetchTimeout`` on time. Any
network failure, a reset included, ends as one of the classes below, never as a bare ``OSError``.

Outcomes are the classes of ``newsloom.errors``; each message names the URL and what happened.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, TracebackType
from urllib.parse import urljoin

import httpx

from newsloom.core.ingest.deadline import Deadline, deadline_transport
from newsloom.core.ingest.decoding import ContentDecoder
from newsloom.core.ingest.hostlimit import HostLimiter, LocalHostLimiter
from newsloom.core.ingest.netguard import Resolver, check_peer, check_url, parse_networks, split_url
from newsloom.core.ingest.polling import cache_max_age, capped_retry_after, parse_retry_after, retry_after_wording
from newsloom.core.ingest.robots import RobotsCache
from newsloom.errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    ResponseTooLarge,
    RobotsDisallowed,
    ServerError,
    TooManyRedirects,
)

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    allow_private: bool = False  # opens loopback and the private ranges, never link-local or metadata addresses
    allow_networks: tuple[str, ...] = ()  # CIDR networks opened besides the public internet ("127.0.0.0/8")
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0  # seconds between request starts to one host (host = host:port)
    timeout: float = 30.0  # whole exchange including body; also catches a slow drip
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024  # body cap, measured after decompression (also guards gzip bombs)
    max_redirects: int = 5
    obey_robots: bool = True
    host_wait: float | None = 2.0  # seconds a page fetch waits for its host's slot before HostBusy (None: no limit)


@dataclass(frozen=True)
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # 200, or 304 when not_modified
    headers: Mapping[str, str]  # lower-cased names
    content: bytes  # decoded from Content-Encoding, b"" on 304
    charset: str | None  # from the Content-Type header, if any
    content_type: str | None  # media type without parameters
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed: float
    redirects: tuple[str, ...] = field(default=())

    @property
    def max_age(self) -> int | None:
        """Seconds the response may be cached (``s-maxage``, else ``max-age``); None if absent or no-cache."""
        return cache_max_age(self.headers.get("cache-control"))


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``("application/rss+xml", "utf-8")`` from ``"application/rss+xml; charset=UTF-8"``."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.strip().partition("=")
        if name.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'").lower()
    return (media.strip().lower() or None), charset


@dataclass
class _Hop:
    status: int
    headers: Mapping[str, str]
    content: bytes = b""
    location: str | None = None


class Fetcher:
    """Thread-safe: one Fetcher (one ``httpx.Client`` with keep-alive) is shared by many worker threads.

    ``unsafe_test_trusted_hosts`` is for tests only: ``host:port`` strings exempt from the private-address checks,
    so a loopback test server can stand in for a public host while everything it redirects to is still checked.
    """

    def __init__(self, policy: FetchPolicy, *, limiter: HostLimiter | None = None,
                 robots: RobotsCache | None = None, resolver: Resolver | None = None,
                 transport: httpx.BaseTransport | None = None,
                 unsafe_test_trusted_hosts: Collection[str] = ()) -> None:
        self.policy = policy
        self.limiter: HostLimiter = limiter or LocalHostLimiter()
        self.robots = robots or RobotsCache(policy.user_agent)
        self._resolver = resolver
        self._trusted = frozenset(h.lower() for h in unsafe_test_trusted_hosts)
        self._networks = parse_networks(policy.allow_networks)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=30.0)
        self._client = httpx.Client(
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would hide the real peer address
            transport=transport or deadline_transport(limits),
            limits=limits,
            headers={"User-Agent": policy.user_agent},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None, accept: str = "*/*",
              host_delay: float | None = None, host_concurrency: int | None = None,
              host_wait: float | None = None) -> FetchResult:
        """GET ``url`` politely; raise a ``FetchError`` subclass on any failure (see the module docstring).

        ``host_wait``: seconds to wait for a free slot of the host before ``HostBusy``; None waits as long as it
        takes."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, delay=host_delay, concurrency=host_concurrency, wait=host_wait,
                         max_bytes=self.policy.max_bytes, truncate=False, robots=self.policy.obey_robots)

    def _get(self, url: str, headers: dict[str, str], *, delay: float | None, concurrency: int | None,
             wait: float | None, max_bytes: int, truncate: bool, robots: bool) -> FetchResult:
        started = time.monotonic()
        hop_url, seen = url, {url}
        redirects: list[str] = []
        while True:
            label = hop_url if hop_url == url else f"{hop_url} (redirected from {url})"
            hop = self._hop(hop_url, label, headers, delay=delay, concurrency=concurrency, wait=wait,
                            max_bytes=max_bytes, truncate=truncate, robots=robots)
            if hop.location is None:
                break
            if hop.location in seen:
                chain = " → ".join([url, *redirects, hop.location])
                raise TooManyRedirects(f"{url} is caught in a redirect loop: {chain}", url=url)
            if len(redirects) >= self.policy.max_redirects:
                raise TooManyRedirects(
                    f"{url} redirected more than {self.policy.max_redirects} times (last to {hop.location})", url=url)
            redirects.append(hop.location)
            seen.add(hop.location)
            hop_url = hop.location
        content_type, charset = parse_content_type(hop.headers.get("content-type"))
        return FetchResult(
            url=url, final_url=hop_url, status=hop.status, headers=hop.headers, content=hop.content,
            charset=charset, content_type=content_type, etag=hop.headers.get("etag"),
            last_modified=hop.headers.get("last-modified"), not_modified=hop.status == 304,
            elapsed=time.monotonic() - started, redirects=tuple(redirects),
        )

    def _trusted_host(self, url: str) -> bool:
        if not self._trusted:
            return False
        _scheme, host, port = split_url(url)
        return f"{host}:{port}".lower() in self._trusted

    def _hop(self, url: str, label: str, headers: dict[str, str], *, delay: float | None, concurrency: int | None,
             wait: float | None, max_bytes: int, truncate: bool, robots: bool) -> _Hop:
        _scheme, host, port = split_url(url)
        trusted = self._trusted_host(url)
        try:
            check_url(url, allow_private=self.policy.allow_private or trusted, resolver=self._resolver,
                      networks=self._networks,
                      resolve_timeout=min(self.policy.connect_timeout, self.policy.timeout))
        except (BlockedAddress, InvalidURL) as exc:
            if label == url:
                raise
            raise type(exc)(exc.message.replace(url, label, 1), url=url) from exc
        spacing = self.policy.per_host_delay if delay is None else delay
        if robots:
            rules = self.robots.rules_for(url, lambda robots_url: self._load_robots(robots_url, delay, concurrency,
                                                                                     wait), wait=wait)
            if not rules.allowed(url):
                raise RobotsDisallowed(f"{label} is disallowed for {self.policy.user_agent} by robots.txt", url=url)
            spacing = max(spacing, rules.crawl_delay or 0.0)
        limit = self.policy.per_host_concurrency if concurrency is None else concurrency
        host_key = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        with self.limiter.slot(host_key.lower(), concurrency=limit, delay=spacing, wait=wait):
            return self._exchange(url, label, headers, trusted=trusted, max_bytes=max_bytes, truncate=truncate)

    def _exchange(self, url: str, label: str, headers: dict[str, str], *, trusted: bool, max_bytes: int,
                  truncate: bool) -> _Hop:
        policy = self.policy
        deadline = Deadline(policy.timeout)
        timeout = httpx.Timeout(policy.timeout, connect=min(policy.connect_timeout, policy.timeout))
        phase = ""  # set once the response headers are in
        try:
            with deadline.active(), self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                phase = "reading the body"
                body = _Body(response, deadline)
                self._check_peer(response, label, url, trusted=trusted)
                hop_headers = MappingProxyType(dict(response.headers.items()))
                status = response.status_code
                location = hop_headers.get("location")
                if status in _REDIRECTS and location:
                    body.drain()
                    return _Hop(status, hop_headers, location=urljoin(url, location.strip()))
                if status == 304:
                    return _Hop(status, hop_headers)
                if not 200 <= status < 300:
                    body.drain()
                    raise status_error(label, url, status, hop_headers)
                length = hop_headers.get("content-length", "")
                if length.isdigit() and int(length) > max_bytes and not truncate:
                    raise ResponseTooLarge(
                        f"{label} is too large: Content-Length {length} bytes is over the {max_bytes}-byte limit",
                        url=url)
                return _Hop(status, hop_headers, content=self._read_body(response, body, label, url, max_bytes,
                                                                          truncate))
        except FetchError:
            raise
        except httpx.TimeoutException as exc:
            raise _timeout(label, url, policy.timeout, phase or _phase(exc)) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise InvalidURL(f"{label} is not a URL we can fetch ({exc})", url=url) from exc
        except (httpx.HTTPError, OSError) as exc:
            if deadline.expired():  # the deadline shut the socket: whatever broke, it was time
                raise _timeout(label, url, policy.timeout, phase or "waiting for the response headers") from exc
            raise ConnectionFailed(f"{label} could not be fetched: {_describe(exc)}", url=url) from exc
        except (ValueError, UnicodeError) as exc:  # httpx refuses to build the request (an IDNA-invalid host, say)
            raise InvalidURL(f"{label} is not a URL we can fetch ({type(exc).__name__}: {exc})", url=url) from exc

    def _check_peer(self, response: httpx.Response, label: str, url: str, *, trusted: bool) -> None:
        allow = self.policy.allow_private or trusted
        stream = response.extensions.get("network_stream")
        try:
            peer = stream.get_extra_info("server_addr") if stream is not None else None
        except OSError:  # a transport that reads the address late, after a reset
            peer = None
        if peer is None:
            if not trusted:
                raise ConnectionFailed(f"{label} could not be checked: the server address is unknown", url=url)
            return
        check_peer(str(peer[0]), allow_private=allow, url=label, networks=self._networks)

    @staticmethod
    def _read_body(response: httpx.Response, body: _Body, label: str, url: str, max_bytes: int,
                   truncate: bool) -> bytes:
        encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
        stages = [ContentDecoder(e) for e in reversed(encodings) if e != "identity"]
        content = bytearray()
        try:
            for raw in body.chunks():
                data = raw
                for stage in stages:
                    data = stage.feed(data, max_bytes - len(content))
                content += data
                if len(content) > max_bytes:
                    if truncate:
                        return bytes(content[:max_bytes])
                    raise ResponseTooLarge(
                        f"{label} is too large: the body exceeds the {max_bytes}-byte limit"
                        + (" once decompressed" if stages else ""), url=url)
        except zlib.error as exc:
            raise ConnectionFailed(f"{label} sent a body that could not be decoded ({exc})", url=url) from exc
        return bytes(content)

    def _load_robots(self, robots_url: str, delay: float | None, concurrency: int | None,
                     wait: float | None) -> str:
        result = self._get(robots_url, {"Accept": "text/plain, */*;q=0.5"}, delay=delay, concurrency=concurrency,
                           wait=wait, max_bytes=ROBOTS_MAX_BYTES, truncate=True, robots=False)
        return result.content.decode(result.charset or "utf-8", errors="replace")


class _Body:
    """A response body read under the exchange's deadline: every chunk read after it raises ``ReadTimeout``."""

    DRAIN_LIMIT = 64 * 1024  # read up to this much of an unwanted body so the connection can be reused

    def __init__(self, response: httpx.Response, deadline: Deadline) -> None:
        self.response = response
        self.deadline = deadline

    def chunks(self) -> Iterator[bytes]:
        for raw in self.response.iter_raw():
            if self.deadline.expired():
                raise httpx.ReadTimeout("deadline")
            yield raw
        if self.deadline.expired():  # a body cut short by the deadline is a timeout, not a short read
            raise httpx.ReadTimeout("deadline")

    def drain(self) -> None:
        """Read a small unwanted body (redirect, error page) to its end so keep-alive can reuse the connection."""
        length = self.response.headers.get("content-length", "")
        if not length.isdigit() or int(length) > self.DRAIN_LIMIT:
            return
        with contextlib.suppress(httpx.HTTPError, OSError):
            for _ in self.chunks():
                pass


def _timeout(label: str, url: str, seconds: float, phase: str) -> FetchTimeout:
    if phase == "reading the body":
        return FetchTimeout(f"{label} timed out: the body was not complete after {seconds:g} seconds", url=url)
    return FetchTimeout(f"{label} timed out ({phase}) after {seconds:g} seconds", url=url)


def status_error(label: str, url: str, status: int, headers: Mapping[str, str]) -> FetchError:
    """The error for a non-success status, its message naming the URL and the status in words."""
    reason = httpx.codes.get_reason_phrase(status) or "Unknown Status"
    said = f"{label} returned HTTP {status} {reason}"
    asked = parse_retry_after(headers.get("retry-after"))
    if status == 429 or (status == 503 and asked is not None):
        return RateLimited(said + retry_after_wording(asked), url=url, status=status,
                           retry_after=capped_retry_after(asked))
    if status >= 500:
        return ServerError(said, url=url, status=status)
    if status == 410:
        return HTTPStatusError(f"{said}: it has been removed permanently", url=url, status=status)
    if 300 <= status < 400:
        return HTTPStatusError(f"{said} without a usable Location header", url=url, status=status)
    return HTTPStatusError(said, url=url, status=status)


def _phase(exc: httpx.TimeoutException) -> str:
    kinds: dict[type[Exception], str] = {
        httpx.ConnectTimeout: "connecting", httpx.ReadTimeout: "waiting for the response headers",
        httpx.WriteTimeout: "sending the request", httpx.PoolTimeout: "waiting for a free connection",
    }
    return next((text for kind, text in kinds.items() if isinstance(exc, kind)), "timeout")


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "refused" in lowered:
        return f"the connection was refused ({text})"
    if "reset" in lowered or "broken pipe" in lowered:
        return f"the server reset the connection ({text})"
    if "name or service" in lowered or "nodename" in lowered or "resolution" in lowered:
        return f"the host name does not resolve ({text})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol or closed the connection ({text})"
    return text

