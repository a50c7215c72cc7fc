"""Every write to comments and reports: posting, editing, deleting, reporting and moderating (with its log).

Each action validates its input, makes one atomic change and raises ``CommentRejected`` (with a sentence for the
reader and a ``code``) when it cannot. Who may moderate is the caller's business (the admin and the moderation page
check staff); who may edit or report is checked here, since it follows from the rows themselves. A reader's post
from the site passes ``limits`` (``config.CommunityLimits``) and the client's IP, and is checked against them by
``community.limits``; the demo and tests that seed threads pass none.

A comment is plain text as typed (``text``); ``body`` is its HTML (``comment_html``: escaped, links clickable).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsloom.accounts import actions as account_actions
from newsloom.accounts.queries import ban_of
from newsloom.articles.models import Article
from newsloom.community import limits as checks
from newsloom.community.models import Comment, Decision, Report
from newsloom.config import CommunityLimits
from newsloom.core.reading.sanitize import comment_html, comment_links
from newsloom.errors import CommentRejected
from newsloom.stories.models import Story

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

DEFAULT_LIMITS = CommunityLimits()
MAX_DEPTH = 5  # a comment is depth 0; replies nest at most this deep (pages show two levels)
MAX_NOTE = 1_000  # characters of a report's note
MAX_REASON = 1_000  # characters of a moderator's reason


def clean_text(text: str, limits: CommunityLimits | None = None) -> tuple[str, str]:
    """The text as stored (newlines normalised, ends trimmed) and its HTML, or ``CommentRejected`` when it is empty
    or longer than the limit (counted in characters as typed)."""
    most = (limits or DEFAULT_LIMITS).max_chars
    plain = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if len(plain) > most:
        raise CommentRejected(
            f"A comment can be at most {most:,} characters long; this one has {len(plain):,}. "
            "Shorten it and send it again.",
            code="too-long",
        )
    html = comment_html(plain)
    if not html:
        raise CommentRejected("The comment is empty.", code="empty")
    return plain, html


def clean_body(body: str) -> str:
    """The HTML a text is stored as (kept for callers that only need the body)."""
    return clean_text(body)[1]


def _check_not_banned(user: AbstractBaseUser) -> None:
    reason = ban_of(user)
    if reason is not None:
        raise CommentRejected(
            "Your account is suspended from commenting" + (f": {reason}" if reason else "."), code="banned"
        )


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


def post_comment(
    author: AbstractBaseUser,
    target: Article | Story,
    body: str,
    parent: Comment | None = None,
    *,
    now: datetime | None = None,
    limits: CommunityLimits | None = None,
    client_ip: str | None = None,
) -> Comment:
    """A new comment on ``target`` (an article or a story), or a reply to ``parent`` on the same thread: visible,
    or held for review when ``limits`` say so.

    ``now`` dates the comment (the demo backdates its readers); ``changed_at`` is always the real time of the write,
    so that pages showing the thread change their ETag and Last-Modified.
    """
    _check_reader(author)
    _check_not_banned(author)
    thread = _thread_of(target)
    plain, clean = clean_text(body, limits)
    moment = timezone.now()
    state = Comment.State.VISIBLE
    if limits is not None:
        links = comment_links(plain)
        checks.check_author(author, limits, moment)
        checks.check_links(author, links, limits, moment)
        if checks.held(author, links, limits, moment):
            state = Comment.State.HELD
    with transaction.atomic():
        depth = 0
        if parent is not None:
            current = Comment.objects.filter(pk=parent.pk).values("article_id", "story_id", "depth", "state").first()
            if current is None or {k: current[k] for k in thread} != thread:
                raise CommentRejected(
                    "A reply must be on the same thread as the comment it answers.", code="wrong-thread"
                )
            if current["state"] != Comment.State.VISIBLE:
                raise CommentRejected("That comment has been removed; it cannot be answered.", code="not-visible")
            depth = current["depth"] + 1
            if depth > MAX_DEPTH:
                raise CommentRejected(
                    "This conversation is nested too deeply; answer an earlier comment.", code="too-deep"
                )
        if limits is not None:
            checks.count_ip(client_ip, limits)  # last: a post refused for another reason does not count
        return Comment.objects.create(
            **thread,
            author=author,
            parent_id=parent.pk if parent else None,
            depth=depth,
            body=clean,
            text=plain,
            state=state,
            created=now or moment,
            changed_at=moment,
        )


def edit_comment(
    comment: Comment,
    body: str,
    *,
    editor: AbstractBaseUser,
    now: datetime | None = None,
    limits: CommunityLimits | None = None,
) -> Comment:
    """The author's new text for a visible (or held) comment, marked edited; the same text again changes nothing.
    With ``limits``, only within the edit window, and new links are held as a new comment's would be."""
    _check_reader(editor)
    if editor.pk != comment.author_id:
        raise CommentRejected("Only its author can edit a comment.", code="not-allowed")
    if comment.state not in (Comment.State.VISIBLE, Comment.State.HELD):
        raise CommentRejected("A removed comment cannot be edited.", code="not-visible")
    _check_not_banned(editor)
    moment = timezone.now()
    if limits is not None and not checks.edit_open(comment, limits, moment):
        raise CommentRejected(
            f"A comment can be edited for {limits.edit_minutes:g} minutes after it is posted; "
            "this one can no longer be changed.",
            code="edit-closed",
        )
    plain, clean = clean_text(body, limits)
    if clean == comment.body:
        return comment
    state = comment.state
    if limits is not None:
        links = comment_links(plain)
        checks.check_links(editor, links, limits, moment)
        if checks.held(editor, links, limits, moment):
            state = Comment.State.HELD
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, state__in=[Comment.State.VISIBLE, Comment.State.HELD]).update(
            body=clean, text=plain, state=state, edited=now or moment, changed_at=moment
        )
    if not updated:
        raise CommentRejected("A removed comment cannot be edited.", code="not-visible")
    comment.refresh_from_db()
    return comment


