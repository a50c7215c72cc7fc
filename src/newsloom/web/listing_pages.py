"""The pages that list stories or articles: top stories as cards with hashtag sections, a hashtag's stories, a
source's articles, and search results with wire copies folded.

Views stay thin: each page's view calls one function here (or in ``article_page``, ``story_page``) and renders the
result. Every function keeps its query count small and fixed (no per-story or per-article queries); the tests hold
them to it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Substr

from newsloom.articles.models import Article
from newsloom.sources.models import Source
from newsloom.stories.models import Story
from newsloom.web.links import http_url
from newsloom.web.page_parts import Sentence, cited_sentences, distinct_sources, hashtags_of, lead_sentences

PAGE_SIZE = 20
SOURCE_PAGE_SIZE = 30
CARD_SOURCES = 3  # source names shown on a card before "and N more"
HEAD_CHARS = 600  # of the lead article's text, for the fallback summary
CARD_WORDS = 45  # a card shows its summary's first sentence, and the second while both stay within this
SECTION_POOL = 300  # top stories scanned for hashtag sections
SECTIONS = 6
SECTION_STORIES = 4
HASHTAG_POOL = 1000
CARD_ARTICLE_FIELDS = ("id", "story_id", "title", "published_at", "lead_image", "wire_group_id", "status",
                       "source__id", "source__name", "source__slug")


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
        image_from = next((a for a in members if http_url(a.lead_image)), None)
        cards.append(StoryCard(story, card_sentences(summary), distinct_sources(members), image_from))
    return cards


def card_sentences(summary: list[Sentence]) -> list[Sentence]:
    """One or two sentences for a card: the first, and the second only if the two stay short."""
    if len(summary) < 2:
        return summary
    words = len(summary[0].text.split()) + len(summary[1].text.split())
    return summary[:2] if words <= CARD_WORDS else summary[:1]


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
