"""Story-summary quality on NeuS (newsloom vs. a LexRank baseline) and the cost of summarizing a 20-article story.

    .venv/bin/python bench/summarize.py [--shared PATH] [--split val] [--limit N] [--json]

Reads ``benchmarks/summarization-neus-allsides`` under the shared directory (default ``../shared`` beside the repo)
without copying anything into the repo. Quality: ``evaluate_neus`` (ROUGE-1/2/Lsum F1 on the 0–100 scale, scored as
the dataset README describes, both systems with the sentence budget measured on the train split; the summarizer's
weights were tuned on the train split only). Cost: one story of 20 articles built from the AllSides crawl (the
articles of the most recent stories of its busiest topic), enriched as the app does (summary and key points with the
default static embedding, source comparison, story and article hashtags): the first call (model load included),
the median of 5 warm calls, and the peak of Python allocations (tracemalloc) during one
call, plus the process's peak resident memory. ``--json`` prints the ``evaluate_neus`` object with a ``story20`` entry.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from newsloom.core.enrichment.compare import CompareDoc
from newsloom.core.enrichment.story import StoryInput, enrich_story
from newsloom.core.enrichment.summarize import SourceDoc, StorySummary
from newsloom.core.evaluation.summarization import evaluate_neus
from newsloom.core.grouping.embed import Embedder, get_embedder

REPO = Path(__file__).resolve().parent.parent
FOLDER = "summarization-neus-allsides"
CRAWL = "allsides_stories_crawled_2021-10-19.jsonl.gz"


def twenty_article_story(folder: Path, size: int = 20) -> list[SourceDoc]:
    """``size`` articles: the left/centre/right pieces of the latest stories of the crawl's most frequent topic."""
    with gzip.open(folder / CRAWL, "rt", encoding="utf-8") as handle:
        stories = [json.loads(line) for line in handle if line.strip()]
    topic = Counter(story["topic"] for story in stories).most_common(1)[0][0]
    docs: list[SourceDoc] = []
    for story in sorted((s for s in stories if s["topic"] == topic), key=lambda s: s["date"], reverse=True):
        for side, news in sorted(story["news"].items()):
            text = "\n\n".join(p.strip() for p in news.get("newBody") or [] if p.strip())
            if text and len(docs) < size:
                docs.append(SourceDoc(f"{story['id']}-{side}", news["newsTitle"], text, news["newsSource"],
                                      datetime.fromisoformat(story["date"])))  # fmt: skip
    return docs


def enrich(docs: list[SourceDoc], embedder: Embedder | None) -> StorySummary:
    """What enriching one story computes (core.story_analysis, as stories/enrich.py runs it without the database):
    the summary and key points with the dense embedder, the source comparison, each article's hashtags (none were
    computed at ingest here) and the story's."""
    story = StoryInput(
        docs=tuple(docs),
        compare_docs=tuple(CompareDoc(d.id, d.source, d.text, d.title, d.published, None) for d in docs),
        article_tags=tuple(() for _ in docs),
        languages=tuple("en" for _ in docs),
    )
    return enrich_story(story, embedder=embedder).summary


def cost(docs: list[SourceDoc]) -> dict[str, Any]:
    started = time.perf_counter()
    embedder = get_embedder("static")
    summary = enrich(docs, embedder)
    first = time.perf_counter() - started
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        enrich(docs, embedder)
        warm.append(time.perf_counter() - started)
    tracemalloc.start()
    enrich(docs, embedder)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "articles": len(docs),
        "words": sum(len(doc.text.split()) for doc in docs),
        "first_call_seconds": round(first, 3),
        "warm_seconds": round(statistics.median(warm), 3),
        "peak_python_mib": round(peak / 2**20, 1),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "sentences": len(summary.sentences),
        "key_points": len(summary.key_points),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data directory")
    parser.add_argument("--split", default="val", help="NeuS split to score (train or val)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    folder = args.shared / "benchmarks" / FOLDER
    story = cost(twenty_article_story(folder))  # first, so the cold call really is cold
    result = evaluate_neus(folder, args.split, limit=args.limit)
    if args.json:
        print(json.dumps({**result, "story20": story}, indent=2))
        return 0
    print(f"NeuS {result['split']}: {result['stories']} stories, {result['budget']} sentences per summary")
    print(f"{'system':<28}{'ROUGE-1':>9}{'ROUGE-2':>9}{'ROUGE-Lsum':>12}{'faithful':>10}")
    rows = (("newsloom (headline + summary)", "newsloom"), ("lexrank (sumy)", "lexrank"),
            ("newsloom (summary only)", "newsloom_sentences_only"))  # fmt: skip
    for label, key in rows:
        scores = result[key]
        faithful = f"{scores['faithfulness']:.3f}" if "faithfulness" in scores else "-"
        print(f"{label:<28}{scores['rouge1']:>9.2f}{scores['rouge2']:>9.2f}{scores['rougeLsum']:>12.2f}{faithful:>10}")
    print(
        f"enriching a 20-article story ({story['words']} words: summary, key points, comparison, hashtags): first "
        f"call {story['first_call_seconds']:.2f} s (model load included), warm {story['warm_seconds'] * 1000:.0f} ms; "
        f"peak Python allocations {story['peak_python_mib']} MiB, process max RSS {story['max_rss_mib']} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
