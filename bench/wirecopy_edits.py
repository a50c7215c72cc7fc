"""How outlets really rerun an agency text, as seeded transformations for bench/wirecopies.py.

Seen on real pairs of one agency story run by two outlets: the dateline is rewritten ("SEOUL, South Korea (AP) —"
becomes "SEOUL:", or goes), time words are dropped ("on Saturday", "early Tuesday"), a word is swapped here and there
for the house style ("said" / "says", "per cent", "US"), sentences are regrouped into other paragraphs, and the text is
cut to about half, from the bottom and by dropping a sentence here and there on the way. ``rewrite`` does all of it at
once, the case where only about half of the shorter copy's word 5-shingles survive in the longer one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from newsloom.core.text import split_sentences

CITIES = ["WASHINGTON", "LONDON", "SEOUL", "TOKYO", "BERLIN", "PARIS", "NEW YORK", "NAIROBI", "SYDNEY", "MADRID"]
AGENCIES = ["AP", "Reuters", "AFP", "dpa"]
# "SEOUL, South Korea (AP) —", "TOKYO/SEOUL (Reuters) -", "ERIE, Pa. —", after an optional "Photo" caption line
DATELINE = re.compile(
    r"^\s*(?:Photo\s*\n\s*)?(?P<city>[A-Z][A-Z.'’ ]+(?:/[A-Z][A-Z.'’ ]+)*)(?:,[^—–\-(\n]{0,40})?\s*"
    r"(?:\([^)\n]{1,40}\))?\s*(?:—|–|--|-)\s+"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
TIME_WORDS = re.compile(
    rf",?\s+(?:(?:on|last|this|early|late|by)\s+)?{_DAY}(?:\s+(?:morning|afternoon|evening|night))?\b"
    r"|\s+(?:yesterday|today|overnight|last\s+week|this\s+week|earlier\s+this\s+month)\b",
    re.IGNORECASE,
)
# house-style swaps an editor makes, both ways
SWAPS = {
    "said": "says", "says": "said", "told": "said to", "percent": "per cent", "U.S.": "US", "people": "persons",
    "about": "around", "more than": "over", "government": "administration", "officials": "authorities",
    "killed": "left dead", "announced": "unveiled", "began": "started", "however": "but", "because": "as",
    "while": "whilst", "nearly": "almost", "among": "amongst", "help": "assist", "show": "indicate",
    "also": "as well", "but": "yet", "largest": "biggest", "city": "town", "big": "large", "asked": "requested",
}  # fmt: skip
_SWAP = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(SWAPS, key=len, reverse=True)) + r")(?!\w)")


_ENDED = re.compile(r"""[.!?…]["'”’)\]]*$""")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def dateline(text: str, rng: random.Random, pool: list[str]) -> str:
    """Rewrite the dateline to another outlet's form ("SEOUL:", "SEOUL (Reuters) -", none), or add one."""
    match = DATELINE.match(text)
    city = match.group("city").split("/")[0].strip() if match else rng.choice(CITIES)
    form = rng.choice([f"{city}: ", f"{city} ({rng.choice(AGENCIES)}) - ", f"{city.title()}, ", "", f"{city} — "])
    body = text[match.end() :] if match else text.lstrip()
    if not form:
        return body[:1].upper() + body[1:]
    return form + body


def time_words(text: str, rng: random.Random, pool: list[str]) -> str:
    """Drop most time words: "on Saturday", "early Tuesday", "yesterday", "last week"."""
    return TIME_WORDS.sub(lambda m: "" if rng.random() < 0.8 else m.group(0), text)


def swap_words(text: str, rng: random.Random, pool: list[str], share: tuple[float, float] = (0.01, 0.03)) -> str:
    """House-style swaps (half of the words in the table) and a few other words replaced (1-3 %)."""
    text = _SWAP.sub(lambda m: SWAPS[m.group(1)] if rng.random() < 0.5 else m.group(1), text)
    rate = rng.uniform(*share)
    return "\n".join(
        " ".join(rng.choice(pool) if rng.random() < rate else word for word in paragraph.split())
        for paragraph in _paragraphs(text)
    )


def reparagraph(text: str, rng: random.Random, pool: list[str]) -> str:
    """The same sentences in the same order, regrouped into paragraphs of one to three sentences (a line without a
    full stop, a caption or a subhead, stays a paragraph of its own)."""
    paragraphs: list[str] = []
    run: list[str] = []
    take = rng.randint(1, 3)
    for sentence in (s for paragraph in _paragraphs(text) for s in split_sentences(paragraph)):
        if not _ENDED.search(sentence):
            paragraphs.extend([" ".join(run), sentence] if run else [sentence])
            run = []
            continue
        run.append(sentence)
        if len(run) >= take:
            paragraphs.append(" ".join(run))
            run, take = [], rng.randint(1, 3)
    return "\n".join([*paragraphs, " ".join(run)] if run else paragraphs)


def abridge(text: str, rng: random.Random, pool: list[str], keep: tuple[float, float] = (0.4, 0.6)) -> str:
    """Cut to 40-60 % of the words: from the bottom, and a sentence dropped here and there on the way (never the
    first)."""
    target = rng.uniform(*keep) * len(text.split())
    kept: list[str] = []
    words = 0
    first = True
    for paragraph in _paragraphs(text):
        sentences = []
        for sentence in split_sentences(paragraph):
            if words >= target:
                break
            if not first and rng.random() < 0.15:
                continue
            first = False
            sentences.append(sentence)
            words += len(sentence.split())
        if sentences:
            kept.append(" ".join(sentences))
        if words >= target:
            break
    return "\n".join(kept)


def rewrite(text: str, rng: random.Random, pool: list[str]) -> str:
    """All of it: dateline rewritten, time words dropped, words swapped (3-6 % besides the house style),
    re-paragraphed, cut to 40-60 %. Two such copies of one text keep about half of the shorter's 5-shingles in the
    other, as the real pair of the issue did (46 %)."""
    swapped = swap_words(time_words(dateline(abridge(text, rng, pool), rng, pool), rng, pool), rng, pool, (0.03, 0.06))
    return reparagraph(swapped, rng, pool)


EDITS: dict[str, Callable[[str, random.Random, list[str]], str]] = {
    "dateline": dateline,
    "time words dropped": time_words,
    "word swaps": swap_words,
    "re-paragraphed": reparagraph,
    "abridged 40-60%": abridge,
    "rewrite+cut": rewrite,
    "rewrite+cut, 2nd outlet": rewrite,
}
