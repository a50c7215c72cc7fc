"""PostgreSQL full-text search: a generated ``tsvector`` column (title weight A, text weight B) with a GIN index,
``websearch_to_tsquery`` for the reader's query, ``ts_rank_cd`` ranking and ``ts_headline`` snippets.

The column is computed by PostgreSQL on every insert and update, so re-keyed, re-extracted and deleted articles are
always searched under their current content. It is not a model field: Django never reads or writes it.
"""

from __future__ import annotations

import html

from django.db import connections

from newsloom.articles.search_query import CLOSE, COMMON_WORDS, OPEN, Filters, ParsedQuery, filter_sql, spaced_query
from newsloom.core.text import CJK_CHARS

ARTICLES = "articles_article"
COLUMN = "search_vector"
INDEX = "articles_article_search_gin"
CONFIG = "english"
MAX_INDEXED_CHARS = 100_000  # a tsvector is capped at 1 MB: index the first 100k characters of very long texts
MAX_HEADLINE_CHARS = 30_000  # ts_headline parses the text at query time: bound its work per result
# D, C, B, A: a word in the title counts five times one in the text
WEIGHTS = "{0.02, 0.05, 0.2, 1.0}"
HEADLINE_OPTIONS = (
    f'StartSel={OPEN}, StopSel={CLOSE}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
)

# Chinese and Japanese are written without spaces, and the parser would read a whole clause as one word: every such
# character is indexed as a word of its own (set apart by SPACER, a private-use character the parser skips), and a
# query's run of them becomes a phrase of characters ("电信" -> '电' <-> '信').
SPACER = "\ue002"


def _spaced(sql: str) -> str:
    return f"regexp_replace({sql}, '([{CJK_CHARS}])', '{SPACER}\\1{SPACER}', 'g')"


_TITLE = _spaced("coalesce(title, '')")
_TEXT = _spaced(f"left(coalesce(text, ''), {MAX_INDEXED_CHARS})")
INSTALL = [
    f"ALTER TABLE {ARTICLES} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{CONFIG}'::regconfig, {_TITLE}), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, {_TEXT}), 'B')) STORED",
    f"CREATE INDEX {INDEX} ON {ARTICLES} USING gin ({COLUMN})",
]
# ts_headline drops anything that parses as an HTML tag: feed it escaped text so "<script>" stays visible; run()
# unescapes the headline and search_query.mark_snippet escapes it again around the marks (sentinels are removed first)
_ESCAPED_TEXT = (
    f"replace(replace(replace(replace(replace(left(t.text, {MAX_HEADLINE_CHARS}), %s, ''), %s, ''), "
    "'&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
)
_HEADLINE_TEXT = _spaced(f"replace({_ESCAPED_TEXT}, '{SPACER}', '')")  # spaced as indexed; run() drops the spacers
UNINSTALL = [f"DROP INDEX IF EXISTS {INDEX}", f"ALTER TABLE {ARTICLES} DROP COLUMN IF EXISTS {COLUMN}"]


def _unspaced(headline: str) -> str:
    """A headline of spaced text as the reader's text: spacers dropped, and the marks of neighbouring characters of
    one word joined ("<网><络>" -> "<网络>")."""
    return headline.replace(SPACER, "").replace(CLOSE + OPEN, "")


def run(query: str, parsed: ParsedQuery, filters: Filters, *, limit: int, offset: int,
        using: str) -> tuple[list[tuple[str, float, str]], int, str | None]:
    """(article id, rank, raw headline) for one page, the total count, and an error for the reader if any."""
    where, params = filter_sql(filters, "a", using)
    tsquery = f"websearch_to_tsquery('{CONFIG}', %s)"
    query = spaced_query(query)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT numnode({tsquery})", [query])
        if int(cursor.fetchone()[0]) == 0:
            return [], 0, COMMON_WORDS
        cursor.execute(f"SELECT count(*) FROM {ARTICLES} a WHERE a.{COLUMN} @@ {tsquery} AND {where}",
                       [query, *params])
        total = int(cursor.fetchone()[0])
        if total == 0 or offset >= total:
            return [], total, None
        # rank and cut the page first, then make headlines for that page only
        cursor.execute(
            f"SELECT p.id, p.rank, ts_headline('{CONFIG}', {_HEADLINE_TEXT}, p.q, %s) "
            f"FROM (SELECT a.id, ts_rank_cd('{WEIGHTS}'::float4[], a.{COLUMN}, q.q, 1) AS rank, a.published_at, q.q "
            f"      FROM {ARTICLES} a CROSS JOIN {tsquery} AS q(q) "
            f"      WHERE a.{COLUMN} @@ q.q AND {where} "
            "      ORDER BY rank DESC, a.published_at DESC NULLS LAST, a.id LIMIT %s OFFSET %s) p "
            f"JOIN {ARTICLES} t ON t.id = p.id "
            "ORDER BY p.rank DESC, p.published_at DESC NULLS LAST, p.id",
            [OPEN, CLOSE, HEADLINE_OPTIONS, query, *params, limit, offset],
        )
        rows = [(str(aid), float(rank), html.unescape(_unspaced(headline or "")))
                for aid, rank, headline in cursor.fetchall()]
    return rows, total, None
