"""Story-clustering quality and speed on the three labelled clustering sets, per embedder.

    .venv/bin/python bench/clustering.py [--shared PATH] [--embedder none|static|transformer|all] [--json]

Reads ``benchmarks/clustering-*`` under the shared directory (default ``../shared`` beside the repo) without copying
anything into the repo, feeds each set to a fresh StreamingClusterer with the default ClusterConfig in publication
order, and prints B-cubed precision/recall/F1, pairwise F1, NMI, ARI and throughput (articles/s: clustering plus
embedding; loading is not timed) for each embedder: ``none`` (lexical only), ``static`` (the shipped distilled
MiniLM, numpy) and ``transformer`` (all-MiniLM-L6-v2 with torch; skipped with a note when not installed).
The extra row "UCI, times permuted" runs the UCI headlines with their crawl times shuffled among them: in that subset
each story was crawled within seconds at its own minute, so time alone would separate its stories; the row shows how
much of a UCI score rests on that (the time model is kept on the scale of days so as not to use it). ``--json``
prints one JSON object per line and set/embedder. The defaults were tuned on these same sets (there is no separate
test split here).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsloom.core.evaluation.clustering import evaluate, load_dataset, permute_times
from newsloom.core.grouping.embed import EmbedderUnavailable, get_embedder

REPO = Path(__file__).resolve().parent.parent
SETS = {
    "MMDS dev (no 166)": "clustering-mmds2025-event-clusters",
    "Giveme5W1H": "clustering-giveme5w1h-newscluster",
    "UCI headlines": "clustering-uci-news-aggregator-subset",
}
PERMUTED = "UCI, times permuted"  # a check that UCI scores do not lean on its crawl times (see permute_times)
EMBEDDERS = ("none", "static", "transformer")
JSON_KEYS = ("articles", "clusters_true", "clusters_pred", "bcubed_precision", "bcubed_recall", "bcubed_f1",
             "pairwise_f1", "nmi", "ari", "articles_per_second")  # fmt: skip
HEADERS = ("set", "embedder", "docs", "true", "pred", "B3 P", "B3 R", "B3 F1", "pair F1", "NMI", "ARI", "docs/s")


def run(shared: Path, embedders: list[str]) -> list[dict[str, Any]]:
    """One result row per (set, embedder) that could run; an unavailable embedder is reported on stderr."""
    datasets = {name: load_dataset(shared / "benchmarks" / folder) for name, folder in SETS.items()}
    datasets[PERMUTED] = permute_times(datasets["UCI headlines"])
    rows = []
    for embedder_name in embedders:
        try:
            embedder = get_embedder(embedder_name)
        except EmbedderUnavailable as error:
            print(f"skipping embedder {embedder_name!r}: {error}", file=sys.stderr)
            continue
        embed = embedder.embed if embedder is not None else None
        for name, docs in datasets.items():
            result = evaluate(docs, embed=embed)
            rows.append({"set": name, "embedder": embedder_name, **{k: result[k] for k in JSON_KEYS}})
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    cells = [
        [r["set"], r["embedder"], str(r["articles"]), str(r["clusters_true"]), str(r["clusters_pred"])]
        + [f"{r[k]:.3f}" for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_f1", "nmi", "ari")]
        + [f"{r['articles_per_second']:.0f}"]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(HEADERS, *cells, strict=True)]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [list(HEADERS), *cells]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data directory")
    parser.add_argument("--embedder", choices=[*EMBEDDERS, "all"], default="all", help="dense embedder (default all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per set and embedder")
    args = parser.parse_args(argv)
    rows = run(args.shared, list(EMBEDDERS) if args.embedder == "all" else [args.embedder])
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(table(rows))
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
