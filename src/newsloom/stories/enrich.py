"""What a story's page shows beyond its articles, computed from them: a cited summary, key points, how each source
covers it, hashtags. Pure reads and computation; stories/actions.py writes the result."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from newsloom.articles.models import Article
from newsloom.core.enrichment.compare import CompareDoc
from newsloom.core.enrichment.llm import LLMClient, LLMUnavailable, llm_answer, llm_summary
from newsloom.core.enrichment.story import StoryEnrichment, StoryInput, enrich_story
from newsloom.core.enrichment.summarize import CitedSentence, SourceDoc, answer
from newsloom.core.grouping.embed import Embedder

log = logging.getLogger(__name__)

MAX_ARTICLES = 40  # the most recent this many articles of a very large story are read
MAX_TEXT = 8000


@dataclass(frozen=True)
class StoredEnrichment:
    summary: list[dict[str, Any]]
    key_points: list[dict[str, Any]]
    comparison: dict[str, Any]
    hashtags: list[str]
    article_hashtags: dict[str, list[str]]


def _cited(sentence: CitedSentence, kind: str = "extractive") -> dict[str, Any]:
    return {"text": sentence.text, "article_id": sentence.article_id, "supporting": list(sentence.supporting),
            "kind": kind}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def story_articles(story_id: str) -> list[Article]:
    articles = (
        Article.objects.filter(story_id=story_id).exclude(status=Article.Status.PENDING).select_related("source")
        .order_by("-published_at", "pk")[:MAX_ARTICLES]
    )
    return sorted(articles, key=lambda a: (a.published_at is None, a.published_at, a.pk))


def source_docs(articles: Sequence[Article]) -> list[SourceDoc]:
    return [SourceDoc(a.pk, a.title, (a.text or a.summary)[:MAX_TEXT], a.source.name, a.published_at)
            for a in articles]


def llm_or_extractive(docs: Sequence[SourceDoc], extractive: Sequence[CitedSentence],
                      llm: LLMClient | None) -> list[dict[str, Any]]:
    """The LLM's summary when one is configured and every sentence checks out against its citations; else the
    extractive one."""
    if llm is not None and len(docs) > 1:
        try:
            return [_cited(s, "abstractive") for s in llm_summary(docs, llm)]
        except LLMUnavailable as exc:
            log.info("LLM summary not used: %s", exc)
    return [_cited(s) for s in extractive]


def ask(question: str, articles: Sequence[Article], *, embedder: Embedder | None = None,
        llm: LLMClient | None = None) -> list[dict[str, Any]]:
    """'Ask about this story': the LLM's checked answer when configured, else the best supporting sentences."""
    docs = source_docs(articles)
    if llm is not None:
        try:
            return [_cited(s, "abstractive") for s in llm_answer(question, docs, llm)]
        except LLMUnavailable as exc:
            log.info("LLM answer not used: %s", exc)
    return [_cited(s) for s in answer(question, docs, embedder=embedder)]


def story_input(articles: Sequence[Article]) -> StoryInput:
    return StoryInput(
        docs=tuple(source_docs(articles)),
        compare_docs=tuple(
            CompareDoc(a.pk, a.source.name, (a.text or a.summary)[:MAX_TEXT], a.title, a.published_at,
                       a.wire_group_id, author=a.author)
            for a in articles
        ),
        article_tags=tuple(tuple(a.hashtags or ()) for a in articles),
        languages=tuple(a.language or "" for a in articles),
    )


def compute_enrichment(articles: Sequence[Article], *, embedder: Embedder | None = None,
                       llm: LLMClient | None = None,
                       enricher: Callable[[StoryInput], StoryEnrichment] | None = None) -> StoredEnrichment:
    """The story's enrichment as it is stored; ``enricher`` runs ``enrich_story`` elsewhere (a CPU pool process), by
    default here with ``embedder``. The LLM, when configured, is asked from here."""
    story = story_input(articles)
    result = enricher(story) if enricher is not None else enrich_story(story, embedder=embedder)
    return StoredEnrichment(
        summary=llm_or_extractive(story.docs, result.summary.sentences, llm),
        key_points=[_cited(s) for s in result.summary.key_points],
        comparison=_jsonable(asdict(result.comparison)),
        hashtags=list(result.hashtags),
        article_hashtags=result.new_article_tags,
    )
