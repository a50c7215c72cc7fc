"""update_rows: many rows' fields in one executemany, values prepared by the fields as bulk_update would."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from newsloom.articles.models import Article, WireGroup
from newsloom.stories.models import Story
from newsloom.stories.rows import update_rows
from tests.stories.test_actions import FLOOD, make

pytestmark = pytest.mark.django_db


def test_fields_of_every_kind_are_written_by_primary_key() -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
    centroid = np.arange(4, dtype=np.float32).tobytes()
    Story.objects.create(id="s" * 32, title="Old")
    Story.objects.create(id="t" * 32, title="Other", centroid=b"x")
    sent = update_rows([Story(id="s" * 32, title="New — ünïcode", first_published=when, score=2.5, centroid=centroid),
                        Story(id="t" * 32, title="Cleared", first_published=None, score=0.0, centroid=None),
                        Story(id="u" * 32, title="Gone", first_published=when, score=1.0, centroid=None)],
                       ["title", "first_published", "score", "centroid"])
    assert sent == 3  # the missing row is sent and matches nothing
    first, second = Story.objects.get(pk="s" * 32), Story.objects.get(pk="t" * 32)
    assert (first.title, first.first_published, first.score, bytes(first.centroid)) == (
        "New — ünïcode", when, 2.5, centroid)
    assert (second.title, second.first_published, second.centroid) == ("Cleared", None, None)
    assert not Story.objects.filter(pk="u" * 32).exists()


def test_foreign_keys_are_written_by_their_column() -> None:
    article = make("Meridian Press", "a" * 32, "Floods", FLOOD, 1)
    Story.objects.create(id="s" * 32)
    WireGroup.objects.create(id="w" * 32)
    article.story_id, article.wire_group_id = "s" * 32, "w" * 32
    assert update_rows([article], ["story", "wire_group"]) == 1
    assert Article.objects.filter(pk=article.pk).values_list("story_id", "wire_group_id").get() == ("s" * 32,
                                                                                                    "w" * 32)
    assert update_rows([], ["story"]) == 0
