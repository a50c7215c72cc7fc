"""OPML subscription lists: read (any OPML 1.0/2.0, nested categories flattened) and write (OPML 2.0, UTF-8).

Reading goes through defusedxml, so a list that declares entities or a DTD is refused rather than expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from newsloom.errors import FeedParseError

__all__ = ["OpmlFeed", "parse_opml", "write_opml"]


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str | None
    html_url: str | None
    category: str | None


def _attr(outline: ET.Element, *names: str) -> str | None:
    for name in names:
        for key, value in outline.attrib.items():
            if key.lower() == name.lower() and value.strip():
                return " ".join(value.split())
    return None


def _attr_category(outline: ET.Element) -> str | None:
    """OPML 2.0's ``category`` attribute: comma-separated slash paths; the first path, slashes trimmed."""
    raw = _attr(outline, "category")
    if not raw:
        return None
    first = raw.split(",")[0].strip().strip("/")
    return first.replace("/", " / ") or None


def _walk(element: ET.Element, path: tuple[str, ...]) -> Iterator[OpmlFeed]:
    for outline in element:
        if not isinstance(outline.tag, str) or outline.tag.rpartition("}")[2].lower() != "outline":
            continue
        label = _attr(outline, "title", "text")
        url = _attr(outline, "xmlUrl")
        if url:
            category = " / ".join(path) if path else _attr_category(outline)
            yield OpmlFeed(url=url, title=label, html_url=_attr(outline, "htmlUrl"), category=category)
        yield from _walk(outline, (*path, label) if (label and not url) else path)


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document, in document order, deduplicated by URL."""
    try:
        root = DET.fromstring(data)
    except DefusedXmlException as exc:
        raise FeedParseError(f"refused OPML document: it declares a DTD or entities ({type(exc).__name__})") from exc
    except (ET.ParseError, ValueError, TypeError) as exc:
        raise FeedParseError(f"not a readable OPML document: {exc}") from exc
    if not isinstance(root.tag, str) or root.tag.rpartition("}")[2].lower() != "opml":
        raise FeedParseError(f"not an OPML document: the root element is <{root.tag}>")
    body = next((child for child in root if str(child.tag).lower().endswith("body")), None)
    if body is None:
        raise FeedParseError("not a readable OPML document: it has no <body>")
    feeds: dict[str, OpmlFeed] = {}
    for feed in _walk(body, ()):
        feeds.setdefault(feed.url, feed)
    return list(feeds.values())


def _outline(parent: ET.Element, feed: OpmlFeed) -> None:
    attrs = {"type": "rss", "text": feed.title or feed.url}
    if feed.title:
        attrs["title"] = feed.title
    attrs["xmlUrl"] = feed.url
    if feed.html_url:
        attrs["htmlUrl"] = feed.html_url
    ET.SubElement(parent, "outline", attrs)


def write_opml(feeds: Iterable[OpmlFeed], *, title: str = "newsloom subscriptions") -> bytes:
    """An OPML 2.0 document (UTF-8) with one outline per category holding its feeds; uncategorised feeds at the top."""
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    groups: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            if feed.category not in groups:
                groups[feed.category] = ET.SubElement(body, "outline", {"text": feed.category, "title": feed.category})
            parent = groups[feed.category]
        _outline(parent, feed)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
