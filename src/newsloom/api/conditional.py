"""ETags, 304s and stored bodies for the API's anonymous, public responses.

An endpoint names a *fingerprint* of the data its answer depends on: the same cheap state queries the reader pages
use (``web.freshness``: one small indexed query, compiled once per connection). The ETag is a digest of the code's
version, the full path with its query, and that fingerprint, so a matching ``If-None-Match`` is answered 304 before
the endpoint's own queries run, and the serialized body is kept in Django's cache under the ETag: a client without
a copy costs the state query and a cache read. A changed fingerprint is a new ETag and a new key, so a stored body is
never stale and needs no invalidation. Endpoints without a cheap state (the list of sources) build the body and take
its digest as the ETag.

Responses here are public (``Cache-Control: public, max-age=60``), so they must never depend on who asks; a reader's
own lists (follows, saved, read state) will go through their own private path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags
from pydantic import BaseModel

from newsloom.web.freshness import CODE_VERSION

MAX_AGE = 60
STORED_SECONDS = 300
STORED_MAX_BYTES = 1024 * 1024
CONTENT_TYPE = "application/json"


def etag_of(request: HttpRequest, fingerprint: str) -> str:
    raw = f"{CODE_VERSION}|api|{request.get_full_path()}|{fingerprint}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def matches(request: HttpRequest, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match (gzip turns our strong ETag into ``W/"…"``)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def not_modified(etag: str) -> HttpResponse:
    return _headers(HttpResponse(status=304), etag)


def respond(request: HttpRequest, fingerprint: str | None, build: Callable[[], BaseModel]) -> HttpResponse:
    """``build()``'s JSON with its ETag: 304 when the client has it, the stored body when another client asked."""
    if fingerprint is None:
        content = build().model_dump_json().encode()
        etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
        if matches(request, etag):
            return not_modified(etag)
        return _headers(HttpResponse(content, content_type=CONTENT_TYPE), etag)
    etag = etag_of(request, fingerprint)
    if matches(request, etag):
        return not_modified(etag)
    key = f"newsloom:api:{etag}"
    stored: bytes | None = cache.get(key)
    if stored is None:
        stored = build().model_dump_json().encode()
        if len(stored) <= STORED_MAX_BYTES:
            cache.set(key, stored, STORED_SECONDS)
    return _headers(HttpResponse(stored, content_type=CONTENT_TYPE), etag)
