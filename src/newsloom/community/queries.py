"""Reading comments: an article's or a story's thread as readers see it, and comment counts.

A thread is built from one query. Hidden and removed comments are left out, except those with a visible reply
somewhere below them: they stay as bodiless placeholders, so that the replies keep their place in the conversation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from newsloom.community.models import Comment

AUTHOR_FIELDS = ("author__username", "author__first_name", "author__last_name")


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


@dataclass
class Thread:
    comments: list[ThreadComment]  # top-level comments, oldest first, each with its replies
    count: int  # visible comments, replies included


def display_name(user: Any) -> str | None:
    if user is None:
        return None
    return str(user.get_full_name() or user.get_username())


def _thread_rows(**target: str) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(**target)
        .select_related("author")
        .only("id", "parent_id", "state", "body", "created", "edited", "author_id", *AUTHOR_FIELDS)
        .order_by("created", "pk")
    )


def build_thread(rows: Iterable[Comment]) -> Thread:
    """Nest ``rows`` (one thread's comments, oldest first) by parent; drop what no reader may see."""
    children: dict[int | None, list[Comment]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    count = 0

    def shown(row: Comment) -> ThreadComment | None:
        nonlocal count
        replies = [item for child in children.get(row.pk, []) if (item := shown(child)) is not None]
        if row.state == Comment.State.VISIBLE:
            count += 1
            return ThreadComment(row.pk, display_name(row.author), row.body, row.created, row.edited, replies=replies)
        if replies:
            return ThreadComment(row.pk, None, "", None, None, removed=True, replies=replies)
        return None

    top = [item for row in children.get(None, []) if (item := shown(row)) is not None]
    return Thread(comments=top, count=count)


def article_thread(article_id: str) -> Thread:
    return build_thread(_thread_rows(article_id=article_id))


def story_thread(story_id: str) -> Thread:
    return build_thread(_thread_rows(story_id=story_id))


def open_reports() -> QuerySet[Comment]:
    """Comments with unresolved reports, the most reported first: the moderation queue."""
    return (
        Comment.objects.annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(open_reports__gt=0)
        .select_related("author")
        .order_by("-open_reports", "created", "pk")
    )
