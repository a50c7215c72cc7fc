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
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import DatabaseError, connections, transaction

from newsloom.articles import search_postgres, search_sqlite
from newsloom.articles.models import Article
from newsloom.articles.search_query import (
    FAILED,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    NO_WORDS,
    ONLY_EXCLUDED,
    Filters,
    mark_snippet,
    parse_query,
)

log = logging.getLogger(__name__)

_BACKENDS: dict[str, Any] = {"postgresql": search_postgres, "sqlite": search_sqlite}  # by connection vendor


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
        backend = _BACKENDS.get(vendor)
        if backend is None:
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
    return search_sqlite.ensure(using)


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver: ``post_migrate.connect(search.on_post_migrate, sender=self)`` in ``ready()``."""
    if ensure_search_index(using):
        log.warning("search index rebuilt: its triggers were missing after a migration")
