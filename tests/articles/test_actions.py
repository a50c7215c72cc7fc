from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsloom import runtime
from newsloom.articles import actions
from newsloom.articles.models import Article, ArticleURL
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.core.urls import article_id
from newsloom.sources.actions import create_feed, ensure_source
from tests.support.feeds import LOREM, article_page
from tests.support.httpserver import LocalServer, Response

pytestmark = pytest.mark.django_db(transaction=True)


def entry(link: str, title: str = "Flood barrier approved", published: datetime | None = None) -> FeedEntry:
    return FeedEntry(
        guid=link, link=link, title=title, author=None,
        published=published or datetime(2026, 11, 20, 9, 0, tzinfo=UTC), updated=None,
        summary="<p>The council approved the <b>barrier</b>.</p>", content_html="", categories=(), image=None,
    )


@pytest.fixture
def feed(server: LocalServer):  # type: ignore[no-untyped-def]
    source = ensure_source("Test Gazette", homepage=server.url("/"))
    return create_feed(server.url("/feed.xml"), source)


def test_record_entries_is_idempotent_and_strips_tracking(pipeline, feed, server: LocalServer) -> None:
    url = server.url("/news/flood")
    first = actions.record_entries(feed, [entry(url), entry(url + "?utm_source=rss&utm_medium=feed")]).new_ids
    again = actions.record_entries(feed, [entry(url + "?utm_campaign=x"), entry(url)]).new_ids
    assert len(first) == 1 and again == []
    article = Article.objects.get()
    assert article.pk == article_id(url) and article.status == Article.Status.PENDING
    assert article.summary == "The council approved the barrier."
    assert ArticleURL.objects.filter(article=article).count() == 1


def test_entries_without_usable_links_are_skipped(pipeline, feed) -> None:
    bad = [entry("javascript:alert(1)"), entry("mailto:x@example.test")]
    no_link = FeedEntry(guid="g", link=None, title="t", author=None, published=None, updated=None, summary="",
                        content_html="", categories=(), image=None)
    recorded = actions.record_entries(feed, [*bad, no_link])
    assert recorded.new_ids == []
    assert [s.link for s in recorded.skipped] == ["javascript:alert(1)", "mailto:x@example.test", ""]
    assert not Article.objects.exists()


def test_ingest_stores_full_text_and_page_metadata(pipeline, feed, server: LocalServer) -> None:
    url = server.serve("/news/flood", article_page("Council approves flood barrier", LOREM))
    [aid] = actions.record_entries(feed, [entry(url)]).new_ids
    outcome = actions.ingest_article(aid, fetcher=runtime.fetcher(), detector=runtime.detector())
    assert outcome.result == "stored"
    article = Article.objects.get(pk=aid)
    assert article.status == Article.Status.OK
    assert LOREM[3] in article.text and "Copyright Test Gazette" not in article.text
    assert article.published_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # the page's time beats the feed's
    assert article.language == "en" and article.word_count > 50
    assert article.hashtags and not any("gazette" in tag for tag in article.hashtags)  # tagged at ingest
    # idempotent: a second run changes nothing
    assert actions.ingest_article(aid, fetcher=runtime.fetcher()).result == "skipped"


def test_canonical_url_rekeys_the_article_and_merges_copies(pipeline, feed, server: LocalServer) -> None:
    canonical = server.url("/news/flood-barrier")
    page = article_page("Council approves flood barrier", LOREM, canonical=canonical)
    server.serve("/news/flood-barrier", page)
    mobile = server.serve("/m/flood", page)
    amp = server.serve("/amp/flood", page)
    ids = actions.record_entries(feed, [entry(mobile), entry(amp)]).new_ids
    results = [actions.ingest_article(aid, fetcher=runtime.fetcher()).result for aid in ids]
    assert sorted(results) == ["merged", "stored"]
    article = Article.objects.get()
    assert article.pk == article_id(canonical) and article.canonical_url == canonical
    # every URL seen leads to the one article: polling again adds nothing
    assert actions.record_entries(feed, [entry(mobile), entry(amp), entry(canonical)]).new_ids == []


def test_page_that_fails_for_good_keeps_feed_content(pipeline, feed, server: LocalServer) -> None:
    server.route("/gone", lambda _r: Response(404, b"no", {"Content-Type": "text/plain"}))
    [aid] = actions.record_entries(feed, [entry(server.url("/gone"))]).new_ids
    outcome = actions.ingest_article(aid, fetcher=runtime.fetcher())
    article = Article.objects.get(pk=aid)
    assert outcome.result == "feed-only"
    assert article.status == Article.Status.FEED_ONLY and article.text == "The council approved the barrier."
    assert article.error_code == "http-error" and "404" in article.error


def test_transient_failures_retry_then_fall_back(pipeline, feed, server: LocalServer) -> None:
    server.route("/busy", lambda _r: Response(503, b"busy", {"Content-Type": "text/plain"}))
    [aid] = actions.record_entries(feed, [entry(server.url("/busy"))]).new_ids
    outcomes = [actions.ingest_article(aid, fetcher=runtime.fetcher()) for _ in range(actions.MAX_ATTEMPTS)]
    assert [o.result for o in outcomes[:-1]] == ["retry"] * (actions.MAX_ATTEMPTS - 1)
    assert all(o.retry_in and o.retry_in.total_seconds() > 0 for o in outcomes[:-1])
    assert outcomes[-1].result == "feed-only"
    assert Article.objects.get(pk=aid).error_code == "server-error"


def test_links_to_private_addresses_are_refused(settings, pipeline, feed) -> None:
    import dataclasses

    settings.CONFIG = dataclasses.replace(settings.CONFIG, fetch_allow_private=False)
    runtime.reset()
    [aid] = actions.record_entries(feed, [entry("http://169.254.169.254/latest/meta-data/")]).new_ids
    assert actions.ingest_article(aid, fetcher=runtime.fetcher()).result == "feed-only"
    assert Article.objects.get(pk=aid).error_code == "blocked-address"


def _extracted(published: datetime | None, has_time: bool) -> ExtractedArticle:
    return ExtractedArticle(
        url="http://x.test/a", canonical_url="http://x.test/a", title="t", author=None, published=published,
        published_has_time=has_time, text="t", html="<p>t</p>", site_name=None, lead_image=None, language="en",
        description=None, word_count=1,
    )


def test_published_time_prefers_page_then_feed() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    page = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    feed_time = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    assert actions.choose_published(_extracted(page, True), feed_time, now) == page
    day_only = datetime(2026, 11, 20, tzinfo=UTC)
    assert actions.choose_published(_extracted(day_only, False), feed_time, now) == feed_time
    assert actions.choose_published(_extracted(None, False), feed_time, now) == feed_time
    assert actions.choose_published(_extracted(None, False), None, now) == now
    future = datetime(2027, 1, 1, tzinfo=UTC)
    assert actions.choose_published(_extracted(future, True), feed_time, now) == feed_time
