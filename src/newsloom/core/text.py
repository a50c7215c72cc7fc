"""Plain-text helpers shared by every stage: whitespace, words, folding, hashes, sentences, Chinese and Japanese."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import regex

_WHITESPACE = re.compile(r"\s+")
# zero-width space, word joiner, BOM, soft hyphen: invisible, only ever break matching
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# A word: a letter or digit of any script, then letters, digits and combining marks. The marks matter: Indic,
# Thai and other scripts write vowel signs and viramas as marks, which Python's ``re`` counts as non-word characters
# (it cut "मुंबई" into "म" and "बई").
WORD = r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*"
_TOKEN = regex.compile(rf"{WORD}(?:['’]{WORD})*")
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana and Han, as a character-class range
_CJK_CHAR = re.compile(f"[{CJK_CHARS}]")

# Words after which a full stop does not end an English sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "sgt", "capt", "cmdr",
        "adm", "maj", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "det", "insp", "inc", "ltd", "co", "corp",
        "llc", "plc", "bros", "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "est", "dept", "univ", "assn", "ave",
        "blvd", "rd", "vol", "pp", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "u.s", "u.k", "u.n", "e.u", "d.c", "ph.d", "b.a", "m.a", "op", "ed",
    }
)  # fmt: skip
# A boundary candidate: terminal punctuation, optional closing quotes/brackets, whitespace.
# Terminal punctuation of scripts that put a space after it: Latin's, the Devanagari/Bengali danda, Arabic's question
# mark and Urdu's full stop, Armenian's and Ethiopic's full stops, Myanmar's section mark.
_BOUNDARY = re.compile(r"""([.!?…।॥؟۔։።။]+)(["'”’»)\]]*)(\s+)(?=["'“‘«(\[]?[\w\d])""")
# Chinese and Japanese end a sentence with a full-width stop, exclamation or question mark and no space after it.
_CJK_END = re.compile(r"""[。！？｡]+[」』”’）)\]]*""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces and newlines) into one space, trim the ends,
    drop invisible characters."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def tokens(text: str) -> list[str]:
    """Lower-cased (case-folded) word tokens; letters and digits of any script, inner apostrophes kept."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def word_count(text: str) -> int:
    """Words in ``text``. Chinese and Japanese are written without spaces: a run of their characters counts one word
    per two characters (about their average word length), so reading times and length limits mean the same in every
    script."""
    words = _TOKEN.findall(text)
    if not has_cjk(text):
        return len(words)
    count = 0
    for token in words:
        cjk = len(_CJK_CHAR.findall(token))
        count += (cjk + 1) // 2 if cjk else 1
    return count


def cjk_bigrams(token: str) -> list[str]:
    """The overlapping character pairs of a token of Chinese or Japanese characters (the token itself if shorter):
    the usual terms for comparing texts written without spaces."""
    return [token[i : i + 2] for i in range(len(token) - 1)] or [token]


def has_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None


def space_cjk(text: str) -> str:
    """``text`` with a space around every Chinese or Japanese character, so that a search engine splitting at spaces
    looks for each character as a word of its own."""
    return _CJK_CHAR.sub(r" \g<0> ", text)


def content_hash(text: str) -> str:
    """32 hex characters identifying the text up to whitespace, case and Unicode compatibility forms."""
    normalized = normalize_whitespace(unicodedata.normalize("NFKC", text)).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32]


def _ends_with_abbreviation(before: str, punctuation: str, following: str) -> bool:
    if punctuation != ".":
        return False
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS or (word in ("no", "nos") and following[:1].isdigit()):
        return True
    if word in ("a.m", "p.m"):
        return False  # "at 5 p.m. The next day": ends a sentence before a capital
    # initials: "J. K. Rowling", "U.S.A."
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", word))


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences.

    Paragraph breaks always end a sentence, and so does a Chinese or Japanese full-width ``。``, ``！`` or ``？`` (with
    any closing quotes or brackets). Otherwise a sentence ends at ``.``, ``!``, ``?``, ``…`` or another script's
    terminal mark (the danda ``।``, Arabic ``؟``, Urdu ``۔`` …), with any closing quotes or brackets, followed by
    whitespace and a word, unless the full stop belongs to a known abbreviation or an initial. Decimals ("3.5") and
    dotted names have no whitespace after the stop and are never split.
    """
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = normalize_whitespace(block)
        cuts = [match.end() for match in _CJK_END.finditer(block)]
        for paragraph in (block[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(block)], strict=True)):
            if paragraph:
                sentences.extend(_split_spaced(paragraph))
    return sentences


def _split_spaced(paragraph: str) -> list[str]:
    """The sentences of one whitespace-normalised paragraph of space-separated prose."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end(2)
        following = paragraph[match.end() : match.end() + 2].lstrip("\"'“‘«([")
        if following[:1].islower():
            continue  # '"Really?" she asked', "approx. three", "the U.S. government" keep going
        if _ends_with_abbreviation(paragraph[start : match.start(1)], match.group(1), following):
            continue
        sentence = paragraph[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Case-fold and strip accents: ``Türkiye`` -> ``turkiye``."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
