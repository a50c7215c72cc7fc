"""Who may read ``/metrics``: clients on the allowed networks, or anyone with the metrics account's password.

As Miniflux does: ``NEWSLOOM_METRICS_ALLOW_NETWORKS`` (default loopback) lists the networks whose clients may read
it, and ``NEWSLOOM_METRICS_USER`` / ``NEWSLOOM_METRICS_PASSWORD`` name an account that may read it from anywhere.

Behind a reverse proxy every request arrives from the proxy's address, so the proxy's forwarding headers are read
too; and since a client can send those headers itself, every address a request names — the peer, each hop of
``X-Forwarded-For``, ``X-Real-IP`` and ``Forwarded``'s ``for=`` — must be on an allowed network. A public client seen
through a proxy that adds its address is refused however it dresses its own headers; so the proxy must add them
(nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``), or keep ``/metrics`` to itself.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import re
from collections.abc import Iterable

from django.http import HttpRequest

from newsloom.config import Config

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_FORWARDED_FOR = re.compile(r'for="?\[?([^\]";,]+)', re.IGNORECASE)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def named_addresses(request: HttpRequest) -> list[str]:
    """The peer's address and every address the forwarding headers name, as sent."""
    meta = request.META
    names = [str(meta.get("REMOTE_ADDR") or "")]
    names += str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    names.append(str(meta.get("HTTP_X_REAL_IP") or ""))
    names += _FORWARDED_FOR.findall(str(meta.get("HTTP_FORWARDED") or ""))
    return [n.strip() for n in names if n.strip()]


def from_allowed_network(request: HttpRequest, networks: Iterable[str]) -> bool:
    allowed: list[IPNetwork] = [ipaddress.ip_network(n, strict=False) for n in networks]
    if not allowed:
        return False
    addresses = [_address(name) for name in named_addresses(request)]
    if not addresses:
        return False
    return all(a is not None and any(a.version == n.version and a in n for n in allowed) for a in addresses)


def has_credentials(request: HttpRequest, user: str, password: str) -> bool:
    header = str(request.META.get("HTTP_AUTHORIZATION") or "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return False
    try:
        given_user, _, given_password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    # both compared, always, in constant time
    user_ok = hmac.compare_digest(given_user.encode(), user.encode())
    password_ok = hmac.compare_digest(given_password.encode(), password.encode())
    return user_ok and password_ok


def decide(request: HttpRequest, config: Config) -> int:
    """200 when the request may read the metrics; else 401 (an account exists: log in) or 403."""
    if from_allowed_network(request, config.metrics_allow_networks):
        return 200
    if config.metrics_user and config.metrics_password:
        return 200 if has_credentials(request, config.metrics_user, config.metrics_password) else 401
    return 403
