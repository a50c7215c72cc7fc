"""`newsloom eval clustering|summarization DATASET [--json]`: score the pipeline on a labelled public dataset.

No database is involved: the datasets are read from their folders, the pipeline steps run in memory.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

CLUSTERING_KEYS = ("articles", "clusters_true", "clusters_pred", "bcubed_precision", "bcubed_recall", "bcubed_f1",
                   "pairwise_f1", "nmi", "ari")


def _clustering(folder: Path, embedder_name: str) -> dict[str, Any]:
    from newsloom.core.evaluation.clustering import evaluate, load_dataset
    from newsloom.core.grouping.embed import get_embedder

    embedder = get_embedder(embedder_name)
    result = evaluate(load_dataset(folder), embed=embedder.embed if embedder is not None else None)
    return {key: result[key] for key in CLUSTERING_KEYS}


def _summarization(folder: Path, embedder_name: str, limit: int | None = None) -> dict[str, Any]:
    from newsloom.core.evaluation.summarization import evaluate_neus
    from newsloom.core.grouping.embed import get_embedder

    result: dict[str, Any] = evaluate_neus(folder, split="val", embedder=get_embedder(embedder_name), limit=limit)
    return result


def _table(result: dict[str, Any]) -> str:
    lines = []
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k:<16}{v:.3f}" if isinstance(v, float) else f"  {k:<16}{v}" for k, v in value.items()]
        else:
            lines.append(f"{key:<18}{value:.3f}" if isinstance(value, float) else f"{key:<18}{value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.dataset
    if not folder.is_dir():
        print(f"newsloom: {folder} is not a dataset folder", file=sys.stderr)
        return 2
    if args.limit is not None and (args.task != "summarization" or args.limit < 1):
        print("newsloom: --limit takes a positive number of stories, for summarization only", file=sys.stderr)
        return 2
    try:
        if args.task == "clustering":
            result = _clustering(folder, args.embedder)
        else:
            result = _summarization(folder, args.embedder, args.limit)
    except ModuleNotFoundError as exc:
        print(f"newsloom: {exc.name} is missing: install the evaluation extra, pip install 'newsloom[eval]'",
              file=sys.stderr)
        return 2
    except (ValueError, FileNotFoundError) as exc:
        print(f"newsloom: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result) if args.json else _table(result))
    return 0
