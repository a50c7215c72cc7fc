from __future__ import annotations

import pytest

from newsloom.articles.models import Article
from newsloom.core.grouping.embed import get_embedder
from newsloom.stories import actions, queries
from tests.stories.test_actions import corpus

pytestmark = pytest.mark.django_db(transaction=True)

A, B, C, D, E, F = (ch * 32 for ch in "abcdef")


@pytest.fixture
def stories() -> None:
    corpus()
    actions.build_stories(embedder=get_embedder("static"))


def test_top_stories_rank_by_sources(stories: None) -> None:
    top = list(queries.top_stories())
    assert [s.pk for s in top] == [A, E]  # four sources beat two
    assert [a.pk for a in top[0].articles.all()] == [A, B, C, D]


def test_coverage_groups_wire_copies_under_their_origin(stories: None) -> None:
    story = queries.get_story(A)
    assert story is not None
    groups = queries.coverage(story)
    assert [(g.wire_group, g.origin.pk, [c.pk for c in g.copies]) for g in groups] == [(A, A, [B, C]), (None, D, [])]
    assert [a.pk for a in queries.wire_copies(Article.objects.get(pk=B))] == [A, C]
    assert queries.wire_copies(Article.objects.get(pk=D)) == []


def test_related_articles_same_story_first_one_per_text(stories: None) -> None:
    related = queries.related_articles(Article.objects.get(pk=B))
    assert [(r.article.pk, r.reason) for r in related][:1] == [(D, "same story")]
    assert A not in [r.article.pk for r in related] and C not in [r.article.pk for r in related]  # same text
    assert all(r.article.story_id != B for r in related)


def test_unknown_story() -> None:
    assert queries.get_story("0" * 32) is None
