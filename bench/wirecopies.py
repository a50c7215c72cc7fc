"""Wire-copy detection: precision, recall and speed of newsloom.core.grouping.wirecopies on real article texts.

    .venv/bin/python bench/wirecopies.py [--shared PATH] [--seed N] [--sample N] [--copies N]
        [--shingle-size 5] [--threshold 0.1] [--min-containment 0.5] [--min-overlap 25]
        [--min-aligned 0.5] [--min-aligned-bigrams 0.4] [--min-aligned-words 20]
        [--min-aligned-density 0.62]

Reads ``benchmarks/clustering-giveme5w1h-newscluster/news_cluster.jsonl.gz`` under the shared directory (default
``../shared`` beside the repo); nothing is copied into the repo. A seeded sample of the 383 articles gets ``--copies``
synthetic copies each, every copy made by one transformation (verbatim, lead cut to 30-70 %, paragraphs reordered,
3-8 % of words edited, outlet intro paragraph and boilerplate lines added, new headline, a combination of cut, edit
and boilerplate, and the edits of bench/wirecopy_edits.py: dateline rewritten, time words dropped, house-style word
swaps, re-paragraphed, abridged to 40-60 %), plus one ``rewrite+cut`` copy each (all of those edits at once, as
outlets rerun agency copy). All originals and copies are then streamed in a shuffled order through a
NearDuplicateIndex (query, then add), so every pair of documents is judged once; copy/original pairs are also scored
by which of the two came first (both orders of publication).

Gold: two documents are copies when they come from the same original. The set also holds real wire copies (the same
AP story on several sites), so pairs of *originals* are labelled independently of the detector, by the share of the
shorter text's words lying in common runs of 8+ words (difflib): >= 0.8 a natural copy (positive), 0.25-0.8 ambiguous
(rewritten agency copy or long shared quotes; left out of the scores and counted apart), below that a negative. Hard
negatives are negative pairs of the same event.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import itertools
import json
import random
import re
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsloom.core.grouping.wirecopies import NearDuplicateIndex, WireMatch, normalized_words
from newsloom.core.text import split_sentences
from wirecopy_edits import EDITS

REPO = Path(__file__).resolve().parent.parent
# Shorter texts in this set are extraction leftovers ("Chat with us in Facebook Messenger", paywall prompts) or
# one-line agency alerts: they get no copies, and a pair involving one is never scored as a natural copy.
MIN_WORDS = 40
DATASET = Path("benchmarks") / "clustering-giveme5w1h-newscluster" / "news_cluster.jsonl.gz"
BOILERPLATE = [
    "Sign up for our newsletter",
    "Share this article",
    "Advertisement",
    "Follow us on Twitter and Facebook for the latest updates",
    "Copyright 2018 The Associated Press. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed.",
    "Read more:",
    "Click here to subscribe to our daily briefing",
]


@dataclass(frozen=True)
class Doc:
    doc_id: str
    original: int  # index of the article it comes from
    kind: str  # "original" or the transformation
    text: str


def load(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


# ---------------------------------------------------------------------------------------------- transformations


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def verbatim(text: str, rng: random.Random, pool: list[str]) -> str:
    return "\n\n".join(_paragraphs(text)) + "\n"


def cut(text: str, rng: random.Random, pool: list[str], keep: tuple[float, float] = (0.3, 0.7)) -> str:
    """Keep the lead: whole sentences, paragraph breaks intact, until the kept share of words is reached."""
    target = rng.uniform(*keep) * len(text.split())
    kept: list[str] = []
    words = 0
    for paragraph in _paragraphs(text):
        sentences: list[str] = []
        for sentence in split_sentences(paragraph):
            if words >= target:
                break
            sentences.append(sentence)
            words += len(sentence.split())
        if sentences:
            kept.append(" ".join(sentences))
        if words >= target:
            break
    return "\n".join(kept)


def reorder(text: str, rng: random.Random, pool: list[str]) -> str:
    paragraphs = _paragraphs(text)
    shuffled = paragraphs[:]
    for _ in range(10):
        rng.shuffle(shuffled)
        if shuffled != paragraphs or len(paragraphs) < 2:
            break
    return "\n".join(shuffled)


def edit(text: str, rng: random.Random, pool: list[str], share: tuple[float, float] = (0.03, 0.08)) -> str:
    """Change a share of the words: mostly substitutions, some deletions and insertions, spread at random."""
    paragraphs = [p.split() for p in _paragraphs(text)]
    positions = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
    chosen = set(rng.sample(positions, max(1, round(rng.uniform(*share) * len(positions)))))
    out = []
    for i, words in enumerate(paragraphs):
        new: list[str] = []
        for j, word in enumerate(words):
            if (i, j) not in chosen:
                new.append(word)
                continue
            roll = rng.random()
            if roll < 0.7:
                new.append(rng.choice(pool))
            elif roll < 0.85:
                new.extend([word, rng.choice(pool)])
            # else: deleted
        out.append(" ".join(new))
    return "\n".join(out)


def _prose(rng: random.Random, pool: list[str], words: int) -> str:
    """Text of the outlet's own: random words of the corpus vocabulary in sentences, shared with no other text."""
    sentences = []
    while words > 0:
        length = min(words, rng.randint(8, 20))
        sentences.append(" ".join(rng.choice(pool) for _ in range(length)).capitalize() + ".")
        words -= length
    return " ".join(sentences)


