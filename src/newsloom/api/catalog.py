"""Search, sources and hashtags."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from newsloom.api import pagination, schemas, shapes
from newsloom.api.conditional import of_state, respond
from newsloom.api.params import ERRORS, LANGUAGE_PATTERN, SLUG_PATTERN, TEXT_PATTERN, Day
from newsloom.articles import search as article_search
from newsloom.sources import queries as source_queries
from newsloom.stories import queries as story_queries
from newsloom.web.freshness import search_state, site_state

router = Router(tags=["catalog"])


@router.get(
    "/search",
    response={200: schemas.SearchPage, 304: None, **ERRORS},
    operation_id="search_articles",
    summary="Full-text search over articles, best match first",
)
def search(
    request: HttpRequest,
    q: str = Query(
        ...,
        min_length=1,
        max_length=300,
        pattern=TEXT_PATTERN,
        description='words (all must match), "exact phrases", -excluded, OR, word* (a prefix)',
    ),
    source: str | None = Query(None, pattern=SLUG_PATTERN),
    language: str | None = Query(None, pattern=LANGUAGE_PATTERN),
    since: Day | None = Query(None, description="published on or after this day"),
    until: Day | None = Query(None, description="published on or before this day"),
    cursor: str | None = Query(None, pattern=pagination.CURSOR_PATTERN),
    limit: int = Query(20, ge=1, le=100),
) -> HttpResponse:
    offset = pagination.decode_offset(cursor, "search")

    def build() -> schemas.SearchPage:
        found = article_search.search(
            q, source=source, language=language, since=since, until=until, limit=limit, offset=offset
        )
        more = offset + limit < found.total
        return schemas.SearchPage(
            query=found.query,
            total=found.total,
            message=found.error,
            items=[
                schemas.SearchHit(article=shapes.article_summary(h.article), snippet_html=h.snippet_html, rank=h.rank)
                for h in found.results
            ],
            next_cursor=pagination.offset_cursor("search", offset + limit) if more else None,
        )

    return respond(request, of_state(search_state), build)


@router.get(
    "/sources",
    response={200: schemas.SourcePage, 304: None, **ERRORS},
    operation_id="list_sources",
    summary="The sources, by slug, with their article counts",
)
def sources(
    request: HttpRequest,
    cursor: str | None = Query(None, pattern=pagination.CURSOR_PATTERN),
    limit: int = Query(50, ge=1, le=200),
) -> HttpResponse:
    start = pagination.decode(cursor, "sources", [pagination.STRING])

    def build() -> schemas.SourcePage:
        rows, next_key = source_queries.source_listing(start, limit)
        return schemas.SourcePage(
            items=[shapes.source(s) for s in rows],
            next_cursor=pagination.encode("sources", next_key) if next_key else None,
        )

    return respond(request, None, build)


@router.get(
    "/hashtags",
    response={200: schemas.HashtagPage, 304: None, **ERRORS},
    operation_id="list_hashtags",
    summary="The hashtags of the top stories, commonest first",
)
def hashtags(
    request: HttpRequest,
    cursor: str | None = Query(None, pattern=pagination.CURSOR_PATTERN),
    limit: int = Query(50, ge=1, le=200),
) -> HttpResponse:
    offset = pagination.decode_offset(cursor, "hashtags")

    def build() -> schemas.HashtagPage:
        counts = story_queries.hashtag_counts()
        shown = counts[offset : offset + limit]
        return schemas.HashtagPage(
            items=[schemas.Hashtag(tag=tag, stories=n, web_url=shapes.hashtag_url(tag)) for tag, n in shown],
            next_cursor=pagination.offset_cursor("hashtags", offset + limit) if offset + limit < len(counts) else None,
        )

    return respond(request, of_state(site_state), build)
