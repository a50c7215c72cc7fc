"""Stories: the list (filtered by hashtag, source, language, time), one story with its coverage, its comments."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from newsloom.api import pagination, schemas, shapes
from newsloom.api.conditional import of_state, respond
from newsloom.api.errors import not_found
from newsloom.api.params import ERRORS, ID_PATTERN, LANGUAGE_PATTERN, SLUG_PATTERN, TAG_PATTERN, DateTime, utc
from newsloom.api.threads import comment_page
from newsloom.community import queries as community_queries
from newsloom.stories import queries as story_queries
from newsloom.web.freshness import site_state, story_state

router = Router(tags=["stories"])

ORDER_KEYS = {
    "rank": [pagination.FLOAT, pagination.NULLABLE_DATETIME, pagination.STRING],
    "latest": [pagination.NULLABLE_DATETIME, pagination.STRING],
}


@router.get(
    "/stories",
    response={200: schemas.StoryPage, 304: None, **ERRORS},
    operation_id="list_stories",
    summary="Stories, best first or newest first",
)
def list_stories(
    request: HttpRequest,
    hashtag: str | None = Query(None, pattern=TAG_PATTERN, description="only stories carrying this hashtag"),
    source: str | None = Query(None, pattern=SLUG_PATTERN, description="only stories a source (by slug) covers"),
    language: str | None = Query(None, pattern=LANGUAGE_PATTERN, description="only stories in this language"),
    since: DateTime | None = Query(None, description="only stories with an article published at or after this"),
    order: Literal["rank", "latest"] = Query("rank", description="rank: top stories; latest: newest first"),
    cursor: str | None = Query(None, pattern=pagination.CURSOR_PATTERN, description="from the previous page"),
    limit: int = Query(20, ge=1, le=100),
) -> HttpResponse:
    name = f"stories-{order}"
    start = pagination.decode(cursor, name, ORDER_KEYS[order])

    def build() -> schemas.StoryPage:
        rows, next_key = story_queries.story_listing(
            order=order, hashtag=hashtag, source=source, language=language, since=utc(since), start=start, limit=limit
        )
        members = story_queries.story_members([s.pk for s in rows])
        return schemas.StoryPage(
            items=[shapes.story_summary(s, members.get(s.pk, [])) for s in rows],
            next_cursor=pagination.encode(name, next_key) if next_key else None,
        )

    return respond(request, of_state(site_state), build)


@router.get(
    "/stories/{story_id}",
    response={200: schemas.Story, 304: None, **ERRORS},
    operation_id="get_story",
    summary="One story: its articles, wire groups, cited summary, key points and source comparison",
)
def get_story(request: HttpRequest, story_id: str = Path(..., pattern=ID_PATTERN)) -> HttpResponse:
    fingerprint = of_state(story_state, story_id)
    current = fingerprint()
    if current is None:
        raise not_found("No such story.")

    def build() -> schemas.Story:
        found = story_queries.story_detail(story_id)
        if found is None:
            raise not_found("No such story.")
        return shapes.story(found, story_queries.coverage(found))

    return respond(request, fingerprint, build, current)


@router.get(
    "/stories/{story_id}/comments",
    response={200: schemas.CommentPage, 304: None, **ERRORS},
    operation_id="list_story_comments",
    summary="The readers' comment thread of a story",
)
def story_comments(
    request: HttpRequest,
    story_id: str = Path(..., pattern=ID_PATTERN),
    cursor: str | None = Query(None, pattern=pagination.CURSOR_PATTERN),
    limit: int = Query(50, ge=1, le=200, description="top-level comments per page, each with all its replies"),
) -> HttpResponse:
    fingerprint = of_state(story_state, story_id)
    current = fingerprint()
    if current is None:
        raise not_found("No such story.")
    offset = pagination.decode_offset(cursor, "comments")

    def thread() -> schemas.CommentPage:
        return comment_page(community_queries.story_thread(story_id), offset, limit)

    return respond(request, fingerprint, thread, current)
