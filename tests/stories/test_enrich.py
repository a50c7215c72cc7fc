from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.stories import actions
from newsloom.stories.models import Story
from tests.stories.test_actions import FLOOD_OTHER, corpus, make

pytestmark = pytest.mark.django_db(transaction=True)

A = "a" * 32


def test_enrichment_is_cited_verbatim_and_idempotent() -> None:
    corpus()
    actions.build_stories()
    assert set(actions.stale_story_ids()) == {A, "e" * 32}
    assert actions.enrich_story(A)
    story = Story.objects.get(pk=A)
    texts = {a.pk: a.text for a in Article.objects.filter(story_id=A)}
    assert 1 <= len(story.summary) <= 5 and story.key_points
    for sentence in story.summary + story.key_points:
        assert sentence["text"] in texts[sentence["article_id"]]  # verbatim from the cited article
    assert 3 <= len(story.hashtags) <= 8 and "harrowdale" in story.hashtags
    assert {s["source"] for s in story.comparison["sources"]} == {"Meridian Press", "Daily Lantern", "Valley Courier",
                                                                 "Harbour Gazette"}
    assert any(d["quantity"] == "people evacuated" for d in story.comparison["disagreements"])
    assert all(a.hashtags for a in Article.objects.filter(story_id=A))
    assert not actions.enrich_story(A)  # nothing changed since
    assert actions.stale_story_ids() == ["e" * 32]


def test_a_story_that_changes_is_enriched_again() -> None:
    corpus()
    actions.build_stories()
    actions.enrich_story(A)
    first = Story.objects.get(pk=A).enriched_at
    make("Late Herald", "9" * 32, "Harrowdale counts the cost", FLOOD_OTHER[::-1], 1)
    actions.build_stories()
    assert A in actions.stale_story_ids()
    assert actions.enrich_story(A)
    assert Story.objects.get(pk=A).enriched_at > first


def test_a_story_enriched_moments_ago_rests_before_it_is_enriched_again() -> None:
    corpus()
    actions.build_stories()
    actions.enrich_story(A)
    make("Late Herald", "9" * 32, "Harrowdale counts the cost", FLOOD_OTHER[::-1], 1)
    actions.build_stories()
    assert A not in actions.stale_story_ids(resting=timedelta(minutes=1))  # just enriched: it waits
    assert "e" * 32 in actions.stale_story_ids(resting=timedelta(minutes=1))  # never enriched: it does not
    Story.objects.filter(pk=A).update(enriched_at=timezone.now() - timedelta(minutes=2))
    assert A in actions.stale_story_ids(resting=timedelta(minutes=1))


def test_with_extraction_processes_stories_are_enriched_side_by_side_in_them(settings: Any) -> None:
    import dataclasses

    from newsloom import runtime, tasks

    settings.CONFIG = dataclasses.replace(settings.CONFIG, extract_processes=2, embedder="none")
    runtime.reset()
    try:
        corpus()
        actions.build_stories()
        assert runtime.story_enricher() is not None
        assert tasks.enrich_stories_now() == 2  # both stories, each in a process, written from two threads
        assert actions.stale_story_ids() == []
        story = Story.objects.get(pk=A)
        texts = {a.pk: a.text for a in Article.objects.filter(story_id=A)}
        assert story.summary and all(s["text"] in texts[s["article_id"]] for s in story.summary)
        assert story.hashtags and all(a.hashtags for a in Article.objects.filter(story_id=A))
    finally:
        runtime.reset()


def test_enrichment_yields_to_queued_ingest_work_but_not_for_ever(settings: Any) -> None:
    """While articles wait in the queue their stories are still growing: a requested pass is put off (the request
    stays claimed) until the queue is empty or ENRICH_YIELD_MAX has passed since it was first due."""
    import time

    from newsloom import tasks

    corpus()
    actions.build_stories()
    settings.HUEY.flush()
    tasks.ingest_article_task("f" * 32)  # one article still to ingest
    assert tasks.ingest_backlog()
    assert tasks.enrich_stories_task.call_local() == 0
    assert set(actions.stale_story_ids()) == {A, "e" * 32}  # nothing summarised yet
    again = [t for t in settings.HUEY.pending() if t.name == "enrich_stories_task"]  # with an eta
    assert len(again) == 1 and again[0].args[0] > time.time() - 60  # asked again, keeping when it was first due
    assert tasks.enrich_stories_task.call_local(time.time() - tasks.ENRICH_YIELD_MAX - 1) == 2  # waited enough
    assert actions.stale_story_ids() == []

    settings.HUEY.flush()
    Story.objects.filter(pk=A).update(enriched_at=None)
    assert not tasks.ingest_backlog()
    assert tasks.enrich_stories_task.call_local() == 1  # an empty queue: at once

    fetching = make("Late Herald", "9" * 32, "Harrowdale counts the cost", FLOOD_OTHER, 1)
    Article.objects.filter(pk=fetching.pk).update(status=Article.Status.PENDING)  # its page is being fetched
    assert tasks.ingest_backlog()  # though the queue is empty
    Article.objects.filter(pk=fetching.pk).update(attempts=1)
    assert not tasks.ingest_backlog()  # tried and waiting for a retry (a crawl must not wait for it)
    Article.objects.filter(pk=fetching.pk).update(attempts=0)
    Article.objects.filter(pk=fetching.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert not tasks.ingest_backlog()  # waiting an hour (a Retry-After): stories need not wait for it
    Article.objects.filter(pk=fetching.pk).update(status=Article.Status.OK)
    assert tasks.ingest_backlog()  # stored, but the story pass has not placed it yet
    actions.build_stories()
    settings.HUEY.flush()  # the pass asked for enrichment, which is queued work too
    assert not tasks.ingest_backlog()
