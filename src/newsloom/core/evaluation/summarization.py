"""Story-summary evaluation on NeuS (AllSides left/centre/right triplets), scored as the dataset README describes.

Each NeuS story is three AllSides snippets (``TITLE=> <headline>. ARTICLE=> <lead>`` joined by `` [SEP] ``) with the
AllSides editors' neutral headline and roundup as the reference. Scoring follows the README: rouge-score's F1 with
Porter stemming, the ``TITLE=>``/``TITLEAN=>``/``ARTICLE=>`` markers stripped from both sides, sentences split at
``". "`` for ROUGE-Lsum, macro-average over the stories, on the 0–100 scale.

Two systems run on the same stories with the same sentence budget:

- newsloom: :func:`newsloom.core.enrichment.summarize.summarize` on the three articles (headline as title, lead as
  text): the story headline it picks (``StorySummary.headline``, one of the outlets' headlines, verbatim) followed by
  its summary of ``budget - 1`` sentences, so the headline counts against the budget exactly as the headlines LexRank
  may pick do (NeuS references are a headline plus a roundup, and the published systems output both). For reference, the
  result also has ``newsloom_sentences_only``: ``budget`` summary sentences, no headline; - LexRank: sumy's
  ``LexRankSummarizer`` (English Snowball stemmer and stop words) over the whole source text, the headlines included,
  sentences and words cut by regular expressions (:class:`RegexTokenizer`; no NLTK data needed).

The budget is ``round(mean reference words / mean source sentence words)`` measured on the *train* split (3 on NeuS:
references average 75 words, source sentences 26), so nothing about the evaluated split's references is used.
Faithfulness is the share of our summary sentences found verbatim in the text of the article they cite.

Needs the evaluation-only packages ``rouge-score`` and ``sumy``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsloom.core.enrichment.summarize import SourceDoc, SummaryConfig, summarize
from newsloom.core.grouping.embed import Embedder
from newsloom.core.text import split_sentences

SPLITS_DIR = "neus_splits"
SEPARATOR = " [SEP] "
_MARKER = re.compile(r"\s*\b(?:TITLEAN|TITLE|ARTICLE)=>\s*")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@dataclass(frozen=True)
class NeusStory:
    docs: tuple[SourceDoc, ...]
    source: str  # the source line, markers stripped, one article per paragraph (what LexRank reads)
    reference: str  # the target line as given (markers still in)


def strip_markers(text: str) -> str:
    return _MARKER.sub(" ", text).strip()


def for_rouge(text: str) -> str:
    """Markers stripped and one sentence per line, sentences being cut at ". " (the README's rule)."""
    return "\n".join(part.strip() for part in strip_markers(text).split(". ") if part.strip())


def parse_article(chunk: str, doc_id: str) -> SourceDoc:
    """``TITLE=> <headline>. ARTICLE=> <lead>`` as a SourceDoc (the separator's full stop dropped from the title)."""
    title, _, text = chunk.partition("ARTICLE=>")
    title = _MARKER.sub(" ", title).strip()
    title = title[:-1].rstrip() if title.endswith(".") else title
    return SourceDoc(id=doc_id, title=title, text=text.strip(), source=f"outlet-{doc_id}", published=None)


def splits_dir(folder: Path) -> Path:
    folder = Path(folder)
    return folder / SPLITS_DIR if (folder / SPLITS_DIR).is_dir() else folder


def load_neus(folder: Path, split: str = "val", limit: int | None = None) -> list[NeusStory]:
    """The stories of ``split`` from the benchmark folder (or its ``neus_splits`` directory), in file order."""
    base = splits_dir(folder)
    sources = (base / f"{split}.source").read_text(encoding="utf-8").splitlines()
    targets = (base / f"{split}.target").read_text(encoding="utf-8").splitlines()
    if len(sources) != len(targets):
        raise ValueError(f"{split}: {len(sources)} source lines but {len(targets)} target lines")
    stories = []
    for line, target in list(zip(sources, targets, strict=True))[:limit]:
        chunks = line.split(SEPARATOR)
        docs = tuple(parse_article(chunk, str(i)) for i, chunk in enumerate(chunks))
        stories.append(NeusStory(docs, "\n\n".join(strip_markers(chunk) for chunk in chunks), target))
    return stories


def sentence_budget(folder: Path, split: str = "train") -> int:
    """Sentences per summary: mean reference length over mean source sentence length, in words, on ``split``."""
    stories = load_neus(folder, split)
    ref_words = [len(strip_markers(s.reference).split()) for s in stories]
    sentence_words = [len(s.split()) for story in stories for doc in story.docs for s in split_sentences(doc.text)]
    return max(1, round((sum(ref_words) / len(ref_words)) / (sum(sentence_words) / len(sentence_words))))


class RegexTokenizer:
    """A sumy tokenizer without NLTK data: sentences end at . ! ? … before a capital or digit, words are letter runs."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


class LexRankBaseline:
    """sumy's LexRankSummarizer with the English stemmer and stop words and :class:`RegexTokenizer`."""

    def __init__(self) -> None:
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.utils import get_stop_words

        self._summarizer = LexRankSummarizer(Stemmer("english"))
        self._summarizer.stop_words = get_stop_words("english")
        self._tokenizer = RegexTokenizer()

    def __call__(self, text: str, count: int) -> list[str]:
        from sumy.parsers.plaintext import PlaintextParser

        document = PlaintextParser.from_string(text, self._tokenizer).document
        return [str(sentence) for sentence in self._summarizer(document, count)]


def rouge_scores(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Macro-averaged ROUGE-1/2/Lsum F1 (0–100), Porter stemming, markers stripped, sentences cut at ". "."""
    from rouge_score import rouge_scorer

    if len(predictions) != len(references):
        raise ValueError("predictions and references differ in length")
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    for prediction, reference in zip(predictions, references, strict=True):
        scores = scorer.score(for_rouge(reference), for_rouge(prediction))
        for name in ROUGE_TYPES:
            totals[name] += scores[name].fmeasure
    n = max(1, len(predictions))
    return {name: round(100.0 * total / n, 2) for name, total in totals.items()}


def evaluate_neus(
    folder: Path, split: str = "val", embedder: Embedder | None = None, *, limit: int | None = None,
    budget: int | None = None, config: SummaryConfig | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Score newsloom's summarizer and the LexRank baseline on ``split`` (first ``limit`` stories if given).

    Returns ``{"stories", "split", "budget", "seconds", "newsloom": {rouge1, rouge2, rougeLsum, faithfulness},
    "lexrank": {rouge1, rouge2, rougeLsum}, "newsloom_sentences_only": {rouge1, rouge2, rougeLsum}}``; ``seconds`` is
    the time newsloom took to summarize (both lengths).
    """
    stories = load_neus(folder, split, limit)
    if budget is None:
        budget = sentence_budget(folder, "train") if (splits_dir(folder) / "train.source").exists() else 3
    lexrank = LexRankBaseline()
    ours: list[str] = []
    sentences_only: list[str] = []
    faithful = total = 0
    started = time.perf_counter()
    for story in stories:
        summary = summarize(story.docs, max_sentences=budget, embedder=embedder, config=config)
        short = summarize(story.docs, max_sentences=max(1, budget - 1), embedder=embedder, config=config)
        by_id = {doc.id: doc for doc in story.docs}
        for sentence in (*summary.sentences, *short.sentences):
            total += 1
            faithful += sentence.text in by_id[sentence.article_id].text
        parts = [sentence.text for sentence in short.sentences]
        if short.headline is not None and budget > 1:
            total += 1
            faithful += short.headline.text == by_id[short.headline.article_id].title
            parts.insert(0, short.headline.text + ".")
        ours.append(" ".join(parts))
        sentences_only.append(" ".join(sentence.text for sentence in summary.sentences))
    seconds = time.perf_counter() - started
    theirs = [" ".join(lexrank(story.source, budget)) for story in stories]
    references = [story.reference for story in stories]
    return {
        "stories": len(stories),
        "split": split,
        "budget": budget,
        "seconds": round(seconds, 2),
        "newsloom": {**rouge_scores(ours, references), "faithfulness": faithful / total if total else 1.0},
        "lexrank": rouge_scores(theirs, references),
        "newsloom_sentences_only": rouge_scores(sentences_only, references),
    }
