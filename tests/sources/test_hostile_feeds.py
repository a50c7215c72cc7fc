"""Hostile feeds and subscription lists at storage (#21): homepages and feed URLs through the URL gate, titles fitted
to their columns, one bad outline or entry recorded without costing the rest, every failure recorded on the feed.
Run on PostgreSQL too (SQLite enforces no lengths)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from newsloom import runtime
from newsloom.articles.actions import record_entries
from newsloom.articles.models import Article
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.errors import InvalidURL
from newsloom.sources import actions, queries
from newsloom.sources.models import Feed, Source
from tests.support.bounds import stored_value_problems
from tests.support.feeds import rss
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db(transaction=True)

RSS = "application/rss+xml; charset=utf-8"


def test_add_feed_drops_a_script_homepage_and_cuts_a_long_title(pipeline, server: LocalServer) -> None:
    title = "Loom " * 100  # 500 characters: the source's name holds 200
    url = server.serve("/feed.xml", rss([("One", server.url("/1"))], title=title, link="javascript:alert(1)"), RSS)
    feed = actions.add_feed(url, fetcher=runtime.fetcher())
    assert feed.source.homepage == server.url("/") and feed.site_url == ""
    assert feed.source.name == " ".join(title.split())[:200] and len(feed.title) == len(title.strip())
    assert Source.objects.count() == 1 and stored_value_problems() == []


def test_add_feed_refuses_urls_the_gate_refuses(pipeline) -> None:
    for url in ("javascript:alert(1)", "http://xn--a.example/feed", "http://news.example/" + "x" * 2100):
        with pytest.raises(InvalidURL):
            actions.add_feed(url, fetcher=runtime.fetcher())
    assert not Feed.objects.exists()


def test_opml_import_records_each_bad_outline_and_imports_the_rest(pipeline) -> None:
    long_title = "Very long title " * 400
    data = f"""<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Script" xmlUrl="javascript:alert(1)"/>
      <outline text="IDNA" xmlUrl="http://xn--a.example/feed.xml"/>
      <outline title="{long_title}" xmlUrl="https://long.example/feed.xml" htmlUrl="javascript:alert(2)"/>
      <outline text="Fine" xmlUrl="https://fine.example/feed.xml" htmlUrl="https://fine.example/"/>
    </body></opml>""".encode()
    result = actions.import_opml(data)
    assert [f.url for f in result.added] == ["https://long.example/feed.xml", "https://fine.example/feed.xml"]
    assert len(result.errors) == 2 and "international domain name" in result.errors[1]
    long_feed = Feed.objects.select_related("source").get(url="https://long.example/feed.xml")
    assert len(long_feed.source.name) == 200 and long_feed.source.homepage == "" and len(long_feed.title) == 500
    assert stored_value_problems() == []


def test_poll_records_skipped_entries_on_the_feed(pipeline, server: LocalServer) -> None:
    items = [("One", server.url("/1")), ("Bad host", "http://xn--a.example/story"), ("Two", server.url("/2"))]
    server.serve("/feed.xml", rss(items), RSS)
    feed = actions.create_feed(server.url("/feed.xml"), actions.ensure_source("Gazette"))
    outcome = actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries)
    assert outcome.status == "ok" and len(outcome.new_article_ids) == 2 and outcome.skipped == 1
    feed.refresh_from_db()
    assert feed.last_status == "ok: 3 entries, 2 new, 1 skipped" and feed.skipped_items == 1
    assert feed.last_item_link == "http://xn--a.example/story" and "international domain" in feed.last_item_error
    assert feed.last_item_error_at is not None
    record = queries.feed_record(feed)
    assert record["skipped_items"] == 1 and record["last_item_link"] == feed.last_item_link
    assert [f.pk for f in queries.source_feeds(feed.source)] == [feed.pk]
    server.serve("/feed.xml", rss(items[:1]), RSS)  # the bad item is gone: the count resets, the last one stays
    actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries)
    feed.refresh_from_db()
    assert feed.skipped_items == 0 and feed.last_item_link == "http://xn--a.example/story"


def test_an_error_while_storing_entries_is_recorded_on_the_feed(pipeline, server: LocalServer) -> None:
    server.serve("/feed.xml", rss([("One", server.url("/1"))]), RSS)
    feed = actions.create_feed(server.url("/feed.xml"), actions.ensure_source("Gazette"))

    def broken(_feed: Feed, _entries: Sequence[FeedEntry]) -> actions.RecordedEntries:
        raise RuntimeError("a bug in a step")

    outcome = actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=broken)
    feed.refresh_from_db()
    assert outcome.status == "error" and feed.last_error_code == "internal-error"
    assert "RuntimeError: a bug in a step" in feed.last_error and feed.consecutive_errors == 1
    assert not Article.objects.exists()


def test_urls_stored_before_the_gate_are_dropped_by_the_migrations(pipeline) -> None:
    from importlib import import_module

    from django.apps import apps

    source = actions.ensure_source("Old Herald", homepage="https://old.example/")
    feed = actions.create_feed("https://old.example/feed.xml", source)
    Source.objects.filter(pk=source.pk).update(homepage="javascript:alert(1)")
    Feed.objects.filter(pk=feed.pk).update(site_url="http://xn--a.example/")
    article = Article.objects.create(id="a" * 32, url="https://old.example/1", canonical_url="https://old.example/1",
                                     source=source, feed=feed, lead_image="data:text/html,<script>alert(1)</script>")
    import_module("newsloom.sources.migrations.0003_drop_unsafe_urls").drop_unsafe_urls(apps, None)
    import_module("newsloom.articles.migrations.0006_drop_unsafe_lead_images").drop_unsafe_lead_images(apps, None)
    for row in (source, feed, article):
        row.refresh_from_db()
    assert (source.homepage, feed.site_url, article.lead_image) == ("", "", "")
