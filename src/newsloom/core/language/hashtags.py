"""Hashtags for articles and stories, from YAKE keywords and named entities, normalised so that one tag has one
spelling.

A tag is a lower-case URL slug (``central-bank``): accents stripped, simple English plurals folded, stop words and
numbers trimmed from its ends, at most three words; :func:`normalize_tag` is idempotent, so a slug taken from a URL
normalises to itself. Candidates are the article's people, places and organisations
(:func:`newsloom.core.language.facts.extract_facts`) and its top YAKE phrases; junk (weekdays, months, "said", "year",
reporting verbs, outlet names passed in ``exclude``) is dropped; a keyword phrase sharing a word with a name is left to
the name ("national disaster" under "national disaster agency"), and a tag inside a better one is skipped.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import regex
import yake

from newsloom.core.language.cjk_terms import cjk_terms, is_clause
from newsloom.core.language.facts import TITLES, extract_facts, singular
from newsloom.core.language.lexicon import DEMONYMS, MONTHS, NUMBER_WORDS, STOPWORDS
from newsloom.core.text import WORD, has_cjk

MAX_WORDS = 3
# yake reads the headline and the first paragraph (names still come from the whole text). On 150 Giveme5W1H
# articles 98.8 % of the top five tags are those 6,000 characters give, at under half the cost; yake is the slow
# part of tagging, and names make most tags anyway.
KEYWORD_CHARS = 600
_TOKEN = regex.compile(WORD)
_POSSESSIVE = re.compile(r"['’]s\b")
# Marks a tag may drop: Latin/Greek/Cyrillic accents, and the optional vowel points of Hebrew and Arabic.
_ACCENTS = re.compile("[\u0300-\u036f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u064b-\u065f\u0670]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_JUNK = (
    STOPWORDS
    | frozenset(MONTHS)
    | _words(
        """
        say tell told add added statement spokesperson spokesman spokeswoman reporter official officials percent
        million billion thousand number lot thing way part end side home morning afternoon evening night week month
        hour minute second area place man woman men women person child children family member group government
        state country city town world local national international public source sources story article video photo
        image picture live latest breaking update
        """
    )
)
_LEGAL_SUFFIX = re.compile(r"\s+(?:ltd|inc|plc|llc|corp|co|gmbh|ag|sa)\.?$", re.IGNORECASE)
_NUMBERS = frozenset(NUMBER_WORDS) | _words("hundred thousand million billion trillion dozen")
_VERBISH = re.compile(r"(?:ed|ing)$")
_LATIN_OR_DIGIT = re.compile(r"[a-z0-9]")
_CONNECTORS = _words("of and for on in de la van von al")
_ACRONYMS = _words(
    "us uk eu un who imf nato asean ecb fbi cia nasa bbc cnn ceo gdp ai g7 g20 opec covid nhs mp mps ufc fifa uefa "
    "nba nfl ipo ftse usa uae"
)
_EXTRACTORS: dict[str, yake.KeywordExtractor] = {}
_LOCK = threading.Lock()


def _fold(text: str) -> str:
    """Case-folded, with accents stripped ("São" -> "sao"); marks that spell a word (Indic vowel signs, viramas)
    are kept."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFKC", _ACCENTS.sub("", text)).casefold()


@functools.lru_cache(maxsize=4096)
def normalize_tag(phrase: str) -> str:
    """The slug of ``phrase``: "Central Bank", "central banks" and "central-bank" all give "central-bank", a demonym
    the place it names ("North Korean" and "north-korea" give "north-korea"); "" when nothing taggable is left (only
    stop words or numbers, or more than three words)."""
    slug = _slug(phrase)
    return _demonym_places().get(slug, slug)


@functools.cache
def _demonym_places() -> dict[str, str]:
    return {_slug(demonym): _slug(place) for demonym, place in DEMONYMS.items()}


@functools.cache
def _demonym_words() -> dict[str, frozenset[str]]:
    """A place's slug -> the words of its demonyms' slugs ("north-korea" -> {"north", "korean"})."""
    words: dict[str, set[str]] = {}
    for demonym, place in _demonym_places().items():
        words.setdefault(place, set()).update(demonym.split("-"))
    return {place: frozenset(found) for place, found in words.items()}


