"""Reading stories: top stories, one story's coverage, related articles."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import BooleanField, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from newsloom import keyset
from newsloom.articles.models import Article
from newsloom.articles.queries import EXPORT_BATCH, iso, readable_articles
from newsloom.core.grouping.related import Candidate, related
from newsloom.keyset import Key
from newsloom.stories.models import Story

RELATED_WINDOW = timedelta(days=14)
RELATED_CANDIDATE_STORIES = 400
_TITLE_WORD = re.compile(r"\b[A-Z][\w'’-]{2,}(?:\s+[A-Z][\w'’-]{2,})*")
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "And",
        "Or",
        "But",
        "For",
        "With",
        "From",
        "After",
        "Before",
        "Over",
        "Under",
        "Into",
        "Amid",
        "As",
        "At",
        "By",
        "In",
        "Of",
        "On",
        "To",
        "Up",
        "New",
        "How",
        "Why",
        "What",
        "Who",
        "When",
        "Where",
        "Says",
        "Said",
        "Will",
        "More",
        "Than",
    ]
)


@dataclass(frozen=True)
class RelatedArticle:
    article: Article
    reason: str


@dataclass(frozen=True)
class WireCoverage:
    """One text and every outlet that ran it (a group of one for an outlet's own reporting)."""

    wire_group: str | None
    origin: Article
    copies: list[Article]


def top_stories() -> QuerySet[Story]:
    readable = Article.objects.exclude(status=Article.Status.PENDING).select_related("source")
    return (
        Story.objects.filter(article_count__gt=0)
        .order_by("-score", "-last_published", "pk")
        .prefetch_related(Prefetch("articles", queryset=readable.order_by("published_at", "pk")))
    )


def get_story(story_id: str) -> Story | None:
    return top_stories().filter(pk=story_id).first()


def coverage(story: Story) -> list[WireCoverage]:
    """The story's articles grouped by wire group, earliest text first; within a group the origin leads."""
    groups: dict[str, list[Article]] = {}
    for article in story.articles.all():
        groups.setdefault(article.wire_group_id or article.pk, []).append(article)
    out = []
    for key, members in groups.items():
        members.sort(key=lambda a: (a.published_at is None, a.published_at, a.pk))
        origin = next((a for a in members if a.pk == key), members[0])
        out.append(WireCoverage(key if len(members) > 1 else None, origin, [a for a in members if a is not origin]))
    out.sort(key=lambda g: (g.origin.published_at is None, g.origin.published_at, g.origin.pk))
    return out


def wire_copies(article: Article) -> list[Article]:
    """Other outlets carrying the same text as ``article``."""
    if not article.wire_group_id:
        return []
    return list(
        Article.objects.filter(wire_group_id=article.wire_group_id)
        .exclude(pk=article.pk)
        .exclude(status=Article.Status.PENDING)
        .select_related("source")
        .order_by("published_at", "pk")
    )


def _terms(title: str, hashtags: list[str] | None = None) -> frozenset[str]:
    names = {m.group(0) for m in _TITLE_WORD.finditer(title) if m.group(0) not in _NOT_NAMES}
    return frozenset(names | {tag.replace("-", " ") for tag in hashtags or []})


def _vector(data: bytes | memoryview | None) -> np.ndarray | None:
    return np.frombuffer(bytes(data), dtype=np.float32) if data else None


def _candidate(article: Article, vector: np.ndarray | None, hashtags: list[str] | None = None) -> Candidate:
    return Candidate(
        article_id=article.pk,
        story_id=article.story_id,
        wire_group=article.wire_group_id,
        source=str(article.source_id),
        published=article.published_at,
        vector=vector,
        terms=_terms(article.title, hashtags),
    )


def related_articles(article: Article, k: int = 6) -> list[RelatedArticle]:
    """Up to ``k`` related articles with a reason: the same story first, then the nearest other recent stories."""
    readable = Article.objects.exclude(status=Article.Status.PENDING).select_related("source")
    same = list(readable.filter(story_id=article.story_id).exclude(pk=article.pk)) if article.story_id else []
    story = Story.objects.filter(pk=article.story_id).first() if article.story_id else None
    target_vector = _vector(story.centroid) if story and story.centroid else _vector(article.vector)
    target = _candidate(article, target_vector, story.hashtags if story else None)

    since = (article.published_at or timezone.now()) - RELATED_WINDOW
    stories = list(
        Story.objects.filter(last_published__gte=since, article_count__gt=0)
        .exclude(pk=article.story_id or "")
        .exclude(centroid=None)
        .order_by("-last_published")[:RELATED_CANDIDATE_STORIES]
    )
    by_story = {s.pk: s for s in stories}
    representatives: dict[str, Article] = {}
    for candidate in readable.filter(story_id__in=list(by_story)).order_by("story_id", "-published_at", "pk"):
        representatives.setdefault(candidate.story_id or "", candidate)
    others = [
        _candidate(a, _vector(by_story[sid].centroid), by_story[sid].hashtags) for sid, a in representatives.items()
    ]
    loaded = {a.pk: a for a in same} | {a.pk: a for a in representatives.values()}
    picks = related(target, [_candidate(a, None) for a in same], others, now=timezone.now(), k=k)
    return [RelatedArticle(loaded[p.article_id], p.reason) for p in picks]


def iter_story_records() -> Iterator[dict[str, Any]]:
    """Every story with its articles, oldest first; an article not yet placed in a story is exported alone."""
    for story in Story.objects.order_by("first_published", "pk").iterator(chunk_size=EXPORT_BATCH):
        members = story.articles.select_related("source").order_by("published_at", "pk")
        yield {"id": story.pk, "title": story.title, "articles": [_story_member(a) for a in members]}
    for article in readable_articles().filter(story__isnull=True).order_by("published_at", "pk"):
        yield {"id": article.pk, "title": article.title, "articles": [_story_member(article)]}


def _story_member(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "url": article.canonical_url,
        "source": article.source.slug,
        "title": article.title,
        "published": iso(article.published_at),
        "wire_group": article.wire_group_id,
    }


# ------------------------------------------------------------------------------------------- lists for the JSON API

STORY_ORDERS: dict[str, tuple[Key, ...]] = {
    "rank": (Key("score", descending=True), Key("last_published", descending=True, nullable=True), Key("pk")),
    "latest": (Key("last_published", descending=True, nullable=True), Key("pk")),
}
MEMBER_FIELDS = ("id", "story_id", "title", "url", "canonical_url", "published_at", "lead_image", "wire_group_id",
                 "language", "status", "source__id", "source__name", "source__slug")
HASHTAG_POOL = 1000  # stories, best first, whose hashtags are counted


def with_hashtag(stories: QuerySet[Story], tag: str) -> QuerySet[Story]:
    """``stories`` whose hashtags hold ``tag`` exactly: JSON containment where the database has it, else SQLite's
    ``json_each``."""
    if connection.features.supports_json_field_contains:
        return stories.filter(hashtags__contains=[tag])
    table = connection.ops.quote_name(Story._meta.db_table)
    has = RawSQL(f"EXISTS (SELECT 1 FROM json_each({table}.hashtags) WHERE json_each.value = %s)", (tag,),
                 output_field=BooleanField())
    return stories.filter(has)


def story_listing(*, order: str = "rank", hashtag: str | None = None, source: str | None = None,
                  language: str | None = None, since: datetime | None = None, start: Sequence[Any] | None = None,
                  limit: int = 20) -> tuple[list[Story], tuple[Any, ...] | None]:
    """A page of stories with articles, best first (``rank``) or newest first (``latest``), after the key ``start``;
    and the key that continues it. ``source`` is a source's slug: stories it has an article in."""
    stories = Story.objects.filter(article_count__gt=0).defer("centroid", "comparison", "key_points")
    if hashtag:
        stories = with_hashtag(stories, hashtag)
    if source:
        stories = stories.filter(pk__in=Article.objects.filter(source__slug=source, story__isnull=False)
                                 .exclude(status=Article.Status.PENDING).values("story_id"))
    if language:
        stories = stories.filter(language=language)
    if since:
        stories = stories.filter(last_published__gte=since)
    return keyset.page(stories, STORY_ORDERS[order], start, limit)


def story_members(story_ids: Sequence[str]) -> dict[str, list[Article]]:
    """The readable articles of each story (only the fields a list shows), oldest first: one query for all."""
    rows = (Article.objects.filter(story_id__in=list(story_ids)).exclude(status=Article.Status.PENDING)
            .select_related("source").only(*MEMBER_FIELDS).order_by("published_at", "pk"))
    out: dict[str, list[Article]] = {}
    for article in rows:
        out.setdefault(article.story_id or "", []).append(article)
    return out


def story_detail(story_id: str) -> Story | None:
    """One story with its readable articles prefetched (without their texts), for ``coverage``."""
    members = (Article.objects.exclude(status=Article.Status.PENDING).select_related("source")
               .only(*MEMBER_FIELDS).order_by("published_at", "pk"))
    return (Story.objects.filter(pk=story_id, article_count__gt=0).defer("centroid")
            .prefetch_related(Prefetch("articles", queryset=members)).first())


def hashtag_counts() -> list[tuple[str, int]]:
    """The hashtags of the best ``HASHTAG_POOL`` stories, each with how many of them carry it, commonest first."""
    pool = (Story.objects.filter(article_count__gt=0).order_by("-score", "-last_published", "pk")
            .values_list("hashtags", flat=True)[:HASHTAG_POOL])
    counts: Counter[str] = Counter()
    for tags in pool:
        if isinstance(tags, list):
            counts.update({t for t in tags if isinstance(t, str) and t})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
