"""SQLite full-text search: an FTS5 external-content table over ``articles_article`` (title, text), kept in sync by
triggers, ranked by bm25 with the title weighted, snippets by ``snippet()``.

The index stores no copy of the text: it reads title and text from the article table by rowid. Triggers keep it exact
through inserts (new and re-keyed articles), updates of title or text (extraction) and deletes (the old key of a
re-keyed article, removals). A table rebuild by a later migration drops the triggers and may renumber rowids:
:func:`ensure` notices the missing triggers, recreates them and rebuilds the index from the table.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import connections, transaction

from newsloom.articles.search_query import CLOSE, OPEN, Filters, ParsedQuery, Term, filter_sql
from newsloom.core.text import has_cjk

log = logging.getLogger(__name__)

TABLE = "articles_search"
ARTICLES = "articles_article"
TITLE_WEIGHT = 10.0
SNIPPET_TOKENS = 32
SNIPPET_CHARS = 120  # the text shown around a Chinese or Japanese match
_checked: set[str] = set()  # database aliases whose triggers this process has seen in place

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, text, content='{ARTICLES}', content_rowid='rowid', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
_DELETE_OLD = (
    f"INSERT INTO {TABLE}({TABLE}, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);"
)
_INSERT_NEW = f"INSERT INTO {TABLE}(rowid, title, text) VALUES (new.rowid, new.title, new.text);"
TRIGGERS = {
    f"{TABLE}_ai": f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON {ARTICLES} BEGIN {_INSERT_NEW} END",
    f"{TABLE}_ad": f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON {ARTICLES} BEGIN {_DELETE_OLD} END",
    f"{TABLE}_au": (
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF title, text ON {ARTICLES} "
        f"WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN {_DELETE_OLD} {_INSERT_NEW} END"
    ),
}
REBUILD = f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"
INSTALL = [CREATE_TABLE, *TRIGGERS.values(), REBUILD]
UNINSTALL = [*(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS), f"DROP TABLE IF EXISTS {TABLE}"]


def _phrase(term: Term) -> str:
    quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def fts_expression(parsed: ParsedQuery) -> str:
    """FTS5 query syntax for a parsed query: every word quoted, so nothing the reader types is an operator."""
    clauses = [
        _phrase(terms[0]) if len(terms) == 1 else "(" + " OR ".join(_phrase(t) for t in terms) + ")"
        for terms in parsed.clauses
    ]
    expression = " AND ".join(clauses)
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_phrase(t) for t in parsed.excluded)})"
    return expression


def run(query: str, parsed: ParsedQuery, filters: Filters, *, limit: int, offset: int,
        using: str) -> tuple[list[tuple[str, float, str]], int, str | None]:
    """(article id, rank, raw snippet) for one page, the total count, and an error for the reader if any."""
    if using not in _checked:  # once per process: heal after a migration that rebuilt the table (see ensure)
        if ensure(using):
            log.warning("search index rebuilt: its triggers were missing (a migration rebuilt the article table)")
        if not connections[using].in_atomic_block:  # a heal inside a caller's transaction may yet be rolled back
            _checked.add(using)
    where, params = filter_sql(filters, "a", using)
    with connections[using].cursor() as cursor:
        if any(_is_cjk(term) for clause in parsed.clauses for term in clause) or any(map(_is_cjk, parsed.excluded)):
            return _run_inside(cursor, parsed, where, params, limit=limit, offset=offset)
        match = fts_expression(parsed)
        joined = f"FROM {TABLE} JOIN {ARTICLES} a ON a.rowid = {TABLE}.rowid WHERE {TABLE} MATCH %s AND {where}"
        cursor.execute(f"SELECT count(*) {joined}", [match, *params])
        total = int(cursor.fetchone()[0])
        if total == 0 or offset >= total:
            return [], total, None
        cursor.execute(
            f"SELECT a.id, bm25({TABLE}, {TITLE_WEIGHT}, 1.0) AS score, "
            f"snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_TOKENS}) {joined} "
            "ORDER BY score, a.published_at DESC, a.id LIMIT %s OFFSET %s",
            [OPEN, CLOSE, match, *params, limit, offset],
        )
        rows = [(str(aid), -float(score), str(snippet or "")) for aid, score, snippet in cursor.fetchall()]
    return rows, total, None


def _is_cjk(term: Term) -> bool:
    return any(has_cjk(word) for word in term.words)


def _needle(term: Term) -> str:
    """The text a term stands for: its words joined by spaces, except beside Chinese or Japanese, which puts none
    between words ("新加坡 电信" is "新加坡电信")."""
    out = term.words[0]
    for before, word in zip(term.words, term.words[1:], strict=False):
        out += ("" if has_cjk(before[-1] + word[0]) else " ") + word
    return out


def _run_inside(cursor: Any, parsed: ParsedQuery, where: str, params: list[Any], *, limit: int,
                offset: int) -> tuple[list[tuple[str, float, str]], int, str | None]:
    """A query with Chinese or Japanese words, which FTS5 cannot find (it reads an unspaced clause, and any Latin word
    glued to it, as one word): every term is looked for inside the lower-cased title and text, newest first; the
    snippet is the text around the first term's first match. A scan of the readable articles, not an index lookup."""
    haystack = "lower(a.title || char(10) || a.text)"
    conditions: list[str] = []
    for clause in parsed.clauses:
        conditions.append("(" + " OR ".join([f"instr({haystack}, %s) > 0"] * len(clause)) + ")")
        params = [*params, *(_needle(term) for term in clause)]
    for term in parsed.excluded:
        conditions.append(f"instr({haystack}, %s) = 0")
        params = [*params, _needle(term)]
    where = " AND ".join([where, *conditions])
    cursor.execute(f"SELECT count(*) FROM {ARTICLES} a WHERE {where}", params)
    total = int(cursor.fetchone()[0])
    if total == 0 or offset >= total:
        return [], total, None
    needles = [_needle(term) for clause in parsed.clauses for term in clause]
    cursor.execute(
        f"SELECT a.id, substr(a.text, max(1, instr(lower(a.text), %s) - {SNIPPET_CHARS // 3}), {SNIPPET_CHARS}) "
        f"FROM {ARTICLES} a WHERE {where} ORDER BY a.published_at DESC, a.id LIMIT %s OFFSET %s",
        [needles[0], *params, limit, offset],
    )
    return [(str(aid), 0.0, _mark(str(window or ""), needles)) for aid, window in cursor.fetchall()], total, None


