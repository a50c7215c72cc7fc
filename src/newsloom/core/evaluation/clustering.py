"""Story-clustering evaluation: labelled-dataset loaders, clustering metrics and a runner.

Metrics are pure numpy: B-cubed and pairwise precision/recall/F1, NMI (arithmetic-mean normalisation, as
scikit-learn's default) and the adjusted Rand index. Loaders recognise the three benchmark folders in
``../shared/benchmarks`` by their files (MMDS 2025 dev split, Giveme5W1H news_cluster, UCI News Aggregator subset).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import lzma
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.core.grouping.clustering import ClusterConfig, ClusterDoc, StreamingClusterer
from newsloom.core.language.detect import LanguageDetector

MMDS_ARTICLES = "mds_ac_dev_final.json.xz"
MMDS_CLUSTERS = "mds_clusters_gpt_event_dev.json.xz"
MMDS_CATCH_ALL = 166
GIVEME_FILE = "news_cluster.jsonl.gz"


@dataclass(frozen=True)
class LabelledDoc:
    id: str
    title: str
    text: str
    published: datetime
    language: str | None
    label: str
    source: str | None


# ----------------------------------------------------------------------------------------------------- metrics


def _contingency(labels_true: Sequence[object], labels_pred: Sequence[object]) -> np.ndarray:
    if len(labels_true) != len(labels_pred):
        raise ValueError("labels_true and labels_pred differ in length")
    _, t = np.unique(np.asarray([str(x) for x in labels_true]), return_inverse=True)
    _, p = np.unique(np.asarray([str(x) for x in labels_pred]), return_inverse=True)
    table = np.zeros((int(t.max(initial=-1)) + 1, int(p.max(initial=-1)) + 1), dtype=np.int64)
    np.add.at(table, (t, p), 1)
    return table


def bcubed(labels_true: Sequence[object], labels_pred: Sequence[object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (item-averaged)."""
    table = _contingency(labels_true, labels_pred)
    n = table.sum()
    if n == 0:
        return 1.0, 1.0, 1.0
    # every item in cell (i, j) has precision n_ij / |pred_j| and recall n_ij / |true_i|
    precision = float((table**2 / table.sum(axis=0, keepdims=True)).sum() / n)
    recall = float((table**2 / table.sum(axis=1, keepdims=True)).sum() / n)
    return precision, recall, _f1(precision, recall)


def pairwise(labels_true: Sequence[object], labels_pred: Sequence[object]) -> tuple[float, float, float]:
    """Precision, recall and F1 over item pairs placed together (1.0 when there is no pair to get wrong)."""
    table = _contingency(labels_true, labels_pred)
    together = float((table * (table - 1)).sum() / 2)
    pred_pairs = float((table.sum(axis=0) * (table.sum(axis=0) - 1)).sum() / 2)
    true_pairs = float((table.sum(axis=1) * (table.sum(axis=1) - 1)).sum() / 2)
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    return precision, recall, _f1(precision, recall)


def nmi(labels_true: Sequence[object], labels_pred: Sequence[object]) -> float:
    """Normalised mutual information, MI / mean(H(true), H(pred))."""
    table = _contingency(labels_true, labels_pred).astype(np.float64)
    n = table.sum()
    if n == 0 or (table.shape[0] == 1 and table.shape[1] == 1):
        return 1.0
    pi, pj = table.sum(axis=1) / n, table.sum(axis=0) / n
    nz = table > 0
    pij = table[nz] / n
    mi = float((pij * np.log(pij / np.outer(pi, pj)[nz])).sum())
    h_true, h_pred = float(-(pi * np.log(pi)).sum()), float(-(pj * np.log(pj)).sum())
    denominator = (h_true + h_pred) / 2
    return max(0.0, mi / denominator) if denominator > 0 else 1.0


def ari(labels_true: Sequence[object], labels_pred: Sequence[object]) -> float:
    """Adjusted Rand index (1.0 for identical partitions, about 0 for chance)."""
    table = _contingency(labels_true, labels_pred).astype(np.float64)
    n = table.sum()
    index = (table * (table - 1)).sum() / 2
    rows = (table.sum(axis=1) * (table.sum(axis=1) - 1)).sum() / 2
    cols = (table.sum(axis=0) * (table.sum(axis=0) - 1)).sum() / 2
    total = n * (n - 1) / 2
    if total == 0:
        return 1.0
    expected = rows * cols / total
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def scores(labels_true: Sequence[object], labels_pred: Sequence[object]) -> dict[str, float]:
    bp, br, bf = bcubed(labels_true, labels_pred)
    pp, pr, pf = pairwise(labels_true, labels_pred)
    return {
        "bcubed_precision": bp,
        "bcubed_recall": br,
        "bcubed_f1": bf,
        "pairwise_precision": pp,
        "pairwise_recall": pr,
        "pairwise_f1": pf,
        "nmi": nmi(labels_true, labels_pred),
        "ari": ari(labels_true, labels_pred),
    }


