"""What a figure counts or measures, in the words of its sentence: "people evacuated", "rest centres opened", "water
levels at the Ashbury gauge", "shares in Harrow Mutual fell", "cost of the recall".

:func:`label` reads the words around one figure of a sentence:

- a count names its noun phrase ("four rest centres", "900 blankets and hygiene kits") and what happened to it: the
  participle after it ("two people were taken to hospital", "600 people had spent the night") or the verb before it
  ("opened four rest centres", "will employ 19,000 people");
- a measure (money, a percentage, a distance, an area) names what it measures: the noun phrase it qualifies ("a 9
  percent pay increase", "a reward of 250,000 euros", "three days of torrential rain"), the object of the verb that
  sets it ("put the damage to shops and warehouses at ..."), the subject of the verb that reaches it ("water levels
  at the Ashbury gauge peaked at ..."), the change a verb reports ("shares in Harrow Mutual fell 1.4 per cent") or a
  dimension ("the well was 40 metres deep": depth of the well);
- a figure that counts or measures nothing the sentence names gets no label (None), and the comparison leaves it out:
  ages ("the 29-year-old"), model and edition numbers ("PulsePack 20", "Apollo 11"), times and scores, spans of time
  that only date something ("in seven weeks", "14 months ago").

It is word lists and word order, no parser: bench/fact_labels.py scores it against the labels a person gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["label"]


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[^\W\d_](?:[\w&]|['’\-](?=\w))*|\d[\d,.]*|[^\w\s]")
_ARTICLES = _set("a an the its their his her our this that these those")
_FUNCTION = _ARTICLES | _set(
    """of in on at to from by for with into onto over under about after before during since until than as and or but
    nor so yet if while when where which who whom whose what why how all some any each every no not per via up down out
    off near across between through around among along within without against toward towards there here it they he
    she we you i them him us me is are was were be been being am has have had having do does did will would shall
    should can could may might must also only just still even more most less least very much many such other another
    same both either neither one record reported estimated total just next last year years week weeks month
    months today yesterday tomorrow two three four five six seven eight nine ten eleven twelve dozen dozens hundred
    hundreds thousand thousands million millions billion"""
)
_AUXILIARY = _set("is are was were be been being has have had will would could may might should can shall must")
_IRREGULAR = {
    "took": "taken", "take": "taken", "gave": "given", "give": "given", "made": "made", "make": "made",
    "sent": "sent", "send": "sent", "sold": "sold", "sell": "sold", "lost": "lost", "lose": "lost", "found": "found",
    "find": "found", "held": "held", "hold": "held", "built": "built", "build": "built", "won": "won", "win": "won",
    "left": "left", "leave": "left", "kept": "kept", "keep": "kept", "spent": "spent", "spend": "spent",
    "paid": "paid", "pay": "paid", "fly": "flown", "flew": "flown", "flown": "flown", "grew": "grown",
    "grow": "grown", "brought": "brought", "bring": "brought", "bought": "bought", "buy": "bought", "drew": "drawn",
    "draw": "drawn", "shot": "shot", "shoot": "shot", "hit": "hit", "cut": "cut", "put": "put", "set": "set",
    "shut": "shut", "hurt": "hurt", "stole": "stolen", "steal": "stolen", "drove": "driven", "drive": "driven",
    "saw": "seen", "see": "seen", "led": "led", "lead": "led", "met": "met", "meet": "met", "ran": "run",
    "run": "run", "caught": "caught", "catch": "caught", "fed": "fed", "feed": "fed", "laid": "laid", "lay": "laid",
    "taken": "taken", "given": "given", "seen": "seen", "done": "done", "shown": "shown", "known": "known",
    "thrown": "thrown", "driven": "driven", "stolen": "stolen",
}  # fmt: skip
# verbs that are no word of a noun phrase, besides anything ending in -ed (no word that is also a noun: "offer",
# "cost", "supply" are left to _COUNT_VERBS)
_VERBS = _set(
    """said says told tells adds expects believes thinks wants warns promises announces includes generates reaches
    gets got has have had employs carries serves operates owns hires supplies receives delivers destroys kills saves
    collects offers lists seeking seeks costing took taken gave given made sent sold lost found held built won left
    kept spent paid flew flown grew grown brought bought drew drawn shot stole stolen drove driven saw seen led met
    ran caught fed laid done shown known thrown generate employ receive deliver destroy collect expect believe think"""
)
# verbs (and their third person) that may stand right before a count: "will employ about 19,000 people"
_COUNT_VERBS = _VERBS | _set(
    "employ carry serve operate own hire receive deliver open close destroy kill save collect generate fly "
    "build sell send win keep"
)
_NOT_VERBS = _set("including involving following according excluding concerning regarding during leaving making")
_CHANGE = _set(
    """rose fell jumped dropped climbed slid gained edged surged plunged tumbled slumped soared increased decreased
    declined shrank sank rallied slipped dipped advanced retreated"""
)
_SETTING = _set("put putting raised raising lifted lifting cut cutting lowered lowering set setting taking took")
_VALUING = _set("valued valuing values value")
_REACHING = _set("stood stands reached reaches peaked peaks totalled totaled hit hits")
_LASTING = _set("lasted lasts lasting took")
_COSTING = {"cost": "cost", "costs": "cost", "costing": "cost", "worth": "value", "pay": "payment",
            "paid": "payment", "paying": "payment", "save": "savings", "saving": "savings", "spend": "spending",
            "spending": "spending"}  # fmt: skip
_DIMENSIONS = {"wide": "width", "deep": "depth", "long": "length", "tall": "height", "high": "height",
               "across": "width", "thick": "thickness"}  # fmt: skip
_ADVERBS = _set("forward back up down out away off")
_TIME_UNITS = _set("minutes hours days weeks months years")
_AREA_UNITS = _set("hectares acres")
_MONEY = _set("USD GBP EUR JPY")
_DATED_BEFORE = _set("in within after for over since from")
_DATED_AFTER = _set("ago later earlier old time from")
_MONEY_NOUNS = _set(
    """fees revenue assets sales damages damage funding aid losses profit profits savings compensation fines cash
    costs wages income spending investment investments bonuses benefits subsidies grants donations payments"""
)
_CONCEPT_NOUNS = _set("injuries deaths fatalities arrests rescues casualties evacuations")
_QUALIFYING = _set(
    "a an the least at more than about around some nearly almost up to roughly over further another record reported "
    "estimated total combined just only"
)
_PARTICLES = _set("through across over off into")
_TEMPERATURE = _set("temperature temperatures thermometer mercury")
_MAX_PHRASE = 4


@dataclass(frozen=True)
class _Token:
    text: str
    start: int

    @property
    def word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start()) for m in _TOKEN.finditer(text)]


def _verbish(token: _Token) -> bool:
    lower = token.lower
    return (lower.endswith("ed") and len(lower) > 4) or lower in _VERBS or lower in _AUXILIARY


def _content(token: _Token) -> bool:
    """A word that can be part of a noun phrase."""
    lower = token.lower
    return token.word and lower not in _FUNCTION and not _verbish(token) and not lower.endswith("ly")


def _adjectival(tokens: list[_Token], i: int) -> bool:
    """ "the combined company", "the expected rise": a participle between an article and a noun."""
    return (0 < i < len(tokens) - 1 and tokens[i].lower.endswith("ed") and tokens[i - 1].lower in _ARTICLES
            and _content(tokens[i + 1]))  # fmt: skip


def _phrase_after(tokens: list[_Token], at: int, *, of: bool = False) -> list[_Token]:
    """The noun phrase starting at ``at``: content words, "and"/"or" joining two of them ("blankets and hygiene
    kits"); with ``of``, one "of" phrase after it ("chance of a further increase")."""
    phrase: list[_Token] = []
    i = at
    while i < len(tokens) and len(phrase) < _MAX_PHRASE:
        token = tokens[i]
        if _content(token) or _adjectival(tokens, i):
            if phrase and token.capital and not phrase[-1].capital:
                break  # a name starts: the phrase ended
            plural = phrase and (phrase[-1].lower.endswith("s") or phrase[-1].lower in ("people", "men", "women"))
            if plural and token.lower.endswith("ing"):
                break  # "cases going back", "members voting": a participle after the noun
            phrase.append(token)
        elif token.lower in ("and", "or") and phrase and i + 1 < len(tokens) and _content(tokens[i + 1]):
            phrase.append(token)
        else:
            break
        i += 1
    if of and phrase and i + 1 < len(tokens) and tokens[i].lower == "of":
        j = i + 1 + (tokens[i + 1].lower in _ARTICLES)
        tail = _phrase_after(tokens, j)
        if tail and not tail[0].capital:
            phrase = [*phrase, tokens[i], *tail]
    return phrase


def _phrase_before(tokens: list[_Token], end: int, *, joins: int = 1) -> list[_Token]:
    """The noun phrase ending just before ``end``, with up to ``joins`` "of"/"in"/"at"/"to"/"and" inside ("shares in
    Harrow Mutual", "water levels at the Ashbury gauge")."""
    phrase: list[_Token] = []
    i = end - 1
    while i >= 0 and len(phrase) < 2 * _MAX_PHRASE:
        token = tokens[i]
        if _content(token) or (phrase and _adjectival(tokens, i)):
            phrase.insert(0, token)
        elif token.lower in ("the", "a", "an") and phrase:
            if token.lower == "the":
                phrase.insert(0, token)
        elif token.lower in ("of", "in", "at", "and") and phrase and joins > 0 and i > 0 and (_content(tokens[i - 1])):
            phrase.insert(0, token)
            joins -= 1
        elif token.lower in ("'s", "’s") and phrase:
            phrase.insert(0, token)
        else:
            break
        i -= 1
    while phrase and not _content(phrase[0]) and phrase[0].lower != "the":
        phrase.pop(0)
    return phrase


def _words(phrase: list[_Token], *, article: bool = False) -> str:
    """The phrase as written; a leading "the" only with ``article`` ("cost of the recall", not "the recall fell")."""
    if phrase and phrase[0].lower == "the" and not article:
        phrase = phrase[1:]
    out = []
    for n, token in enumerate(phrase):
        text = token.text
        if n == 0 and token.start == 0 and text[1:].islower():
            text = text.lower()  # "Shares in Skybridge" at the start of the sentence
        out.append(text)
    return " ".join(out).replace(" 's", "'s").replace(" ’s", "’s")


def _participle(word: str) -> str:
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith("ed"):
        return lower
    if lower.endswith("ing") and len(lower) > 5:
        stem = lower[:-3]
        return stem + "d" if stem.endswith("e") else stem + "ed"
    if lower.endswith("ies"):
        return lower[:-3] + "ied"
    if lower.endswith("s") and not lower.endswith("ss"):
        lower = lower[:-1]
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ied"
    return lower + "d" if lower.endswith("e") else lower + "ed"


def _predicate(tokens: list[_Token], at: int) -> str:
    """What the words after a counted noun say happened to it: "were taken to hospital", "had spent the night", "have
    been approved", "voting for the increase", "that caused minor property damage"."""
    i = at
    relative = ""
    if i < len(tokens) and tokens[i].lower in ("who", "that", "which"):
        relative, i = tokens[i].lower, i + 1
    auxiliaries = 0
    while i < len(tokens) and tokens[i].lower in _AUXILIARY:
        i, auxiliaries = i + 1, auxiliaries + 1
    if i >= len(tokens) or tokens[i].lower in _NOT_VERBS:
        return ""
    verb = tokens[i]
    ing = verb.lower.endswith("ing") and len(verb.lower) > 5
    if not (verb.lower.endswith("ed") or verb.lower in _IRREGULAR or (ing and not auxiliaries)):
        return ""
    rest = tokens[i + 1 : i + 5]
    words = [verb.lower if ing or relative else _participle(verb.text)]
    if rest and rest[0].lower in ("for", "against") and len(rest) > 1:
        tail = _phrase_after(tokens, i + 2 + (rest[1].lower in _ARTICLES))
        if tail:  # "voting for the increase"
            words += [rest[0].lower, *(["the"] if rest[1].lower == "the" else []), _words(tail)]
    elif ing:
        return ""  # "cases going back", "people facing a lifetime": not what was counted
    elif rest and rest[0].lower in ("to", "from", "into") and len(rest) > 1 and rest[1].word:
        if rest[1].lower not in _FUNCTION and not rest[1].capital:  # "taken to hospital", "ordered to leave"
            words += [rest[0].lower, rest[1].lower]
    elif rest and (rest[0].lower in _ARTICLES or _content(rest[0])):
        tail = _phrase_after(tokens, i + 1 + (rest[0].lower in _ARTICLES))
        if tail and not tail[0].capital:  # "had spent the night", "had lost fencing and feed"
            words += [*(["the"] if rest[0].lower == "the" else []), _words(tail)]
    return " ".join([relative, *words]).strip()


def label(sentence: str, start: int, end: int, *, unit: str, counted: str, measure: bool,
          concept: str | None) -> str | None:  # fmt: skip
    """The label of the figure at ``sentence[start:end]`` (the number, its qualifier and its unit as matched), or
    None when it counts or measures nothing worth showing."""
    tokens = _tokens(sentence)
    first = next((i for i, t in enumerate(tokens) if t.start >= start), len(tokens))
    after = next((i for i, t in enumerate(tokens) if t.start >= end), len(tokens))
    if _not_a_fact(sentence, tokens, first, after, start, end, unit, measure):
        return None
    if counted:
        phrase = _count_phrase(tokens, after, counted)
        if concept and not any(t.lower in _CONCEPT_NOUNS for t in phrase):
            return f"{_noun(counted)} {concept}"
        return _count_label(tokens, first - 1, after, phrase)
    if concept and not measure:
        return f"people {concept}"
    return _measure_label(tokens, first - 1, after, unit) or (concept if concept else None)


def _noun(counted: str) -> str:
    lower = counted.lower()
    return "people" if lower in ("residents", "persons", "individuals", "inhabitants") else lower


def _not_a_fact(sentence: str, tokens: list[_Token], first: int, after: int, start: int, end: int, unit: str,
                measure: bool) -> bool:  # fmt: skip
    tail = sentence[end : end + 12].lower()
    if re.match(r"-year-old|\s+years? old|[-–]\d|:\d", tail) or re.search(r"\d[-–:]$", sentence[:start]):
        return True  # an age, a score ("2-1"), a time ("04:12")
    if not measure and first > 0 and tokens[first - 1].capital and _content(tokens[first - 1]):
        return True  # "PulsePack 20", "Apollo 11", "Formula 1": part of a name
    if unit in _TIME_UNITS:
        previous = tokens[first - 1].lower if first > 0 else ""
        following = tokens[after].lower if after < len(tokens) else ""
        lasting = previous in _LASTING or (following == "of" and after + 1 < len(tokens))
        if not lasting and (previous in _DATED_BEFORE or following in _DATED_AFTER or following in ("'", "’")):
            return True  # "in seven weeks", "14 months ago", "two years' time": when, not how long
    return False


def _count_phrase(tokens: list[_Token], after: int, counted: str) -> list[_Token]:
    at = after + (after < len(tokens) and tokens[after].lower == "of")
    phrase = _phrase_after(tokens, at, of=True)
    if counted.lower() not in {t.lower for t in phrase}:
        phrase = [t for t in tokens[after : after + 3] if t.lower == counted.lower()][:1]
    return phrase


def _count_label(tokens: list[_Token], before: int, after: int, phrase: list[_Token]) -> str:
    noun = _noun(_words(phrase)) if len(phrase) == 1 else _words(phrase)
    end = after + (after < len(tokens) and tokens[after].lower == "of") + len(phrase)
    # "residents of Calder Ridge were ordered to leave", "schools in the Riverton district were closed": past a
    # place to the verb
    if end + 1 < len(tokens) and tokens[end].lower in ("of", "in", "from"):
        skip = end + 1 + (tokens[end + 1].lower == "the")
        if skip < len(tokens) and tokens[skip].capital:
            while skip < len(tokens) and tokens[skip].capital:
                skip += 1
            skip += skip < len(tokens) and tokens[skip].lower in ("district", "county", "area", "region", "city")
            if skip < len(tokens) and tokens[skip].lower in _AUXILIARY:
                end = skip
    predicate = _predicate(tokens, end)
    if predicate:
        return f"{noun} {predicate}"
    verb = _verb_before(tokens, before)
    if verb is not None:
        return f"{noun} {_participle(verb.text)}"
    return noun


def _verb_before(tokens: list[_Token], before: int) -> _Token | None:
    """The verb of which the counted things are the object: "opened four rest centres", "destroying at least two
    homes", "watched by about 15,000 people", "will employ about 19,000 people"."""
    i = before
    while i >= 0 and tokens[i].lower in _QUALIFYING:
        i -= 1
    if i >= 1 and tokens[i].lower == "by" and tokens[i - 1].lower.endswith("ed"):
        i -= 1  # a passive's agent: "watched by ... people"
    elif i >= 1 and tokens[i].lower in _PARTICLES and tokens[i - 1].lower.endswith("ed"):
        i -= 1  # "burned through roughly 8,000 hectares"
    if i < 0 or not tokens[i].word or tokens[i].lower in _NOT_VERBS or tokens[i].lower in _AUXILIARY:
        return None
    lower = tokens[i].lower
    if lower in ("cost", "costs", "costing", "have", "has", "had", "include", "includes", "list", "lists", "seeking"):
        return None
    if lower.endswith("ed") or lower.endswith("ing") or lower in _COUNT_VERBS:
        return tokens[i]
    return None


def _measure_label(tokens: list[_Token], before: int, after: int, unit: str) -> str | None:
    following = tokens[after] if after < len(tokens) else None
    verb = _verb_before(tokens, before)
    if unit in _AREA_UNITS and verb is not None and verb.lower.endswith("ed"):
        return f"area {verb.lower}"  # "burned about 6,500 hectares"
    i = before
    while i >= 0 and tokens[i].lower in _QUALIFYING - {"to", "at"}:
        i -= 1
    if i >= 0 and tokens[i].lower == "of":  # "a reward of", "payments of up to", "wage growth of almost"
        phrase = _phrase_before(tokens, i, joins=0)
        if phrase:
            return _words(phrase)
    if unit == "degrees":
        subject = _subject(tokens, i + 1) if i >= 0 else []
        if not subject or any(t.lower in _TEMPERATURE for t in subject):
            return "temperature"
    if following is not None and following.lower in _DIMENSIONS:
        subject = _subject(tokens, before)
        dimension = _DIMENSIONS[following.lower]
        return f"{dimension} of {_words(subject, article=True)}" if subject else dimension
    if following is not None and following.lower == "of" and unit != "%":
        phrase = _phrase_after(tokens, after + 1 + (after + 1 < len(tokens) and tokens[after + 1].lower in _ARTICLES))
        if phrase:  # "three days of torrential rain", "18 hours of battery life"
            return _words(phrase)
    if following is not None and not following.capital and (_content(following) or _adjectival(tokens, after)):
        phrase = _phrase_after(tokens, after, of=True)
        if phrase and phrase[0].lower not in _TIME_UNITS:  # "a 9 percent pay increase", "a 48-hour strike"
            return _words(phrase)
    if following is not None and following.lower in ("in", "for") and unit in _MONEY:
        start = after + 1 + (after + 1 < len(tokens) and tokens[after + 1].lower in _ARTICLES)
        phrase = _phrase_after(tokens, start)
        money = [n for n, t in enumerate(phrase) if t.lower in _MONEY_NOUNS]
        if following.lower == "in" and money:
            phrase = phrase[: money[0] + 1]  # "$2 trillion in assets and offices in 42 countries"
        # "$8.8 million in trust fees", "900 pounds for tickets on resale sites"
        if phrase and (following.lower == "for" or money):
            if following.lower == "for" and start + len(phrase) + 1 < len(tokens):
                more = tokens[start + len(phrase)]
                if more.lower in ("on", "in", "at"):
                    tail = _phrase_after(tokens, start + 1 + len(phrase))
                    phrase = [*phrase, more, *tail] if tail else phrase
            return _words(phrase)
    if unit in _TIME_UNITS and following is not None and following.lower in ("in", "on", "at"):
        phrase = _phrase_after(tokens, after + 1)
        if phrase:
            return f"time {following.lower} {_words(phrase)}"  # "21 months in orbit"
    return _from_verb(tokens, before, unit)


def _from_verb(tokens: list[_Token], before: int, unit: str) -> str | None:
    i = before
    while i >= 0 and tokens[i].lower in _QUALIFYING - {"to", "at"} | {"just", "only"}:
        i -= 1
    if i < 0:
        return None
    word = tokens[i].lower
    if word == "of":  # "payments of up to", "wage growth of almost", "a reward of"
        phrase = _phrase_before(tokens, i, joins=0)
        return _words(phrase) if phrase else None
    if word in ("at", "to", "by", "from", "below", "above", "under"):
        return _set_or_reach(tokens, i, unit)
    if word in _CHANGE:  # "shares in Harrow Mutual fell"
        subject = _phrase_before(tokens, i)
        return f"{_words(subject)} {word}" if subject else None
    if word in _REACHING or word in _LASTING:  # "temperatures reached", "the raid lasted"
        subject = _subject(tokens, i + 1)
        if not subject:
            return None
        return f"{_words(subject)} {word}" if word in _LASTING else _words(subject)
    if word in ("knock", "knocks", "knocked", "wipe", "wipes", "wiped"):
        j = before + 1
        while j < len(tokens) and tokens[j].lower != "off" and j < before + 6:
            j += 1
        phrase = _phrase_after(tokens, j + 1 + (j + 1 < len(tokens) and tokens[j + 1].lower in _ARTICLES))
        return f"hit to {_words(phrase)}" if j < len(tokens) and phrase else "hit"
    if word in _COSTING:
        subject = _subject(tokens, i + 1)
        noun = _COSTING[word]
        return f"{noun} of {_words(subject, article=True)}" if subject and noun in ("cost", "value") else noun
    return None


def _subject(tokens: list[_Token], verb: int) -> list[_Token]:
    """The noun phrase before the verb at ``verb``, past "to" and auxiliaries ("expects the recall to cost")."""
    i = verb - 1
    while i > 0 and (tokens[i].lower in ("to", *_AUXILIARY) or tokens[i].lower in _QUALIFYING or not tokens[i].word):
        if tokens[i].text in (",", ";"):
            break
        i -= 1
    if i >= 0 and (_verbish(tokens[i]) or tokens[i].lower in _REACHING | _LASTING | _COSTING.keys()):
        i -= 1
        while i > 0 and (tokens[i].lower in ("to", *_AUXILIARY) or tokens[i].lower in _QUALIFYING):
            i -= 1
    if i >= 0 and tokens[i].lower in ("which", "that", "who"):
        i -= 1
        while i > 0 and not tokens[i].word:
            i -= 1
    return _phrase_before(tokens, i + 1)


def _set_or_reach(tokens: list[_Token], preposition: int, unit: str) -> str | None:
    """ "put the damage ... at", "taking its benchmark rate to", "inflation, which stood at", "water levels at the
    Ashbury gauge peaked at", "cut severe illness in babies by", "humidity below"."""
    clause = preposition
    while clause > 0 and tokens[clause - 1].text not in (",", ";", ":", "—", "–", "(", "“", '"'):
        clause -= 1
    span = tokens[clause:preposition]
    verbs = [n for n, t in enumerate(span) if (_verbish(t) or t.lower in _SETTING | _VALUING | _REACHING | _CHANGE)
             and t.lower not in _AUXILIARY and not _adjectival(tokens, clause + n)]  # fmt: skip
    if not verbs:
        if clause > 0 and tokens[clause - 1].text == "," and clause >= 2 and tokens[clause - 2].lower in ("which",):
            return None
        phrase = _phrase_before(tokens, preposition, joins=0)  # "humidity below 10 percent"
        return _words(phrase) if phrase else None
    verb = span[verbs[-1]]
    by = tokens[preposition].lower == "by"
    obj = [t for t in span[verbs[-1] + 1 :] if t.word and t.lower not in _ARTICLES]
    cut = next((n for n, t in enumerate(obj) if t.lower in ("in", "for", "by", "from", "on", "over", "across", "to")
                and n > 0), len(obj))  # fmt: skip
    obj = obj[:cut]
    if obj and obj[0].lower in ("it", "them", "this", "that"):
        obj = []
        if verb.lower in _VALUING:
            return "value"
    adverb = obj[-1].lower if obj and obj[-1].lower in _ADVERBS else ""
    obj = obj[:-1] if adverb else obj
    if obj and verb.lower not in _REACHING | _CHANGE:
        text = _words(obj)
        if verb.lower in _VALUING:
            return f"value of {text}"
        if by:
            return " ".join(filter(None, [text, _participle(verb.text), adverb]))
        return text
    subject = _subject(tokens, clause + verbs[-1])
    if not subject:
        return None
    text = _words(subject)
    if unit in _AREA_UNITS:
        return f"area of {_words(subject, article=True)}"
    if by and verb.lower in _CHANGE:
        return f"{text} {verb.lower}"
    return text
