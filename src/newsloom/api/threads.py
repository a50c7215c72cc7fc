"""A comment thread as pages of top-level comments, each with all its replies."""

from __future__ import annotations

from newsloom.api import pagination, schemas, shapes
from newsloom.community.queries import Thread


def comment_page(thread: Thread, offset: int, limit: int) -> schemas.CommentPage:
    """Top-level comments ``offset`` to ``offset + limit`` (oldest first: new ones are added at the end, so the
    offsets of earlier pages stay put)."""
    shown = thread.comments[offset : offset + limit]
    more = offset + limit < len(thread.comments)
    return schemas.CommentPage(
        count=thread.count,
        items=[shapes.comment(c) for c in shown],
        next_cursor=pagination.offset_cursor("comments", offset + limit) if more else None,
    )
