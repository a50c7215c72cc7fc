"""Features for story clustering: weighted terms per zone (title, lead, body), entity-like language-neutral features,
and a streaming IDF that learns document frequencies as articles arrive.

Two feature blocks per article:

* text terms: Latin-script word tokens (stop words dropped, plurals folded) or, for Chinese/Japanese, Han character
  bigrams; language-specific, so only compared between articles of one language.
* entity terms (``e:`` names, ``p:`` canonical places/organisations, ``n:`` numbers, ``d:`` month-day dates): the
  part of an article that survives translation — capitalised multi-word names and acronyms written in Latin script
  in any language, numbers with their multipliers, dates, and a built-in alias table of country/city/organisation
  names across English, Malay/Indonesian and Chinese.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from newsloom.core.language.lexicon import (
    CAPITALISED_NOISE,
    HAN_ALIASES,
    LATIN_ALIASES,
    MONTHS,
    MULTIPLIERS,
    NUMBER_WORDS,
    STOPWORDS,
    UPPERCASE_ONLY,
)
from newsloom.core.text import cjk_bigrams, fold, tokens

Vector = dict[str, float]

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LETTER = r"A-Za-z0-9\u00c0-\u024f"
_CAPITALISED_WORD = rf"[A-Z\u00c0-\u00d6\u00d8-\u00de](?:[{_LETTER}]|['’\-](?=[{_LETTER}]))*"
# runs of capitalised words separated by white space only (a name, or a headline's capitalised words)
_CAPITALISED_RUN = re.compile(rf"(?<![{_LETTER}\-]){_CAPITALISED_WORD}(?:\s+{_CAPITALISED_WORD}(?![{_LETTER}]))*")
_NUMBER_WORDS_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER_WORD = re.compile(rf"(?<![{_LETTER}'’\-])(?:{_NUMBER_WORDS_ALT})(?![{_LETTER}'’\-])", re.IGNORECASE)
_DOTTED_ACRONYM = re.compile(r"\b((?:[A-Z]\.){2,})")
_NUMBER = re.compile(r"(?<![A-Za-z0-9.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([A-Za-z]+|[千万萬亿億])?")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_MD = re.compile(rf"(?<![A-Za-z])({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?!\d)", re.IGNORECASE)
_DATE_DM = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_NAMES})(?![A-Za-z])", re.IGNORECASE)
_DATE_HAN = re.compile(r"(\d{1,2})月(\d{1,2})日")
_HAN_ALIAS = re.compile("|".join(sorted(map(re.escape, HAN_ALIASES), key=len, reverse=True)))


def han_share(text: str) -> float:
    """Share of Han characters among the letters of ``text`` (0 when it has none)."""
    sample = text[:400]
    letters = sum(ch.isalpha() for ch in sample)
    return sum(len(run) for run in _HAN_RUN.findall(sample)) / letters if letters else 0.0


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Fold English possessives and plurals; leave everything else alone."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def text_terms(text: str) -> Counter[str]:
    """Language-specific terms: Han character bigrams plus Latin-script word tokens."""
    counts: Counter[str] = Counter()
    for run in _HAN_RUN.findall(text):
        counts.update(cjk_bigrams(run))
    for token in tokens(_HAN_RUN.sub(" ", text)):
        term = _term(token)
        if term:
            counts[term] += 1
    return counts


@lru_cache(maxsize=200_000)
def _term(token: str) -> str:
    """The text term of a lower-cased token, or "" for stop words and single letters."""
    if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
        return ""
    return _stem(fold(token))


def entity_terms(text: str) -> Counter[str]:
    """Language-neutral features of ``text``: names, canonical places/organisations, numbers and dates."""
    counts: Counter[str] = Counter()
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(1).replace(".", ""), text)
    _names(text, counts)
    for match in _HAN_ALIAS.finditer(text):
        counts["p:" + HAN_ALIASES[match.group(0)]] += 1
    _numbers(text, counts)
    for month, day in _DATE_MD.findall(text):
        counts[f"d:{MONTHS[month.casefold()]}-{int(day)}"] += 1
    for day, month in _DATE_DM.findall(text):
        counts[f"d:{MONTHS[month.casefold()]}-{int(day)}"] += 1
    for month, day in _DATE_HAN.findall(text):
        counts[f"d:{int(month)}-{int(day)}"] += 1
    return counts


def _names(text: str, counts: Counter[str]) -> None:
    for match in _NUMBER_WORD.finditer(text):
        counts[f"n:{NUMBER_WORDS[match.group(0).casefold()]}"] += 1
    for match in _CAPITALISED_RUN.finditer(text):
        _flush(match.group(0).split(), counts)


def _flush(group: list[str], counts: Counter[str]) -> None:
    while group and fold(group[0]) in CAPITALISED_NOISE and not group[0].isupper():
        group = group[1:]
    if not group:
        return
    folded = [_stem(fold(word)) for word in group]
    for key in folded:
        if len(key) > 1 and key not in CAPITALISED_NOISE:
            counts["e:" + key] += 1
    if 1 < len(folded) <= 4:
        counts["e:" + " ".join(folded)] += 1
    plain = [fold(word) for word in group]
    for size in (3, 2, 1):
        for start in range(len(plain) - size + 1):
            phrase = " ".join(plain[start : start + size])
            canonical = LATIN_ALIASES.get(phrase) or LATIN_ALIASES.get(_stem(phrase))
            if canonical is None:
                continue
            if size == 1 and phrase in UPPERCASE_ONLY and not group[start].isupper():
                continue
            counts["p:" + canonical] += 1


def _numbers(text: str, counts: Counter[str]) -> None:
    for whole, fraction, unit in _NUMBER.findall(text):
        value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
        multiplier = MULTIPLIERS.get(unit.casefold()) if unit else None
        if multiplier:
            value *= multiplier
        counts["n:" + (str(int(value)) if value == int(value) else f"{value:g}")] += 1


class StreamingIdf:
    """Document frequencies learned one document at a time; ``weigh`` turns zone-weighted counts into a unit vector
    with sublinear term frequency and smoothed IDF, ``log((1 + n) / (1 + df)) + 1``.

    The vocabulary is bounded by ``max_terms``: names, numbers and typos keep arriving in a news stream, so a
    long-running clusterer would otherwise hold every term it ever saw. Past the bound the rarest terms are forgotten
    (all of frequency 1, then 2, … until at most half the bound is left); a forgotten term weighs as unseen, about
    log 2 more than a term seen once, which moves no score by much. Deterministic: the same stream prunes alike.
    """

    def __init__(self, max_terms: int = 0) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()
        self.max_terms = max_terms  # 0: unbounded

    def observe(self, terms: Iterable[str]) -> None:
        """Count one document containing each of ``terms`` (distinct)."""
        self.documents += 1
        self.df.update(set(terms))
        if self.max_terms and len(self.df) > self.max_terms:
            self._prune(self.max_terms // 2)

    def _prune(self, target: int) -> None:
        by_count = Counter(self.df.values())
        left, cut = len(self.df), 0
        for count in sorted(by_count):
            if left <= target:
                break
            left -= by_count[count]
            cut = count
        self.df = Counter({term: n for term, n in self.df.items() if n > cut})

    def idf(self, term: str) -> float:
        return math.log((1 + self.documents) / (1 + self.df.get(term, 0))) + 1.0

    def weigh(self, counts: dict[str, float]) -> Vector:
        vector = {term: (1.0 + math.log(tf)) * self.idf(term) for term, tf in counts.items() if tf > 0}
        return normalise(vector)


def normalise(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm > 0 else {}


def prune(vector: Vector, size: int) -> Vector:
    """The ``size`` heaviest entries of ``vector`` (ties by term, so the result is deterministic), not renormalised:
    dot products with the pruned vector lose only the light tail."""
    if size <= 0 or len(vector) <= size:
        return vector
    return dict(sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:size])


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())
