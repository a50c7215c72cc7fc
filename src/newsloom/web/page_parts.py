"""Pieces several reader pages share: the stored cited sentences (summaries, key points) with the articles they cite,
a text's lead sentences, a story's hashtags, and the distinct sources of a list of articles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsloom.articles.models import Article
from newsloom.core.text import split_sentences
from newsloom.sources.models import Source
from newsloom.stories.models import Story

FALLBACK_SENTENCES = 2


@dataclass(frozen=True)
class Sentence:
    """One summary sentence or key point and the article it cites (None when uncited)."""

    text: str
    article_id: str | None = None
    article: Article | None = None


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


def distinct_sources(articles: Iterable[Article]) -> list[Source]:
    seen: dict[int, Source] = {}
    for article in articles:
        seen.setdefault(article.source_id, article.source)
    return list(seen.values())
