"""The caller's own newsloom: what they follow, their saved articles and their read marks (the same rows as the
website's buttons). Signed in by session or personal token; never stored or shared between callers."""

from __future__ import annotations

import re
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.accounts.models import Follow
from newsloom.api import schemas, shapes
from newsloom.api.auth import READER, caller
from newsloom.api.errors import ApiError, not_found
from newsloom.api.params import ERRORS, ID_PATTERN
from newsloom.articles.models import Article
from newsloom.errors import AccountRefused

router = Router(tags=["me"], auth=READER)
MINE = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, **ERRORS}
READ_LIMIT = 1000
KEY_PATTERN = r"^[^\x00-\x1f\x7f/]+$"


class FollowItem(Schema):
    kind: str = Field(description="source (by slug), hashtag, or story (by id)")
    key: str
    created: datetime


class FollowList(Schema):
    items: list[FollowItem]


class FollowIn(Schema):
    kind: str = Field(pattern="^(source|hashtag|story)$")
    key: str = Field(min_length=1, max_length=200, pattern=KEY_PATTERN)


class ArticleIn(Schema):
    article_id: str = Field(pattern=ID_PATTERN)


class SavedList(Schema):
    items: list[schemas.ArticleSummary]


class ReadList(Schema):
    items: list[str] = Field(description="ids of the articles read, of those asked for (or the latest read)")


def _article(article_id: str) -> Article:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise not_found("No such article.")
    return article


@router.get("/me/follows", response={200: FollowList, **MINE}, operation_id="list_my_follows", summary="What I follow")
def my_follows(request: HttpRequest) -> FollowList:
    rows = Follow.objects.filter(user_id=caller(request).pk).order_by("kind", "key")
    return FollowList(items=[FollowItem(kind=f.kind, key=f.key, created=f.created) for f in rows])


@router.post("/me/follows", response={201: FollowItem, **MINE}, operation_id="follow", summary="Follow something")
def add_follow(request: HttpRequest, body: FollowIn) -> Status[FollowItem]:
    try:
        account_actions.follow(caller(request), body.kind, body.key)
    except AccountRefused as exc:
        raise ApiError(422, str(exc)) from exc
    row = Follow.objects.get(user_id=caller(request).pk, kind=body.kind, key=body.key.strip())
    return Status(201, FollowItem(kind=row.kind, key=row.key, created=row.created))


@router.delete(
    "/me/follows/{kind}/{key}", response={204: None, **MINE}, operation_id="unfollow", summary="Stop following"
)
def remove_follow(
    request: HttpRequest,
    kind: str = Path(..., pattern="^(source|hashtag|story)$"),
    key: str = Path(..., max_length=200, pattern=KEY_PATTERN),
) -> Status[None]:
    account_actions.unfollow(caller(request), kind, key)
    return Status(204, None)


@router.get("/me/saved", response={200: SavedList, **MINE}, operation_id="list_my_saved", summary="My saved articles")
def my_saved(request: HttpRequest) -> SavedList:
    return SavedList(items=[shapes.article_summary(a) for a in account_queries.saved_articles(caller(request))])


@router.post("/me/saved", response={204: None, **MINE}, operation_id="save_article", summary="Save an article")
def add_saved(request: HttpRequest, body: ArticleIn) -> Status[None]:
    account_actions.save_article(caller(request), _article(body.article_id))
    return Status(204, None)


@router.delete(
    "/me/saved/{article_id}", response={204: None, **MINE}, operation_id="unsave_article", summary="Unsave an article"
)
def remove_saved(request: HttpRequest, article_id: str = Path(..., pattern=ID_PATTERN)) -> Status[None]:
    account_actions.set_saved_many(caller(request), [article_id], saved=False)
    return Status(204, None)


@router.get("/me/read", response={200: ReadList, **MINE}, operation_id="list_my_read", summary="My read marks")
def my_read(
    request: HttpRequest, ids: list[str] = Query(None, description="ask about these article ids (else the latest)")
) -> ReadList:
    user = caller(request)
    if ids:
        asked = [i for i in ids[:READ_LIMIT] if re.fullmatch(ID_PATTERN, i)]
        return ReadList(items=sorted(account_queries.read_ids(user, asked)))
    latest = account_queries.read_marks(user).order_by("-read_at", "-pk").values_list("article_id", flat=True)
    return ReadList(items=list(latest[:READ_LIMIT]))


@router.post("/me/read", response={204: None, **MINE}, operation_id="mark_read", summary="Mark an article read")
def add_read(request: HttpRequest, body: ArticleIn) -> Status[None]:
    account_actions.mark_read(caller(request), _article(body.article_id))
    return Status(204, None)


@router.delete(
    "/me/read/{article_id}", response={204: None, **MINE}, operation_id="mark_unread", summary="Mark it unread"
)
def remove_read(request: HttpRequest, article_id: str = Path(..., pattern=ID_PATTERN)) -> Status[None]:
    account_actions.set_read_many(caller(request), [article_id], read=False)
    return Status(204, None)
