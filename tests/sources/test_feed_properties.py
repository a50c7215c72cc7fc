"""Property tests (#21): feeds and subscription lists with arbitrary strings, lengths, URLs and dates in every field,
served on 127.0.0.1 and polled through the real fetch -> parse -> store path (``poll_feed``), on SQLite and (under
``make test-postgres``) PostgreSQL: no unhandled exception, every stored value within its column, every good item
stored, every skipped item recorded on the feed."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from newsloom import runtime
from newsloom.articles.actions import record_entries
from newsloom.articles.models import Article
from newsloom.core.urls import article_id, canonicalize
from newsloom.sources import actions
from newsloom.sources.models import Feed
from tests.support.bounds import stored_value_problems
from tests.support.httpserver import LocalServer, Response

pytestmark = pytest.mark.django_db(transaction=True)

PROPERTY_SETTINGS = hyp_settings(max_examples=40, deadline=None,
                                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Characters XML 1.0 allows (the XML formats are generated well-formed: what is tested is storage, not recovery from
# broken XML). JSON Feed strings take any code point, NUL and lone surrogates included.
XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff",
                          min_codepoint=0x9).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)
ANY_CHARS = st.characters()


def texts(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Short strings, and long ones (past every column: 200, 500, 1,000, 2,000 characters)."""
    short = st.text(chars, max_size=40)
    long = st.builds(lambda part, n: (part * n)[: 6000], st.text(chars, min_size=1, max_size=6),
                     st.integers(min_value=50, max_value=3000))
    return st.one_of(short, short, long)


HOSTILE_URLS = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x",
    "http://xn--a.example/x", "https://xn--ls8h.xn--a/", "http://[::1/", "http://127.0.0.1:99999/", "ftp://f.example/",
    "//cdn.example/i.png", "http://bücher.example/ä ö?q=<x>", "http://[::1]/x", "http://-bad-.example/",
    "http://exa mple.com/", "", " ", "mailto:x@example.org", "http://" + "a" * 70 + ".example/",
    "http://news.example/" + "x" * 2100, "http://news.example/" + "é" * 400,
]
DATE_STRINGS = ["Mon, 06 Jan 2025 10:00:00 GMT", "2025-02-30T10:00:00Z", "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59+14:00", "Tue, 31 Dec 9999 23:59:59 -1200", "yesterday", "", "1e400",
                "2025-01-06", "Mon, 06 Jan 1025 10:00:00 GMT"]


def urls(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_URLS), texts(chars),
                     st.builds(lambda t: "http://news.example/" + t, texts(chars)))


def dates(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    when = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC))
    recent = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC))
    return st.one_of(st.sampled_from(DATE_STRINGS), texts(chars), when.map(lambda d: d.isoformat()),
                     recent.map(format_datetime))


@dataclass
class Item:
    title: str
    link: str | None  # None: the good link the test makes for it
    guid: str
    author: str
    date: str
    summary: str
    image: str


def items(chars: st.SearchStrategy[str]) -> st.SearchStrategy[Item]:
    return st.builds(Item, title=texts(chars), link=st.one_of(st.none(), urls(chars)), guid=texts(chars),
                     author=texts(chars), date=dates(chars), summary=texts(chars), image=urls(chars))


@dataclass
class FeedDoc:
    title: str
    home: str
    description: str
    items: list[Item]


def feed_docs(chars: st.SearchStrategy[str]) -> st.SearchStrategy[FeedDoc]:
    return st.builds(FeedDoc, title=texts(chars), home=urls(chars), description=texts(chars),
                     items=st.lists(items(chars), min_size=1, max_size=6))


def _rss(doc: FeedDoc, links: list[str]) -> bytes:
    parts = [f"<item><title>{escape(i.title)}</title><link>{escape(link)}</link><guid>{escape(i.guid)}</guid>"
             f"<author>{escape(i.author)}</author><pubDate>{escape(i.date)}</pubDate>"
             f"<description>{escape(i.summary)}</description>"
             f"<enclosure url={quoteattr(i.image)} type=\"image/png\" length=\"1\"/></item>"
             for i, link in zip(doc.items, links, strict=True)]
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(doc.title)}</title>'
            f"<link>{escape(doc.home)}</link><description>{escape(doc.description)}</description>{''.join(parts)}"
            "</channel></rss>").encode()