def _slug(phrase: str) -> str:
    words = _TOKEN.findall(_fold(_POSSESSIVE.sub("", phrase)))
    marked: list[tuple[str, bool]] = []
    for word in words:
        if word not in STOPWORDS:
            word = singular(word)
        marked.append((word, word in STOPWORDS or word in _NUMBERS or word.isdecimal()))
    while marked and marked[0][1]:
        marked.pop(0)
    while marked and marked[-1][1]:
        marked.pop()
    if len(marked) > MAX_WORDS:
        marked = [item for item in marked if not item[1]]
    if not marked or len(marked) > MAX_WORDS:
        return ""
    return "-".join(word for word, _ in marked)


def display_tag(slug: str) -> str:
    """A readable form of a slug: "central-bank" -> "Central Bank", "bank-of-england" -> "Bank of England"."""
    words = [word for word in slug.split("-") if word]
    shown = []
    for position, word in enumerate(words):
        if word in _ACRONYMS:
            shown.append(word.upper())
        elif position and word in _CONNECTORS:
            shown.append(word)
        else:
            shown.append(word[:1].upper() + word[1:])
    return " ".join(shown)


def _extractor(language: str) -> yake.KeywordExtractor:
    with _LOCK:
        extractor = _EXTRACTORS.get(language)
        if extractor is None:
            extractor = yake.KeywordExtractor(lan=language, n=MAX_WORDS, top=20, dedup_lim=0.8)
            _EXTRACTORS[language] = extractor
        return extractor


def _names_excluded(slug: str, excluded: frozenset[str]) -> bool:
    return slug in excluded or any(_contains(slug, other) for other in excluded)


def _junk(slug: str, entity: bool, excluded: frozenset[str]) -> bool:
    words = slug.split("-")
    if not slug or _names_excluded(slug, excluded) or is_clause(slug):
        return True  # is_clause: a Chinese or Japanese clause read as one word by a splitter that wants spaces
    if any(has_cjk(word) and _LATIN_OR_DIGIT.search(word) for word in words):
        return True  # "nhc表示", "1300人遭逮捕": a name run into the clause around it
    if any(word in ("say", "says", "said", "told") or word in MONTHS for word in words):
        return True
    if all(word in _JUNK for word in words):
        return True
    if len(words) == 1 and len(slug) < 3 and slug not in _ACRONYMS and not has_cjk(slug):
        return True
    if entity:
        return False
    # keyword phrases: no reporting-verb fragments, no dangling function words
    if any(_VERBISH.search(word) and len(word) > 4 for word in words):
        return True
    if any(word in _JUNK and word not in _CONNECTORS for word in words) or words[-1] in _CONNECTORS:
        return True
    return any(word in TITLES for word in words)


def _contains(longer: str, shorter: str) -> bool:
    """Whether the words of ``shorter`` occur contiguously in ``longer`` (for Chinese or Japanese, written without
    spaces, whether its characters do: "电信" is in "新加坡电信")."""
    if has_cjk(shorter):
        return shorter in longer
    return f"-{shorter}-" in f"-{longer}-"


