"""Wire copies: near-duplicate texts carried by several outlets, found with MinHash/LSH and verified on shingles.

A text becomes a :class:`Signature`: the sorted set of 32-bit hashes of its word shingles (``shingle_size`` words taken
within one paragraph, so reordered paragraphs still match) and a datasketch MinHash of that set. Before shingling the
text is normalised: Unicode compatibility forms folded, accents and apostrophes dropped, lower case, punctuation
stripped, numbers kept; paragraphs shorter than one shingle (bylines, "Share this article") are ignored.

:class:`NearDuplicateIndex` finds candidates with datasketch's ``MinHashLSH`` tuned for a *low* Jaccard similarity,
because a copy cut to a third of its original has Jaccard ≈ 0.3 with it; every candidate is then verified exactly on
the shingle sets. The decision (:meth:`NearDuplicateIndex.is_copy`) rests on containment, ``|A ∩ B| / min(|A|, |B|)``,
which stays near 1 for a shortened copy, plus a minimum number of shared shingles so that two short briefs sharing one
sentence never match:

- ``containment >= min_containment`` (default 0.5: half of the shorter text's shingles appear in the longer one; a
  copy with 5 % of its words changed keeps ~77 % of its 5-word shingles, two different articles quoting the same
  sentence share a few per cent), and
- ``overlap >= min_overlap`` (default 25 shared shingles, i.e. about 30 words of common running text).

:func:`wire_groups` groups a batch deterministically, the earliest copy being the origin.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsloom.core.text import has_cjk, tokens

__all__ = ["NearDuplicateIndex", "Signature", "WireMatch", "normalized_words", "shingle_hashes", "wire_groups"]

_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHES = str.maketrans("", "", "'’")
_MAGIC = b"NLW1"
_HEADER = struct.Struct("<4sBHqI")  # magic, shingle size, num_perm, seed, number of shingle hashes
_SCHEME = "affine32"
# Odd 64-bit multipliers combining the token hashes of a shingle (position-dependent, so word order matters).
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD,
     0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9, 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5],
    dtype=np.uint64,
)  # fmt: skip
MAX_SHINGLE_SIZE = len(_MULTIPLIERS)


@lru_cache(maxsize=1 << 16)
def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def normalized_words(text: str) -> list[str]:
    """Words of ``text`` for shingling: accents and apostrophes dropped, compatibility forms folded, case-folded.
    Chinese and Japanese, written without spaces, count each character as a word (shingles of five characters; a
    whole clause as one word left a page too few shingles to match its copy)."""
    words = tokens(_COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_APOSTROPHES))
    if not has_cjk(text):
        return words
    return [part for word in words for part in (word if has_cjk(word) else (word,))]


def _mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, element-wise (uint64 arithmetic wraps)."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def shingle_hashes(text: str, shingle_size: int = 5) -> np.ndarray:
    """Sorted, unique 32-bit hashes of the normalised word shingles of ``text``, taken within paragraphs.

    Paragraphs (split at line breaks) with fewer than ``shingle_size`` words are skipped unless no paragraph is long
    enough, in which case the whole text counts as one paragraph. The hashes are stable across processes and
    machines.
    """
    if not 1 <= shingle_size <= MAX_SHINGLE_SIZE:
        raise ValueError(f"shingle_size must be between 1 and {MAX_SHINGLE_SIZE}")
    paragraphs = [words for words in map(normalized_words, _PARAGRAPH.split(text)) if len(words) >= shingle_size]
    if not paragraphs:
        words = normalized_words(text)
        paragraphs = [words] if len(words) >= shingle_size else []
    if not paragraphs:
        return np.empty(0, dtype=np.uint32)
    lengths = [len(words) for words in paragraphs]
    total = sum(lengths)
    word_hashes = np.fromiter(map(_token_hash, chain.from_iterable(paragraphs)), dtype=np.uint64, count=total)
    count = total - shingle_size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(shingle_size):
        combined += word_hashes[offset : offset + count] * _MULTIPLIERS[offset]
    paragraph_of = np.repeat(np.arange(len(lengths)), lengths)
    within = paragraph_of[:count] == paragraph_of[shingle_size - 1 :]  # windows that do not straddle a break
    return np.unique((_mix64(combined[within]) >> np.uint64(32)).astype(np.uint32))


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
    """What the index needs about one text: its shingle hashes (for exact checks) and their MinHash (for LSH).

    ``to_bytes`` stores the shingle hashes only (4 bytes each plus a 19-byte header); ``from_bytes`` recomputes the
    MinHash, so stored signatures survive datasketch upgrades. Pickling goes through the same bytes.
    """

    shingles: np.ndarray  # sorted unique uint32
    minhash: LeanMinHash
    shingle_size: int
    num_perm: int
    seed: int

    @classmethod
    def from_shingles(cls, shingles: np.ndarray, *, shingle_size: int, num_perm: int, seed: int) -> Signature:
        shingles = np.unique(np.asarray(shingles, dtype=np.uint32))
        return cls(shingles, _minhash(shingles, num_perm, seed), shingle_size, num_perm, seed)

    def __len__(self) -> int:
        return int(self.shingles.size)

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(_MAGIC, self.shingle_size, self.num_perm, self.seed, self.shingles.size)
        return header + self.shingles.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) < _HEADER.size:
            raise ValueError("not a newsloom signature: too short")
        magic, shingle_size, num_perm, seed, count = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError("not a newsloom signature: bad magic bytes")
        if len(data) != _HEADER.size + 4 * count:
            raise ValueError("corrupt newsloom signature: length does not match its header")
        shingles = np.frombuffer(data, dtype="<u4", offset=_HEADER.size).astype(np.uint32)
        return cls.from_shingles(shingles, shingle_size=shingle_size, num_perm=num_perm, seed=seed)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (Signature.from_bytes, (self.to_bytes(),))


@dataclass(frozen=True)
class WireMatch:
    """An indexed document found to share text with a query, with exact figures on their shingle sets."""

    doc_id: str  # the existing document matched
    jaccard: float  # |A ∩ B| / |A ∪ B|
    containment: float  # |A ∩ B| / min(|A|, |B|): a shortened copy is contained in its original
    overlap: int  # |A ∩ B|, the number of shared shingles


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
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=_lsh_bands(threshold, num_perm))
        self._shingles: dict[str, np.ndarray] = {}

    @property
    def bands(self) -> tuple[int, int]:
        """The LSH's (number of bands, rows per band)."""
        return self._lsh.b, self._lsh.r

    def signature(self, text: str) -> Signature:
        return Signature.from_shingles(
            shingle_hashes(text, self.shingle_size), shingle_size=self.shingle_size, num_perm=self.num_perm,
            seed=self.seed,
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
        if len(sig):  # an empty text matches nothing; keep it out of the LSH, whose buckets it would crowd
            self._lsh.insert(doc_id, sig.minhash, check_duplication=False)

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id``; removing an id that is not indexed does nothing."""
        shingles = self._shingles.pop(doc_id, None)
        if shingles is not None and shingles.size:
            self._lsh.remove(doc_id)

    def __len__(self) -> int:
        return len(self._shingles)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._shingles

    def compare(self, doc_id: str, sig: Signature) -> WireMatch:
        """Exact Jaccard, containment and overlap between ``sig`` and the indexed ``doc_id``."""
        return _match(doc_id, sig.shingles, self._shingles[doc_id])

    def candidates(self, sig: Signature) -> list[str]:
        """Ids the LSH proposes for ``sig``, unverified, sorted."""
        self._check(sig)
        if not len(sig) or not self._shingles:
            return []
        return sorted(self._lsh.query(sig.minhash))

    def query(self, sig: Signature) -> list[WireMatch]:
        """Indexed documents that ``sig`` is a copy of (or that are copies of it), best first."""
        matches = (self.compare(doc_id, sig) for doc_id in self.candidates(sig))
        return sorted((m for m in matches if self.is_copy(m)), key=_best_first)

    def is_copy(self, m: WireMatch) -> bool:
        """The decision rule: enough shared text in absolute terms, and most of the shorter text found in the other."""
        return m.overlap >= self.min_overlap and m.containment >= self.min_containment


def _match(doc_id: str, a: np.ndarray, b: np.ndarray) -> WireMatch:
    if not a.size or not b.size:
        return WireMatch(doc_id, 0.0, 0.0, 0)
    overlap = int(np.intersect1d(a, b, assume_unique=True).size)
    union = a.size + b.size - overlap
    return WireMatch(doc_id, overlap / union, overlap / min(a.size, b.size), overlap)


def _best_first(m: WireMatch) -> tuple[float, float, str]:
    return (-m.containment, -m.jaccard, m.doc_id)


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
