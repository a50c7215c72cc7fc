"""``newsloom.core.ingest.feeds.parse``: golden fixtures, formats, charsets, hardening and the exception contract."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.core.ingest.feeds import FeedEntry, ParsedFeed, parse, parse_compat
from newsloom.errors import FeedParseError, NotAFeed

FIXTURES = Path(__file__).parent / "testdata"
GOLDEN = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))
FEED_URL = "https://feeds.example/feed"


def as_json(feed: ParsedFeed) -> dict[str, Any]:
    """The feed as JSON-able data (datetimes as ISO strings, tuples as lists)."""

    def convert(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [convert(v) for v in value]
        return value

    data = {f.name: convert(getattr(feed, f.name)) for f in dataclasses.fields(feed) if f.name != "entries"}
    data["entries"] = [{k: convert(v) for k, v in dataclasses.asdict(e).items()} for e in feed.entries]
    return data


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_fixture(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    assert as_json(parse(path.read_bytes(), url=FEED_URL)) == expected


def rss(items: str, *, prolog: str = "") -> bytes:
    return f'{prolog}<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


# ------------------------------------------------------------------------------------------------------ security


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"""


@pytest.mark.parametrize("parser", [parse, parse_compat])
def test_billion_laughs_is_refused_fast(parser: Any) -> None:
    start = time.perf_counter()
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parser(BILLION_LAUGHS)
    assert time.perf_counter() - start < 0.5


def test_quadratic_blowup_is_refused() -> None:
    doc = f'<!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]><rss><channel><title>{"&a;" * 50_000}</title></channel></rss>'
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse(doc.encode())


def test_entities_hidden_in_utf16_are_refused() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "b">]><rss><channel/></rss>'
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse(b"\xff\xfe" + doc.encode("utf-16-le"))


def test_entities_behind_a_tricky_comment_are_refused() -> None:
    doc = b'<!-- <rss> --><!DOCTYPE rss [<!ENTITY a "b">]><rss><channel><title>&a;</title></channel></rss>'
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse(doc)


def test_external_entity_is_refused_and_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    opened: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    doc = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]><rss><channel><title>&xxe;</title></channel></rss>'
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse(doc.encode())
    assert str(secret) not in opened


def test_external_dtd_reference_is_never_fetched(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "TOP-SECRET">')
    doc = f'<!DOCTYPE rss SYSTEM "file://{dtd}"><rss version="2.0"><channel><title>a &leak; b</title></channel></rss>'
    feed = parse(doc.encode())
    assert "TOP-SECRET" not in feed.title


def test_html_named_entities_without_doctype_still_work() -> None:
    feed = parse(rss("<item><title>caf&eacute;&nbsp;&mdash; bar</title></item>"))
    assert feed.entries[0].title == "café — bar"


def test_bytes_that_look_like_a_path_are_not_opened() -> None:
    with pytest.raises(FeedParseError):
        parse(b"/etc/passwd")


# ------------------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize("data", [b"", b"   \n\t", b"\xef\xbb\xbf"])
def test_empty_document(data: bytes) -> None:
    with pytest.raises(FeedParseError, match="empty"):
        parse(data)


@pytest.mark.parametrize("data", [b"garbage \x00\xff\xfe bytes", b"<foo><bar/></foo>", b"<<<>>>"])
def test_garbage_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(FeedParseError) as info:
        parse(data)
    assert not isinstance(info.value, NotAFeed)
    assert str(info.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b'{"hello": "world"}', "not a JSON Feed"), (b"[1, 2]", "not a JSON Feed"), (b"{broken", "not valid JSON")],
)
def test_json_that_is_not_a_json_feed(data: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse(data, content_type="application/json")


def test_html_page_is_not_a_feed_and_lists_its_feeds() -> None:
    page = b"""<!DOCTYPE html><html><head><title>Site</title>
    <link rel="alternate" type="application/rss+xml" href="/feed.xml" title="RSS">
    <link rel="alternate" type="application/atom+xml" href="https://site.example/atom">
    </head><body><p>Hello</p></body></html>"""
    with pytest.raises(NotAFeed) as info:
        parse(page, url="https://site.example/blog/", content_type="text/html; charset=utf-8")
    assert info.value.feed_links == ("https://site.example/feed.xml", "https://site.example/atom")


def test_opml_is_not_a_feed() -> None:
    with pytest.raises(NotAFeed, match="OPML"):
        parse(b'<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.example/f"/></body></opml>')


def test_recovered_feed_parses_with_a_warning() -> None:
    feed = parse(rss("<item><title>One</title><link>https://a.example/1</link></item><item><title>Two & more"))
    assert [e.title for e in feed.entries][:1] == ["One"]
    assert any("not well-formed" in w for w in feed.warnings)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_parse_or_raise_feed_parse_error(data: bytes) -> None:
    with contextlib.suppress(FeedParseError):
        assert isinstance(parse(data), ParsedFeed)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="<>/?!&;=\"' abcrsitemlnkfdy[]-:{}", max_size=300))
def test_xmlish_text_only_parses_or_raises_feed_parse_error(text: str) -> None:
    for prefix in ("", '<rss version="2.0"><channel>', "<feed xmlns='http://www.w3.org/2005/Atom'>", '{"version":'):
        with contextlib.suppress(FeedParseError):
            parse((prefix + text).encode())


# ------------------------------------------------------------------------------------------------------ mapping


def test_mislabelled_windows_1251_decodes() -> None:
    body = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Новости</title>'
    body += "<item><title>Привет мир</title></item></channel></rss>"
    feed = parse(body.encode("windows-1251"), content_type="application/rss+xml")
    assert feed.title == "Новости"
    assert feed.entries[0].title == "Привет мир"


def test_http_charset_is_honoured() -> None:
    data = '<rss version="2.0"><channel><title>Grüße</title></channel></rss>'.encode("iso-8859-1")
    assert parse(data, content_type="application/rss+xml; charset=iso-8859-1").title == "Grüße"


def test_bom_wins() -> None:
    data = b"\xef\xbb\xbf" + '<rss version="2.0"><channel><title>Żółw</title></channel></rss>'.encode()
    assert parse(data).title == "Żółw"


def test_future_dates_are_kept_with_a_warning() -> None:
    when = (datetime.now(UTC) + timedelta(days=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    feed = parse(rss(f"<item><title>x</title><pubDate>{when}</pubDate></item>"))
    assert feed.entries[0].published is not None and feed.entries[0].published.tzinfo is UTC
    assert any("future" in w for w in feed.warnings)


def test_relative_links_resolve_against_the_feed_url() -> None:
    feed = parse(rss("<link>/</link><item><title>x</title><link>/a/b</link></item>"), url="https://n.example/rss/")
    assert feed.link == "https://n.example/"
    assert feed.entries[0].link == "https://n.example/a/b"


def test_media_content_image_and_missing_fields() -> None:
    item = '<item xmlns:media="http://search.yahoo.com/mrss/"><media:content url="/p.jpg" medium="image"/></item>'
    entry = parse(rss(item), url="https://m.example/feed").entries[0]
    assert entry == FeedEntry(None, None, "", None, None, None, "", "", (), "https://m.example/p.jpg")


def test_ten_megabyte_feed() -> None:
    item = "<item><title>Item {i}</title><link>https://big.example/{i}</link><description>{pad}</description></item>"
    items = "".join(item.format(i=i, pad="lorem ipsum " * 80) for i in range(10_000))
    data = rss(items)
    assert len(data) > 10_000_000
    assert len(parse(data).entries) == 10_000