def _mark(snippet: str, needles: list[str]) -> str:
    """``snippet`` with OPEN/CLOSE around every occurrence of the needles, in any case (longest needle first)."""
    pattern = "|".join(re.escape(needle) for needle in sorted(set(needles), key=len, reverse=True) if needle)
    return re.sub(pattern, lambda m: f"{OPEN}{m.group(0)}{CLOSE}", snippet, flags=re.IGNORECASE) if pattern else snippet


def _existing(cursor: Any, kind: str, names: list[str]) -> set[str]:
    marks = ", ".join(["%s"] * len(names))
    cursor.execute(f"SELECT name FROM sqlite_master WHERE type = %s AND name IN ({marks})", [kind, *names])
    return {row[0] for row in cursor.fetchall()}


def _intact(using: str) -> bool:
    with connections[using].cursor() as cursor:
        return not _existing(cursor, "table", [TABLE]) or _existing(cursor, "trigger", list(TRIGGERS)) == set(TRIGGERS)


def ensure(using: str) -> bool:
    """Recreate missing triggers and rebuild the index from the table; False when nothing was missing (or the search
    migration has not run yet). Reads only, unless something is missing."""
    if _intact(using):
        return False
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        present = _existing(cursor, "trigger", list(TRIGGERS))
        if present == set(TRIGGERS):
            return False  # healed meanwhile by another thread or process
        for name in present:
            cursor.execute(f"DROP TRIGGER {name}")
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(REBUILD)
    return True
