"""The next anonymous GET of an API URL answered from the store, before the rest of the middleware and django-ninja.

When ``conditional.respond`` answers a URL it leaves the endpoint's fingerprint function on the request;
``ApiMiddleware`` remembers it per URL (path and query) in this process (``remember``). The next GET or HEAD of that
URL computes the fingerprint again (the one small state query), and when the body for it is stored (or the client
has it: 304) answers at once, with the rate limit counted as django-ninja's throttle would have counted it. A request
that is not anonymous (a session cookie, an ``Authorization`` header) or whose URL is not remembered, or whose body
is not stored, goes the whole way as before; so does every request after the data changed, until it is stored again.
The remembered URL was validated by its first request, so the same text needs no second validation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from newsloom.api import conditional
from newsloom.api.errors import error_response
from newsloom.api.throttle import client_key, spend

REMEMBERED = 10_000  # URLs per process
_SAFE = ("GET",)  # a HEAD goes the whole way: django-ninja answers it 405
_urls: OrderedDict[str, conditional.Fingerprint] = OrderedDict()
_lock = threading.Lock()


def _anonymous(request: HttpRequest) -> bool:
    return "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES


def remember(request: HttpRequest, response: HttpResponseBase) -> None:
    fingerprint = getattr(request, conditional.FINGERPRINT_ATTR, None)
    if fingerprint is None or request.method not in _SAFE or response.status_code not in (200, 304):
        return
    with _lock:
        _urls[request.get_full_path()] = fingerprint
        _urls.move_to_end(request.get_full_path())
        while len(_urls) > REMEMBERED:
            _urls.popitem(last=False)


def answer(request: HttpRequest) -> HttpResponse | None:
    """The stored answer (or a 304, or a 429) for this request, or None to go the whole way."""
    if request.method not in _SAFE or not _anonymous(request):
        return None
    fingerprint = _urls.get(request.get_full_path())
    if fingerprint is None:
        return None
    current = fingerprint()
    if current is None:
        return None
    found = conditional.stored(request, current)
    if found is None:
        return None
    rate = settings.CONFIG.api_rate_limit
    wait = spend(client_key(request), *rate) if rate is not None else None
    if wait is not None:
        limited = error_response(429)
        limited["Retry-After"] = str(max(1, int(wait + 0.999)))
        return limited
    return found


def forget() -> None:
    with _lock:
        _urls.clear()
