"""Articles: one article (full text, wire copies), its related articles, its comments."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from newsloom.api import pagination, schemas, shapes
from newsloom.api.conditional import Fingerprint, of_state, respond
from newsloom.api.errors import not_found
from newsloom.api.params import ERRORS, ID_PATTERN
from newsloom.api.threads import comment_page
from newsloom.articles import queries as article_queries
from newsloom.community import queries as community_queries
from newsloom.stories import queries as story_queries
from newsloom.web.freshness import article_state

router = Router(tags=["articles"])
NO_ARTICLE = "No such article."


def _article(article_id: str) -> tuple[Fingerprint, str]:
    """The article's fingerprint function and its value now; a 404 when there is no such article."""
    fingerprint = of_state(article_state, article_id)
    current = fingerprint()
    if current is None:
        raise not_found(NO_ARTICLE)
    return fingerprint, current


@router.get(
    "/articles/{article_id}",
    response={200: schemas.Article, 304: None, **ERRORS},
    operation_id="get_article",
    summary="One article: full text, sanitized HTML, hashtags, wire copies",
)
def get_article(request: HttpRequest, article_id: str = Path(..., pattern=ID_PATTERN)) -> HttpResponse:
    fingerprint, current = _article(article_id)

    def build() -> schemas.Article:
        found = article_queries.article_detail(article_id)
        if found is None:
            raise not_found(NO_ARTICLE)
        return shapes.article(found, story_queries.wire_copies(found))

    return respond(request, fingerprint, build, current)


@router.get(
    "/articles/{article_id}/related",
    response={200: schemas.RelatedList, 304: None, **ERRORS},
    operation_id="list_related_articles",
    summary="Related articles, each with its reason: the same story first, then the nearest other stories",
)
def related_articles(
    request: HttpRequest, article_id: str = Path(..., pattern=ID_PATTERN), limit: int = Query(6, ge=1, le=20)
) -> HttpResponse:
    fingerprint, current = _article(article_id)

    def build() -> schemas.RelatedList:
        found = article_queries.get_article(article_id)  # with its vector, which the ranking reads
        if found is None:
            raise not_found(NO_ARTICLE)
        return shapes.related(story_queries.related_articles(found, k=limit))

    return respond(request, fingerprint, build, current)


@router.get(
    "/articles/{article_id}/comments",
    response={200: schemas.CommentPage, 304: None, **ERRORS},
    operation_id="list_article_comments",
    summary="The readers' comment thread of an article",
)
def article_comments(
    request: HttpRequest,
    article_id: str = Path(..., pattern=ID_PATTERN),
    cursor: str | None = Query(None, pattern=pagination.CURSOR_PATTERN),
    limit: int = Query(50, ge=1, le=200, description="top-level comments per page, each with all its replies"),
) -> HttpResponse:
    fingerprint, current = _article(article_id)
    offset = pagination.decode_offset(cursor, "comments")

    def thread() -> schemas.CommentPage:
        return comment_page(community_queries.article_thread(article_id), offset, limit)

    return respond(request, fingerprint, thread, current)