def delete_comment(comment: Comment, *, by: AbstractBaseUser) -> Comment:
    """The author takes their comment down (replies keep their place under a placeholder)."""
    _check_reader(by)
    if by.pk != comment.author_id:
        raise CommentRejected("Only its author can delete a comment.", code="not-allowed")
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).exclude(state=Comment.State.REMOVED).update(
            state=Comment.State.REMOVED, changed_at=timezone.now()
        )
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


_DECISION_STATE: dict[str, str] = {"approve": "visible", "restore": "visible", "hide": "hidden", "remove": "removed"}


def moderate(comment: Comment, action: str, *, moderator: AbstractBaseUser, reason: str = "") -> Decision:
    """A moderator's decision on one comment (approve, hide, restore, remove): the new state, its open reports
    resolved, and the decision logged with who and when, in one transaction."""
    if action not in _DECISION_STATE:
        raise CommentRejected(f"{action!r} is not a decision on a comment.", code="invalid")
    reason = " ".join(reason.split())[:MAX_REASON]
    with transaction.atomic():
        set_state(comment, _DECISION_STATE[action])
        return Decision.objects.create(
            moderator=moderator, action=action, comment=comment, subject_id=comment.author_id, reason=reason
        )


def ban_author(user: AbstractBaseUser, *, moderator: AbstractBaseUser, reason: str) -> Decision:
    """Ban an account: posting refused with ``reason`` shown to them, every comment of theirs hidden, logged."""
    reason = " ".join(reason.split())[:MAX_REASON]
    if user.pk == moderator.pk:
        raise CommentRejected("You cannot ban yourself.", code="not-allowed")
    moment = timezone.now()
    with transaction.atomic():
        account_actions.set_ban(user, reason, at=moment)
        mine = Comment.objects.filter(author_id=user.pk, state__in=[Comment.State.VISIBLE, Comment.State.HELD])
        ids = list(mine.values_list("pk", flat=True))
        mine.update(state=Comment.State.HIDDEN, changed_at=moment)
        Report.objects.filter(comment_id__in=ids, resolved_at__isnull=True).update(resolved_at=moment)
        return Decision.objects.create(
            moderator=moderator, action=Decision.Action.BAN, subject_id=user.pk, reason=reason
        )


def unban_author(user: AbstractBaseUser, *, moderator: AbstractBaseUser, reason: str = "") -> Decision:
    """Lift a ban (the hidden comments stay hidden until restored one by one)."""
    with transaction.atomic():
        account_actions.lift_ban(user)
        return Decision.objects.create(
            moderator=moderator,
            action=Decision.Action.UNBAN,
            subject_id=user.pk,
            reason=" ".join(reason.split())[:MAX_REASON],
        )


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
