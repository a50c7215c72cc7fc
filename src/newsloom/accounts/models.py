"""A reader's profile and their own newsloom: what they follow, save, mute and have read.

Rows are written only by ``accounts.actions``. A profile is made with the account (sign-up, ``newsloom users
create``); an account without one (made in the admin) reads as its username. Personal tokens and app passwords,
when they come, belong here too: rows keyed by the user, like the ones below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=60, blank=True, help_text="shown beside the reader's comments")
    signup_ip = models.GenericIPAddressField(null=True, blank=True, help_text="for the new-accounts-per-IP limit")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    ban_reason = models.TextField(blank=True, help_text="shown to the reader")
    following_seen_at = models.DateTimeField(null=True, blank=True, help_text="last visit to the Following page")

    class Meta:
        indexes = [models.Index(fields=["signup_ip", "created"], name="accounts_profile_signup_ip")]

    def __str__(self) -> str:
        return self.display_name or str(self.user)

    @property
    def banned(self) -> bool:
        return self.banned_at is not None


class Follow(models.Model):
    """A source (by slug), a hashtag or a story (by id) a reader follows."""

    class Kind(models.TextChoices):
        SOURCE = "source", "Source"
        HASHTAG = "hashtag", "Hashtag"
        STORY = "story", "Story"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="accounts_follow_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["source", "hashtag", "story"]), name="accounts_follow_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.kind} {self.key}"


class SavedArticle(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_articles")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="accounts_saved_once")]


class ReadMark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_marks")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="accounts_read_once")]


class MutedSource(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_sources")
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source"], name="accounts_muted_once")]
