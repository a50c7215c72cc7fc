"""Articles, stored once per canonical URL, and every URL under which each is known."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from newsloom.sources.models import Feed, Source


class WireGroup(models.Model):
    """Near-duplicate copies of one text (an agency story run by several outlets); the earliest copy is the origin."""

    id = models.CharField(max_length=32, primary_key=True, help_text="the origin article's id")
    size = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"wire group {self.pk} ({self.size})"


class Article(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for its page"
        OK = "ok", "Full text extracted"
        FEED_ONLY = "feed_only", "Feed content only (page unavailable)"

    id = models.CharField(max_length=32, primary_key=True, help_text="32-hex digest of the canonical URL")
    url = models.URLField(max_length=2000, help_text="the URL fetched, as the feed gave it (tracking stripped)")
    canonical_url = models.URLField(max_length=2000)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    guid = models.CharField(max_length=2000, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    feed_published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    summary = models.TextField(blank=True, help_text="the feed's summary, plain text")
    feed_html = models.TextField(blank=True, help_text="the feed's own content, sanitized")
    text = models.TextField(blank=True)
    html = models.TextField(blank=True, help_text="sanitized article HTML")
    site_name = models.CharField(max_length=300, blank=True)
    lead_image = models.URLField(max_length=2000, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=32, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    wire_group = models.ForeignKey(WireGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    story = models.ForeignKey("stories.Story", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="articles")
    signature = models.BinaryField(null=True, blank=True, help_text="shingle hashes for wire-copy detection")
    vector = models.BinaryField(null=True, blank=True, help_text="dense embedding, float32")
    clustered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    hashtags = models.JSONField(default=list, blank=True, help_text="normalised tag slugs")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title or self.url


class ArticleURL(models.Model):
    """One URL (by its 32-hex digest) that leads to an article: the feed's link, redirects' ends, the canonical URL."""

    id = models.CharField(max_length=32, primary_key=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return f"{self.id} -> {self.article_id}"
