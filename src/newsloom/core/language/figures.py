"""Figures in news text: a number with its qualifier ("more than"), its unit class (money, percent, a counted noun with
synonyms folded: residents/evacuees -> people) and the content words around it, folded to concepts
(evacuated/displaced/evacuees -> ``evacu``), so that the same quantity can be matched across sources. Years, dates,
times, ordinals and ages are skipped, and so is a bare number that counts nothing the text names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsloom.core.language.figure_labels import label
from newsloom.core.language.lexicon import CAPITALISED_NOISE, MONTHS
from newsloom.core.text import fold

_WORD = re.compile(r"[^\W\d_](?:[\w&]|['’\-](?=\w))*")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_QUALIFIERS = {
    "more than": "more than", "over": "more than", "upwards of": "more than", "in excess of": "more than",
    "at least": "at least", "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "up to": "up to", "fewer than": "fewer than",
    "less than": "fewer than", "under": "fewer than",
}  # fmt: skip
_SMALL = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
_SMALL += "eighteen nineteen twenty"
_NUMBER_WORDS = (
    {w: i + 2 for i, w in enumerate(_SMALL.split())}
    | {w: 10 * (i + 3) for i, w in enumerate(["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])}
    | {"a dozen": 12, "a hundred": 100, "a thousand": 1000}
)
_VAGUE = _set("dozens hundreds thousands millions")
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "mn": 1e6, "bn": 1e9}
_MULTIPLIER_NAMES = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"}
_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_SYMBOL_OF = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
_MEASURES = {
    "%": "%", "percent": "%", "per cent": "%", "percentage point": "percentage points",
    "percentage points": "percentage points", "basis points": "basis points", "pounds": "GBP", "pound": "GBP",
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "yen": "JPY", "km": "km", "kilometres": "km",
    "kilometers": "km", "miles": "miles", "metres": "metres", "meters": "metres", "cm": "cm", "mm": "mm",
    "centimetres": "cm", "centimeters": "cm",
    "millimetres": "mm", "millimeters": "mm", "inches": "inches", "feet": "feet", "tonnes": "tonnes", "tons": "tonnes",
    "kg": "kg", "kilograms": "kg", "hectares": "hectares", "acres": "acres", "degrees": "degrees", "mph": "mph",
    "hours": "hours", "days": "days", "weeks": "weeks", "months": "months", "years": "years", "minutes": "minutes",
}  # fmt: skip
# a unit joined to its number: "a 48-hour strike", "the 35-mile trip", "a 40-metre well"
_JOINED_UNITS = {
    "hour": "hours", "day": "days", "week": "weeks", "month": "months", "year": "years", "minute": "minutes",
    "mile": "miles", "kilometre": "km", "kilometer": "km", "km": "km", "metre": "metres", "meter": "metres",
    "foot": "feet", "tonne": "tonnes", "ton": "tonnes", "acre": "acres", "hectare": "hectares",
}  # fmt: skip
_JOINED = re.compile(r"-([a-z]+)(?![\w-])")
_PEOPLE = _set("people persons person individuals residents inhabitants villagers citizens civilians evacuees locals")
_CONCEPTS = {
    word: concept
    for concept, words in {
        "evacu": "evacuated evacuate evacuation evacuees evacuee displaced fled flee relocated",
        "death": "killed dead died deaths death fatalities toll lives",
        "injur": "injured injuries wounded hurt hospitalised hospitalized",
        "missing": "missing unaccounted",
        "arrest": "arrested detained arrests",
        "rescu": "rescued rescue rescuers",
    }.items()
    for word in words.split()
}
_CONCEPT_LABELS = {
    "evacu": "evacuated", "death": "killed", "injur": "injured", "missing": "missing", "arrest": "arrested",
    "rescu": "rescued",
}  # fmt: skip
_NOT_CONTEXT = _set("more than over about around nearly almost some least up to under estimated other additional")
_NUMBER_PART = "|".join(sorted([*_NUMBER_WORDS, *_VAGUE], key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?<![\w.,$£€¥\-])(?:(?P<qual>{'|'.join(sorted(_QUALIFIERS, key=len, reverse=True))})\s+)?"
    rf"(?P<cur>US\$|\$|£|€|¥)?\s?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_NUMBER_PART})"
    rf"(?:\s?(?P<mult>thousand|million|billion|trillion|bn|mn|m)\b)?(?!\w)"
    rf"(?P<pct>\s?%|\s(?:percent|per cent|percentage points?|basis points)\b)?",
    re.IGNORECASE,
)
_CLAUSE_BREAKS = _set("and but while whereas as with after")
_SKIP_BEFORE = _set("no number page route article chapter section room flight platform gate level category")
_ADJECTIVES = _set("new more other additional extra further")  # "1,200 new homes" counts homes
_AGE = re.compile(r"[A-Z][\w'’\-]*,\s*$")  # "Priya Nandakumar, 41, who ...": an age, not a count
_TIME_AFTER = re.compile(r"\s*(?::\d|a\.?m\b|p\.?m\b|gmt\b|utc\b|o'clock)", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A number as reported, with what it counts."""

    unit: str  # unit class: "people", "homes", "GBP", "%", "km", or "" when the text names nothing
    value: float | str  # a float, or a vague amount ("hundreds")
    qualifier: str  # "", "more than", "about", ...
    display: str  # "more than 2,000", "£25 million", "0.25 percentage points"
    label: str  # what it counts or measures: "people evacuated", "emergency payments" (figure_labels.label)
    context: frozenset[str]  # concept keys of the words around the number
    sentence: int
    measure: bool  # the unit is part of the value (money, percent, distance) rather than the thing counted


