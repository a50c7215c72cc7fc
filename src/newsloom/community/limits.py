"""The abuse controls on posting, each a setting (``config.CommunityLimits``): how often an account may post, what
a new account may do, how many comments one IP address may send a minute, and which comments wait for review.

Per-account limits are read from the comments themselves (the database, shared by every process); the per-IP limit
is a counter in Django's default cache, which settings.py makes the database or Redis so that it holds across
processes and machines.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from newsloom.community.models import Comment
from newsloom.config import CommunityLimits
from newsloom.errors import CommentRejected

IP_WINDOW = 60  # seconds


def is_new(author: Any, limits: CommunityLimits, now: datetime) -> bool:
    joined = getattr(author, "date_joined", None)
    return joined is None or now - joined < timedelta(hours=limits.new_account_hours)


def _wait(seconds: float) -> str:
    whole = max(1, round(seconds))
    return f"{whole} second{'s' if whole != 1 else ''}"


def check_author(author: Any, limits: CommunityLimits, now: datetime) -> None:
    """Refuse a post that comes too soon after the author's last one, or one too many on a new account's first
    day (``too-fast``, ``too-many``)."""
    new = is_new(author, limits, now)
    interval = limits.new_account_comment_interval if new else limits.comment_interval
    last = Comment.objects.filter(author_id=author.pk).order_by("-created").values_list("created", flat=True).first()
    if interval and last is not None and now - last < timedelta(seconds=interval):
        left = interval - (now - last).total_seconds()
        who = "New accounts" if new else "You"
        raise CommentRejected(
            f"{who} can post a comment every {_wait(interval)}. Please wait {_wait(left)} and send it again.",
            code="too-fast",
        )
    if new and limits.new_account_max_comments:
        since = getattr(author, "date_joined", None) or now - timedelta(hours=limits.new_account_hours)
        if Comment.objects.filter(author_id=author.pk, created__gte=since).count() >= limits.new_account_max_comments:
            raise CommentRejected(
                f"New accounts can post {limits.new_account_max_comments} comments on their first day. "
                "Please come back tomorrow.",
                code="too-many",
            )


def check_links(author: Any, links: int, limits: CommunityLimits, now: datetime) -> None:
    if is_new(author, limits, now) and links > limits.new_account_max_links:
        raise CommentRejected(
            f"New accounts can put at most {limits.new_account_max_links} links in a comment (this one has {links}).",
            code="too-many-links",
        )


def held(author: Any, links: int, limits: CommunityLimits, now: datetime) -> bool:
    """Whether a comment waits for a moderator before readers see it."""
    if limits.hold_new_accounts and is_new(author, limits, now):
        return True
    return bool(limits.hold_links) and links >= limits.hold_links


def count_ip(ip: str | None, limits: CommunityLimits) -> None:
    """Count one comment from ``ip`` in this minute; refuse it (``too-fast``) over the limit."""
    if not ip or not limits.comments_per_ip_minute:
        return
    window = int(time.time() // IP_WINDOW)
    key = f"newsloom:comments-ip:{ip}:{window}"
    cache.add(key, 0, IP_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, IP_WINDOW * 2)
        count = 1
    if count > limits.comments_per_ip_minute:
        raise CommentRejected(
            f"At most {limits.comments_per_ip_minute} comments a minute can come from one network. "
            "Please wait a minute and send it again.",
            code="too-fast",
        )


def edit_open(comment: Comment, limits: CommunityLimits, now: datetime | None = None) -> bool:
    return (now or timezone.now()) - comment.created <= timedelta(minutes=limits.edit_minutes)
