"""Every write to comments and reports: posting, editing, moderating, reporting; and the readers' accounts they need.

Each action validates its input, makes one atomic change and raises ``CommentRejected`` (with a sentence for the
reader and a ``code``) when it cannot. Who may moderate is the caller's business (the admin checks permissions);
who may edit or report is checked here, since it follows from the rows themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.community.models import Comment, Report
from newsloom.core.reading.sanitize import comment_text, sanitize_comment
from newsloom.errors import CommentRejected
from newsloom.stories.models import Story

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

MAX_INPUT = 20_000  # characters as submitted, refused before any parsing
MAX_CHARS = 5_000  # characters a reader sees, after sanitizing
MAX_DEPTH = 5  # a comment is depth 0; replies nest at most this deep
MAX_NOTE = 1_000  # characters of a report's note


def clean_body(body: str) -> str:
    """The body as it will be stored (sanitized HTML), or ``CommentRejected`` when it is empty or too long."""
    if len(body) > MAX_INPUT:
        raise CommentRejected(f"A comment can be at most {MAX_CHARS} characters long.", code="too-long")
    clean = sanitize_comment(body)
    if not clean:
        raise CommentRejected("The comment is empty.", code="empty")
    if len(comment_text(clean)) > MAX_CHARS:
        raise CommentRejected(f"A comment can be at most {MAX_CHARS} characters long.", code="too-long")
    return clean


def _check_reader(user: AbstractBaseUser | None) -> None:
    if user is None or not getattr(user, "is_active", False) or user.pk is None:
        raise CommentRejected("Only a signed-in reader with an active account can do this.", code="not-allowed")


def _thread_of(target: Article | Story) -> dict[str, Any]:
    if isinstance(target, Article):
        if target.status == Article.Status.PENDING:
            raise CommentRejected("This article is not open for comments yet.", code="not-open")
        return {"article_id": target.pk, "story_id": None}
    if isinstance(target, Story):
        return {"article_id": None, "story_id": target.pk}
    raise TypeError(f"comments are on an article or a story, not {type(target).__name__}")


def post_comment(author: AbstractBaseUser, target: Article | Story, body: str, parent: Comment | None = None, *,
                 now: datetime | None = None) -> Comment:
    """A new visible comment on ``target`` (an article or a story), or a reply to ``parent`` on the same thread.

    ``now`` dates the comment (the demo backdates its readers); ``changed_at`` is always the real time of the write,
    so that pages showing the thread change their ETag and Last-Modified.
    """
    _check_reader(author)
    thread = _thread_of(target)
    clean = clean_body(body)
    with transaction.atomic():
        depth = 0
        if parent is not None:
            current = Comment.objects.filter(pk=parent.pk).values("article_id", "story_id", "depth", "state").first()
            if current is None or {k: current[k] for k in thread} != thread:
                raise CommentRejected("A reply must be on the same thread as the comment it answers.",
                                      code="wrong-thread")
            if current["state"] != Comment.State.VISIBLE:
                raise CommentRejected("That comment has been removed; it cannot be answered.", code="not-visible")
            depth = current["depth"] + 1
            if depth > MAX_DEPTH:
                raise CommentRejected("This conversation is nested too deeply; answer an earlier comment.",
                                      code="too-deep")
        moment = timezone.now()
        return Comment.objects.create(
            **thread, author=author, parent_id=parent.pk if parent else None, depth=depth, body=clean,
            created=now or moment, changed_at=moment,
        )


def edit_comment(comment: Comment, body: str, *, editor: AbstractBaseUser, now: datetime | None = None) -> Comment:
    """The author's new text for a visible comment, marked edited; the same text again changes nothing."""
    _check_reader(editor)
    if editor.pk != comment.author_id:
        raise CommentRejected("Only its author can edit a comment.", code="not-allowed")
    if comment.state != Comment.State.VISIBLE:
        raise CommentRejected("A removed comment cannot be edited.", code="not-visible")
    clean = clean_body(body)
    if clean == comment.body:
        return comment
    moment = timezone.now()
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, state=Comment.State.VISIBLE).update(
            body=clean, edited=now or moment, changed_at=moment
        )
    if not updated:
        raise CommentRejected("A removed comment cannot be edited.", code="not-visible")
    comment.refresh_from_db()
    return comment


def set_state(comment: Comment, state: str) -> Comment:
    """A moderation decision (visible, hidden or removed); it resolves the comment's open reports either way."""
    if state not in Comment.State.values:
        raise CommentRejected(f"{state!r} is not a comment state.", code="invalid")
    moment = timezone.now()
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).exclude(state=state).update(state=state, changed_at=moment)
        Report.objects.filter(comment_id=comment.pk, resolved_at__isnull=True).update(resolved_at=moment)
    comment.refresh_from_db()
    return comment


def report_comment(comment: Comment, reporter: AbstractBaseUser, reason: str, note: str = "") -> Report:
    """A reader's report of someone else's visible comment; reporting the same comment again returns the first."""
    _check_reader(reporter)
    if reason not in Report.Reason.values:
        raise CommentRejected(f"{reason!r} is not a reason to report a comment.", code="invalid")
    if reporter.pk == comment.author_id:
        raise CommentRejected("You cannot report your own comment.", code="not-allowed")
    if comment.state != Comment.State.VISIBLE:
        raise CommentRejected("That comment has already been removed.", code="not-visible")
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise CommentRejected(f"A report's note can be at most {MAX_NOTE} characters long.", code="too-long")
    existing = Report.objects.filter(comment_id=comment.pk, reporter_id=reporter.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(comment=comment, reporter=reporter, reason=reason, note=note)
    except IntegrityError:  # the same reader's report, submitted twice at once
        return Report.objects.get(comment_id=comment.pk, reporter_id=reporter.pk)


def ensure_reader(username: str, *, first_name: str = "", last_name: str = "") -> AbstractBaseUser:
    """The account with this username, created without a usable password if it does not exist (it cannot sign in
    until one is set): for readers made by the demo and by tests, before accounts have their own pages."""
    model = get_user_model()
    user, _ = model.objects.get_or_create(
        **{model.USERNAME_FIELD: username},
        defaults={"first_name": first_name, "last_name": last_name, "password": make_password(None)},
    )
    return user
