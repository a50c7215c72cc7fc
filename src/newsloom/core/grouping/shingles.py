"""A text's fingerprints for wire-copy detection: word shingles, the shingles outside quotations, sentence bigrams.

Before hashing, a text is normalised: Unicode compatibility forms folded, accents and apostrophes dropped, lower case,
punctuation stripped, numbers kept. Shingles are ``shingle_size`` words taken within one paragraph (so reordered
paragraphs still match); paragraphs shorter than one shingle (bylines, "Share this article") are ignored.

Quotations, embedded posts and photo captions are set apart, because two reports of one event quote the same
statement or post, or run the same agency photo, and that makes neither a copy of the other: “…”, "…", «…», „…“, ‘…’
and '…' (each also when left open at a paragraph's end), a post's text followed by its "— Name (@handle) February 1,
2018" signature, and a paragraph that is a caption ("FILE - In this … file photo", or ending in a credit such as
"(AP Photo/…)"). :func:`read_text` returns the hashes of all shingles, of the shingles outside these and of each
sentence's word bigrams outside them (:class:`newsloom.core.grouping.alignment.Sentences`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from newsloom.core.grouping.alignment import MIN_SENTENCE_WORDS, Sentences
from newsloom.core.text import has_cjk, normalize_whitespace, split_sentences, tokens

__all__ = ["MAX_SHINGLE_SIZE", "TextHashes", "normalized_words", "read_text", "shingle_hashes"]

_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# '…' opens before a word and closes after one: "isn't" and "players' union" hold no quotation mark
_QUOTED = re.compile(
    r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|«[^»\n]*(?:»|$)|„[^“”\n]*(?:[“”]|$)|‘[^’\n]*(?:’|$)"
    r"|(?<!\w)'(?=\w)(?:[^'\n]|(?<=\w)'(?=\w))*(?<=[\w.,!?])'(?!\w)",
    re.MULTILINE,
)
_EMBEDDED_POST = re.compile(r"^.*?[—–-]\s*[^\n()]{0,80}\(@\w{1,30}\)\s+\w+\.?\s+\d{1,2},\s+\d{4}.*$", re.MULTILINE)
# A photo caption: agencies' "FILE - In this Dec. 28, 2017 file photo, …" or a paragraph ending in a credit, "(AP
# Photo/Mahmoud Illean, File)", "(Michael Wyke/Associated Press)", "(Photo by Alex Wong/Getty Images)"
_CAPTION = re.compile(
    r"^(?:FILE|File)\s*[-—–]+\s|^In this [^.]{0,80}\bphoto\b"
    r"|\((?:AP Photo\b|Photo by\b|[^()\n]{0,80}/(?:Associated Press|AP|Reuters|AFP|Getty Images|EPA|Xinhua|Bloomberg)\b"
    r"|[^()\n]{0,80}\bvia (?:AP|Reuters|AFP|Getty Images)\b)[^()\n]{0,60}\)\s*$"
)
_GAP = re.compile(r"\n+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHES = str.maketrans("", "", "'’")
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


def _blank(paragraph: str) -> str:
    """``paragraph`` with its quotations and embedded posts replaced by as many line breaks."""

    def blank(match: re.Match[str]) -> str:
        return "\n" * len(match.group())

    return _QUOTED.sub(blank, _EMBEDDED_POST.sub(blank, paragraph))


def _mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, element-wise (uint64 arithmetic wraps)."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def _check_size(shingle_size: int) -> None:
    if not 1 <= shingle_size <= MAX_SHINGLE_SIZE:
        raise ValueError(f"shingle_size must be between 1 and {MAX_SHINGLE_SIZE}")


def shingle_hashes(text: str, shingle_size: int = 5) -> np.ndarray:
    """Sorted, unique 32-bit hashes of the normalised word shingles of ``text``, taken within paragraphs.

    Paragraphs (split at line breaks) with fewer than ``shingle_size`` words are skipped unless no paragraph is long
    enough, in which case the whole text counts as one paragraph. The hashes are stable across processes and
    machines.
    """
    return read_text(text, shingle_size).shingles


def _shingles(paragraphs: list[list[str]], text: str | None, shingle_size: int) -> np.ndarray:
    """Shingle hashes of the paragraphs' words; with ``text``, the whole text is one paragraph if none is long
    enough."""
    paragraphs = [words for words in paragraphs if len(words) >= shingle_size]
    if not paragraphs and text is not None:
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


def _sentence_bigrams(sentences: list[list[str]]) -> Sentences:
    sentences = [words for words in sentences if len(words) >= MIN_SENTENCE_WORDS]
    if not sentences:
        return Sentences.empty()
    lengths = np.array([len(words) for words in sentences])
    total = int(lengths.sum())
    word_hashes = np.fromiter(map(_token_hash, chain.from_iterable(sentences)), dtype=np.uint64, count=total)
    bigrams = _mix64(word_hashes[:-1] * _MULTIPLIERS[0] + word_hashes[1:] * _MULTIPLIERS[1]) >> np.uint64(32)
    parts = np.split(bigrams.astype(np.uint32), np.cumsum(lengths)[:-1])  # part i ends with the pair straddling i, i+1
    return Sentences.from_parts([part[: length - 1] for part, length in zip(parts, lengths, strict=True)],
                                lengths.tolist())  # fmt: skip


@dataclass(frozen=True, eq=False)
class TextHashes:
    shingles: np.ndarray  # all shingles (shingle_hashes)
    unquoted: np.ndarray  # the shingles outside quotations and embedded posts, a subset of ``shingles``
    sentences: Sentences  # each sentence's word bigrams outside quotations


def read_text(text: str, shingle_size: int = 5) -> TextHashes:
    """All of a text's hashes in one pass over its sentences."""
    _check_size(shingle_size)
    everything: list[list[str]] = []  # words of each paragraph
    pieces: list[list[str]] = []  # words of each run of text between quotations
    sentences: list[list[str]] = []  # words of each sentence outside quotations
    for paragraph in _PARAGRAPH.split(text):
        normal = normalize_whitespace(paragraph)
        blanked = "\n" * len(normal) if _CAPTION.search(normal) else _blank(normal)
        words: list[str] = []
        piece: list[str] = []
        cursor = 0
        for sentence in split_sentences(normal):
            at = max(cursor, normal.find(sentence, cursor))
            cursor = at + len(sentence)
            own = normalized_words(sentence)
            words.extend(own)
            if blanked is normal or "\n" not in blanked[at:cursor]:
                piece.extend(own)
                sentences.append(own)
                continue
            outside: list[str] = []
            for number, segment in enumerate(_GAP.split(blanked[at:cursor])):
                if number:  # a quotation ends the run
                    pieces.append(piece)
                    piece = []
                segment_words = normalized_words(segment)
                piece.extend(segment_words)
                outside.extend(segment_words)
            sentences.append(outside)
        everything.append(words)
        pieces.append(piece)
    shingles = _shingles(everything, text, shingle_size)
    unquoted = _shingles(pieces, None, shingle_size)
    return TextHashes(shingles, unquoted[np.isin(unquoted, shingles, assume_unique=True)], _sentence_bigrams(sentences))
