"""The bundled mini-web over real HTTP: feeds, pages, wire copies, HTTP semantics and the bulk web."""

from __future__ import annotations

import gzip
import html
import http.client
import json
import random
import re
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest

from newsloom.demo import DemoArticle, MiniWeb, bulk_miniweb, start_miniweb
from newsloom.demo.content import build_docs
from newsloom.demo.models import Doc

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
TEMPLATE_MARKERS = (
    'class="story-body"',
    'class="txt"',
    'class="article-text"',
    'class="entry-content"',
    'data-component="text-block"',
    'class="story-text"',
)


@pytest.fixture(scope="module")
def web() -> Iterator[MiniWeb]:
    with start_miniweb(now=NOW) as w:
        yield w


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def docs_by_url(web: MiniWeb) -> dict[str, Doc]:
    pubs = {p.slug: p for p in web.publishers}
    return {d.url: d for d in build_docs(pubs, NOW)}


def shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def test_counts_meet_the_minimums(web: MiniWeb) -> None:
    sources = {f.source_slug for f in web.feeds}
    assert len(sources) >= 12
    assert {f.kind for f in web.feeds} == {"wire", "public", "private", "state"}
    assert sum(1 for f in {(f.source_slug, f.kind) for f in web.feeds} if f[1] == "wire") >= 1
    assert {"rss20", "atom10", "json11", "rss10"} <= {f.format for f in web.feeds}
    assert [f.broken for f in web.feeds].count(True) == 1
    assert all(f.language == "en" and len(f.country) == 2 for f in web.feeds)
    assert len({a.event for a in web.articles}) >= 14
    assert len(web.articles) >= 60
    assert len({a.url for a in web.articles}) == len(web.articles)
    assert len(web.publisher_homepages()) == len(sources)
    for doc in docs_by_url(web).values():
        assert 150 <= doc.word_count <= 450, (doc.url, doc.word_count)
        assert doc.title and doc.author


def test_published_times_are_spread_relative_to_now(web: MiniWeb) -> None:
    ages = [NOW - a.published for a in web.articles]
    assert all(timedelta(0) < age <= timedelta(days=11) for age in ages)
    assert sum(age <= timedelta(hours=48) for age in ages) > len(ages) / 2
    assert any(age > timedelta(days=7) for age in ages)
    assert any(timedelta(days=3) < age < timedelta(days=7) for age in ages)


def test_feeds_are_well_formed_and_list_every_article(web: MiniWeb) -> None:
    listed: Counter[str] = Counter()
    for feed in web.feeds:
        status, headers, body = get(feed.url)
        assert status == 200
        assert "charset=utf-8" in headers["Content-Type"]
        if feed.broken:
            with pytest.raises(ET.ParseError):
                ET.fromstring(body)
            continue
        if feed.format == "json11":
            doc = json.loads(body)
            assert doc["version"] == "https://jsonfeed.org/version/1.1"
            links = [item["url"] for item in doc["items"]]
            assert all(item["date_published"] for item in doc["items"])
        else:
            root = ET.fromstring(body)
            if feed.format == "atom10":
                ns = "{http://www.w3.org/2005/Atom}"
                entries = root.findall(f"{ns}entry")
                links = [e.find(f"{ns}link").get("href", "") for e in entries]  # type: ignore[union-attr]
                assert all(e.find(f"{ns}published") is not None for e in entries)
            elif feed.format == "rss20":
                links = [i.findtext("link", "") for i in root.iter("item")]
                assert all(i.findtext("pubDate") for i in root.iter("item"))
            else:
                ns = "{http://purl.org/rss/1.0/}"
                links = [i.findtext(f"{ns}link", "") for i in root.iter(f"{ns}item")]
                assert all(i.findtext("{http://purl.org/dc/elements/1.1/}date") for i in root.iter(f"{ns}item"))
        assert links
        for link in links:
            listed[link.split("?")[0]] += 1
    urls = {a.url for a in web.articles}
    assert set(listed) <= urls
    assert set(listed) == urls, "every article is reachable from a well-formed feed"
    assert max(listed.values()) >= 2, "one article is listed by two feeds"


def test_tracking_parameters_and_canonical_links(web: MiniWeb) -> None:
    tracked = [f for f in web.feeds if b"utm_source=rss" in get(f.url)[2]]
    assert tracked and len(tracked) < len(web.feeds)
    _, _, body = get(tracked[0].url)
    link = html.unescape(re.search(rb"(http://[^\"<]+utm_source=rss[^\"<]*)", body).group(1).decode())  # type: ignore[union-attr]
    assert "utm_medium=feed" in link
    status, _, page = get(link)
    assert status == 200
    assert f'<link rel="canonical" href="{link.split("?")[0]}">'.encode() in page
    without = [a for a in web.articles if b'rel="canonical"' not in get(a.url)[2]]
    assert without and len(without) < len(web.articles) / 2


def test_pages_carry_body_sentences_boilerplate_and_metadata(web: MiniWeb) -> None:
    phrases = web.boilerplate_phrases
    templates: set[str] = set()
    meta_dates = 0
    for article in web.articles:
        status, headers, body = get(article.url)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        page = html.unescape(body.decode("utf-8"))
        assert len(article.body_sentences) >= 2
        for sentence in article.body_sentences:
            assert sentence in page, (article.url, sentence)
            assert not any(p in sentence for p in phrases)
        assert sum(p in page for p in phrases) >= 6, article.url
        assert html.escape(article.title, quote=False) in body.decode() or article.title in page
        if "article:published_time" in page:
            meta_dates += 1
            assert article.published.isoformat(timespec="seconds") in page
        templates.update(m for m in TEMPLATE_MARKERS if m in page)
    assert len(templates) >= 5
    assert len(web.articles) * 0.7 < meta_dates < len(web.articles)


