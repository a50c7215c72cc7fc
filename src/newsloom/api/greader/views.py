"""The Google Reader API's endpoints (the dialect of Miniflux and FreshRSS), mounted under ``/api/greader/``.

Every endpoint takes its parameters from the query string or a form body alike (clients differ); lists of ids come
as repeated ``i`` (or ``s``) fields. Writes answer ``OK`` as plain text, as clients check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from newsloom.accounts import actions as account_actions
from newsloom.api.greader import auth, ids, shapes, streams
from newsloom.api.greader.catalog import (
    follow_stream,
    stream_title,
    subscriptions,
    tags,
    unfollow_stream,
    unread_counts,
)
from newsloom.errors import AccountRefused

View = Callable[..., HttpResponse]


def params(request: HttpRequest) -> QueryDict:
    """The query string and the form body together (a POST's fields win)."""
    merged = request.GET.copy()
    if request.method == "POST":
        for name, values in request.POST.lists():
            merged.setlist(name, values)
    return merged


def text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def reader_view(view: Callable[[HttpRequest, Any, QueryDict], HttpResponse]) -> View:
    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return text("Method Not Allowed", 405)
        data = params(request)
        try:
            key = auth.signed_in(request, data)
        except auth.Unauthorized as exc:
            return auth.unauthorized(exc)
        limited = auth.over_limit(key)
        if limited is not None:
            return limited
        response = view(request, key.user, data, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def writes(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return text("Method Not Allowed", 405)
        return view(request, *args, **kwargs)

    return wrapped


@csrf_exempt
def client_login(request: HttpRequest) -> HttpResponse:
    data = params(request)
    found = auth.client_login(request, data)
    if found is None:
        return text("Error=BadAuthentication\n", 401)
    _, secret = found
    if data.get("output") == "json":
        return JsonResponse({"SID": secret, "LSID": "null", "Auth": secret})
    return text(f"SID={secret}\nLSID=null\nAuth={secret}\n")


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    try:
        key = auth.signed_in(request, params(request))
    except auth.Unauthorized as exc:
        return auth.unauthorized(exc)
    response = text(auth.write_token(key))
    response["Cache-Control"] = "private, no-store"
    return response


@reader_view
def user_info(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    return JsonResponse(
        {
            "userId": str(user.pk),
            "userName": user.get_username(),
            "userProfileId": str(user.pk),
            "userEmail": user.email or "",
        }
    )


@reader_view
def subscription_list(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    return JsonResponse({"subscriptions": subscriptions(user)})


@reader_view
@writes
def subscription_edit(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    action = data.get("ac", "edit")
    try:
        for stream in data.getlist("s"):
            if action == "subscribe":
                if follow_stream(user, stream) is None:
                    return text("No such feed here", 400)
            elif action == "unsubscribe":
                unfollow_stream(user, stream)
        for label in data.getlist("a"):
            if (tag := ids.label_of(label)) is not None:
                account_actions.follow(user, "hashtag", tag)
        for label in data.getlist("r"):
            if (tag := ids.label_of(label)) is not None:
                account_actions.unfollow(user, "hashtag", tag)
    except AccountRefused as exc:
        return text(str(exc), 400)
    return text("OK")


@reader_view
@writes
def quickadd(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    query = data.get("quickadd", "").strip()
    found = follow_stream(user, query if query.startswith(ids.FEED_PREFIX) else ids.FEED_PREFIX + query)
    if found is None:
        return JsonResponse({"numResults": 0, "query": query, "error": "No such feed here."})
    return JsonResponse(
        {"numResults": 1, "query": query, "streamId": ids.feed_stream(found.slug), "streamName": found.name}
    )


@reader_view
def tag_list(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    return JsonResponse({"tags": tags(user)})


@reader_view
def unread_count(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    return JsonResponse({"max": streams.MAX_N, "unreadcounts": unread_counts(user)})


@reader_view
def item_ids(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    f = streams.filters_of(data)
    numbers, continuation = streams.page(user, f)
    body: dict[str, Any] = {"itemRefs": [{"id": ids.short_id(n), "directStreamIds": []} for n in numbers]}
    if continuation is not None:
        body["continuation"] = str(continuation)
    return JsonResponse(body)


def _asked_items(data: QueryDict) -> list[int]:
    numbers = [ids.parse_item_id(value) for value in data.getlist("i")]
    return list(dict.fromkeys(n for n in numbers if n is not None))[: streams.MAX_N]


@reader_view
def item_contents(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    items = streams.items(user, _asked_items(data))
    return JsonResponse(shapes.stream_json(ids.READING_LIST, items, None))


@reader_view
def stream_contents(request: HttpRequest, user: Any, data: QueryDict, stream: str = "") -> HttpResponse:
    f = streams.filters_of(data, stream or None)
    numbers, continuation = streams.page(user, f)
    items = streams.items(user, numbers)
    return JsonResponse(shapes.stream_json(f.stream, items, continuation, stream_title(f.stream)))


@reader_view
def atom(request: HttpRequest, user: Any, data: QueryDict, stream: str = "") -> HttpResponse:
    f = streams.filters_of(data, stream or None)
    numbers, continuation = streams.page(user, f)
    items = streams.items(user, numbers)
    body = shapes.atom(f.stream, stream_title(f.stream), items, continuation, request.build_absolute_uri())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@reader_view
@writes
def edit_tag(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    aids = streams.article_ids(_asked_items(data))
    for stream in data.getlist("a"):
        state = ids.canonical_state(stream)
        if state == "read":
            account_actions.set_read_many(user, aids, read=True)
        elif state in ("kept-unread", "fresh", "tracking-kept-unread") and "read" not in _states(data, "a"):
            account_actions.set_read_many(user, aids, read=False)
        elif state == "starred":
            account_actions.set_saved_many(user, aids, saved=True)
    for stream in data.getlist("r"):
        state = ids.canonical_state(stream)
        if state == "read":
            account_actions.set_read_many(user, aids, read=False)
        elif state == "starred":
            account_actions.set_saved_many(user, aids, saved=False)
    return text("OK")


def _states(data: QueryDict, name: str) -> set[str]:
    return {ids.canonical_state(s) or "" for s in data.getlist(name)}


@reader_view
@writes
def mark_all_as_read(request: HttpRequest, user: Any, data: QueryDict) -> HttpResponse:
    f = streams.Filters(stream=data.get("s") or ids.READING_LIST, exclude=[ids.READ])
    usec = streams.to_int(data.get("ts"))
    if usec is not None and usec > 0:
        f.older_than = usec // 1_000_000 + 1
    rows = streams.filtered(user, f).values_list("article_id", flat=True)
    account_actions.set_read_many(user, list(rows[:100_000]), read=True)
    return text("OK")


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return text("Not Found", 404)
