"""Whole responses of fresh pages, stored under their ETag and answered before most of the middleware runs."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from newsloom.stories.models import Story
from newsloom.web.pagecache import FreshPageMiddleware, _page_key
from tests.web.test_caching import paths
from tests.web.test_pages import TESSEL

pytestmark = pytest.mark.django_db


def test_a_stored_page_is_replayed_whole_with_one_query(
    client: Client, demo: None, django_assert_num_queries: Any
) -> None:
    for name, path in paths().items():
        first = client.get(path)
        with django_assert_num_queries(1):  # the state: no session, no page queries, no template
            second = client.get(path)
        assert second.status_code == 200 and second.content == first.content, name
        assert dict(second.items()) == dict(first.items()), name  # every header, as the whole stack set it
        with django_assert_num_queries(1):
            assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304, name


def test_what_is_not_a_public_page_is_never_stored(demo: None) -> None:
    story = Story.objects.get(title=TESSEL)
    factory = RequestFactory()

    def with_cookie(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("per reader")
        response.set_cookie("who", "me")
        return response

    request = factory.get(f"/en/story/{story.pk}")
    key = _page_key(factory.get(f"/en/story/{story.pk}"))
    assert key is not None
    FreshPageMiddleware(with_cookie)(request)
    assert caches["pages"].get(key) is None  # it set a cookie
    FreshPageMiddleware(lambda r: HttpResponse("gone", status=404))(factory.get(f"/en/story/{story.pk}"))
    assert caches["pages"].get(key) is None  # not 200
    FreshPageMiddleware(lambda r: HttpResponse("page"))(factory.get(f"/en/story/{story.pk}"))
    assert caches["pages"].get(key) is not None

    assert _page_key(factory.get("/admin/")) is None and _page_key(factory.get("/api/v1/stories")) is None
    assert _page_key(factory.get("/en/no-such-page")) is None
    assert _page_key(factory.get(f"/en/story/{'0' * 32}")) is None  # a missing story has no state


def test_fragments_and_pages_are_stored_apart(client: Client, demo: None) -> None:
    page = client.get("/en/?page=2").content
    fragment = client.get("/en/?page=2", headers={"HX-Request": "true"}).content
    assert fragment != page and b"<html" in page and b"<html" not in fragment
    assert client.get("/en/?page=2").content == page
    assert client.get("/en/?page=2", headers={"HX-Request": "true"}).content == fragment


def test_a_stored_page_is_never_answered_to_a_host_outside_the_allowed_ones(client: Client, demo: None) -> None:
    """Host is checked before the cache (#21): warmed with a good host, the page is still 400 for ``evil.example``,
    however it is asked for; the good host goes on getting the stored page."""
    for name, path in paths().items():
        first = client.get(path)
        stored = caches["pages"].get(str(_page_key(RequestFactory().get(path))))
        assert first.status_code == 200 and stored is not None, name
        for asked in ({}, {"If-None-Match": first["ETag"]}):
            assert client.get(path, headers={"Host": "evil.example", **asked}).status_code == 400, name
            assert client.head(path, headers={"Host": "evil.example:80", **asked}).status_code == 400, name
        assert client.get(path).content == first.content, name
    assert client.get("/en/no-such-page", headers={"Host": "evil.example"}).status_code == 400
