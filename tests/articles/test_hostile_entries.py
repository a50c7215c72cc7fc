"""Hostile feed entries and pages at storage (#21): bad URLs refused or dropped, one bad entry never costs its feed,
every value fitted to its column, every unexpected error recorded on the article. Run on PostgreSQL too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsloom import runtime
from newsloom.articles import actions
from newsloom.articles.models import Article
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.sources.actions import create_feed, ensure_source
from tests.support.bounds import stored_value_problems
from tests.support.feeds import LOREM, article_page
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db(transaction=True)


def entry(link: str | None, *, title: str = "Flood barrier approved", image: str | None = None, guid: str = "g",
          html: str = "<p>The council approved the <a href='/more'>barrier</a>.</p>", author: str | None = None,
          ) -> FeedEntry:
    return FeedEntry(guid=guid, link=link, title=title, author=author,
                     published=datetime(2026, 11, 20, 9, tzinfo=UTC), updated=None, summary=html, content_html="",
                     categories=(), image=image)


@pytest.fixture
def feed(server: LocalServer):  # type: ignore[no-untyped-def]
    return create_feed(server.url("/feed.xml"), ensure_source("Test Gazette"))


def test_an_entry_whose_host_idna_refuses_is_skipped_and_the_others_stored(pipeline, feed, server) -> None:
    good = [entry(server.url(f"/news/{n}"), guid=str(n)) for n in range(3)]
    bad = entry("http://xn--a.example/story", guid="bad")  # nh3 and httpx raised on this host
    recorded = actions.record_entries(feed, [good[0], bad, *good[1:]])
    assert len(recorded.new_ids) == 3 and Article.objects.count() == 3
    [skipped] = recorded.skipped
    assert skipped.link == "http://xn--a.example/story" and "international domain name" in skipped.reason


def test_entry_images_that_are_not_http_are_dropped(pipeline, feed, server) -> None:
    images = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "//cdn.example/i.png",
              "http://xn--a.example/i.png", server.url("/img/" + "i" * 2500 + ".png"), server.url("/img/ok.png")]
    entries = [entry(server.url(f"/news/{n}"), guid=str(n), image=image) for n, image in enumerate(images)]
    assert len(actions.record_entries(feed, entries).new_ids) == len(images)
    stored = dict(Article.objects.values_list("url", "lead_image"))
    assert stored[server.url("/news/6")] == server.url("/img/ok.png")
    assert stored[server.url("/news/3")] == "http://cdn.example/i.png"  # protocol-relative, resolved against the page
    assert [u for u, image in stored.items() if image and u not in {server.url("/news/6"), server.url("/news/3")}] == []


def test_long_urls_are_refused_and_long_strings_cut_to_their_columns(pipeline, feed, server) -> None:
    long_url = server.url("/news/" + "x" * 2500)
    wide_url = server.url("/news/" + "é" * 600)  # 600 characters as published, 3,600 once percent-encoded
    fine = entry(server.url("/news/ok"), title="T" * 1500 + "e\u0301\u0301", guid="g" * 3000, author="A\x00" * 600,
                 html="<p>NUL \x00 and lone \ud800 surrogate</p>")
    recorded = actions.record_entries(feed, [entry(long_url, guid="1"), entry(wide_url, guid="2"), fine])
    assert [s.link for s in recorded.skipped] == [long_url, wide_url]
    assert all("longer than 2000 characters" in s.reason for s in recorded.skipped)
    article = Article.objects.get()
    assert len(article.title) <= 1000 and article.title.endswith("T")  # never a mark without its letter
    assert len(article.guid) == 2000 and len(article.author) <= 500 and "\x00" not in article.author
    assert "\x00" not in article.feed_html and "\ud800" not in article.feed_html
    assert stored_value_problems() == [f"article {article.url} left pending"]


def test_page_urls_that_fail_the_gate_are_not_stored(pipeline, feed, server) -> None:
    url = server.serve("/news/flood", article_page("Council approves flood barrier", LOREM))
    [aid] = actions.record_entries(feed, [entry(url)]).new_ids
    extracted = ExtractedArticle(
        url=url, canonical_url="http://xn--a.example/flood", title="T" * 3000, author="A" * 900, published=None,
        published_has_time=False, text="text", html="<p>text</p>", site_name="S" * 500,
        lead_image="javascript:alert(1)", language="en", description=None, word_count=1,
    )
    assert actions.store_extracted(aid, extracted, final_url=url).result == "stored"
    article = Article.objects.get(pk=aid)
    assert article.canonical_url == url and article.lead_image == ""
    assert (len(article.title), len(article.author), len(article.site_name)) == (1000, 500, 300)
    assert stored_value_problems() == []


def test_an_unexpected_error_while_ingesting_is_recorded_on_the_article(pipeline, feed, server) -> None:
    url = server.serve("/news/flood", article_page("Council approves flood barrier", LOREM))
    [aid] = actions.record_entries(feed, [entry(url)]).new_ids

    def broken_extractor(*_args: object, **_kwargs: object) -> ExtractedArticle:
        raise RuntimeError("a bug in a step")

    outcome = actions.ingest_article(aid, fetcher=runtime.fetcher(), extractor=broken_extractor)
    article = Article.objects.get(pk=aid)
    assert outcome.result == "feed-only" and article.status == Article.Status.FEED_ONLY
    assert article.error_code == "internal-error" and "RuntimeError: a bug in a step" in article.error
    assert article.text == "The council approved the barrier." and article.attempts == 1


def test_a_page_request_httpx_cannot_build_is_recorded(pipeline, feed) -> None:
    [aid] = actions.record_entries(feed, [entry("http://a.example/x")]).new_ids
    Article.objects.filter(pk=aid).update(url="http://xn--a.example/x")  # stored before the gate existed
    outcomes = [actions.ingest_article(aid, fetcher=runtime.fetcher()) for _ in range(actions.MAX_ATTEMPTS)]
    article = Article.objects.get(pk=aid)
    assert [o.result for o in outcomes] == ["retry"] * (actions.MAX_ATTEMPTS - 1) + ["feed-only"]
    assert article.status == Article.Status.FEED_ONLY and article.error_code == "connection-failed"


def test_a_batch_the_database_refuses_is_stored_row_by_row(pipeline, feed, server, monkeypatch) -> None:
    real = actions._pending_article

    def one_unstorable(*args, **kwargs):  # type: ignore[no-untyped-def]
        row = real(*args, **kwargs)
        if row["url"].endswith("/bad"):
            row["word_count"] = -1  # a positive integer column: the database refuses it
        return row

    monkeypatch.setattr(actions, "_pending_article", one_unstorable)
    entries = [entry(server.url(p), guid=p) for p in ("/news/1", "/bad", "/news/2")]
    recorded = actions.record_entries(feed, entries)
    assert sorted(recorded.new_ids) == sorted(Article.objects.values_list("pk", flat=True))
    assert Article.objects.count() == 2
    [skipped] = recorded.skipped
    assert skipped.link == server.url("/bad") and "database refused" in skipped.reason


def test_re_polling_a_large_feed_stores_nothing_twice(pipeline, feed, server) -> None:
    entries = [entry(server.url(f"/news/{n}"), guid=str(n)) for n in range(2500)]
    assert len(actions.record_entries(feed, entries).new_ids) == 2500
    assert actions.record_entries(feed, entries).new_ids == []
    assert Article.objects.count() == 2500


