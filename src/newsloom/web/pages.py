"""Read-only context for the reader's pages: stories as cards, hashtag sections, a story's full coverage.

Views stay thin: each page's view calls one function here and renders the result. Every function keeps its query
count small and fixed (no per-story or per-article queries); the tests hold them to it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Substr

from newsloom.articles.models import Article
from newsloom.community import queries as community_queries
from newsloom.community.queries import Thread
from newsloom.core.text import split_sentences
from newsloom.sources.models import Source
from newsloom.stories.models import Story
from newsloom.stories.queries import WireCoverage, coverage, get_story

PAGE_SIZE = 20
SOURCE_PAGE_SIZE = 30
CARD_SOURCES = 3  # source names shown on a card before "and N more"
FALLBACK_SENTENCES = 2
HEAD_CHARS = 600  # of the lead article's text, for the fallback summary
SECTION_POOL = 300  # top stories scanned for hashtag sections
SECTIONS = 6
SECTION_STORIES = 4
HASHTAG_POOL = 1000
Disagreement = tuple[str, list[tuple[str, str]]]  # a quantity and each (value, the sources reporting it)
CARD_ARTICLE_FIELDS = ("id", "story_id", "title", "published_at", "lead_image", "wire_group_id", "status",
                       "source__id", "source__name", "source__slug")


@dataclass(frozen=True)
class Sentence:
    """One summary sentence or key point and the article it cites (None when uncited)."""

    text: str
    article_id: str | None = None
    article: Article | None = None


@dataclass
class StoryCard:
    story: Story
    summary: list[Sentence]
    sources: list[Source]
    lead: Article | None

    @property
    def named_sources(self) -> list[Source]:
        return self.sources[:CARD_SOURCES]

    @property
    def more_sources(self) -> int:
        return max(0, len(self.sources) - CARD_SOURCES)

    @property
    def image(self) -> str:
        return self.lead.lead_image if self.lead else ""


@dataclass
class Section:
    tag: str
    stories: list[Story]


@dataclass
class SourceInfo:
    source: Source
    articles: int
    wire_copies: int


@dataclass
class StoryPage:
    story: Story
    summary: list[Sentence]
    key_points: list[Sentence]
    groups: list[WireCoverage]
    timeline: list[Article]
    sources: list[SourceInfo]
    comparison: Comparison | None
    lead: Article | None
    comments: Thread


@dataclass
class Comparison:
    """The story's source comparison as a matrix: one row per fact, one column per source."""

    sources: list[str]
    rows: list[tuple[str, str, list[bool]]]  # (kind, text, reported by each source)
    disagreements: list[Disagreement] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------- summaries

def cited_sentences(items: Any) -> list[Sentence]:
    """``Story.summary`` / ``Story.key_points``: a list of ``{"text", "article_id", ...}`` (or plain strings)."""
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str) and item.strip():
            out.append(Sentence(item.strip()))
        elif isinstance(item, dict) and str(item.get("text") or "").strip():
            aid = item.get("article_id")
            out.append(Sentence(str(item["text"]).strip(), str(aid) if aid else None))
        # anything else is not ours to render
    return out


def lead_sentences(text: str, title: str = "", n: int = FALLBACK_SENTENCES) -> list[str]:
    """The first ``n`` sentences of an article, skipping a first line that only repeats the headline."""
    sentences = [s for s in split_sentences(text) if s.strip() != title.strip()]
    return sentences[:n]


def attach_articles(sentences: list[Sentence], articles: dict[str, Article]) -> list[Sentence]:
    return [Sentence(s.text, s.article_id, articles.get(s.article_id or "")) for s in sentences]


def hashtags_of(story: Story | None) -> list[str]:
    tags = story.hashtags if story is not None and isinstance(story.hashtags, list) else []
    return [str(t) for t in tags if isinstance(t, str) and t]


# -------------------------------------------------------------------------------------------------------------- cards

def _story_list() -> QuerySet[Story]:
    return Story.objects.filter(article_count__gt=0).defer("centroid", "comparison").order_by(
        "-score", "-last_published", "pk"
    )


