"""Answering a reader's question about one story (read-only: nothing is stored)."""

from __future__ import annotations

from typing import Any

from newsloom.core.enrichment.llm import LLMClient
from newsloom.core.grouping.embed import Embedder
from newsloom.stories.enrich import ask, story_articles

MAX_QUESTION = 300


def clean_question(text: str) -> str:
    """A reader's question as it is answered and shown: whitespace folded, at most ``MAX_QUESTION`` characters."""
    return " ".join(text.split())[:MAX_QUESTION]


def ask_story(story_id: str, question: str, *, embedder: Embedder | None = None,
              llm: LLMClient | None = None) -> list[dict[str, Any]]:
    """Cited sentences answering ``question`` from the story's articles; [] for an empty question or story."""
    question = clean_question(question)
    articles = story_articles(story_id)
    if not question or not articles:
        return []
    return ask(question, articles, embedder=embedder, llm=llm)
