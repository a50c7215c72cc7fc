"""Whole responses of ``fresh`` pages, kept under their ETag and answered before most of the middleware runs.

A reader without a copy of a page that has not changed since someone else loaded it is the common case on a news
site. ``FreshPageMiddleware`` sits right after the security and static-file middleware: for a GET or HEAD it resolves
the URL, and when the view is a ``fresh`` one it computes the page's state (one small query) and its ETag and looks
for the whole response stored under that ETag. A hit is answered at once, as 304 when the reader's
``If-None-Match``/``If-Modified-Since`` match, without the session, locale, CSRF, auth and message middleware, the
view's decorators or the view. A miss goes through the whole stack as before, and the response it produces (headers
and body, exactly as every middleware left them) is stored for the next reader.

The ETag covers the code version, the path and query, the state fingerprint, the htmx fragment flag and a time
bucket, so a stored response is never stale and needs no invalidation; pages under ``fresh`` are public by contract,
so one reader's response is every reader's. A response that sets a cookie, streams, is not 200 or is larger than
``PAGE_CACHE_MAX_BYTES`` is not stored. The cache is Django's ``pages`` cache (each process's own memory).

The request's Host is checked against ``ALLOWED_HOSTS`` first, before any stored page is looked up: a Host outside
``NEWSLOOM_ALLOWED_HOSTS`` gets 400 here as it would from the rest of the stack. A stored page names no Host (its
absolute URLs come from ``NEWSLOOM_PUBLIC_URL``), so one page serves every allowed host.

A request that carries a session cookie may be a signed-in reader's, whose pages are personal: it is neither answered
from nor stored in this cache (the middleware runs before the session is read, so the cookie is what it can see);
nor is one carrying a message waiting to be shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from newsloom.web.freshness import (
    PAGE_CACHE_MAX_BYTES,
    STATE_ATTR,
    TIME_BUCKET,
    StateFunc,
    etag_for,
    request_state,
)

_SAFE = ("GET", "HEAD")
PAGE_CACHE = "pages"  # settings.CACHES: per process, never the shared one
MESSAGES_COOKIE = "messages"  # a message waiting for this reader ("You have signed out.") is drawn on the next page
_Stored = tuple[bytes, list[tuple[str, str]]]


@lru_cache(maxsize=4096)
def _fresh_view(path: str) -> tuple[StateFunc, tuple[Any, ...], dict[str, Any]] | None:
    """The state function and arguments of the ``fresh`` view at ``path``, or None; remembered, since resolving a
    URL through the language prefix and the includes was a fifth of a stored page's time."""
    language = translation.get_language_from_path(path)
    try:
        with translation.override(language or translation.get_language()):
            match = resolve(path)
    except Resolver404:
        return None
    state_func = getattr(match.func, STATE_ATTR, None)
    return None if state_func is None else (state_func, match.args, match.kwargs)


def _page_key(request: HttpRequest) -> str | None:
    """The cache key of a ``fresh`` page's current version, or None for other URLs."""
    view = _fresh_view(request.path_info)
    if view is None:
        return None
    state_func, args, kwargs = view
    tag = etag_for(request, request_state(request, state_func, args, dict(kwargs)))
    return None if tag is None else f"newsloom:response:{tag}"


class FreshPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.get_host()  # raises DisallowedHost (answered 400) for a Host outside ALLOWED_HOSTS, before the cache
        personal = settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES
        key = _page_key(request) if request.method in _SAFE and not personal else None
        if key is None:
            return self.get_response(request)
        cache = caches[PAGE_CACHE]
        stored: _Stored | None = cache.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and isinstance(response, HttpResponse)
            and len(response.content) <= PAGE_CACHE_MAX_BYTES
        ):
            cache.set(key, (response.content, list(response.items())), TIME_BUCKET)
        return response

    @staticmethod
    def _replay(request: HttpRequest, stored: _Stored) -> HttpResponseBase:
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        # revalidated against what the reader was sent (a feed's Last-Modified is its newest item, not the state's)
        modified = parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in response else None
        conditional: HttpResponseBase = get_conditional_response(
            request, etag=response.get("ETag"), last_modified=modified, response=response
        )
        return conditional
