"""The operations endpoints answered ahead of the site's middleware, and every other request timed.

``/healthz``, ``/readyz`` and ``/metrics`` are asked for by probes and scrapers that name the server by its address
(``Host: 10.0.0.5:8000``), not by a host name in ``NEWSLOOM_ALLOWED_HOSTS``, and over plain HTTP: through the whole
stack they would meet ``DisallowedHost`` (400) and any HTTPS redirect. Their views build nothing from the Host header,
so they are answered here, first, and cost a probe no session, locale or CSRF work. Everything else is timed by page
kind (from its path) and status class.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from newsloom.observability import metrics

#: the first path segment after the language prefix -> page kind; a small fixed set, so labels stay few
_KINDS = {"article": "article", "story": "story", "source": "source", "hashtag": "hashtag", "search": "search"}
_TOP = {"static": "static", "feeds": "feed", "admin": "admin", "api": "api", "sitemap.xml": "sitemap"}
_OPERATIONS = {"metrics", "healthz", "readyz"}


def page_kind(path: str) -> str | None:
    """``/en/story/…`` -> story, ``/en/`` -> home, ``/static/…`` -> static; None for the operations endpoints."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "home"
    if parts[0] in _OPERATIONS:
        return None
    if parts[0] in _TOP:
        return _TOP[parts[0]]
    if len(parts[0]) == 2 or (len(parts[0]) == 5 and parts[0][2] == "-"):  # a language prefix: en, pt-br
        if len(parts) == 1:
            return "home"
        if parts[1] == "story" and len(parts) > 3:
            return "ask" if parts[3] == "ask" else "other"
        return _KINDS.get(parts[1], "other")
    return "other"


class OperationsMiddleware:
    """First in the chain: the operations endpoints at once; the time of everything else covers the static files,
    the stored-page cache and all after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        from newsloom.observability import exposition, health

        self.views: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
            "/metrics": exposition.metrics, "/healthz": health.healthz, "/readyz": health.readyz,
        }  # fmt: skip

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        view = self.views.get(request.path_info)
        if view is not None:
            return view(request)
        started = time.perf_counter()
        response = self.get_response(request)
        kind = page_kind(request.path_info)
        if kind is not None:
            metrics.page_answered(kind, response.status_code, time.perf_counter() - started)
        return response
