"""PostgreSQL full-text search: a generated ``tsvector`` column (title weight A, text weight B) with a GIN index,
``websearch_to_tsquery`` for the reader's query, ``ts_rank_cd`` ranking and ``ts_headline`` snippets.

The column is computed by PostgreSQL on every insert and update, so re-keyed, re-extracted and deleted articles are
always searched under their current content. It is not a model field: Django never reads or writes it.
"""

from __future__ import annotations

import html

from django.db import connections

from newsloom.articles.search import CLOSE, COMMON_WORDS, OPEN, Filters, ParsedQuery, filter_sql

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

INSTALL = [
    f"ALTER TABLE {ARTICLES} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, left(coalesce(text, ''), {MAX_INDEXED_CHARS})), 'B')) STORED",
    f"CREATE INDEX {INDEX} ON {ARTICLES} USING gin ({COLUMN})",
]
# ts_headline drops anything that parses as an HTML tag: feed it escaped text so "<script>" stays visible; run()
# unescapes the headline and search.mark_snippet escapes it again around the marks (sentinels are removed first)
_ESCAPED_TEXT = (
    f"replace(replace(replace(replace(replace(left(t.text, {MAX_HEADLINE_CHARS}), %s, ''), %s, ''), "
    "'&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
)
UNINSTALL = [f"DROP INDEX IF EXISTS {INDEX}", f"ALTER TABLE {ARTICLES} DROP COLUMN IF EXISTS {COLUMN}"]


def run(query: str, parsed: ParsedQuery, filters: Filters, *, limit: int, offset: int,
        using: str) -> tuple[list[tuple[str, float, str]], int, str | None]:
    """(article id, rank, raw headline) for one page, the total count, and an error for the reader if any."""
    where, params = filter_sql(filters, "a", using)
    tsquery = f"websearch_to_tsquery('{CONFIG}', %s)"
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
            f"SELECT p.id, p.rank, ts_headline('{CONFIG}', {_ESCAPED_TEXT}, p.q, %s) "
            f"FROM (SELECT a.id, ts_rank_cd('{WEIGHTS}'::float4[], a.{COLUMN}, q.q, 1) AS rank, a.published_at, q.q "
            f"      FROM {ARTICLES} a CROSS JOIN {tsquery} AS q(q) "
            f"      WHERE a.{COLUMN} @@ q.q AND {where} "
            "      ORDER BY rank DESC, a.published_at DESC NULLS LAST, a.id LIMIT %s OFFSET %s) p "
            f"JOIN {ARTICLES} t ON t.id = p.id "
            "ORDER BY p.rank DESC, p.published_at DESC NULLS LAST, p.id",
            [OPEN, CLOSE, HEADLINE_OPTIONS, query, *params, limit, offset],
        )
        rows = [(str(aid), float(rank), html.unescape(headline or "")) for aid, rank, headline in cursor.fetchall()]
    return rows, total, None