def story_cards(stories: Sequence[Story]) -> list[StoryCard]:
    """Cards for ``stories`` in two queries' worth of data: one for all their readable articles (with a short head of
    each text for stories not yet summarized)."""
    ids = [s.pk for s in stories]
    articles = (
        Article.objects.filter(story_id__in=ids)
        .exclude(status=Article.Status.PENDING)
        .select_related("source")
        .only(*CARD_ARTICLE_FIELDS)
        .annotate(head=Substr("text", 1, HEAD_CHARS))
        .order_by("published_at", "pk")
    )
    by_story: dict[str, list[Article]] = {}
    for article in articles:
        by_story.setdefault(article.story_id or "", []).append(article)
    cards = []
    for story in stories:
        members = by_story.get(story.pk, [])
        summary = cited_sentences(story.summary)
        lead = next((a for a in members if a.pk == story.pk), members[0] if members else None)
        if not summary and lead is not None:
            summary = [Sentence(s, lead.pk) for s in lead_sentences(getattr(lead, "head", ""), lead.title)]
        image_from = next((a for a in members if a.lead_image), None)
        cards.append(StoryCard(story, summary, _distinct_sources(members), image_from))
    return cards


def _distinct_sources(articles: Iterable[Article]) -> list[Source]:
    seen: dict[int, Source] = {}
    for article in articles:
        seen.setdefault(article.source_id, article.source)
    return list(seen.values())


def home_page(page_number: str | None) -> tuple[Page[Story], list[StoryCard]]:
    page = Paginator(_story_list(), PAGE_SIZE).get_page(page_number)
    return page, story_cards(list(page.object_list))


def hashtag_sections(exclude: Iterable[str] = ()) -> list[Section]:
    """The most common hashtags among the top stories, each with its best stories (excluding ``exclude``)."""
    skip = set(exclude)
    pool = list(
        Story.objects.filter(article_count__gt=0)
        .only("id", "title", "hashtags", "source_count", "last_published", "score")
        .order_by("-score", "-last_published", "pk")[:SECTION_POOL]
    )
    counts = Counter(tag for story in pool for tag in set(hashtags_of(story)))
    sections: list[Section] = []
    for tag, n in counts.most_common():
        if n < 2 and len(sections) >= 2:
            break
        members = [s for s in pool if tag in hashtags_of(s) and s.pk not in skip][:SECTION_STORIES]
        if members:
            sections.append(Section(tag, members))
        if len(sections) == SECTIONS:
            break
    return sections


# ----------------------------------------------------------------------------------------------------- hashtag, source

def stories_with_hashtag(tag: str) -> list[Story]:
    """Stories whose hashtags contain ``tag``, best first (JSON containment where the database has it, else a
    narrowing text match checked exactly)."""
    stories = _story_list()
    if connection.features.supports_json_field_contains:
        return list(stories.filter(hashtags__contains=[tag])[:HASHTAG_POOL])
    # the column holds the list as json.dumps wrote it, non-ASCII letters as \u escapes: match that spelling
    narrowed = stories.filter(hashtags__icontains=json.dumps(tag))[:HASHTAG_POOL]
    return [s for s in narrowed if tag in hashtags_of(s)]


def hashtag_page(tag: str, page_number: str | None) -> tuple[Page[Story], list[StoryCard]]:
    page = Paginator(stories_with_hashtag(tag), PAGE_SIZE).get_page(page_number)
    return page, story_cards(list(page.object_list))


def source_page(source: Source, page_number: str | None) -> Page[Article]:
    articles = (
        Article.objects.filter(source=source)
        .exclude(status=Article.Status.PENDING)
        .select_related("source")
        .only(*CARD_ARTICLE_FIELDS, "summary")
        .annotate(head=Substr("text", 1, HEAD_CHARS), story_size=F("story__article_count"))
        .order_by("-published_at", "pk")
    )
    page = Paginator(articles, SOURCE_PAGE_SIZE).get_page(page_number)
    for article in page.object_list:
        article.blurb = " ".join(lead_sentences(article.summary or getattr(article, "head", ""), article.title, 1))
    return page


