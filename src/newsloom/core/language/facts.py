"""Facts in news articles, found by cheap offline heuristics: named people, places and organisations, and figures
with what they count (:mod:`newsloom.core.language.figures`). (Quotes and their speakers are found in
:mod:`newsloom.core.language.quotes`.)

* Names are runs of capitalised words (``Bank of England``). A sentence-initial word is dropped when it is a stop
  word or is written in lower case anywhere in the documents ("Heavy rain", "Officials said"). Words of four or more
  capitals that only shout ("TERROR IN THE NIGHT") are not names. A run is a person after a title ("Environment
  Minister Tom Reyes" -> Tom Reyes, role Environment Minister) or as two or three plain words; an organisation with an
  organisation word (Bank, Agency, Ltd; "Association of ...") or as an acronym; a place with a place word (River
  Tessel, Tessel Valley), a following "district"/"province", the built-in alias table, after "in"/"near"/"from" or
  after "the village of"; a possessive is the name it belongs to ("Russia's" is Russia) and a demonym the place it
  names ("North Korean" is North Korea; "North Koreans" are people, not a place). A lone word is kept only when the
  documents resolve it: a known person's surname, an acronym introduced as ``Name (ACR)``, or a name classified
  elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsloom.core.language.figures import Figure, find_figures, singular
from newsloom.core.language.lexicon import CAPITALISED_NOISE, DEMONYMS, LATIN_ALIASES, MONTHS, UPPERCASE_ONLY
from newsloom.core.text import fold, split_sentences

PERSON, PLACE, ORGANISATION = "person", "place", "organisation"


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _set(
    "president minister prime secretary governor mayor senator chancellor chief director spokesperson spokesman "
    "spokeswoman commissioner inspector superintendent judge justice general colonel captain sergeant officer king "
    "queen prince princess pope ambassador premier chairman chairwoman chair ceo head leader deputy vice mr mrs ms "
    "miss dr prof professor sir dame lord lady rep sen gov mp councillor sheriff detective constable admiral "
    "lieutenant lt col gen capt sgt supt insp det economist analyst founder manager coach chairperson president-elect "
    "hydrologist meteorologist forecaster scientist researcher engineer historian lawyer attorney reporter "
    "correspondent journalist photographer"
)
ORG_WORDS = _set(
    "bank agency ministry department council committee commission authority service services office party union "
    "association corporation corp inc ltd plc llc group company co university college institute court parliament "
    "senate congress assembly police army navy force forces board fund foundation trust organisation organization "
    "bureau network news press times post airlines airways club federation society centre center hospital school "
    "church cabinet government administration coalition alliance movement brigade guard reserve exchange ag gmbh "
    "holdings industries technologies systems labs media broadcasting tribunal secretariat nations institution "
    "command directorate unit programme program fc mutual insurers"
)
PLACE_WORDS = _set(
    "river valley county district province city town village island islands mountain mountains mount lake bay sea "
    "ocean gulf street road avenue square region coast peninsula desert forest park bridge dam canyon strait heights "
    "hills falls harbour harbor port shire state territory borough estuary creek delta plain plains"
)
PLACE_AFTER = _set(
    "district province county region city town village area valley river state suburb neighbourhood neighborhood "
    "municipality island coast capital border"
)
PLACE_FIRST = _set("river lake mount mt loch cape isle fort county")  # River Tessel, Lake Geneva, Mount Kenya
PLACE_BEFORE = _set("in at near from across outside into towards toward throughout inside around")
CONNECTORS = _set("of for de da van von der del la le al bin du di")
_ORG_ALIASES = _set(
    "european_union asean united_nations who imf world_bank nato interpol federal_reserve european_central_bank "
    "reuters bloomberg white_house"
)
_NOT_NAMES = CAPITALISED_NOISE | frozenset(MONTHS) | _set("god internet gp tv")

_WORD = re.compile(r"[^\W\d_](?:[\w&]|['’\-](?=\w))*")
_DOTTED = re.compile(r"\b((?:[A-Z]\.){2,})")
_ACRONYM_INTRO = re.compile(r"((?:[A-Z][\w'’\-]*\s+(?:(?:of|for|and|the)\s+){0,2}){1,7})\(([A-Z]{2,7})\)")
_INITIAL_PREFIX = re.compile(r"""(?:^|[“"‘(:—–]\s*|\s-\s)$""")


@dataclass(frozen=True)
class Entity:
    """One mention of a name; ``key`` identifies it across documents after resolution."""

    kind: str
    key: str
    name: str
    role: str | None
    sentence: int  # index into DocFacts.sentences; 0 is the title
    offset: int  # character offset in DocFacts.body (-1 for the title)


@dataclass(frozen=True)
class DocFacts:
    sentences: tuple[str, ...]  # the title, then the body's sentences
    body: str  # the body's sentences joined by single spaces
    entities: tuple[Entity, ...]
    figures: tuple[Figure, ...]


@dataclass
class _Run:
    words: list[str]
    sentence: int
    offset: int
    initial: bool
    before: str  # the lower-cased word before the run
    before2: str  # the lower-cased word before that ("village" in "the village of Kettering Cross")
    after: str  # the word after the run (as written)


def name_key(name: str) -> str:
    return " ".join(fold(word) for word in name.split())


def _shouted(words: Sequence[str], i: int) -> bool:
    """Whether ``words[i]``, written in capitals, stands next to another word in capitals ("TERROR IN THE NIGHT")."""
    return any(0 <= j < len(words) and words[j].isupper() and len(words[j]) > 1 for j in (i - 1, i + 1))


def _shouting(sentence: str, title: bool, known: frozenset[str]) -> frozenset[str]:
    """Words of ``sentence`` in capitals that are emphasis (a headline or kicker shouting), not acronyms.

    A word of four or more capitals is emphasis when it stands among other words in capitals, or in a title when the
    bodies never write it in capitals, unless the documents also write it as a name ("RIVERTON" and "Riverton"), it is
    an acronym introduced as ``Name (ACR)`` or it is a known name.
    """
    words = _WORD.findall(sentence)
    return frozenset(
        word
        for i, word in enumerate(words)
        if word.isupper() and len(word) >= 4 and fold(word) not in known and (title or _shouted(words, i))
    )


def _runs(sentence: str, index: int, offset: int, shouting: frozenset[str] = frozenset()) -> list[_Run]:
    """Runs of capitalised words, broken by punctuation, possessives, non-name words and ``shouting``."""
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", "").ljust(len(m.group(1))), sentence)
    words = list(_WORD.finditer(text))
    runs: list[_Run] = []
    current: list[re.Match[str]] = []
    written: list[str] = []  # the words of ``current``, a possessive's "'s" dropped ("Russia's" -> "Russia")

    def flush(next_word: str) -> None:
        while current and current[-1].group(0).lower() in CONNECTORS:
            current.pop()
            written.pop()
        if current:
            first = current[0]
            before = text[: first.start()]
            previous = _WORD.findall(before[-30:])
            runs.append(
                _Run(
                    list(written),
                    index,
                    offset + first.start(),
                    bool(_INITIAL_PREFIX.search(before)),
                    previous[-1].lower() if previous else "",
                    previous[-2].lower() if len(previous) > 1 else "",
                    next_word,
                )
            )
        current.clear()
        written.clear()

    for i, match in enumerate(words):
        word = match.group(0)
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word = word[:-2]
        capital = word[:1].isupper() and fold(word) not in _NOT_NAMES and word not in shouting
        connector = bool(current) and word.lower() in CONNECTORS and i + 1 < len(words)
        gap = text[current[-1].end() : match.start()] if current else " "
        if current and gap.strip():
            flush(word)
        if capital or (connector and words[i + 1].group(0)[:1].isupper()):
            current.append(match)
            written.append(word)
            if possessive:
                flush("'s")
        else:
            flush(word)
    flush("")
    return runs


def _classify(run: _Run, lower_vocab: frozenset[str]) -> tuple[str, str, str | None] | None:
    """(kind or "", name, role) for a run; "" when only the documents can tell."""
    words = list(run.words)
    titled = len(words) > 1 and fold(words[1]) in TITLES
    if run.initial and not words[0].isupper() and fold(words[0]) in lower_vocab and not titled:
        words = words[1:]
        while words and words[0].lower() in CONNECTORS:
            words = words[1:]
    if not words:
        return None
    folded = [fold(w) for w in words]
    title_at = max((i for i, w in enumerate(folded) if w.rstrip(".") in TITLES), default=-1)
    if title_at >= 0 and not any(w in ORG_WORDS for w in folded[title_at + 1 :]):
        role = " ".join(words[: title_at + 1]) or None
        name = words[title_at + 1 :]
        if not name or len(name) > 3:
            return None
        return (PERSON if len(name) > 1 else "", " ".join(name), role)
    phrase = " ".join(folded)
    place = DEMONYMS.get(phrase)
    if place is not None:  # "North Korean", "Russian": the place they name
        return PLACE, place, None
    if phrase.endswith("s") and phrase[:-1] in DEMONYMS:  # "Russians", "North Koreans": people, not a place
        return None
    alias = LATIN_ALIASES.get(phrase)
    if alias and (phrase not in UPPERCASE_ONLY or words[0].isupper()):
        return (ORGANISATION if alias.replace(" ", "_") in _ORG_ALIASES else PLACE, " ".join(words), None)
    if any(w in ORG_WORDS for w in folded[1:]) or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
        return ORGANISATION, " ".join(words), None
    if len(words) > 2 and folded[0] in ORG_WORDS and folded[1] in ("of", "for"):  # Association of Regional Insurers
        return ORGANISATION, " ".join(words), None
    if any(w in PLACE_WORDS for w in folded[1:]) or fold(run.after) in PLACE_AFTER:
        return PLACE, " ".join(words), None
    if (len(words) > 1 and folded[0] in PLACE_FIRST) or (run.before == "of" and run.before2 in PLACE_AFTER):
        return PLACE, " ".join(words), None
    if run.before in PLACE_BEFORE and len(words) <= 2:
        return PLACE, " ".join(words), None
    if len(words) in (2, 3) and all(w[:1].isupper() and w.isalpha() for w in words):
        return PERSON, " ".join(words), None
    if len(words) == 1:
        return "", words[0], None
    return None


def _acronyms(texts: Sequence[str]) -> dict[str, str]:
    """``National Disaster Agency (NDA)`` -> {"nda": "national disaster agency"}."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _ACRONYM_INTRO.finditer(text):
            acronym = match.group(2)
            words = match.group(1).split()
            for start in range(len(words)):
                tail = words[start:]
                initials = "".join(w[0] for w in tail if w[:1].isupper())
                if initials == acronym and tail[0][:1].isupper():
                    found.setdefault(acronym.lower(), name_key(" ".join(tail)))
                    break
    return found


def extract_facts(docs: Sequence[tuple[str, str]], *, figures: bool = True) -> list[DocFacts]:
    """Facts of each ``(title, text)``; names are resolved across all the documents together. ``figures=False``
    leaves the figures out (a tenth of the time; hashtags need only the names)."""
    sentence_lists = [(title.strip(), split_sentences(text)) for title, text in docs]
    lower_vocab = frozenset(
        fold(m.group(0))
        for _, sentences in sentence_lists
        for sentence in sentences
        for m in _WORD.finditer(sentence)
        if m.group(0)[:1].islower()
    )
    acronyms = _acronyms([" ".join(s) for _, s in sentence_lists])
    names = {
        fold(w)
        for title, s in sentence_lists
        for w in _WORD.findall(" ".join([title, *s]))
        if w[:1].isupper() and w[1:2].islower()
    }  # words written as names: "Riverton" lets "RIVERTON" be a name too
    known = frozenset(names | acronyms.keys() | {alias for alias in LATIN_ALIASES if " " not in alias})
    in_bodies = frozenset(  # acronyms the bodies use plainly ("NASA said"), which a title may use too
        fold(words[i])
        for _, sentences in sentence_lists
        for words in (_WORD.findall(sentence) for sentence in sentences)
        for i in range(len(words))
        if words[i].isupper() and not _shouted(words, i)
    )
    raw: list[list[tuple[str, str, str | None, int, int]]] = []
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for title, sentences in sentence_lists:
        mentions: list[tuple[str, str, str | None, int, int]] = []
        position = 0
        for index, sentence in enumerate([title, *sentences]):
            offset = -1 if index == 0 else position
            shouting = _shouting(sentence, index == 0, known | in_bodies if index == 0 else known)
            for run in _runs(sentence, index, max(offset, 0), shouting):
                classified = _classify(run, lower_vocab)
                if classified is None:
                    continue
                kind, name, role = classified
                key = acronyms.get(name_key(name), name_key(name))
                mentions.append((kind, name, role, index, -1 if index == 0 else run.offset))
                if kind:
                    votes[key][kind] += 1
            if index:
                position += len(sentence) + 1
        raw.append(mentions)
    surnames: dict[str, set[str]] = defaultdict(set)
    for key, counter in votes.items():
        if counter.most_common(1)[0][0] == PERSON and len(key.split()) > 1:
            surnames[key.split()[-1]].add(key)
    results: list[DocFacts] = []
    for (title, sentences), mentions in zip(sentence_lists, raw, strict=True):
        body = " ".join(sentences)
        entities: list[Entity] = []
        for kind, name, role, index, offset in mentions:
            key = acronyms.get(name_key(name), name_key(name))
            owners = surnames.get(key, set())
            if len(owners) == 1 and key not in owners:
                key, kind = next(iter(owners)), PERSON
            elif key in votes:
                kind = max(sorted(votes[key]), key=lambda k, c=votes[key]: c[k])  # type: ignore[misc]
            if not kind or (kind == PERSON and len(key.split()) < 2):
                continue
            entities.append(Entity(kind, key, name, role, index, offset))
        found = [f for i, s in enumerate([title, *sentences]) for f in find_figures(s, i)] if figures else []
        results.append(DocFacts((title, *sentences), body, tuple(entities), tuple(found)))
    return results


__all__ = ["DocFacts", "Entity", "Figure", "extract_facts", "find_figures", "name_key", "singular"]
