"""Sentence alignment: how much of a shorter text runs, sentence by sentence and in order, through a longer one.

Outlets rerun agency copy with the dateline rewritten, time words dropped, a word swapped here and there, other
paragraph breaks and the text cut to about half. Each of those edits kills every word 5-shingle around it, so two such
copies may keep only half of the shorter's shingles in the longer; but nearly every sentence of the shorter still has
a near-identical sentence in the longer, in the same order. Two different reports of one event share names, figures
and a quoted sentence or two, not a run of their sentences.

A text's :class:`Sentences` are the word-bigram hashes of each sentence (sentences of fewer than
:data:`MIN_SENTENCE_WORDS` words are left out). :func:`align` takes the shorter text's sentences, finds for each the
longer text's sentences (or pair of adjacent sentences, which the other outlet wrote as one) holding ``min_share`` of
its bigrams (and at least ``min_share / 2`` of theirs, so that a short sentence is not "found" inside a long one by a
few common phrases), and keeps the longest chain of such counterparts in the order of both texts. The
:class:`Alignment` says how much of the shorter text the chain covers (its words, its bigrams), where it starts, and
how dense it runs through the longer text: an outlet that rewrites a report puts its own sentences between the
other's, one that cuts agency copy leaves only the gaps of what it dropped.

:class:`SentenceKeys` proposes candidates: three band keys per sentence, each the pair of minimum hashes of its bigrams
under two hash functions (min-wise hashing; a sentence whose bigrams keep a Jaccard similarity of 0.8 shares a key
with a probability of 0.95), looked up in a table of the indexed texts' sentences; a text is proposed when two of its
sentences share a key with two of the query's.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = ["MIN_SENTENCE_WORDS", "Alignment", "SentenceKeys", "Sentences", "align"]

MIN_SENTENCE_WORDS = 5
_EMPTY_U32 = np.empty(0, dtype=np.uint32)
# (a * x + b) mod the Mersenne prime 2^61 - 1: fixed universal hash functions over 32-bit values, two per band
_PRIME = np.uint64((1 << 61) - 1)
_BANDS = 3
_ROWS = 2
_A = np.array([0x1F3D5B79, 0x6C8E9CF5, 0x3A4F7E1B, 0x58D2C0A7, 0x7B1E93D5, 0x2E6A45F1], dtype=np.uint64)[:, None]
_B = np.array([0x2545F491, 0x5851F42D, 0x0F1E2D3C, 0x4B5A6978, 0x13579BDF, 0x2468ACE0], dtype=np.uint64)[:, None]


@dataclass(frozen=True, eq=False)
class Sentences:
    """The sentences of one text as word-bigram hashes: sentence ``i`` holds ``hashes[offsets[i]:offsets[i + 1]]``
    (sorted, unique) and counts ``words[i]`` words."""

    hashes: np.ndarray  # uint32
    offsets: np.ndarray  # int64, one more than the sentences
    words: np.ndarray  # uint16

    @classmethod
    def empty(cls) -> Sentences:
        return cls(_EMPTY_U32, np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.uint16))

    @classmethod
    def from_parts(cls, parts: list[np.ndarray], words: list[int]) -> Sentences:
        """From each sentence's bigram hashes and word count."""
        if not parts:
            return cls.empty()
        unique = [np.unique(part.astype(np.uint32)) for part in parts]
        offsets = np.zeros(len(unique) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([part.size for part in unique])
        return cls(np.concatenate(unique), offsets, np.minimum(np.asarray(words), 65535).astype(np.uint16))

    def __len__(self) -> int:
        return int(self.words.size)

    @property
    def total_words(self) -> int:
        return int(self.words.sum())

    def sentence_ids(self) -> np.ndarray:
        """The sentence each hash belongs to."""
        return np.repeat(np.arange(len(self)), np.diff(self.offsets))

    @cached_property
    def by_hash(self) -> tuple[np.ndarray, np.ndarray]:
        """The hashes sorted, and the sentence of each (computed once: the indexed side of every comparison)."""
        order = np.argsort(self.hashes, kind="stable")
        return self.hashes[order], self.sentence_ids()[order].astype(np.int32)

    def keys(self) -> np.ndarray:
        """Each sentence's band keys: its bigrams' minimum under two hash functions, combined, for each of three
        pairs of functions (a sentence with its bigrams' Jaccard similarity at 0.8 shares a key with a probability of
        0.95, at 0.5 of 0.58, a sentence sharing one common phrase with it hardly ever)."""
        if not len(self):
            return np.empty(0, dtype=np.uint64)
        permuted = (self.hashes.astype(np.uint64)[None, :] * _A + _B) % _PRIME
        minima = np.minimum.reduceat(permuted, self.offsets[:-1], axis=1)  # (functions, sentences)
        bands = minima.reshape(_BANDS, _ROWS, -1)
        keys = bands[:, 0, :] * np.uint64(0x9E3779B97F4A7C15) ^ bands[:, 1, :]
        keys ^= np.arange(_BANDS, dtype=np.uint64)[:, None] << np.uint64(61)
        return keys.ravel()


@dataclass(frozen=True)
class Alignment:
    """The shorter text's sentences that have a near-identical counterpart in the longer one, in order."""

    share: float  # of the shorter text's words (in sentences of MIN_SENTENCE_WORDS or more), in aligned sentences
    bigrams: float  # of the shorter text's sentence bigrams, found in the counterparts of their sentences
    sentences: int  # aligned sentences
    words: int  # words in them
    first: int  # the shorter text's first sentence among them (0: its lead), -1 when there is none
    density: float  # of the longer text's words from its first to its last aligned sentence, in aligned sentences


NO_ALIGNMENT = Alignment(0.0, 0.0, 0, 0, -1, 0.0)


def align(a: Sentences, b: Sentences, *, min_share: float = 0.5, at_least: float = 0.0) -> Alignment:
    """Align the shorter (in words) of ``a`` and ``b`` against the other; see the module docstring.

    With ``at_least``, texts whose shorter one has fewer of its sentence bigrams anywhere in the other (which bounds
    ``bigrams``) are not aligned: the answer is ``NO_ALIGNMENT``, at a fraction of the cost.
    """
    short, long = (a, b) if a.total_words <= b.total_words else (b, a)
    if not len(short) or not len(long):
        return NO_ALIGNMENT
    sorted_hashes, _ = long.by_hash
    where = np.minimum(np.searchsorted(sorted_hashes, short.hashes), sorted_hashes.size - 1)
    anywhere = float(np.count_nonzero(sorted_hashes[where] == short.hashes) / short.hashes.size)
    if anywhere < at_least or not anywhere:
        return NO_ALIGNMENT
    hits = _shared_bigrams(short, long)
    sizes_short = np.diff(short.offsets).astype(np.float64)[:, None]
    sizes_long = np.diff(long.offsets).astype(np.float64)[None, :]
    near = (hits >= min_share * sizes_short) & (hits >= 0.5 * min_share * sizes_long)
    found = np.where(near, hits, 0)
    # or with two adjacent sentences of the longer, which the other outlet wrote as one
    pairs = np.minimum(hits[:, :-1] + hits[:, 1:], sizes_short)
    merged = (pairs >= min_share * sizes_short) & (pairs >= 0.5 * min_share * (sizes_long[:, :-1] + sizes_long[:, 1:]))
    merged &= (hits[:, :-1] > 0) & (hits[:, 1:] > 0) & ~near[:, :-1] & ~near[:, 1:]  # neither will do alone
    found[:, :-1] = np.where(merged, pairs, found[:, :-1])
    options: list[list[int]] = [[] for _ in range(len(short))]
    for row, column in zip(*(index.tolist() for index in np.nonzero(found)), strict=True):
        options[row].append(column)
    chain = _longest_chain(options)
    if not chain:
        return NO_ALIGNMENT
    rows = [row for row, _ in chain]
    words = int(short.words[rows].sum())
    bigrams = min(anywhere, float(sum(found[row, column] for row, column in chain) / sizes_short.sum()))
    # the longer text's sentences in the chain: both of a merged pair
    used = [[column, column + 1] if found[row, column] > hits[row, column] else [column] for row, column in chain]
    columns = sorted({c for pair in used for c in pair})
    long_words = long.words.astype(np.int64)
    density = float(long_words[columns].sum() / long_words[columns[0] : columns[-1] + 1].sum())
    return Alignment(words / short.total_words, bigrams, len(chain), words, rows[0], density)


def _shared_bigrams(short: Sentences, long: Sentences) -> np.ndarray:
    """Matrix of the bigrams each sentence of ``short`` shares with each sentence of ``long``."""
    sorted_hashes, sentence_of = long.by_hash
    lo = np.searchsorted(sorted_hashes, short.hashes, side="left")
    hi = np.searchsorted(sorted_hashes, short.hashes, side="right")
    counts = hi - lo
    hits = np.zeros((len(short), len(long)), dtype=np.int64)
    total = int(counts.sum())
    if not total:
        return hits
    rows = np.repeat(short.sentence_ids(), counts)
    starts = np.repeat(lo - np.cumsum(counts) + counts, counts)  # each run's start, minus the run's offset in total
    columns = sentence_of[starts + np.arange(total)]
    np.add.at(hits, (rows, columns), 1)
    return hits


def _longest_chain(options: list[list[int]]) -> list[tuple[int, int]]:
    """The longest sequence of rows, each taking one of its column options, whose columns never decrease (two short
    sentences may both come from one long sentence the other outlet split). Returns (row, column) in order."""
    tails: list[int] = []  # smallest column ending a chain of each length
    tail_rows: list[int] = []
    previous: dict[int, int] = {}
    chosen: dict[int, int] = {}
    for row, columns in enumerate(options):
        best: tuple[int, int] | None = None  # (length reached, column)
        for column in columns:
            length = bisect_right(tails, column)
            if best is None or length > best[0] or (length == best[0] and column < best[1]):
                best = (length, column)
        if best is None:
            continue
        length, column = best
        previous[row] = tail_rows[length - 1] if length else -1
        chosen[row] = column
        if length == len(tails):
            tails.append(column)
            tail_rows.append(row)
        elif column < tails[length]:
            tails[length] = column
            tail_rows[length] = row
    chain: list[tuple[int, int]] = []
    row = tail_rows[-1] if tail_rows else -1
    while row != -1:
        chain.append((row, chosen[row]))
        row = previous[row]
    return chain[::-1]


class SentenceKeys:
    """Candidate texts sharing a near-identical sentence: every indexed text's sentence keys in one table.

    A key shared by more than ``max_bucket`` texts (a sign-off line every copy of one agency carries) proposes
    nothing: it tells no copy from another.
    """

    def __init__(self, *, max_bucket: int = 100) -> None:
        self.max_bucket = max_bucket
        self._table: dict[int, set[str]] = defaultdict(set)
        self._keys: dict[str, np.ndarray] = {}

    def add(self, doc_id: str, sentences: Sentences) -> None:
        self.remove(doc_id)
        keys = np.unique(sentences.keys())
        self._keys[doc_id] = keys
        for key in keys.tolist():
            self._table[key].add(doc_id)

    def remove(self, doc_id: str) -> None:
        keys = self._keys.pop(doc_id, None)
        if keys is None:
            return
        for key in keys.tolist():
            bucket = self._table[key]
            bucket.discard(doc_id)
            if not bucket:
                del self._table[key]

    def query(self, sentences: Sentences, *, min_sentences: int = 2) -> set[str]:
        """Texts sharing a key with at least ``min_sentences`` of the sentences of ``sentences``."""
        counts: Counter[str] = Counter()
        if not len(sentences):
            return set()
        keys = sentences.keys().reshape(-1, len(sentences))  # (bands, sentences)
        for column in keys.T.tolist():
            found: set[str] = set()
            for key in column:
                bucket = self._table.get(key)
                if bucket and len(bucket) <= self.max_bucket:
                    found |= bucket
            counts.update(found)
        return {doc_id for doc_id, count in counts.items() if count >= min_sentences}
