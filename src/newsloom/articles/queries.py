"""Reading articles: pages, exports and pipeline state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from newsloom.articles.models import Article

EXPORT_BATCH = 500


def status_counts() -> dict[str, int]:
    rows = Article.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def stories_still_growing(within: timedelta) -> bool:
    """Whether articles are on their way into stories: recorded within ``within`` and not yet tried (queued, or
    being fetched right now), or stored and not yet placed in a story (the next story pass will). One waiting for a
    retry (``attempts`` > 0: a rate limit, a server error) does not count: its retry may be minutes or hours away."""
    since = timezone.now() - within
    pending = Article.Status.PENDING
    return Article.objects.filter(
        Q(status=pending, attempts=0, updated_at__gte=since) | (Q(clustered_at__isnull=True) & ~Q(status=pending))
    ).exists()


def readable_articles() -> QuerySet[Article]:
    """Articles a reader may see: everything that is no longer waiting for its page."""
    return (
        Article.objects.exclude(status=Article.Status.PENDING)
        .select_related("source")
        .order_by("-published_at", "pk")
    )


def get_article(article_id: str) -> Article | None:
    return readable_articles().filter(pk=article_id).first()


def iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def article_record(article: Article) -> dict[str, Any]:
    """Every stored field of an article, in the export's names."""
    return {
        "id": article.pk,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source.slug,
        "source_name": article.source.name,
        "feed": article.feed.url if article.feed else None,
        "guid": article.guid,
        "title": article.title,
        "author": article.author or None,
        "published": iso(article.published_at),
        "feed_published": iso(article.feed_published_at),
        "fetched": iso(article.fetched_at),
        "language": article.language or None,
        "summary": article.summary,
        "text": article.text,
        "html": article.html,
        "feed_html": article.feed_html,
        "site_name": article.site_name or None,
        "lead_image": article.lead_image or None,
        "word_count": article.word_count,
        "content_hash": article.content_hash or None,
        "status": article.status,
        "error_code": article.error_code or None,
        "error": article.error or None,
        "attempts": article.attempts,
        "created": iso(article.created_at),
        "updated": iso(article.updated_at),
        "wire_group": article.wire_group_id,
        "story": article.story_id,
    }


def iter_article_records() -> Iterator[dict[str, Any]]:
    articles = Article.objects.select_related("source", "feed").order_by("published_at", "pk")
    for article in articles.iterator(chunk_size=EXPORT_BATCH):
        yield article_record(article)


def article_detail(article_id: str) -> Article | None:
    """A readable article with its source, without the pipeline's own columns (vectors, signatures)."""
    return readable_articles().defer("vector", "signature", "feed_html").filter(pk=article_id).first()
