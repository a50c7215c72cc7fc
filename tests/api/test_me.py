"""The caller's own state under /api/v1/me/: by personal token or session, the same rows as the website's."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from newsloom.accounts import actions, queries
from newsloom.articles.models import Article
from newsloom.sources.models import Source


def _reader(name: str = "reader") -> Any:
    return actions.create_account(name, password="a-long-pass-phrase")


def test_a_token_reads_and_writes_the_readers_own_state(api: Client) -> None:
    user = _reader()
    _, secret = actions.create_access_key(user, "token", "script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert api.get("/api/v1/me/follows").status_code == 401
    assert api.get("/api/v1/me/follows", HTTP_AUTHORIZATION="Bearer nlt_wrong").status_code == 401
    slug = Source.objects.values_list("slug", flat=True).first()
    made = api.post("/api/v1/me/follows", {"kind": "source", "key": slug}, content_type="application/json", **auth)
    assert made.status_code == 201 and made.json()["key"] == slug
    mine = api.get("/api/v1/me/follows", **auth)
    assert mine.json()["items"][0]["key"] == slug and mine["Cache-Control"] == "private, no-store"
    article = Article.objects.exclude(status="pending").first()
    assert article is not None
    body = {"article_id": article.pk}
    assert api.post("/api/v1/me/saved", body, content_type="application/json", **auth).status_code == 204
    assert [a["id"] for a in api.get("/api/v1/me/saved", **auth).json()["items"]] == [article.pk]
    assert api.post("/api/v1/me/read", body, content_type="application/json", **auth).status_code == 204
    assert api.get(f"/api/v1/me/read?ids={article.pk}", **auth).json()["items"] == [article.pk]
    assert queries.read_ids(user, [article.pk]) == {article.pk}  # what the website shows
    assert api.delete(f"/api/v1/me/read/{article.pk}", **auth).status_code == 204
    assert api.delete(f"/api/v1/me/saved/{article.pk}", **auth).status_code == 204
    assert api.delete(f"/api/v1/me/follows/source/{slug}", **auth).status_code == 204
    assert api.get("/api/v1/me/read", **auth).json()["items"] == []
    assert not queries.is_saved(user, article.pk) and not queries.followed_keys(user, "source")
    missing = api.post("/api/v1/me/saved", {"article_id": "0" * 32}, content_type="application/json", **auth)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    key = queries.key_for_secret(secret)
    assert key is not None and key.last_used_at is not None
    actions.revoke_access_key(user, key.pk)
    assert api.get("/api/v1/me/follows", **auth).status_code == 401


def test_the_session_signs_in_too(api: Client) -> None:
    user = _reader()
    api.force_login(user)
    assert api.get("/api/v1/me/follows").json() == {"items": []}
    other = get_user_model().objects.get(pk=user.pk)
    assert other.username == "reader"


def test_each_token_has_its_own_rate_limit(demo: None, settings: Any) -> None:
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=(1000, 60))
    user = _reader()
    key, secret = actions.create_access_key(user, "token")
    key.limit_requests, key.limit_seconds = 2, 3600
    key.save()
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert [client.get("/api/v1/me/follows", **auth).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/me/follows", **auth)["Retry-After"]
    _, other = actions.create_access_key(user, "token")
    assert client.get("/api/v1/me/follows", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200