def _candidates(title: str, text: str, language: str, excluded: frozenset[str]) -> dict[str, float]:
    """Slug -> score (higher is better) for one article."""
    scores: dict[str, float] = {}
    title_slugs = set(_TOKEN.findall(_fold(title)))
    facts = extract_facts([(title, text)], figures=False)[0]
    mentions = Counter(entity.key for entity in facts.entities)
    in_title = {entity.key for entity in facts.entities if entity.sentence == 0}
    for key, count in sorted(mentions.items()):
        slug = normalize_tag(_LEGAL_SUFFIX.sub("", key))
        if not _junk(slug, True, excluded):
            scores[slug] = max(scores.get(slug, 0.0), 1.2 + 0.4 * math.log(count) + (0.6 if key in in_title else 0.0))
    # the words of the names, and of their demonyms: "Korean delegation" is left to North Korea
    name_words = {word for slug in scores for word in (*slug.split("-"), *_demonym_words().get(slug, ()))}
    body = f"{title}.\n\n{text}"[:KEYWORD_CHARS]
    try:
        keywords = _extractor(language).extract_keywords(body)
    except Exception:  # yake raises on unsupported languages and odd inputs; entities still give tags
        keywords = []
    for rank, (phrase, _score) in enumerate(keywords):
        capitals = {word[:1].isupper() for word in phrase.split()}
        if len(capitals) > 1 or (len(phrase.split()) == MAX_WORDS and capitals != {True}):
            continue  # "Floods forced", "flee Riverton floods": fragments, not topics
        if has_cjk(phrase):
            continue  # yake splits at spaces: its Chinese and Japanese "words" are clauses (cjk_terms below)
        slug = normalize_tag(phrase)
        if slug in scores or _junk(slug, False, excluded) or name_words & set(slug.split("-")):
            continue
        bonus = 0.3 if set(slug.split("-")) & title_slugs else 0.0
        scores[slug] = 1.0 - rank / 25 + bonus
    if has_cjk(title):
        for rank, term in enumerate(cjk_terms(title, text)):
            slug = normalize_tag(term)
            if not _junk(slug, False, excluded):
                scores[slug] = max(scores.get(slug, 0.0), 1.3 - rank / 25)  # in the headline, like a titled keyword
    return scores


def _select(ranked: Iterable[str], max_tags: int) -> list[str]:
    chosen: list[str] = []
    for slug in ranked:
        if len(chosen) >= max_tags:
            break
        if any(_contains(slug, other) or _contains(other, slug) for other in chosen):
            continue
        chosen.append(slug)
    return chosen


def _excluded(exclude: Iterable[str]) -> frozenset[str]:
    return frozenset(slug for slug in (normalize_tag(name) for name in exclude) if slug)


def hashtags(
    title: str, text: str, *, language: str = "en", max_tags: int = 8, exclude: Iterable[str] = ()
) -> list[str]:
    """Up to ``max_tags`` slugs for one article, best first; ``exclude`` names outlets (or anything) never to tag."""
    scores = _candidates(title, text, language, _excluded(exclude))
    return _select(sorted(scores, key=lambda slug: (-scores[slug], slug)), max_tags)


def story_hashtags(
    docs: Sequence[tuple[str, str]], *, language: str = "en", max_tags: int = 8, exclude: Iterable[str] = ()
) -> list[str]:
    """Up to ``max_tags`` slugs for a story of ``(title, text)`` articles: tags supported by more articles first,
    then by summed score."""
    excluded = _excluded(exclude)
    return _story_select([_candidates(title, text, language, excluded) for title, text in docs], max_tags)


def story_hashtags_from_articles(article_tags: Sequence[Sequence[str]], *, max_tags: int = 8,
                                 exclude: Iterable[str] = ()) -> list[str]:
    """A story's tags from its articles' own ``hashtags`` (each computed once, when the article was ingested):
    tags more articles carry first, then those ranked higher in them; none naming what ``exclude`` names (the
    story's outlets: an article only knew its own). Re-enriching a growing story costs no keyword extraction."""
    excluded = _excluded(exclude)
    # tags stored before demonyms were folded ("north-korean") normalise again to the place ("north-korea")
    renamed = [list(dict.fromkeys(_demonym_places().get(tag, tag) for tag in tags)) for tags in article_tags]
    kept = [[tag for tag in tags if not _names_excluded(tag, excluded)] for tags in renamed]
    return _story_select([{tag: 1.0 - rank / (2 * len(tags)) for rank, tag in enumerate(tags)}
                          for tags in kept if tags], max_tags)


def _story_select(per_article: Sequence[dict[str, float]], max_tags: int) -> list[str]:
    support: Counter[str] = Counter()
    total: dict[str, float] = {}
    for scores in per_article:
        for slug in sorted(scores, key=lambda s: (-scores[s], s))[:15]:
            support[slug] += 1
            total[slug] = total.get(slug, 0.0) + scores[slug]
    return _select(sorted(support, key=lambda slug: (-support[slug], -total[slug], slug)), max_tags)
