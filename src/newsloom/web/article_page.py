"""Read-only context for an article's page: its story's AI panel, wire copies, related articles, comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.core.cache import caches

from newsloom.articles import queries as article_queries
from newsloom.articles.models import Article
from newsloom.community import queries as community_queries
from newsloom.community.queries import Thread
from newsloom.stories import queries as story_queries
from newsloom.stories.models import ClusterState, Story
from newsloom.stories.queries import RelatedArticle
from newsloom.web.enrichment_panel import Differences, differences
from newsloom.web.page_parts import Sentence, attach_articles, cited_sentences, hashtags_of

RELATED = 6
RELATED_TTL = 600  # seconds; the key also carries the clusterer's version, so a new pass invalidates it
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


@dataclass
class WireInfo:
    """This text is one of several outlets' copies of the same agency text."""

    is_copy: bool
    origin: Article | None  # the earliest copy, when this is not it
    others: list[Article]  # every other outlet carrying it


@dataclass
class ArticlePage:
    article: Article
    story: Story | None
    summary: list[Sentence]
    key_points: list[Sentence]
    hashtags: list[str]
    differences: Differences | None
    wire: WireInfo | None
    related: list[RelatedArticle]
    image_alt: str
    comments: Thread


def article_page(article_id: str, comments: dict[str, Any] | None = None) -> ArticlePage | None:
    """``comments``: options of the thread (``community.queries.build_thread``: order, viewer)."""
    article = article_queries.get_article(article_id)
    if article is None:
        return None
    story = (
        Story.objects.filter(pk=article.story_id)
        .only(
            "id",
            "title",
            "summary",
            "key_points",
            "hashtags",
            "source_count",
            "article_count",
            "comparison",
            "last_published",
            "changed_at",
            "enriched_at",
        )
        .first()
        if article.story_id
        else None
    )
    summary = cited_sentences(story.summary) if story else []
    key_points = cited_sentences(story.key_points) if story else []
    cited_ids = {s.article_id for s in summary + key_points if s.article_id}
    cited = (
        {
            a.pk: a
            for a in Article.objects.filter(pk__in=cited_ids)
            .select_related("source")
            .only("id", "title", "source__name", "source__slug")
        }
        if cited_ids
        else {}
    )
    return ArticlePage(
        article=article,
        story=story,
        summary=attach_articles(summary, cited),
        key_points=attach_articles(key_points, cited),
        hashtags=hashtags_of(story),
        differences=differences(story.comparison) if story and story.source_count > 1 else None,
        wire=wire_info(article),
        related=related(article),
        image_alt=lead_image_alt(article),
        comments=community_queries.article_thread(article.pk, **(comments or {})),
    )


def wire_info(article: Article) -> WireInfo | None:
    if not article.wire_group_id:
        return None
    copies = story_queries.wire_copies(article)
    if not copies:
        return None
    is_copy = article.pk != article.wire_group_id
    origin = next((a for a in copies if a.pk == article.wire_group_id), None) if is_copy else None
    return WireInfo(is_copy=is_copy, origin=origin, others=copies)


def related(article: Article) -> list[RelatedArticle]:
    """``related_articles`` remembered per clustering pass: the ranking only changes when stories do."""
    version = ClusterState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    key = f"newsloom:related:{article.pk}:{version}"
    cache = caches["pages"]
    picks: list[tuple[str, str]] | None = cache.get(key)
    if picks is None:
        found = story_queries.related_articles(article, k=RELATED)
        cache.set(key, [(r.article.pk, r.reason) for r in found], RELATED_TTL)
        return found
    loaded = (
        article_queries.readable_articles()
        .filter(pk__in=[aid for aid, _ in picks])
        .defer("text", "html", "feed_html", "signature", "vector")
        .in_bulk()
    )
    return [RelatedArticle(loaded[aid], reason) for aid, reason in picks if aid in loaded]


def lead_image_alt(article: Article) -> str:
    """The lead image's own alt text when the body carries the same image, else a description from the headline."""
    for tag in _IMG.findall(article.html or ""):
        attrs = {m.group(1).lower(): unescape(m.group(2) or m.group(3) or "") for m in _ATTR.finditer(tag)}
        if attrs.get("src") == article.lead_image and attrs.get("alt", "").strip():
            return attrs["alt"].strip()
    return article.title
