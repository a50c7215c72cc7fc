"""Publishers and their feeds, with each feed's fetch state and health."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Source(models.Model):
    class Kind(models.TextChoices):
        WIRE = "wire", "Wire agency"
        PUBLIC = "public", "Public broadcaster"
        PRIVATE = "private", "Private"
        STATE = "state", "State-affiliated"
        UNKNOWN = "unknown", "Unknown"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    homepage = models.URLField(max_length=2000, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=8, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.UNKNOWN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    url = models.URLField(max_length=2000, unique=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    title = models.CharField(max_length=500, blank=True)
    site_url = models.URLField(max_length=2000, blank=True)
    format = models.CharField(max_length=16, blank=True)

    # conditional GET and schedule
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    interval_seconds = models.PositiveIntegerField(default=3600)
    next_fetch_at = models.DateTimeField(default=timezone.now)
    fetch_delay = models.FloatField(null=True, blank=True, help_text="per-host delay override, seconds")
    fetch_concurrency = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="per-host concurrency override"
    )

    # health
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    disabled = models.BooleanField(default=False)
    disabled_reason = models.CharField(max_length=300, blank=True)

    # items the last poll could not store (a bad link, a value no column holds), and the latest such item
    skipped_items = models.PositiveIntegerField(default=0, help_text="items skipped by the last poll")
    last_item_error = models.TextField(blank=True, help_text="why the latest skipped item was skipped")
    last_item_link = models.CharField(max_length=2000, blank=True, help_text="its link, as published (text)")
    last_item_error_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source__name", "url"]
        indexes = [models.Index(fields=["disabled", "next_fetch_at"], name="feed_due_idx")]

    def __str__(self) -> str:
        return self.url