def intro(text: str, rng: random.Random, pool: list[str]) -> str:
    """An outlet's own intro paragraph (20-60 words), boilerplate lines at random places and one at the end."""
    paragraphs = _paragraphs(text)
    for line in rng.sample(BOILERPLATE, 3):
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), line)
    return "\n".join([_prose(rng, pool, rng.randint(20, 60)), *paragraphs, rng.choice(BOILERPLATE)])


def retitle(text: str, rng: random.Random, pool: list[str]) -> str:
    return _prose(rng, pool, rng.randint(6, 14)).rstrip(".").title() + "\n\n" + text


def combo(text: str, rng: random.Random, pool: list[str]) -> str:
    return intro(edit(cut(text, rng, pool, (0.5, 0.7)), rng, pool, (0.02, 0.04)), rng, pool)


TRANSFORMS: dict[str, Callable[[str, random.Random, list[str]], str]] = {
    "verbatim": verbatim,
    "cut": cut,
    "reorder": reorder,
    "edit": edit,
    "intro+boilerplate": intro,
    "retitle": retitle,
    "cut+edit+intro": combo,
    **EDITS,
}
# every sampled article gets these copies besides its ``--copies`` others: two outlets' rewrites of it
ALWAYS = ["rewrite+cut", "rewrite+cut, 2nd outlet"]


def make_copies(articles: list[dict[str, str]], seed: int, sample: int, copies: int) -> list[Doc]:
    """The originals, then ``copies`` copies (distinct transformations) of ``sample`` articles of MIN_WORDS or more."""
    rng = random.Random(seed)
    pool = sorted({w.lower() for a in articles for w in re.findall(r"[A-Za-z]{3,12}", a["text"])})
    docs = [Doc(f"o{i}", i, "original", a["text"]) for i, a in enumerate(articles)]
    eligible = [i for i, a in enumerate(articles) if len(a["text"].split()) >= MIN_WORDS]
    others = sorted(set(TRANSFORMS) - set(ALWAYS))
    for i in sorted(rng.sample(eligible, min(sample, len(eligible)))):
        for kind in [*ALWAYS, *rng.sample(others, min(copies, len(others)))]:
            docs.append(Doc(f"c{i}-{kind}", i, kind, TRANSFORMS[kind](articles[i]["text"], rng, pool)))
    return docs


# ---------------------------------------------------------------------------------------------- gold labels