def fold_wire_copies(hits: Sequence[Any]) -> list[tuple[Any, list[Article]]]:
    """Search hits with wire copies of an earlier hit's text folded into it: one result per text, and its outlets."""
    out: list[tuple[Any, list[Article]]] = []
    first: dict[str, list[Article]] = {}
    for hit in hits:
        group = hit.article.wire_group_id
        if group and group in first:
            first[group].append(hit.article)
            continue
        others: list[Article] = []
        if group:
            first[group] = others
        out.append((hit, others))
    return out


# -------------------------------------------------------------------------------------------------------------- story

def story_page(story_id: str) -> StoryPage | None:
    story = get_story(story_id)
    if story is None:
        return None
    members = list(story.articles.all())
    by_id = {a.pk: a for a in members}
    summary = attach_articles(cited_sentences(story.summary), by_id)
    lead = by_id.get(story.pk) or (members[0] if members else None)
    if not summary and lead is not None:
        summary = [Sentence(s, lead.pk, lead) for s in lead_sentences(lead.text or lead.summary, lead.title, 3)]
    groups = coverage(story)
    copies = {a.pk for g in groups for a in g.copies}
    counts: dict[int, list[int]] = {}
    for article in members:
        tally = counts.setdefault(article.source_id, [0, 0])
        tally[0] += 1
        tally[1] += article.pk in copies
    sources = [SourceInfo(s, *counts[s.pk]) for s in _distinct_sources(members)]
    sources.sort(key=lambda info: info.source.name.lower())
    timeline = sorted(members, key=lambda a: (a.published_at is None, a.published_at, a.pk))
    names = {str(s.source.pk): s.source.name for s in sources} | {s.source.slug: s.source.name for s in sources}
    return StoryPage(
        story=story,
        summary=summary,
        key_points=attach_articles(cited_sentences(story.key_points), by_id),
        groups=groups,
        timeline=timeline,
        sources=sources,
        comparison=comparison_matrix(story.comparison, names),
        lead=next((a for a in timeline if a.lead_image), None),
        comments=community_queries.story_thread(story.pk),
    )


def comparison_matrix(data: Any, names: dict[str, str] | None = None) -> Comparison | None:
    """``Story.comparison`` as a matrix when it has "facts" and "sources"; None otherwise (the page omits it)."""
    if not isinstance(data, dict) or not data.get("facts") or not data.get("sources"):
        return None
    names = names or {}
    columns: list[str] = []
    for entry in data["sources"]:
        key = entry.get("source") if isinstance(entry, dict) else entry
        if key is not None and str(key) not in columns:
            columns.append(str(key))
    rows = []
    for fact in data["facts"]:
        if not isinstance(fact, dict):
            continue
        reported = {str(s) for s in fact.get("sources") or []}
        rows.append((str(fact.get("kind") or ""), _fact_text(fact), [c in reported for c in columns]))
    if not rows or not columns:
        return None
    return Comparison([names.get(c, c) for c in columns], rows, disagreements_of(data, names))


def disagreements_of(data: dict[str, Any], names: dict[str, str] | None = None) -> list[Disagreement]:
    """``Story.comparison``'s disagreements as (quantity, [(value, sources reporting it)]); malformed items skipped."""
    names = names or {}
    out = []
    for item in data.get("disagreements") or []:
        if isinstance(item, dict) and item.get("values"):
            values = [(str(v[0]), ", ".join(names.get(str(s), str(s)) for s in v[1]))
                      for v in item["values"] if isinstance(v, list | tuple) and len(v) == 2]
            if values:
                out.append((str(item.get("quantity") or ""), values))
    return out


def _fact_text(fact: dict[str, Any]) -> str:
    label, value = str(fact.get("label") or ""), fact.get("value")
    if fact.get("kind") == "quote" and value:
        return f"{label}: “{value}”"
    if fact.get("kind") == "number" and value:
        return f"{label}: {value}"
    return label or str(value or "")
