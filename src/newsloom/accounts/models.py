"""A reader's profile and their own newsloom: what they follow, save, mute and have read.

Rows are written only by ``accounts.actions``. A profile is made with the account (sign-up, ``newsloom users
create``); an account without one (made in the admin) reads as its username. Personal tokens and app passwords are
``AccessKey`` rows.
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


class AccessKey(models.Model):
    """A personal API token, an app password, or the token a Google Reader client got at log-in: a random secret
    shown once, stored as its SHA-256 (the secrets are long and random, so a fast digest is enough). An app password
    also keeps ``fever_key``, md5("name:password") as Fever clients send it."""

    class Kind(models.TextChoices):
        TOKEN = "token", "Personal API token"
        APP_PASSWORD = "app_password", "App password"
        READER_LOGIN = "reader_login", "Reader app log-in"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_keys")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="the secret's first characters, to tell keys apart")
    digest = models.CharField(max_length=64, unique=True)
    fever_key = models.CharField(max_length=32, blank=True, db_index=True)
    limit_requests = models.PositiveIntegerField(null=True, blank=True, help_text="its own API rate limit, if any")
    limit_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="the period of limit_requests")
    created = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["token", "app_password", "reader_login"]),
                name="accounts_accesskey_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.prefix}… of {self.user}"

    @property
    def rate_key(self) -> str:
        """Whose requests count together against the API's rate limit: this key's."""
        return f"key{self.pk}"

    @property
    def rate_limit(self) -> tuple[int, int] | None:
        """(requests, seconds) of its own, for the API's rate limit (``api.throttle``), or None for the default."""
        return (self.limit_requests, self.limit_seconds) if self.limit_requests and self.limit_seconds else None


class ItemNumber(models.Model):
    """A small, increasing number per article for the reader-app APIs (Google Reader's short ids, Fever's ids):
    given in the order articles arrive, so "newer than id N" means what those clients expect."""

    number = models.BigAutoField(primary_key=True)
    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="+")
