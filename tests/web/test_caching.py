"""Conditional GET: every page and feed sends ETag, Last-Modified and Cache-Control, and a revalidation that matches
answers 304 before the page's own queries run."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.stories.models import Story
from newsloom.web.freshness import StateQuery, article_state, site_state, source_state, story_state
from tests.web.test_pages import TESSEL

pytestmark = pytest.mark.django_db


def paths() -> dict[str, str]:
    story = Story.objects.get(title=TESSEL)
    return {
        "home": "/en/", "story": f"/en/story/{story.pk}", "article": f"/en/article/{story.pk}",
        "source": "/en/source/meridian-press", "hashtag": f"/en/hashtag/{story.hashtags[0]}",
        "search": "/en/search?q=flood", "atom": "/feeds/top.atom", "rss": "/feeds/top.rss",
        "json": "/feeds/top.json", "source-feed": "/feeds/source/meridian-press.rss", "sitemap": "/sitemap.xml",
    }


def test_every_page_revalidates_cheaply(client: Client, demo: None, django_assert_max_num_queries: Any) -> None:
    for name, path in paths().items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert response.has_header("ETag") and response.has_header("Last-Modified"), name
        cache_control = response["Cache-Control"]
        assert "public" in cache_control, name
        expected = "max-age=300" if name in {"atom", "rss", "json", "source-feed", "sitemap"} else "max-age=60"
        assert expected in cache_control, name
        with django_assert_max_num_queries(2):
            again = client.get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304, name
        assert again["Cache-Control"] == cache_control and again["ETag"] == response["ETag"], name
        since = client.get(path, headers={"If-Modified-Since": response["Last-Modified"]})
        assert since.status_code == 304, name


def test_a_changed_story_changes_its_pages(client: Client, demo: None) -> None:
    story = Story.objects.get(title=TESSEL)
    home, page = client.get("/en/"), client.get(f"/en/story/{story.pk}")
    Story.objects.filter(pk=story.pk).update(changed_at=timezone.now() + timedelta(seconds=5), title="Updated")
    fresh_home = client.get("/en/", headers={"If-None-Match": home["ETag"]})
    fresh_story = client.get(f"/en/story/{story.pk}", headers={"If-None-Match": page["ETag"]})
    assert fresh_home.status_code == 200 and "Updated" in fresh_home.content.decode()
    assert fresh_story.status_code == 200 and "Updated" in fresh_story.content.decode()


def test_an_updated_article_changes_its_page(client: Client, demo: None) -> None:
    story = Story.objects.get(title=TESSEL)
    first = client.get(f"/en/article/{story.pk}")
    Article.objects.filter(pk=story.pk).update(title="Corrected headline",
                                               updated_at=timezone.now() + timedelta(seconds=5))
    again = client.get(f"/en/article/{story.pk}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and "Corrected headline" in again.content.decode()


def test_htmx_fragments_have_their_own_etag(client: Client, demo: None) -> None:
    full = client.get("/en/")
    fragment = client.get("/en/", headers={"HX-Request": "true", "If-None-Match": full["ETag"]})
    assert fragment.status_code == 200 and fragment["ETag"] != full["ETag"]
    assert "HX-Request" in fragment["Vary"]


def test_missing_pages_are_not_cached_as_found(client: Client) -> None:
    response = client.get(f"/en/story/{'0' * 32}")
    assert response.status_code == 404 and not response.has_header("Last-Modified")


def test_the_page_cache_follows_the_data(client: Client, demo: None) -> None:
    story = Story.objects.get(title=TESSEL)
    client.get(f"/en/article/{story.pk}")
    Article.objects.filter(pk=story.pk).update(title="Corrected headline",
                                               updated_at=timezone.now() + timedelta(seconds=5))
    assert "Corrected headline" in client.get(f"/en/article/{story.pk}").content.decode()


def test_state_queries_are_compiled_once_and_stay_right(transactional_db: None, demo: None,
                                                        django_assert_max_num_queries: Any) -> None:
    """A state query is compiled by the ORM once per thread's connection and then only executed: for other
    arguments, after a reconnect and in another thread it reads what the ORM would (committed data: the other
    thread has its own connection)."""

    def build(article_id: str) -> Any:
        return (Article.objects.filter(pk=article_id).order_by()
                .annotate(story_score=Subquery(Story.objects.filter(pk=OuterRef("story_id")).values("score")))
                .values_list("updated_at", "story__changed_at", "story__enriched_at", "story_score", "title"))

    query = StateQuery(build)
    ids = list(Article.objects.values_list("pk", flat=True)[:5])
    for article_id in [*ids, "0" * 32]:
        with django_assert_max_num_queries(1):
            row = query.first(article_id)
        assert row == build(article_id).first(), article_id
    connection.close()
    assert query.first(ids[0]) == build(ids[0]).first()
    other: list[object] = []
    worker = threading.Thread(target=lambda: (other.append(query.first(ids[1])), connection.close()))
    worker.start()
    worker.join()
    assert other == [build(ids[1]).first()]

    story = Story.objects.get(title=TESSEL)
    with django_assert_max_num_queries(1):
        state = article_state(story.pk)
    moved = timezone.now() + timedelta(seconds=5)
    Article.objects.filter(pk=story.pk).update(updated_at=moved)
    again = article_state(story.pk)
    assert state is not None and again is not None
    assert again.changed == moved and again.fingerprint != state.fingerprint
    assert article_state("0" * 32) is None and story_state("nope") is None and source_state("nope") is None
    assert story_state(story.pk) is not None and site_state().changed is not None


def test_a_state_query_must_pass_its_arguments_through_unchanged(db: None) -> None:
    contains = StateQuery(lambda title: Article.objects.filter(title__contains=title).values_list("pk"))
    with pytest.raises(ValueError, match="unchanged"):
        contains.first("flood")  # the ORM wraps the value in %…%: it cannot be swapped in later
