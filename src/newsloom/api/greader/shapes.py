"""Items and subscriptions as Google Reader clients read them (JSON), and the Atom of ``reader/atom/<stream>``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from newsloom.api.greader import ids
from newsloom.api.greader.streams import Item
from newsloom.sources.models import Source

ATOM = "http://www.w3.org/2005/Atom"
GR = "http://www.google.com/schemas/reader/atom/"
GR_SCHEME = "http://www.google.com/reader/"


def _when(item: Item) -> tuple[datetime, datetime]:
    crawled = item.article.created_at
    return crawled, item.article.published_at or crawled


def categories(item: Item) -> list[str]:
    out = [ids.READING_LIST]
    out.append(ids.READ if item.read else ids.FRESH)
    if item.starred:
        out.append(ids.STARRED)
    out.extend(ids.label_stream(tag) for tag in item.hashtags)
    if item.article.story_id:
        out.append(ids.story_stream(item.article.story_id))
    return out


def content_of(item: Item) -> str:
    article = item.article
    return article.html or article.feed_html or article.summary or ""


def item_json(item: Item) -> dict[str, Any]:
    article = item.article
    crawled, published = _when(item)
    source = article.source
    return {
        "id": ids.long_id(item.number),
        "crawlTimeMsec": str(int(crawled.timestamp() * 1000)),
        "timestampUsec": str(int(crawled.timestamp() * 1_000_000)),
        "published": int(published.timestamp()),
        "updated": int((article.updated_at or published).timestamp()),
        "title": article.title or article.url,
        "author": article.author,
        "canonical": [{"href": article.canonical_url or article.url}],
        "alternate": [{"href": article.canonical_url or article.url, "type": "text/html"}],
        "summary": {"direction": "ltr", "content": content_of(item)},
        "categories": categories(item),
        "origin": {"streamId": ids.feed_stream(source.slug), "title": source.name, "htmlUrl": source.homepage},
    }


def stream_json(stream: str, items: Sequence[Item], continuation: int | None, title: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "direction": "ltr",
        "id": stream,
        "title": title or stream,
        "updated": int(datetime.now(UTC).timestamp()),
        "items": [item_json(i) for i in items],
    }
    if continuation is not None:
        body["continuation"] = str(continuation)
    return body


def subscription_json(source: Source, feed_url: str) -> dict[str, Any]:
    return {
        "id": ids.feed_stream(source.slug),
        "title": source.name,
        "categories": [],
        "url": feed_url,
        "htmlUrl": source.homepage,
        "iconUrl": "",
        "firstitemmsec": str(int(source.created_at.timestamp() * 1000)),
        "sortid": f"{source.pk:08X}",
    }


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(stream: str, title: str, items: Sequence[Item], continuation: int | None, self_url: str) -> bytes:
    """The stream as the original Atom feed of Google Reader (what newsboat's FeedHQ mode reads)."""
    ET.register_namespace("", ATOM)
    ET.register_namespace("gr", GR)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"tag:google.com,2005:reader/{stream}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(datetime.now(UTC))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    if continuation is not None:
        ET.SubElement(feed, f"{{{GR}}}continuation").text = str(continuation)
    for item in items:
        article = item.article
        crawled, published = _when(item)
        entry = ET.SubElement(
            feed, f"{{{ATOM}}}entry", {f"{{{GR}}}crawl-timestamp-msec": str(int(crawled.timestamp() * 1000))}
        )
        ET.SubElement(entry, f"{{{ATOM}}}id").text = ids.long_id(item.number)
        ET.SubElement(entry, f"{{{ATOM}}}title", type="html").text = article.title or article.url
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _iso(published)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _iso(article.updated_at or published)
        ET.SubElement(
            entry, f"{{{ATOM}}}link", rel="alternate", href=article.canonical_url or article.url, type="text/html"
        )
        for stream_id in categories(item)[: 3 if item.starred else 2]:  # the states (a hashtag may be called "read")
            ET.SubElement(
                entry, f"{{{ATOM}}}category", term=stream_id, scheme=GR_SCHEME, label=stream_id.rsplit("/", 1)[-1]
            )
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="html").text = content_of(item)
        if article.author:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = article.author
        source = ET.SubElement(entry, f"{{{ATOM}}}source", {f"{{{GR}}}stream-id": ids.feed_stream(article.source.slug)})
        ET.SubElement(
            source, f"{{{ATOM}}}id"
        ).text = f"tag:google.com,2005:reader/{ids.feed_stream(article.source.slug)}"
        ET.SubElement(source, f"{{{ATOM}}}title").text = article.source.name
        if article.source.homepage:
            ET.SubElement(source, f"{{{ATOM}}}link", rel="alternate", href=article.source.homepage, type="text/html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
