"""ETags, 304s and stored bodies for the API's anonymous, public responses.

An endpoint names a *fingerprint* of the data its answer depends on: the same cheap state queries the reader pages
use (``web.freshness``: one small indexed query, compiled once per connection). The ETag is a digest of the code's
version, the full path with its query, and that fingerprint, so a matching ``If-None-Match`` is answered 304 before
the endpoint's own queries run, and the serialized body is kept in Django's ``pages`` cache (each process's own
memory) under the ETag: a client without
a copy costs the state query and a cache read. A changed fingerprint is a new ETag and a new key, so a stored body is
never stale and needs no invalidation. Endpoints without a cheap state (the list of sources) build the body and take
its digest as the ETag.

Each body is stored twice, as JSON and gzipped (compressed once, when a client first asks for it), so a client that
accepts gzip gets the stored compressed bytes with a weak ETag, as Django's GZipMiddleware would have sent them.
The endpoint's fingerprint function is also left on the request, so that ``fastpath`` can answer the next request
for the same URL from the store before the rest of the middleware and django-ninja run.

Responses here are public (``Cache-Control: public, max-age=60``), so they must never depend on who asks; a reader's
own lists (follows, saved, read state) will go through their own private path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.text import compress_string
from pydantic import BaseModel

from newsloom.web.freshness import CODE_VERSION, State

MAX_AGE = 60
STORED_SECONDS = 300
STORED_MAX_BYTES = 1024 * 1024
CONTENT_TYPE = "application/json"
FINGERPRINT_ATTR = "_newsloom_api_fingerprint"
STORE = "pages"  # settings.CACHES: each process's own memory, as for the stored pages; never the shared one
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")

Fingerprint = Callable[[], "str | None"]


def etag_of(request: HttpRequest, fingerprint: str) -> str:
    raw = f"{CODE_VERSION}|api|{request.get_full_path()}|{fingerprint}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def matches(request: HttpRequest, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match (a gzipped answer's ETag is ``W/"…"``)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def not_modified(etag: str) -> HttpResponse:
    return _headers(HttpResponse(status=304), etag)


def _json(content: bytes, etag: str, request: HttpRequest, key: str | None) -> HttpResponse:
    """The body as this client takes it: gzipped (stored once compressed, under ``key``) if it accepts gzip."""
    if not accepts_gzip(request) or len(content) < 200:
        return _headers(HttpResponse(content, content_type=CONTENT_TYPE), etag)
    packed: bytes | None = caches[STORE].get(f"{key}:gz") if key else None
    if packed is None:
        packed = compress_string(content)
        if key:
            caches[STORE].set(f"{key}:gz", packed, STORED_SECONDS)
    return _gzipped(packed, etag)


def _gzipped(packed: bytes, etag: str) -> HttpResponse:
    response = HttpResponse(packed, content_type=CONTENT_TYPE)
    response["Content-Encoding"] = "gzip"
    return _headers(response, f"W/{etag}")


def stored(request: HttpRequest, fingerprint: str) -> HttpResponse | None:
    """The answer for this URL at ``fingerprint`` from the store alone (or a 304); None if it is not stored."""
    etag = etag_of(request, fingerprint)
    if matches(request, etag):
        return not_modified(etag)
    key = f"newsloom:api:{etag}"
    if accepts_gzip(request):
        packed: bytes | None = caches[STORE].get(f"{key}:gz")
        if packed is not None:
            return _gzipped(packed, etag)
    content: bytes | None = caches[STORE].get(key)
    return None if content is None else _json(content, etag, request, key)


def of_state(state: Callable[..., State | None], *args: str) -> Fingerprint:
    """The fingerprint of ``state(*args)`` (one of ``web.freshness``'s state queries), None when it finds nothing."""

    def fingerprint() -> str | None:
        found = state(*args)
        return None if found is None else found.fingerprint

    return fingerprint


def respond(
    request: HttpRequest, fingerprint: Fingerprint | None, build: Callable[[], BaseModel], current: str | None = None
) -> HttpResponse:
    """``build()``'s JSON with its ETag: 304 when the client has it, the stored body when another client asked.

    ``fingerprint`` is called once here (and again by ``fastpath`` for later requests to the same URL); it returns
    None when the thing asked for does not exist, and then ``build`` decides (it raises the 404). ``current`` is its
    value when the caller has just computed it."""
    found = current if current is not None else (fingerprint() if fingerprint is not None else None)
    if found is None:
        content = build().model_dump_json().encode()
        etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
        if matches(request, etag):
            return not_modified(etag)
        return _json(content, etag, request, None)
    setattr(request, FINGERPRINT_ATTR, fingerprint)
    answer = stored(request, found)
    if answer is not None:
        return answer
    etag = etag_of(request, found)
    content = build().model_dump_json().encode()
    key = f"newsloom:api:{etag}"
    if len(content) <= STORED_MAX_BYTES:
        caches[STORE].set(key, content, STORED_SECONDS)
    return _json(content, etag, request, key)
