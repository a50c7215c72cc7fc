"""Readers' comments on an article or a story, threaded by reply, and readers' reports of them.

Rows are written only by ``community.actions``: bodies are stored already sanitized, a reply is on its parent's
thread, and ``changed_at`` moves with every change a reader of the page could see (it feeds the page's ETag).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Comment(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HELD = "held", "Held for review"
        HIDDEN = "hidden", "Hidden by a moderator"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="comments", db_index=False
    )  # indexed with ``created`` below
    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, null=True, blank=True, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="empty once the account is deleted",
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    depth = models.PositiveSmallIntegerField(default=0, help_text="0 for a comment, its parent's + 1 for a reply")
    body = models.TextField(help_text="sanitized HTML")
    text = models.TextField(blank=True, help_text="the plain text as the author typed it (for editing)")
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True, help_text="when the author last changed the body")
    state = models.CharField(max_length=16, choices=State.choices, default=State.VISIBLE)
    changed_at = models.DateTimeField(default=timezone.now, help_text="last change a reader can see (for caching)")

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["article", "created"], name="community_article_created"),
            models.Index(fields=["story", "created"], name="community_story_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, story__isnull=True) | Q(article__isnull=True, story__isnull=False),
                name="community_comment_on_article_or_story",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["visible", "held", "hidden", "removed"]), name="community_comment_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {'article ' + self.article_id if self.article_id else f'story {self.story_id}'}"


class Decision(models.Model):
    """One moderation decision, logged with who made it and when (comments' states and bans)."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved a held comment"
        HIDE = "hide", "Hid a comment"
        RESTORE = "restore", "Restored a comment"
        REMOVE = "remove", "Removed a comment"
        BAN = "ban", "Banned an account"
        UNBAN = "unban", "Lifted a ban"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_decisions"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    comment = models.ForeignKey(Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_record",
        help_text="the account the decision concerns",
    )
    reason = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created:%Y-%m-%d %H:%M})"


class Report(models.Model):
    """One reader's report of one comment; resolved by the next moderation decision on that comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Harassment or hate"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(blank=True, help_text="the reporter's words, plain text")
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="community_report_once_per_reporter"),
        ]

    def __str__(self) -> str:
        return f"report of comment {self.comment_id} ({self.reason})"