def label_originals(articles: list[dict[str, str]]) -> tuple[dict[int, int], set[tuple[int, int]]]:
    """Natural copies among the originals (component id per article) and ambiguous pairs, by difflib run coverage."""
    words = [normalized_words(a["text"]) for a in articles]
    # the gold does not hang on the detector: its own 5-word shingles, quotations included, only to skip hopeless pairs
    shingles = [{tuple(w[k : k + 5]) for k in range(len(w) - 4)} for w in words]
    parent = list(range(len(articles)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ambiguous: set[tuple[int, int]] = set()
    for i, j in itertools.combinations(range(len(articles)), 2):
        if len(shingles[i] & shingles[j]) < 4:  # cannot hold a common run of 8 words
            continue
        matcher = difflib.SequenceMatcher(None, words[i], words[j], autojunk=False)
        covered = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 8)
        coverage = covered / max(1, min(len(words[i]), len(words[j])))
        if coverage >= 0.8 and min(len(words[i]), len(words[j])) >= MIN_WORDS:
            parent[find(i)] = find(j)
        elif coverage >= 0.25:
            ambiguous.add((i, j))
    return {i: find(i) for i in range(len(articles))}, ambiguous


# ---------------------------------------------------------------------------------------------- evaluation


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: bool, said: bool) -> None:
        self.tp += truth and said
        self.fn += truth and not said
        self.fp += said and not truth

    def line(self, name: str) -> str:
        precision = self.tp / max(1, self.tp + self.fp)
        recall = self.tp / max(1, self.tp + self.fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        return f"{name:<24} P={precision:.4f}  R={recall:.4f}  F1={f1:.4f}  (tp={self.tp} fp={self.fp} fn={self.fn})"


@dataclass
class Run:
    predicted: set[frozenset[str]] = field(default_factory=set)
    figures: dict[frozenset[str], WireMatch] = field(default_factory=dict)  # every LSH candidate pair, exact
    seconds: float = 0.0
    sizes: list[int] = field(default_factory=list)


def stream(index: NearDuplicateIndex, docs: list[Doc]) -> Run:
    """Query then add every document, timing only what the app would do (signature, query, add)."""
    run = Run()
    for doc in docs:
        started = time.perf_counter()
        sig = index.signature(doc.text)
        matches = index.query(sig)
        run.seconds += time.perf_counter() - started
        for doc_id in index.candidates(sig):
            run.figures[frozenset((doc.doc_id, doc_id))] = index.compare(doc_id, sig)
        started = time.perf_counter()
        index.add(doc.doc_id, sig)
        run.seconds += time.perf_counter() - started
        run.predicted.update(frozenset((doc.doc_id, m.doc_id)) for m in matches)
        run.sizes.append(len(sig.to_bytes()))
    return run


class Gold:
    """Labels of document pairs; see the module docstring."""

    def __init__(self, articles: list[dict[str, str]], docs: list[Doc]) -> None:
        self.component, self.ambiguous = label_originals(articles)
        self.event = [a["event_id"] for a in articles]
        self.docs = {doc.doc_id: doc for doc in docs}

    def __call__(self, a: Doc, b: Doc) -> bool | None:
        """True: copies; False: different texts; None: not scored."""
        if a.original == b.original:
            return True
        related = self.component[a.original] == self.component[b.original]
        if (min(a.original, b.original), max(a.original, b.original)) in self.ambiguous:
            return None
        if a.kind == b.kind == "original":
            return related
        return None if related else False

    def hard_negatives(self) -> int:
        pairs = itertools.combinations(range(len(self.event)), 2)
        return sum(1 for a, b in pairs if self.event[a] == self.event[b] and self(self._o(a), self._o(b)) is False)

    def _o(self, i: int) -> Doc:
        return self.docs[f"o{i}"]


def report(gold: Gold, docs: list[Doc], predicted: set[frozenset[str]], errors: bool, position: dict[str, int]) -> None:
    overall, siblings, natural, hard = Tally(), Tally(), Tally(), Tally()
    orders = {"copy first": Tally(), "original first": Tally()}
    rewrites = Tally()  # the two outlets' rewrites of one text
    per_kind: dict[str, Tally] = defaultdict(Tally)
    unscored = 0
    wrong: list[str] = []
    for a, b in itertools.combinations(docs, 2):
        truth = gold(a, b)
        said = frozenset((a.doc_id, b.doc_id)) in predicted
        if truth is None or not (truth or said):
            unscored += truth is None and said
            continue
        copies = [d.kind for d in (a, b) if d.kind != "original"]
        tallies = [overall]
        if truth:  # recall per category: copy/original by transformation, copy/copy, original/original
            tallies.append(per_kind[copies[0]] if len(copies) == 1 else siblings if copies else natural)
            if len(copies) == 1:
                copy, original = (a, b) if a.kind != "original" else (b, a)
                first = position[copy.doc_id] < position[original.doc_id]
                tallies.append(orders["copy first" if first else "original first"])
            elif set(copies) == set(ALWAYS):
                tallies.append(rewrites)
        else:  # a false match counts against every category it touches
            tallies.extend(per_kind[kind] for kind in set(copies))
            tallies.extend([natural] if not copies else [])
            tallies.extend([hard] if gold.event[a.original] == gold.event[b.original] else [])
        for tally in tallies:
            tally.add(truth, said)
        if truth != said:
            wrong.append(f"{'FN' if truth else 'FP'} {a.doc_id} {b.doc_id}")
    print(overall.line("overall"))
    for kind in sorted(per_kind):
        print(per_kind[kind].line(kind))
    for name, tally in orders.items():
        print(tally.line(f"{name}"))
    print(siblings.line("copy/copy"))
    print(rewrites.line("rewrite/rewrite"))
    print(natural.line("natural wire copies"))
    print(f"hard negatives           {hard.fp} false matches among {gold.hard_negatives()} same-event pairs of "
          "different originals (plus their copies)")  # fmt: skip
    print(f"not scored               {unscored} matched pairs involving rewritten or partial natural copies")
    if errors and wrong:
        print("\n" + "\n".join(wrong))


def sweep(gold: Gold, docs: list[Doc], run: Run) -> None:
    """Precision and recall of the shingle rule alone at other thresholds, on the same candidates."""
    positives = sum(1 for a, b in itertools.combinations(docs, 2) if gold(a, b))
    print("\nmin_containment min_overlap  precision  recall   hard-negative FP")
    for containment in (0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        for overlap in (10, 15, 20, 25, 30, 40):
            said = [pair for pair, m in run.figures.items() if m.containment >= containment and m.overlap >= overlap]
            labels = [(gold(*(gold.docs[d] for d in pair)), pair) for pair in said]
            tp = sum(1 for truth, _ in labels if truth)
            fp = [pair for truth, pair in labels if truth is False]
            hard = sum(1 for pair in fp if len({gold.event[gold.docs[d].original] for d in pair}) == 1)
            print(f"{containment:>15} {overlap:>11}  {tp / max(1, tp + len(fp)):.4f}     {tp / positives:.4f}   {hard}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=300, help="articles that get copies")
    parser.add_argument(
        "--copies", type=int, default=5, help=f"copies per sampled article besides {ALWAYS!r}, distinct transformations"
    )
    parser.add_argument("--shingle-size", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.1)
    parser.add_argument("--min-containment", type=float, default=0.5)
    parser.add_argument("--min-overlap", type=int, default=25)
    parser.add_argument("--min-aligned", type=float, default=0.5)
    parser.add_argument("--min-aligned-bigrams", type=float, default=0.4)
    parser.add_argument("--min-aligned-words", type=int, default=20)
    parser.add_argument("--min-aligned-density", type=float, default=0.62)
    parser.add_argument("--errors", action="store_true", help="list the wrong decisions")
    parser.add_argument("--sweep", action="store_true", help="score a grid of other decision thresholds")
    args = parser.parse_args(argv)

    articles = load(args.shared / DATASET)
    docs = make_copies(articles, args.seed, args.sample, args.copies)
    gold = Gold(articles, docs)
    print(f"{len(articles)} originals, {len(docs) - len(articles)} copies; among the originals "
          f"{sum(1 for i, c in gold.component.items() if c != i)} natural wire copies and "
          f"{len(gold.ambiguous)} ambiguous pairs")  # fmt: skip

    def make_index() -> NearDuplicateIndex:
        return NearDuplicateIndex(shingle_size=args.shingle_size, threshold=args.threshold,
                                  min_containment=args.min_containment, min_overlap=args.min_overlap,
                                  min_aligned=args.min_aligned, min_aligned_bigrams=args.min_aligned_bigrams,
                                  min_aligned_words=args.min_aligned_words,
                                  min_aligned_density=args.min_aligned_density)  # fmt: skip

    order = docs[:]
    random.Random(args.seed + 1).shuffle(order)
    index = make_index()
    run = stream(index, order)
    bands, rows = index.bands
    print(f"\nindex: {args.shingle_size}-word shingles, LSH {bands} bands x {rows} rows; copy if containment >= "
          f"{args.min_containment} (outside quotations) and overlap >= {args.min_overlap} shingles, or >= "
          f"{args.min_aligned:.0%} of the shorter text's words (>= {args.min_aligned_words}, from its first sentences) "
          f"in sentences aligned in order\nwith the other's, holding >= {args.min_aligned_bigrams:.0%} of its sentence "
          f"bigrams and >= {args.min_aligned_density:.0%} of the other's words over their stretch (or >= 60 % of the "
          "bigrams)\n")  # fmt: skip
    report(gold, docs, run.predicted, args.errors, {doc.doc_id: n for n, doc in enumerate(order)})
    print(
        f"\nthroughput               {len(docs) / run.seconds:.0f} documents/s indexed+queried "
        f"({len(docs)} in {run.seconds:.2f} s), {2 * len(run.figures) / len(docs):.1f} candidates per document"
    )
    pairs = itertools.combinations(docs, 2)
    missed = sum(1 for a, b in pairs if gold(a, b) and frozenset((a.doc_id, b.doc_id)) not in run.figures)
    print(
        f"candidate misses         {missed} copy pairs never proposed as candidates (the other misses are the rule's)"
    )
    print(f"signature                {sum(run.sizes) / len(run.sizes):.0f} bytes mean, {max(run.sizes)} max (to_bytes)")
    del index
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    memory_index = make_index()
    for doc in docs:  # the signature is dropped after add: what stays is what the index keeps
        memory_index.add(doc.doc_id, memory_index.signature(doc.text))
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(f"index memory             {used / len(docs) / 1024:.1f} KiB per document (hashes, LSH bands, sentence keys)")
    if args.sweep:
        sweep(gold, docs, run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
