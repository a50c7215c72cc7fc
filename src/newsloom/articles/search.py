"""Full-text search over readable articles: one API, the database's own engine underneath.

SQLite (the embedded default) uses an FTS5 external-content table kept in sync by triggers (``search_sqlite``);
PostgreSQL uses a generated, weighted ``tsvector`` column with a GIN index (``search_postgres``). Both are created by
migration ``0003_search``, so no Python code has to index anything: every insert, update and delete of an article,
including the insert + delete that re-keys one under its canonical URL, reaches the index in the same transaction.

The user's query language is the same on both: words (all must match), ``"exact phrases"``, ``-excluded`` words,
``OR`` between alternatives, ``word*`` for a prefix (SQLite only; PostgreSQL's web search syntax ignores it). A query
that cannot be understood never raises: :class:`SearchPage` carries a message for the reader instead.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.core.text import has_cjk, space_cjk
from newsloom.sources.models import Source

log = logging.getLogger(__name__)

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
class SearchHit:
    article: Article
    snippet_html: str  # escaped text with <mark>…</mark> around matches: safe to render as is
    rank: float  # higher is better; comparable only within one SearchPage


@dataclass(frozen=True)
class SearchPage:
    query: str
    results: list[SearchHit]
    total: int
    error: str | None = None


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
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=tz)
        where.append(f"{alias}.published_at < %s")
        params.append(ops.adapt_datetimefield_value(end))
    return " AND ".join(where), params


def search(query: str, *, source: str | None = None, language: str | None = None, since: date | None = None,
           until: date | None = None, limit: int = 20, offset: int = 0, using: str = "default") -> SearchPage:
    """Readable articles matching ``query``, best first, with highlighted snippets; never raises on a bad query."""
    query = query.replace("\x00", "").strip()[:MAX_QUERY_CHARS]
    if not query:
        return SearchPage(query, [], 0, None)
    parsed = parse_query(query)
    if not parsed.clauses:
        return SearchPage(query, [], 0, ONLY_EXCLUDED if parsed.excluded else NO_WORDS)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    filters = Filters(source or None, language or None, since, until)
    vendor = connections[using].vendor
    try:
        if vendor == "postgresql":
            from newsloom.articles import search_postgres as backend
        elif vendor == "sqlite":
            from newsloom.articles import search_sqlite as backend  # type: ignore[no-redef]
        else:
            raise NotImplementedError(f"no full-text search on {vendor}")
        # inside a caller's transaction a failed statement must not poison it (PostgreSQL): use a savepoint; outside,
        # stay out of transactions (on SQLite, ours begin IMMEDIATE and would queue readers behind writers)
        guard = transaction.atomic(using=using) if connections[using].in_atomic_block else contextlib.nullcontext()
        with guard:
            rows, total, error = backend.run(query, parsed, filters, limit=limit, offset=offset, using=using)
    except DatabaseError:
        log.exception("search %r failed", query)
        return SearchPage(query, [], 0, FAILED)
    if error:
        return SearchPage(query, [], 0, error)
    articles = (
        Article.objects.using(using).select_related("source").defer("vector", "signature", "feed_html")
        .in_bulk([aid for aid, _, _ in rows])
    )
    hits = [
        SearchHit(articles[aid], mark_snippet(snippet) or html.escape(articles[aid].summary[:240]), float(rank))
        for aid, rank, snippet in rows
        if aid in articles
    ]
    return SearchPage(query, hits, total, None)


def ensure_search_index(using: str = "default") -> bool:
    """Restore what a table rebuild loses (SQLite's triggers); True if the index had to be rebuilt.

    Django's SQLite schema editor rebuilds a table to alter it (copy, drop, rename), which drops its triggers and may
    renumber its rowids; connect this to ``post_migrate`` so the index heals after any such migration.
    """
    if connections[using].vendor != "sqlite":
        return False
    from newsloom.articles import search_sqlite

    return search_sqlite.ensure(using)


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver: ``post_migrate.connect(search.on_post_migrate, sender=self)`` in ``ready()``."""
    if ensure_search_index(using):
        log.warning("search index rebuilt: its triggers were missing after a migration")