def _format(value: float, multiplier: float) -> str:
    small = value / multiplier
    text = f"{int(small):,}" if small == int(small) else f"{small:,.6g}"
    return f"{text} {_MULTIPLIER_NAMES[multiplier]}" if multiplier > 1 else text


def _concept(word: str) -> str:
    folded = fold(word)
    return _CONCEPTS.get(folded) or singular(folded)[:5]


def find_figures(sentence: str, index: int) -> list[Figure]:
    """Figures in one sentence (``index`` is recorded with each)."""
    matches = [m for m in _FIGURE.finditer(sentence) if not _skip(sentence, m)]
    figures: list[Figure] = []
    for i, match in enumerate(matches):
        start = matches[i - 1].end() if i else 0
        end = matches[i + 1].start() if i + 1 < len(matches) else len(sentence)
        after = list(_WORD.finditer(re.split(r"[.,;:!?()“”\"]", sentence[match.end() : end], maxsplit=1)[0]))
        before = [w.group(0) for w in _WORD.finditer(sentence[start : match.start()])][-6:]
        # "12 people died and 3,000 were evacuated": "died" belongs to the previous figure; "No deaths were reported,
        # but two people were taken to hospital": the deaths are not what "two" counts
        if i or any(w.lower() in _CLAUSE_BREAKS for w in before):
            cut = max((j for j, w in enumerate(before) if w.lower() in _CLAUSE_BREAKS), default=-1)
            before = before[cut + 1 :]
        figure = _figure(match, [w.group(0) for w in after][:8], before, index, sentence)
        if figure is not None:
            figures.append(figure)
    return figures


def _skip(sentence: str, match: re.Match[str]) -> bool:
    num = match.group("num").lower()
    previous = _WORD.findall(sentence[max(0, match.start() - 20) : match.start()])
    following = _WORD.findall(sentence[match.end() : match.end() + 15])
    if previous and (previous[-1].lower() in _SKIP_BEFORE or fold(previous[-1]) in MONTHS):
        return True
    if (following and fold(following[0]) in MONTHS) or _TIME_AFTER.match(sentence, match.end()):
        return True
    plain = not (match.group("cur") or match.group("mult") or match.group("pct"))
    if plain and _AGE.search(sentence, 0, match.start()) and sentence[match.end() : match.end() + 1] in (",", ".", ""):
        return True
    return plain and num.isdigit() and 1800 <= int(num) <= 2100  # a year


