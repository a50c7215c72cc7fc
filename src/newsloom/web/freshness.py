"""Conditional GET and HTTP caching for every page and feed.

Each page type has a cheap *state* function (one or two indexed queries, never the page's own queries) giving the
time its data last changed and a fingerprint of it. The ETag is that fingerprint plus:

- the code's version, so a deploy with new templates never answers 304 for an old page;
- whether htmx asked for a fragment (``HX-Request``), since the same URL then returns less;
- a five-minute time bucket, because pages print relative times ("3 hours ago") that age without the data changing.

A revalidation that matches answers 304 before the view runs a single query of its own. HTML is
``Cache-Control: public, max-age=60``; feeds and the sitemap, which readers poll, ``max-age=300``.

The whole response is also kept in Django's cache under its ETag (``pagecache.FreshPageMiddleware``, which finds a
``fresh`` view's state function on the view), so a reader without a copy (most of them) costs the state query and a
cache read, not the page's own queries and template: the ETag changes whenever the data, the code or the time bucket
does, so a stored response is never stale and needs no invalidation. Pages under ``fresh`` are public
(``Cache-Control: public``) and so must never carry per-user content; a form with a CSRF token belongs on a view
without it. A signed-in reader's request is the exception: ``fresh`` hands it straight to the view (no shared ETag,
``Cache-Control: private, no-cache``), and ``FreshPageMiddleware`` never answers or stores it, so the view may draw
that reader's own page.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from importlib import metadata
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from newsloom.articles.models import Article
from newsloom.community.models import Comment
from newsloom.sources.models import Feed, Source
from newsloom.stories.models import ClusterState, Story

HTML_MAX_AGE = 60
FEED_MAX_AGE = 300
TIME_BUCKET = 300  # seconds
PAGE_CACHE_MAX_BYTES = 512 * 1024  # larger bodies are rendered every time
_REQUEST_ATTR = "_newsloom_state"  # a request's state, computed once
STATE_ATTR = "newsloom_state"  # on a ``fresh`` view: its state function (read by pagecache.FreshPageMiddleware)

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


def _stamps(values: tuple[datetime | None, ...]) -> str:
    return ":".join(str(v and v.timestamp()) for v in values)


class _Compiled(NamedTuple):
    connection: BaseDatabaseWrapper
    sql: str
    params: list[tuple[int | None, Any]]  # (index of the argument, or None) and the constant otherwise
    compiler: SQLCompiler
    converters: dict[int, Any]


class StateQuery:
    """A state query that the ORM builds and compiles once per thread's connection; after that it is only executed.

    These lookups take SQLite some microseconds, but building and compiling their querysets took most of the Python
    time of a page answered from the cache (profiled under load). The string arguments are stand-ins when the
    queryset is built and compiled, and are swapped for the real ones on every run; the ORM's converters still turn
    the columns into Python values, so the rows are what ``values_list`` would give.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self._build = build
        self._local = threading.local()

    def _compile(self, connection: BaseDatabaseWrapper, arity: int) -> _Compiled:
        stand_ins = [f"\x00newsloom-state-{i}\x00" for i in range(arity)]
        compiler = self._build(*stand_ins).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [(stand_ins.index(p) if isinstance(p, str) and p in stand_ins else None, p) for p in params]
        if sorted(i for i, _ in slots if i is not None) != list(range(arity)):
            raise ValueError("a state query must use each argument exactly once, unchanged")
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return _Compiled(connection, sql, slots, compiler, converters)

    def first(self, *args: str) -> tuple[Any, ...] | None:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled: _Compiled | None = getattr(self._local, "compiled", None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._local.compiled = self._compile(connection, len(args))
        params = [value if i is None else args[i] for i, value in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(compiled.compiler.apply_converters([row], compiled.converters))
        return tuple(row)


def _cluster(name: str) -> Subquery:
    return Subquery(ClusterState.objects.filter(pk=1).values(name)[:1])


def _with_cluster(queryset: QuerySet[Any], *fields: str) -> QuerySet[Any]:
    """``fields`` of ``queryset`` and then the clusterer's version and time, in one query."""
    return (
        queryset.order_by()
        .annotate(cluster_version=_cluster("version"), cluster_at=_cluster("updated_at"))
        .values_list(*fields, "cluster_version", "cluster_at")
    )


def _comments(aggregate: Any, on: str = "article") -> Subquery:
    """An aggregate of the article's (or story's) comments in every state: posting, editing and moderating all
    change its page."""
    return Subquery(
        Comment.objects.filter(**{on: OuterRef("pk")}).order_by().values(on).annotate(value=aggregate).values("value")
    )


_SITE = StateQuery(
    lambda: _with_cluster(
        Story.objects.annotate(all=Value(1))
        .values("all")  # one group: the whole table
        .annotate(changed=Max("changed_at"), enriched=Max("enriched_at"), n=Count("pk")),
        "changed",
        "enriched",
        "n",
    )
)
_ARTICLE = StateQuery(
    lambda article_id: _with_cluster(
        Article.objects.filter(pk=article_id)
        .exclude(status=Article.Status.PENDING)
        .annotate(comment_changed=_comments(Max("changed_at")), comment_count=_comments(Count("pk"))),
        "updated_at",
        "story__changed_at",
        "story__enriched_at",
        "comment_changed",
        "comment_count",
    )[:1]
)
_STORY = StateQuery(
    lambda story_id: (
        Story.objects.filter(pk=story_id, article_count__gt=0)
        .order_by()
        .annotate(
            updated=Max("articles__updated_at"),
            comment_changed=_comments(Max("changed_at"), on="story"),
            comment_count=_comments(Count("pk"), on="story"),
        )
        .values_list("changed_at", "enriched_at", "updated", "comment_changed", "comment_count")[:1]
    )
)
_SOURCE = StateQuery(
    lambda slug: (
        Source.objects.filter(slug=slug)
        .order_by()
        .annotate(
            updated=Max("articles__updated_at"),
            n=Count("articles"),
            # the feeds' health is on the page too: a poll (which may record skipped items) changes it
            polled=Subquery(
                Feed.objects.filter(source=OuterRef("pk"))
                .order_by()
                .values("source")
                .annotate(latest=Max("last_fetched_at"))
                .values("latest")[:1]
            ),
        )
        .values_list("pk", "updated", "n", "polled")[:1]
    )
)
_SEARCH = StateQuery(lambda: ClusterState.objects.filter(pk=1).order_by().values_list("version", "updated_at")[:1])


# ------------------------------------------------------------------------------------------------------------- states
# One query each, compiled once (``StateQuery``); the fingerprints are the same strings the ORM's rows gave before.


def site_state(*_: Any, **__: Any) -> State:
    """Anything that can change a list of stories: a clustering pass, a story refreshed or enriched."""
    changed_at, enriched, n, version, clustered = _SITE.first() or (None, None, 0, None, None)
    changed = _latest(clustered, changed_at, enriched)
    return State(changed, f"{version or 0}:{n}:{changed and changed.timestamp()}")


def article_state(article_id: str, **_: Any) -> State | None:
    row = _ARTICLE.first(article_id)
    if row is None:
        return None
    *times, comments, version, _clustered = row  # the version: related articles come from other stories
    return State(_latest(*times), f"{version or 0}:{_stamps(tuple(times))}:{comments or 0}")


def story_state(story_id: str, **_: Any) -> State | None:
    row = _STORY.first(story_id)
    if row is None:
        return None
    *times, comments = row
    return State(_latest(*times), f"{_stamps(tuple(times))}:{comments or 0}")


def source_state(slug: str, **_: Any) -> State | None:
    row = _SOURCE.first(slug)
    if row is None:
        return None
    pk, updated, n, polled = row
    return State(_latest(updated, polled), f"{pk}:{_stamps((updated, polled))}:{n}")


def search_state(*_: Any, **__: Any) -> State:
    version, clustered = _SEARCH.first() or (0, None)  # every ingest ends in a clustering pass
    return State(clustered, str(version))


# ---------------------------------------------------------------------------------------------------------- decorator


def request_state(request: HttpRequest, func: StateFunc, args: tuple[Any, ...], kwargs: dict[str, Any]) -> State | None:
    """``func``'s state for this request, computed once however many times it is asked for."""
    if not hasattr(request, _REQUEST_ATTR):
        setattr(request, _REQUEST_ATTR, func(*args, **kwargs))
    state: State | None = getattr(request, _REQUEST_ATTR)
    return state


def etag_for(request: HttpRequest, state: State | None) -> str | None:
    if state is None:
        return None
    fragment = "f" if request.headers.get("HX-Request") else "p"
    bucket = int(time.time() // TIME_BUCKET)
    raw = f"{CODE_VERSION}|{fragment}|{bucket}|{request.get_full_path()}|{state.fingerprint}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def fresh(state: StateFunc, *, max_age: int = HTML_MAX_AGE) -> Callable[[View], View]:
    """Decorate a safe (GET/HEAD) view: ETag and Last-Modified from ``state``, 304 when they match, public caching."""

    def decorator(view: View) -> View:
        def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
            return etag_for(request, request_state(request, state, args, kwargs))

        def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
            found = request_state(request, state, args, kwargs)
            return found.changed if found else None

        conditional = condition(etag_func=etag, last_modified_func=last_modified)(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = conditional(request, *args, **kwargs)
            patch_vary_headers(response, ["HX-Request", "Cookie"])
            return response

        public = cache_control(public=True, max_age=max_age)(wrapper)

        @wraps(view)
        def either(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not signed_in(request):
                return public(request, *args, **kwargs)
            response = view(request, *args, **kwargs)  # personal: no shared ETag, kept by no cache but the reader's
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
            patch_vary_headers(response, ["HX-Request", "Cookie"])
            return response

        final = require_safe(either)
        setattr(final, STATE_ATTR, state)
        return final

    return decorator
