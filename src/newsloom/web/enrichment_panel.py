"""'Ask about this story' and 'how sources differ': the interactive parts of the AI panel.

Answers are extractive and cited (or the LLM's checked answer when one is configured); nothing is stored. Each client
may ask ``ASK_RATE`` questions per minute, so a script cannot turn the endpoint into a free summarisation service.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from newsloom import runtime
from newsloom.articles.models import Article
from newsloom.stories.ask import ask_story
from newsloom.web.page_parts import Sentence, attach_articles, cited_sentences
from newsloom.web.story_page import Disagreement, disagreements_of

ASK_RATE = 20  # questions per client per minute
MAX_EXCLUSIVE_SOURCES = 6


@dataclass
class SourceDifference:
    source: str
    only_here: list[str]


@dataclass
class Differences:
    """The comparison told per source: who alone reports what, where figures disagree."""

    sources: list[SourceDifference]
    disagreements: list[Disagreement]

    def __bool__(self) -> bool:
        return bool(self.disagreements or self.sources)


def differences(data: Any) -> Differences | None:
    """``Story.comparison`` reduced to what a reader of one article wants to know; None when there is nothing."""
    if not isinstance(data, dict):
        return None
    sources = []
    for entry in data.get("sources") or []:
        if not isinstance(entry, dict) or not entry.get("source"):
            continue
        only = [str(f) for f in entry.get("exclusive_facts") or [] if isinstance(f, str) and f]
        if only:
            sources.append(SourceDifference(str(entry["source"]), only))
    found = Differences(sources[:MAX_EXCLUSIVE_SOURCES], disagreements_of(data))
    return found if found else None


def client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def allow_question(request: HttpRequest) -> bool:
    """A fixed one-minute window per client in the shared cache (so replicas behind a balancer share it)."""
    key = f"newsloom:ask:{client_key(request)}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        return cache.incr(key) <= ASK_RATE
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=70)
        return True


def answer_question(story_id: str, question: str) -> list[Sentence]:
    """The cited answer, each sentence with its article attached for the citation link."""
    sentences = cited_sentences(ask_story(story_id, question, embedder=runtime.embedder(), llm=runtime.llm()))
    ids = {s.article_id for s in sentences if s.article_id}
    cited = Article.objects.filter(pk__in=ids).select_related("source").only(
        "id", "title", "source__name", "source__slug") if ids else []
    return attach_articles(sentences, {a.pk: a for a in cited})