def _atom(doc: FeedDoc, links: list[str]) -> bytes:
    parts = [f"<entry><title>{escape(i.title)}</title><link rel=\"alternate\" href={quoteattr(link)}/>"
             f"<id>{escape(i.guid)}</id><author><name>{escape(i.author)}</name></author>"
             f"<updated>{escape(i.date)}</updated><summary>{escape(i.summary)}</summary>"
             f"<link rel=\"enclosure\" type=\"image/png\" href={quoteattr(i.image)}/></entry>"
             for i, link in zip(doc.items, links, strict=True)]
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(doc.title)}</title><link rel=\"alternate\" href={quoteattr(doc.home)}/>"
            f"<id>urn:x</id><updated>2025-01-06T10:00:00Z</updated>{''.join(parts)}</feed>").encode()


def _json(doc: FeedDoc, links: list[str]) -> bytes:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": doc.title, "home_page_url": doc.home,
            "description": doc.description,
            "items": [{"id": i.guid, "url": link, "title": i.title, "authors": [{"name": i.author}],
                       "date_published": i.date, "summary": i.summary, "content_html": f"<p>{i.summary}</p>",
                       "image": i.image} for i, link in zip(doc.items, links, strict=True)]}
    return json.dumps(feed, ensure_ascii=True).encode("ascii")  # lone surrogates travel as \\udXXX escapes


FORMATS = {"rss": (_rss, "application/rss+xml; charset=utf-8"), "atom": (_atom, "application/atom+xml"),
           "json": (_json, "application/feed+json")}
_COUNTER = itertools.count()


def _poll_generated(server: LocalServer, feed: Feed, fmt: str, doc: FeedDoc) -> None:
    build, content_type = FORMATS[fmt]
    run = next(_COUNTER)
    good = [server.url(f"/a/{run}/{n}/" + quote(i.title[:30].encode("utf-8", "replace"), safe=""))
            for n, i in enumerate(doc.items)]
    links = [g if i.link is None else i.link for g, i in zip(good, doc.items, strict=True)]
    body = build(doc, links)
    server.route("/feed", lambda _req: Response(200, body, {"Content-Type": content_type}))
    Feed.objects.filter(pk=feed.pk).update(disabled=False, consecutive_errors=0, etag="", last_modified="")
    outcome = actions.poll_feed(feed.pk, fetcher=runtime.fetcher(), record_entries=record_entries,
                                now=datetime.now(UTC) - timedelta(seconds=1))
    feed.refresh_from_db()
    assert outcome.status == "ok", f"{fmt}: {feed.last_error}"
    expected = {article_id(canonicalize(g)) for g, i in zip(good, doc.items, strict=True) if i.link is None}
    stored = set(Article.objects.filter(pk__in=expected).values_list("pk", flat=True))
    assert stored == expected, f"{fmt}: good items not stored ({feed.last_status}; {feed.last_item_error})"
    assert feed.skipped_items == outcome.skipped
    if feed.skipped_items:
        assert feed.last_item_error
    assert stored_value_problems(pending_ok=True) == []


@pytest.fixture
def generated_feed(pipeline, server: LocalServer) -> Feed:
    return actions.create_feed(server.url("/feed"), actions.ensure_source("Generated Gazette"))


@PROPERTY_SETTINGS
@given(fmt=st.sampled_from(["rss", "atom"]), doc=feed_docs(XML_CHARS))
def test_any_xml_feed_is_stored_within_bounds(server: LocalServer, generated_feed: Feed, fmt: str,
                                              doc: FeedDoc) -> None:
    _poll_generated(server, generated_feed, fmt, doc)


@PROPERTY_SETTINGS
@given(doc=feed_docs(ANY_CHARS))
def test_any_json_feed_is_stored_within_bounds(server: LocalServer, generated_feed: Feed, doc: FeedDoc) -> None:
    _poll_generated(server, generated_feed, "json", doc)


@PROPERTY_SETTINGS
@given(outlines=st.lists(st.tuples(texts(XML_CHARS), urls(XML_CHARS), urls(XML_CHARS)), min_size=1, max_size=6))
def test_any_subscription_list_imports_within_bounds(pipeline, outlines: list[tuple[str, str, str]]) -> None:
    body = "".join(f"<outline type=\"rss\" title={quoteattr(title)} xmlUrl={quoteattr(url)} "
                   f"htmlUrl={quoteattr(home)}/>" for title, url, home in outlines)
    data = f'<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><body>{body}</body></opml>'.encode()
    result = actions.import_opml(data)
    assert len(result.added) + len(result.existing) + len(result.errors) <= len(outlines)
    assert stored_value_problems(pending_ok=True) == []
