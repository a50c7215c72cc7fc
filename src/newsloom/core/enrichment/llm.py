"""Optional abstractive text from an OpenAI-compatible endpoint, trusted only as far as its citations check out.

The model sees the story's articles as numbered passages and must end every sentence with citations like ``[2]`` or
``[1][3]``. Each sentence is then checked against the passages it cites: its content words must mostly occur there
and every number it states must occur there. One unsupported or uncited sentence rejects the whole answer, and the
caller falls back to the extractive summary; so does an endpoint that is down, slow or answers nonsense.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from newsloom.core.enrichment.summarize import CitedSentence, SourceDoc
from newsloom.core.text import split_sentences, tokens

PASSAGE_CHARS = 1500
MIN_SUPPORT = 0.7  # share of a sentence's content words found in its cited passages
_CITATION = re.compile(r"\s*\[(\d+)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_STOP_WORDS = (
    "a an the and or but of to in on at by for with from as is are was were be been has have had it its this that "
    "these those their there they he she his her we our you your not no will would could should may might said says "
    "also after before over under about into than more most less least very just which who whom whose what when "
    "where while during per"
)
_STOP = frozenset(_STOP_WORDS.split())


class LLMUnavailable(Exception):
    """The endpoint failed, timed out or answered something unusable."""


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0


class LLMClient:
    def __init__(self, config: LLMConfig, *, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._client = httpx.Client(timeout=config.timeout, headers=headers, transport=transport)

    @property
    def endpoint(self) -> str:
        url = self.config.url.rstrip("/")
        return url if url.endswith("/chat/completions") else url + "/chat/completions"

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int = 500) -> str:
        payload = {"model": self.config.model, "messages": messages, "temperature": 0.2, "max_tokens": max_tokens}
        try:
            response = self._client.post(self.endpoint, json=payload)
            response.raise_for_status()
            body: Any = response.json()
            content = body["choices"][0]["message"]["content"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMUnavailable(f"the language model endpoint failed: {exc}") from exc
        if not isinstance(content, str) or not content.strip():
            raise LLMUnavailable("the language model returned no text")
        return content

    def close(self) -> None:
        self._client.close()


def _passages(docs: Sequence[SourceDoc]) -> str:
    return "\n\n".join(
        f"[{i}] {doc.source}: {doc.title}\n{doc.text[:PASSAGE_CHARS]}" for i, doc in enumerate(docs, start=1)
    )


def _content_words(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in _STOP and not t.isdigit() and len(t) > 2]


def supported(sentence: str, passages: Sequence[str]) -> bool:
    """Is every number of ``sentence`` in the cited passages, and are most of its content words?"""
    evidence = " ".join(passages)
    evidence_words = set(tokens(evidence))
    if any(n not in evidence for n in _NUMBER.findall(sentence)):
        return False
    words = _content_words(sentence)
    if not words:
        return False
    return sum(w in evidence_words for w in words) / len(words) >= MIN_SUPPORT


def parse_cited(answer: str, docs: Sequence[SourceDoc]) -> tuple[CitedSentence, ...] | None:
    """The answer's sentences with their citations, or None if any sentence is uncited or unsupported."""
    out = []
    for raw in split_sentences(" ".join(answer.split())):
        cited = [int(n) for n in _CITATION.findall(raw)]
        text = _CITATION.sub("", raw).strip()
        if not text:
            continue
        valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(docs)]
        if not valid:
            return None
        chosen = [docs[n - 1] for n in valid]
        if not supported(text, [f"{d.title}. {d.text}" for d in chosen]):
            return None
        out.append(CitedSentence(text, chosen[0].id, tuple(d.id for d in chosen[1:])))
    return tuple(out) or None


SUMMARY_PROMPT = (
    "You write neutral news summaries. Using ONLY the numbered passages below, write {n} short sentences that "
    "summarise the story for a general reader. End every sentence with the numbers of the passages that support it, "
    "like [1] or [2][3]. Do not add facts, opinions or numbers that are not in the cited passages.\n\n{passages}"
)
ANSWER_PROMPT = (
    "Answer the question using ONLY the numbered passages below, in at most three sentences. End every sentence "
    "with the numbers of the passages that support it, like [1] or [2][3]. If the passages do not answer it, say "
    "so in one sentence citing nothing.\n\nQuestion: {question}\n\n{passages}"
)


def llm_summary(docs: Sequence[SourceDoc], client: LLMClient, *, sentences: int = 4) -> tuple[CitedSentence, ...]:
    """An abstractive summary whose every sentence is cited and checked; raises LLMUnavailable otherwise."""
    prompt = SUMMARY_PROMPT.format(n=sentences, passages=_passages(docs))
    cited = parse_cited(client.chat([{"role": "user", "content": prompt}]), docs)
    if cited is None:
        raise LLMUnavailable("the model's summary had a sentence its citations do not support")
    return cited


def llm_answer(question: str, docs: Sequence[SourceDoc], client: LLMClient) -> tuple[CitedSentence, ...]:
    prompt = ANSWER_PROMPT.format(question=question.strip()[:500], passages=_passages(docs))
    cited = parse_cited(client.chat([{"role": "user", "content": prompt}]), docs)
    if cited is None:
        raise LLMUnavailable("the model's answer had a sentence its citations do not support")
    return cited
