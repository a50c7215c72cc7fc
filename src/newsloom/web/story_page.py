"""The story page: full coverage grouped by wire group, timeline, sources, the comparison matrix and the thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsloom.articles.models import Article
from newsloom.community import queries as community_queries
from newsloom.community.queries import Thread
from newsloom.sources.models import Source
from newsloom.stories.models import Story
from newsloom.stories.queries import WireCoverage, coverage, get_story
from newsloom.web.links import http_url
from newsloom.web.page_parts import Sentence, attach_articles, cited_sentences, distinct_sources, lead_sentences

Disagreement = tuple[str, list[tuple[str, str]]]  # a quantity and each (value, the sources reporting it)


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


def story_page(story_id: str, comments: dict[str, Any] | None = None) -> StoryPage | None:
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
    sources = [SourceInfo(s, *counts[s.pk]) for s in distinct_sources(members)]
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
        lead=next((a for a in timeline if http_url(a.lead_image)), None),
        comments=community_queries.story_thread(story.pk, **(comments or {})),
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
            values = [
                (str(v[0]), ", ".join(names.get(str(s), str(s)) for s in v[1]))
                for v in item["values"]
                if isinstance(v, list | tuple) and len(v) == 2
            ]
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
