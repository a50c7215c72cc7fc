"""The demo's reader comments: seeded through the community actions on the ingested articles, and only once."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.commands.demo import seed_comments
from newsloom.community.models import Comment
from newsloom.demo.content import raw_comments
from tests.web.factories import make_article

pytestmark = pytest.mark.django_db


def demo_article(source: str, title: str) -> Article:
    return make_article(hashlib.md5(title.encode()).hexdigest(), title, source=source, days=0.5)


def test_seeding_twice_posts_each_comment_once() -> None:
    threads = raw_comments()["threads"]
    articles = [demo_article(t["source"], t["title"]) for t in threads]
    items = [c for t in threads for c in t["comments"]]
    assert seed_comments() == len(items) == Comment.objects.count()
    assert seed_comments() == 0 and Comment.objects.count() == len(items)

    assert Comment.objects.filter(state=Comment.State.HIDDEN).count() == sum("state" in c for c in items) >= 1
    assert Comment.objects.exclude(edited=None).count() == sum("edit" in c for c in items) >= 1
    assert Comment.objects.exclude(parent=None).count() == sum("parent" in c for c in items)
    now = timezone.now()
    for comment in Comment.objects.select_related("article"):
        assert comment.article.published_at <= comment.created <= now
    readers = get_user_model().objects.all()
    assert readers.count() == len(raw_comments()["readers"])
    assert not any(r.has_usable_password() for r in readers)
    assert {c.article_id for c in Comment.objects.all()} == {a.pk for a in articles}


def test_threads_of_articles_not_ingested_are_skipped() -> None:
    first = raw_comments()["threads"][0]
    demo_article(first["source"], first["title"])
    assert seed_comments() == len(first["comments"]) == Comment.objects.count()
