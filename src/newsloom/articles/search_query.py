"""The reader's search query, read once for both engines: its words, phrases, alternatives and exclusions
(``parse_query``), the filters (``filter_sql``), the spacing of Chinese and Japanese runs for PostgreSQL
(``spaced_query``) and the marking of matches in a snippet (``mark_snippet``)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.core.text import has_cjk, space_cjk
from newsloom.sources.models import Source

MAX_QUERY_CHARS = 300
MAX_TERMS = 16
MAX_LIMIT = 100
# Snippets are produced with these private-use characters around matches, then escaped and turned into <mark>.
OPEN, CLOSE = "\ue000", "\ue001"

NO_WORDS = "Type a word to search for."
ONLY_EXCLUDED = "A search needs at least one word to look for, not only words to leave out."
COMMON_WORDS = "Those words are too common to search for; try a more specific word."
FAILED = "That search could not be run; try fewer or simpler words."


@dataclass(frozen=True)
class Term:
    """Words that must appear together in this order (one word is a phrase of one); ``prefix``: the last may go on."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass
class ParsedQuery:
    """All of ``clauses`` (each satisfied by any one of its terms) and none of ``excluded``."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    source: str | None
    language: str | None
    since: date | None
    until: date | None


_TOKEN = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as SQLite's unicode61 tokenizer splits them


def parse_query(query: str) -> ParsedQuery:
    """The reader's query as terms; anything that is not a letter or digit only separates words, so nothing raises."""
    parsed = ParsedQuery()
    join_next = False
    negate_next = False
    count = 0
    for match in _TOKEN.finditer(query[:MAX_QUERY_CHARS]):
        raw = match["phrase"] if match["phrase"] is not None else match["word"]
        if match["word"] in ("OR", "|"):
            join_next = bool(parsed.clauses)
            continue
        if match["word"] == "AND":
            continue
        if match["word"] == "NOT":
            negate_next = True
            continue
        words = tuple(w.lower() for w in _WORD.findall(raw))
        if not words:
            continue
        count += 1
        if count > MAX_TERMS:
            break
        term = Term(words, prefix=match["word"] is not None and raw.endswith("*") and len(words[-1]) > 1)
        if match["neg"] or negate_next:
            parsed.excluded.append(term)
        elif join_next:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        join_next = negate_next = False
    return parsed


def spaced_query(query: str) -> str:
    """``query`` with every run of Chinese or Japanese characters turned into a quoted phrase of single characters
    (``电信`` -> ``"电 信"``; inside quotes, the characters are only set apart): for an engine that indexes each such
    character as a word (``space_cjk``). Other words, quotes, ``-`` and ``OR`` are kept."""
    if not has_cjk(query):
        return query
    parts = []
    for match in _TOKEN.finditer(query):
        raw = match["phrase"] if match["phrase"] is not None else match["word"]
        if not has_cjk(raw):
            parts.append(match.group(0))
            continue
        spaced = " ".join(space_cjk(raw).split())
        parts.append(f'{match["neg"]}"{spaced}"')
    return " ".join(parts)


def mark_snippet(raw: str) -> str:
    """Escape a snippet made with OPEN/CLOSE around matches and mark the matches; the result is always balanced."""
    out: list[str] = []
    open_ = False
    for part in re.split(f"([{OPEN}{CLOSE}])", raw):
        if part == OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(part, quote=False))
    if open_:
        out.append("</mark>")
    return "".join(out).strip()


def filter_sql(filters: Filters, alias: str, using: str) -> tuple[str, list[Any]]:
    """SQL conditions on the article table (as ``alias``) shared by both backends: readable, source, language, dates."""
    ops = connections[using].ops
    where = [f"{alias}.status <> %s"]
    params: list[Any] = [str(Article.Status.PENDING)]
    if filters.source:
        where.append(f"{alias}.source_id IN (SELECT id FROM {Source._meta.db_table} WHERE slug = %s)")
        params.append(filters.source)
    if filters.language:
        where.append(f"{alias}.language = %s")
        params.append(filters.language)
    tz = timezone.get_current_timezone()
    if filters.since:
        where.append(f"{alias}.published_at >= %s")
        params.append(ops.adapt_datetimefield_value(datetime.combine(filters.since, time.min, tzinfo=tz)))
    if filters.until and filters.until < date.max:  # until the calendar's last day is no bound at all
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=tz)
        where.append(f"{alias}.published_at < %s")
        params.append(ops.adapt_datetimefield_value(end))
    return " AND ".join(where), params
