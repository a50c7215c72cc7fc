"""Keywords of Chinese and Japanese articles, which are written without spaces between words.

A keyword extractor that splits at spaces sees a whole clause as one word ("新加坡电信在澳大利亚的子公司又遭网络袭击").
Without a segmenting dictionary, the terms an article is about can still be found from repetition: a string of
two to six Han or katakana characters that appears in the headline and again at least twice in the body
("新加坡电信", "网络袭击") is a name or a term, not a chance sequence. Strings overlapping in the headline are one
phrase: the one covering most characters (repeats times length), then the longest, then the rightmost is kept
("新加坡电信", not "新加坡" or "电信"). Strings that begin or end with a grammatical particle or a hiragana ending,
or join two Japanese words by a particle, are dropped.
"""

from __future__ import annotations

import re

from newsloom.core.text import CJK_CHARS

MIN_CHARS = 2
MAX_CHARS = 6  # a CJK "word" longer than this is a clause, never a tag
MIN_REPEATS = 2  # occurrences in the body besides the headline
_RUN = re.compile(f"[{CJK_CHARS}]+")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
# kanji or katakana, hiragana, kanji or katakana: a particle between two words ("東京で大雨", "電車が止まる")
_PARTICLE_INSIDE = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][\u3040-\u309f]+"
                              r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese function characters that do not begin or end a term ("的", "在", "是" …)
_EDGE_STOPS = frozenset("的了在是和与及或也都而就被把对向从为于以之其这那个们将已又再更很最等")
_GENERIC = frozenset({"公司", "政府", "今天", "目前", "表示", "报道", "记者", "消息", "新闻", "问题", "情况"})


def is_clause(word: str) -> bool:
    """Whether ``word`` holds a run of Chinese/Japanese characters too long to be one term, or Japanese words joined
    by a particle."""
    return any(len(run) > MAX_CHARS or _PARTICLE_INSIDE.search(run) for run in _RUN.findall(word))


def cjk_terms(title: str, text: str, *, limit: int = 5) -> list[str]:
    """Up to ``limit`` terms of the headline that the body repeats, ranked by characters covered (repeats times
    length: "新加坡电信" three times before "电信" four times)."""
    spans: dict[str, tuple[int, int]] = {}  # term -> its first place in the headline
    counts: dict[str, int] = {}
    for match in _RUN.finditer(title):
        run = match.group(0)
        for size in range(MIN_CHARS, min(MAX_CHARS, len(run)) + 1):
            for start in range(len(run) - size + 1):
                term = run[start : start + size]
                if term not in counts and _term_like(term):
                    counts[term] = text.count(term)
                    spans[term] = (match.start() + start, match.start() + start + size)
    ranked = sorted((term for term, count in counts.items() if count >= MIN_REPEATS),
                    key=lambda term: (-counts[term] * len(term), -len(term), -spans[term][0]))  # fmt: skip
    chosen: list[str] = []
    for term in ranked:  # overlapping pieces of one repeated phrase: keep the best, and of equals the rightmost
        start, end = spans[term]  # (Chinese puts the head noun last: "神经心理检测", not "接受神经心理")
        if not any(start < spans[other][1] and spans[other][0] < end for other in chosen):
            chosen.append(term)
    return chosen[:limit]


def _term_like(term: str) -> bool:
    if term[0] in _EDGE_STOPS or term[-1] in _EDGE_STOPS or term in _GENERIC or _PARTICLE_INSIDE.search(term):
        return False
    return not (_HIRAGANA.match(term[0]) or _HIRAGANA.match(term[-1]))
