"""The JSON API v1 on the ingested demo: lists and cursors, filters, details, ETags, gzip, errors, the rate limit."""

from __future__ import annotations

import dataclasses
import gzip
import json
from typing import Any

import pytest
from django.test import Client

from newsloom.articles.models import Article
from newsloom.community.models import Comment
from newsloom.sources.models import Source
from newsloom.stories.models import Story

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "message", "details"}


def get(client: Client, path: str, status: int = 200, **headers: str) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == status, (path, response.status_code, response.content[:500])
    if status == 304:
        return response
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def walk(client: Client, path: str) -> list[dict[str, Any]]:
    """Every item of a list, following ``next_cursor`` to the end."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        glue = "&" if "?" in path else "?"
        page = get(client, path + (f"{glue}cursor={cursor}" if cursor else ""))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


def test_stories_list_in_rank_order_and_pages_cover_it_exactly(api: Client) -> None:
    everything = walk(api, "/api/v1/stories?limit=3")
    expected = list(
        Story.objects.filter(article_count__gt=0)
        .order_by("-score", "-last_published", "pk")
        .values_list("pk", flat=True)
    )
    assert [s["id"] for s in everything] == expected
    assert len(expected) >= 10
    first = everything[0]
    assert first["web_url"] == f"/en/story/{first['id']}"
    assert first["sources"] and first["summary"] and first["summary"][0]["article_id"]


def test_latest_order_is_newest_first(api: Client) -> None:
    items = walk(api, "/api/v1/stories?order=latest&limit=4")
    times = [s["last_published"] for s in items]
    assert times == sorted(times, reverse=True)
    assert len(items) == Story.objects.filter(article_count__gt=0).count()


def test_story_filters(api: Client) -> None:
    story = Story.objects.filter(article_count__gt=1).exclude(hashtags=[]).order_by("-score").first()
    assert story is not None
    tag = story.hashtags[0]
    tagged = walk(api, f"/api/v1/stories?hashtag={tag}&limit=2")
    assert story.pk in {s["id"] for s in tagged}
    assert all(tag in s["hashtags"] for s in tagged)

    source = Article.objects.filter(story=story).select_related("source").first().source  # type: ignore[union-attr]
    covered = walk(api, f"/api/v1/stories?source={source.slug}")
    assert story.pk in {s["id"] for s in covered}
    assert all(source.slug in {ref["slug"] for ref in s["sources"]} for s in covered)

    assert walk(api, "/api/v1/stories?language=xx") == []
    assert (
        len(walk(api, "/api/v1/stories?language=en"))
        == Story.objects.filter(article_count__gt=0, language="en").count()
    )
    newest = max(s.last_published for s in Story.objects.filter(article_count__gt=0) if s.last_published)
    recent = walk(api, f"/api/v1/stories?since={newest.isoformat().replace('+00:00', 'Z')}")
    assert recent and all(s["last_published"] >= newest.isoformat().replace("+00:00", "Z") for s in recent)
    assert walk(api, "/api/v1/stories?since=9999-01-01T00:00:00Z") == []


def test_story_detail_has_coverage_summary_and_comparison(api: Client) -> None:
    story = Story.objects.filter(source_count__gt=2).order_by("-score").first()
    assert story is not None
    body = get(api, f"/api/v1/stories/{story.pk}")
    ids = {a["id"] for a in body["articles"]}
    assert ids == set(Article.objects.filter(story=story).exclude(status="pending").values_list("pk", flat=True))
    grouped = [g["origin"]["id"] for g in body["wire_groups"]] + [
        c["id"] for g in body["wire_groups"] for c in g["copies"]
    ]
    assert sorted(grouped) == sorted(ids)
    assert any(g["wire_group"] and g["copies"] for g in body["wire_groups"])
    assert body["summary"] and all(s["article_id"] in ids for s in body["summary"] if s["article_id"])
    assert body["key_points"]
    assert body["comparison"] and body["comparison"]["facts"] and body["comparison"]["sources"]


def test_article_detail_and_related(api: Client) -> None:
    article = Article.objects.filter(status="ok", wire_group__isnull=False, story__isnull=False).first()
    assert article is not None
    body = get(api, f"/api/v1/articles/{article.pk}")
    assert body["id"] == article.pk and body["title"] == article.title and body["full_text"] is True
    assert body["source"]["slug"] == article.source.slug and body["html"] and body["text"]
    assert body["story"] == article.story_id
    related = get(api, f"/api/v1/articles/{article.pk}/related?limit=4")["items"]
    assert 0 < len(related) <= 4 and all(r["reason"] and r["article"]["id"] != article.pk for r in related)


def test_search_sources_hashtags(api: Client) -> None:
    found = get(api, "/api/v1/search?q=flood&limit=2")
    assert found["total"] > 2 and len(found["items"]) == 2 and found["next_cursor"]
    rest = walk(api, "/api/v1/search?q=flood&limit=2")
    assert len(rest) == found["total"] and len({h["article"]["id"] for h in rest}) == found["total"]
    assert "<mark>" in found["items"][0]["snippet_html"]
    assert get(api, "/api/v1/search?q=-flood")["message"]

    sources = walk(api, "/api/v1/sources?limit=3")
    assert [s["slug"] for s in sources] == sorted(Source.objects.values_list("slug", flat=True))
    assert sum(s["article_count"] for s in sources) == Article.objects.exclude(status="pending").count()

    tags = walk(api, "/api/v1/hashtags?limit=7")
    counts = [t["stories"] for t in tags]
    assert counts == sorted(counts, reverse=True) and tags[0]["web_url"].startswith("/en/hashtag/")


def test_search_until_the_last_day_of_the_calendar(api: Client) -> None:
    """``until`` + one day overflowed on 9999-12-31 (a 500 on the API and on the search page)."""
    everything = get(api, "/api/v1/search?q=flood")["total"]
    assert get(api, "/api/v1/search?q=flood&until=9999-12-31")["total"] == everything
    assert get(api, "/api/v1/search?q=flood&since=0001-01-01")["total"] == everything
    assert api.get("/en/search?q=flood&until=9999-12-31").status_code == 200


def test_comment_threads(api: Client) -> None:
    comment = Comment.objects.filter(article__isnull=False, parent__isnull=True, state="visible").first()
    assert comment is not None
    body = get(api, f"/api/v1/articles/{comment.article_id}/comments")
    assert body["count"] >= 1 and comment.pk in {c["id"] for c in body["items"]}
    first = walk(api, f"/api/v1/articles/{comment.article_id}/comments?limit=1")
    assert [c["id"] for c in first] == [c["id"] for c in body["items"]]
    story = Story.objects.filter(article_count__gt=0).first()
    assert get(api, f"/api/v1/stories/{story.pk}/comments")["items"] is not None  # type: ignore[union-attr]


def test_etag_answers_304_and_changes_with_the_data(api: Client) -> None:
    story = Story.objects.filter(article_count__gt=0).order_by("-score").first()
    assert story is not None
    for path in ["/api/v1/stories", f"/api/v1/stories/{story.pk}", "/api/v1/sources", "/api/v1/hashtags"]:
        first = api.get(path)
        etag = first["ETag"]
        assert etag and first["Cache-Control"] == "public, max-age=60"
        again = get(api, path, 304, if_none_match=etag)
        assert again["ETag"] == etag and again.content == b""
        assert get(api, path, 304, if_none_match=f"W/{etag}")  # as a gzipped answer's validator comes back
    before = api.get(f"/api/v1/stories/{story.pk}")["ETag"]
    Story.objects.filter(pk=story.pk).update(title="A new title")
    from django.utils import timezone

    Story.objects.filter(pk=story.pk).update(changed_at=timezone.now())
    changed = api.get(f"/api/v1/stories/{story.pk}", headers={"if-none-match": before})
    assert changed.status_code == 200 and changed["ETag"] != before
    assert json.loads(changed.content)["title"] == "A new title"


def test_gzip_for_clients_that_accept_it(api: Client) -> None:
    response = api.get("/api/v1/stories", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["items"]
    assert get(api, "/api/v1/stories", 304, if_none_match=response["ETag"])
    assert "Content-Encoding" not in api.get("/api/v1/stories")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/stories/" + "0" * 32, 404, "not_found"),
        ("get", "/api/v1/articles/" + "0" * 32, 404, "not_found"),
        ("get", "/api/v1/articles/" + "0" * 32 + "/comments", 404, "not_found"),
        ("get", "/api/v1/stories/not-an-id", 422, "validation_error"),
        ("get", "/api/v1/stories?limit=1000", 422, "validation_error"),
        ("get", "/api/v1/stories?cursor=bm90LWEtY3Vyc29y", 422, "validation_error"),
        ("get", "/api/v1/stories?since=yesterday", 422, "validation_error"),
        ("get", "/api/v1/search", 422, "validation_error"),
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("get", "/api/v2/stories", 404, "not_found"),
        ("post", "/api/v1/stories", 405, "method_not_allowed"),
        ("delete", "/api/v1/sources", 405, "method_not_allowed"),
    ],
)
def test_every_error_has_the_one_body(api: Client, method: str, path: str, status: int, code: str) -> None:
    response = getattr(api, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == ERROR_KEYS and body["status"] == status and body["code"] == code and body["message"]
    if status == 422:
        assert body["details"] and body["details"][0]["loc"]
    if status == 405:
        assert response["Allow"] == "GET"


def test_a_cursor_from_another_list_is_refused(api: Client) -> None:
    cursor = get(api, "/api/v1/sources?limit=1")["next_cursor"]
    body = get(api, f"/api/v1/stories?cursor={cursor}", 422)
    assert body["details"][0]["loc"] == ["query", "cursor"] and body["details"][0]["type"] == "invalid_cursor"
    rank = get(api, "/api/v1/stories?limit=1")["next_cursor"]
    get(api, f"/api/v1/stories?order=latest&cursor={rank}", 422)


def test_an_unexpected_failure_is_a_500_with_the_one_body(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsloom.stories import queries

    def broken(**_: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(queries, "story_listing", broken)
    response = api.get("/api/v1/stories?limit=7")
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "status": 500,
        "code": "server_error",
        "message": "Something went wrong on our side.",
        "details": [],
    }


def test_rate_limit_answers_429_with_retry_after(demo: None, settings: Any) -> None:
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=(3, 60))
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(3):
        assert client.get("/api/v1/sources").status_code == 200
    limited = client.get("/api/v1/sources")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert json.loads(limited.content)["code"] == "rate_limited"
    assert Client(REMOTE_ADDR="10.9.9.9").get("/api/v1/sources").status_code == 200  # per client
    assert client.get("/api/v1/openapi.json").status_code == 200  # the schema and docs are not counted


def test_rate_limit_counts_answers_from_the_store_too(demo: None, settings: Any) -> None:
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=(4, 60))
    client = Client(REMOTE_ADDR="10.1.2.4")
    statuses = [client.get("/api/v1/stories?limit=2").status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_repeat_requests_are_answered_from_the_store_and_follow_changes(api: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    story = Story.objects.filter(article_count__gt=0).order_by("-score").first()
    assert story is not None
    path = f"/api/v1/stories/{story.pk}"
    first = api.get(path, headers={"accept-encoding": "gzip"})
    with CaptureQueriesContext(connection) as queries:
        again = api.get(path, headers={"accept-encoding": "gzip"})
    assert len(queries) == 1  # the state query, and nothing else
    assert again.content == first.content and again["ETag"] == first["ETag"] == f"W/{api.get(path)['ETag']}"
    assert again["Content-Encoding"] == "gzip" and "Accept-Encoding" in again["Vary"]
    Story.objects.filter(pk=story.pk).update(title="Retitled", changed_at=timezone.now())
    changed = api.get(path)
    assert changed.status_code == 200 and json.loads(changed.content)["title"] == "Retitled"
    assert api.get(path, headers={"cookie": "sessionid=abc"}).status_code == 200  # not anonymous: the whole way


def test_openapi_document_and_local_docs_page(api: Client) -> None:
    schema = get(api, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/related",
        "/api/v1/search",
        "/api/v1/sources",
        "/api/v1/hashtags",
        "/api/v1/articles/{article_id}/comments",
        "/api/v1/stories/{story_id}/comments",
    } <= paths
    docs = api.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert api.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_rate_limit_counts_in_redis_when_the_shared_cache_is_redis(demo: None, settings: Any) -> None:
    from django.core.cache import caches

    from newsloom.api.throttle import counts

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                     "LOCATION": "redis://127.0.0.1:6379/8"}}
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=(2, 60))
    assert counts() is caches["default"]
    caches["default"].clear()
    try:
        client = Client(REMOTE_ADDR="10.1.2.5")
        assert [client.get("/api/v1/sources").status_code for _ in range(3)] == [200, 200, 429]
        caches["pages"].clear()  # another process's memory: the count is not there, and still holds
        assert client.get("/api/v1/sources").status_code == 429
    finally:
        caches["default"].clear()
