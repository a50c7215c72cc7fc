"""Streaming-clustering throughput, per-article latency and peak memory with 10k and 100k articles in the window.

    .venv/bin/python bench/cluster_throughput.py [--shared PATH] [--articles 100000] [--embedder none|static]

Synthesises a stream by recombining the Giveme5W1H (full text) and UCI (headline) benchmark articles read from
``benchmarks/`` under the shared directory (nothing is copied into the repo): each synthetic article takes the title
of one article of a source event and a random subset of the sentences of that event's articles; source events recur
as new events later in the stream (shifted dates, a fresh event tag in the text), and articles arrive in time order
at a steady rate (the whole stream spans ``--days``), so every story stays in the window. Each ``add()`` is timed on
its own. With ``--embedder static`` vectors are computed beforehand in batches (as the app stores them) and passed
with ``add(doc, vector=v)``; embedding time is reported separately.

Prints, for each block of articles: the window size at its end, throughput and latency p50/p99/max of ``add()``,
and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsloom.core.evaluation.clustering import load_giveme5w1h, load_uci
from newsloom.core.grouping.clustering import ClusterDoc, StreamingClusterer
from newsloom.core.grouping.embed import get_embedder

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2025, 1, 1, tzinfo=UTC)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Event:
    titles: list[str]
    sentences: list[str]


def source_events(shared: Path) -> list[Event]:
    folder = shared / "benchmarks"
    events: dict[str, Event] = defaultdict(lambda: Event([], []))
    for doc in load_giveme5w1h(folder / "clustering-giveme5w1h-newscluster"):
        event = events["g" + doc.label]
        event.titles.append(doc.title)
        event.sentences.extend(s for s in _SENTENCE.split(doc.text) if len(s) > 20)
    uci = folder / "clustering-uci-news-aggregator-subset"
    for doc in load_uci(next(uci.glob("*.csv.gz"))):
        events["u" + doc.label].titles.append(doc.title)
    return list(events.values())


def synthesise(events: list[Event], n: int, days: float, seed: int = 0) -> list[ClusterDoc]:
    """``n`` articles in time order over ``days``; about one new event per 12 articles, popular events get more."""
    rng = random.Random(seed)
    step = timedelta(days=days) / n
    live: list[tuple[int, Event]] = []  # (tag, source event) currently in the news
    docs = []
    for i in range(n):
        if not live or rng.random() < 1 / 12:
            live.append((i, rng.choice(events)))
            live = live[-400:]  # older events fade out of the stream
        tag, event = live[min(int(rng.expovariate(1 / 40)), len(live) - 1) * -1 - 1]
        title = rng.choice(event.titles)
        text = ""
        if event.sentences:
            k = min(len(event.sentences), rng.randint(8, 40))
            text = " ".join(rng.sample(event.sentences, k)) + f" Case {tag}."
        docs.append(ClusterDoc(f"s{i}", title, text, T0 + i * step, "en"))
    return docs


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data directory")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=float, default=30.0, help="time the stream spans (all of it in the window)")
    parser.add_argument("--embedder", choices=("none", "static"), default="none")
    parser.add_argument("--report", type=str, default="1000,10000,50000,100000",
                        help="window sizes at which to report the preceding block")  # fmt: skip
    args = parser.parse_args(argv)
    docs = synthesise(source_events(args.shared), args.articles, args.days)
    print(f"{len(docs)} synthetic articles ({sum(bool(d.text) for d in docs)} with body), "
          f"memory after loading {peak_memory_mb():.0f} MB", flush=True)  # fmt: skip
    vectors: list[np.ndarray | None] = [None] * len(docs)
    if args.embedder == "static":
        embedder = get_embedder("static")
        assert embedder is not None
        started = time.perf_counter()
        for start in range(0, len(docs), 512):
            batch = docs[start : start + 512]
            vectors[start : start + 512] = list(embedder.embed([f"{d.title}\n{d.text[:1000]}" for d in batch]))
        seconds = time.perf_counter() - started
        print(f"static embedding: {len(docs) / seconds:.0f} articles/s ({seconds:.1f} s)", flush=True)
    checkpoints = sorted({int(x) for x in args.report.split(",") if 0 < int(x) <= len(docs)} | {len(docs)})
    clusterer = StreamingClusterer()
    latencies = np.zeros(len(docs))
    print(f"{'window':>8} {'block':>13} {'art/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'stories':>8} "
          f"{'peak MB':>8}")  # fmt: skip
    begin = 0
    for end in checkpoints:
        for i in range(begin, end):
            started = time.perf_counter()
            clusterer.add(docs[i], vector=vectors[i])
            latencies[i] = time.perf_counter() - started
        block = latencies[begin:end] * 1000
        stories = len(clusterer.stories())
        print(f"{end:>8} {begin:>6}-{end:<6} {len(block) / block.sum() * 1000:>7.0f} {np.percentile(block, 50):>7.2f} "
              f"{np.percentile(block, 99):>7.2f} {block.max():>7.1f} {stories:>8} {peak_memory_mb():>8.0f}",
              flush=True)  # fmt: skip
        begin = end
    total = latencies.sum()
    p50, p99 = (np.percentile(latencies, q) * 1000 for q in (50, 99))
    print(f"all {len(docs)} articles: {len(docs) / total:.0f} articles/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
          f"peak {peak_memory_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