def _figure(match: re.Match[str], after: list[str], before: list[str], index: int, sentence: str) -> Figure | None:
    num = match.group("num").lower()
    qualifier = _QUALIFIERS.get((match.group("qual") or "").lower(), "")
    multiplier = _MULTIPLIERS.get((match.group("mult") or "").lower(), 1.0)
    value: float | str = num if num in _VAGUE else float(_NUMBER_WORDS.get(num) or num.replace(",", "")) * multiplier
    unit = _SYMBOLS.get((match.group("cur") or "").lower(), "")
    pct = " ".join((match.group("pct") or "").split()).lower()
    unit = _MEASURES.get(pct, unit)
    rest = list(after)
    end = match.end()
    joined = _JOINED.match(sentence, end)
    if joined and not unit and joined.group(1) in _JOINED_UNITS:
        unit, end = _JOINED_UNITS[joined.group(1)], joined.end()
        rest = rest[1:]
    elif rest and not unit and fold(rest[0]) in _MEASURES:
        unit = _MEASURES[fold(rest.pop(0))]
        end = sentence.find(after[0], end) + len(after[0])
    counted = ""
    if not unit:
        words = rest[1:] if rest and rest[0].lower() == "of" else rest
        if len(words) > 1 and words[0].lower() in _ADJECTIVES and words[1][:1].islower() and words[1].endswith("s"):
            words = words[1:]
        for position, word in enumerate(words[:2]):
            folded = fold(word)
            if folded not in _PEOPLE and (
                not word[:1].islower()
                or folded in CAPITALISED_NOISE
                or word.endswith(("ed", "ing"))
                or folded in _CONCEPTS
                or (position and not word.endswith("s"))
            ):
                break
            counted = word
        if counted:
            rest = words[words.index(counted) + 1 :]
            unit = "people" if fold(counted) in _PEOPLE else singular(fold(counted))
    measure = bool(unit) and not counted
    if isinstance(value, str) and not counted:
        return None  # "thousands" on its own counts nothing
    if isinstance(value, float):
        number = _format(value, multiplier if multiplier > 1 else (1e6 if value >= 1e6 and value % 1e5 == 0 else 1.0))
    else:
        number = value
    if unit in _SYMBOL_OF:
        number = _SYMBOL_OF[unit] + number
    elif measure:
        number = f"{number}%" if unit == "%" else f"{number} {unit}"
    display = f"{qualifier} {number}".strip()

    def content(words: list[str]) -> list[str]:
        return [w for w in words if w[:1].islower() and fold(w) not in CAPITALISED_NOISE | _NOT_CONTEXT | _PEOPLE]

    words_after, words_before = content(rest), content(before)
    context = {_concept(w) for w in words_after + words_before if fold(w) not in _MEASURES}
    if counted and fold(counted) in _CONCEPTS:
        context.add(_CONCEPTS[fold(counted)])
    concept = next((_CONCEPT_LABELS[c] for c in sorted(context) if c in _CONCEPT_LABELS), None)
    if not unit and not concept:
        return None  # "30 to 40 millimetres" gives "30" alone; a bare number that counts nothing named is no fact
    shown = label(sentence, match.start(), end, unit=unit, counted=counted, measure=measure, concept=concept)
    if shown is None:
        return None  # counts or measures nothing the sentence names: an age, a model number, a date
    return Figure(unit, value, qualifier, display, shown, frozenset(context), index, measure)


def singular(word: str) -> str:
    """Fold a simple English plural of a lower-case word: cities -> city, banks -> bank, taxes -> tax."""
    if len(word) <= 3 or word in _KEEP_PLURAL or not word.endswith("s") or (word.endswith("yes") and word != "eyes"):
        return word
    if word.endswith("ies") and len(word) > 4 and word[-4] not in "aeiou":
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ous", "ics")) or (word.endswith(("as", "os")) and word[-3] not in "eio"):
        return word
    return word[:-1]


_KEEP_PLURAL = _set(
    "news series species states philippines netherlands wales athens angeles reuters politics economics physics "
    "ethics olympics always perhaps whereas across chaos lens means headquarters crossroads analysis crisis thesis "
    "diabetes herpes rabies measles mumps scissors trousers jeans glasses texas paris brussels james charles jones "
    "williams adams davis lewis harris roberts edwards evans phillips collins stevens peters richards gates miles "
    "hughes andes mercedes lagos"
)
