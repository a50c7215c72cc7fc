"""OPML import/export."""

from __future__ import annotations

import pytest

from newsloom.core.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsloom.errors import FeedParseError, UnsafeXML
from tests.support.hostile_net import deep_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subs</title></head>
  <body>
    <outline text="Loose" type="rss" xmlUrl="https://loose.example/feed" htmlUrl="https://loose.example/"/>
    <outline text="Tech" title="Tech">
      <outline text="Ars" title="Ars Technica" type="rss" xmlUrl="https://ars.example/rss"/>
      <outline text="Apple">
        <outline text="DF" type="rss" xmlUrl="https://df.example/feed"/>
      </outline>
    </outline>
    <outline text="dup" type="rss" xmlUrl="https://ars.example/rss"/>
    <outline text="Tagged" xmlUrl="https://tag.example/rss" category="/World/Europe,/Other"/>
  </body>
</opml>"""


def test_nested_outlines_are_flattened_with_their_category() -> None:
    assert parse_opml(NESTED) == [
        OpmlFeed("https://loose.example/feed", "Loose", "https://loose.example/", None),
        OpmlFeed("https://ars.example/rss", "Ars Technica", None, "Tech"),
        OpmlFeed("https://df.example/feed", "DF", None, "Tech / Apple"),
        OpmlFeed("https://tag.example/rss", "Tagged", None, "World / Europe"),
    ]


def test_round_trip() -> None:
    feeds = [
        OpmlFeed("https://a.example/feed", "A & B", "https://a.example/", None),
        OpmlFeed("https://c.example/rss", None, None, "News"),
        OpmlFeed("https://d.example/atom", "D", None, "News"),
    ]
    data = write_opml(feeds, title="mine")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'version="2.0"' in data and b"<title>mine</title>" in data
    back = parse_opml(data)
    assert back[0] == feeds[0]
    assert back[1] == OpmlFeed("https://c.example/rss", "https://c.example/rss", None, "News")
    assert back[2] == feeds[2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a readable OPML"),
        (b"<rss><channel/></rss>", "root element"),
        (b"<opml><head/></opml>", "no <body>"),
        (b'<!DOCTYPE opml [<!ENTITY a "b">]><opml><body><outline xmlUrl="&a;"/></body></opml>', "refused"),
    ],
)
def test_bad_documents(data: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_opml(data)


def test_5000_levels_of_nesting_import_the_leaves() -> None:
    feeds = parse_opml(deep_opml(5000))
    assert [f.url for f in feeds] == ["https://top.example/", "https://deep.example/feed"]
    assert feeds[1].category == " / ".join(f"f{i}" for i in range(8))  # the first MAX_CATEGORY_DEPTH folders


def test_deep_nesting_cut_short_is_one_clear_error() -> None:
    with pytest.raises(FeedParseError, match=r"^not a readable OPML document: no element found: line 1") as info:
        parse_opml(deep_opml(5000, close=False))
    assert "\n" not in str(info.value)


def test_opml_declaring_entities_is_unsafe_xml() -> None:
    doc = b'<!DOCTYPE opml [<!NOTATION n SYSTEM "<x>"><!ENTITY e "x">]><opml><body/></opml>'
    with pytest.raises(UnsafeXML, match="declares a DTD or entities"):
        parse_opml(doc)
