"""The fast path for large RSS 2.0 feeds (``fastrss``) gives exactly what feedparser on the whole document gives:
compared on every conformance-suite document, the golden and hostile fixtures, the real-world corpus and generated
feeds, with the fast path forced on for feeds of any size."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloom.core.ingest.feeds import ParsedFeed
from newsloom.core.ingest.feeds.rss_atom import parse_xml_feed
from newsloom.errors import FeedParseError

TESTS = Path(__file__).resolve().parents[3]
BENCH = TESTS.parent / "bench" / "feeds_conformance.py"
FIXTURES = [TESTS / "core" / "ingest" / "feeds" / "testdata", TESTS / "data" / "hostile"]


def both(data: bytes, url: str | None = None, content_type: str | None = None) -> tuple[object, object]:
    def run(fast_min_items: int | None) -> object:
        try:
            return parse_xml_feed(data, url, content_type, fast_min_items=fast_min_items)
        except FeedParseError as exc:
            return (type(exc), str(exc))

    return run(None), run(0)


def assert_same(data: bytes, url: str | None = None, content_type: str | None = None) -> object:
    slow, fast = both(data, url, content_type)
    assert fast == slow
    return fast


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("feeds_conformance", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_conformance_documents(benchmarks_dir: Path, tmp_path: Path) -> None:
    bench = _bench()
    cases = bench.load_cases(bench.extract(benchmarks_dir.parent / bench.ARCHIVE, tmp_path))
    xml = [c for c in cases if not c.name.endswith(".json")]
    assert len(xml) > 1900
    different = [c.name for c in xml if (lambda pair: pair[0] != pair[1])(both(c.data, c.url, c.content_type))]
    assert different == []


@pytest.mark.parametrize("path", sorted(p for d in FIXTURES for p in d.glob("*.xml")), ids=lambda p: p.name)
def test_fixtures(path: Path) -> None:
    assert_same(path.read_bytes(), "http://example.test/feed.xml", "application/rss+xml")


def test_real_world_corpus(benchmarks_dir: Path) -> None:
    files = sorted(p for p in (benchmarks_dir / "feeds-real-world").rglob("*.xml") if p.is_file())
    assert files
    for path in files:
        slow, fast = both(path.read_bytes(), "http://example.test/feed.xml", None)
        assert fast == slow, path.name


def rss(items: list[str], *, channel: str = "<title>T</title><link>http://example.test/</link>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{channel}{''.join(items)}</channel></rss>"
    ).encode()


START = datetime(2026, 1, 1, tzinfo=UTC)


def plain_item(i: int) -> str:
    return (
        f"<item><title>Story {i}</title><link>http://example.test/news/{i}?a=1&amp;b=2</link>"
        f'<guid isPermaLink="true">http://example.test/news/{i}</guid>'
        f"<pubDate>{format_datetime(START - timedelta(hours=i))}</pubDate><dc:creator>Jane</dc:creator>"
        f'<category domain="x">Local</category><description>Summary {i} — café</description>'
        f'<media:content url="http://example.test/{i}.jpg" medium="image" type="image/JPEG"/>'
        f'<enclosure url="http://example.test/{i}.mp3" length="10" type="audio/mpeg"/></item>'
    )


def test_plain_and_other_items_keep_their_order() -> None:
    odd = [
        "<item><title>Q&amp;A <b>bold</b></title><link>/relative</link></item>",
        "<item><title>With content</title><content:encoded><![CDATA[<p>Hi <a href='/x'>x</a></p>]]>"
        "</content:encoded><link>http://example.test/c</link></item>",
        "<item><title>Author email</title><author>jane@example.test (Jane)</author></item>",
        '<item><guid isPermaLink="false">tag:1</guid><title>No link</title></item>',
        "<item><title>Comment <!-- x --> inside</title></item>",
    ]
    items = [plain_item(0), odd[0], plain_item(1), odd[1], odd[2], plain_item(2), odd[3], odd[4], plain_item(3)]
    feed = assert_same(rss(items), "http://example.test/feed.xml", "application/rss+xml")
    assert isinstance(feed, ParsedFeed) and len(feed.entries) == 9
    assert [e.title for e in feed.entries][:3] == ["Story 0", "Q&A bold", "Story 1"]


def test_a_large_plain_feed_takes_the_fast_path() -> None:
    from newsloom.core.ingest.feeds import fastrss
    from newsloom.core.ingest.feeds.rss_atom import _as_utf8, _feedparse

    data = rss([plain_item(i) for i in range(300)])
    calls: list[int] = []

    def feedparse(doc: bytes) -> object:
        calls.append(doc.count(b"<item"))
        return _feedparse(doc, None, None)

    result = fastrss.plain_result(data, _as_utf8(data, None), None, None, feedparse)
    assert result is not None and len(result["entries"]) == 300
    assert calls == [0]  # feedparser read only the channel
    assert fastrss.plain_result(data[:-20], _as_utf8(data[:-20], None), None, None, feedparse) is None  # not XML
    html = rss([f"<item><title>S{i}</title><description>&lt;p&gt;x&lt;/p&gt;</description></item>" for i in range(300)])
    assert fastrss.plain_result(html, _as_utf8(html, None), None, None, feedparse) is None  # mostly markup
    assert calls == [0]


EDGE_ITEMS = [
    "<dc:creator>Jane (jane@x.test)</dc:creator>",
    "<dc:creator>jane@x.test</dc:creator>",
    "<dc:creator>Jane</dc:creator><dc:creator>John</dc:creator>",
    "<title>Ã©t mojibake</title>",
    "<title>  padded\n title </title>",
    "<title></title>",
    "<title>a &amp; b</title>",
    "<link>/relative/path</link>",
    "<link>http:////x.test/a</link>",
    "<link>http://x.test/a?b=1&amp;amp;c=2</link>",
    "<guid>rel/guid</guid>",
    '<guid isPermaLink="false">rel/guid</guid>',
    '<guid isPermaLink="True">http://x.test/g</guid>',
    "<guid>http://x.test/g</guid><link>http://x.test/l</link>",
    "<link>http://x.test/l</link><guid>http://x.test/g</guid>",
    "<pubDate>Mon, 06 Jan 2025 10:00:00 GMT</pubDate>",
    "<pubDate>not a date</pubDate>",
    "<pubDate></pubDate>",
    "<category></category>",
    "<category>One</category><category>One</category><category domain='d'>Two</category>",
    '<media:thumbnail url="http://x.test/t.jpg"/><media:content url="http://x.test/c.png" type="IMAGE/PNG"/>',
    '<media:thumbnail url="/rel.jpg"/>',
    '<enclosure url="http://x.test/e.jpg" type="image/jpeg" length="1"/>',
    "<description>x\u0085y</description>",
    "<description>café ☃ 中文</description>",
    "<comments>http://x.test/c</comments>",
    "<description>one</description><description>two</description>",
    '<title xml:lang="de">Titel</title>',
    "<source url='http://x.test/s'>Source</source>",
    "<dc:date>2025-01-06T10:00:00Z</dc:date>",
]


@pytest.mark.parametrize("item", EDGE_ITEMS)
def test_edge_items(item: str) -> None:
    plain = [plain_item(0), f"<item>{item}</item>", plain_item(1)]
    assert_same(rss(plain), "http://example.test/dir/feed.xml", "application/rss+xml; charset=utf-8")


TEXT = st.sampled_from(
    [
        "",
        " ",
        "Plain",
        "café",
        "Ã©t",
        "naïve ☃",
        "中文",
        "a & b",
        "<b>x</b>",
        "&lt;x&gt;",
        "x\x85y",
        "tab\tx",
        "  spaced  ",
        "1 < 2",
        "AT&amp;T;",
        "\u00a0nbsp",
        "e@x.test",
        "Jane (jane@x.test)",
        "ÿ",
    ]
)
URL = st.sampled_from(
    [
        "http://example.test/a",
        "https://example.test/b?x=1&amp;y=2",
        "/relative",
        "rel/x",
        "http:////example.test/slashes",
        "javascript:alert(1)",
        "http://example.test/a b",
        "",
        "http://exämple.test/",
        "HTTP://EXAMPLE.TEST/UP",
        "mailto:x@example.test",
    ]
)
DATE = st.sampled_from(
    [
        "Mon, 06 Jan 2025 10:00:00 GMT",
        "2025-01-06T10:00:00Z",
        "06 Jan 2025",
        "soon",
        "",
        "Tue, 30 Feb 2025 10:00:00 +0000",
        "Mon, 06 Jan 2025 10:00:00 +0530",
    ]
)


@st.composite
def items(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(
            st.sampled_from(
                [
                    "title",
                    "link",
                    "guid",
                    "pubDate",
                    "description",
                    "category",
                    "dc:creator",
                    "comments",
                    "media:content",
                    "media:thumbnail",
                    "enclosure",
                    "author",
                    "dc:date",
                    "source",
                ]
            )
        )
        if kind in ("link", "comments"):
            parts.append(f"<{kind}>{escape(draw(URL), quote=False)}</{kind}>")
        elif kind == "guid":
            permalink = draw(st.sampled_from(["", ' isPermaLink="true"', ' isPermaLink="false"', ' isPermaLink="x"']))
            parts.append(f"<guid{permalink}>{escape(draw(URL), quote=False)}</guid>")
        elif kind in ("pubDate", "dc:date"):
            parts.append(f"<{kind}>{draw(DATE)}</{kind}>")
        elif kind in ("media:content", "media:thumbnail", "enclosure"):
            mime = draw(st.sampled_from(["image/jpeg", "IMAGE/PNG", "audio/mpeg", ""]))
            parts.append(f'<{kind} url="{escape(draw(URL))}" type="{mime}"/>')
        elif kind == "category":
            domain = draw(st.sampled_from(["", ' domain="d"']))
            parts.append(f"<category{domain}>{escape(draw(TEXT), quote=False)}</category>")
        else:
            text = draw(TEXT)
            raw = draw(st.booleans())
            body = f"<![CDATA[{text}]]>" if raw and "]]>" not in text else escape(text, quote=False)
            parts.append(f"<{kind}>{body}</{kind}>")
    return "<item>" + "".join(parts) + "</item>"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items(), min_size=1, max_size=6), st.sampled_from([None, "http://example.test/dir/feed.xml"]))
def test_generated_feeds(feed_items: list[str], url: str | None) -> None:
    assert_same(rss(feed_items), url, "application/rss+xml; charset=utf-8")