# ----------------------------------------------------------------------------------------------------- loaders


def load_dataset(path: Path) -> list[LabelledDoc]:
    """The labelled articles of a benchmark folder, recognised by its files."""
    path = Path(path)
    if (path / MMDS_ARTICLES).is_file() and (path / MMDS_CLUSTERS).is_file():
        return load_mmds(path)
    if (path / GIVEME_FILE).is_file():
        return load_giveme5w1h(path)
    csvs = sorted(path.glob("*.csv.gz")) if path.is_dir() else []
    if len(csvs) == 1:
        return load_uci(csvs[0])
    raise ValueError(
        f"{path}: not a recognised clustering dataset (expected {MMDS_ARTICLES} + {MMDS_CLUSTERS}, "
        f"{GIVEME_FILE}, or one UCI News Aggregator *.csv.gz)"
    )


def load_mmds(folder: Path) -> list[LabelledDoc]:
    """MMDS 2025 dev split without the catch-all label 166; dates (day only, UTC midnight) from the cluster file."""
    with lzma.open(folder / MMDS_ARTICLES) as file:
        data = json.loads(file.read())
    with lzma.open(folder / MMDS_CLUSTERS) as file:
        raw = file.read().decode("utf-8")
    clusters = json.loads(re.sub(r",\s*([}\]])", r"\1", raw))  # the file has trailing commas
    dates = {
        str(doc["ID"]): datetime.fromisoformat(doc["publish_date"]).replace(tzinfo=UTC)
        for cluster in clusters
        for doc in cluster["documents"]
    }
    detector = LanguageDetector(["en", "zh", "ms", "id"])
    docs = []
    for article, label in zip(data["articles"], data["clusters"], strict=True):
        if int(label) == MMDS_CATCH_ALL:
            continue
        doc_id = str(article["ID"])
        text = " ".join(sentence["content"] for sentence in article["sentences"])
        title = article["title"]
        docs.append(
            LabelledDoc(doc_id, title, text, dates[doc_id], detector.detect(f"{title}. {text}"), str(label), None)
        )
    return docs


def load_giveme5w1h(folder: Path) -> list[LabelledDoc]:
    docs = []
    with gzip.open(folder / GIVEME_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            published = datetime.fromisoformat(row["date_publish"])
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            body, lead = row.get("text") or "", row.get("description") or ""
            if lead and lead[:80] not in body:
                body = f"{lead}\n\n{body}"
            docs.append(
                LabelledDoc(row["id"], row["title"] or "", body, published, "en", str(row["event_id"]),
                            row.get("source_domain"))
            )  # fmt: skip
    return docs


def load_uci(path: Path) -> list[LabelledDoc]:
    """UCI News Aggregator rows: headlines only, crawl TIMESTAMP in ms since the epoch."""
    with gzip.open(path, "rb") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        return [
            LabelledDoc(row["ID"], row["TITLE"], "", datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC), "en",
                        row["STORY"], row.get("PUBLISHER") or row.get("HOSTNAME"))
            for row in reader
        ]  # fmt: skip


def permute_times(docs: Sequence[LabelledDoc], seed: int = 0) -> list[LabelledDoc]:
    """The same articles with their publication times shuffled among them (a fixed seed): a check that a score does
    not come from when articles were crawled. In the UCI subset every story's rows carry one crawl time (within
    seconds, one story per minute), so a time model on the scale of minutes would separate its stories by time
    alone."""
    times = [d.published for d in docs]
    random.Random(seed).shuffle(times)
    return [replace(d, published=when) for d, when in zip(docs, times, strict=True)]


# ----------------------------------------------------------------------------------------------------- runner


def evaluate(
    docs: list[LabelledDoc],
    config: ClusterConfig | None = None,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Cluster ``docs`` in publication order with a fresh StreamingClusterer and score against the labels."""
    clusterer = StreamingClusterer(config, embed=embed)
    started = time.perf_counter()
    assigned = clusterer.assign_batch(
        ClusterDoc(d.id, d.title, d.text, d.published, d.language, d.source) for d in docs
    )
    seconds = time.perf_counter() - started
    labels_true = [d.label for d in docs]
    labels_pred = [assigned[d.id] for d in docs]
    return {
        "articles": len(docs),
        "clusters_true": len(set(labels_true)),
        "clusters_pred": len(set(labels_pred)),
        **scores(labels_true, labels_pred),
        "seconds": seconds,
        "articles_per_second": len(docs) / seconds if seconds > 0 else float("inf"),
    }
