"""The Fever API (``/api/fever/``), for the older reader apps: groups, feeds, items, unread and saved ids, marks.

Signed in by ``api_key`` = md5("name:app password") (an app password from the account page). Every reply carries
``api_version``, ``auth`` and ``last_refreshed_on_time``; a bad key is answered 200 with ``auth: 0``, as clients
expect. Feeds are the sources the reader follows (group 1, "Sources"); their followed hashtags are groups too.
Items are numbered in arrival order (``ItemNumber``), so ``since_id`` pages forward, ``max_id`` backward, each page
exactly ``PAGE`` items while more exist (clients stop at a short page). Marks set the state outright (no toggling).
"""

from __future__ import annotations

import time
from typing import Any

from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.accounts.models import Follow, ItemNumber, ReadMark, SavedArticle
from newsloom.api.greader import ids, streams
from newsloom.api.greader.auth import over_limit
from newsloom.api.greader.catalog import feed_urls
from newsloom.articles.models import Article
from newsloom.sources.models import Source

API_VERSION = 3
PAGE = 50
SOURCES_GROUP = 1


def _params(request: HttpRequest) -> QueryDict:
    merged = request.GET.copy()
    if request.method == "POST":
        for name, values in request.POST.lists():
            merged.setlist(name, values)
    return merged


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _ids(value: str) -> list[int]:
    return [n for n in (_int(part) for part in value.split(",")) if n is not None]


def _epoch(value: Any) -> int:
    return int(value.timestamp()) if value else 0


def _items(user: Any) -> QuerySet[ItemNumber]:
    """The reader's items: their followed sources' articles, and whatever they saved."""
    saved = SavedArticle.objects.filter(user_id=user.pk).values("article_id")
    rows = streams.stream_rows(user, ids.READING_LIST) | ItemNumber.objects.filter(article_id__in=saved)
    return rows.distinct()


def _sources(user: Any) -> list[Source]:
    return list(Source.objects.filter(slug__in=streams.followed_slugs(user)).order_by("name", "pk"))


def _groups(user: Any, sources: list[Source]) -> dict[str, Any]:
    tags = Follow.objects.filter(user_id=user.pk, kind="hashtag").order_by("key")
    groups = [{"id": SOURCES_GROUP, "title": "Sources"}] + [{"id": f.pk + 1, "title": f"#{f.key}"} for f in tags]
    feeds_groups = [{"group_id": SOURCES_GROUP, "feed_ids": ",".join(str(s.pk) for s in sources)}]
    return {"groups": groups, "feeds_groups": feeds_groups}


def _feeds(sources: list[Source]) -> list[dict[str, Any]]:
    urls = feed_urls(sources)
    newest = dict(
        Article.objects.filter(source__in=sources)
        .values("source_id")
        .annotate(t=Max("created_at"))
        .values_list("source_id", "t")
    )
    return [
        {
            "id": s.pk,
            "favicon_id": 0,
            "title": s.name,
            "url": urls.get(s.pk, s.homepage),
            "site_url": s.homepage,
            "is_spark": 0,
            "last_updated_on_time": _epoch(newest.get(s.pk)),
        }
        for s in sources
    ]


def _item_page(user: Any, data: QueryDict) -> dict[str, Any]:
    rows = _items(user)
    total = rows.count()
    if data.get("with_ids") is not None:
        wanted = _ids(data.get("with_ids", ""))[:PAGE]
        numbers = list(rows.filter(number__in=wanted).order_by("number").values_list("number", flat=True))
    elif (max_id := _int(data.get("max_id"))) is not None:
        numbers = list(rows.filter(number__lt=max_id).order_by("-number").values_list("number", flat=True)[:PAGE])
    else:
        since = _int(data.get("since_id")) or 0
        numbers = list(rows.filter(number__gt=since).order_by("number").values_list("number", flat=True)[:PAGE])
    found = streams.items(user, numbers)
    items = [
        {
            "id": item.number,
            "feed_id": item.article.source_id,
            "title": item.article.title or item.article.url,
            "author": item.article.author,
            "html": item.article.html or item.article.feed_html or item.article.summary or "",
            "url": item.article.canonical_url or item.article.url,
            "is_saved": int(item.starred),
            "is_read": int(item.read),
            "created_on_time": _epoch(item.article.published_at or item.article.created_at),
        }
        for item in found
    ]
    return {"items": items, "total_items": total}


