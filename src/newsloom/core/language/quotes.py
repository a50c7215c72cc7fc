"""Quotes in news text and who said them, for :mod:`newsloom.core.enrichment.compare`.

* Direct speech is attributed by the reporting verb around it: ``“…,” said X``, ``“…,” X said`` or ``X said: “…”``.
  A quote that closes a sentence (``“… knees.”``) is not attributed to a name that starts the next sentence; it
  continues the previous quote's speaker when it follows that quote's attribution closely.
* The speaker phrase is resolved to a name of the documents: a person named in it (a person before an organisation),
  a name just after it (``said the association's claims director, Olaf Brenninkmeyer``), or for ``he``/``the
  minister`` the latest fitting person before. Trailing adverbs ("now", "later") are not part of a speaker, and a
  place never speaks.
* ``…, according to X`` gives a reported claim.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsloom.core.language.facts import CONNECTORS, ORGANISATION, PERSON, PLACE, TITLES, Entity, name_key
from newsloom.core.text import fold

PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their"})
_ADVERBS = frozenset(
    {"now", "then", "today", "also", "later", "yesterday", "again", "earlier", "previously", "recently", "however"}
    | {"too", "still", "meanwhile"}
)
_QUOTE = re.compile(r"[“\"]([^“”\"]{12,600}?)[”\"]")
_VERBS = "said|says|told|added|warned|explained|insisted|stressed|declared|according to"
_AFTER_VERB_WHO = re.compile(rf"\s*,?\s*(?:{_VERBS})\s+(?P<who>[^.,;:!?“”\"()]{{2,80}})")
_WHO_BEFORE_VERB = re.compile(r"\s*,?\s*(?P<who>[^.,;:!?“”\"()]{2,60}?)\s+(?:said|says|told|added|warned|explained)\b")
_WHO_THEN_QUOTE = re.compile(r"(?P<who>[^.,;:!?“”\"()]{2,60}?),?\s+(?:said|says|added|warned|told\s+\w+)\s*[:,]?\s*$")
_ACCORDING = re.compile(r",?\s+according to (?P<who>[^.,;:!?“”\"()]{2,80})")
_CLAIM_CHARS = (15, 300)  # the claim before "according to": this many characters, no quote marks
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"])")
_CONTINUATION_GAP = 250  # characters between a quote and the next one that continues it


@dataclass(frozen=True)
class Quote:
    """A quote, or an "according to" claim, with its speaker."""

    speaker: str  # display name, or the speaker phrase when unresolved
    speaker_key: str
    text: str
    evidence: str
    reported: bool  # "according to" paraphrase rather than direct speech


def find_quotes(body: str, entities: Sequence[Entity], sentences: Sequence[str]) -> list[Quote]:
    """The quotes of ``body`` (whose sentences are ``sentences``) with speakers resolved against ``entities``."""
    quotes: list[Quote] = []
    previous: tuple[int, tuple[str, str]] | None = None  # where the last attributed quote's attribution ends, speaker
    for match in _QUOTE.finditer(body):
        raw = match.group(1).strip()
        text = raw.rstrip(",.;:").strip()
        if len(text.split()) < 4:
            continue
        after = body[match.end() : match.end() + 120]
        before = body[max(0, match.start() - 100) : match.start()]
        found = _AFTER_VERB_WHO.match(after)
        if found is None and not raw.endswith("."):  # `“… knees.” Harrowdale council now says`: a new sentence
            found = _WHO_BEFORE_VERB.match(after)
        speaker: tuple[str, str] | None = None
        if found:
            who, at, end = found.group("who"), match.end() + found.start("who"), match.end() + found.end()
            speaker = _speaker(body, who, at, entities)
        elif (found := _WHO_THEN_QUOTE.search(before)) is not None:
            who, at, end = found.group("who"), match.start() - len(before) + found.start("who"), match.end()
            who = re.split(r"(?<=[a-z])\s+(?=[A-Z])", who, maxsplit=0)[-1] if who[:1].islower() else who
            speaker = _speaker(body, who, at, entities)
        elif previous is not None and _continues(body, previous[0], match.start(), previous[1][1], entities):
            speaker, at, end = previous[1], match.start(), match.end()
        if speaker:
            evidence = _evidence(body, min(at, match.start()), end, sentences)
            quotes.append(Quote(speaker[0], speaker[1], text, evidence, False))
            previous = (max(end, match.end()), speaker)
        else:
            previous = None
    quotes.extend(_according(body, entities, sentences))
    return quotes


def _according(body: str, entities: Sequence[Entity], sentences: Sequence[str]) -> list[Quote]:
    """``<claim>, according to X``: found from each "according to" backwards (a regex that scans forward for the
    claim costs a 300-character attempt at every position of the text)."""
    found = []
    since = 0  # the end of the previous claim's attribution: claims do not overlap
    for match in _ACCORDING.finditer(body):
        window = body[max(since, match.start() - _CLAIM_CHARS[1]) : match.start()]
        claim_at = match.start() - len(window) + 1 + max(window.rfind(mark) for mark in "“”\"")
        claim = body[claim_at : match.start()]
        since = match.end()
        if len(claim) < _CLAIM_CHARS[0]:
            continue
        speaker = _speaker(body, match.group("who"), match.start("who"), entities)
        if speaker:
            claim = re.split(r"(?<=[.!?])\s+", claim.strip())[-1]
            evidence = _evidence(body, claim_at, match.end(), sentences)
            found.append(Quote(speaker[0], speaker[1], claim, evidence, True))
    return found


def _continues(body: str, since: int, start: int, key: str, entities: Sequence[Entity]) -> bool:
    """Whether an unattributed quote at ``start`` goes on with the speaker ``key`` of the quote attributed before it.

    It does when little text lies between (at most one sentence ends there) and no other person is named there.
    """
    gap = body[since:start]
    if len(gap) > _CONTINUATION_GAP or _QUOTE.search(gap) or len(_SENTENCE_END.findall(gap + " X")) > 1:
        return False
    return not any(e.kind == PERSON and e.key != key and since <= e.offset < start for e in entities)


def _speaker(body: str, who: str, offset: int, entities: Sequence[Entity]) -> tuple[str, str] | None:
    """(display, key) of the speaker phrase ``who`` found at ``offset`` in ``body``."""
    stripped = who.strip()
    offset += len(who) - len(who.lstrip())
    words = stripped.split()[:8]
    while words and words[-1].lower() in _ADVERBS:  # "Harrowdale council now says"
        words.pop()
    if not words:
        return None
    span = len(" ".join(words))
    appositive = body[offset + span : offset + span + 2] == ", "  # "the association's claims director, Olaf B…"
    reach = offset + span + (2 if appositive else 0)
    named = [e for e in entities if offset <= e.offset <= reach and e.kind in (PERSON, ORGANISATION)]
    people = [e for e in named if e.kind == PERSON]
    if people or named:  # a person named in (or just after) the phrase speaks rather than the body they belong to
        best = min(people or named, key=lambda e: e.offset)
        if best.kind == PERSON or best.offset < offset + span:
            return _display(best.key, entities), best.key
    lowered = [w.lower() for w in words]
    if lowered[0] in PRONOUNS or lowered[0] in _DETERMINERS:
        earlier = [e for e in entities if e.kind == PERSON and 0 <= e.offset < offset]
        role_words = {w for w in lowered if w in TITLES}
        fitting = [e for e in earlier if e.role and role_words & {fold(w) for w in e.role.split()}]
        chosen = (fitting or earlier)[-1] if earlier else None
        if chosen is not None and (lowered[0] in PRONOUNS or role_words):
            return _display(chosen.key, entities), chosen.key
        return None
    if len(words) > 4 or lowered[0] in PRONOUNS:
        return None
    if not all(w[:1].isupper() or w.lower() in CONNECTORS for w in words):
        return None  # "Harrowdale council": a phrase, not a name
    key = name_key(" ".join(words))
    if any(e.kind == PLACE and (e.key == key or offset <= e.offset < offset + span) for e in entities):
        return None  # a place does not speak
    return " ".join(words), key


def _display(key: str, entities: Sequence[Entity]) -> str:
    names = Counter(e.name for e in entities if e.key == key and len(name_key(e.name).split()) == len(key.split()))
    return min(names, key=lambda n: (-names[n], n)) if names else key.title()


def _evidence(body: str, start: int, end: int, sentences: Sequence[str]) -> str:
    """The sentences of ``body`` overlapping ``[start, end)``, at most about 400 characters."""
    chosen: list[str] = []
    position = 0
    for sentence in sentences:
        stop = position + len(sentence)
        if stop > start and position < end:
            chosen.append(sentence)
        position = stop + 1
    text = " ".join(chosen) or body[start:end]
    return text if len(text) <= 400 else text[:397].rsplit(" ", 1)[0] + "…"
