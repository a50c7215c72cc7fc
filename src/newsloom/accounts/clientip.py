"""The client's IP address, for every per-IP limit (ours and allauth's, through the adapter).

Taken from the header a trusted proxy sets (``NEWSLOOM_TRUSTED_IP_HEADER``), or the entry of ``X-Forwarded-For``
that the outermost of ``NEWSLOOM_TRUSTED_PROXY_COUNT`` trusted proxies appended, and otherwise the connection's
own address: a header the client wrote itself is never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # a key for limits, never bound


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    config = settings.CONFIG
    remote = _ip(request.META.get("REMOTE_ADDR"))
    if config.trusted_ip_header:
        return _ip(request.headers.get(config.trusted_ip_header)) or remote or UNKNOWN
    if config.trusted_proxy_count > 0:
        hops = [h for h in (request.headers.get("X-Forwarded-For") or "").split(",") if h.strip()]
        if len(hops) >= config.trusted_proxy_count:
            return _ip(hops[-config.trusted_proxy_count]) or remote or UNKNOWN
    return remote or UNKNOWN
