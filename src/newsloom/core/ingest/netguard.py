"""Refuse URLs and peers that would let a feed reach inside our network (SSRF).

``check_url`` validates the shape of a URL (http or https, a host, no userinfo), resolves the host and refuses it
when *any* address is loopback, private, link-local, CGNAT, multicast, reserved, unspecified or an IPv6 wrapper
around one of those. Numeric hosts in the odd forms that resolvers accept (``2130706433``, ``0177.0.0.1``,
``0x7f.1``, ``127.1``) are decoded the same way the C library would.

Allowing is narrow. ``allow_private`` opens loopback (127.0.0.0/8, ::1) and the private ranges (10.0.0.0/8,
172.16.0.0/12, 192.168.0.0/16, fc00::/7) and nothing else; ``networks`` opens the networks it names. Some addresses
stay refused whatever is allowed (``ALWAYS_REFUSED``): link-local (169.254.0.0/16 and fe80::/10, where cloud
metadata services answer), the IPv6 metadata address fd00:ec2::254, the unspecified address, multicast and the
IPv4 broadcast address.

``check_peer`` checks the address a connection actually reached, which defeats DNS rebinding: the fetcher calls it
with the socket's peer address before reading a response body. Both apply the same rules.

A look-up has a deadline: ``socket.getaddrinfo`` takes no timeout and may block for as long as the system's resolver
retries, so ``check_url(..., resolve_timeout=N)`` runs it in a small shared thread pool (``resolve_within``) and waits
at most N seconds; a slower look-up is a ``FetchTimeout``. The look-up itself finishes in its pool thread.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from newsloom.errors import BlockedAddress, ConnectionFailed, FetchTimeout, InvalidURL

Resolver = Callable[[str, int], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
PRIVATE_NETWORKS: tuple[Network, ...] = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
#: refused whatever ``allow_private`` or ``networks`` say, with the reason
ALWAYS_REFUSED: tuple[tuple[Network, str], ...] = tuple(
    (ipaddress.ip_network(n), why) for n, why in (
        ("169.254.0.0/16", "a link-local address, where cloud metadata services answer"),
        ("fe80::/10", "a link-local address"),
        ("fd00:ec2::254/128", "the cloud metadata address"),
        ("0.0.0.0/8", "the unspecified address"),
        ("::/128", "the unspecified address"),
        ("224.0.0.0/4", "a multicast address"),
        ("ff00::/8", "a multicast address"),
        ("255.255.255.255/32", "the broadcast address"),
    )
)  # fmt: skip
_LOCALHOST = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))  # RFC 6761: *.localhost is loopback


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``("127.0.0.0/8", "10.1.2.3")`` as networks; raises ``ValueError`` naming a value that is not one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a network (expected CIDR notation such as 127.0.0.0/8)") from exc
    return tuple(networks)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver returns for ``host`` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


RESOLVER_THREADS = 16  # look-ups in flight at once across the process; more wait their turn within their deadline
_pool: concurrent.futures.ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _resolver_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(RESOLVER_THREADS, thread_name_prefix="newsloom-dns")
        return _pool


def resolve_within(resolver: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """``resolver(host, port)``, waiting at most ``timeout`` seconds for it (None: as long as it takes); raises
    ``FetchTimeout`` when it is slower, and whatever the resolver raises."""
    if timeout is None:
        return list(resolver(host, port))
    future = _resolver_pool().submit(resolver, host, port)
    try:
        return list(future.result(timeout=max(0.0, timeout)))
    except concurrent.futures.TimeoutError:
        future.cancel()  # still queued behind other look-ups: it never starts
        raise FetchTimeout(f"the DNS look-up of {host} took longer than {round(timeout, 1):g} s") from None


def split_url(url: str) -> tuple[str, str, int]:
    """Return ``(scheme, host, port)`` of an http(s) URL, or raise ``InvalidURL`` naming what is wrong."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL(f"{url!r} is not a URL", url=str(url))
    if any(ch in url for ch in "\\\r\n\t\x00 "):
        raise InvalidURL(f"{url} contains a backslash, space or control character and is refused", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"{url} is not a valid URL ({exc})", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidURL(f"{url} is not an http or https URL", url=url)
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise InvalidURL(f"{url} contains a user name or password, which is refused", url=url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidURL(f"{url} has no host name", url=url)
    return scheme, host, port or (443 if scheme == "https" else 80)


def parse_ip(host: str) -> IPAddress | None:
    """The address ``host`` denotes if it is an IP literal in any form a resolver would accept, else ``None``."""
    candidate = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        pass
    if candidate and all(ch in "0123456789abcdefxABCDEFX." for ch in candidate) and candidate[0].isdigit():
        try:  # inet_aton understands decimal, octal and hex parts: 2130706433, 0177.0.0.1, 0x7f.1, 127.1
            return ipaddress.IPv4Address(socket.inet_aton(candidate))
        except OSError:
            return None
    return None


def describe_blocked(ip: IPAddress, *, allow_private: bool = False, networks: Sequence[Network] = ()) -> str | None:
    """Why ``ip`` must not be fetched ("a loopback address"), or ``None`` when it may be: a public address, or one
    that ``allow_private`` (loopback and private ranges) or ``networks`` opens. ``ALWAYS_REFUSED`` stays refused."""
    for network, why in ALWAYS_REFUSED:
        if ip.version == network.version and ip in network:
            return why
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: IPAddress | None = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in _NAT64 or ip in _NAT64_LOCAL):
            embedded = ipaddress.IPv4Address(ip.packed[-4:])
        if embedded is None and ip.teredo is not None:
            embedded = ip.teredo[1]
        if embedded is not None:
            inner = describe_blocked(embedded, allow_private=allow_private, networks=networks)
            return f"an IPv6 address wrapping {embedded}, {inner}" if inner else None
    if any(ip.version == n.version and ip in n for n in networks):
        return None
    if allow_private and (ip.is_loopback or any(ip.version == n.version and ip in n for n in PRIVATE_NETWORKS)):
        return None
    checks: list[tuple[bool, str]] = [
        (ip.is_loopback, "a loopback address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "a carrier-grade NAT address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ]
    for blocked, reason in checks:
        if blocked:
            return reason
    return None


def check_url(url: str, *, allow_private: bool, resolver: Resolver | None = None,
              networks: Sequence[Network] = (), resolve_timeout: float | None = None) -> None:
    """Raise ``InvalidURL`` for a malformed URL and ``BlockedAddress`` when its host is or resolves to an address
    that is not public and not opened by ``allow_private`` or ``networks`` (every resolved address is checked, so a
    name that resolves to the metadata address is refused however much is allowed).

    ``resolver(host, port)`` returns IP strings; it defaults to the system resolver. A name that does not resolve
    raises ``ConnectionFailed``; one whose look-up takes longer than ``resolve_timeout`` seconds, ``FetchTimeout``.
    """
    _scheme, host, port = split_url(url)
    literal = parse_ip(host)
    if literal is not None:
        _refuse_if_blocked(url, host, [literal], allow_private, networks)
        return
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        for loopback in _LOCALHOST:
            if describe_blocked(loopback, allow_private=allow_private, networks=networks):
                raise BlockedAddress(f"{url} is refused: {host} is a loopback host name", url=url)
        return
    try:
        addresses = resolve_within(resolver or system_resolver, host, port, resolve_timeout)
    except FetchTimeout as exc:
        raise FetchTimeout(f"{url} could not be fetched: {exc.message}", url=url) from None
    except (OSError, UnicodeError) as exc:
        raise ConnectionFailed(f"{url} could not be fetched: the host name {host} does not resolve ({exc})",
                               url=url) from exc
    if not addresses:
        raise ConnectionFailed(f"{url} could not be fetched: the host name {host} has no addresses", url=url)
    parsed: list[IPAddress] = []
    for address in addresses:
        ip = parse_ip(address)
        if ip is None:
            raise BlockedAddress(f"{url} is refused: {host} resolved to {address!r}, which is not an IP address",
                                 url=url)
        parsed.append(ip)
    _refuse_if_blocked(url, host, parsed, allow_private, networks)


def check_peer(ip: str, *, allow_private: bool, url: str | None = None, networks: Sequence[Network] = ()) -> None:
    """Raise ``BlockedAddress`` when the address a connection actually reached is not one we may fetch."""
    parsed = parse_ip(ip)
    where = f"{url} is refused" if url else "The connection is refused"
    if parsed is None:
        raise BlockedAddress(f"{where}: the server address {ip!r} is not an IP address", url=url)
    reason = describe_blocked(parsed, allow_private=allow_private, networks=networks)
    if reason:
        raise BlockedAddress(f"{where}: the connection reached {parsed}, {reason}", url=url)


def _refuse_if_blocked(url: str, host: str, addresses: Sequence[IPAddress], allow_private: bool,
                       networks: Sequence[Network]) -> None:
    for ip in addresses:
        reason = describe_blocked(ip, allow_private=allow_private, networks=networks)
        if reason:
            literal = parse_ip(host)
            if literal is None:
                via = f"resolves to {ip}, which is"
            else:
                via = "is" if str(literal) == host.strip("[]") else f"({ip}) is"
            raise BlockedAddress(f"{url} is refused: {host} {via} {reason}", url=url)
