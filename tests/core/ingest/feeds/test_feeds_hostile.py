"""Hostile XML feeds from tests/data/hostile/net-*.xml: every DOCTYPE that declares an entity is refused by what the XML
parser sees, however the declaration is hidden from a text scan; a DOCTYPE naming an external DTD still parses."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsloom.core.ingest.feeds import parse, parse_compat
from newsloom.errors import FeedParseError, UnsafeXML

HOSTILE = Path(__file__).resolve().parents[3] / "data" / "hostile"

REFUSED = {
    "net-doctype-system-lt.xml": "the entity 'pwn'",  # SYSTEM "<x>": a scan of the prolog stopped at that <
    "net-doctype-notation.xml": "the entity 'pwn'",  # <!NOTATION n SYSTEM "<x>"> before the entity
    "net-doctype-comment-lt.xml": "the entity 'pwn'",
    "net-doctype-attlist-lt.xml": "not well-formed XML",  # "<" in an attribute default: expat stops, still refused
    "net-doctype-leading-space.xml": "not well-formed XML",
    "net-doctype-malformed-entity.xml": "not well-formed XML",  # <!entity in lower case
    "net-billion-laughs.xml": "the entity 'lol'",
    "net-external-entity.xml": "the external entity 'pwn' (SYSTEM 'file:///etc/hostname')",
    "net-parameter-entity.xml": "the external entity 'remote'",
}


@pytest.mark.parametrize("parser", [parse, parse_compat], ids=["parse", "parse_compat"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_entity_declarations_are_refused(name: str, parser: object) -> None:
    started = time.perf_counter()
    with pytest.raises(UnsafeXML) as info:
        parser((HOSTILE / name).read_bytes())  # type: ignore[operator]
    assert time.perf_counter() - started < 1  # refused at the prolog, nothing expanded
    message = str(info.value)
    assert message.startswith("refused: the document's DOCTYPE declares XML entities")
    assert REFUSED[name] in message
    assert "PWNED" not in message
    assert isinstance(info.value, FeedParseError) and info.value.code == "unsafe-xml"


def test_every_net_fixture_is_covered() -> None:
    names = {p.name for p in HOSTILE.glob("net-doctype-*.xml")} | {p.name for p in HOSTILE.glob("net-*entity*.xml")}
    assert names - {"net-doctype-netscape.xml"} <= set(REFUSED)


def test_external_dtd_doctype_still_parses() -> None:
    feed = parse((HOSTILE / "net-doctype-netscape.xml").read_bytes())
    assert feed.format == "rss09x"
    assert [e.title for e in feed.entries] == ["An RSS 0.91 item"]


def test_entity_declared_in_utf16_behind_a_notation_is_refused() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!NOTATION n SYSTEM "<x>"><!ENTITY a "b">]><rss/>'
    with pytest.raises(UnsafeXML, match="the entity 'a'"):
        parse(b"\xff\xfe" + doc.encode("utf-16-le"))


def test_large_feed_without_doctype_is_not_slowed_by_the_check() -> None:
    items = "".join(f"<item><title>n{i}</title><link>http://example.org/{i}</link></item>" for i in range(2000))
    feed = parse(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode())
    assert len(feed.entries) == 2000
