"""OPML subscription lists: read (any OPML 1.0/2.0, nested categories flattened) and write (OPML 2.0, UTF-8).

Reading goes through defusedxml, so a list that declares entities or a DTD is refused (``UnsafeXML``) rather than
expanded; outlines are walked without recursion, so any depth of nesting is read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from newsloom.errors import FeedParseError, UnsafeXML

__all__ = ["OpmlFeed", "parse_opml", "write_opml"]

MAX_CATEGORY_DEPTH = 8  # folders deeper than this still have their feeds read; they just add no more to the category


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


def _is_outline(element: ET.Element) -> bool:
    return isinstance(element.tag, str) and element.tag.rpartition("}")[2].lower() == "outline"


def _walk(body: ET.Element) -> Iterator[OpmlFeed]:
    """Every feed outline in document order, however deep (an explicit stack: a list nested 5,000 levels deep is read
    like a flat one); the category is the path of the first ``MAX_CATEGORY_DEPTH`` labelled folders above it."""
    stack: list[tuple[Iterator[ET.Element], tuple[str, ...]]] = [(iter(body), ())]
    while stack:
        children, path = stack[-1]
        outline = next(children, None)
        if outline is None:
            stack.pop()
            continue
        if not _is_outline(outline):
            continue
        label = _attr(outline, "title", "text")
        url = _attr(outline, "xmlUrl")
        if url:
            category = " / ".join(path) if path else _attr_category(outline)
            yield OpmlFeed(url=url, title=label, html_url=_attr(outline, "htmlUrl"), category=category)
        folder = label and not url and len(path) < MAX_CATEGORY_DEPTH
        stack.append((iter(outline), (*path, label) if folder and label else path))


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document, in document order, deduplicated by URL."""
    try:
        root = DET.fromstring(data)
    except DefusedXmlException as exc:
        raise UnsafeXML(f"refused OPML document: it declares a DTD or entities ({type(exc).__name__})") from exc
    except (ET.ParseError, ValueError, TypeError) as exc:
        raise FeedParseError(f"not a readable OPML document: {exc}") from exc
    if not isinstance(root.tag, str) or root.tag.rpartition("}")[2].lower() != "opml":
        raise FeedParseError(f"not an OPML document: the root element is <{root.tag}>")
    body = next((child for child in root if str(child.tag).lower().endswith("body")), None)
    if body is None:
        raise FeedParseError("not a readable OPML document: it has no <body>")
    feeds: dict[str, OpmlFeed] = {}
    for feed in _walk(body):
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