def _unread_ids(user: Any) -> str:
    read = ReadMark.objects.filter(user_id=user.pk).values("article_id")
    rows = _items(user).exclude(article_id__in=read).order_by("number").values_list("number", flat=True)
    return ",".join(str(n) for n in rows)


def _saved_ids(user: Any) -> str:
    saved = SavedArticle.objects.filter(user_id=user.pk).values("article_id")
    rows = ItemNumber.objects.filter(article_id__in=saved).order_by("number").values_list("number", flat=True)
    return ",".join(str(n) for n in rows)


def _mark(user: Any, data: QueryDict) -> dict[str, Any]:
    kind, state, target = data.get("mark"), data.get("as"), _int(data.get("id"))
    if target is None or state not in ("read", "unread", "saved", "unsaved"):
        return {}
    if kind == "item":
        aids = streams.article_ids([target])
        if state in ("read", "unread"):
            account_actions.set_read_many(user, aids, read=state == "read")
        else:
            account_actions.set_saved_many(user, aids, saved=state == "saved")
    elif kind in ("feed", "group") and state == "read":
        rows = _items(user)
        if kind == "feed":
            rows = rows.filter(article__source_id=target)
        elif target > SOURCES_GROUP:  # a hashtag's group; 0 (Kindling) and 1 are everything
            follow = Follow.objects.filter(user_id=user.pk, kind="hashtag", pk=target - 1).first()
            rows = (
                rows.filter(pk__in=streams.stream_rows(user, ids.label_stream(follow.key)).values("pk"))
                if follow
                else rows.none()
            )
        before = _int(data.get("before"))
        if before:
            rows = rows.filter(article__created_at__lt=streams.at_time(before + 1))
        account_actions.set_read_many(user, list(rows.values_list("article_id", flat=True)[:100_000]), read=True)
    if state in ("saved", "unsaved"):
        return {"saved_item_ids": _saved_ids(user)}
    return {"unread_item_ids": _unread_ids(user)}


def _last_refreshed() -> int:
    newest = Article.objects.aggregate(t=Max("created_at"))["t"]
    return _epoch(newest) or int(time.time())


@csrf_exempt
def fever(request: HttpRequest) -> HttpResponse:
    data = _params(request)
    body: dict[str, Any] = {"api_version": API_VERSION, "auth": 0, "last_refreshed_on_time": _last_refreshed()}
    key = account_queries.key_for_fever(data.get("api_key", ""))
    if key is None or request.method not in ("GET", "POST"):
        return JsonResponse(body)
    limited = over_limit(key)
    if limited is not None:
        return limited
    account_actions.key_used(key)
    account_actions.number_new_articles()
    user = key.user
    body["auth"] = 1
    if "mark" in data:
        body.update(_mark(user, data))
    sources = _sources(user) if {"groups", "feeds"} & set(data) else []
    if "groups" in data:
        body.update(_groups(user, sources))
    if "feeds" in data:
        body["feeds"] = _feeds(sources)
        body.setdefault("feeds_groups", _groups(user, sources)["feeds_groups"])
    if "favicons" in data:
        body["favicons"] = []
    if "links" in data:
        body["links"] = []
    if "items" in data:
        body.update(_item_page(user, data))
    if "unread_item_ids" in data:
        body["unread_item_ids"] = _unread_ids(user)
    if "saved_item_ids" in data:
        body["saved_item_ids"] = _saved_ids(user)
    response = JsonResponse(body)
    response["Cache-Control"] = "private, no-store"
    return response
