"""Small hand-made data for the edge cases the demo does not have (no enrichment, feed-only articles, empty site)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.sources.actions import ensure_source
from newsloom.stories.models import Story


def make_article(aid: str, title: str, *, days: float = 0, status: str = "ok",
                 source: str = "Loom Herald", **fields: object) -> Article:
    slug = source.lower().replace(" ", "-")
    src = ensure_source(source, homepage=f"https://{slug}.example/")
    defaults: dict[str, object] = {
        "url": f"https://{slug}.example/{aid}", "canonical_url": f"https://{slug}.example/{aid}",
        "title": title, "text": "First paragraph.\n\nSecond paragraph.",
        "html": "<p>First paragraph.</p><p>Second paragraph.</p>",
        "published_at": timezone.now() - timedelta(days=days), "status": status,
    }
    defaults.update(fields)
    return Article.objects.create(id=aid, source=src, **defaults)


def make_story(articles: list[Article], *, score: float = 1.0, **fields: Any) -> Story:
    """A story over ``articles`` (the first is its lead), with aggregates as the clusterer would set them."""
    published = [a.published_at for a in articles if a.published_at]
    story = Story.objects.create(
        id=articles[0].pk, title=fields.pop("title", articles[0].title), score=score,
        article_count=len(articles), source_count=len({a.source_id for a in articles}),
        first_published=min(published), last_published=max(published), **fields,
    )
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story)
    return story