def test_article_texts_never_contain_boilerplate(web: MiniWeb) -> None:
    for doc in docs_by_url(web).values():
        text = " ".join(doc.paragraphs)
        assert not [p for p in web.boilerplate_phrases if p in text], doc.url


def test_wire_copies_are_recorded_and_overlap(web: MiniWeb) -> None:
    by_url = {a.url: a for a in web.articles}
    docs = docs_by_url(web)
    copies = [a for a in web.articles if a.wire_origin]
    assert len({a.wire_origin for a in copies}) >= 4
    kinds = Counter(a.copy_kind for a in copies)
    assert set(kinds) == {"verbatim", "cut", "edited", "retitled", "intro", "reordered"}
    for copy in copies:
        assert copy.wire_origin is not None
        origin: DemoArticle = by_url[copy.wire_origin]
        assert origin.wire_origin is None and origin.copy_kind is None
        assert origin.event == copy.event and origin.source_slug != copy.source_slug
        assert copy.published > origin.published
        a, b = shingles(" ".join(docs[copy.url].paragraphs)), shingles(" ".join(docs[origin.url].paragraphs))
        containment = len(a & b) / len(a)
        assert containment > 0.6, (copy.url, copy.copy_kind, containment)
        if copy.copy_kind == "verbatim":
            assert docs[copy.url].paragraphs == docs[origin.url].paragraphs
        if copy.copy_kind == "reordered":
            assert docs[copy.url].paragraphs != docs[origin.url].paragraphs
            assert sorted(docs[copy.url].paragraphs) == sorted(docs[origin.url].paragraphs)
        if copy.copy_kind == "retitled":
            assert copy.title != origin.title
        if copy.copy_kind == "edited":
            assert docs[copy.url].paragraphs != docs[origin.url].paragraphs
        if copy.copy_kind == "cut":
            assert docs[copy.url].word_count < 0.75 * docs[origin.url].word_count


def test_conditional_get_returns_304(web: MiniWeb) -> None:
    feed = next(f for f in web.feeds if not f.broken)
    status, headers, _ = get(feed.url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(feed.url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(feed.url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(feed.url, {"If-None-Match": '"stale"'})[0] == 200
    assert get(feed.url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_gzip_when_accepted(web: MiniWeb) -> None:
    url = web.articles[0].url
    _, plain_headers, plain = get(url)
    status, headers, body = get(url, {"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain_headers
    assert gzip.decompress(body) == plain
    assert int(headers["Content-Length"]) == len(body)


def test_keep_alive_serves_several_requests_on_one_connection(web: MiniWeb) -> None:
    parts = urlsplit(web.feeds[0].url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
    try:
        for path in ("/", "/robots.txt", parts.path):
            conn.request("GET", path)
            resp = conn.getresponse()
            assert resp.status == 200 and resp.read()
    finally:
        conn.close()


def test_robots_homepages_images_and_404(web: MiniWeb) -> None:
    robots = [get(home + "robots.txt") for home in web.publisher_homepages()]
    assert all(status == 200 and h["Content-Type"].startswith("text/plain") for status, h, _ in robots)
    texts = [body.decode() for _, _, body in robots]
    assert any("Disallow: /private/" in t for t in texts)
    assert any("Crawl-delay: 0" in t for t in texts)
    for feed in web.feeds:
        _, _, home = get(feed.homepage)
        path = urlsplit(feed.url).path
        assert re.search(rf'<link rel="alternate" type="application/[a-z+]+" [^>]*href="[^"]*{re.escape(path)}"',
                         home.decode())  # fmt: skip
    page = get(web.articles[0].url)[2].decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    status, headers, body = get(image)
    assert status == 200 and headers["Content-Type"] in ("image/svg+xml", "image/png") and body
    assert get(web.publisher_homepages()[0] + "no-such-page")[0] == 404


def test_fixed_port_scheme_and_clear_error_when_taken() -> None:
    rnd = random.Random()
    for _ in range(20):
        base = rnd.randrange(20_000, 60_000)
        try:
            fixed = start_miniweb(base_port=base, now=NOW)
        except OSError:
            continue
        break
    else:
        pytest.skip("no free port range found")
    with fixed:
        ports = [urlsplit(h).port for h in fixed.publisher_homepages()]
        assert ports == list(range(base, base + len(ports)))
        with pytest.raises(OSError, match="cannot listen"):
            start_miniweb(base_port=base)


def test_bulk_miniweb_builds_and_serves_quickly() -> None:
    started = time.monotonic()
    with bulk_miniweb(articles=1000, feeds=50, seed=3) as bulk:
        assert time.monotonic() - started < 3.0
        assert len(bulk.articles) == 1000 and len(bulk.feeds) == 50
        assert len({a.url for a in bulk.articles}) == 1000
        assert len({f.source_slug for f in bulk.feeds}) == 50
        assert "Allow: /" in get(bulk.publisher_homepages()[0] + "robots.txt")[2].decode()
        total = 0
        for feed in bulk.feeds[:4]:
            body = get(feed.url)[2]
            total += sum(body.count(a.url.encode()) > 0 for a in bulk.articles if a.source_slug == feed.source_slug)
        assert total == sum(1 for a in bulk.articles if a.source_slug in {f.source_slug for f in bulk.feeds[:4]})
        fetch_started = time.monotonic()
        texts = []
        for article in bulk.articles[::50]:
            status, _, body = get(article.url)
            assert status == 200 and 30_000 <= len(body) <= 80_000, len(body)
            page = html.unescape(body.decode())
            assert all(s in page for s in article.body_sentences)
            texts.append(" ".join(article.body_sentences))
        assert time.monotonic() - fetch_started < 5.0
        assert len(set(texts)) == len(texts)
