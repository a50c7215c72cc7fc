"""Wire copies: near-duplicate texts carried by several outlets, found with MinHash/LSH and verified exactly.

A text becomes a :class:`Signature` (:mod:`newsloom.core.grouping.shingles`): the sorted set of 32-bit hashes of its
word shingles (``shingle_size`` words taken within one paragraph, so reordered paragraphs still match), which of them
lie outside quotations, embedded posts and photo captions, a datasketch MinHash of the set, and each sentence's word
bigrams outside quotations.

:class:`NearDuplicateIndex` finds candidates with datasketch's ``MinHashLSH`` tuned for a *low* Jaccard similarity,
because a copy cut to a third of its original has Jaccard ≈ 0.3 with it, and with a table of sentence keys, because
two outlets' rewrites of one agency text may share no more than that (:mod:`newsloom.core.grouping.alignment`). Every
candidate is then verified exactly (:meth:`NearDuplicateIndex.is_copy`). It is a copy when either

- most of the shorter text's shingles appear in the longer one: containment ``|A ∩ B| / min(|A|, |B|)`` on the
  shingles outside quotations ``>= min_containment`` (default 0.5; a copy with 5 % of its words changed keeps ~77 % of
  its 5-word shingles, two different articles quoting the same statement share nothing outside it) and
  ``overlap >= min_overlap`` shingles in all (default 25, about 30 words of common running text, so that two short
  briefs sharing one sentence never match); or
- the shorter text's sentences run, in order, through the longer one with a few words changed in each: a rewritten
  dateline, dropped time words, swapped words, other paragraphs, a cut to half. The aligned sentences hold
  ``min_aligned`` of its words (default 0.5, at least ``min_aligned_words`` = 20, from one of its first four
  sentences on) and ``min_aligned_bigrams`` of its sentence bigrams (default 0.4), and run densely through the
  longer one: ``min_aligned_density`` (0.62) of the longer text's words from the first to the last aligned sentence
  are in aligned sentences, unless 60 % of the bigrams are. A paper rewriting an agency's report puts its own
  sentences between the agency's, and with them its own words in each.

bench/wirecopies.py measures both on real articles and synthetic copies, and on same-event pairs of different texts.
:func:`wire_groups` groups a batch deterministically, the earliest copy being the origin.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsloom.core.grouping.alignment import NO_ALIGNMENT, Alignment, SentenceKeys, Sentences, align
from newsloom.core.grouping.shingles import MAX_SHINGLE_SIZE, normalized_words, read_text, shingle_hashes

__all__ = [
    "MAX_SHINGLE_SIZE", "NearDuplicateIndex", "Signature", "WireMatch", "normalized_words", "shingle_hashes",
    "wire_groups",
]  # fmt: skip

_MAGIC_V1 = b"NLW1"  # shingle hashes only (stored before quotations and sentences were told apart)
_MAGIC = b"NLW2"
_HEADER = struct.Struct("<4sBHqI")  # magic, shingle size, num_perm, seed, number of shingle hashes
_SENTENCES = struct.Struct("<II")  # NLW2, after the shingles and their bitmask: sentences, bigram hashes
_SCHEME = "affine32"
LEAD_SENTENCES = 4  # an aligned copy's run starts in the shorter text's first sentences (past a headline, a caption)
STRONG_ALIGNMENT = 0.6  # share of the shorter's sentence bigrams that needs no density


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> np.ndarray:
    permutations: np.ndarray = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations
    return permutations


def _minhash(hashes: np.ndarray, num_perm: int, seed: int) -> LeanMinHash:
    sketch = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, permutations=_permutations(num_perm, seed),
                     scheme=_SCHEME)  # fmt: skip
    sketch.update_batch(hashes.tolist())
    return LeanMinHash(sketch)


@dataclass(frozen=True, eq=False)
class Signature:
    """What the index needs about one text: its shingle hashes (for exact checks), which of them lie outside
    quotations, their MinHash (for LSH) and its sentences' bigram hashes (for alignment).

    ``to_bytes`` stores the shingle and bigram hashes (4 bytes each), one bit per shingle for "outside quotations",
    4 bytes per sentence and a 27-byte header; ``from_bytes`` recomputes the MinHash, so stored signatures survive
    datasketch upgrades. It still reads the first format, which had neither (``unquoted`` and ``sentences`` are then
    None, the text is compared on all its shingles only, and whoever has the text should make a new signature).
    Pickling goes through the same bytes.
    """

    shingles: np.ndarray  # sorted unique uint32
    minhash: LeanMinHash
    shingle_size: int
    num_perm: int
    seed: int
    unquoted: np.ndarray | None = None  # the shingles outside quotations, a subset of ``shingles``
    sentences: Sentences | None = None

    @classmethod
    def from_shingles(
        cls, shingles: np.ndarray, *, shingle_size: int, num_perm: int, seed: int, unquoted: np.ndarray | None = None,
        sentences: Sentences | None = None,
    ) -> Signature:  # fmt: skip
        shingles = np.unique(np.asarray(shingles, dtype=np.uint32))
        if unquoted is not None:
            unquoted = np.intersect1d(np.asarray(unquoted, dtype=np.uint32), shingles)
        return cls(shingles, _minhash(shingles, num_perm, seed), shingle_size, num_perm, seed, unquoted, sentences)

    @property
    def current(self) -> bool:
        """Made by this version (the first format knew nothing of quotations and sentences)."""
        return self.unquoted is not None and self.sentences is not None

    def __len__(self) -> int:
        return int(self.shingles.size)

    def to_bytes(self) -> bytes:
        unquoted = self.unquoted if self.unquoted is not None else self.shingles
        sentences = self.sentences if self.sentences is not None else Sentences.empty()
        sizes = np.diff(sentences.offsets).astype("<u2")
        return b"".join([
            _HEADER.pack(_MAGIC, self.shingle_size, self.num_perm, self.seed, self.shingles.size),
            self.shingles.astype("<u4").tobytes(), np.packbits(np.isin(self.shingles, unquoted)).tobytes(),
            _SENTENCES.pack(len(sentences), sentences.hashes.size), sentences.words.astype("<u2").tobytes(),
            sizes.tobytes(), sentences.hashes.astype("<u4").tobytes(),
        ])  # fmt: skip

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) < _HEADER.size:
            raise ValueError("not a newsloom signature: too short")
        magic, shingle_size, num_perm, seed, count = _HEADER.unpack_from(data)
        if magic not in (_MAGIC, _MAGIC_V1):
            raise ValueError("not a newsloom signature: bad magic bytes")
        end = _HEADER.size + 4 * count
        if len(data) < end or (magic == _MAGIC_V1 and len(data) != end):
            raise ValueError("corrupt newsloom signature: length does not match its header")
        shingles = np.frombuffer(data, dtype="<u4", count=count, offset=_HEADER.size).astype(np.uint32)
        unquoted, sentences = _read_v2(data, end, shingles) if magic == _MAGIC else (None, None)
        return cls.from_shingles(shingles, shingle_size=shingle_size, num_perm=num_perm, seed=seed,
                                 unquoted=unquoted, sentences=sentences)  # fmt: skip

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (Signature.from_bytes, (self.to_bytes(),))


def _read_v2(data: bytes, start: int, shingles: np.ndarray) -> tuple[np.ndarray, Sentences]:
    """The bitmask of shingles outside quotations and the sentences, after the shingle hashes."""
    mask_bytes = (shingles.size + 7) // 8
    if len(data) < start + mask_bytes + _SENTENCES.size:
        raise ValueError("corrupt newsloom signature: length does not match its header")
    mask = np.unpackbits(np.frombuffer(data, dtype=np.uint8, count=mask_bytes, offset=start))[: shingles.size]
    start += mask_bytes
    number, hashes = _SENTENCES.unpack_from(data, start)
    start += _SENTENCES.size
    if len(data) != start + 4 * number + 4 * hashes:
        raise ValueError("corrupt newsloom signature: length does not match its header")
    words = np.frombuffer(data, dtype="<u2", count=number, offset=start).astype(np.uint16)
    sizes = np.frombuffer(data, dtype="<u2", count=number, offset=start + 2 * number).astype(np.int64)
    if int(sizes.sum()) != hashes:
        raise ValueError("corrupt newsloom signature: sentence sizes do not add up")
    offsets = np.zeros(number + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(sizes)
    bigrams = np.frombuffer(data, dtype="<u4", count=hashes, offset=start + 4 * number).astype(np.uint32)
    return shingles[mask.astype(bool)], Sentences(bigrams, offsets, words)


@dataclass(frozen=True)
class WireMatch:
    """An indexed document found to share text with a query, with exact figures on their shingle sets."""

    doc_id: str  # the existing document matched
    jaccard: float  # |A ∩ B| / |A ∪ B|
    containment: float  # |A ∩ B| / min(|A|, |B|): a shortened copy is contained in its original
    overlap: int  # |A ∩ B|, the number of shared shingles
    alignment: Alignment = NO_ALIGNMENT  # the shorter text's sentences found, in order, in the other


@lru_cache(maxsize=8)
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's (bands, rows) for ``threshold``: it integrates to find them, 50 ms a time; one index per story
    comparison would pay that each time."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class NearDuplicateIndex:
    """Incremental wire-copy index: ``add`` signatures, ``query`` a signature for the copies already indexed.

    ``threshold`` is the Jaccard similarity datasketch's ``MinHashLSH`` is tuned for; the default 0.1 yields 64 bands of
    2 rows on 128 permutations, under which a pair with Jaccard 0.3 (a copy cut to a third) becomes a candidate 99.8 %
    of the time, 0.2 in 93 %, and unrelated texts (Jaccard < 0.01) in under 0.6 %. Candidates are verified exactly, so
    the threshold only trades recall against query time and memory. Memory per document (bench/wirecopies.py): about
    14 KiB, 2 KiB of shingle hashes and the rest datasketch's band buckets; ``threshold=0.2`` (28 bands) halves that
    at the price of some candidates for copies cut to a third.
    """

    def __init__(
        self,
        *,
        shingle_size: int = 5,
        num_perm: int = 128,
        threshold: float = 0.1,
        seed: int = 1,
        min_containment: float = 0.5,
        min_overlap: int = 25,
        min_aligned: float = 0.5,
        min_aligned_bigrams: float = 0.4,
        min_aligned_words: int = 20,
        min_aligned_density: float = 0.62,
    ) -> None:
        if not 1 <= shingle_size <= MAX_SHINGLE_SIZE:
            raise ValueError(f"shingle_size must be between 1 and {MAX_SHINGLE_SIZE}")
        if not 0.0 < min_containment <= 1.0:
            raise ValueError("min_containment must be in (0, 1]")
        self.shingle_size = shingle_size
        self.num_perm = num_perm
        self.threshold = threshold
        self.seed = seed
        self.min_containment = min_containment
        self.min_overlap = max(1, min_overlap)
        self.min_aligned = min_aligned
        self.min_aligned_bigrams = min_aligned_bigrams
        self.min_aligned_words = min_aligned_words
        self.min_aligned_density = min_aligned_density
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=_lsh_bands(threshold, num_perm))
        self._shingles: dict[str, np.ndarray] = {}
        self._unquoted: dict[str, np.ndarray] = {}
        self._sentences: dict[str, Sentences] = {}
        self._sentence_keys = SentenceKeys()

    @property
    def bands(self) -> tuple[int, int]:
        """The LSH's (number of bands, rows per band)."""
        return self._lsh.b, self._lsh.r

    def signature(self, text: str) -> Signature:
        hashes = read_text(text, self.shingle_size)
        return Signature.from_shingles(
            hashes.shingles, shingle_size=self.shingle_size, num_perm=self.num_perm, seed=self.seed,
            unquoted=hashes.unquoted, sentences=hashes.sentences,
        )  # fmt: skip

    def _check(self, sig: Signature) -> None:
        if (sig.shingle_size, sig.num_perm, sig.seed) != (self.shingle_size, self.num_perm, self.seed):
            raise ValueError(
                f"signature made with shingle_size={sig.shingle_size}, num_perm={sig.num_perm}, seed={sig.seed}; "
                f"this index uses {self.shingle_size}, {self.num_perm}, {self.seed}"
            )

    def add(self, doc_id: str, sig: Signature) -> None:
        """Index ``sig`` under ``doc_id``, replacing any signature already indexed under that id."""
        self._check(sig)
        self.remove(doc_id)
        self._shingles[doc_id] = sig.shingles
        self._unquoted[doc_id] = sig.unquoted if sig.unquoted is not None else sig.shingles
        if len(sig):  # an empty text matches nothing; keep it out of the LSH, whose buckets it would crowd
            self._lsh.insert(doc_id, sig.minhash, check_duplication=False)
        if sig.sentences is not None and len(sig.sentences):
            self._sentences[doc_id] = sig.sentences
            self._sentence_keys.add(doc_id, sig.sentences)

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id``; removing an id that is not indexed does nothing."""
        shingles = self._shingles.pop(doc_id, None)
        self._unquoted.pop(doc_id, None)
        if shingles is not None and shingles.size:
            self._lsh.remove(doc_id)
        if self._sentences.pop(doc_id, None) is not None:
            self._sentence_keys.remove(doc_id)

    def __len__(self) -> int:
        return len(self._shingles)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._shingles

    def compare(self, doc_id: str, sig: Signature) -> WireMatch:
        """Exact Jaccard, containment and overlap between ``sig`` and the indexed ``doc_id``, and their sentences'
        alignment (when both have sentences)."""
        unquoted = sig.unquoted if sig.unquoted is not None else sig.shingles
        match = _match(doc_id, (sig.shingles, unquoted), (self._shingles[doc_id], self._unquoted[doc_id]))
        other = self._sentences.get(doc_id)
        if sig.sentences is None or other is None:
            return match
        return replace(match, alignment=align(sig.sentences, other, at_least=self.min_aligned_bigrams))

    def candidates(self, sig: Signature) -> list[str]:
        """Ids proposed for ``sig``, unverified, sorted: by the LSH on shingles, or sharing sentence keys."""
        self._check(sig)
        found: set[str] = set()
        if len(sig) and self._shingles:
            found.update(self._lsh.query(sig.minhash))
        if sig.sentences is not None and self._sentences:
            found.update(self._sentence_keys.query(sig.sentences))
        return sorted(found)

    def query(self, sig: Signature) -> list[WireMatch]:
        """Indexed documents that ``sig`` is a copy of (or that are copies of it), best first."""
        matches = (self.compare(doc_id, sig) for doc_id in self.candidates(sig))
        return sorted((m for m in matches if self.is_copy(m)), key=_best_first)

    def is_copy(self, m: WireMatch) -> bool:
        """The decision rule: enough shared text in absolute terms, and most of the shorter text found in the other,
        either as shingles or as sentences aligned in order (see the module docstring)."""
        if m.overlap >= self.min_overlap and m.containment >= self.min_containment:
            return True
        a = m.alignment
        if not (a.share >= self.min_aligned and a.bigrams >= self.min_aligned_bigrams and a.sentences >= 2
                and a.words >= self.min_aligned_words and 0 <= a.first < LEAD_SENTENCES):  # fmt: skip
            return False
        return a.density >= self.min_aligned_density or a.bigrams >= STRONG_ALIGNMENT


def _match(doc_id: str, a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> WireMatch:
    """Figures on (all shingles, shingles outside quotations) of two texts; containment outside quotations unless
    one of them has nothing there (a statement run in full)."""
    (a_all, a_out), (b_all, b_out) = a, b
    if not a_all.size or not b_all.size:
        return WireMatch(doc_id, 0.0, 0.0, 0)
    overlap = int(np.intersect1d(a_all, b_all, assume_unique=True).size)
    union = a_all.size + b_all.size - overlap
    if a_out.size and b_out.size:
        containment = np.intersect1d(a_out, b_out, assume_unique=True).size / min(a_out.size, b_out.size)
    else:
        containment = overlap / min(a_all.size, b_all.size)
    return WireMatch(doc_id, overlap / union, containment, overlap)


def _best_first(m: WireMatch) -> tuple[float, float, str]:
    return (-max(m.containment, m.alignment.bigrams), -m.jaccard, m.doc_id)


def wire_groups(docs: Sequence[tuple[str, datetime, str]], index: NearDuplicateIndex | None = None) -> dict[str, str]:
    """Map every ``doc_id`` to the origin of its wire group: the earliest published copy (ties broken by id).

    Documents are taken in (published, id) order; each joins the group of the best earlier copy it matches, or starts
    a group of its own. A text carrying two different wire stories joins one group and never merges the two, and the
    result does not depend on the order of ``docs``. ``index`` (empty; for other parameters) receives every document.
    """
    index = NearDuplicateIndex() if index is None else index
    if len(index):
        raise ValueError("wire_groups needs an empty index")
    ordered = sorted(docs, key=lambda doc: (doc[1], doc[0]))
    _reject_duplicate_ids(doc[0] for doc in ordered)
    origin: dict[str, str] = {}
    for doc_id, _published, text in ordered:
        sig = index.signature(text)
        matches = index.query(sig)
        origin[doc_id] = origin[matches[0].doc_id] if matches else doc_id
        index.add(doc_id, sig)
    return origin


def _reject_duplicate_ids(ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            raise ValueError(f"duplicate document id {doc_id!r}")
        seen.add(doc_id)
