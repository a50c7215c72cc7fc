"""Reading comments: an article's or a story's thread as readers see it, comment counts, the moderation queue.

A thread is built from one query and shown two levels deep: each top-level comment with every reply below it in
the order they were written, a reply to a reply saying whom it answers. Hidden and removed comments are left out,
except a top-level one with a visible reply below it: it stays as a bodiless placeholder, so that the replies keep
their place. A held comment is shown only to its author (marked as waiting for review).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from newsloom.accounts.queries import display_name as account_display_name
from newsloom.community.models import Comment, Decision

AUTHOR_FIELDS = ("author__username", "author__first_name", "author__last_name", "author__profile__display_name")
NEWEST, OLDEST = "newest", "oldest"


@dataclass
class ThreadComment:
    """One comment as a reader sees it. A placeholder (``removed``) carries no author, body or times."""

    id: int
    author: str | None  # display name; None for a placeholder or a deleted account
    body: str  # sanitized HTML; "" for a placeholder
    created: datetime | None
    edited: datetime | None
    removed: bool = False
    replies: list[ThreadComment] = field(default_factory=list)
    held: bool = False  # waiting for review: only its author sees it
    reply_to: str | None = None  # a reply shown under another's thread: the name of whom it answers
    text: str = ""  # as typed, for its author's edit form
    mine: bool = False
    editable: bool = False


@dataclass
class Thread:
    comments: list[ThreadComment]  # top-level comments in the chosen order, each with its replies oldest first
    count: int  # visible comments, replies included
    order: str = OLDEST


def display_name(user: Any) -> str | None:
    if user is None:
        return None
    try:
        profile_name = user.profile.display_name
    except (ObjectDoesNotExist, AttributeError):
        profile_name = None
    return account_display_name(user, profile_name)


def _thread_rows(**target: str) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(**target)
        .select_related("author", "author__profile")
        .only("id", "parent_id", "state", "body", "text", "created", "edited", "author_id", *AUTHOR_FIELDS)
        .order_by("created", "pk")
    )


def build_thread(
    rows: Iterable[Comment], *, viewer_id: int | None = None, order: str = OLDEST, edit_after: datetime | None = None
) -> Thread:
    """Group ``rows`` (one thread's comments, oldest first) under their top-level comment; drop what this viewer
    may not see. ``edit_after``: the viewer's own comments written after it can still be edited."""
    children: dict[int | None, list[Comment]] = {}
    by_id: dict[int, Comment] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
        by_id[row.pk] = row
    count = 0

    def seen(row: Comment) -> bool:
        return row.state == Comment.State.VISIBLE or (
            row.state == Comment.State.HELD and viewer_id is not None and row.author_id == viewer_id
        )

    def item(row: Comment, top: Comment | None) -> ThreadComment:
        nonlocal count
        if row.state == Comment.State.VISIBLE:
            count += 1
        mine = viewer_id is not None and row.author_id == viewer_id
        reply_to = None
        if top is not None and row.parent_id != top.pk and row.parent_id in by_id:
            parent = by_id[row.parent_id]
            reply_to = (display_name(parent.author) or "deleted user") if seen(parent) else "a removed comment"
        return ThreadComment(
            row.pk,
            display_name(row.author),
            row.body,
            row.created,
            row.edited,
            held=row.state == Comment.State.HELD,
            reply_to=reply_to,
            text=row.text,
            mine=mine,
            editable=mine and edit_after is not None and row.created >= edit_after,
        )

    def below(row: Comment) -> list[Comment]:
        found: list[Comment] = []
        stack = list(children.get(row.pk, []))
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(children.get(child.pk, []))
        return sorted(found, key=lambda c: (c.created, c.pk))

    top: list[ThreadComment] = []
    for row in children.get(None, []):
        replies = [item(r, row) for r in below(row) if seen(r)]
        if seen(row):
            shown = item(row, None)
            shown.replies = replies
            top.append(shown)
        elif replies:
            top.append(ThreadComment(row.pk, None, "", row.created, None, removed=True, replies=replies))
    if order == NEWEST:
        top.sort(key=lambda c: (c.created, c.id), reverse=True)
    for placeholder in (c for c in top if c.removed):
        placeholder.created = None  # only used to keep its place
    return Thread(comments=top, count=count, order=NEWEST if order == NEWEST else OLDEST)


def article_thread(article_id: str, **options: Any) -> Thread:
    return build_thread(_thread_rows(article_id=article_id), **options)


def story_thread(story_id: str, **options: Any) -> Thread:
    return build_thread(_thread_rows(story_id=story_id), **options)


def open_reports() -> QuerySet[Comment]:
    """Comments with unresolved reports, the most reported first."""
    return (
        Comment.objects.annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(open_reports__gt=0)
        .select_related("author")
        .order_by("-open_reports", "created", "pk")
    )


def moderation_queue() -> QuerySet[Comment]:
    """What waits for a moderator: held comments and comments with unresolved reports, oldest first."""
    return (
        Comment.objects.annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(open_reports__gt=0) | Q(state=Comment.State.HELD))
        .select_related("author", "author__profile", "article", "story")
        .defer(
            "article__text",
            "article__html",
            "article__feed_html",
            "article__signature",
            "article__vector",
            "story__centroid",
            "story__comparison",
        )
        .order_by("created", "pk")
    )


def recent_decisions(limit: int = 50) -> QuerySet[Decision]:
    return Decision.objects.select_related("moderator", "subject", "comment").order_by("-created", "-pk")[:limit]


def decisions_about(user_id: int) -> QuerySet[Decision]:
    return Decision.objects.filter(subject_id=user_id).order_by("-created", "-pk")
