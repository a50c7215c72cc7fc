"""How far the streaming clusterer is from its goals, and where the distance lies: oracles that peek at the gold
labels at one kind of decision each, on the three labelled clustering sets (static embedder, default config).

    .venv/bin/python bench/clustering_limits.py [--shared PATH]

Rows, B-cubed F1 per set:

* ``clusterer`` — the streaming clusterer as shipped (the figure in README's table);
* ``oracle merges`` — every story merge whose two stories' majority labels differ is refused;
* ``oracle singletons`` — after the run, every one-article story is moved into the largest predicted story of its
  gold label (placing the lone articles perfectly);
* ``oracle joins >= f`` — each article joins the best-scored candidate story whose majority label is its own among
  the candidates scoring at least ``f``, or starts a story when there is none (no merges): a perfect decision among
  the candidates the index and the score already produce. It bounds what any better decision rule over the same
  candidates (a learned classifier, say) could reach;
* ``UCI, time alone`` — the UCI headlines clustered by crawl time only (a new story after each gap of more than
  60 s): UCI's gold stories are crawl batches, so this artefact alone scores high.

These are analyses, not systems: each oracle uses the answers.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import numpy as np

from newsloom.core.evaluation.clustering import LabelledDoc, load_dataset, scores
from newsloom.core.grouping.clustering import ClusterDoc, StreamingClusterer
from newsloom.core.grouping.clustering.story import StoryState
from newsloom.core.grouping.embed import get_embedder

REPO = Path(__file__).resolve().parent.parent
SETS = {
    "MMDS": "clustering-mmds2025-event-clusters",
    "Giveme5W1H": "clustering-giveme5w1h-newscluster",
    "UCI": "clustering-uci-news-aggregator-subset",
}
JOIN_FLOORS = (0.2, 0.1)
EmbedFn = Callable[[Sequence[str]], np.ndarray]


class _Oracle(StreamingClusterer):
    """The shipped clusterer with gold labels at hand for one kind of decision."""

    def __init__(self, labels: dict[str, str], embed: EmbedFn | None, *, merges: bool = False,
                 join_floor: float | None = None) -> None:  # fmt: skip
        super().__init__(embed=embed)
        self.labels, self.oracle_merges, self.join_floor = labels, merges, join_floor

    def majority(self, story: StoryState) -> str:
        return Counter(self.labels[member] for member in story.members).most_common(1)[0][0]

    def _merge(self, keep: StoryState, gone: StoryState) -> StoryState:
        if self.oracle_merges and self.majority(keep) != self.majority(gone):
            return keep  # refused: the caller goes on with the story it had
        return super()._merge(keep, gone)

    def add(self, doc: ClusterDoc, *, vector: np.ndarray | None = None) -> str:
        if self.join_floor is None:
            return super().add(doc, vector=vector)
        features = self._features(doc, vector)
        label = self.labels[doc.id]
        right = [story_id for score, story_id in self._score(doc, features)
                 if score >= self.join_floor and self.majority(self._stories[story_id]) == label]  # fmt: skip
        story = self._stories[right[0]] if right else StoryState(doc.id, doc.published, doc.published)
        self._stories.setdefault(story.id, story)
        self._join(story, doc, features)
        self._observe_dense(features)
        return story.id


def _run(docs: list[LabelledDoc], embed: EmbedFn | None, **oracle: object) -> dict[str, str]:
    clusterer = _Oracle({d.id: d.label for d in docs}, embed, **oracle)  # type: ignore[arg-type]
    return clusterer.assign_batch(ClusterDoc(d.id, d.title, d.text, d.published, d.language, d.source) for d in docs)


def _f1(docs: list[LabelledDoc], assigned: dict[str, str]) -> float:
    return scores([d.label for d in docs], [assigned[d.id] for d in docs])["bcubed_f1"]


def _place_singletons(docs: list[LabelledDoc], assigned: dict[str, str]) -> dict[str, str]:
    sizes = Counter(assigned.values())
    cells = Counter((d.label, assigned[d.id]) for d in docs if sizes[assigned[d.id]] > 1)
    home: dict[str, tuple[int, str]] = {}
    for (label, story), count in sorted(cells.items()):
        if count > home.get(label, (0, ""))[0]:
            home[label] = (count, story)
    return {d.id: home[d.label][1] if sizes[assigned[d.id]] == 1 and d.label in home else assigned[d.id]
            for d in docs}  # fmt: skip


def _time_alone(docs: list[LabelledDoc], gap: timedelta = timedelta(seconds=60)) -> dict[str, str]:
    assigned: dict[str, str] = {}
    story, last = "", None
    for doc in sorted(docs, key=lambda d: (d.published, d.id)):
        if last is None or doc.published - last > gap:
            story = doc.id
        assigned[doc.id], last = story, doc.published
    return assigned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data directory")
    args = parser.parse_args(argv)
    embedder = get_embedder("static")
    embed = embedder.embed if embedder is not None else None
    datasets = {name: load_dataset(args.shared / "benchmarks" / folder) for name, folder in SETS.items()}
    rows: list[tuple[str, dict[str, float]]] = []
    shipped = {name: _run(docs, embed) for name, docs in datasets.items()}
    rows.append(("clusterer", {name: _f1(docs, shipped[name]) for name, docs in datasets.items()}))
    rows.append(("oracle merges", {name: _f1(docs, _run(docs, embed, merges=True))
                                   for name, docs in datasets.items()}))  # fmt: skip
    rows.append(("oracle singletons", {name: _f1(docs, _place_singletons(docs, shipped[name]))
                                       for name, docs in datasets.items()}))  # fmt: skip
    for floor in JOIN_FLOORS:
        rows.append((f"oracle joins >= {floor}", {name: _f1(docs, _run(docs, embed, join_floor=floor))
                                                  for name, docs in datasets.items()}))  # fmt: skip
    rows.append(("UCI, time alone", {"UCI": _f1(datasets["UCI"], _time_alone(datasets["UCI"]))}))
    width = max(len(label) for label, _ in rows)
    print(" ".join([" " * width, *(f"{name:>10}" for name in SETS)]))
    for label, values in rows:
        cells = (f"{values[name]:>10.3f}" if name in values else f"{'':>10}" for name in SETS)
        print(" ".join([label.ljust(width), *cells]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
