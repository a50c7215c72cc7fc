"""Conditional GET and HTTP caching for every page and feed.

Each page type has a cheap *state* function (one or two indexed queries, never the page's own queries) giving the
time its data last changed and a fingerprint of it. The ETag is that fingerprint plus:

- the code's version, so a deploy with new templates never answers 304 for an old page;
- whether htmx asked for a fragment (``HX-Request``), since the same URL then returns less;
- a five-minute time bucket, because pages print relative times ("3 hours ago") that age without the data changing.

A revalidation that matches answers 304 before the view runs a single query of its own. HTML is
``Cache-Control: public, max-age=60``; feeds and the sitemap, which readers poll, ``max-age=300``.

The rendered body is also kept in Django's cache under its ETag, so a reader without a copy (most of them) costs
the state queries and a cache read, not the page's own queries and template: the ETag changes whenever the data,
the code or the time bucket does, so a cached body is never stale and needs no invalidation. Pages under ``fresh``
are public (``Cache-Control: public``) and so must never carry per-user content; a form with a CSRF token belongs
on a view without it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from importlib import metadata
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from newsloom.articles.models import Article
from newsloom.sources.models import Source
from newsloom.stories.models import ClusterState, Story

HTML_MAX_AGE = 60
FEED_MAX_AGE = 300
TIME_BUCKET = 300  # seconds
PAGE_CACHE_MAX_BYTES = 512 * 1024  # larger bodies are rendered every time
_ATTR = "_newsloom_state"

try:
    CODE_VERSION = metadata.version("newsloom")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout without installing
    CODE_VERSION = "dev"


@dataclass(frozen=True)
class State:
    changed: datetime | None
    fingerprint: str


View = Callable[..., HttpResponse]
StateFunc = Callable[..., State | None]


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _cluster() -> tuple[int, datetime | None]:
    row = ClusterState.objects.filter(pk=1).values_list("version", "updated_at").first()
    return (row[0], row[1]) if row else (0, None)


# ------------------------------------------------------------------------------------------------------------- states

def site_state(*_: Any, **__: Any) -> State:
    """Anything that can change a list of stories: a clustering pass, a story refreshed or enriched."""
    version, clustered = _cluster()
    agg = Story.objects.aggregate(changed=Max("changed_at"), enriched=Max("enriched_at"), n=Count("pk"))
    changed = _latest(clustered, agg["changed"], agg["enriched"])
    return State(changed, f"{version}:{agg['n']}:{changed and changed.timestamp()}")


def article_state(article_id: str, **_: Any) -> State | None:
    row = (
        Article.objects.filter(pk=article_id).exclude(status=Article.Status.PENDING)
        .values_list("updated_at", "story__changed_at", "story__enriched_at").first()
    )
    if row is None:
        return None
    version, _clustered = _cluster()  # related articles come from other stories
    changed = _latest(*row)
    return State(changed, f"{version}:{':'.join(str(v and v.timestamp()) for v in row)}")


def story_state(story_id: str, **_: Any) -> State | None:
    row = (
        Story.objects.filter(pk=story_id, article_count__gt=0)
        .annotate(updated=Max("articles__updated_at"))
        .values_list("changed_at", "enriched_at", "updated").first()
    )
    if row is None:
        return None
    return State(_latest(*row), ":".join(str(v and v.timestamp()) for v in row))


def source_state(slug: str, **_: Any) -> State | None:
    row = (
        Source.objects.filter(slug=slug)
        .annotate(updated=Max("articles__updated_at"), n=Count("articles"))
        .values_list("pk", "updated", "n").first()
    )
    if row is None:
        return None
    return State(row[1], f"{row[0]}:{row[1] and row[1].timestamp()}:{row[2]}")


def search_state(*_: Any, **__: Any) -> State:
    version, clustered = _cluster()  # every ingest ends in a clustering pass
    return State(clustered, str(version))


# ---------------------------------------------------------------------------------------------------------- decorator

def _state(request: HttpRequest, func: StateFunc, args: tuple[Any, ...], kwargs: dict[str, Any]) -> State | None:
    if not hasattr(request, _ATTR):
        setattr(request, _ATTR, func(*args, **kwargs))
    state: State | None = getattr(request, _ATTR)
    return state


def etag_for(request: HttpRequest, state: State | None) -> str | None:
    if state is None:
        return None
    fragment = "f" if request.headers.get("HX-Request") else "p"
    bucket = int(time.time() // TIME_BUCKET)
    raw = f"{CODE_VERSION}|{fragment}|{bucket}|{request.get_full_path()}|{state.fingerprint}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def fresh(state: StateFunc, *, max_age: int = HTML_MAX_AGE) -> Callable[[View], View]:
    """Decorate a safe (GET/HEAD) view: ETag and Last-Modified from ``state``, 304 when they match, public caching."""

    def decorator(view: View) -> View:
        def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
            return etag_for(request, _state(request, state, args, kwargs))

        def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
            found = _state(request, state, args, kwargs)
            return found.changed if found else None

        @wraps(view)
        def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            tag = etag(request, *args, **kwargs)
            key = f"newsloom:page:{tag}" if tag else None
            hit = cache.get(key) if key else None
            if hit is not None:
                content, content_type, modified = hit
                response = HttpResponse(content, content_type=content_type)
                if modified:  # a feed's own Last-Modified (its newest item), as the view set it
                    response["Last-Modified"] = modified
                return response
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):  # the sitemap's: rendered now, once
                response.render()
            if (key and response.status_code == 200 and not response.streaming
                    and len(response.content) <= PAGE_CACHE_MAX_BYTES):
                cache.set(key, (response.content, response["Content-Type"], response.get("Last-Modified")),
                          TIME_BUCKET)
            return response

        conditional = condition(etag_func=etag, last_modified_func=last_modified)(cached)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = conditional(request, *args, **kwargs)
            patch_vary_headers(response, ["HX-Request"])
            return response

        return require_safe(cache_control(public=True, max_age=max_age)(wrapper))

    return decorator
