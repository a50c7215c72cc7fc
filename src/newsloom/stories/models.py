"""Stories: all coverage of one event, built by the streaming clusterer; and the clusterer's shared state marker."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Story(models.Model):
    id = models.CharField(max_length=32, primary_key=True, help_text="the id of the story's earliest article")
    title = models.CharField(max_length=1000, blank=True)
    language = models.CharField(max_length=8, blank=True)
    first_published = models.DateTimeField(null=True, blank=True)
    last_published = models.DateTimeField(null=True, blank=True, db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0)
    wire_group_count = models.PositiveIntegerField(default=0)
    score = models.FloatField(default=0.0, db_index=True)
    centroid = models.BinaryField(null=True, blank=True, help_text="mean dense vector of its articles, float32")
    summary = models.JSONField(default=list, blank=True)
    key_points = models.JSONField(default=list, blank=True)
    comparison = models.JSONField(default=dict, blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    enriched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "-last_published"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or self.pk


class ClusterState(models.Model):
    """One row: bumped by every clustering pass, so a process knows whether its in-memory clusterer is current."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
