"""NEWSLOOM_RETENTION_DAYS: old stories and articles go in batches, and what stays is consistent (counts, wire
groups, search); discussed stories stay whole; a feed's archive does not bring back what went."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from newsloom import tasks
from newsloom.articles.models import Article, ArticleURL, WireGroup
from newsloom.articles.search import search
from newsloom.community.actions import ensure_reader, post_comment
from newsloom.config import RETENTION_MIN_DAYS, Config
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.sources.models import Feed
from newsloom.stories import actions
from newsloom.stories.engine import DEFAULT_WINDOW
from newsloom.stories.models import Story
from tests.support.feeds import rss
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db(transaction=True)

DAYS = 60


def article(
    aid: str,
    days_ago: float,
    story: str | None,
    group: str | None = None,
    *,
    word: str = "",
    status: str = Article.Status.OK,
) -> Article:
    source = ensure_source(f"Source {aid[:1]}")
    when = timezone.now() - timedelta(days=days_ago)
    if group is not None:
        WireGroup.objects.get_or_create(pk=group)
    if story is not None:
        Story.objects.get_or_create(pk=story)
    made = Article.objects.create(
        id=aid,
        url=f"https://{source.slug}.example/{aid}",
        canonical_url=f"https://{source.slug}.example/{aid}",
        source=source,
        title=f"Report {aid[:4]} {word}",
        text=f"The {word} report number {aid[:4]} in full.",
        status=status,
        language="en",
        published_at=when,
        story_id=story,
        wire_group_id=group,
        clustered_at=when if story else None,
    )
    ArticleURL.objects.create(id=aid, article=made)
    return made


def world() -> None:
    """a: an old story (two wire copies and a third article); b: a story running since then, one copy of a's wire
    group among its articles; c: a recent story; d, e: old stories with comments, on an article and on the story;
    f: an old article in no story (never stored)."""
    a, b, c, d, e = ("a" * 32, "b" * 32, "c" * 32, "d" * 32, "e" * 32)
    article(a, 90, a, a, word="zanzibarite")
    article("a1" + "0" * 30, 89, a, a)
    article("a2" + "0" * 30, 88, a)
    article(b, 80, b, b)
    article("b1" + "0" * 30, 79, b, a)  # a copy of a's text in the running story
    article("b2" + "0" * 30, 20, b, b, word="quokkaform")
    article(c, 3, c, c)
    article(d, 70, d, d)
    article(e, 70, e, e)
    article("f" * 32, 75, None, status=Article.Status.PENDING)
    actions.refresh_stories([a, b, c, d, e])
    actions.refresh_wire_groups([a, b, c, d, e])
    reader = ensure_reader("retained")
    post_comment(reader, Article.objects.get(pk=d), "Worth keeping.", None)
    post_comment(reader, Story.objects.get(pk=e), "This story too.", None)


def consistent() -> None:
    for story in Story.objects.annotate(n=Count("articles")):
        assert story.article_count == story.n, story.pk
    for group in WireGroup.objects.annotate(n=Count("articles")):
        assert group.size == group.n > 0, group.pk
    assert not Article.objects.filter(story__isnull=False).exclude(story__in=Story.objects.all()).exists()


@pytest.mark.parametrize("batch", [100, 1])
def test_old_stories_go_whole_and_what_stays_is_consistent(batch: int) -> None:
    world()
    counts = {s.pk: (s.article_count, s.source_count) for s in Story.objects.all()}
    assert search("zanzibarite").total == 1
    removed = tasks.apply_retention(timezone.now() - timedelta(days=DAYS), batch=batch)
    assert removed == 4  # a's three articles and the article in no story
    assert set(Story.objects.values_list("pk", flat=True)) == {"b" * 32, "c" * 32, "d" * 32, "e" * 32}
    assert not Article.objects.filter(pk__in=["a" * 32, "a1" + "0" * 30, "a2" + "0" * 30, "f" * 32]).exists()
    assert not ArticleURL.objects.filter(pk="a" * 32).exists()  # its URLs go with it
    assert {s.pk: (s.article_count, s.source_count) for s in Story.objects.all()} == {
        k: v for k, v in counts.items() if k != "a" * 32
    }  # the running story keeps its old articles: stories go whole or not at all
    assert WireGroup.objects.get(pk="a" * 32).size == 1  # the copy in the running story remains, recounted
    assert search("zanzibarite").total == 0 and search("quokkaform").total == 1
    consistent()
    assert tasks.apply_retention(timezone.now() - timedelta(days=DAYS)) == 0  # nothing more to do


def test_the_periodic_task_does_nothing_without_the_setting(settings) -> None:  # type: ignore[no-untyped-def]
    world()
    assert settings.CONFIG.retention_days == 0 and tasks.retention_cutoff() is None
    assert tasks.retention.call_local() == 0 and Story.objects.count() == 5
    settings.CONFIG = dataclasses.replace(settings.CONFIG, retention_days=DAYS)
    assert tasks.retention.call_local() == 4 and Story.objects.count() == 4
    consistent()


def test_a_pass_waits_for_the_story_lock() -> None:
    from django.conf import settings

    from newsloom.queue import exclusive

    world()
    tasks.RETENTION_WAIT, saved = 2, tasks.RETENTION_WAIT
    try:
        with exclusive(settings.HUEY, "stories") as mine:
            assert mine
            assert tasks.apply_retention(timezone.now() - timedelta(days=DAYS)) == 0  # gave up: left for next time
        assert Story.objects.count() == 5
    finally:
        tasks.RETENTION_WAIT = saved


def test_a_feeds_archive_does_not_bring_back_what_retention_removed(pipeline, settings, server: LocalServer) -> None:  # type: ignore[no-untyped-def]
    settings.CONFIG = dataclasses.replace(pipeline, retention_days=DAYS)
    fresh = rss([("Fresh", "http://example.test/fresh")], start=timezone.now() - timedelta(days=1))
    archived = rss([("Archived", "http://example.test/old")], start=timezone.now() - timedelta(days=DAYS + 30))
    item = re.compile(r"<item>.*?</item>")
    both = fresh.replace("</channel>", "".join(item.findall(archived)) + "</channel>")
    server.serve("/feed.xml", both, "application/rss+xml")
    feed = create_feed(server.url("/feed.xml"), ensure_source("Archive Times"))
    assert tasks.poll_feed_task.call_local(feed.pk) == "ok"
    assert list(Article.objects.values_list("url", flat=True)) == ["http://example.test/fresh"]
    settings.CONFIG = pipeline  # without retention the archive's entry is recorded
    Article.objects.all().delete()
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    tasks.poll_feed_task.call_local(feed.pk)
    assert sorted(Article.objects.values_list("url", flat=True)) == [
        "http://example.test/fresh",
        "http://example.test/old",
    ]


def test_the_setting_is_at_least_the_story_window() -> None:
    assert DEFAULT_WINDOW.days == RETENTION_MIN_DAYS
    assert Config.from_env({}).retention_days == 0
    assert Config.from_env({"NEWSLOOM_RETENTION_DAYS": "0"}).retention_days == 0
    assert Config.from_env({"NEWSLOOM_RETENTION_DAYS": "365"}).retention_days == 365
    with pytest.raises(ValueError, match="at least 30"):
        Config.from_env({"NEWSLOOM_RETENTION_DAYS": "7"})
