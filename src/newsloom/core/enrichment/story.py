"""Everything a story's enrichment computes from its articles' text, as a pure function of plain data.

``enrich_story`` is what stories/enrich.py runs (and bench/summarize.py measures): the cited extractive summary and
key points, the comparison of how each source covers the story, and its hashtags. Its input and output are plain,
picklable values, so an extraction process can run it while the queue worker that asked only reads and writes the
database: enriching stories then uses every core instead of holding the queue process's interpreter lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsloom.core.enrichment.compare import CompareDoc, Comparison, compare
from newsloom.core.enrichment.summarize import SourceDoc, StorySummary, summarize
from newsloom.core.grouping.embed import Embedder
from newsloom.core.language.hashtags import hashtags, story_hashtags_from_articles


@dataclass(frozen=True)
class StoryInput:
    docs: tuple[SourceDoc, ...]  # for the summary
    compare_docs: tuple[CompareDoc, ...]  # the same articles, for the comparison
    article_tags: tuple[tuple[str, ...], ...]  # each article's own hashtags; empty: compute them here
    languages: tuple[str, ...]  # each article's language ("" if unknown)

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({doc.source for doc in self.docs}))


@dataclass(frozen=True)
class StoryEnrichment:
    summary: StorySummary
    comparison: Comparison
    hashtags: tuple[str, ...]
    new_article_tags: dict[str, list[str]]  # article id -> hashtags computed here (those it had are kept)


def enrich_story(story: StoryInput, *, embedder: Embedder | None = None) -> StoryEnrichment:
    outlets = story.outlets
    language = next((lang for lang in story.languages if lang), "en")
    new_tags = {  # ingestion tags each article it extracts; this covers the rest (feed content only, older rows)
        doc.id: hashtags(doc.title, doc.text, language=lang or language, exclude=outlets)
        for doc, tags, lang in zip(story.docs, story.article_tags, story.languages, strict=True) if not tags
    }
    tag_lists = [new_tags.get(doc.id) or list(tags) for doc, tags in zip(story.docs, story.article_tags, strict=True)]
    return StoryEnrichment(
        summary=summarize(story.docs, embedder=embedder),
        comparison=compare(story.compare_docs),
        hashtags=tuple(story_hashtags_from_articles(tag_lists, exclude=outlets)),
        new_article_tags=new_tags,
    )
